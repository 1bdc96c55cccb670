"""MinHash signatures of article bodies: word shingles, one-permutation hashing.

Features: the body is lower-cased, cut into sentences (at ``.``, ``!`` or ``?``
followed by white space, perhaps after closing punctuation such as a quote, and at
line breaks), and each sentence into words (runs
of letters, digits and underscores: punctuation is dropped, numbers are kept, so
"more than 70" and "70" differ; ’ and ' both split "Ukraine’s"). A feature is
:data:`SHINGLE` consecutive words of one sentence (a sentence shorter than that is
one feature): reordering the sentences of an article leaves its features
unchanged, while a sentence that was cut or rewritten changes only its own.

Signature: one-permutation MinHash (Li, Owen & Zhang 2012) with optimal
densification (Shrivastava 2017). Each feature is hashed once to 64 bits; the top
bits pick one of :data:`BINS` bins and the next 16 bits are its value; a bin keeps
its smallest value. An empty bin (short text) borrows the value of the first
non-empty bin along a fixed pseudo-random sequence, the same for every article, so
two articles with equal feature sets always get equal signatures. The fraction of
equal bins of two signatures estimates the Jaccard similarity of their feature
sets (standard error about ``sqrt(J(1-J)/BINS)``: 0.04 at J = 0.25).

Speed: a batch of texts is joined into one byte buffer and everything after
lower-casing (finding words and sentence ends, hashing words, shingles, bins) is
done by numpy on the whole batch, linear in its length: no Python work per word.
Text with characters beyond ASCII first has its non-ASCII punctuation turned into
an apostrophe and its non-ASCII spaces into plain spaces (two regular
expressions), so that every byte >= 0x80 left belongs to a word and “curly” and
"straight" quotes split words and end sentences alike.

Every constant here is fixed (no salted ``hash()``, no numpy random streams): the
same text gives the same signature in every process, on every run, with every
numpy version. :data:`PARAMS` names the feature and hash settings; signatures made
under other settings are never mixed with these (the store drops them).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

SHINGLE = 3  # words per feature (measured on bench/stories.py)
BINS = 128  # signature length; 16-bit values: 256 bytes per article
EMPTY = np.uint16(0xFFFF)  # a bin no feature fell into
VERSION = 2  # bump when the features or the hashing change
PARAMS = f"minhash-oph v{VERSION} shingle={SHINGLE} bins={BINS} sentences"

MAX_SHINGLE = 8
BATCH_BYTES = 1 << 20  # texts hashed together, at most (one longer text goes alone)

_U64 = np.uint64
_MASK16 = _U64(0xFFFF)
_TRUE = np.ones(1, dtype=bool)

# Non-ASCII text: punctuation (anything neither a word character, white space nor a
# sentence end) becomes an ASCII apostrophe, white space other than ASCII's a space.
_NON_ASCII_PUNCT = re.compile(r"[^\w\s.!?]")
_NON_ASCII_SPACE = re.compile(r"[^\S \t\n\r\x0b\x0c]")

_WORD = np.zeros(256, dtype=bool)
_WORD[np.frombuffer(b"abcdefghijklmnopqrstuvwxyz0123456789_", dtype=np.uint8)] = True
_WORD[0x80:] = True  # UTF-8 bytes of non-ASCII letters and digits (the rest was replaced)
_END = np.zeros(256, dtype=bool)
_END[np.frombuffer(b".!?", dtype=np.uint8)] = True
_SPACE = np.zeros(256, dtype=bool)
_SPACE[np.frombuffer(b" \t\n\r\x0b\x0c", dtype=np.uint8)] = True
_PUNCT = ~(_WORD | _END | _SPACE)  # between a sentence end and the space after it: .” ." .)
_NEWLINE = 10


def _splitmix(x: np.ndarray) -> np.ndarray:
    """The splitmix64 finaliser, elementwise on uint64 (wrapping arithmetic)."""
    x = x ^ (x >> _U64(30))
    x = x * _U64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> _U64(27))
    x = x * _U64(0x94D049BB133111EB)
    out: np.ndarray = x ^ (x >> _U64(31))
    return out


def _stable_table(rows: int, cols: int, modulo: int, salt: bytes) -> np.ndarray:
    """A fixed pseudo-random table of ints in ``[0, modulo)`` (blake2b counter mode)."""
    out = np.empty(rows * cols, dtype=np.int64)
    for i in range(rows * cols):
        digest = hashlib.blake2b(salt + i.to_bytes(4, "little"), digest_size=8).digest()
        out[i] = int.from_bytes(digest, "little") % modulo
    return out.reshape(rows, cols)


# One odd multiplier per word position in a feature, and the base of word hashes.
_MUL = (_stable_table(1, MAX_SHINGLE, 1 << 63, b"briefing-stories-positions")[0].astype(_U64) << _U64(1)) | _U64(1)
_BASE = _U64((int(_stable_table(1, 1, 1 << 63, b"briefing-stories-base")[0, 0]) << 1) | 1)
_INVERSE = _U64(pow(int(_BASE), -1, 1 << 64))
_powers: dict[int, np.ndarray] = {}  # base -> its powers 0..len-1, grown on demand


def _power_table(base: np.uint64, n: int) -> np.ndarray:
    """``base ** k`` (mod 2**64) for k in 0..n-1 at least."""
    table = _powers.get(int(base))
    if table is None or len(table) < n:
        size = max(n, 2 * len(table) if table is not None else 0, 1024)
        grown = np.full(size, base, dtype=np.uint64)
        grown[0] = 1
        table = _powers[int(base)] = np.cumprod(grown, dtype=np.uint64)
    return table


# Densification: for empty bin j, try bins table[0, j], table[1, j], ...
_DENSIFY_TRIES = 64
_DENSIFY: dict[int, np.ndarray] = {}


def _densify_table(bins: int) -> np.ndarray:
    table = _DENSIFY.get(bins)
    if table is None:
        table = _DENSIFY[bins] = _stable_table(_DENSIFY_TRIES, bins, bins, b"briefing-stories-densify")
    return table


def prepare(text: str) -> bytes:
    """Lower-cased UTF-8 bytes in which only words, ASCII white space and ``.!?``
    remain meaningful (see the module docstring)."""
    text = text.lower()
    if not text.isascii():
        text = _NON_ASCII_SPACE.sub(" ", _NON_ASCII_PUNCT.sub("'", text))
    return text.encode("utf-8", "surrogatepass")


def _words(buf: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(hashes, starts, sentence)`` of the words of ``buf`` (uint8): a 64-bit hash
    of each word's bytes, its offset, and the number of sentence ends before it."""
    word = _WORD[buf]
    edge = np.diff(word.view(np.int8), prepend=np.int8(0), append=np.int8(0))
    starts = np.flatnonzero(edge == 1)
    ends = np.flatnonzero(edge == -1)
    if len(starts) == 0:
        empty = np.empty(0, dtype=np.int64)
        return np.empty(0, dtype=np.uint64), empty, empty
    # Word hash: sum of byte * BASE**(offset in the word), over the word's bytes.
    lengths = ends - starts
    n = len(buf)
    if n <= BATCH_BYTES + 1:
        # From prefix sums over the buffer: (P[end] - P[start]) / BASE**start.
        prefix = np.zeros(n + 1, dtype=np.uint64)
        np.cumsum(buf.astype(np.uint64) * _power_table(_BASE, n)[:n], out=prefix[1:])
        sums = (prefix[ends] - prefix[starts]) * _power_table(_INVERSE, n)[starts]
    else:  # one very long text: powers only as long as its longest word
        inside = np.flatnonzero(word)
        offsets = inside - np.repeat(starts, lengths)
        terms = buf[inside].astype(np.uint64) * _power_table(_BASE, int(lengths.max()))[offsets]
        sums = np.add.reduceat(terms, np.cumsum(lengths) - lengths)
    hashes = _splitmix(sums ^ lengths.astype(np.uint64))
    return hashes, starts, np.searchsorted(_sentence_ends(buf), starts)


