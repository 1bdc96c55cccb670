"""The index of a large annotation file kept in the user cache folder between runs
(see :mod:`briefing.annotations.indexed`): a JSON header, then the offsets as 64-bit
integers and each entry's digest; never pickle. Keyed by the file's identity
``(st_dev, st_ino, st_size, st_mtime_ns)`` and the SHA-256 of its bytes; a checksum
of the body refuses a torn or damaged cache file. Only a speed-up: anything wrong
with it means the file is parsed whole, as without it."""

from __future__ import annotations

import hashlib
import json
import os
from array import array
from dataclasses import dataclass
from pathlib import Path

from briefing.annotations.indexed import DIGEST, LAZY_MIN, FileIndex

CACHE_VERSION = 3  # 2: the content hash is part of the key; 3: a digest per entry after the offsets


def index_bytes(index: FileIndex, key: tuple[int, ...]) -> bytes:
    """What the cache holds for ``index`` of the file whose identity is ``key``."""
    body = array("q", index.starts).tobytes() + index.digests()
    header = json.dumps(
        {"v": CACHE_VERSION, "key": list(key), "end": index.end, "count": len(index.starts),
         "data": content_hash(index.data), "sum": hashlib.sha256(body).hexdigest()}
    )
    return header.encode() + b"\n" + body


def index_from_bytes(raw: bytes, key: tuple[int, ...], data: bytes) -> FileIndex | None:
    """The kept index when it is for exactly these bytes under this identity."""
    kept = KeptIndex.read(raw)
    return kept.index_of(key, data) if kept is not None else None


@dataclass(frozen=True)
class KeptIndex:
    """What the cache holds for an annotation file: its identity and content hash when
    it was indexed, the offsets and each entry's digest."""

    key: list[int]
    data_hash: str
    starts: list[int]
    end: int
    digests: bytes

    @classmethod
    def read(cls, raw: bytes) -> KeptIndex | None:
        """The cache file's content, or None when it is damaged or of another version."""
        head, sep, body = raw.partition(b"\n")
        try:
            meta = json.loads(head)
        except ValueError:
            return None
        if not sep or not isinstance(meta, dict) or meta.get("v") != CACHE_VERSION:
            return None
        count, end, key, data_hash = meta.get("count"), meta.get("end"), meta.get("key"), meta.get("data")
        if not isinstance(count, int) or not isinstance(end, int) or count < 1 or len(body) != count * (8 + DIGEST):
            return None
        if not isinstance(key, list) or not isinstance(data_hash, str):
            return None
        if meta.get("sum") != hashlib.sha256(body).hexdigest():  # a torn or damaged cache file
            return None
        starts = array("q")
        starts.frombytes(body[: count * 8])
        return cls(key, data_hash, starts.tolist(), end, body[count * 8 :])

    def index_of(self, key: tuple[int, ...], data: bytes) -> FileIndex | None:
        """The index of ``data`` when this was kept for it (the same identity and the
        same bytes), else None."""
        if self.key != list(key) or self.data_hash != content_hash(data):  # other bytes under the same identity
            return None
        index = FileIndex(data, self.starts, self.end, _digests=self.digests)
        return index if index.plausible() else None


def content_hash(data: bytes) -> str:
    """What the cache is keyed by besides the file's identity: SHA-256 of its bytes."""
    return hashlib.sha256(data).hexdigest()


def cache_path(annotation_file: Path) -> Path:
    from briefing.config import cache_dir

    digest = hashlib.sha256(os.fsencode(os.path.abspath(annotation_file))).hexdigest()[:16]
    return cache_dir() / "annotations" / f"{digest}.index"


def kept_index(annotation_file: Path, data: bytes) -> KeptIndex | None:
    """What the cache holds for ``annotation_file`` (None for nothing, a damaged cache
    file, or a file too small to be indexed); see
    :func:`briefing.annotations.reindex.cached_index`."""
    if len(data) < LAZY_MIN * 20:
        return None
    from briefing.durable import read_small_regular_file

    try:
        raw = read_small_regular_file(cache_path(annotation_file), 64 * 1024 * 1024)
    except OSError:
        return None
    return KeptIndex.read(raw)


def keep_index(annotation_file: Path, key: tuple[int, ...] | None, index: FileIndex | None) -> None:
    """Remember ``index`` for the file whose identity is ``key`` (best effort: the
    cache is only a speed-up; a failure to write it changes nothing else)."""
    if key is None or index is None:
        return
    from briefing.durable import atomic_write

    path = cache_path(annotation_file)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, index_bytes(index, key), sync_dir=False, fsync=False)
    except OSError:
        pass
