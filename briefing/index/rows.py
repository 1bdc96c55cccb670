"""The indexed articles without an object per article (issue 20).

:class:`ArticleRows` is :attr:`IndexedCorpus.articles`: the index's rowids in the
list's order (newest first, undated last, then id: the ``articles_order`` index) in
an ``array('q')``, 8 bytes an article; an article's :class:`ArticleMeta` is read
from the index when asked for (a window of rows in one query) and kept in a small
LRU. :class:`IdLookup` is the id -> meta mapping the annotation store checks ids
against, answered by the index too. At a million articles both hold a few MB where a
list and a dict of metas held more than a gigabyte.

The order is the index's as it was when the rows were read (:meth:`ArticleRows.reload`
reads it again after the watcher changed the index); an article removed from the
index since is left out of windows and iteration.

Plain Python over SQLite: no Textual.
"""

from __future__ import annotations

import sqlite3
import threading
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import islice
from typing import Any, overload

from briefing.model import ArticleMeta

CHUNK = 1000  # rows read by one query
CACHE = 4096  # metas kept (a few screens and the articles opened lately)

Connect = Callable[[], sqlite3.Connection]
MakeMetas = Callable[[Iterable[tuple[Any, ...]]], list[ArticleMeta]]


class MetaCache:
    """Metas by rowid and by id, least recently used dropped first (thread-safe:
    search workers read metas too)."""

    def __init__(self, size: int = CACHE) -> None:
        self.size = size
        self._by_rowid: OrderedDict[int, ArticleMeta] = OrderedDict()
        self._rowid_of: dict[str, int] = {}
        self._lock = threading.Lock()

    def get(self, rowid: int) -> ArticleMeta | None:
        with self._lock:
            meta = self._by_rowid.get(rowid)
            if meta is not None:
                self._by_rowid.move_to_end(rowid)
            return meta

    def by_id(self, article_id: str) -> ArticleMeta | None:
        with self._lock:
            rowid = self._rowid_of.get(article_id)
            if rowid is None:
                return None
            self._by_rowid.move_to_end(rowid)
            return self._by_rowid[rowid]

    def put(self, rowid: int, meta: ArticleMeta) -> None:
        with self._lock:
            old = self._by_rowid.pop(rowid, None)
            if old is not None:
                self._rowid_of.pop(old.id, None)
            self._by_rowid[rowid] = meta
            self._rowid_of[meta.id] = rowid
            while len(self._by_rowid) > self.size:
                _rowid, dropped = self._by_rowid.popitem(last=False)
                if self._rowid_of.get(dropped.id) == _rowid:
                    del self._rowid_of[dropped.id]

    def forget(self, ids: Iterable[str]) -> None:
        with self._lock:
            for article_id in ids:
                rowid = self._rowid_of.pop(article_id, None)
                if rowid is not None:
                    self._by_rowid.pop(rowid, None)

    def clear(self) -> None:
        with self._lock:
            self._by_rowid.clear()
            self._rowid_of.clear()


