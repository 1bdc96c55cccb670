"""A large annotation file another program rewrote, indexed again from what was known
of its previous version instead of parsed whole (issue 20).

A ``git pull`` bringing a teammate's tags, a checkout, a merge: the file's bytes
change, so the index kept for it (:mod:`briefing.annotations.indexed`, keyed by the
file's identity and the SHA-256 of its bytes) no longer applies, and a whole parse of
100,000 entries costs seconds. But the kept index holds a digest of every entry's
bytes (:meth:`~briefing.annotations.indexed.FileIndex.digests`), and every entry it
describes was read and validated when it was kept. So :func:`reindex`:

1. checks that the new bytes have the canonical outline: exactly the header
   ``yamlio.dump`` writes and ``articles:``, entries each starting on a line
   indented by exactly two spaces, and ``version: <current>`` last;
2. splits them into entries at those lines and hashes each; an entry whose digest is
   among the kept ones has exactly the bytes of an entry read before. The split and
   the hashing follow the kept offsets (:func:`_walk`): where the kept index says a
   block of about 8 entries (:mod:`briefing.annotations.blocks`) should be next,
   one hash of that many bytes tells whether it is, and those entries need neither
   the search for their lines nor a hash each; where not, entry by entry;
3. parses the other entries, with the same safe loader and schema validation as a
   whole parse (all at once: one parse of their concatenation), and requires that
   each is exactly what the writer makes of the value read (so it holds nothing the
   writer would not: no anchor, alias, tag, comment, CRLF line end or merge-conflict
   marker, and it is one entry: it parses alone as the same entry);
4. checks that the ids are in strictly increasing order (two neighbours that were
   neighbours in the same order before need no look; the others are compared by
   their key lines), which also rules out duplicates.

Then the file is exactly ``yamlio.dump`` of what those entries hold, the very check a
whole parse makes before a file is indexed, and the result is the index a whole parse
would have built (entries parsed on demand). On any doubt (another outline, a changed
entry that does not parse alone or is not written as the writer would, ids out of
order, more than :data:`MAX_CHANGED_SHARE` of the entries changed) it returns None and
the caller parses the whole file exactly as before, so a broken file gives the same
message, naming the file and the line, as it always did.
"""

from __future__ import annotations

import hashlib
from array import array
from dataclasses import dataclass, field
from pathlib import Path

from briefing.annotations import yamlio
from briefing.annotations.blocks import BLOCK_DIGEST, Run, block_firsts, carried_blocks
from briefing.annotations.indexed import _ENTRY_LINE, _VERSION_TAIL, DIGEST, LAZY_MIN, FileIndex, entries_span
from briefing.annotations.kept import KeptIndex, hash_ahead, keep_index, keeping_later, kept_index
from briefing.annotations.schema import SchemaError

# Past this share of changed entries, parsing them one by one costs about as much as
# the whole parse (one entry alone: ~60 us, its share of a whole parse: ~45 us).
MAX_CHANGED_SHARE = 0.2
# Where an entry's bytes are not the next kept ones, they are looked for among the
# next WINDOW kept entries (a few removed), then, after LOST entries in a row found
# nowhere near, among all of them (a long run removed, entries moved).
WINDOW = 64
LOST = 8


def cached_index(annotation_file: Path, key: tuple[int, ...] | None, data: bytes) -> FileIndex | None:
    """The index of ``data``, the bytes of ``annotation_file`` read under the identity
    ``key``, from the index kept for it: exactly that one when the file is unchanged;
    for another version of the file, one made by :func:`reindex` (then kept in its
    place); None when the file is to be parsed whole."""
    kept = kept_index(annotation_file, data) if key is not None else None
    if kept is None or key is None:
        return None
    index = kept.index_of(key, data)
    if index is None:  # another version of the file (a pull, a checkout): what is unchanged is known
        if not keeping_later():  # (a save follows at once: see kept.kept_last)
            hash_ahead(data)  # for keeping the new index, meanwhile
        index = reindex(data, kept.digests, kept)
        keep_index(annotation_file, key, index)
    return index


