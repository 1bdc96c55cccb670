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
    one) and the first row of each class; classes numbered in order of first row.

    Rows are hashed to 64 bits and sorted by hash (a sort of integers, not of 256-byte
    rows); every row is then checked equal to the first of its hash group, and only
    if two different rows ever share a hash are whole rows sorted instead."""
    n = len(sigs)
    if n == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    rows = np.ascontiguousarray(sigs)
    class_of, first = hash_classes(row_hashes(rows))
    copies = np.flatnonzero(first[class_of] != np.arange(n))  # rows that are not the first of their class
    for s in range(0, len(copies), CHUNK):
        part = copies[s : s + CHUNK]
        if not np.array_equal(rows[part], rows[first[class_of[part]]]):
            return _classes_by_rows(rows)  # two signatures share a hash: sort the rows
    return class_of, first


def hash_classes(h: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(class_of, first)`` as :func:`signature_classes` gives them when rows with
    equal hashes ``h`` (:func:`row_hashes`) are equal: classes numbered in order of
    their first row. The caller checks the rows of a class are equal."""
    n = len(h)
    order = np.argsort(h, kind="stable")  # stable: each group's first row is its smallest
    hs = h[order]
    start = np.concatenate(([True], hs[1:] != hs[:-1]))
    group_first = order[np.flatnonzero(start)]
    group_of = np.cumsum(start) - 1  # hash group of each position in ``order``
    del hs, start
    renumber = np.empty(len(group_first), dtype=np.int64)
    by_first = np.argsort(group_first, kind="stable")
    renumber[by_first] = np.arange(len(group_first))
    class_of = np.empty(n, dtype=np.int64)
    class_of[order] = renumber[group_of]
    return class_of, group_first[by_first].astype(np.int64)


CHUNK = 65536  # rows hashed or compared at once


def row_hashes(rows: np.ndarray) -> np.ndarray:
    """A 64-bit hash of each row's bytes: its 64-bit words times fixed odd
    multipliers, summed (wrapping), then mixed."""
    data = rows.view(np.uint8).reshape(len(rows), -1)
    if data.shape[1] % 8:
        data = np.pad(data, ((0, 0), (0, (-data.shape[1]) % 8)))
    words = np.ascontiguousarray(data).view(np.uint64)
    mul = (np.arange(1, words.shape[1] + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)) | np.uint64(1)
    h = np.empty(len(rows), dtype=np.uint64)
    for s in range(0, len(rows), CHUNK):
        h[s : s + CHUNK] = (words[s : s + CHUNK] * mul).sum(axis=1, dtype=np.uint64)
    h ^= h >> np.uint64(31)
    h *= np.uint64(0xBF58476D1CE4E5B9)
    h ^= h >> np.uint64(29)
    return h


