"""The story rows of a listing, as arrays (issue 20).

With stories, the list shows one row per story at the place of its first listed
version (newest first), the versions folded in it; an expanded story's versions
follow its row. :func:`group_rows` works the rows out with numpy, from the story
number and rank (place in story order) of every listed place, without an object
per story or per grouped article: at a million articles that was about 75 MB of
dicts, tuples and ints per layout (two alive while the list lays itself out again).

:class:`StoryAnswers` is what the layout asks of the stories afterwards: the story of
a number, its lead's id, the number of a lead's id. Plain Python and numpy.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from itertools import chain, islice
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # numpy is imported when a grouped list is first laid out, not with the reader
    import numpy as np

    from briefing.listing.window import Listing

ARTICLE, STORY, MEMBER = 0, 1, 2  # kinds of row
GROUP_CHUNK = 65536  # listed ids asked of the stories at once


@dataclass
class StoryAnswers:
    """``story(k)``: story number ``k``; ``lead(k)``: its id (its lead's article id);
    ``number(ids)``: the story number each id is the lead of (-1: none)."""

    story: Callable[[int], Any]
    lead: Callable[[int], str]
    number: Callable[[list[str]], np.ndarray]


def _packed_numbers(stories: Any, ids: list[str]) -> np.ndarray:
    """The number of the story each of ``ids`` leads (-1: it leads none)."""
    import numpy as np

    found = np.asarray(stories.indexes(ids), dtype=np.int64)
    for i in np.flatnonzero(found >= 0).tolist():
        if stories.lead(int(found[i])) != ids[i]:
            found[i] = -1  # a member, not the lead
    return found


def story_numbers(stories: Any, listing: Listing) -> tuple[np.ndarray, np.ndarray, StoryAnswers]:
    """The story number (-1: in none) and rank in story order of each place of
    ``listing``. :class:`briefing.stories.Stories` is asked a chunk of ids at a time
    (``members_at``, numpy work); anything else with ``story_of`` one id at a time,
    its stories numbered as first met."""
    import numpy as np

    n = len(listing)
    number = np.full(n, -1, dtype=np.int32)  # (int32: half the peak of a layout at a million places)
    rank = np.full(n, -1, dtype=np.int32)
    ids = listing.ids(gaps=True)  # places stay aligned when a row left the index meanwhile
    members_at = getattr(stories, "members_at", None)
    if members_at is not None:
        place = 0
        while place < n and (chunk := list(islice(ids, min(GROUP_CHUNK, n - place)))):
            pairs = np.fromiter(chain.from_iterable(members_at(chunk)), dtype=np.int64, count=2 * len(chunk))
            number[place:place + len(chunk)] = pairs[0::2]
            rank[place:place + len(chunk)] = pairs[1::2]
            place += len(chunk)
        return number, rank, StoryAnswers(stories.story, stories.lead, lambda asked: _packed_numbers(stories, asked))
    made: list[Any] = []
    numbers: dict[str, int] = {}
    for place, article_id in enumerate(islice(ids, n)):
        story = stories.story_of(article_id) if article_id else None
        if story is not None:
            k = numbers.setdefault(story.id, len(made))
            if k == len(made):
                made.append(story)
            number[place] = k
            rank[place] = story.members.index(article_id)

    def numbers_of(asked: list[str]) -> np.ndarray:
        return np.array([numbers.get(i, -1) for i in asked], dtype=np.int64)

    return number, rank, StoryAnswers(made.__getitem__, lambda k: made[k].id, numbers_of)


def _before(sizes: np.ndarray) -> np.ndarray:
    """Where each of consecutive runs of ``sizes`` begins."""
    import numpy as np

    out = np.zeros(len(sizes), dtype=np.int64)
    if len(sizes) > 1:
        np.cumsum(sizes[:-1], out=out[1:])
    return out


def _runs(starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """``starts[i] + j`` for each ``j < sizes[i]``, run after run (an index gather)."""
    import numpy as np

    total = int(sizes.sum()) if len(sizes) else 0
    return np.repeat(starts - _before(sizes), sizes) + np.arange(total, dtype=np.int64)


@dataclass
class StoryRows:
    """The rows of a grouped listing. Per row: ``places`` (the place it shows; a
    story row its first member in story order) and ``kinds``; per place:
    ``row_of_place``; the day headings (``starts``: first row, ``counts``, ``days``);
    per story with a row, in row order: ``row``, ``number``, ``first`` / ``size``
    (its listed members' places are ``members[first:first + size]``, in story order)."""

    places: np.ndarray  # int32
    kinds: np.ndarray  # int8
    row_of_place: np.ndarray  # int32
    starts: np.ndarray
    counts: np.ndarray
    days: np.ndarray
    row: np.ndarray  # int64, ascending
    number: np.ndarray  # int64
    first: np.ndarray  # int64
    size: np.ndarray  # int64
    members: np.ndarray  # int32


def group_rows(number: np.ndarray, rank: np.ndarray, days: np.ndarray, expanded: np.ndarray) -> StoryRows:
    """The rows of a listing whose places are in stories ``number`` (-1: none) at
    ``rank``, on ``days``; ``expanded``: the numbers of the stories shown with their
    members. Vectorised: no Python loop over places or stories."""
    import numpy as np

    n = len(number)
    grouped = np.flatnonzero(number >= 0).astype(np.int32)
    order = np.lexsort((rank[grouped], number[grouped]))  # by story, then story order
    by_story = grouped[order]  # the grouped places, story after story
    del grouped, order
    story_of = number[by_story]
    seg_first = np.flatnonzero(np.concatenate(([True], story_of[1:] != story_of[:-1]))) if len(by_story) else \
        np.empty(0, dtype=np.int64)
    seg_size = np.diff(np.append(seg_first, len(by_story))).astype(np.int64)
    seg_number = story_of[seg_first].astype(np.int64)
    del story_of
    seg_anchor = np.minimum.reduceat(by_story, seg_first) if len(seg_first) else np.empty(0, dtype=np.int64)
    seg_open = np.isin(seg_number, expanded)

    is_anchor = number < 0  # a row stands at each ungrouped place and at each story's first
    is_anchor[seg_anchor] = True
    anchors = np.flatnonzero(is_anchor)
    del is_anchor
    seg_here = np.full(n, -1, dtype=np.int32)
    seg_here[seg_anchor] = np.arange(len(seg_anchor))
    anchor_seg = seg_here[anchors].astype(np.int64)
    del seg_here, seg_anchor
    is_story = anchor_seg >= 0
    story_segs = anchor_seg[is_story]  # the stories in row order
    height = np.ones(len(anchors), dtype=np.int64)
    height[is_story] += np.where(seg_open[story_segs], seg_size[story_segs], 0)
    anchor_row = _before(height)
    rows = int(height.sum())

    places = np.empty(rows, dtype=np.int32)
    kinds = np.full(rows, MEMBER, dtype=np.int8)
    shown = anchors.copy()
    shown[is_story] = by_story[seg_first[story_segs]]  # a story row shows its first member in story order
    places[anchor_row] = shown
    kinds[anchor_row] = np.where(is_story, STORY, ARTICLE)
    story_row = anchor_row[is_story]

    row_of_place = np.empty(n, dtype=np.int32)
    row_of_place[anchors[~is_story]] = anchor_row[~is_story]
    seg_row = np.empty(len(seg_first), dtype=np.int64)
    seg_row[story_segs] = story_row
    row_of_place[by_story] = np.repeat(seg_row, seg_size)
    opened = story_segs[seg_open[story_segs]]
    if len(opened):
        member_rows = _runs(seg_row[opened] + 1, seg_size[opened])
        member_places = by_story[_runs(seg_first[opened], seg_size[opened])]
        places[member_rows] = member_places
        row_of_place[member_places] = member_rows

    anchor_day = days[anchors]
    weight = np.ones(len(anchors), dtype=np.int64)
    weight[is_story] = seg_size[story_segs]
    if len(anchors):
        run = np.flatnonzero(np.concatenate(([True], anchor_day[1:] != anchor_day[:-1])))
        starts, counts, hdays = anchor_row[run], np.add.reduceat(weight, run), anchor_day[run]
    else:
        starts = counts = hdays = np.empty(0, dtype=np.int64)

    sizes = seg_size[story_segs]
    members = by_story[_runs(seg_first[story_segs], sizes)].astype(np.int32)
    return StoryRows(places, kinds, row_of_place, starts, counts, hdays, story_row, seg_number[story_segs],
                     _before(sizes), sizes, members)


def expanded_numbers(answers: StoryAnswers, expanded: Collection[str]) -> np.ndarray:
    """The numbers of the stories whose ids are in ``expanded``."""
    import numpy as np

    asked = list(expanded)
    if not asked:
        return np.empty(0, dtype=np.int64)
    found = answers.number(asked)
    return found[found >= 0]
