"""The index of a large annotation file kept in the user cache folder between runs
(see :mod:`briefing.annotations.indexed`): a JSON header, then the offsets as 64-bit
integers, each entry's digest and each block's (:mod:`briefing.annotations.blocks`);
never pickle. Keyed by the file's identity
``(st_dev, st_ino, st_size, st_mtime_ns)`` and the SHA-256 of its bytes; a checksum
of the body refuses a torn or damaged cache file. Only a speed-up: anything wrong
with it means the file is parsed whole, as without it."""

from __future__ import annotations

import hashlib
import json
import os
import threading
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from briefing.annotations import snapshot
from briefing.annotations.blocks import BLOCK_DIGEST, block_digests, block_firsts
from briefing.annotations.indexed import DIGEST, LAZY_MIN, FileIndex

# 2: the content hash is part of the key; 3: a digest per entry after the offsets;
# 4: a digest per block of entries after those, and SHA-256 for the entries' digests;
# 5: 16 bytes of each entry's digest, not 8
CACHE_VERSION = 5


def index_bytes(index: FileIndex, key: tuple[int, ...]) -> bytes:
    """What the cache holds for ``index`` of the file whose identity is ``key``."""
    body = array("q", index.starts).tobytes() + index.digests() + block_digests(index)
    snapshot.release(index.data)  # (the blocks' digests read every entry)
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
    it was indexed, the offsets, each entry's digest and each block's."""

    key: list[int]
    data_hash: str
    starts: array[int]
    end: int
    digests: bytes
    blocks: bytes

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
        if not isinstance(count, int) or not isinstance(end, int) or count < 1 or len(body) < count * (8 + DIGEST):
            return None
        if not isinstance(key, list) or not isinstance(data_hash, str):
            return None
        if meta.get("sum") != hashlib.sha256(body).hexdigest():  # a torn or damaged cache file
            return None
        digests = body[count * 8 : count * (8 + DIGEST)]
        if len(body) != count * (8 + DIGEST) + len(block_firsts(digests)) * BLOCK_DIGEST:
            return None
        starts = array("q")
        starts.frombytes(body[: count * 8])
        return cls(key, data_hash, starts, end, digests, body[count * (8 + DIGEST) :])

    def index_of(self, key: tuple[int, ...], data: bytes) -> FileIndex | None:
        """The index of ``data`` when this was kept for it (the same identity and the
        same bytes), else None."""
        if self.key != list(key) or self.data_hash != content_hash(data):  # other bytes under the same identity
            return None
        index = FileIndex(data, self.starts, self.end, _digests=self.digests, _blocks=self.blocks)
        return index if index.plausible() else None


def content_hash(data: bytes) -> str:
    """What the cache is keyed by besides the file's identity: SHA-256 of its bytes
    (computed once for the same bytes object: see :func:`hash_ahead`)."""
    last = _last
    if last is None or last.data is not data:
        last = _Hashing(data, ahead=False)
    return last.value()


def hash_ahead(data: bytes) -> None:
    """Start :func:`content_hash` of ``data`` on a thread, for an index about to be
    kept: hashlib lets go of the GIL while it hashes, so the 30 ms of a 30 MB file
    overlap the work in between (a reindex, the durable write of a save) when a
    second core is free."""
    if _last is None or _last.data is not data:
        _Hashing(data, ahead=True)


class _Hashing:
    """The SHA-256 of one bytes object, remembered for the last one only."""

    def __init__(self, data: bytes, ahead: bool) -> None:
        global _last
        self.data = data
        self.hex: str | None = None
        self.thread: threading.Thread | None = None
        if ahead:
            self.thread = threading.Thread(target=self._run, name="annotations-hash", daemon=True)
            self.thread.start()
        else:
            self._run()
        _last = self

    def _run(self) -> None:
        self.hex = hashlib.sha256(self.data).hexdigest()
        snapshot.release(self.data)  # (every page read)

    def value(self) -> str:
        if self.thread is not None:
            self.thread.join()
        if self.hex is None:  # the thread failed (out of memory): here, then
            self._run()
        assert self.hex is not None
        return self.hex


_last: _Hashing | None = None


def forget(data: bytes) -> None:
    """Let go of ``data`` (its hash is not asked for again: the bytes were replaced by
    a snapshot of them, :mod:`briefing.annotations.snapshot`), once it is hashed."""
    global _last
    last = _last
    if last is not None and last.data is data and (last.thread is None or not last.thread.is_alive()):
        _last = None


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
    cache is only a speed-up; a failure to write it changes nothing else). Within
    :func:`kept_last`, noted and written on the way out instead."""
    if key is None or index is None:
        return
    noted = getattr(_deferred, "noted", None)
    if noted is not None:
        noted[annotation_file] = (key, index)
        return
    from briefing.durable import atomic_write

    path = cache_path(annotation_file)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, index_bytes(index, key), sync_dir=False, fsync=False)
    except OSError:
        pass


# Indexes noted by keep_index within kept_last() on this thread (``noted``), by file:
# the last one of each. Per thread: another thread (the reader's background check)
# keeps its indexes at once, as outside kept_last.
_deferred = threading.local()


@contextmanager
def kept_last() -> Iterator[None]:
    """Within: :func:`keep_index` only notes each file's index, and the last one
    noted for a file is kept on the way out (however the block is left). For a
    command that opens the file and saves it at once (``briefing tag`` after a
    ``git pull``): the index of the version it replaces would be obsolete the
    moment it was written, so it is neither written nor its file hashed for it
    (:func:`keeping_later`); the index of the version written is kept as before.
    When nothing is written (the tag was there), the index of the version read is
    kept, as it would have been. For the calling thread only."""
    if getattr(_deferred, "noted", None) is not None:  # (nested: the outer one keeps)
        yield
        return
    noted: dict[Path, tuple[tuple[int, ...], FileIndex]] = {}
    _deferred.noted = noted
    try:
        yield
    finally:
        _deferred.noted = None
        for annotation_file, (key, index) in noted.items():
            keep_index(annotation_file, key, index)


def keeping_later() -> bool:
    """Whether indexes are kept on the way out of :func:`kept_last` (then nothing is
    hashed ahead for an index that may never be written), on this thread."""
    return getattr(_deferred, "noted", None) is not None
