"""Group a corpus into stories: signatures (cached), LSH, verification, leads."""

from __future__ import annotations

import contextlib
import gc
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import cast

import numpy as np

from briefing.model import CorpusView
from briefing.stories import cluster, lsh
from briefing.stories.columns import Columns, columns, quick_key
from briefing.stories.held import GroupStats as GroupStats  # (re-exported: the public API)
from briefing.stories.held import Packed
from briefing.stories.held import Stories as Stories
from briefing.stories.held import Story as Story
from briefing.stories.signature import (
    BINS,
    PARAMS,
    SHINGLE,
    Signer,
    similarity,
)
from briefing.stories.store import StoryStore, fingerprint_keys
from briefing.stories.workers import sign_all

# Changes whenever the grouping rules change (a stored grouping is then recomputed).
GROUPING = f"lead-star v2 bands={lsh.BANDS} rows={lsh.ROWS} bucket={lsh.MAX_BUCKET}"

Progress = Callable[[int, int], None]
STORE_EVERY = 4000  # signatures written per transaction while signing
SIGN_BLOCK = 20_000  # bodies handed to the signing workers at once


class Cancelled(Exception):
    """``cancel()`` said stop. Signatures computed so far are kept in the cache, so
    the next call carries on from there."""


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


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """Build many small objects without the cyclic collector walking the (big) heap
    each time (they hold no cycles); it is switched back on afterwards."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


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
    stats = GroupStats(articles=len(corpus.articles))
    if not stats.articles:  # nothing to group; and an unmounted folder must not empty the cache
        return Stories(_NONE, threshold, window_days, stats)
    header = f"{PARAMS}\n{GROUPING}\n{threshold!r}\n{window_days}\n".encode()
    store = StoryStore(_cache_path(corpus.root), PARAMS) if use_cache else None
    try:
        opened = store is not None and store.open()
        conn = store.connection if store is not None and opened else None
        if store is not None and conn is not None:
            # Nothing changed since the last grouping? Asked of the index's record of
            # its last walk first (one row), else of every article's id, body and date.
            quick = quick_key(corpus, conn, header)
            with _no_gc():
                stored = store.groups(quick=quick) if quick is not None else None
                if stored is None:
                    cols = columns(corpus, conn, header)
                    stored = store.groups(digest=cols.digest.hexdigest())
                    if stored is not None and cols.quick is not None:
                        store.remember_quick(cols.quick)  # the next read back skips the articles
                if stored is not None:
                    if progress is not None:
                        progress(0, 0)
                    stats.from_cache = stats.stored = True
                    stats.seconds = time.perf_counter() - started
                    return Stories(stored, threshold, window_days, stats)
        else:
            cols = columns(corpus, None, header)
        stats.articles = len(cols)
        digest = cols.digest.hexdigest()
        sigs, sizes, fp_of, complete, actual = _signatures(cols, store, stats, progress, cancel, workers)
        with _no_gc():
            stories = _group_rows(cols, sigs, sizes, fp_of, threshold, window_days, stats)
        if cancel is not None and cancel():
            raise Cancelled()
        result = Stories(stories, threshold, window_days, stats)  # (stories: Packed)
        if store is not None and complete:
            stats.stored = store.put_groups(digest, cols.quick, stories)
            store.prune_signatures(np.concatenate((cols.keys, actual)), BINS)
        stats.seconds = time.perf_counter() - started
        return result
    finally:
        if store is not None:
            store.close()


def _group_rows(cols: Columns, sigs: np.ndarray, sizes: np.ndarray, fp_of: np.ndarray,
                threshold: float, window: int, stats: GroupStats) -> Packed:
    """The stories of the articles ``cols`` (sorted by id), in list order. ``sigs``/``sizes``: one
    row per distinct body, in order of the first article having it; ``fp_of``: each
    article's body row. Copies of one body are one signature class from the start."""
    days = cols.days
    n = len(cols)
    usable_fp = np.flatnonzero(sizes > 0)
    rows = np.flatnonzero(sizes[fp_of] > 0)  # articles with words (others never group)
    if len(rows) < 2:
        return _NONE
    to_usable = np.full(len(sizes), -1, dtype=np.int64)
    to_usable[usable_fp] = np.arange(len(usable_fp))
    # Every body usually has words, and in a corpus of distinct texts every signature
    # is its own class (``first`` is then 0, 1, 2...): no copy of the signatures is
    # made (at a million articles they are 256 MB).
    base = sigs if len(usable_fp) == len(sigs) else sigs[usable_fp]
    class_of_fp, first = cluster.signature_classes(base)
    reps = base if len(first) == len(base) else base[first]
    del base
    class_of = class_of_fp[to_usable[fp_of[rows]]]
    counts = cluster.Counts()
    lead, member = cluster.group_classes(reps, class_of, days[rows], threshold, window, counts)
    stats.distinct, stats.candidates, stats.verified = counts.classes, counts.candidates, counts.verified
    if len(lead) == 0:
        return _NONE
    scores = similarity(reps, class_of[lead], class_of[member])
    scores[lead == member] = 1.0
    lead, member = rows[lead], rows[member]
    # List order: the story's first member in a newest-first list (sort_key: undated
    # last, newest first, then id; rows are in id order).
    list_rank = np.empty(n, dtype=np.int64)
    list_rank[np.lexsort((np.arange(n), -days, days == cluster.NO_DATE))] = np.arange(n)
    cuts = np.flatnonzero(np.concatenate(([True], lead[1:] != lead[:-1])))
    first_seen = np.minimum.reduceat(list_rank[member], cuts)
    bounds = np.append(cuts, len(member))
    # Stories in list order, each one's entries in story order: one gather of the rows.
    by_story = np.argsort(first_seen, kind="stable")
    sizes = np.diff(bounds)[by_story]
    out_start = np.cumsum(sizes) - sizes
    take = np.arange(len(member)) - np.repeat(out_start - bounds[:-1][by_story], sizes)
    rounded = np.array([round(s, 4) for s in scores[take].tolist()], dtype=np.float64)
    ids = cols.ids.take(member[take].tolist())
    buf = "\0".join(ids).encode("utf-8", "surrogatepass") + b"\0"
    del ids
    return Packed(buf, np.concatenate(([0], np.cumsum(sizes))).astype(np.int64), rounded)