class ArticleRows(Sequence[ArticleMeta]):
    """The indexed articles in the list's order, read from the index by window."""

    def __init__(self, connect: Connect, meta_sql: str, make: MakeMetas, cache: MetaCache | None = None,
                 connect_once: Connect | None = None) -> None:
        """``connect()``: the calling thread's connection to the index (kept open);
        ``connect_once()``: a connection closed after reading the order (default:
        ``connect``), so that reading the order does not open one kept for later."""
        self._connect = connect
        self._connect_once = connect_once
        self._sql = meta_sql  # "SELECT <meta columns> FROM articles"
        self._make = make
        self._with_rowid = meta_sql.replace("SELECT ", "SELECT rowid, ", 1)
        self.cache = cache or MetaCache()
        self.rowids = array("q")
        self.reload()

    def reload(self) -> None:
        """Read the order again from the index (after the index changed)."""
        rowids = array("q")
        conn = self._connect_once() if self._connect_once is not None else self._connect()
        try:
            cursor = conn.execute("SELECT rowid FROM articles ORDER BY date DESC, id")
            while chunk := cursor.fetchmany(10_000):
                rowids.extend(r[0] for r in chunk)
        finally:
            if self._connect_once is not None:
                conn.close()
        self.rowids = rowids

    def __len__(self) -> int:
        return len(self.rowids)

    def __bool__(self) -> bool:
        return len(self.rowids) > 0

    @overload
    def __getitem__(self, index: int) -> ArticleMeta: ...

    @overload
    def __getitem__(self, index: slice) -> list[ArticleMeta]: ...

    def __getitem__(self, index: int | slice) -> ArticleMeta | list[ArticleMeta]:
        if isinstance(index, slice):
            return self.fetch(self.rowids[index])
        rowid = self.rowids[index]  # IndexError outside
        found = self.fetch([rowid])
        if not found:
            raise IndexError("article removed from the index since the list was read")
        return found[0]

    def __eq__(self, other: object) -> bool:
        """Equal to a sequence of the same metas in the same order (a list of them)."""
        if isinstance(other, ArticleRows):
            return other is self or list(self) == list(other)
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(other) == len(self) and list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __iter__(self) -> Iterator[ArticleMeta]:
        rowids = self.rowids
        for start in range(0, len(rowids), CHUNK):
            yield from self.fetch(rowids[start:start + CHUNK], keep=False)

    def window(self, start: int, count: int) -> list[ArticleMeta]:
        start = max(0, start)
        return self.fetch(self.rowids[start:start + max(0, count)])

    def fetch(self, rowids: Sequence[int], *, keep: bool = True) -> list[ArticleMeta]:
        """The metas of ``rowids`` in that order (those still indexed): cached ones
        from the cache, the others in one query per :data:`CHUNK`."""
        cache = self.cache
        out: list[ArticleMeta | None] = [cache.get(r) for r in rowids]
        missing = [r for r, m in zip(rowids, out, strict=True) if m is None]
        if missing:
            found: dict[int, ArticleMeta] = {}
            conn = self._connect()
            for start in range(0, len(missing), CHUNK):
                part = missing[start:start + CHUNK]
                rows = conn.execute(f"{self._with_rowid} WHERE rowid IN ({','.join('?' * len(part))})",
                                    list(part)).fetchall()
                for rowid, meta in zip((r[0] for r in rows), self._make(r[1:] for r in rows), strict=True):
                    found[rowid] = meta
                    if keep:
                        cache.put(rowid, meta)
            out = [m if m is not None else found.get(r) for r, m in zip(rowids, out, strict=True)]
        return [m for m in out if m is not None]

    def by_id(self, article_id: str) -> ArticleMeta | None:
        """The indexed article ``article_id`` (None when not indexed)."""
        meta = self.cache.by_id(article_id)
        if meta is not None:
            return meta
        row = self._connect().execute(f"{self._with_rowid} WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            return None
        meta = self._make([row[1:]])[0]
        self.cache.put(row[0], meta)
        return meta

    def missing(self, ids: Iterable[str]) -> list[str]:
        """Those of ``ids`` that are not indexed, in their order: one query per
        :data:`CHUNK` ids and no meta made (the annotation store asks this of every
        annotated id when the corpus is loaded; 100,000 ``by_id`` took a second)."""
        out: list[str] = []
        conn = self._connect()
        it = iter(ids)
        while part := list(islice(it, CHUNK)):
            among = f"FROM articles WHERE id IN ({','.join('?' * len(part))})"
            if conn.execute(f"SELECT count(*) {among}", part).fetchone()[0] == len(set(part)):
                continue  # (the usual answer: every one indexed, no row read into Python)
            found = {r[0] for r in conn.execute(f"SELECT id {among}", part)}
            out.extend(i for i in part if i not in found)
        return out

    def ids(self) -> Iterator[str]:
        """Every id, in the list's order (a chunk of rows read at a time)."""
        rowids = self.rowids
        conn = self._connect()
        for start in range(0, len(rowids), CHUNK):
            part = rowids[start:start + CHUNK]
            rows = dict(conn.execute(f"SELECT rowid, id FROM articles WHERE rowid IN ({','.join('?' * len(part))})",
                                     list(part)).fetchall())
            yield from (rows[r] for r in part if r in rows)


class IdLookup(Mapping[str, ArticleMeta]):
    """Article id -> meta, answered by the index (what ``{m.id: m for m in
    articles}`` answered, without the dict)."""

    def __init__(self, rows: ArticleRows) -> None:
        self._rows = rows

    def __getitem__(self, article_id: str) -> ArticleMeta:
        meta = self._rows.by_id(article_id) if isinstance(article_id, str) else None
        if meta is None:
            raise KeyError(article_id)
        return meta

    def __contains__(self, article_id: object) -> bool:
        return isinstance(article_id, str) and self._rows.by_id(article_id) is not None

    def __iter__(self) -> Iterator[str]:
        return self._rows.ids()

    def missing(self, ids: Iterable[str]) -> list[str]:
        """Those of ``ids`` with no article (see :meth:`ArticleRows.missing`)."""
        return self._rows.missing(ids)

    def __len__(self) -> int:
        return len(self._rows)

    def values(self) -> Iterator[ArticleMeta]:  # type: ignore[override]
        return iter(self._rows)
