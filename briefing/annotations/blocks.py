"""Runs of entries of a large annotation file hashed together, so that a file another
program rewrote (a ``git pull``) is matched against the version before it by one
hash per run instead of one per entry (:mod:`briefing.annotations.reindex`).

The runs ("blocks") are cut by the entries' own bytes, not by their positions: an
entry starts a block when the first byte of its digest (:meth:`FileIndex.digests
<briefing.annotations.indexed.FileIndex.digests>`, blake2b) has its low
:data:`BLOCK_BITS` bits zero, and the first entry always does; about one entry in 16.
So an entry added or removed changes only the block around it, and every other block
of the new version has the bytes, hence the digest, of a block of the old one. A
block's digest is the blake2b (:data:`BLOCK_DIGEST` bytes: 128 bits) of its entries'
bytes, kept in the cache after the entries' digests (:mod:`briefing.annotations.kept`).

Which blocks of a new version are already hashed is carried as spans: ``{(start,
stop): digest}``, byte offsets in that version's bytes (:attr:`FileIndex._blocks`):
a save copies runs of the old bytes (their blocks move by the same offset), a
reindex finds the old blocks in the new bytes. The others are hashed when the index
is kept."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping

from briefing.annotations.indexed import DIGEST, FileIndex

BLOCK_BITS = 3
BLOCK_DIGEST = 16
# The first byte of each entry's digest -> 1 where it starts a block, else 0.
_STARTS_BLOCK = bytes(1 if b & ((1 << BLOCK_BITS) - 1) == 0 else 0 for b in range(256))
_ONE = re.compile(b"\x01")


def block_firsts(digests: bytes) -> list[int]:
    """The position of each block's first entry, given every entry's digest."""
    flags = digests[::DIGEST].translate(_STARTS_BLOCK)
    firsts = [m.start() for m in _ONE.finditer(flags)]
    if not firsts or firsts[0] != 0:
        firsts.insert(0, 0)
    return firsts


def block_spans(starts: list[int], end: int, firsts: list[int]) -> list[tuple[int, int]]:
    """(start, stop) byte offsets of each block."""
    edges = [starts[f] for f in firsts]
    edges.append(end)
    return list(zip(edges, edges[1:], strict=False))


def known_blocks(starts: list[int], end: int, digests: bytes, block_digests: bytes) -> dict[tuple[int, int], bytes]:
    """The spans of a kept index's blocks with their digests."""
    spans = block_spans(starts, end, block_firsts(digests))
    return {span: block_digests[k * BLOCK_DIGEST : (k + 1) * BLOCK_DIGEST] for k, span in enumerate(spans)}


def block_digests(index: FileIndex) -> bytes:
    """Every block's digest of ``index``, hashing only those not already known (the
    index then knows them all)."""
    known: Mapping[tuple[int, int], bytes] = index._blocks or {}
    view = memoryview(index.data)
    blake = hashlib.blake2b
    spans = block_spans(index.starts, index.end, block_firsts(index.digests()))
    out = []
    for span in spans:
        digest = known.get(span)
        if digest is None:
            digest = blake(view[span[0] : span[1]], digest_size=BLOCK_DIGEST).digest()
        out.append(digest)
    index._blocks = dict(zip(spans, out, strict=True))
    return b"".join(out)


def moved_blocks(known: Mapping[tuple[int, int], bytes], runs: list[tuple[int, int, int]]) -> dict[tuple[int, int], bytes]:
    """The known blocks lying within the runs of bytes a splice copied, where they
    are in the new bytes: ``runs`` holds (start, stop, delta) in order, the bytes
    ``start:stop`` having moved ``delta`` bytes further."""
    items = sorted(known.items())
    out: dict[tuple[int, int], bytes] = {}
    i = 0
    for start, stop, delta in runs:
        while i < len(items) and items[i][0][0] < start:
            i += 1
        while i < len(items) and items[i][0][1] <= stop:
            (a, b), digest = items[i]
            out[(a + delta, b + delta)] = digest
            i += 1
    return out
