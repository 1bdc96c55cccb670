"""What the reader's list shows, without an object per listed article (issue 20).

A *listing* is the list's articles in order (the analyst's dates and titles in,
dismissed hidden, a filter or a search applied) with the day each stands under:

- :class:`WindowedListing` reads an indexed corpus: the order is an ``array('q')``
  of index rowids and the days an ``array('l')`` of date ordinals (12 bytes an
  article), made by one pass over the index in the list's order (the
  ``articles_order`` index); the metas of the rows on screen are read by rowid
  through the corpus's small cache (:class:`briefing.index.rows.ArticleRows`);
- :class:`MetaListing` wraps a list of metas already in memory (a small corpus, the
  first page shown while the index refreshes).

Both list exactly what :func:`briefing.tui.state.listed_metas` lists (tests compare
them with hypothesis). :class:`briefing.listing.layout.ListLayout` lays a listing
out in rows and lines. Plain Python over SQLite: no Textual.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
from array import array
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Protocol, overload

from briefing.annotations import filter_articles
from briefing.annotations.filter import Filter
from briefing.model import ArticleMeta
from briefing.sanitize import clean_line

if TYPE_CHECKING:
    import sqlite3

    from briefing.annotations import AnnotationStore
    from briefing.index.indexed import IndexedCorpus

CHUNK = 2048  # rows read (and, with a filter, made into light metas) at a time
NARROW_MAX = 60_000  # a search with at most this many hits reads their rows by id, not every row (at a
# million articles, load 5: 27,000 hits in 0.13 s; 183,000 in 0.75 s against 0.86 s for the scan: about even)
UNDATED = 0  # the day ordinal of an undated article (real ordinals start at 1)
BISECT_ABOVE = 256  # places of one day above which a place is found by bisection, not a scan


class ListingStopped(Exception):
    """A listing's making was stopped (``should_stop``): a newer list was asked for."""


def _never() -> bool:
    return False


class Listing(Protocol):
    """The list's articles, in order, read a window at a time."""

    days: array[int]  # the day ordinal of each place (UNDATED: none)

    def __len__(self) -> int: ...

    def window(self, start: int, count: int) -> list[ArticleMeta]: ...

    def meta(self, place: int) -> ArticleMeta | None: ...

    def metas(self, places: Sequence[int]) -> list[ArticleMeta]: ...

    def position(self, article_id: str) -> int | None: ...

    def ids(self, start: int = 0, stop: int | None = None, *, gaps: bool = False) -> Iterator[str]:
        """The ids of places ``start`` to ``stop - 1``; a row gone from the index since
        the listing was made is left out, or given as "" with ``gaps`` (the place of
        every later id then stays its place)."""
        ...


def filtering(flt: Filter) -> bool:
    return bool(flt.tags or flt.statuses or flt.since or flt.until or flt.show_dismissed
                or flt.watchlist_ids is not None)


def shown(meta: ArticleMeta, store: AnnotationStore | None) -> ArticleMeta:
    """``meta`` as the list shows it: the analyst's title and date (the file's tags)."""
    if store is None:
        return meta
    title, date = store.corrections(meta.id)
    if title is None and date is None:
        return meta
    return replace(meta, title=clean_line(title) if title is not None else meta.title,
                   title_derived=meta.title_derived and title is None, date=date or meta.date)


def _key(day: int, article_id: str) -> tuple[bool, int, str]:
    """The list's order: newest first, undated last, then id (``effective_sort_key``)."""
    return (day == UNDATED, -day, article_id)


class _DayKeys(Sequence[int]):
    """A listing's days as ascending keys for :mod:`bisect` (newest first, undated last)."""

    def __init__(self, days: array[int]) -> None:
        self._days = days

    def __len__(self) -> int:
        return len(self._days)

    @overload
    def __getitem__(self, index: int) -> int: ...

    @overload
    def __getitem__(self, index: slice) -> list[int]: ...

    def __getitem__(self, index: int | slice) -> int | list[int]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        day = self._days[index]
        return 1 if day == UNDATED else -day