def reindex(data: bytes, known: bytes, kept: KeptIndex | None = None) -> FileIndex | None:
    """The index of ``data`` (a file's bytes) given ``known``, the digests kept for a
    previous version of it (and ``kept``, the rest of what was kept for it, when it is
    at hand: its offsets and blocks, which make this faster, not different); None
    when the file must be parsed whole."""
    span = entries_span(data)
    if span is None:
        return None
    head, end = span
    if not _starts_entry(data, head, end):
        return None
    walk = _walk(data, head, end, known, kept)
    starts = walk.starts
    if len(starts) < LAZY_MIN or len(walk.changed) > MAX_CHANGED_SHARE * len(starts):
        return None
    index = FileIndex(data, starts, end, _digests=b"".join(walk.digests))
    if kept is not None and walk.runs:
        index._blocks = carried_blocks(index, walk.firsts, kept.blocks, walk.runs, len(kept.starts))
    if not read_changed(index, walk.changed):
        return None
    try:  # ids strictly increasing: compared where two entries were not neighbours before
        for n in walk.checks:
            if not index.key_at(n - 1) < index.key_at(n):
                return None
    except (ValueError, IndexError, UnicodeDecodeError):
        return None
    return index


def _starts_entry(data: bytes, at: int, end: int) -> bool:
    """Whether an entry starts at ``at``: exactly where :data:`_ENTRY_LINE`, searched
    in ``data[:end]``, finds one (written out again in :func:`_walk`, for speed)."""
    return at + 2 < end and data[at - 1] == 10 and data[at] == 32 and data[at + 1] == 32 and data[at + 2] not in _NOT_AFTER


_NOT_AFTER = b" :\n"  # what the line starting an entry cannot have after its two spaces


@dataclass
class _Walked:
    starts: array[int] = field(default_factory=lambda: array("q"))
    digests: list[bytes] = field(default_factory=list)  # of each entry, or of runs of them
    changed: list[int] = field(default_factory=list)  # entries whose bytes are new
    checks: list[int] = field(default_factory=list)  # n: compare the ids of entries n - 1 and n
    runs: list[Run] = field(default_factory=list)  # runs of kept blocks found again
    firsts: list[int] = field(default_factory=list)  # the kept blocks' first entries


