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
   among the kept ones has exactly the bytes of an entry read before;
3. parses each other entry alone, with the same safe loader and schema validation
   as a whole parse, and requires that it is exactly what the writer makes of the
   value read (so it holds nothing the writer would not: no anchor, alias, tag,
   comment, CRLF line end or merge-conflict marker);
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

from pathlib import Path

from briefing.annotations import yamlio
from briefing.annotations.indexed import _VERSION_TAIL, DIGEST, LAZY_MIN, FileIndex, entry_digests, entry_starts
from briefing.annotations.kept import keep_index, kept_index
from briefing.annotations.schema import SchemaError

# Past this share of changed entries, parsing them one by one costs about as much as
# the whole parse (one entry alone: ~60 us, its share of a whole parse: ~45 us).
MAX_CHANGED_SHARE = 0.2
_PREFIX = (yamlio.HEADER + "articles:\n").encode("utf-8")


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
        index = reindex(data, kept.digests)
        keep_index(annotation_file, key, index)
    return index


def reindex(data: bytes, known: bytes) -> FileIndex | None:
    """The index of ``data`` (a file's bytes) given ``known``, the digests kept for a
    previous version of it; None when the file must be parsed whole."""
    if not data.startswith(_PREFIX) or not data.endswith(_VERSION_TAIL):
        return None
    head, end = len(_PREFIX), len(data) - len(_VERSION_TAIL)
    starts = entry_starts(data, head, end)
    if len(starts) < LAZY_MIN or starts[0] != head:
        return None
    digests = entry_digests(data, starts, end)
    seen = {known[i : i + DIGEST]: i // DIGEST for i in range(0, len(known), DIGEST)}
    places = [seen.get(d, -1) for d in digests]  # each entry's place in the previous version, -1: new bytes
    changed = [n for n, p in enumerate(places) if p < 0]
    if len(changed) > MAX_CHANGED_SHARE * len(starts):
        return None
    index = FileIndex(data, starts, end, _digests=b"".join(digests))
    for n in changed:
        a, b = index.span(n)
        entry = data[a:b]
        try:
            doc = yamlio.load(b"articles:\n" + entry + _VERSION_TAIL)
        except (SchemaError, UnicodeError, RecursionError):
            return None
        if len(doc.articles) != 1:
            return None
        ((article_id, value),) = doc.articles.items()
        if ("\n".join(yamlio.article_lines(article_id, value)) + "\n").encode("utf-8") != entry:
            return None
        index._keys[n] = article_id
        index._parsed[article_id] = value
    try:
        for n in range(len(starts) - 1):
            p = places[n]
            if p >= 0 and places[n + 1] == p + 1:
                continue  # neighbours before, in this order
            if not index.key_at(n) < index.key_at(n + 1):
                return None
    except (ValueError, IndexError, UnicodeDecodeError):
        return None
    return index
