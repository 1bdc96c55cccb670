"""Group a corpus into stories: signatures (cached), LSH, verification, leads."""

from __future__ import annotations

import contextlib
import gc
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import numpy as np

from briefing.heap import give_back
from briefing.model import CorpusView
from briefing.stories import cluster, lsh
from briefing.stories.columns import Columns, columns, quick_key
from briefing.stories.held import GroupStats as GroupStats  # (re-exported: the public API)
from briefing.stories.held import Packed
from briefing.stories.held import Stories as Stories
from briefing.stories.held import Story as Story
from briefing.stories.reps import Compact, Located, read_classes
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


class NotStored(Exception):
    """``stored_only=True`` and the stories are not in the cache for these articles and
    settings (nothing was signed or grouped)."""


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
                  workers: int | None = None, use_cache: bool = True, nice: int = 0,
                  stored_only: bool = False) -> Stories:
    """Group the articles of ``source`` into stories of near-duplicates.

    ``source``: an :class:`~briefing.index.IndexedCorpus` (what the reader holds), a
    :class:`~briefing.corpus.Corpus`, or a folder path (opened with ``open_index``).
    ``threshold`` (estimated Jaccard similarity of word 3-shingles, 0.05-1) and
    ``window_days`` (dated members at most this many days from the lead; 0: no
    limit) default to ``story_threshold`` / ``story_window_days`` of config.yaml.

    ``nice``: added to the niceness of the processes that sign bodies (see
    :func:`briefing.stories.workers.sign_all`).

    Safe to call from a worker thread. ``progress(done, total)`` counts bodies
    signed (``(0, 0)`` when nothing needs reading); ``cancel()`` is polled between
    batches and raises :class:`Cancelled`. When nothing changed since the last
    call (same articles, fingerprints, dates and settings) the stories are read
    back from the index cache without reading any file; ``stored_only``: only that,
    :class:`NotStored` when they are not there.
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
        if stored_only:
            raise NotStored()
        stats.articles = len(cols)
        digest = cols.digest.hexdigest()
        bodies = _signatures(cols, store, stats, progress, cancel, workers,
                             whole=store is None or store.connection is None, nice=nice)
        with _no_gc():
            stories = _group_rows(cols, bodies, store, threshold, window_days, stats)
        if stories is None:  # the signatures could not be read a class at a time: all at once
            bodies = _signatures(cols, store, stats, progress, cancel, workers, whole=True, before=bodies, nice=nice)
            with _no_gc():
                stories = _group_rows(cols, bodies, store, threshold, window_days, stats)
            assert stories is not None
        complete, actual = bodies.complete, bodies.actual
        del bodies
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
        if not stats.from_cache:
            give_back()  # glibc keeps what a regroup freed (about 150 MB at a million articles) for good


def _group_rows(cols: Columns, bodies: Bodies, store: StoryStore | None, threshold: float, window: int,
                stats: GroupStats) -> Packed | None:
    """The stories of the articles ``cols`` (sorted by id), in list order, from
    ``bodies`` (one signature per distinct body, see :func:`_signatures`). Copies of
    one body are one signature class from the start. None when the signatures were
    left in the store and could not be read there a class at a time (the caller
    then loads them all). The signatures are let go before the result is packed."""
    days, sizes, fp_of = cols.days, bodies.sizes, bodies.fp_of
    n = len(cols)
    usable_fp = np.flatnonzero(sizes > 0)
    rows = np.flatnonzero(sizes[fp_of] > 0)  # articles with words (others never group)
    if len(rows) < 2:
        return _NONE
    found = _classes(bodies, usable_fp, store)
    if found is None:
        return None
    class_of_fp, reps, pairs = found
    to_usable = np.full(len(sizes), -1, dtype=np.int64)
    to_usable[usable_fp] = np.arange(len(usable_fp))
    class_of = class_of_fp[to_usable[fp_of[rows]]]
    del class_of_fp, to_usable, usable_fp, sizes, fp_of
    bodies.release()  # (not needed from here on: their memory goes to the grouping)
    counts = cluster.Counts()
    lead, member = cluster.group_classes(cast(np.ndarray, reps), class_of, days[rows], threshold, window, counts, pairs=pairs)
    del pairs
    stats.distinct, stats.candidates, stats.verified = counts.classes, counts.candidates, counts.verified
    if len(lead) == 0:
        return _NONE
    # A member of the lead's class has its signature: 1.0 (and reps may hold no
    # signature of a class in no LSH pair: one whose stories are copies of it).
    scores = np.ones(len(lead), dtype=np.float32)
    other = np.flatnonzero(class_of[lead] != class_of[member])
    scores[other] = similarity(cast(np.ndarray, reps), class_of[lead[other]], class_of[member[other]], chunk=8192)
    del reps, class_of, other
    lead, member = rows[lead], rows[member]
    del rows
    # List order: the story's first member in a newest-first list (sort_key: undated
    # last, newest first, then id; rows are in id order).
    list_rank = np.empty(n, dtype=np.int64)
    list_rank[np.lexsort((np.arange(n), -days, days == cluster.NO_DATE))] = np.arange(n)
    cuts = np.flatnonzero(np.concatenate(([True], lead[1:] != lead[:-1])))
    first_seen = np.minimum.reduceat(list_rank[member], cuts)
    del list_rank, lead
    bounds = np.append(cuts, len(member))
    # Stories in list order, each one's entries in story order: one gather of the rows.
    by_story = np.argsort(first_seen, kind="stable")
    story_sizes = np.diff(bounds)[by_story]
    out_start = np.cumsum(story_sizes) - story_sizes
    take = np.arange(len(member)) - np.repeat(out_start - bounds[:-1][by_story], story_sizes)
    scores = scores[take]
    rounded = np.empty(len(take), dtype=np.float64)
    for s in range(0, len(take), PACK_CHUNK):  # Python's round (to the nearest decimal), a chunk at a time
        rounded[s : s + PACK_CHUNK] = [round(x, 4) for x in scores[s : s + PACK_CHUNK].tolist()]
    del scores
    buf = cols.ids.joined(member[take])
    return Packed(buf, np.concatenate(([0], np.cumsum(story_sizes))).astype(np.int64), rounded)


PACK_CHUNK = 65536  # scores rounded at once


def _classes(bodies: Bodies, usable: np.ndarray, store: StoryStore | None
             ) -> tuple[np.ndarray, np.ndarray | Compact, np.ndarray | None] | None:
    """``(class_of, reps, pairs)``: the signature class of each usable body, one
    signature per class (see :func:`briefing.stories.cluster.signature_classes`) or
    those of the classes in an LSH candidate pair (``pairs``; None: not found yet),
    see :func:`briefing.stories.reps.read_classes`."""
    sigs = bodies.sigs
    if sigs is None:
        assert bodies.located is not None and store is not None
        # (bodies keeps ``located``: the fall back takes the bodies signed now from it)
        return read_classes(bodies.located, bodies.keys, usable, store, BINS)
    bodies.sigs = None
    # Every body usually has words, and in a corpus of distinct texts every signature
    # is its own class (``first`` is then 0, 1, 2...): no copy of the signatures.
    base = sigs if len(usable) == len(sigs) else sigs[usable]
    del sigs
    class_of, first = cluster.signature_classes(base)
    return class_of, (base if len(first) == len(base) else base[first]), None


_NONE = Packed(b"", np.zeros(1, dtype=np.int64), np.empty(0, dtype=np.float64))


def _cache_path(root: Path) -> Path:
    from briefing.index.store import cache_path

    return cache_path(root)


@dataclass
class Bodies:
    """The distinct bodies of a grouping's articles (see :func:`_signatures`)."""

    keys: np.ndarray  # each body's key, in order of the first article having it
    fp_of: np.ndarray  # each article's body
    sizes: np.ndarray  # each body's feature count (0: never grouped)
    complete: bool  # every article could be read
    actual: np.ndarray  # keys of the bodies signed now
    unreadable: np.ndarray  # each body: its file could not be read when signing it now
    sigs: np.ndarray | None = None  # every body's signature (``whole``)
    located: Located | None = None  # else where the store holds them

    def release(self) -> None:
        """Let the per-body arrays go (only ``complete`` and ``actual`` stay)."""
        self.keys = self.fp_of = self.sizes = self.unreadable = np.empty(0, dtype=np.int64)
        self.sigs = self.located = None


