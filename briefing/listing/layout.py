"""The rows and lines of the reader's list, worked out from a listing (issue 20).

:class:`ListLayout` lays a :class:`~briefing.listing.window.Listing` out as the list
shows it: rows (an article, a story standing for its listed versions, or an
expanded story's members) under a heading per day, newest first; a heading is one
line, a row two (one in the compact list, which has no headings), plus one for a
search snippet. Nothing is kept per row but numbers in arrays:

- without stories a row is its listing place (no array at all);
- with stories, ``places`` / ``kinds`` hold each row's place and kind, and
  ``row_of_place`` the row that shows each place;
- the headings are the rows where a day begins, with the day and its count; the
  rows with a snippet a sorted array; a row's first line is worked out from them
  (two bisections), and a line's row found by bisecting on that.

The same rows and lines as :func:`briefing.tui.stories.story_rows` with
:func:`briefing.tui.widgets.list_layout.lay_out` (tests compare them). Plain Python and numpy.
"""

from __future__ import annotations

import bisect
import copy
import datetime as dt
from array import array
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from itertools import islice
from typing import Any

from briefing.listing.window import UNDATED, Listing, as_date

ARTICLE, STORY, MEMBER = 0, 1, 2  # kinds of row
STORY_KEY = "\x00story:"  # a story row's key prefix (as briefing.tui.stories)


def day_runs(days: array[int]) -> tuple[array[int], array[int], array[int]]:
    """(first place, length, day) of each run of equal days, in arrays (a vectorised
    pass: a few milliseconds at a million places)."""
    import numpy as np  # (here: the reader's start does not wait for it)

    values = np.frombuffer(days, dtype=np.int64) if days.itemsize == 8 else np.asarray(days, dtype=np.int64)
    if not len(values):
        return array("q"), array("q"), array("l")
    firsts = np.concatenate(([0], np.flatnonzero(values[1:] != values[:-1]) + 1)).astype(np.int64)
    lengths = np.diff(np.append(firsts, len(values))).astype(np.int64)
    starts, counts, hdays = array("q"), array("q"), array("l")
    starts.frombytes(firsts.tobytes())
    counts.frombytes(lengths.tobytes())
    hdays.frombytes(values[firsts].astype(np.int64 if hdays.itemsize == 8 else np.int32).tobytes())
    return starts, counts, hdays


def _q(values: Any) -> array[int]:
    """A numpy vector as an ``array('q')``."""
    out = array("q")
    out.frombytes(values.astype("int64").tobytes())
    return out


@dataclass(frozen=True)
class Heading:
    row: int  # the first row under it
    day: dt.date | None
    count: int  # articles it stands over (a story row counts its listed versions)


