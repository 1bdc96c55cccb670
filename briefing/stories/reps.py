"""Signature classes, and one signature per class, without every signature in memory.

The grouping works on classes of equal signatures (LSH, verification and stars:
:func:`briefing.stories.cluster.group_classes`); it needs each body's class and one
signature per class, never the signatures of every body (a million of them are
256 MB). When the signatures are in the index cache they are read twice, a pack
(a few thousand) at a time:

1. while looking the bodies up (:meth:`~briefing.stories.store.StoryStore.scan_signatures`,
   :meth:`Located.take`): each found body's 64-bit signature hash
   (:func:`~briefing.stories.cluster.row_hashes`) and where its entry is (pack, place);
   bodies signed now are added with their signatures (:meth:`Located.add_signed`);
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

import numpy as np

from briefing.stories import cluster
from briefing.stories.store import StoryStore

CHUNK = 65536  # signed signatures compared at once


class Located:
    """Where each of ``n`` bodies' signatures is: ``pack``/``at`` (its entry in the
    store, pack -1 when none or signed now), ``hashes`` (of its signature)."""

    def __init__(self, n: int) -> None:
        self.hashes = np.zeros(n, dtype=np.uint64)
        self.pack = np.full(n, -1, dtype=np.int64)
        self.at = np.zeros(n, dtype=np.int32)
        self.signed_rows = np.empty(0, dtype=np.int64)
        self.signed_sigs = np.empty((0, 0), dtype=np.uint16)

    def take(self, dest: np.ndarray, pack: int, at: np.ndarray, pack_sigs: np.ndarray) -> None:
        """A pack's entries for the bodies ``dest`` (a later pack's entry wins, as in
        :meth:`~briefing.stories.store.StoryStore.load_signatures`)."""
        self.hashes[dest] = cluster.row_hashes(pack_sigs[at])
        self.pack[dest] = pack
        self.at[dest] = at

    def add_signed(self, rows: np.ndarray, sigs: np.ndarray) -> None:
        """The signatures of the bodies ``rows`` signed now (they win over the store's)."""
        self.signed_rows, self.signed_sigs = rows, sigs
        self.pack[rows] = -1
        if len(rows):
            self.hashes[rows] = cluster.row_hashes(sigs)


def read_classes(located: Located, keys: np.ndarray, usable: np.ndarray, store: StoryStore,
            bins: int) -> tuple[np.ndarray, np.ndarray] | None:
    """``(class_of, reps)`` of the bodies ``usable`` (indexes into ``keys``, the bodies'
    keys): each one's class and each class's signature, equal to
    ``signature_classes(sigs[usable])`` and its first rows' signatures; None when the
    signatures cannot be trusted to be read this way (see the module docstring)."""
    if store.connection is None:
        return None
    hashes, located.hashes = located.hashes[usable], np.empty(0, dtype=np.uint64)
    class_of, first = cluster.hash_classes(hashes)
    del first, hashes
    reps = np.zeros((int(class_of.max()) + 1 if len(class_of) else 0, bins), dtype=np.uint16)
    filled = np.zeros(len(reps), dtype=bool)
    to_usable = np.full(len(keys), -1, dtype=np.int64)
    to_usable[usable] = np.arange(len(usable))

    def put(rows: np.ndarray, sigs: np.ndarray) -> bool:
        """Fill the classes of ``rows`` first met here; True when every one of ``sigs``
        equals its class's signature."""
        c = class_of[to_usable[rows]]
        new = np.flatnonzero(~filled[c])
        if len(new):
            fresh, first_at = np.unique(c[new], return_index=True)
            reps[fresh] = sigs[new[first_at]]
            filled[fresh] = True
        return bool((sigs == reps[c]).all())

    signed = located.signed_rows
    mine = to_usable[signed] >= 0 if len(signed) else np.zeros(0, dtype=bool)
    for s in range(0, len(signed), CHUNK):
        part = mine[s : s + CHUNK]
        if not put(signed[s : s + CHUNK][part], located.signed_sigs[s : s + CHUNK][part]):
            return None
    stored = usable[located.pack[usable] >= 0]
    stored = stored[np.lexsort((located.at[stored], located.pack[stored]))]  # by pack, then place
    packs = located.pack[stored]
    seen = 0
    try:
        for pack, pack_keys, pack_sigs in store.signatures_in(bins):
            lo, hi = np.searchsorted(packs, pack, "left"), np.searchsorted(packs, pack, "right")
            if lo == hi:
                continue
            rows = stored[lo:hi]
            at = located.at[rows]
            if int(at.max()) >= len(pack_keys) or not np.array_equal(pack_keys[at], keys[rows]):
                return None  # the pack changed since it was read
            if not put(rows, pack_sigs[at]):
                return None  # two different signatures share a hash
            seen += len(rows)
    except sqlite3.Error:
        return None
    if seen != len(stored) or not filled.all() or len(stored) + int(np.count_nonzero(mine)) != len(usable):
        return None
    return class_of, reps
