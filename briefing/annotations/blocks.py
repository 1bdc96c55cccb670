"""Runs of entries of a large annotation file hashed together, so that a file another
program rewrote (a ``git pull``) is matched against the version before it by one
hash per run instead of one per entry (:mod:`briefing.annotations.reindex`).

The runs ("blocks") are cut by the entries' own bytes, not by their positions: an
entry starts a block when the first byte of its digest (:meth:`FileIndex.digests
<briefing.annotations.indexed.FileIndex.digests>`) has its low
:data:`BLOCK_BITS` bits zero, and the first entry always does: about one entry in 8
(at 1 % of the entries changed, 8 matched faster than 4 or 16). So an
entry added or removed changes only the block around it, and every other block of
the new version has the bytes, hence the digest, of a block of the old one. A
block's digest is the SHA-256 of its entries' bytes (its first :data:`BLOCK_DIGEST`
bytes: 128 bits), kept in the cache after the entries' digests
(:mod:`briefing.annotations.kept`). A hostile file can only make blocks long or
short: it costs speed (entries are then matched one by one), never correctness.

An index holds its blocks' digests (``FileIndex._blocks``) when they are known
without hashing every byte: a save copies runs of the old entries, a reindex finds
runs of the old blocks in the new bytes, and the blocks within those runs keep
their digests (:func:`carried_blocks`; only the blocks around a change are hashed).
Otherwise they are hashed when the index is kept."""

from __future__ import annotations

import hashlib
from bisect import bisect_left, bisect_right
from itertools import compress
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from briefing.annotations.indexed import FileIndex

# Bytes kept of each entry's SHA-256 digest (see FileIndex.digests). An entry whose digest
# is known is not parsed again, so a teammate must not be able to make another entry with
# the same digest: 128 bits (64 would take ~2**32 hashes to collide, hours on a laptop).
DIGEST = 16

BLOCK_BITS = 3
BLOCK_DIGEST = 16
# The first byte of each entry's digest -> 1 where it starts a block, else 0.
_STARTS_BLOCK = bytes(1 if b & ((1 << BLOCK_BITS) - 1) == 0 else 0 for b in range(256))

# A run of blocks of the previous version found again: blocks ``lo`` to ``hi`` (not
# included) of the previous version are, entry for entry, the entries ``shift``
# positions further in the new one.
Run = tuple[int, int, int]  # (lo, hi, shift)


def block_firsts(digests: bytes) -> list[int]:
    """The position of each block's first entry, given every entry's digest (kept
    for the last digests asked about: a reindex and the save after it ask twice)."""
    global _last_firsts
    last = _last_firsts
    if last is not None and last[0] is digests:
        return last[1]
    flags = digests[::DIGEST].translate(_STARTS_BLOCK)
    firsts = list(compress(range(len(flags)), flags))
    if not firsts or firsts[0] != 0:
        firsts.insert(0, 0)
    _last_firsts = (digests, firsts)
    return firsts


_last_firsts: tuple[bytes, list[int]] | None = None


def block_digests(index: FileIndex) -> bytes:
    """Every block's digest of ``index``: known, or hashed now (then known)."""
    if index._blocks is None:
        index._blocks = carried_blocks(index, [], b"", [], 0)
    return index._blocks


def runs_copied(firsts: list[int], count: int, copied: list[tuple[int, int, int]]) -> list[Run]:
    """The runs of blocks within runs of entries copied by a splice: ``copied`` holds
    (first entry, entry after the last, shift) of the previous version (``count``
    entries, blocks starting at ``firsts``)."""
    runs = []
    for taken, upto, shift in copied:
        lo = bisect_left(firsts, taken)
        hi = len(firsts) if upto >= count else bisect_right(firsts, upto) - 1
        if hi > lo:
            runs.append((lo, hi, shift))
    return runs


def carried_blocks(index: FileIndex, firsts: list[int], digests: bytes, runs: list[Run], count: int) -> bytes:
    """The digest of every block of ``index``, those within ``runs`` of the previous
    version's blocks (starting at entries ``firsts`` of ``count``, with ``digests``)
    taken from it, the others hashed. A run's first and last blocks are checked to
    be blocks here too (the first entry of the file starts a block whatever its
    digest; a run's last block may run on here): the blocks between are then the
    same entries, with the same digests, so cut in the same places."""
    new = block_firsts(index.digests())
    total, n = len(new), len(index.starts)
    view, starts, end = memoryview(index.data), index.starts, index.end
    out: list[bytes] = []
    done = 0  # blocks of ``index`` whose digest is in ``out``

    def hashed(upto: int) -> None:
        for j in range(done, upto):
            a, b = starts[new[j]], (starts[new[j + 1]] if j + 1 < total else end)
            out.append(hashlib.sha256(view[a:b]).digest()[:BLOCK_DIGEST])

    for lo, hi, shift in runs:
        j = bisect_left(new, firsts[lo] + shift) if lo < hi else total
        if j < total and new[j] != firsts[lo] + shift:  # (the first entry's block, moved on)
            lo += 1
            j = bisect_left(new, firsts[lo] + shift) if lo < hi else total
            if j >= total or new[j] != firsts[lo] + shift:
                continue
        while hi > lo:  # the last block ends here where it ended before?
            last = j + hi - 1 - lo
            stop = new[last + 1] if last + 1 < total else n
            if last < total and stop == (firsts[hi] if hi < len(firsts) else count) + shift:
                break
            hi -= 1
        if hi <= lo or j < done:
            continue
        hashed(j)
        out.append(digests[lo * BLOCK_DIGEST : hi * BLOCK_DIGEST])
        done = j + hi - lo
    hashed(total)
    return b"".join(out)