class ListLayout:
    """The rows and lines of ``listing``; ``stories`` (anything with ``story_of``) groups
    versions into one row; ``expanded``: ids of the stories shown with their members;
    ``snippets``: ids of the articles shown with a snippet line."""

    def __init__(self, listing: Listing, stories: Any = None, expanded: Collection[str] = (),
                 snippets: Collection[str] = (), compact: bool = False) -> None:
        self.listing = listing
        self.stories = stories
        self.compact = compact
        self.per = 1 if compact else 2
        self.places: array[int] | None = None  # None: row r is place r
        self.kinds: array[int] | None = None
        self.row_of_place: array[int] | None = None
        self.story_rows: dict[int, tuple[int, tuple[int, ...]]] = {}  # story row -> (story number, member places)
        self._story_at: Callable[[int], Any] = lambda k: None  # a story number's story
        self.row_of_story: dict[str, int] = {}
        starts, counts, hdays = array("q"), array("q"), array("l")
        if stories is None:
            starts, counts, hdays = day_runs(listing.days)
            self.rows = len(listing.days)
        else:
            self._group(stories, set(expanded), starts, counts, hdays)
        self.starts, self.counts, self.hdays = starts, counts, hdays
        snip = array("q")
        self.snippet_places: frozenset[int] = frozenset()  # the places of the articles with a snippet
        if snippets:
            found: set[int] = set()
            for article_id in snippets:
                at = listing.position(article_id)
                row = self.row_of(at) if at is not None else None
                if at is None or row is None:
                    continue
                found.add(at)
                if self.place(row) == at:  # its own row, or the story row showing it
                    snip.append(row)
                if self.kind(row) == MEMBER and self.place(story := self.story_row_of(row)) == at:
                    snip.append(story)  # an expanded story's row shows it too
            snip = array("q", sorted(set(snip)))
            self.snippet_places = frozenset(found)
        self.snips = snip

    def _group(self, stories: Any, expanded: set[str], starts: array[int], counts: array[int],
               hdays: array[int]) -> None:
        """Rows with stories: one pass over the ids to find each story's listed
        members, one over the places to lay the rows out."""
        listing = self.listing
        at, members, story_at = _grouped(stories, listing)
        self._story_at = story_at
        lead_of = getattr(stories, "lead", None) or (lambda k: story_at(k).id)
        places, kinds = array("q"), array("b")
        row_of_place = array("q", bytes(8 * len(listing)))
        days = listing.days
        previous = None
        for place in range(len(listing)):
            k = at.get(place)
            top_row = len(places)
            if k is None:
                weight = 1
                row_of_place[place] = len(places)
                places.append(place)
                kinds.append(ARTICLE)
            else:
                listed = members.pop(k, None)
                if listed is None:
                    continue  # its story's row is already out
                order = tuple(p for _, p in sorted(listed))
                weight = len(order)
                row = len(places)
                lead = lead_of(k)
                self.story_rows[row] = (k, order)
                self.row_of_story[lead] = row
                places.append(order[0])
                kinds.append(STORY)
                for member in order:
                    row_of_place[member] = row
                if lead in expanded:
                    for member in order:
                        row_of_place[member] = len(places)
                        places.append(member)
                        kinds.append(MEMBER)
            day = days[place]
            if day != previous:
                starts.append(top_row)
                counts.append(0)
                hdays.append(day)
                previous = day
            counts[-1] += weight
        self.places, self.kinds, self.row_of_place = places, kinds, row_of_place
        self.rows = len(places)

    def toggled(self, story_id: str, expand: bool) -> ListLayout | None:
        """This layout with story ``story_id``'s members shown under its row (``expand``)
        or folded onto it again, made by shifting the arrays (vectorised: milliseconds
        at a million rows) rather than laid out again from the listing; the same as
        a new layout with that story expanded or not (tests compare them). None when
        the story has no row here or already is as asked."""
        import numpy as np

        row = self.row_of_story.get(story_id)
        if row is None or self.places is None or self.kinds is None or self.row_of_place is None:
            return None
        _k, order = self.story_rows[row]
        if (row + 1 < self.rows and self.kinds[row + 1] == MEMBER) == expand:
            return None
        k = len(order)
        places = np.frombuffer(self.places, dtype=np.int64)
        kinds = np.frombuffer(self.kinds, dtype=np.int8)
        row_of_place = np.frombuffer(self.row_of_place, dtype=np.int64).copy()
        members = np.asarray(order, dtype=np.int64)
        starts = np.frombuffer(self.starts, dtype=np.int64).copy()
        snips = np.frombuffer(self.snips, dtype=np.int64)
        if expand:
            places = np.concatenate((places[:row + 1], members, places[row + 1:]))
            kinds = np.concatenate((kinds[:row + 1], np.full(k, MEMBER, dtype=np.int8), kinds[row + 1:]))
            row_of_place[row_of_place > row] += k
            row_of_place[members] = np.arange(row + 1, row + 1 + k)
            shown = [row + 1 + i for i, place in enumerate(order) if place in self.snippet_places]
            snips = np.union1d(np.where(snips > row, snips + k, snips), np.asarray(shown, dtype=np.int64))
            shift = k
        else:
            places = np.concatenate((places[:row + 1], places[row + 1 + k:]))
            kinds = np.concatenate((kinds[:row + 1], kinds[row + 1 + k:]))
            row_of_place[members] = row
            row_of_place[row_of_place > row + k] -= k
            snips = snips[(snips <= row) | (snips > row + k)]
            snips = np.where(snips > row, snips - k, snips)
            shift = -k
        starts[starts > row] += shift
        out = copy.copy(self)
        out.places, out.kinds, out.row_of_place = _q(places), array("b", kinds.tobytes()), _q(row_of_place)
        out.starts, out.snips = _q(starts), _q(snips)
        out.story_rows = {(r + shift if r > row else r): v for r, v in self.story_rows.items()}
        out.row_of_story = {i: (r + shift if r > row else r) for i, r in self.row_of_story.items()}
        out.rows = len(places)
        return out

    # -- rows -------------------------------------------------------------------------------

    def place(self, row: int) -> int:
        return self.places[row] if self.places is not None else row

    def kind(self, row: int) -> int:
        return self.kinds[row] if self.kinds is not None else ARTICLE

    def row_of(self, place: int) -> int | None:
        """The row showing ``place``: its own, or its story's when folded in one."""
        if not 0 <= place < len(self.listing):
            return None
        return self.row_of_place[place] if self.row_of_place is not None else place

    def story_row_of(self, row: int) -> int:
        """The story row a member row belongs to (the row itself otherwise)."""
        while row > 0 and self.kind(row) == MEMBER:
            row -= 1
        return row

    def story(self, row: int) -> tuple[Any, tuple[int, ...]] | None:
        """(story, listed member places in story order) of a story or member row."""
        if self.kind(row) == ARTICLE:
            return None
        found = self.story_rows.get(self.story_row_of(row))
        return (self._story_at(found[0]), found[1]) if found is not None else None

    def day(self, row: int) -> dt.date | None:
        """The day heading row ``row`` stands under."""
        i = bisect.bisect_right(self.starts, row) - 1
        return as_date(self.hdays[i]) if i >= 0 else None

    def heading_count(self, row: int) -> int:
        i = bisect.bisect_right(self.starts, row) - 1
        return self.counts[i] if i >= 0 else 0

    def key(self, row: int, article_id: str) -> str:
        """The key of row ``row`` whose article is ``article_id``."""
        if self.kind(row) == STORY:
            return STORY_KEY + str(self._story_at(self.story_rows[row][0]).id)
        return article_id

    def row_of_key(self, key: str) -> int | None:
        if key.startswith(STORY_KEY):
            return self.row_of_story.get(key[len(STORY_KEY):])
        place = self.listing.position(key)
        if place is None:
            return None
        row = self.row_of(place)
        if row is None or self.place(row) != place or self.kind(row) == STORY:
            return None  # folded in a story row (the key is the story's)
        return row

    def row_for_article(self, article_id: str) -> int | None:
        """The row showing ``article_id``: its own, else its story's."""
        place = self.listing.position(article_id)
        return self.row_of(place) if place is not None else None

    # -- lines ------------------------------------------------------------------------------

    def _headings_to(self, row: int) -> int:
        """Headings at or above row ``row`` (those of the days begun by then)."""
        return 0 if self.compact else bisect.bisect_right(self.starts, row)

    def top(self, row: int) -> int:
        """The first line of row ``row`` (``rows``: the line after the last)."""
        return self.per * row + self._headings_to(row) + bisect.bisect_left(self.snips, row)

    def height_of(self, row: int) -> int:
        i = bisect.bisect_left(self.snips, row)
        return self.per + (1 if i < len(self.snips) and self.snips[i] == row else 0)

    @property
    def height(self) -> int:
        return self.top(self.rows)

    def heading_above(self, row: int) -> bool:
        """A day heading stands right above row ``row``."""
        if self.compact:
            return False
        i = bisect.bisect_left(self.starts, row)
        return i < len(self.starts) and self.starts[i] == row

    def at_line(self, line: int) -> tuple[int, int] | None:
        """(row, line within it; -1 for its day heading) of ``line``; None past the end."""
        if line < 0 or self.rows == 0 or line >= self.height:
            return None
        lo, hi = 0, self.rows - 1  # the last row whose first line (its heading's) is <= line
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.top(mid) - (1 if self.heading_above(mid) else 0) <= line:
                lo = mid
            else:
                hi = mid - 1
        offset = line - self.top(lo)
        return lo, offset if offset >= 0 else -1

    def headings(self) -> Iterable[Heading]:
        for start, count, day in zip(self.starts, self.counts, self.hdays, strict=True):
            yield Heading(start, as_date(day) if day != UNDATED else None, count)