MAX_CLOSING = 8  # punctuation bytes looked through after a sentence end (.” or ."))


def _sentence_ends(buf: np.ndarray) -> np.ndarray:
    """Offsets of the sentence ends in ``buf``, sorted: line breaks, and ``.!?`` whose
    next byte that is not punctuation (within :data:`MAX_CLOSING`) is white space or
    the end of the buffer."""
    padded = np.append(buf, np.uint8(_NEWLINE))  # the end of the buffer counts as a space
    candidates = np.flatnonzero(_END[buf])  # few: about one byte in a hundred
    found = [np.flatnonzero(buf == _NEWLINE)]
    step = 1
    while len(candidates) and step <= MAX_CLOSING + 1:
        following = padded[np.minimum(candidates + step, len(buf))]
        found.append(candidates[_SPACE[following]])
        candidates = candidates[_PUNCT[following]]  # a quote or bracket between: look further
        step += 1
    return np.sort(np.concatenate(found))


def batch_features(texts: Sequence[str], shingle: int = SHINGLE) -> tuple[np.ndarray, np.ndarray]:
    """The features of every text: ``(hashes, text index)`` (repeats kept, in text order)."""
    out_h: list[np.ndarray] = []
    out_d: list[np.ndarray] = []
    group: list[bytes] = []
    first = 0
    size = 0
    for k, text in enumerate(texts):
        data = prepare(text)
        if group and size + len(data) > BATCH_BYTES:
            _features_of(group, first, shingle, out_h, out_d)
            first, group, size = k, [], 0
        group.append(data)
        size += len(data) + 1
    if group:
        _features_of(group, first, shingle, out_h, out_d)
    if not out_h:
        return np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.int64)
    return np.concatenate(out_h), np.concatenate(out_d)


