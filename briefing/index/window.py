"""The article list read from the index a window at a time (issue 20).

:class:`WindowedListing` is what the reader's list shows (the order, the day
headings, a filter, a search) without holding every article in Python objects: the
listing order is an ``array('q')`` of index rowids (8 bytes an article) and the day
of each place an ``array('l')`` of date ordinals (0: undated), made by one query in
the list's order (``ORDER BY date DESC, id``: the ``articles_order`` index); the
articles of the rows on screen are read by rowid (:meth:`WindowedListing.window`)
through a small cache.

It lists exactly what :func:`briefing.tui.state.listed_metas` lists from a full
snapshot (tests/index/test_window.py checks it with hypothesis): newest first,
undated last, ties by id; the analyst's date corrections moved to their place (they
are few: merged into the stream), dismissed articles hidden unless the filter shows
them; a filter applied with :func:`briefing.annotations.filter_articles` itself, on
chunks of rows made into :class:`ArticleMeta` and dropped again (its semantics,
without a second copy of them); a search as the set of ids it found.

Plain Python over SQLite: no Textual.
"""

from __future__ import annotations

import bisect
import datetime as dt
import sqlite3
from array import array
from collections import OrderedDict
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, overload

from briefing.annotations import filter_articles
from briefing.annotations.filter import Filter
from briefing.model import ArticleMeta

if TYPE_CHECKING:
    from briefing.annotations import AnnotationStore
    from briefing.index.indexed import IndexedCorpus

CHUNK = 2048  # rows read (and, with a filter, made into ArticleMeta) at a time
META_CACHE = 2048  # articles kept by rowid (a few screens either side of the cursor)
UNDATED = 0  # the day of an undated place (date ordinals start at 1)

_ROW_SQL = "SELECT rowid, id, path, title, title_derived, date, author, source, tags, fingerprint, words, warnings, url FROM articles"


@dataclass(frozen=True)
class DayHeading:
    """A day heading inside a window: it stands over places ``start`` to ``stop - 1``
    of the listing (``stop - start`` articles); ``day`` None for the undated."""

    start: int
    stop: int
    day: dt.date | None

    @property
    def count(self) -> int:
        return self.stop - self.start


def _filtering(flt: Filter) -> bool:
    return bool(flt.tags or flt.statuses or flt.since or flt.until or flt.show_dismissed
                or flt.watchlist_ids is not None)


def _sort_key(day: int, article_id: str) -> tuple[bool, int, str]:
    """The list's order (as ``effective_sort_key``): newest first, undated last, then id."""
    return (day == UNDATED, -day, article_id)


