"""The stories a reader holds: every grouped article in a few arrays, no object each.

A grouping of a million articles puts hundreds of thousands of them in stories. A
:class:`Story` (a tuple of member ids and one of scores) per story and a dict from
every grouped article to its story cost about 150 bytes an article in Python
objects; :class:`Stories` keeps instead:

- the members' ids, UTF-8, NUL-separated, in story order with the stories in list
  order (one ``bytes``) and where each ends (int64);
- where each story's members begin (int64, one more than there are stories) and
  each member's score (float64) and story (int32);
- the members' string hashes (``hash(id)`` of this process), sorted, with the member
  each belongs to: ``story_of(id)`` is a bisection and one comparison of the id
  found with the id asked; :meth:`Stories.members_at` (many ids at once, for the
  list's layout) compares hashes only (see ``Stories._members``).

About 35 bytes and the id's own length per grouped article. A :class:`Story` is
made when asked for (the last few hundred are kept), so ``story.members`` is the
same tuple as before. :meth:`Stories.indexes` answers for many ids at once with
numpy work (the list's layout asks for every listed id).
"""

from __future__ import annotations

import bisect
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import overload

import numpy as np

HASH_CHUNK = 65536  # ids decoded and hashed at once
KEEP_STORIES = 512  # Story objects kept once made


@dataclass(frozen=True, slots=True)
class Story:
    """Near-duplicate articles: ``members`` in story order (oldest first, undated
    last, then id); the first is the lead, every other member reached the threshold
    with it. ``scores[k]`` is member k's estimated similarity to the lead (1.0 for
    the lead itself). ``id`` is the lead's article id."""

    id: str
    members: tuple[str, ...]
    scores: tuple[float, ...]

    @property
    def lead(self) -> str:
        return self.members[0]

    @property
    def size(self) -> int:
        return len(self.members)

    def __len__(self) -> int:
        return len(self.members)


@dataclass
class GroupStats:
    """What one grouping did (for a status line or a benchmark)."""

    articles: int = 0
    signed: int = 0  # bodies read and signed now
    reused: int = 0  # signatures read back from the cache
    unreadable: int = 0  # files that could not be read as articles (left out)
    distinct: int = 0  # distinct signatures (copies of one text count once)
    candidates: int = 0  # LSH candidate pairs of distinct signatures
    verified: int = 0  # candidate pairs that reached the threshold
    from_cache: bool = False  # the whole grouping was read back (nothing changed)
    stored: bool = False  # the result is in the index cache
    seconds: float = 0.0


@dataclass
class Packed:
    """Stories as arrays: ``buf`` (member ids, UTF-8, each followed by a NUL, story
    after story), ``bounds`` (int64: story k's members are ``bounds[k]`` to
    ``bounds[k + 1] - 1``) and ``scores`` (float64, one per member)."""

    buf: bytes
    bounds: np.ndarray
    scores: np.ndarray

    @classmethod
    def of(cls, groups: Iterable[tuple[Sequence[str], Sequence[float]]]) -> Packed:
        """From ``(members, scores)`` pairs (tests, small corpora)."""
        parts: list[bytes] = []
        sizes: list[int] = [0]
        scores: list[float] = []
        for members, member_scores in groups:
            parts.extend(m.encode("utf-8", "surrogatepass") + b"\0" for m in members)
            sizes.append(len(members))
            scores.extend(member_scores)
        return cls(b"".join(parts), np.cumsum(np.array(sizes, dtype=np.int64)), np.array(scores, dtype=np.float64))


class _StoryList(Sequence[Story]):
    """``Stories.stories``: each Story made when reached."""

    def __init__(self, owner: Stories) -> None:
        self._owner = owner

    def __len__(self) -> int:
        return len(self._owner)

    @overload
    def __getitem__(self, k: int) -> Story: ...
    @overload
    def __getitem__(self, k: slice) -> list[Story]: ...
    def __getitem__(self, k: int | slice) -> Story | list[Story]:
        if isinstance(k, slice):
            return [self._owner.story(j) for j in range(*k.indices(len(self)))]
        if k < 0:
            k += len(self)
        if not 0 <= k < len(self):
            raise IndexError(k)
        return self._owner.story(k)

    def __iter__(self) -> Iterator[Story]:
        return (self._owner.story(k) for k in range(len(self)))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (list, tuple, _StoryList)):
            return len(other) == len(self) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<{len(self)} stories>"


