"""Group a corpus into stories: signatures (cached), LSH, verification, leads."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import numpy as np

from briefing.corpus import sort_key
from briefing.model import ArticleMeta, CorpusView
from briefing.stories import cluster, lsh
from briefing.stories.signature import (
    BINS,
    PARAMS,
    SHINGLE,
    Signer,
    signatures_from_rows,
    similarity,
)
from briefing.stories.store import Member, StoryStore
from briefing.stories.workers import sign_all

# Changes whenever the grouping rules change (a stored grouping is then recomputed).
GROUPING = f"lead-star v2 bands={lsh.BANDS} rows={lsh.ROWS} bucket={lsh.MAX_BUCKET}"

Progress = Callable[[int, int], None]
STORE_EVERY = 4000  # signatures written per transaction while signing


class Cancelled(Exception):
    """``cancel()`` said stop. Signatures computed so far are kept in the cache, so
    the next call carries on from there."""


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
class Stories:
    """The stories of a corpus. Articles in no story (singletons) are not stories:
    :meth:`story_of` gives None for them."""

    stories: list[Story]
    threshold: float
    window_days: int
    stats: GroupStats = field(default_factory=GroupStats)
    _by_article: dict[str, Story] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_article = {member: story for story in self.stories for member in story.members}

    def __len__(self) -> int:
        return len(self.stories)

    def __iter__(self) -> Iterator[Story]:
        return iter(self.stories)

    def story_of(self, article_id: str) -> Story | None:
        return self._by_article.get(article_id)

    def get(self, story_id: str) -> Story | None:
        story = self._by_article.get(story_id)
        return story if story is not None and story.id == story_id else None

    @property
    def grouped(self) -> int:
        """How many articles are in a story."""
        return len(self._by_article)

    @property
    def sizes(self) -> list[int]:
        """The size of each story, in the order of :attr:`stories`."""
        return [len(story) for story in self.stories]


# -- the core on arrays (no files, no cache): used by group_stories and the bench ----


def group_signatures(sigs: np.ndarray, sizes: np.ndarray, days: np.ndarray, threshold: float,
                     window: int, stats: GroupStats | None = None) -> list[list[int]]:
    """Stories as lists of row indexes (story order; ties broken by row index, so
    give rows sorted by article id). ``days``: date ordinals, ``cluster.NO_DATE``
    for undated. Rows with ``sizes == 0`` (no words) are never grouped."""
    usable = np.flatnonzero(sizes > 0)
    counts = cluster.Counts()
    found = cluster.group(sigs[usable], days[usable], threshold, window, counts)
    if stats is not None:
        stats.distinct, stats.candidates, stats.verified = counts.classes, counts.candidates, counts.verified
    return [[int(usable[k]) for k in story] for story in found]


# -- the corpus ------------------------------------------------------------------------


def _settings() -> tuple[float, int]:
    from briefing.config import load_settings

    settings = load_settings().settings
    return settings.story_threshold, settings.story_window_days


def _open(source: CorpusView | str | os.PathLike[str]) -> CorpusView:
    """A corpus-like object (``root``, ``articles``) for ``source``: an IndexedCorpus
    or Corpus as given, a folder path opened through its index."""
    if hasattr(source, "articles") and hasattr(source, "root"):
        return cast(CorpusView, source)
    from briefing.index import open_index

    return open_index(os.fspath(source))


def _digest(metas: list[ArticleMeta], threshold: float, window: int) -> str:
    h = hashlib.sha256(f"{PARAMS}\n{GROUPING}\n{threshold!r}\n{window}\n".encode())
    for meta in metas:
        day = meta.date.toordinal() if meta.date else -1
        h.update(f"{meta.id}\0{meta.fingerprint}\0{day}\n".encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def _check_threshold(threshold: float) -> float:
    from briefing.config import MAX_STORY_THRESHOLD, MIN_STORY_THRESHOLD

    value = float(threshold)
    if not MIN_STORY_THRESHOLD <= value <= MAX_STORY_THRESHOLD:
        raise ValueError(f"story threshold must be from {MIN_STORY_THRESHOLD} to {MAX_STORY_THRESHOLD}, not {threshold}")
    return value


def group_stories(source: CorpusView | str | os.PathLike[str], threshold: float | None = None, progress: Progress | None = None,
                  cancel: Callable[[], bool] | None = None, *, window_days: int | None = None,
                  workers: int | None = None, use_cache: bool = True) -> Stories:
    """Group the articles of ``source`` into stories of near-duplicates.

    ``source``: an :class:`~briefing.index.IndexedCorpus` (what the reader holds), a
    :class:`~briefing.corpus.Corpus`, or a folder path (opened with ``open_index``).
    ``threshold`` (estimated Jaccard similarity of word 3-shingles, 0.05-1) and
    ``window_days`` (dated members at most this many days from the lead; 0: no
    limit) default to ``story_threshold`` / ``story_window_days`` of config.yaml.

    Safe to call from a worker thread. ``progress(done, total)`` counts bodies
    signed (``(0, 0)`` when nothing needs reading); ``cancel()`` is polled between
    batches and raises :class:`Cancelled`. When nothing changed since the last
    call (same articles, fingerprints, dates and settings) the stories are read
    back from the index cache without reading any file.
    """
    started = time.perf_counter()
    if threshold is None or window_days is None:
        default_threshold, default_window = _settings()
        threshold = default_threshold if threshold is None else threshold
        window_days = default_window if window_days is None else window_days
    threshold = _check_threshold(threshold)
    window_days = int(window_days)
    if window_days < 0:
        raise ValueError("the story date window cannot be negative")
    corpus = _open(source)
    metas = sorted(corpus.articles, key=lambda m: m.id)
    stats = GroupStats(articles=len(metas))
    if not metas:  # nothing to group; and an unmounted folder must not empty the cache
        return Stories([], threshold, window_days, stats)
    digest = _digest(metas, threshold, window_days)
    store = StoryStore(_cache_path(corpus.root), PARAMS) if use_cache else None
    try:
        if store is not None and store.open():
            members = store.groups(digest)
            if members is not None:
                result = _from_members(members, metas, threshold, window_days, stats)
                if result is not None:
                    if progress is not None:
                        progress(0, 0)
                    stats.from_cache = stats.stored = True
                    stats.seconds = time.perf_counter() - started
                    return result
        sigs, sizes, complete, actual = _signatures(metas, store, stats, progress, cancel, workers)
        days = np.fromiter((m.date.toordinal() if m.date else cluster.NO_DATE for m in metas),
                           dtype=np.int64, count=len(metas))
        found = group_signatures(sigs, sizes, days, threshold, window_days, stats)
        if cancel is not None and cancel():
            raise Cancelled()
        stories = []
        for rows in found:
            lead = rows[0]
            scores = similarity(sigs, np.full(len(rows), lead), np.asarray(rows, dtype=np.int64))
            scores[0] = 1.0
            stories.append(Story(metas[lead].id, tuple(metas[r].id for r in rows),
                                 tuple(round(float(s), 4) for s in scores)))
        by_id = {m.id: m for m in metas}
        result = Stories(_list_order(stories, by_id), threshold, window_days, stats)
        if store is not None and complete:
            members = [(mid, story.id, pos, story.scores[pos]) for story in stories for pos, mid in enumerate(story.members)]
            stats.stored = store.put_groups(digest, members)
            store.prune_signatures({m.fingerprint for m in metas} | actual)
        stats.seconds = time.perf_counter() - started
        return result
    finally:
        if store is not None:
            store.close()


def _cache_path(root: Path) -> Path:
    from briefing.index.store import cache_path

    return cache_path(root)


def _list_order(stories: list[Story], by_id: dict[str, ArticleMeta]) -> list[Story]:
    """Stories in the order a newest-first article list meets them (its first member
    in that list), which is the order of :func:`briefing.corpus.sort_key`."""
    return sorted(stories, key=lambda s: min(sort_key(by_id[m]) for m in s.members))


def _from_members(members: list[Member], metas: list[ArticleMeta], threshold: float, window: int,
                  stats: GroupStats) -> Stories | None:
    by_id = {m.id: m for m in metas}
    grouped: dict[str, list[tuple[int, str, float]]] = {}
    for article_id, story_id, position, score in members:
        if article_id not in by_id:
            return None
        grouped.setdefault(story_id, []).append((position, article_id, score))
    stories = []
    for story_id, rows in grouped.items():
        rows.sort()
        if len(rows) < 2 or rows[0][1] != story_id or [r[0] for r in rows] != list(range(len(rows))):
            return None
        stories.append(Story(story_id, tuple(r[1] for r in rows), tuple(r[2] for r in rows)))
    return Stories(_list_order(stories, by_id), threshold, window, stats)


def _signatures(metas: list[ArticleMeta], store: StoryStore | None, stats: GroupStats,
                progress: Progress | None, cancel: Callable[[], bool] | None,
                workers: int | None) -> tuple[np.ndarray, np.ndarray, bool, set[str]]:
    """One signature per article (row order of ``metas``), from the cache or signed
    now. Also whether every article could be read, and the fingerprints of the
    bodies signed now (a file changed since the index saw it has a new one)."""
    cached: dict[str, tuple[int, bytes]] = {}
    if store is not None:
        cached = store.signatures({m.fingerprint for m in metas}, BINS)
    jobs: list[tuple[str, str]] = []
    job_fingerprint: dict[str, str] = {}  # article id -> fingerprint the index gave it
    queued: set[str] = set()
    for meta in metas:
        fp = meta.fingerprint
        if fp not in cached and fp not in queued:
            queued.add(fp)
            jobs.append((meta.id, meta.path))
            job_fingerprint[meta.id] = fp
    stats.reused = len(metas) - sum(1 for m in metas if m.fingerprint in queued)
    total = len(jobs)
    if progress is not None:
        progress(0, total)
    signed: dict[str, tuple[int, bytes] | None] = {}  # index fingerprint -> what was signed now
    actual: set[str] = set()
    signer = Signer(SHINGLE, BINS)
    done = 0
    rows: list[tuple[str, int, bytes]] = []  # signed, not yet stored
    try:
        for batch in sign_all(jobs, signer, workers, cancel):
            for article_id, signed_fp, size, sig in batch:
                if signed_fp is None:
                    signed[job_fingerprint[article_id]] = None
                    continue
                signed[job_fingerprint[article_id]] = (size, sig)
                rows.append((signed_fp, size, sig))
                actual.add(signed_fp)
                stats.signed += 1
            if store is not None and len(rows) >= STORE_EVERY:
                store.put_signatures(rows)
                rows = []
            done += len(batch)
            if progress is not None:
                progress(done, total)
    finally:  # also when cancelled: what was signed is kept
        if store is not None:
            store.put_signatures(rows)
    if done < total:
        raise Cancelled()
    empty = bytes(2 * BINS)
    sizes = np.zeros(len(metas), dtype=np.int64)
    raw: list[bytes] = []
    complete = True
    for k, meta in enumerate(metas):
        entry = cached.get(meta.fingerprint) or signed.get(meta.fingerprint)
        if entry is None:
            complete = False
            stats.unreadable += 1
            raw.append(empty)
            continue
        sizes[k] = entry[0]
        raw.append(entry[1])
    return signatures_from_rows(raw, BINS), sizes, complete, actual
