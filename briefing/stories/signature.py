"""MinHash signatures of article bodies: word shingles, one-permutation hashing.

Features: the body is lower-cased, cut into sentences (at ``.``, ``!`` or ``?``
followed by white space, and at line breaks), and each sentence into words (runs
of letters and digits: punctuation is dropped, numbers are kept, so "more than 70"
and "70" differ). A feature is :data:`SHINGLE` consecutive words of one sentence (a
sentence shorter than that is one feature): reordering the sentences of an article
leaves its features unchanged, while a sentence that was cut or rewritten changes
only its own.

Signature: one-permutation MinHash (Li, Owen & Zhang 2012) with optimal
densification (Shrivastava 2017). Each feature is hashed once to 64 bits; the top
bits pick one of :data:`BINS` bins and the next 16 bits are its value; a bin keeps
its smallest value. An empty bin (short text) borrows the value of the first
non-empty bin along a fixed pseudo-random sequence, the same for every article, so
two articles with equal feature sets always get equal signatures. The fraction of
equal bins of two signatures estimates the Jaccard similarity of their feature
sets (standard error about ``sqrt(J(1-J)/BINS)``: 0.04 at J = 0.25). Hashing is
linear in the text's length (no per-permutation work) and vectorised with numpy.

Every constant here is fixed (no salted ``hash()``, no numpy random streams): the
same text gives the same signature in every process, on every run, with every
numpy version. :data:`PARAMS` names the feature and hash settings; signatures made
under other settings are never mixed with these (the store drops them).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

import numpy as np

SHINGLE = 3  # words per feature (measured on bench/stories.py)
BINS = 128  # signature length; 16-bit values: 256 bytes per article
EMPTY = np.uint16(0xFFFF)  # a bin no feature fell into
VERSION = 1  # bump when the features or the hashing change
PARAMS = f"minhash-oph v{VERSION} shingle={SHINGLE} bins={BINS} sentences"

MAX_SHINGLE = 8
_MASK16 = np.uint64(0xFFFF)

# Words (runs of letters, digits and underscores) and sentence ends (., ! or ? before
# white space, and line breaks), in text order.
_TOKENS = re.compile(r"\w+|[.!?](?=\s)|\n")

_TOKEN_CACHE_MAX = 400_000
_TRUE = np.ones(1, dtype=bool)


def _splitmix(x: np.ndarray) -> np.ndarray:
    """The splitmix64 finaliser, elementwise on uint64 (wrapping arithmetic)."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def _stable_table(rows: int, cols: int, modulo: int, salt: bytes) -> np.ndarray:
    """A fixed pseudo-random table of ints in ``[0, modulo)`` (blake2b counter mode)."""
    out = np.empty(rows * cols, dtype=np.int64)
    for i in range(rows * cols):
        digest = hashlib.blake2b(salt + i.to_bytes(4, "little"), digest_size=8).digest()
        out[i] = int.from_bytes(digest, "little") % modulo
    return out.reshape(rows, cols)


# One odd multiplier per word position in a feature.
_MUL = (_stable_table(1, MAX_SHINGLE, 1 << 63, b"briefing-stories-positions")[0].astype(np.uint64) << np.uint64(1)) | np.uint64(1)

# Densification: for empty bin j, try bins table[0, j], table[1, j], ...
_DENSIFY_TRIES = 64
_DENSIFY: dict[int, np.ndarray] = {}


def _densify_table(bins: int) -> np.ndarray:
    table = _DENSIFY.get(bins)
    if table is None:
        table = _DENSIFY[bins] = _stable_table(_DENSIFY_TRIES, bins, bins, b"briefing-stories-densify")
    return table


