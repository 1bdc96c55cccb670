"""Signature classes, and one signature per class, without every signature in memory.

The grouping works on classes of equal signatures (LSH, verification and stars:
:func:`briefing.stories.cluster.group_classes`); it needs each body's class and one
signature per class, never the signatures of every body (a million of them are
256 MB). When the signatures are in the index cache they are read twice, a pack
(a few thousand) at a time:

1. while looking the bodies up (:meth:`~briefing.stories.store.StoryStore.scan_signatures`,
   :meth:`Located.take`): each found body's 64-bit signature hash
   (:func:`~briefing.stories.cluster.row_hashes`) and where its entry is (pack, place);
   bodies signed now are located the same way in the pack they are stored in as they
   are signed, and only those the store does not hold under their key are kept with
   their signatures (:meth:`Located.add_signed`);
2. :func:`read_classes`: the classes follow from the hashes, numbered as
   :func:`~briefing.stories.cluster.signature_classes` numbers them, and a second read
   of the packs fills each class's signature from its members' entries, checking
   that every member's equals it.

Anything unexpected (two different signatures with one hash, a pack changed or gone
between the reads, an SQLite error) gives None: the caller then loads every
signature and groups as before, which decides the same way.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import numpy as np

from briefing.stories import cluster, lsh
from briefing.stories.store import StoryStore

CHUNK = 65536  # signed signatures compared at once


class Located:
    """Where each of ``n`` bodies' signatures is: ``pack``/``at`` (its entry in the
    store, pack -1 when none or held here), ``hashes`` (of its signature).

    Bodies signed now are located in the pack they were stored in, as found ones
    are; only those the store does not hold under the body's key are held here
    (``held_rows``, sorted, one row of ``held_sigs`` each): a file changed since
    the index read it (stored under its new body's key), one that could not be read
    (a zero signature, never grouped), a pack that could not be written.
    ``signed_rows``: every body signed now (sorted)."""

    def __init__(self, n: int) -> None:
        self.hashes = np.zeros(n, dtype=np.uint64)
        self.pack = np.full(n, -1, dtype=np.int64)
        self.at = np.zeros(n, dtype=np.int32)
        self.held_rows = np.empty(0, dtype=np.int64)
        self.held_sigs = np.empty((0, 0), dtype=np.uint16)
        self.signed_rows = np.empty(0, dtype=np.int64)

    def take(self, dest: np.ndarray, pack: int, at: np.ndarray, pack_sigs: np.ndarray) -> None:
        """A pack's entries for the bodies ``dest`` (a later pack's entry wins, as in
        :meth:`~briefing.stories.store.StoryStore.load_signatures`)."""
        self.hashes[dest] = cluster.row_hashes(pack_sigs[at])
        self.pack[dest] = pack
        self.at[dest] = at

    def add_signed(self, signed: np.ndarray, held: np.ndarray, sigs: np.ndarray) -> None:
        """The bodies ``signed`` now (sorted; those stored were located with
        :meth:`take` as they were stored), of which ``held`` (sorted) have their
        signatures ``sigs`` here (they win over the store's)."""
        self.signed_rows, self.held_rows, self.held_sigs = signed, held, sigs
        self.pack[held] = -1
        if len(held):
            self.hashes[held] = cluster.row_hashes(sigs)


class Changed(Exception):
    """The store's entries are not what the first read found (or two different
    signatures share a hash): read every signature instead."""


class Compact:
    """The signatures of some classes (``classes``, sorted), looked up by class as
    the grouping reads ``reps`` (``len``, ``shape``, ``reps[class_indexes]``)."""

    def __init__(self, n_classes: int, classes: np.ndarray, sigs: np.ndarray) -> None:
        self.classes = classes
        self.sigs = sigs
        self.shape = (n_classes, sigs.shape[1])

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, wanted: np.ndarray) -> np.ndarray:
        wanted = np.asarray(wanted)
        pos = np.minimum(np.searchsorted(self.classes, wanted), max(len(self.classes) - 1, 0))
        if len(wanted) and (len(self.classes) == 0 or not np.array_equal(self.classes[pos], wanted)):
            raise KeyError("a signature the grouping did not read")
        out: np.ndarray = self.sigs[pos]
        return out


def read_classes(located: Located, keys: np.ndarray, usable: np.ndarray, store: StoryStore,
                 bins: int) -> tuple[np.ndarray, np.ndarray | Compact, np.ndarray | None] | None:
    """``(class_of, reps, pairs)`` of the bodies ``usable`` (indexes into ``keys``, the
    bodies' keys): each one's class, numbered as ``signature_classes(sigs[usable])``
    numbers them, and the classes' signatures. Few classes (at most
    :data:`REPS_BUDGET` bytes of signatures): every class's (an array; ``pairs``
    None). Many: the LSH candidate pairs of the classes are found from the band keys,
    :data:`BAND_GROUP` bands per read of the store (``pairs``), and only the
    signatures of classes in a pair are read (:class:`Compact`: the others are in no
    story or only with copies of themselves). None when the signatures cannot be
    trusted to be read this way (see the module docstring)."""
    if store.connection is None:
        return None
    hashes, located.hashes = located.hashes[usable], np.empty(0, dtype=np.uint64)
    class_of, first = cluster.hash_classes(hashes)
    n_classes = len(first)
    del first, hashes
    to_usable = np.full(len(keys), -1, dtype=np.int64)
    to_usable[usable] = np.arange(len(usable))
    try:
        entries = _Entries(located, keys, usable, to_usable, store, bins)
        if n_classes * bins * 2 <= REPS_BUDGET or lsh.BANDS * lsh.ROWS != bins or lsh.ROWS > 2:
            return class_of, _every_class(entries, class_of, to_usable, n_classes, bins), None
        pairs = _pairs_by_bands(entries, class_of, to_usable, n_classes)
        needed = np.unique(pairs.ravel())
        return class_of, Compact(n_classes, needed, _signatures_of(entries, class_of, to_usable, needed, bins)), pairs
    except (Changed, sqlite3.Error):
        return None