def _classes_by_rows(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    as_void = rows.view(np.dtype((np.void, rows.shape[1] * rows.itemsize))).ravel()
    _, first, inverse = np.unique(as_void, return_index=True, return_inverse=True)
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
    if len(sigs) < 2:
        return []
    class_of, first = signature_classes(sigs)
    lead, member = group_classes(sigs[first], class_of, days, threshold, window, counts)
    return stories_of(lead, member)


def stories_of(lead: np.ndarray, member: np.ndarray) -> list[list[int]]:
    """The ``(lead, member)`` rows of :func:`group_classes` as lists of row indexes."""
    if len(lead) == 0:
        return []
    cuts = np.flatnonzero(np.concatenate(([True], lead[1:] != lead[:-1])))
    rows = member.tolist()
    bounds = np.append(cuts, len(rows)).tolist()
    return [rows[bounds[k] : bounds[k + 1]] for k in range(len(cuts))]


def group_classes(reps: np.ndarray, class_of: np.ndarray, days: np.ndarray, threshold: float, window: int,
                  counts: Counts | None = None, *, pairs: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Stories of articles given by their signature class: ``reps`` holds one
    signature per class (classes numbered in order of their first article), ``class_of``
    the class of each article (row), ``days`` its date ordinal. ``pairs``: the LSH
    candidate pairs of ``reps`` when already found (``reps`` then need only hold the
    classes in a pair: only those are compared).

    Returns ``(lead, member)``, two int64 arrays of equal length: one entry per
    grouped article (its lead's row and its own), each story's entries together and
    in story order (the lead's own entry first), stories in no particular order.
    """
    empty = np.empty(0, dtype=np.int64)
    n = len(class_of)
    if n < 2:
        return empty, empty
    if pairs is None:
        pairs = lsh.candidate_pairs(reps)
    edges = verify(reps, pairs, threshold)
    if counts is not None:
        counts.classes, counts.candidates, counts.verified = len(reps), len(pairs), len(edges)
    labels = components(len(reps), edges)[class_of]  # component of each article
    sizes = np.bincount(labels, minlength=len(reps))
    grouped = np.flatnonzero(sizes[labels] >= 2)
    if len(grouped) == 0:
        return empty, empty
    rank = story_order(days)
    members = grouped[np.lexsort((rank[grouped], labels[grouped]))]  # each component in story order
    big_edges = _edge_codes(edges, len(reps)) if sizes.max() > BIG_COMPONENT else None
    del grouped, rank
    # Whole components a block at a time (they split independently): the work arrays
    # of a round stay the size of a block, not of every grouped article.
    comp_start = np.flatnonzero(np.concatenate(([True], labels[members[1:]] != labels[members[:-1]])))
    leads: list[np.ndarray] = []
    joined: list[np.ndarray] = []
    lo = 0
    while lo < len(members):
        at = int(np.searchsorted(comp_start, lo + STAR_BLOCK))
        hi = int(comp_start[at]) if at < len(comp_start) else len(members)
        part = _stars(reps, class_of, days, labels, sizes, members[lo:hi], big_edges, np.float32(threshold), window)
        leads.append(part[0])
        joined.append(part[1])
        lo = hi
    return np.concatenate(leads), np.concatenate(joined)


STAR_BLOCK = 131072  # grouped articles split into stars at once (whole components)


def _edge_codes(edges: np.ndarray, classes: int) -> np.ndarray:
    """Verified class pairs as sorted codes ``a * classes + b``, both ways round."""
    a, b = edges[:, 0].astype(np.int64), edges[:, 1].astype(np.int64)
    return np.sort(np.concatenate((a * classes + b, b * classes + a)))


def _stars(reps: np.ndarray, class_of: np.ndarray, days: np.ndarray, labels: np.ndarray, sizes: np.ndarray,
           members: np.ndarray, big_edges: np.ndarray | None, limit: np.float32,
           window: int) -> tuple[np.ndarray, np.ndarray]:
    """Split every component into stars at once, in rounds: in each round the first
    article not yet placed of every component is its lead, and the articles not yet
    placed that pass the test with it join it (step 4 of the module docstring). The
    same stars as taking one component and one lead at a time, with numpy work per
    round instead of Python work per lead."""
    classes = len(reps)
    out_lead: list[np.ndarray] = []
    out_member: list[np.ndarray] = []
    active = members  # rows not yet placed, each component's together and in story order
    while len(active):
        comp = labels[active]
        start = np.concatenate(([True], comp[1:] != comp[:-1]))
        head = np.flatnonzero(start)
        lead = active[np.repeat(head, np.diff(np.append(head, len(active))))]
        lc, oc = class_of[lead], class_of[active]
        ok = ~start & (lc == oc)  # the same signature: similarity 1
        diff = np.flatnonzero(~start & (lc != oc))
        if len(diff):
            if big_edges is not None:  # a big component: only classes verified against the lead's
                big = sizes[comp[diff]] > BIG_COMPONENT
                code = lc[diff] * classes + oc[diff]
                near = np.zeros(len(diff), dtype=bool)
                if len(big_edges):
                    near = big_edges[np.minimum(np.searchsorted(big_edges, code), len(big_edges) - 1)] == code
                diff = diff[~big | near]
            if len(diff):
                ok[diff] = similarity(reps, lc[diff], oc[diff]) >= limit
        if window > 0:
            ld, od = days[lead], days[active]
            ok &= (ld == NO_DATE) | (od == NO_DATE) | (np.abs(od - ld) <= window)
        joined_leads = np.unique(lead[ok])
        if len(joined_leads):
            is_lead = start & np.isin(active, joined_leads)
            keep = ok | is_lead
            out_lead.append(lead[keep])
            out_member.append(active[keep])
        active = active[~(ok | start)]
    if not out_lead:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    # A story's entries all come from one round: its lead's, then its members in story order.
    return np.concatenate(out_lead).astype(np.int64), np.concatenate(out_member).astype(np.int64)
