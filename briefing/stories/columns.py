"""The articles a grouping reads, as columns: ids, body keys and days, sorted by id.

Grouping needs three things of each article: its id (for the stories it returns
and the order of ties), its body (the fingerprint, to find its signature) and its
date. At a million articles a Python object per article costs more than the whole
grouping, so they are read as columns:

- from the index file, when the corpus is an :class:`~briefing.index.IndexedCorpus`
  (perhaps inside a :class:`~briefing.annotations.corrected.CorrectedCorpus` whose
  fix is a :class:`~briefing.annotations.corrected.Corrections` snapshot: the
  analyst's dates replace the file's): one ``SELECT id, fingerprint, date FROM
  articles`` sorted by id, read in chunks, ids kept as one UTF-8 buffer with offsets
  (about 70 bytes an article), fingerprints turned into 64-bit keys as they go;
- from ``corpus.articles`` otherwise (a :class:`~briefing.corpus.Corpus`, tests).

Both give the same columns and the same digest for the same articles, so a grouping
stored by one is read back by the other.
"""

from __future__ import annotations

import hashlib
import operator
import os
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from briefing.model import ArticleMeta, CorpusView
from briefing.stories.store import fingerprint_keys

NO_DATE = -1  # as briefing.stories.cluster.NO_DATE
CHUNK = 65536  # rows read, keyed and hashed at once

_ID, _FINGERPRINT, _DATE = operator.attrgetter("id"), operator.attrgetter("fingerprint"), operator.attrgetter("date")


class Ids:
    """Article ids in one UTF-8 buffer (NUL-separated) with offsets: ``ids[k]``."""

    def __init__(self, parts: list[bytes], counts: list[int]) -> None:
        self._buf = b"\0".join(parts)
        lengths: list[np.ndarray] = []
        for part, count in zip(parts, counts, strict=True):
            if count == 0:
                continue
            ends = np.flatnonzero(np.frombuffer(part, dtype=np.uint8) == 0)
            lengths.append(np.diff(np.concatenate(([-1], ends, [len(part)]))) - 1)
        sizes = np.concatenate(lengths) if lengths else np.empty(0, dtype=np.int64)
        self._end = np.cumsum(sizes + 1) - 1  # offset of each id's end (its NUL)
        self._start = self._end - sizes
        self._n = len(sizes)
        if self._n != sum(counts):
            raise ValueError("an article id holds a NUL character")

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, k: int) -> str:
        return self._buf[self._start[k] : self._end[k]].decode("utf-8", "surrogatepass")

    def take(self, rows: Sequence[int]) -> list[str]:
        buf, start, end = self._buf, self._start.tolist(), self._end.tolist()
        return [buf[start[k] : end[k]].decode("utf-8", "surrogatepass") for k in rows]

    def joined(self, rows: np.ndarray) -> bytes:
        """The ids of ``rows`` as stored (UTF-8), each followed by a NUL: what
        ``"".join(i + "\\0" for i in self.take(rows))`` encodes to, without a string
        per id (a chunk of byte slices at a time)."""
        buf = self._buf
        parts: list[bytes] = []
        for s in range(0, len(rows), CHUNK):
            part = rows[s : s + CHUNK]
            parts.append(b"\0".join([buf[a:b] for a, b in zip(self._start[part].tolist(), self._end[part].tolist(), strict=True)]) + b"\0")
        return b"".join(parts)


@dataclass
class Columns:
    """The articles sorted by id: ``ids``, ``keys`` (the body's 64-bit key, see
    :func:`~briefing.stories.store.fingerprint_key`), ``days`` (date ordinal,
    :data:`NO_DATE` when undated) and ``digest`` (sha256 of all three and the
    fingerprints). ``path_of(k)`` is article k's file (for signing it)."""

    ids: Ids
    keys: np.ndarray
    days: np.ndarray
    digest: hashlib._Hash
    path_of: Callable[[int], str]
    quick: str | None = None  # quick_key() as it was when these were read (None: none)

    def __len__(self) -> int:
        return len(self.ids)


def columns(corpus: CorpusView, conn: sqlite3.Connection | None, header: bytes) -> Columns:
    """The columns of ``corpus``; from the index through ``conn`` (a connection to its
    index file) when the corpus is indexed, else from its metas. ``header`` starts
    the digest (the settings)."""
    inner, dates = _indexed(corpus)
    if conn is not None and inner is not None:
        try:
            conn.execute("BEGIN")  # one snapshot: the quick key and the columns agree
            try:
                quick = quick_key(corpus, conn, header)
                found = _from_index(conn, dates, header)
            finally:
                conn.execute("COMMIT")
            found.quick = quick
            return found
        except sqlite3.Error:
            pass  # e.g. an index file of another schema: the metas say the same
    return _from_metas(corpus.articles, header)