class WindowedListing(Sequence[ArticleMeta]):
    """The list of ``corpus`` as ``store`` and ``flt`` shape it, narrowed to the
    articles ``ids`` when given (a search's hits), read from the index by window.

    A read-only :class:`Sequence` of :class:`ArticleMeta` (the analyst's title and
    date in, as the list shows them): ``len``, indexing, slicing and iteration read
    the rows they need (iteration a chunk at a time). Built in one pass over the
    index: run it in a worker for a big corpus, then keep it until the annotations,
    the filter, the search or the corpus change.
    """

    def __init__(self, corpus: IndexedCorpus, store: AnnotationStore | None = None, flt: Filter | None = None,
                 ids: Collection[str] | None = None) -> None:
        self._corpus = corpus
        self._store = store
        self._filter = flt or Filter()
        self._rowids = array("q")
        self._days = array("l")  # date ordinal of each place, UNDATED for none
        self._cache: OrderedDict[int, ArticleMeta] = OrderedDict()
        self._build(ids)

    # -- building --------------------------------------------------------------------

    def _build(self, ids: Collection[str] | None) -> None:
        """One pass over the index in the list's order (``articles_order``). The
        articles whose date the analyst corrected (few) are set apart and merged back
        at their place; without a filter the dismissed ones are left out; with one,
        each chunk goes through ``filter_articles`` as light :class:`ArticleMeta`
        (id, date and tags: all it reads) and is dropped again."""
        store, flt = self._store, self._filter
        wanted = ids if ids is None or isinstance(ids, (set, frozenset, dict)) else set(ids)
        conn = self._corpus.connection()
        rowids, days = self._rowids, self._days
        if store is None and wanted is None:
            for rowid, date in conn.execute("SELECT rowid, date FROM articles ORDER BY date DESC, id"):
                rowids.append(rowid)
                days.append(date or UNDATED)
            return
        filtering = store is not None and _filtering(flt)
        only = flt.watchlist_ids if filtering else None

        def keep(rows: list[tuple[int, str, int | None, str]]) -> list[tuple[int, str, int | None, str]]:
            """The rows (rowid, id, date, tags) the search, the watchlist and the filter take."""
            if wanted is not None:
                rows = [r for r in rows if r[1] in wanted]
            if only is not None:
                rows = [r for r in rows if r[1] in only]
            if not filtering or not rows:
                return rows
            assert store is not None
            light = [ArticleMeta(r[1], "", "", False, dt.date.fromordinal(r[2]) if r[2] else None, None, None,
                                 tuple(r[3].split("\n")) if r[3] else (), "", 0) for r in rows]
            taken = {m.id for m in filter_articles(light, store, tag=list(flt.tags) or None, status=flt.statuses,
                                                   since=flt.since, until=flt.until, show_dismissed=flt.show_dismissed)}
            return [r for r in rows if r[1] in taken]

        moved: list[tuple[tuple[bool, int, str], int, int]] = []  # (key, rowid, day), in list order
        apart: set[str] = set()
        if store is not None:
            for article_id, notes in store.document.articles.items():
                if notes.date is not None or (notes.dismissed and not filtering):
                    apart.add(article_id)
        if apart:
            assert store is not None  # only the annotations set articles apart
            for rowid, article_id, date, _tags in keep(list(self._rows_of(conn, apart))):
                notes = store.get(article_id)
                if notes.dismissed and not filtering:
                    continue
                day = notes.date.toordinal() if notes.date is not None else date or UNDATED
                moved.append((_sort_key(day, article_id), rowid, day))
            moved.sort()
        at = 0
        # Only a tag filter reads the rows' tags: else the order index alone answers (no table page read).
        tags = "tags" if filtering and flt.tags else "''"
        cursor = conn.execute(f"SELECT rowid, id, date, {tags} FROM articles ORDER BY date DESC, id")
        while True:
            chunk = cursor.fetchmany(CHUNK)
            if not chunk:
                break
            if apart:
                chunk = [r for r in chunk if r[1] not in apart]
            for rowid, article_id, date, _tags in keep(chunk):
                day = date or UNDATED
                if at < len(moved):
                    key = _sort_key(day, article_id)
                    while at < len(moved) and moved[at][0] < key:
                        rowids.append(moved[at][1])
                        days.append(moved[at][2])
                        at += 1
                rowids.append(rowid)
                days.append(day)
        for _key, rowid, day in moved[at:]:
            rowids.append(rowid)
            days.append(day)

    def _rows_of(self, conn: sqlite3.Connection, ids: Collection[str]) -> Iterator[tuple[int, str, int | None, str]]:
        """(rowid, id, date, tags) of the indexed articles among ``ids``."""
        chosen = list(ids)
        for start in range(0, len(chosen), 500):
            part = chosen[start:start + 500]
            marks = ",".join("?" * len(part))
            yield from conn.execute(f"SELECT rowid, id, date, tags FROM articles WHERE id IN ({marks})", part)

    # -- the sequence ------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._rowids)

    @overload
    def __getitem__(self, index: int) -> ArticleMeta: ...

    @overload
    def __getitem__(self, index: slice) -> list[ArticleMeta]: ...

    def __getitem__(self, index: int | slice) -> ArticleMeta | list[ArticleMeta]:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step != 1:
                return [self[i] for i in range(start, stop, step)]
            return self.window(start, stop - start)
        if index < 0:
            index += len(self)
        meta = self.at(index)
        if meta is None:
            raise IndexError("listing index out of range" if not 0 <= index < len(self)
                             else "article removed from the index since the listing was built")
        return meta

    def __iter__(self) -> Iterator[ArticleMeta]:
        for start in range(0, len(self), CHUNK):
            yield from self._fetch(self._rowids[start:start + CHUNK], keep=False)

    def window(self, start: int, count: int) -> list[ArticleMeta]:
        """The articles at places ``start`` to ``start + count - 1`` (fewer at the end).

        The listing is the index as it was when built: rebuild it after a refresh. An
        article removed from the index since is left out of the window."""
        start = max(0, start)
        return self._fetch(self._rowids[start:start + max(0, count)], keep=True)

    def at(self, place: int, around: int = 0) -> ArticleMeta | None:
        """The article at ``place`` (None outside the listing, or removed from the
        index since it was built), reading ``around`` places either side with it in
        the same query when it is not cached (a screen's rows: one query)."""
        if not 0 <= place < len(self._rowids):
            return None
        rowid = self._rowids[place]
        meta = self._cache.get(rowid)
        if meta is None:
            self.window(place - around, 2 * around + 1)
            meta = self._cache.get(rowid)
        else:
            self._cache.move_to_end(rowid)
        return meta

    def _fetch(self, rowids: Sequence[int], *, keep: bool) -> list[ArticleMeta]:
        """The articles of ``rowids`` in that order: from the cache, else one query."""
        from briefing.index.indexed import _metas

        cache = self._cache
        missing = [r for r in rowids if r not in cache]
        found: dict[int, ArticleMeta] = {}
        for start in range(0, len(missing), 500):
            part = missing[start:start + 500]
            rows = self._corpus.connection().execute(
                f"{_ROW_SQL} WHERE rowid IN ({','.join('?' * len(part))})", part).fetchall()
            for rowid, meta in zip((r[0] for r in rows), _metas(r[1:] for r in rows), strict=True):
                found[rowid] = self._shown(meta)
        out = []
        for rowid in rowids:
            fresh = found.get(rowid)
            if fresh is None:
                cached = cache.get(rowid)
                if cached is not None:  # else removed from the index since the listing was built
                    out.append(cached)
                    cache.move_to_end(rowid)
                continue
            if keep:
                cache[rowid] = fresh
            out.append(fresh)
        while len(cache) > META_CACHE:
            cache.popitem(last=False)
        return out

    def _shown(self, meta: ArticleMeta) -> ArticleMeta:
        """As the list shows it: the analyst's title and date (the file's tags)."""
        store = self._store
        if store is None:
            return meta
        notes = store.get(meta.id)
        if notes.title is None and notes.date is None:
            return meta
        return replace(store.effective_meta(meta), tags=meta.tags)

    # -- places, ids and days ------------------------------------------------------------

    def rowid(self, index: int) -> int:
        return self._rowids[index]

    def position(self, article_id: str) -> int | None:
        """The place of ``article_id`` in the listing, None when it is not listed."""
        row = self._corpus.connection().execute("SELECT rowid, date FROM articles WHERE id = ?",
                                                (article_id,)).fetchone()
        if row is None:
            return None
        notes = self._store.get(article_id) if self._store is not None else None
        day = notes.date.toordinal() if notes is not None and notes.date is not None else row[1] or UNDATED
        keys = _DayKeys(self._days)  # its day's places, then a search among them only
        key = 1 if day == UNDATED else -day
        first, stop = bisect.bisect_left(keys, key), bisect.bisect_right(keys, key)
        try:
            return self._rowids.index(row[0], first, stop)
        except ValueError:
            return None

    def day(self, index: int) -> dt.date | None:
        """The day heading place ``index`` stands under (None: undated)."""
        ordinal = self._days[index]
        return dt.date.fromordinal(ordinal) if ordinal != UNDATED else None

    def day_span(self, index: int) -> tuple[int, int]:
        """The places ``(start, stop)`` of the day of place ``index`` (its heading's count
        is ``stop - start``): two bisections, the days being in list order."""
        keys = _DayKeys(self._days)
        key = keys[index]
        return bisect.bisect_left(keys, key), bisect.bisect_right(keys, key)

    def headings(self, start: int, stop: int) -> list[DayHeading]:
        """The day headings of the places ``start`` to ``stop - 1``: one per day that
        begins in the window, plus the day the window begins in (its heading may be
        above the window), each with the places (and so the count) it stands over."""
        out: list[DayHeading] = []
        index = max(0, start)
        stop = min(stop, len(self))
        while index < stop:
            first, last = self.day_span(index)
            out.append(DayHeading(first, last, self.day(index)))
            index = last
        return out