def _signatures(cols: Columns, store: StoryStore | None, stats: GroupStats,
                progress: Progress | None, cancel: Callable[[], bool] | None,
                workers: int | None, *, whole: bool, before: Bodies | None = None, nice: int = 0) -> Bodies:
    """One signature per distinct body (key), in order of the first article of
    ``cols`` having it, from the cache or signed now; ``fp_of`` the body of each
    article. Also whether every article could be read, and the keys of the bodies
    signed now (a file changed since the index saw it has a new one). An article
    that could not be read gets size 0 (never grouped).

    ``whole``: every signature in one array (``sigs``). Else those of the cache stay
    there (``located``: where each is, read again a pack at a time by
    :func:`briefing.stories.reps.read_classes`), and so do those signed now that it
    stores under their body's key as they are signed: only the others are held (see
    :class:`_Pending`; a million signatures are 256 MB).

    ``before``: the result of a first call (not ``whole``) on the same ``cols`` whose
    signatures could not be read a class at a time: the bodies it signed (or found
    unreadable) are taken from it, neither signed nor counted in ``stats`` again (a
    body changed since the index read it is stored under its new key, which the
    store's read by the index's keys does not find)."""
    unique, first_row, inverse = np.unique(cols.keys, return_index=True, return_inverse=True)
    by_first = np.argsort(first_row, kind="stable")  # body rows in order of first article
    renumber = np.empty(len(unique), dtype=np.int64)
    renumber[by_first] = np.arange(len(unique))
    fp_of = renumber[inverse.ravel()]
    del renumber, inverse
    keys, first_row = unique[by_first], first_row[by_first]
    del unique, by_first
    sizes = np.zeros(len(keys), dtype=np.int64)
    found = np.zeros(len(keys), dtype=bool)
    located = None if whole or store is None else Located(len(keys))
    whole_sigs = np.zeros((len(keys), BINS), dtype=np.uint16) if located is None else None
    if store is not None:
        if whole_sigs is not None:
            found = store.load_signatures(keys, whole_sigs, sizes)
        else:
            assert located is not None
            found = store.scan_signatures(keys, sizes, BINS, located.take)
    carry = before is not None and before.located is not None and whole_sigs is not None
    if carry:  # held by the first call: taken from it below
        assert before is not None and before.located is not None
        found[before.located.held_rows] = False
    missing = np.flatnonzero(~found)
    if carry:  # signed by the first call (those it stored are found there now): not counted as reused
        assert before is not None and before.located is not None
        found[before.located.signed_rows] = False
    stats.reused = int(np.count_nonzero(found[fp_of]))
    del found
    actual: list[np.ndarray] = []  # keys of the bodies signed now
    unreadable = np.zeros(len(keys), dtype=bool)
    if carry:
        assert before is not None and whole_sigs is not None
        missing = _signed_before(before, missing, whole_sigs, sizes, unreadable)
        actual.append(before.actual)
    total = len(missing)
    pending = _Pending(store, keys, sizes, whole_sigs, located)
    if progress is not None:
        progress(0, total)
    signer = Signer(SHINGLE, BINS)
    done = 0
    try:
        # A block of jobs at a time (results come back in job order): a million
        # bodies to sign never hold a million (id, path) pairs.
        for start in range(0, total, SIGN_BLOCK):
            block = missing[start : start + SIGN_BLOCK].tolist()
            jobs = [(cols.ids[a], cols.path_of(a)) for a in first_row[block].tolist()]
            at = 0
            for batch in sign_all(jobs, signer, workers, cancel, nice):
                for _, signed_fp, size, sig in batch:
                    r = block[at]
                    at += 1
                    if signed_fp is None:
                        unreadable[r] = True
                        continue
                    pending.add(r, signed_fp, size, sig)
                    stats.signed += 1
                if len(pending) >= STORE_EVERY:
                    pending.store()
                done += len(batch)
                if progress is not None:
                    progress(done, total)
            if at < len(jobs):
                break  # cancelled
    finally:  # also when cancelled: what was signed is kept
        pending.store()
    actual.extend(pending.actual)
    if done < total:
        raise Cancelled()
    if located is not None:
        held, held_sigs = pending.held(np.flatnonzero(unreadable))
        located.add_signed(missing, held, held_sigs)
    stats.unreadable = int(np.count_nonzero(unreadable[fp_of]))
    return Bodies(keys, fp_of, sizes, stats.unreadable == 0,
                  np.concatenate(actual) if actual else np.empty(0, dtype=np.uint64),
                  unreadable, sigs=whole_sigs, located=located)