def day_span(days: array[int], day: int) -> tuple[int, int]:
    """The places ``(start, stop)`` of ``day`` in a listing's days (in list order)."""
    keys = _DayKeys(days)
    key = 1 if day == UNDATED else -day
    return bisect.bisect_left(keys, key), bisect.bisect_right(keys, key)


def as_date(ordinal: int) -> dt.date | None:
    return dt.date.fromordinal(ordinal) if ordinal != UNDATED else None


class MetaListing:
    """A listing over metas already in memory (already in list order)."""

    def __init__(self, metas: Sequence[ArticleMeta]) -> None:
        self._metas = metas
        self.days = array("l", (m.date.toordinal() if m.date is not None else UNDATED for m in metas))
        self._places: dict[str, int] | None = None

    def __len__(self) -> int:
        return len(self._metas)

    def window(self, start: int, count: int) -> list[ArticleMeta]:
        start = max(0, start)
        return list(self._metas[start:start + max(0, count)])

    def meta(self, place: int) -> ArticleMeta | None:
        return self._metas[place] if 0 <= place < len(self._metas) else None

    def metas(self, places: Sequence[int]) -> list[ArticleMeta]:
        """The metas at ``places``, in that order."""
        return [self._metas[p] for p in places if 0 <= p < len(self._metas)]

    def position(self, article_id: str) -> int | None:
        if self._places is None:
            self._places = {m.id: i for i, m in enumerate(self._metas)}
        return self._places.get(article_id)

    def ids(self, start: int = 0, stop: int | None = None, *, gaps: bool = False) -> Iterator[str]:
        for meta in self._metas[start:stop]:
            yield meta.id