class _DayKeys(Sequence[int]):
    """The listing's days as ascending keys, for :mod:`bisect` (newest first, undated last)."""

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


class LineLayout:
    """Where each place of a :class:`WindowedListing` stands in the list's lines,
    worked out, not stored: a day heading is one line, an article two (one in the
    compact list, which has no headings), plus one for a search snippet. The list
    scrolls over :attr:`height` lines and draws only the places :meth:`at_line`
    finds for the lines on screen: memory is the days (one number each) and the
    places with a snippet, whatever the corpus size.

    The same lines as the reader's full layout (``briefing.tui.widgets.list_layout``
    without stories): tests/index/test_window.py compares them.
    """

    def __init__(self, listing: WindowedListing, snippets: Sequence[int] = (), compact: bool = False) -> None:
        self._listing = listing
        self._snippets = sorted(snippets)  # places with a snippet line
        self.compact = compact
        self._per = 1 if compact else 2
        days = listing._days
        starts = array("q")  # the places where a day begins
        previous = None
        for place, day in enumerate(days):
            if day != previous:
                starts.append(place)
                previous = day
        self._starts = starts

    def __len__(self) -> int:
        return len(self._listing)

    def top(self, place: int) -> int:
        """The first line of the article at ``place`` (``len``: the line after the last)."""
        headings = 0 if self.compact else bisect.bisect_right(self._starts, place)  # its own and those above
        return headings + self._per * place + bisect.bisect_left(self._snippets, place)

    def height_of(self, place: int) -> int:
        """The lines of the article at ``place`` (without its day heading)."""
        i = bisect.bisect_left(self._snippets, place)
        return self._per + (1 if i < len(self._snippets) and self._snippets[i] == place else 0)

    @property
    def height(self) -> int:
        return self.top(len(self._listing))

    def heading_line(self, place: int) -> int | None:
        """The line of the day heading above ``place`` when its day begins there (None otherwise)."""
        if self.compact:
            return None
        i = bisect.bisect_left(self._starts, place)
        if i == len(self._starts) or self._starts[i] != place:
            return None
        return self.top(place) - 1

    def at_line(self, line: int) -> tuple[int, bool] | None:
        """The place drawn on ``line`` and whether the line is its day's heading
        (None past the end): a bisection over the places, each top worked out."""
        n = len(self._listing)
        if line < 0 or n == 0 or line >= self.height:
            return None
        lo, hi = 0, n - 1  # the last place whose top is <= line, or the heading just above it
        while lo < hi:
            mid = (lo + hi + 1) // 2
            first = self.top(mid) - (1 if self.heading_line(mid) is not None else 0)
            if first <= line:
                lo = mid
            else:
                hi = mid - 1
        return lo, line < self.top(lo)