REPS_BUDGET = 64 << 20  # bytes of class signatures held at once; more classes: read by bands
BAND_GROUP = 8  # LSH bands whose keys are made per read of the store (4 bytes a class each)


class _Entries:
    """Each usable body's signature, a pack (or chunk of those held) at a time:
    ``for rows, sigs in entries``; raises :class:`Changed` when the store no longer
    holds what the first read found there."""

    def __init__(self, located: Located, keys: np.ndarray, usable: np.ndarray, to_usable: np.ndarray,
                 store: StoryStore, bins: int) -> None:
        self.located, self.keys, self.store, self.bins = located, keys, store, bins
        held = located.held_rows
        self.mine = to_usable[held] >= 0 if len(held) else np.zeros(0, dtype=bool)
        stored = usable[located.pack[usable] >= 0]
        self.stored = stored[np.lexsort((located.at[stored], located.pack[stored]))]  # by pack, then place
        self.packs = located.pack[self.stored]
        if len(self.stored) + int(np.count_nonzero(self.mine)) != len(usable):
            raise Changed()

    def __iter__(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        located = self.located
        held = located.held_rows
        for s in range(0, len(held), CHUNK):
            part = self.mine[s : s + CHUNK]
            yield held[s : s + CHUNK][part], located.held_sigs[s : s + CHUNK][part]
        seen = 0
        for pack, pack_keys, pack_sigs in self.store.signatures_in(self.bins):
            lo, hi = np.searchsorted(self.packs, pack, "left"), np.searchsorted(self.packs, pack, "right")
            if lo == hi:
                continue
            rows = self.stored[lo:hi]
            at = located.at[rows]
            if int(at.max()) >= len(pack_keys) or not np.array_equal(pack_keys[at], self.keys[rows]):
                raise Changed()  # the pack changed since it was read
            seen += len(rows)
            yield rows, pack_sigs[at]
        if seen != len(self.stored):
            raise Changed()  # a pack is gone


def _every_class(entries: _Entries, class_of: np.ndarray, to_usable: np.ndarray, n_classes: int,
                 bins: int) -> np.ndarray:
    """Each class's signature, every member checked equal to it."""
    reps = np.zeros((n_classes, bins), dtype=np.uint16)
    filled = np.zeros(n_classes, dtype=bool)
    for rows, sigs in entries:
        _fill(reps, filled, class_of[to_usable[rows]], sigs)
    if not filled.all():
        raise Changed()
    return reps


def _fill(table: np.ndarray, filled: np.ndarray, c: np.ndarray, values: np.ndarray) -> None:
    """``table[c[j]] = values[j]`` for the classes first met here; raises
    :class:`Changed` unless every one of ``values`` equals its class's row (two
    different signatures share a hash)."""
    new = np.flatnonzero(~filled[c])
    if len(new):
        fresh, first_at = np.unique(c[new], return_index=True)
        table[fresh] = values[new[first_at]]
        filled[fresh] = True
    if not (values == table[c]).all():
        raise Changed()


def _pairs_by_bands(entries: _Entries, class_of: np.ndarray, to_usable: np.ndarray, n_classes: int) -> np.ndarray:
    """The LSH candidate pairs of the classes (:func:`briefing.stories.lsh.candidate_pairs`
    of their signatures), from :data:`BAND_GROUP` bands' keys per read. Every member's
    keys are checked equal to its class's: all the bands together are the whole
    signature, so classes are checked as :func:`_every_class` checks them."""
    found = lsh.Found(n_classes)
    for g in range(0, lsh.BANDS, BAND_GROUP):
        bands = range(g, min(g + BAND_GROUP, lsh.BANDS))
        band_keys = np.zeros((n_classes, len(bands)), dtype=np.uint32)
        filled = np.zeros(n_classes, dtype=bool)
        for rows, sigs in entries:
            keys = np.stack([lsh.band_keys(sigs, b, lsh.ROWS) for b in bands], axis=1).astype(np.uint32)
            _fill(band_keys, filled, class_of[to_usable[rows]], keys)
        if not filled.all():
            raise Changed()
        for j in range(len(bands)):
            found.add(np.ascontiguousarray(band_keys[:, j]))
        del band_keys
    return found.pairs()


def _signatures_of(entries: _Entries, class_of: np.ndarray, to_usable: np.ndarray, needed: np.ndarray,
                   bins: int) -> np.ndarray:
    """The signatures of the classes ``needed`` (sorted)."""
    out = np.zeros((len(needed), bins), dtype=np.uint16)
    filled = np.zeros(len(needed), dtype=bool)
    if len(needed) == 0:
        return out
    for rows, sigs in entries:
        c = class_of[to_usable[rows]]
        pos = np.minimum(np.searchsorted(needed, c), len(needed) - 1)
        hit = needed[pos] == c
        _fill(out, filled, pos[hit], sigs[hit])
    if not filled.all():
        raise Changed()
    return out