class _Vocabulary(dict):
    """Word -> 64-bit hash (blake2b), computed once per word; sentence ends -> 0."""

    def __missing__(self, word: str) -> int:
        if len(self) >= _TOKEN_CACHE_MAX:
            self.clear()
            self.update(_BOUNDARIES)
        value = int.from_bytes(hashlib.blake2b(word.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")
        self[word] = value = value or 1
        return value


_BOUNDARIES = {".": 0, "!": 0, "?": 0, "\n": 0}


class Signer:
    """Turns texts into signatures. Keeps a cache of word hashes (a vocabulary), so
    one Signer per process or worker thread; not thread-safe."""

    def __init__(self, shingle: int = SHINGLE, bins: int = BINS) -> None:
        if not 1 <= shingle <= MAX_SHINGLE:
            raise ValueError(f"shingle size must be 1 to {MAX_SHINGLE}")
        if bins < 2 or bins & (bins - 1) or bins > 4096:
            raise ValueError("bins must be a power of two up to 4096")
        self.shingle = shingle
        self.bins = bins
        self._vocabulary = _Vocabulary(_BOUNDARIES)

    def features(self, text: str) -> np.ndarray:
        """The distinct 64-bit feature hashes of ``text`` (sorted)."""
        items = _TOKENS.findall(text.lower())
        if not items:
            return np.empty(0, dtype=np.uint64)
        t = np.fromiter(map(self._vocabulary.__getitem__, items), dtype=np.uint64, count=len(items))
        boundary = t == 0
        sentence = np.cumsum(boundary)[~boundary]  # sentence number of each word
        t = t[~boundary]
        n = len(t)
        if n == 0:
            return np.empty(0, dtype=np.uint64)
        k_words = self.shingle
        parts = []
        if n >= k_words:
            # Windows of SHINGLE words, kept when they do not cross a sentence end.
            windows = n - k_words + 1
            h = t[:windows] * _MUL[0]
            for k in range(1, k_words):
                h += t[k : k + windows] * _MUL[k]
            parts.append(h[sentence[:windows] == sentence[k_words - 1 :]])
        # A sentence shorter than SHINGLE words is one feature of all its words.
        first = np.flatnonzero(np.concatenate((_TRUE, sentence[1:] != sentence[:-1])))
        lengths = np.diff(first, append=n)
        short = lengths < k_words
        if short.any():
            position = np.arange(n) - np.repeat(first, lengths)
            in_short = np.repeat(short, lengths)
            weighted = t[in_short] * _MUL[position[in_short]]
            starts = np.cumsum(lengths[short]) - lengths[short]
            parts.append(np.add.reduceat(weighted, starts))
        hashes = np.sort(_splitmix(np.concatenate(parts) if len(parts) > 1 else parts[0]))
        if len(hashes) < 2:
            return hashes
        return hashes[np.concatenate((_TRUE, hashes[1:] != hashes[:-1]))]

    def sign_many(self, texts: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
        """Signatures of ``texts``: ``(sigs, sizes)``, ``sigs`` uint16 of shape
        (n, BINS) and ``sizes`` the number of distinct features of each text (0: no
        words at all, and a signature that matches nothing: see :func:`usable`)."""
        feats = [self.features(text) for text in texts]
        return sign_features(feats, self.bins)


def sign_features(feats: list[np.ndarray], bins: int = BINS) -> tuple[np.ndarray, np.ndarray]:
    """One-permutation MinHash of each array of feature hashes (sorted and distinct,
    as :meth:`Signer.features` gives them), densified."""
    n = len(feats)
    sizes = np.fromiter((len(f) for f in feats), dtype=np.int64, count=n)
    sigs = np.full(n * bins, EMPTY, dtype=np.uint16)
    if n and sizes.sum():
        allf = np.concatenate(feats)
        doc = np.repeat(np.arange(n, dtype=np.int64), sizes)
        shift = 64 - (bins.bit_length() - 1)
        key = doc * bins + (allf >> np.uint64(shift)).astype(np.int64)
        # Each text's features are sorted, and the value is the 16 bits right below
        # the bin bits: the first feature of each (text, bin) run holds its minimum.
        first = np.concatenate((_TRUE, key[1:] != key[:-1]))
        sigs[key[first]] = ((allf[first] >> np.uint64(shift - 16)) & _MASK16).astype(np.uint16)
    sigs = sigs.reshape(n, bins)
    _densify(sigs, sizes)
    return sigs, sizes


def _densify(sigs: np.ndarray, sizes: np.ndarray) -> None:
    """Fill empty bins in place from the first non-empty bin of their fixed sequence."""
    table = _densify_table(sigs.shape[1])
    original = sigs.copy()
    empty = (original == EMPTY) & (sizes > 0)[:, None]
    for attempt in range(_DENSIFY_TRIES):
        rows, cols = np.nonzero(empty)
        if len(rows) == 0:
            return
        source = original[rows, table[attempt, cols]]
        found = source != EMPTY
        sigs[rows[found], cols[found]] = source[found]
        empty[rows[found], cols[found]] = False
    # A bin still empty after every try (a text of one or two features): take the
    # first non-empty bin, scanning in bin order (the same rule for every article).
    rows, cols = np.nonzero(empty)
    for r, c in zip(rows.tolist(), cols.tolist()):
        nonempty = np.flatnonzero(original[r] != EMPTY)
        sigs[r, c] = original[r, nonempty[0]]


def usable(sizes: np.ndarray) -> np.ndarray:
    """Which signatures take part in grouping: texts with at least one feature."""
    return sizes > 0


def similarity(sigs: np.ndarray, left: np.ndarray, right: np.ndarray, chunk: int = 65536) -> np.ndarray:
    """Estimated Jaccard similarity of the pairs ``(left[k], right[k])`` of rows of ``sigs``."""
    out = np.empty(len(left), dtype=np.float32)
    for s in range(0, len(left), chunk):
        a = sigs[left[s : s + chunk]]
        b = sigs[right[s : s + chunk]]
        out[s : s + chunk] = (a == b).sum(axis=1, dtype=np.int32) / np.float32(sigs.shape[1])
    return out


def signature_rows(sigs: np.ndarray) -> list[bytes]:
    """Each signature as bytes (16-bit little-endian values), for storing."""
    data = sigs.astype("<u2", copy=False)
    return [row.tobytes() for row in data]


def signatures_from_rows(rows: list[bytes], bins: int = BINS) -> np.ndarray:
    """Stored signature bytes back into a (n, bins) uint16 array."""
    if not rows:
        return np.empty((0, bins), dtype=np.uint16)
    return np.frombuffer(b"".join(rows), dtype="<u2").reshape(len(rows), bins).astype(np.uint16)