GROUP_CHUNK = 65536  # listed ids asked of the stories at once


def _grouped(stories: Any, listing: Listing) -> tuple[dict[int, int], dict[int, list[tuple[int, int]]], Callable[[int], Any]]:
    """The grouped places of ``listing``: ``at`` (place -> story number), ``members``
    (story number -> its listed ``(rank in story order, place)``) and the story of a
    number. :class:`briefing.stories.Stories` is asked a chunk of ids at a time
    (``members_at``, numpy work); anything else with ``story_of`` one id at a time."""
    at: dict[int, int] = {}
    members: dict[int, list[tuple[int, int]]] = {}
    members_at = getattr(stories, "members_at", None)
    if members_at is not None:
        place = 0
        ids = listing.ids(gaps=True)  # places stay aligned when a row left the index meanwhile
        while chunk := list(islice(ids, GROUP_CHUNK)):
            for j, (k, rank) in enumerate(members_at(chunk)):
                if k >= 0:
                    at[place + j] = k
                    members.setdefault(k, []).append((rank, place + j))
            place += len(chunk)
        return at, members, stories.story
    made: list[Any] = []
    number: dict[str, int] = {}
    for place, article_id in enumerate(listing.ids(gaps=True)):
        story = stories.story_of(article_id) if article_id else None
        if story is not None:
            k = number.setdefault(story.id, len(made))
            if k == len(made):
                made.append(story)
            at[place] = k
            members.setdefault(k, []).append((story.members.index(article_id), place))
    return at, members, made.__getitem__
