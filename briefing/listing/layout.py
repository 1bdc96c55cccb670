"""The rows and lines of the reader's list, worked out from a listing (issue 20).

:class:`ListLayout` lays a :class:`~briefing.listing.window.Listing` out as the list
shows it: rows (an article, a story standing for its listed versions, or an
expanded story's members) under a heading per day, newest first; a heading is one
line, a row two (one in the compact list, which has no headings), plus one for a
search snippet. Nothing is kept per row but numbers in arrays:

- without stories a row is its listing place (no array at all);
- with stories, ``places`` / ``kinds`` hold each row's place and kind, and
  ``row_of_place`` the row that shows each place (int32 arrays); each story row
  its story's number and its listed members' places, in numpy arrays worked out
  by :mod:`briefing.listing.grouping` (no object per story);
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
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from briefing.listing.grouping import ARTICLE, MEMBER, STORY, expanded_numbers, group_rows, story_numbers
from briefing.listing.window import UNDATED, Listing, as_date

if TYPE_CHECKING:
    from briefing.listing.grouping import StoryAnswers

__all__ = ["ARTICLE", "MEMBER", "STORY", "Heading", "ListLayout", "day_runs"]
_EMPTY: Any = ()  # (replaced by numpy arrays in a grouped layout)
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


def _i(values: Any) -> array[int]:
    """A numpy vector as an ``array('i')`` (int32: places and rows)."""
    out = array("i")
    out.frombytes(values.astype("int32").tobytes())
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
        self.places: array[int] | None = None  # None: row r is place r (int32 each, else)
        self.kinds: array[int] | None = None
        self.row_of_place: array[int] | None = None
        self._answers: StoryAnswers | None = None  # what the stories answer about a story number
        # per story row, in row order (numpy arrays, see grouping.StoryRows)
        self._story_row = self._story_number = self._story_first = self._story_size = _EMPTY
        self._story_members = self._number_sorted = self._story_by_number = _EMPTY
        if stories is None:
            starts, counts, hdays = day_runs(listing.days)
            self.rows = len(listing.days)
        else:
            starts, counts, hdays = self._group(stories, set(expanded))
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

    def _group(self, stories: Any, expanded: set[str]) -> tuple[array[int], array[int], array[int]]:
        """Rows with stories: the story number of every place (a pass over the ids),
        then the rows worked out from those numbers in arrays (:mod:`.grouping`)."""
        import numpy as np

        number, rank, answers = story_numbers(stories, self.listing)
        self._answers = answers
        days = self.listing.days
        day_values = np.frombuffer(days, dtype=np.int64 if days.itemsize == 8 else np.int32) if len(days) else \
            np.empty(0, dtype=np.int64)
        laid = group_rows(number, rank, day_values, expanded_numbers(answers, expanded))
        del number, rank
        self.places, self.kinds, self.row_of_place = _i(laid.places), array("b", laid.kinds.tobytes()), \
            _i(laid.row_of_place)
        self._story_row, self._story_number = laid.row, laid.number
        self._story_first, self._story_size, self._story_members = laid.first, laid.size, laid.members
        order = np.argsort(laid.number, kind="stable")
        self._number_sorted, self._story_by_number = laid.number[order], order
        self.rows = len(self.places)
        starts, counts, hdays = _q(laid.starts), _q(laid.counts), array("l")
        hdays.frombytes(laid.days.astype(np.int64 if hdays.itemsize == 8 else np.int32).tobytes())
        return starts, counts, hdays

    def _story_index(self, row: int) -> int | None:
        """The index (in row order) of the story whose row is ``row``."""
        import numpy as np

        rows = self._story_row
        i = int(np.searchsorted(rows, row))
        return i if i < len(rows) and rows[i] == row else None

    def row_of_story(self, story_id: str) -> int | None:
        """The row of story ``story_id`` (its lead's id): None when it has none here."""
        import numpy as np

        if self._answers is None:
            return None
        number = int(self._answers.number([story_id])[0])
        i = int(np.searchsorted(self._number_sorted, number))
        if number < 0 or i >= len(self._number_sorted) or self._number_sorted[i] != number:
            return None
        return int(self._story_row[self._story_by_number[i]])

    def story_row_numbers(self) -> list[int]:
        """The rows of the stories, in order."""
        return [int(r) for r in self._story_row]

    def _members_of(self, i: int) -> tuple[int, ...]:
        first = int(self._story_first[i])
        return tuple(self._story_members[first:first + int(self._story_size[i])].tolist())

    def toggled(self, story_id: str, expand: bool) -> ListLayout | None:
        """This layout with story ``story_id``'s members shown under its row (``expand``)
        or folded onto it again, made by shifting the arrays (vectorised: milliseconds
        at a million rows) rather than laid out again from the listing; the same as
        a new layout with that story expanded or not (tests compare them). None when
        the story has no row here or already is as asked."""
        import numpy as np

        row = self.row_of_story(story_id)
        if row is None or self.places is None or self.kinds is None or self.row_of_place is None:
            return None
        if (row + 1 < self.rows and self.kinds[row + 1] == MEMBER) == expand:
            return None
        index = self._story_index(row)
        assert index is not None
        order = self._members_of(index)
        k = len(order)
        places = np.frombuffer(self.places, dtype=np.int32)
        kinds = np.frombuffer(self.kinds, dtype=np.int8)
        row_of_place = np.frombuffer(self.row_of_place, dtype=np.int32).copy()
        members = np.asarray(order, dtype=np.int64)
        starts = np.frombuffer(self.starts, dtype=np.int64).copy()
        snips = np.frombuffer(self.snips, dtype=np.int64)
        if expand:
            places = np.concatenate((places[:row + 1], members.astype(np.int32), places[row + 1:]))
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
        out.places, out.kinds, out.row_of_place = _i(places), array("b", kinds.tobytes()), _i(row_of_place)
        out.starts, out.snips = _q(starts), _q(snips)
        out._story_row = np.where(self._story_row > row, self._story_row + shift, self._story_row)
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
        if self.kind(row) == ARTICLE or self._answers is None:
            return None
        index = self._story_index(self.story_row_of(row))
        if index is None:
            return None
        return self._answers.story(int(self._story_number[index])), self._members_of(index)

    def day(self, row: int) -> dt.date | None:
        """The day heading row ``row`` stands under."""
        i = bisect.bisect_right(self.starts, row) - 1
        return as_date(self.hdays[i]) if i >= 0 else None

    def heading_count(self, row: int) -> int:
        i = bisect.bisect_right(self.starts, row) - 1
        return self.counts[i] if i >= 0 else 0

    def key(self, row: int, article_id: str) -> str:
        """The key of row ``row`` whose article is ``article_id``."""
        if self.kind(row) == STORY and self._answers is not None:
            index = self._story_index(row)
            assert index is not None
            return STORY_KEY + self._answers.lead(int(self._story_number[index]))
        return article_id

    def row_of_key(self, key: str) -> int | None:
        if key.startswith(STORY_KEY):
            return self.row_of_story(key[len(STORY_KEY):])
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
