"""Locality-sensitive hashing of MinHash signatures: candidate pairs without all pairs.

The signature is cut into ``bands`` bands of ``rows`` bins. Two articles whose
signatures agree on every bin of at least one band become a candidate pair. With
Jaccard similarity ``s`` the chance of that is ``1 - (1 - s**rows)**bands``: for the
default 64 bands of 2 bins, 0.93 at s = 0.2, 0.998 at s = 0.3, but 0.006 at
s = 0.01, so the pairs to verify grow with the number of similar pairs, not with
the square of the corpus. Each band costs one sort of the corpus (``n log n``).

A bucket (articles equal on one band) larger than ``max_bucket`` yields only the
pairs of articles within ``max_bucket`` places of each other in it (in article
order), not all of its pairs: a bucket of 10,000 copies of one boilerplate text
stays linear, and its members are still connected through the chain.
"""

from __future__ import annotations

import numpy as np

from briefing.stories.signature import BINS

BANDS = 64
ROWS = 2
MAX_BUCKET = 64


def band_keys(sigs: np.ndarray, band: int, rows: int) -> np.ndarray:
    """One uint64 key per signature for band ``band`` (its ``rows`` 16-bit values
    packed exactly when they fit, else mixed)."""
    block = sigs[:, band * rows : (band + 1) * rows].astype(np.uint64)
    if rows <= 4:
        key = np.zeros(len(sigs), dtype=np.uint64)
        for r in range(rows):
            key |= block[:, r] << np.uint64(16 * r)
        return key
    key = np.full(len(sigs), np.uint64(band + 1), dtype=np.uint64)
    for r in range(rows):
        key = (key ^ block[:, r]) * np.uint64(0x100000001B3)
    return key


def candidate_pairs(sigs: np.ndarray, bands: int = BANDS, rows: int = ROWS,
                    max_bucket: int = MAX_BUCKET) -> np.ndarray:
    """The distinct candidate pairs of rows of ``sigs``: an int64 array of shape
    (m, 2), each pair ``(i, j)`` with ``i < j``, sorted."""
    if bands * rows > sigs.shape[1]:
        raise ValueError(f"{bands} bands of {rows} rows need {bands * rows} bins; signatures have {sigs.shape[1]}")
    found = Found(len(sigs), max_bucket)
    for band in range(bands):
        found.add(band_keys(sigs, band, rows))
    return found.pairs()


class Found:
    """Candidate pairs of ``n`` rows gathered band by band: :meth:`add` one band's
    keys (one per row), then :meth:`pairs` (as :func:`candidate_pairs` gives them)."""

    def __init__(self, n: int, max_bucket: int = MAX_BUCKET) -> None:
        self.n = n
        self.max_bucket = max_bucket
        self._found: list[np.ndarray] = []

    def add(self, key: np.ndarray) -> None:
        n, found = self.n, self._found
        order = np.argsort(key, kind="stable")
        sorted_keys = key[order]
        for d in range(1, self.max_bucket):
            same = sorted_keys[d:] == sorted_keys[:-d]
            if not same.any():
                break
            a = order[:-d][same]
            b = order[d:][same]
            found.append(np.minimum(a, b) * n + np.maximum(a, b))
        if len(found) > 64:  # keep memory bounded on corpora with many duplicates
            self._found = [_distinct(np.concatenate(found))]

    def pairs(self) -> np.ndarray:
        if not self._found:
            return np.empty((0, 2), dtype=np.int64)
        codes = _distinct(np.concatenate(self._found))
        n = self.n
        return np.stack((codes // n, codes % n), axis=1)


def _distinct(codes: np.ndarray) -> np.ndarray:
    """Sorted distinct values (a sort: ``np.unique`` hashes, many times slower here)."""
    codes = np.sort(codes)
    if len(codes) < 2:
        return codes
    return codes[np.concatenate(([True], codes[1:] != codes[:-1]))]


assert BANDS * ROWS <= BINS