class WindowedListing:
    """The list of an indexed ``corpus`` as ``store`` and ``flt`` shape it, narrowed to
    ``ids`` when given (a search's hits). Built in one pass over the index (about a
    second at a million articles); keep it until the corpus, the annotations, the
    filter or the search change. ``should_stop`` is asked between chunks: when it
    says so the making ends with :class:`ListingStopped` (a list typed over since)."""

    def __init__(self, corpus: IndexedCorpus, store: AnnotationStore | None = None, flt: Filter | None = None,
                 ids: Collection[str] | None = None, should_stop: Callable[[], bool] = _never) -> None:
        self._corpus = corpus
        self._store = store
        self._filter = flt or Filter()
        self._should_stop = should_stop
        self.rowids = array("q")
        self.days = array("l")
        self._build(ids)
        self._should_stop = _never  # (not kept past the making)

    def _check(self) -> None:
        if self._should_stop():
            raise ListingStopped

    # -- building -----------------------------------------------------------------------

    def _build(self, ids: Collection[str] | None) -> None:
        store, flt = self._store, self._filter
        wanted = ids if ids is None or isinstance(ids, (set, frozenset, dict)) else set(ids)
        conn = self._corpus._conn()
        rowids, days = self.rowids, self.days
        is_filtering = store is not None and filtering(flt)
        apart: set[str] = set()  # re-dated (merged back at their place) or dismissed (left out)
        if store is not None:
            apart |= store.ids_with("date")
            if not is_filtering:
                apart |= store.ids_with("dismissed")
        only = flt.watchlist_ids if is_filtering else None

        def keep(rows: list[tuple[int, str, int | None, str]]) -> list[tuple[int, str, int | None, str]]:
            if wanted is not None:
                rows = [r for r in rows if r[1] in wanted]
            if only is not None:
                rows = [r for r in rows if r[1] in only]
            if not is_filtering or not rows:
                return rows
            assert store is not None
            light = [ArticleMeta(r[1], "", "", False, dt.date.fromordinal(r[2]) if r[2] else None, None, None,
                                 tuple(r[3].split("\n")) if r[3] else (), "", 0) for r in rows]
            taken = {m.id for m in filter_articles(light, store, tag=list(flt.tags) or None, status=flt.statuses,
                                                   since=flt.since, until=flt.until,
                                                   show_dismissed=flt.show_dismissed)}
            return [r for r in rows if r[1] in taken]

        moved: list[tuple[tuple[bool, int, str], int, int]] = []  # (key, rowid, day) of the re-dated
        if apart:
            assert store is not None
            dismissed = store.ids_with("dismissed") if not is_filtering else frozenset()
            chosen = [i for i in apart if i not in dismissed]
            for start in range(0, len(chosen), 500):
                self._check()
                part = chosen[start:start + 500]
                found = conn.execute(f"SELECT rowid, id, date, tags FROM articles WHERE id IN "
                                     f"({','.join('?' * len(part))})", part).fetchall()
                for rowid, article_id, date, _tags in keep(found):
                    corrected = store.corrections(article_id)[1]
                    day = corrected.toordinal() if corrected is not None else date or UNDATED
                    moved.append((_key(day, article_id), rowid, day))
            moved.sort()
        tags = "tags" if is_filtering and flt.tags else "''"  # only a tag filter reads the table's pages
        if wanted is not None and len(wanted) <= NARROW_MAX:
            self._build_hits(conn, wanted, apart, tags, keep, moved)
            return
        if wanted is None and not is_filtering and not apart:  # the order index alone
            cursor = conn.execute("SELECT rowid, date FROM articles ORDER BY date DESC, id")
            while chunk := cursor.fetchmany(CHUNK * 4):
                self._check()
                rowids.extend(r[0] for r in chunk)
                days.extend(r[1] or UNDATED for r in chunk)
            return
        cursor = conn.execute(f"SELECT rowid, id, date, {tags} FROM articles ORDER BY date DESC, id")
        self._take(cursor, apart, keep, moved)

    def _take(self, cursor: sqlite3.Cursor, apart: Collection[str],
              keep: Callable[[list[tuple[int, str, int | None, str]]], list[tuple[int, str, int | None, str]]],
              moved: list[tuple[tuple[bool, int, str], int, int]]) -> None:
        """The rows of ``cursor`` (in the list's order) that ``keep`` keeps, those
        ``apart`` left out, the re-dated (``moved``, sorted) merged in at their place."""
        rowids, days = self.rowids, self.days
        at = 0
        while chunk := cursor.fetchmany(CHUNK):
            self._check()
            if apart:
                chunk = [r for r in chunk if r[1] not in apart]
            for rowid, article_id, date, _tags in keep(chunk):
                day = date or UNDATED
                if at < len(moved):
                    key = _key(day, article_id)
                    while at < len(moved) and moved[at][0] < key:
                        rowids.append(moved[at][1])
                        days.append(moved[at][2])
                        at += 1
                rowids.append(rowid)
                days.append(day)
        for _sort, rowid, day in moved[at:]:
            rowids.append(rowid)
            days.append(day)

    def _build_hits(self, conn: sqlite3.Connection, wanted: Collection[str], apart: set[str], tags: str,
                    keep: Callable[[list[tuple[int, str, int | None, str]]], list[tuple[int, str, int | None, str]]],
                    moved: list[tuple[tuple[bool, int, str], int, int]]) -> None:
        """The rows of a search's hits, read by id (a scan of every row takes seconds at
        a million articles; 27,000 hits are read in a tenth of one: one statement, the
        ids given as one JSON array, ordered by SQLite), in the list's order
        (:func:`_key`: the order index's, ids compared as UTF-8 bytes, which is their
        code points' order), the re-dated (``moved``) at their corrected day."""
        chosen = [i for i in wanted if i not in apart]
        cursor = conn.execute(f"SELECT rowid, id, date, {tags} FROM articles WHERE id IN "
                              f"(SELECT value FROM json_each(?)) ORDER BY date DESC, id",
                              (json.dumps(chosen, ensure_ascii=False),))
        self._take(cursor, (), keep, moved)

    # -- reading --------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.rowids)

    def _fetch(self, rowids: Sequence[int]) -> list[ArticleMeta]:
        rows = self._corpus.articles
        fetch = getattr(rows, "fetch", None)
        if fetch is None:  # (a corpus holding its metas: not one made by the index)
            raise TypeError("WindowedListing needs an IndexedCorpus read from its index")
        store = self._store
        return [shown(m, store) for m in fetch(rowids)]

    def window(self, start: int, count: int) -> list[ArticleMeta]:
        """The articles at places ``start`` to ``start + count - 1`` (those still indexed)."""
        start = max(0, start)
        return self._fetch(self.rowids[start:start + max(0, count)])

    def meta(self, place: int) -> ArticleMeta | None:
        if not 0 <= place < len(self.rowids):
            return None
        found = self._fetch([self.rowids[place]])
        return found[0] if found else None

    def metas(self, places: Sequence[int]) -> list[ArticleMeta]:
        """The metas at ``places`` (scattered ones too: a story's members), in that
        order, in one query (those still indexed)."""
        rowids = self.rowids
        return self._fetch([rowids[p] for p in places if 0 <= p < len(rowids)])

    def position(self, article_id: str) -> int | None:
        """The place of ``article_id`` (None when not listed): its row, then a search
        among the places of its day only."""
        row = self._corpus._conn().execute("SELECT rowid, date FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            return None
        corrected = self._store.corrections(article_id)[1] if self._store is not None else None
        day = corrected.toordinal() if corrected is not None else row[1] or UNDATED
        first, stop = day_span(self.days, day)
        rowids, target = self.rowids, row[0]
        if stop - first > BISECT_ABOVE:  # a day's places are in id order: a bisection reading ids
            conn = self._corpus._conn()
            lo, hi = first, stop
            while lo < hi:
                mid = (lo + hi) // 2
                found = conn.execute("SELECT id FROM articles WHERE rowid = ?", (rowids[mid],)).fetchone()
                if found is None:  # (removed from the index since the listing was made)
                    break
                if found[0] < article_id:
                    lo = mid + 1
                else:
                    hi = mid
            else:
                return lo if lo < stop and rowids[lo] == target else None
        try:
            return rowids.index(target, first, stop)
        except ValueError:
            return None

    def ids(self, start: int = 0, stop: int | None = None, *, gaps: bool = False) -> Iterator[str]:
        """The ids of places ``start`` to ``stop - 1``, a chunk read at a time (a row
        gone from the index since: left out, or "" with ``gaps``)."""
        stop = len(self.rowids) if stop is None else min(stop, len(self.rowids))
        conn = self._corpus._conn()
        for first in range(max(0, start), stop, CHUNK):
            part = self.rowids[first:min(stop, first + CHUNK)]
            found = dict(conn.execute(f"SELECT rowid, id FROM articles WHERE rowid IN ({','.join('?' * len(part))})",
                                      list(part)).fetchall())
            if gaps:
                yield from (found.get(r, "") for r in part)
            else:
                yield from (found[r] for r in part if r in found)


def make_listing(corpus: object, metas_of: object, store: AnnotationStore | None, flt: Filter,
                 ids: Collection[str] | None = None, should_stop: Callable[[], bool] = _never) -> Listing:
    """The listing of ``corpus``: windowed over its index when it reads its articles
    from one, else over ``metas_of()`` (the listed metas, already in order), narrowed
    to ``ids`` when given (``should_stop``: as :class:`WindowedListing`)."""
    from briefing.listing.stream import reads_from_index

    if reads_from_index(corpus):
        return WindowedListing(corpus, store, flt, ids, should_stop)  # type: ignore[arg-type]
    assert callable(metas_of)
    metas: Sequence[ArticleMeta] = metas_of()
    if ids is not None:
        metas = [m for m in metas if m.id in ids]
    return MetaListing(metas)