_NONE = Packed(b"", np.zeros(1, dtype=np.int64), np.empty(0, dtype=np.float64))


def _cache_path(root: Path) -> Path:
    from briefing.index.store import cache_path

    return cache_path(root)


def _signatures(cols: Columns, store: StoryStore | None, stats: GroupStats,
                progress: Progress | None, cancel: Callable[[], bool] | None,
                workers: int | None) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool, np.ndarray]:
    """One signature per distinct body (key), in order of the first article of
    ``cols`` having it, from the cache or signed now: ``(sigs, sizes, fp_of,
    complete, actual)``, ``fp_of`` the body row of each article. Also whether every
    article could be read, and the keys of the bodies signed now (a file
    changed since the index saw it has a new one). An article that could not be read
    gets size 0 (never grouped)."""
    unique, first_row, inverse = np.unique(cols.keys, return_index=True, return_inverse=True)
    by_first = np.argsort(first_row, kind="stable")  # body rows in order of first article
    renumber = np.empty(len(unique), dtype=np.int64)
    renumber[by_first] = np.arange(len(unique))
    fp_of = renumber[inverse.ravel()]
    keys, first_row = unique[by_first], first_row[by_first]
    sigs = np.zeros((len(keys), BINS), dtype=np.uint16)
    sizes = np.zeros(len(keys), dtype=np.int64)
    found = np.zeros(len(keys), dtype=bool)
    if store is not None:
        found = store.load_signatures(keys, sigs, sizes)
    missing = np.flatnonzero(~found)
    stats.reused = int(np.count_nonzero(found[fp_of]))
    total = len(missing)
    if progress is not None:
        progress(0, total)
    actual: list[np.ndarray] = []  # keys of the bodies signed now
    unreadable = np.zeros(len(keys), dtype=bool)
    signer = Signer(SHINGLE, BINS)
    done = 0
    rows: list[tuple[str, int, bytes]] = []  # signed, not yet stored
    try:
        # A block of jobs at a time (results come back in job order): a million
        # bodies to sign never hold a million (id, path) pairs.
        for start in range(0, total, SIGN_BLOCK):
            block = missing[start : start + SIGN_BLOCK].tolist()
            jobs = [(cols.ids[a], cols.path_of(a)) for a in first_row[block].tolist()]
            at = 0
            for batch in sign_all(jobs, signer, workers, cancel):
                fps: list[str] = []
                for _, signed_fp, size, sig in batch:
                    r = block[at]
                    at += 1
                    if signed_fp is None:
                        unreadable[r] = True
                        continue
                    sigs[r] = np.frombuffer(sig, dtype="<u2")
                    sizes[r] = size
                    rows.append((signed_fp, size, sig))
                    fps.append(signed_fp)
                    stats.signed += 1
                actual.append(fingerprint_keys(fps))
                if store is not None and len(rows) >= STORE_EVERY:
                    store.put_signatures(rows)
                    rows = []
                done += len(batch)
                if progress is not None:
                    progress(done, total)
            if at < len(jobs):
                break  # cancelled
    finally:  # also when cancelled: what was signed is kept
        if store is not None:
            store.put_signatures(rows)
    if done < total:
        raise Cancelled()
    stats.unreadable = int(np.count_nonzero(unreadable[fp_of]))
    return sigs, sizes, fp_of, stats.unreadable == 0, np.concatenate(actual) if actual else np.empty(0, dtype=np.uint64)