def _features_of(group: list[bytes], first: int, shingle: int, out_h: list[Any], out_d: list[Any]) -> None:
    joined = b"\n".join(group)  # a line break: texts never share a sentence
    buf = np.frombuffer(joined, dtype=np.uint8)
    t, starts, sentence = _words(buf)
    n = len(t)
    if n == 0:
        return
    text_starts = np.cumsum([0] + [len(g) + 1 for g in group[:-1]])
    doc = np.searchsorted(text_starts, starts, side="right") - 1 + first
    parts = []
    docs = []
    if n >= shingle:
        windows = n - shingle + 1
        h = t[:windows] * _MUL[0]
        for k in range(1, shingle):
            h += t[k : k + windows] * _MUL[k]
        keep = sentence[:windows] == sentence[shingle - 1 :]
        parts.append(h[keep])
        docs.append(doc[:windows][keep])
    # A sentence shorter than SHINGLE words is one feature of all its words.
    heads = np.flatnonzero(np.concatenate((_TRUE, sentence[1:] != sentence[:-1])))
    lengths = np.diff(heads, append=n)
    short = lengths < shingle
    if short.any():
        position = np.arange(n) - np.repeat(heads, lengths)
        in_short = np.repeat(short, lengths)
        weighted = t[in_short] * _MUL[position[in_short]]
        parts.append(np.add.reduceat(weighted, np.cumsum(lengths[short]) - lengths[short]))
        docs.append(doc[heads[short]])
    out_h.append(_splitmix(np.concatenate(parts)))
    out_d.append(np.concatenate(docs))


class Signer:
    """Turns texts into signatures with one shingle size and signature length.
    Holds no state between calls: safe in any thread."""

    def __init__(self, shingle: int = SHINGLE, bins: int = BINS) -> None:
        if not 1 <= shingle <= MAX_SHINGLE:
            raise ValueError(f"shingle size must be 1 to {MAX_SHINGLE}")
        if bins < 2 or bins & (bins - 1) or bins > 4096:
            raise ValueError("bins must be a power of two up to 4096")
        self.shingle = shingle
        self.bins = bins

    def features(self, text: str) -> np.ndarray:
        """The distinct 64-bit feature hashes of ``text``, sorted (for exact
        similarities; signing does not need them distinct)."""
        hashes, _ = batch_features([text], self.shingle)
        return _distinct(np.sort(hashes))

    def sign_many(self, texts: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
        """Signatures of ``texts``: ``(sigs, sizes)``, ``sigs`` uint16 of shape
        (n, bins) and ``sizes`` about the number of distinct features of each text
        (0: no words at all, and a signature that matches nothing)."""
        texts = list(texts)
        hashes, doc = batch_features(texts, self.shingle)
        return _sign(hashes, doc, len(texts), self.bins)


def _distinct(values: np.ndarray) -> np.ndarray:
    if len(values) < 2:
        return values
    out: np.ndarray = values[np.concatenate((_TRUE, values[1:] != values[:-1]))]
    return out


def sign_features(feats: list[np.ndarray], bins: int = BINS) -> tuple[np.ndarray, np.ndarray]:
    """Signatures of texts given as arrays of feature hashes (see :meth:`Signer.features`)."""
    n = len(feats)
    counts = np.fromiter((len(f) for f in feats), dtype=np.int64, count=n)
    hashes = np.concatenate(feats) if n else np.empty(0, dtype=np.uint64)
    return _sign(hashes, np.repeat(np.arange(n, dtype=np.int64), counts), n, bins)


def _sign(hashes: np.ndarray, doc: np.ndarray, n: int, bins: int) -> tuple[np.ndarray, np.ndarray]:
    """One-permutation MinHash, densified: one sort of (text, bin, value) codes."""
    sigs: np.ndarray = np.full(n * bins, EMPTY, dtype=np.uint16)
    sizes = np.zeros(n, dtype=np.int64)
    if len(hashes):
        bin_bits = bins.bit_length() - 1
        code = (hashes >> _U64(64 - bin_bits - 16)).astype(np.int64)  # bin and value: the top bits
        code = np.sort((doc << (bin_bits + 16)) | code)
        distinct = np.concatenate((_TRUE, code[1:] != code[:-1]))
        sizes = np.bincount(code[distinct] >> (bin_bits + 16), minlength=n)
        slot = code >> 16  # text * bins + bin
        first = np.concatenate((_TRUE, slot[1:] != slot[:-1]))  # the smallest value of each slot
        sigs[slot[first]] = (code[first] & 0xFFFF).astype(np.uint16)
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
    for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
        nonempty = np.flatnonzero(original[r] != EMPTY)
        sigs[r, c] = original[r, nonempty[0]]


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