def quick_key(corpus: CorpusView, conn: sqlite3.Connection | None, header: bytes) -> str | None:
    """A key that changes whenever the articles may have: the index's record of its
    last complete walk (``meta.scan``, the digest of every file's stat, which every
    change to the articles clears or replaces), the analyst's dates and ``header``.
    None when there is none (no index, a walk with racy files, a watcher's change
    since): then only the full :class:`Columns` digest can tell. Reading it costs one
    row, so a grouping of a million articles is read back without reading them."""
    inner, dates = _indexed(corpus)
    if conn is None or inner is None:
        return None
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'scan'").fetchone()
    except sqlite3.Error:
        return None
    if row is None or not isinstance(row[0], str):
        return None
    h = hashlib.sha256(header + b"quick\n" + row[0].encode() + b"\n")
    for aid, date in sorted((dates or {}).items()):
        h.update(f"{aid}\0{date}\n".encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def _indexed(corpus: CorpusView) -> tuple[CorpusView | None, dict[str, object] | None]:
    """The IndexedCorpus under ``corpus`` and the analyst's dates over it, or (None,
    None) when the index cannot say what ``corpus.articles`` says."""
    from briefing.annotations.corrected import CorrectedCorpus, Corrections
    from briefing.index import IndexedCorpus

    if isinstance(corpus, IndexedCorpus):
        return corpus, None
    if isinstance(corpus, CorrectedCorpus) and isinstance(corpus.corpus, IndexedCorpus):
        fix = getattr(corpus, "_fix", None)
        if isinstance(fix, Corrections):
            return corpus.corpus, {aid: date for aid, (_, date) in fix.fixes.items() if date is not None}
    return None, None


def _from_index(conn: sqlite3.Connection, dates: dict[str, object] | None,
                header: bytes) -> Columns:
    h = hashlib.sha256(header)
    parts: list[bytes] = []
    counts: list[int] = []
    keys: list[np.ndarray] = []
    days: list[np.ndarray] = []
    # "+id": SQLite's sorter over one scan of the table, several times faster than
    # walking the id index and looking every row up.
    cursor = conn.execute(f"SELECT id, fingerprint, coalesce(date, {NO_DATE}) FROM articles ORDER BY +id")
    while rows := cursor.fetchmany(CHUNK):
        ids, fps, ordinals = zip(*rows, strict=True)
        day = np.array(ordinals, dtype=np.int64)
        if dates:
            for k, aid in enumerate(ids):
                fixed = dates.get(aid)
                if fixed is not None:
                    day[k] = fixed.toordinal()  # type: ignore[attr-defined]
        _add(h, parts, counts, keys, days, list(ids), list(fps), day)
    ids_found = Ids(parts, counts)

    def path_of(k: int) -> str:
        row = conn.execute("SELECT path FROM articles WHERE id = ?", (ids_found[k],)).fetchone()
        if row is None:
            return ""  # gone from the index since: unreadable, left out
        return row[0] if isinstance(row[0], str) else os.fsdecode(row[0])

    return Columns(ids_found, _cat(keys, np.uint64), _cat(days, np.int64), h, path_of)


def _from_metas(given: Sequence[ArticleMeta], header: bytes) -> Columns:
    metas = sorted(given, key=_ID)
    h = hashlib.sha256(header)
    parts: list[bytes] = []
    counts: list[int] = []
    keys: list[np.ndarray] = []
    days: list[np.ndarray] = []
    for start in range(0, len(metas), CHUNK):
        part = metas[start : start + CHUNK]
        day = np.fromiter((d.toordinal() if d else NO_DATE for d in map(_DATE, part)), dtype=np.int64, count=len(part))
        _add(h, parts, counts, keys, days, list(map(_ID, part)), list(map(_FINGERPRINT, part)), day)
    return Columns(Ids(parts, counts), _cat(keys, np.uint64), _cat(days, np.int64), h, lambda k: metas[k].path)


def _add(h: hashlib._Hash, parts: list[bytes], counts: list[int], keys: list[np.ndarray], days: list[np.ndarray],
         ids: list[str], fps: list[str], day: np.ndarray) -> None:
    joined = "\0".join(ids).encode("utf-8", "surrogatepass")
    parts.append(joined)
    counts.append(len(ids))
    keys.append(fingerprint_keys(fps))
    days.append(day)
    h.update(joined + b"\n")
    h.update("\0".join(fps).encode("utf-8", "surrogatepass") + b"\n")
    h.update(day.astype("<i8").tobytes())


def _cat(arrays: list[np.ndarray], dtype: type) -> np.ndarray:
    return np.concatenate(arrays) if arrays else np.empty(0, dtype=dtype)