def _walk(data: bytes, head: int, end: int, known: bytes, kept: KeptIndex | None) -> _Walked:
    """Split ``data[head:end]`` into entries, each with its digest and its place among
    the ``known`` ones (the same as searching for every entry line and hashing every
    entry). Where the kept offsets say which bytes should come next (the next
    block, else the next entry), those bytes are hashed and compared first: an
    entry or a block of the previous version ends with a newline and holds no other
    entry's line, so with the same bytes it is the same entries here, when an entry
    starts right after it."""
    view, sha = memoryview(data), hashlib.sha256
    count = len(known) // DIGEST
    old = kept.starts if kept is not None and len(kept.starts) == count and kept.digests == known else None
    olds = old if old is not None else array("q")
    old_end = kept.end if kept is not None else 0
    firsts = block_firsts(known) if old is not None and kept is not None else []
    block = kept.blocks if kept is not None else b""
    w = _Walked(firsts=firsts)
    runs, starts, digests, checks = w.runs, w.starts, w.digests, w.checks
    anywhere: dict[bytes, int] | None = None
    # Here; the next kept entry expected; the next kept block; the place of the entry
    # before (-1: new bytes); how many entries in a row were found nowhere near; how
    # many entries so far.
    p, m, k, prev, lost, n = head, 0, 0, -2, 0, 0
    # Kept entries found again, not yet in ``starts``: ``first:upto``, ``delta`` bytes on.
    first = upto = delta = 0
    nfirsts = len(firsts)
    while p < end:
        while k < nfirsts and firsts[k] < m:
            k += 1
        if k < nfirsts and firsts[k] == m:  # a kept block: the same here?
            last = firsts[k + 1] if k + 1 < nfirsts else count
            a = olds[m]  # (firsts is empty without them)
            q = p + (olds[last] if last < count else old_end) - a
            digest = block[k * BLOCK_DIGEST : (k + 1) * BLOCK_DIGEST]
            if (q == end or (q + 2 < end and data[q - 1] == 10 and data[q] == 32 and data[q + 1] == 32
                             and data[q + 2] not in _NOT_AFTER)) and sha(view[p:q]).digest()[:BLOCK_DIGEST] == digest:
                if prev != m - 1 and n:
                    checks.append(n)
                if m != upto or p - a != delta:  # a new run of kept entries
                    starts.extend([s + delta for s in olds[first:upto]])
                    digests.append(known[first * DIGEST : upto * DIGEST])
                    first, delta = m, p - a
                upto = last
                shift = n - m
                if runs and runs[-1][1] == k and runs[-1][2] == shift:
                    runs[-1] = (runs[-1][0], k + 1, shift)
                else:
                    runs.append((k, k + 1, shift))
                n += last - m
                p, m, k, prev, lost = q, last, k + 1, last - 1, 0
                continue
        place, d, q = -1, b"", 0
        if old is not None and m < count:  # the next kept entry: the same here?
            a = olds[m]
            q = p + (olds[m + 1] if m + 1 < count else old_end) - a
            if q == end or (q + 2 < end and data[q - 1] == 10 and data[q] == 32 and data[q + 1] == 32
                            and data[q + 2] not in _NOT_AFTER):
                d = sha(view[p:q]).digest()[:DIGEST]
                if d == known[m * DIGEST : (m + 1) * DIGEST]:
                    if prev != m - 1 and n:
                        checks.append(n)
                    if m != upto or p - a != delta:
                        starts.extend([s + delta for s in olds[first:upto]])
                        digests.append(known[first * DIGEST : upto * DIGEST])
                        first, delta = m, p - a
                    upto = m + 1
                    n += 1
                    p, prev, lost = q, m, 0
                    m += 1
                    continue
        found = _ENTRY_LINE.search(data, p, end)
        stop = found.start() + 1 if found else end
        if stop != q or not d:
            q, d = stop, sha(view[p:stop]).digest()[:DIGEST]
        place = _place(known, d, m)
        if place < 0 and lost >= LOST:
            if anywhere is None:
                anywhere = {known[i : i + DIGEST]: i // DIGEST for i in range(0, len(known), DIGEST)}
            place = anywhere.get(d, -1)
        if n and not (prev >= 0 and place == prev + 1):
            checks.append(n)
        if place < 0:
            w.changed.append(n)
            lost += 1
        else:
            lost = 0
            m = max(m, place + 1)
        starts.extend([s + delta for s in olds[first:upto]])  # (this one is not in a run)
        digests.append(known[first * DIGEST : upto * DIGEST])
        first = upto = 0
        starts.append(p)
        digests.append(d)
        n += 1
        p, prev = q, place
    starts.extend([s + delta for s in olds[first:upto]])
    digests.append(known[first * DIGEST : upto * DIGEST])
    return w


def _place(known: bytes, digest: bytes, m: int) -> int:
    """The position of ``digest`` among the kept entries ``m`` to ``m + WINDOW``, or -1."""
    stop = min(len(known), (m + WINDOW) * DIGEST)
    at = known.find(digest, m * DIGEST, stop)
    while at >= 0 and at % DIGEST:
        at = known.find(digest, at + 1, stop)
    return at // DIGEST if at >= 0 else -1


def read_changed(index: FileIndex, changed: list[int]) -> bool:
    """Parse the entries at ``changed`` (all at once) into the index; False unless
    each is exactly what the writer makes of the one entry read from it."""
    if not changed:
        return True
    chunks = [index.data[a:b] for a, b in map(index.span, changed)]
    try:
        doc = yamlio.load(b"articles:\n" + b"".join(chunks) + _VERSION_TAIL)
    except (SchemaError, UnicodeError, RecursionError):
        return False
    if len(doc.articles) != len(changed):
        return False
    for n, entry, (article_id, value) in zip(changed, chunks, doc.articles.items(), strict=True):
        if ("\n".join(yamlio.article_lines(article_id, value)) + "\n").encode("utf-8") != entry:
            return False
        index.remember_key(n, article_id)
        index._parsed[article_id] = value
    return True