class Stories:
    """The stories of a corpus, in list order (``stories``: a :class:`Packed`, or
    :class:`Story` objects). Articles in no story (singletons) are not stories:
    :meth:`story_of` gives None for them."""

    def __init__(self, stories: Packed | Iterable[Story], threshold: float, window_days: int,
                 stats: GroupStats | None = None) -> None:
        p = stories if isinstance(stories, Packed) else Packed.of((s.members, s.scores) for s in stories)
        self.packed = p
        self.threshold = threshold
        self.window_days = window_days
        self.stats = stats if stats is not None else GroupStats()
        raw = np.frombuffer(p.buf, dtype=np.uint8)
        self._ends = np.flatnonzero(raw == 0).astype(np.int64)  # each member's NUL
        self._bounds = np.asarray(p.bounds, dtype=np.int64)
        self._scores = np.asarray(p.scores, dtype=np.float64)
        n = len(self._ends)
        if len(self._bounds) == 0 or self._bounds[0] != 0 or self._bounds[-1] != n or len(self._scores) != n:
            raise ValueError("stories: members, bounds and scores do not agree")
        self._story_of = np.repeat(np.arange(len(self._bounds) - 1, dtype=np.int32), np.diff(self._bounds))
        hashes = np.empty(n, dtype=np.int64)
        for start in range(0, n, HASH_CHUNK):
            stop = min(n, start + HASH_CHUNK)
            hashes[start:stop] = np.fromiter(map(hash, self._ids(start, stop)), dtype=np.int64, count=stop - start)
        order = np.argsort(hashes, kind="stable")
        self._hashes = hashes[order]
        self._shared = bool(n > 1 and (self._hashes[1:] == self._hashes[:-1]).any())
        self._member_at = order.astype(np.int32)
        self._hash_list = self._hashes.tolist() if n <= 4096 else None  # tiny: bisect on a list is quicker
        self._made: OrderedDict[int, Story] = OrderedDict()

    # -- members ----------------------------------------------------------------------

    def _ids(self, start: int, stop: int) -> list[str]:
        """Ids of members ``start`` to ``stop - 1``."""
        if start >= stop:
            return []
        lo = int(self._ends[start - 1]) + 1 if start else 0
        return self.packed.buf[lo : int(self._ends[stop - 1])].decode("utf-8", "surrogatepass").split("\0")

    def _id(self, member: int) -> str:
        lo = int(self._ends[member - 1]) + 1 if member else 0
        return self.packed.buf[lo : int(self._ends[member])].decode("utf-8", "surrogatepass")

    def _member(self, article_id: str) -> int:
        """The member index of ``article_id``, -1 when in no story."""
        h = hash(article_id)
        if self._hash_list is not None:
            k = bisect.bisect_left(self._hash_list, h)
        else:
            k = int(np.searchsorted(self._hashes, h))
        while k < len(self._hashes) and self._hashes[k] == h:
            member = int(self._member_at[k])
            if self._id(member) == article_id:
                return member
            k += 1
        return -1

    def story(self, k: int) -> Story:
        """Story ``k`` in list order."""
        made = self._made.get(k)
        if made is not None:
            self._made.move_to_end(k)
            return made
        lo, hi = int(self._bounds[k]), int(self._bounds[k + 1])
        members = tuple(self._ids(lo, hi))
        made = Story(members[0], members, tuple(self._scores[lo:hi].tolist()))
        self._made[k] = made
        if len(self._made) > KEEP_STORIES:
            self._made.popitem(last=False)
        return made

    # -- the API ------------------------------------------------------------------------

    @property
    def stories(self) -> Sequence[Story]:
        return _StoryList(self)

    def __len__(self) -> int:
        return len(self._bounds) - 1

    def __iter__(self) -> Iterator[Story]:
        return iter(self.stories)

    def story_of(self, article_id: str) -> Story | None:
        member = self._member(article_id)
        return self.story(int(self._story_of[member])) if member >= 0 else None

    def get(self, story_id: str) -> Story | None:
        member = self._member(story_id)
        if member < 0 or self._bounds[self._story_of[member]] != member:
            return None  # in no story, or not its lead
        return self.story(int(self._story_of[member]))

    def _members(self, article_ids: Sequence[str]) -> np.ndarray:
        """The member index of each of ``article_ids`` (-1: in no story): one hash
        each and numpy work. A hash found is taken as the id's (the ids are compared
        only when two members share one): an id in no story has the 64-bit hash of
        a grouped one with probability about ``grouped / 2**64``, 3e-8 for a whole
        listing of a million articles, the risk :func:`~briefing.stories.store.fingerprint_key`
        takes for bodies."""
        n = len(article_ids)
        out = np.full(n, -1, dtype=np.int64)
        if n == 0 or len(self._hashes) == 0:
            return out
        asked = np.fromiter(map(hash, article_ids), dtype=np.int64, count=n)
        # Sorted first: a search of sorted values walks the table in order, many
        # times quicker than the same search in random order.
        order = np.argsort(asked)
        at = np.empty(n, dtype=np.int64)
        at[order] = np.minimum(np.searchsorted(self._hashes, asked[order]), len(self._hashes) - 1)
        hits = np.flatnonzero(self._hashes[at] == asked)
        member = self._member_at[at[hits]].astype(np.int64)
        if self._shared:  # two members share a hash: compare the ids
            los = np.where(member > 0, self._ends[np.maximum(member - 1, 0)] + 1, 0)
            buf, found = self.packed.buf, []
            for k, m, lo, hi in zip(hits.tolist(), member.tolist(), los.tolist(), self._ends[member].tolist(),
                                    strict=True):
                if buf[lo:hi].decode("utf-8", "surrogatepass") != article_ids[k]:
                    m = self._member(article_ids[k])
                found.append(m)
            member = np.array(found, dtype=np.int64)
        out[hits] = member
        return out

    def indexes(self, article_ids: Sequence[str]) -> np.ndarray:
        """The story (its number in list order, for :meth:`story`) of each of
        ``article_ids``, -1 for those in none."""
        members = self._members(article_ids)
        if not self.grouped:
            return members
        return np.where(members >= 0, self._story_of[np.maximum(members, 0)], -1)

    def members_at(self, article_ids: Sequence[str]) -> list[tuple[int, int]]:
        """``(story number, place in story order)`` of each of ``article_ids``;
        ``(-1, -1)`` for those in no story (the list's layout asks for every listed id)."""
        members = self._members(article_ids)
        if not self.grouped:
            return [(-1, -1)] * len(members)
        found = members >= 0
        story = np.where(found, self._story_of[np.maximum(members, 0)], -1)
        rank = np.where(found, members - self._bounds[np.maximum(story, 0)], -1)
        return list(zip(story.tolist(), rank.tolist(), strict=True))

    def lead(self, k: int) -> str:
        """The lead's id (the story's id) of story ``k``."""
        return self._id(int(self._bounds[k]))

    def group_of(self, article_ids: Iterable[str]) -> dict[str, Story]:
        """The story of each of ``article_ids`` that is in one (for the rows on screen)."""
        ids = list(article_ids)
        return {aid: self.story(int(k)) for aid, k in zip(ids, self.indexes(ids).tolist(), strict=True) if k >= 0}

    def members(self, story_id: str) -> tuple[str, ...]:
        """The members of story ``story_id`` (its lead's id) in story order; () when
        there is no such story."""
        story = self.get(story_id)
        return story.members if story is not None else ()

    @property
    def grouped(self) -> int:
        """How many articles are in a story."""
        return len(self._ends)

    @property
    def sizes(self) -> list[int]:
        """The size of each story, in list order."""
        sizes: list[int] = np.diff(self._bounds).tolist()
        return sizes

    def nbytes(self) -> int:
        """Bytes held in arrays (for the benchmark)."""
        arrays = (self._ends, self._bounds, self._scores, self._story_of, self._hashes, self._member_at)
        return len(self.packed.buf) + sum(a.nbytes for a in arrays)