class _Pending:
    """Bodies signed now, not yet stored: :meth:`store` writes them as one pack and
    fills in their sizes (and signatures, into ``whole``). With ``located``, each
    one the store now holds under its body's key (``keys``) is located in that pack
    (:meth:`Located.take`) instead of being kept; only the others (a file changed
    since the index read it, a pack that could not be written) are held."""

    def __init__(self, store: StoryStore | None, keys: np.ndarray, sizes: np.ndarray, whole: np.ndarray | None,
                 located: Located | None) -> None:
        self._store, self._keys, self._sizes, self._whole, self._located = store, keys, sizes, whole, located
        self._rows: list[int] = []  # each one's body
        self._fps: list[str] = []  # the fingerprint of the body actually signed
        self._counts: list[int] = []  # feature counts
        self._sigs: list[bytes] = []
        self._held: list[tuple[np.ndarray, np.ndarray]] = []  # (bodies, their signatures)
        self.actual: list[np.ndarray] = []  # the keys of the bodies signed, a pack's at a time

    def __len__(self) -> int:
        return len(self._rows)

    def add(self, row: int, fingerprint: str, size: int, sig: bytes) -> None:
        self._rows.append(row)
        self._fps.append(fingerprint)
        self._counts.append(size)
        self._sigs.append(sig)

    def store(self) -> None:
        if not self._rows:
            return
        rows = np.array(self._rows, dtype=np.int64)
        signed = fingerprint_keys(self._fps)
        self.actual.append(signed)
        blob = b"".join(self._sigs)
        self._sizes[rows] = self._counts
        pack = self._store.put_pack(signed, self._counts, blob) if self._store is not None else None
        sigs = np.frombuffer(blob, dtype="<u2").reshape(len(rows), BINS).astype(np.uint16)
        if self._whole is not None:
            self._whole[rows] = sigs
        if self._located is not None:
            there = signed == self._keys[rows] if pack is not None else np.zeros(len(rows), dtype=bool)
            if there.any():
                assert pack is not None
                self._located.take(rows[there], pack, np.flatnonzero(there), sigs)
            if not there.all():
                self._held.append((rows[~there], sigs[~there]))
        self._rows, self._fps, self._counts, self._sigs = [], [], [], []

    def held(self, unreadable: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The bodies held (sorted) and their signatures, with the ``unreadable``
        ones (a zero signature: their size is 0, they are never grouped)."""
        parts = [*self._held, (unreadable, np.zeros((len(unreadable), BINS), dtype=np.uint16))]
        rows = np.concatenate([p[0] for p in parts]).astype(np.int64)
        sigs = np.concatenate([p[1] for p in parts])
        order = np.argsort(rows, kind="stable")
        return rows[order], sigs[order]


def _signed_before(before: Bodies, missing: np.ndarray, sigs: np.ndarray, sizes: np.ndarray,
                   unreadable: np.ndarray) -> np.ndarray:
    """The bodies of ``missing`` (not in the store under their key; sorted) that
    ``before`` signed or found unreadable (it held them: see
    :class:`~briefing.stories.reps.Located`): their signatures, sizes and flags
    copied in; the rest returned (still to sign)."""
    assert before.located is not None
    held = before.located.held_rows  # sorted, one row of held_sigs each
    again = np.isin(missing, held)
    carried = missing[again]
    sigs[carried] = before.located.held_sigs[np.searchsorted(held, carried)]
    sizes[carried] = before.sizes[carried]
    unreadable[carried] = before.unreadable[carried]
    rest: np.ndarray = missing[~again]
    return rest
