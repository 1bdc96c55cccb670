"""From signatures to stories: candidates, verification, components, leads.

1. Articles with identical signatures (copies of one text) form a class; LSH
   (:mod:`briefing.stories.lsh`) runs once per class, so a corpus holding many
   copies of each text costs no more than one holding each text once.
2. Every candidate pair of classes is verified: its estimated similarity (equal
   signature bins) must reach the threshold. The rest are dropped.
3. Connected components of the verified pairs (a vectorised union-find: hook the
   larger root under the smaller, compress paths, repeat); an article belongs to
   its class's component.
4. No chaining: a component is split into stories around leads. Its articles are
   taken in story order (oldest first, undated last, then id); the first one not
   yet placed becomes a lead, and every article not yet placed that passes the
   threshold *with the lead* and is dated at most ``window`` days from it (when
   both are dated; ``window`` 0: no limit) joins its story. So a story is a star:
   an article similar to a member but not to the lead starts its own story, and
   unrelated articles never join through a hub. Articles are compared with the
   lead from their signatures, whether or not LSH paired them. In a component of
   more than :data:`BIG_COMPONENT` articles (a corpus of near-identical
   boilerplate) only the articles of the lead's class and of the classes verified
   against it are compared, to stay near-linear.

Everything is ordered by row index (the caller sorts articles by id) and by story
order, so the same input gives the same stories.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from briefing.stories import lsh
from briefing.stories.signature import similarity

BIG_COMPONENT = 2000
NO_DATE = -1  # the ordinal of an undated article in ``days``


@dataclass
class Counts:
    """Sizes of the intermediate steps (for stats and the benchmark)."""

    classes: int = 0
    candidates: int = 0
    verified: int = 0


def signature_classes(sigs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(class_of, first)``: the class of each row (rows with equal signatures share
    one) and the first row of each class; classes numbered in order of first row."""
    if len(sigs) == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    rows = np.ascontiguousarray(sigs).view(np.dtype((np.void, sigs.shape[1] * sigs.itemsize))).ravel()
    _, first, inverse = np.unique(rows, return_index=True, return_inverse=True)
    renumber = np.empty(len(first), dtype=np.int64)
    order = np.argsort(first, kind="stable")
    renumber[order] = np.arange(len(first))
    return renumber[inverse.ravel()], first[order].astype(np.int64)


def verify(sigs: np.ndarray, pairs: np.ndarray, threshold: float) -> np.ndarray:
    """The pairs (rows of ``pairs``) whose estimated similarity reaches ``threshold``."""
    if len(pairs) == 0:
        return pairs
    kept: np.ndarray = pairs[similarity(sigs, pairs[:, 0], pairs[:, 1]) >= np.float32(threshold)]
    return kept


def components(n: int, edges: np.ndarray) -> np.ndarray:
    """Component label (its smallest member) of each of ``n`` nodes."""
    parent = np.arange(n, dtype=np.int64)
    if len(edges) == 0:
        return parent
    a, b = edges[:, 0], edges[:, 1]
    while True:
        ra, rb = parent[a], parent[b]
        differ = ra != rb
        if not differ.any():
            return parent
        lo = np.minimum(ra[differ], rb[differ])
        hi = np.maximum(ra[differ], rb[differ])
        np.minimum.at(parent, hi, lo)
        while True:  # path compression: every node points at its root
            grand = parent[parent]
            if np.array_equal(grand, parent):
                break
            parent = grand


def story_order(days: np.ndarray) -> np.ndarray:
    """Rank of each article in story order: oldest first, undated last, then row
    index (rows are sorted by article id, so: then id)."""
    undated = days == NO_DATE
    order = np.lexsort((np.arange(len(days)), days, undated))
    rank = np.empty(len(days), dtype=np.int64)
    rank[order] = np.arange(len(days))
    return rank


def group(sigs: np.ndarray, days: np.ndarray, threshold: float, window: int,
          counts: Counts | None = None) -> list[list[int]]:
    """Stories (lists of row indexes in story order, two or more each) of the
    signatures ``sigs`` with date ordinals ``days``; see the module docstring."""
    n = len(sigs)
    if n < 2:
        return []
    class_of, first = signature_classes(sigs)
    reps = sigs[first]
    pairs = lsh.candidate_pairs(reps)
    edges = verify(reps, pairs, threshold)
    if counts is not None:
        counts.classes, counts.candidates, counts.verified = len(first), len(pairs), len(edges)
    labels = components(len(first), edges)[class_of]  # component of each article
    sizes = np.bincount(labels, minlength=len(first))
    grouped = np.flatnonzero(sizes[labels] >= 2)
    if len(grouped) == 0:
        return []
    rank = story_order(days)
    by = np.lexsort((rank[grouped], labels[grouped]))  # each component in story order
    members_all = grouped[by]
    comp_of = labels[members_all]
    cuts = np.flatnonzero(np.concatenate(([True], comp_of[1:] != comp_of[:-1])))
    bounds = np.append(cuts, len(members_all))
    neighbours = _class_adjacency(edges) if sizes.max() > BIG_COMPONENT else None
    limit = np.float32(threshold)
    stories: list[list[int]] = []
    for c in range(len(cuts)):
        members = members_all[bounds[c] : bounds[c + 1]]
        near_classes = neighbours if len(members) > BIG_COMPONENT else None
        placed = np.zeros(len(members), dtype=bool)
        member_class = class_of[members]
        for k in range(len(members)):
            if placed[k]:
                continue
            placed[k] = True
            lead = members[k]
            if near_classes is not None:
                near = near_classes.get(int(class_of[lead]), set()) | {int(class_of[lead])}
                open_ = np.flatnonzero(~placed & np.isin(member_class, list(near)))
            else:
                open_ = np.flatnonzero(~placed)
            if len(open_) == 0:
                continue
            others = members[open_]
            ok = similarity(sigs, np.full(len(others), lead), others) >= limit
            if window > 0 and days[lead] != NO_DATE:
                od = days[others]
                ok &= (od == NO_DATE) | (np.abs(od - days[lead]) <= window)
            if ok.any():
                joined = open_[ok]
                placed[joined] = True
                stories.append([int(lead)] + [int(m) for m in members[joined]])  # both in story order
    return stories


def _class_adjacency(edges: np.ndarray) -> dict[int, set[int]]:
    table: dict[int, set[int]] = {}
    for a, b in edges.tolist():
        table.setdefault(a, set()).add(b)
        table.setdefault(b, set()).add(a)
    return table
