"""The tags of every entry of a large indexed annotation file, read from its bytes.

``t`` (tag completion) counts every tag of the corpus, the analyst's and the
automatic ones of each annotated article. Through the parsed entries that is a whole
parse of the file (6 s of CPU at 100,000 entries, and ~390 MB kept: the index keeps
what it parsed). A canonical file (what ``yamlio.dump`` writes: see
:mod:`briefing.annotations.indexed`) writes those lists one way only::

      "2021/03/012345_ab12cd34ef.txt":
        ...
        tags:
          - "police"
          - "tag: colon"
        auto_tags:
          - "watch-kyiv"

a field line indented by exactly four spaces (nothing inside an entry's values
starts a line so: block text is indented more), then one item line a tag, each a
double-quoted scalar. So one regular-expression pass over the bytes finds them all;
each distinct scalar is decoded once by the same safe loader the file is read with
(a few hundred distinct tags in 100,000 entries). Nothing is parsed or kept per
entry but the tag tuples.

Only for an index known to fit its bytes: an unverified index (a file never seen,
still being checked), a broken one or one already parsed whole give None and the
caller reads the parsed entries as before.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Mapping
from typing import TypeVar
from weakref import WeakKeyDictionary

from briefing import yamlsafe
from briefing.annotations import snapshot, yamlio
from briefing.annotations.indexed import _VERSION_TAIL, FileIndex, LazyArticles
from briefing.annotations.schema import ArticleNotes, sorted_tags

Tags = tuple[tuple[str, ...], tuple[str, ...]]  # (the analyst's tags, the automatic ones)

_LISTS = re.compile(rb"(?<=\n)    (tags|auto_tags):\n((?:      - [^\n]*\n)*)")
_ITEM = b"      - "
# Per index (its bytes never change): id -> tags, for the entries with any.
_FOUND: WeakKeyDictionary[FileIndex, dict[str, Tags]] = WeakKeyDictionary()


class _NotCanonical(ValueError):
    """A list item is not a double-quoted text scalar: the entry is parsed instead."""


def _decode(raw: bytes, cache: dict[bytes, str]) -> str:
    tag = cache.get(raw)
    if tag is None:
        if not (raw.startswith(b'"') and raw.endswith(b'"')):
            raise _NotCanonical(raw)
        node = yamlsafe.parse(raw.decode("utf-8"))
        if node is None or node.kind != "scalar" or not isinstance(node.value, str) or not node.value.strip(" \t\r\n"):
            raise _NotCanonical(raw)
        tag = cache[raw] = node.value
    return tag


def entry_alone(index: FileIndex, n: int) -> ArticleNotes:
    """The n-th entry of ``index`` parsed on its own, not kept (nor counted as a miss)."""
    start, stop = index.span(n)
    key = index.key_at(n)
    doc = yamlio.load(b"articles:\n" + index.data[start:stop] + _VERSION_TAIL)
    if list(doc.articles) != [key]:
        raise ValueError(key)
    return doc.articles[key]


def changed_since(index: FileIndex, cache: Mapping[FileIndex, object]) -> tuple[FileIndex, frozenset[str]] | None:
    """An index in ``cache`` that ``index`` was spliced from (a save in between), and
    the ids that may differ since: what was found for it holds for the others."""
    try:
        olds = list(cache.keys())
    except RuntimeError:  # another thread (search, tag counts) added one meanwhile: a full scan instead
        return None
    for old in olds:
        between = index.ancestors.get(old.token)
        if between is not None:
            return old, between
    return None


def _derived(index: FileIndex) -> dict[str, Tags] | None:
    """The tags of ``index`` from those of one it was spliced from: only the changed
    entries are read (each alone)."""
    since = changed_since(index, _FOUND)
    if since is None:
        return None
    old, changed = since
    found = {i: v for i, v in _FOUND[old].items() if i not in changed}
    for article_id in sorted(changed):
        n = index.position(article_id)
        if index.broken or index._full:
            return None
        if n is not None:
            entry = entry_alone(index, n)
            if entry.tags or entry.auto_tags:
                found[article_id] = (entry.tags, entry.auto_tags)
    return found


T = TypeVar("T")


def readable(index: FileIndex) -> bool:
    """The index is known to fit its bytes as the writer makes them (checked, not
    broken, not parsed whole): what its lines say can be read without parsing."""
    return not (index.broken or index._full or getattr(index, "verified", True) is False)


def kept_or_derived(index: FileIndex, cache: WeakKeyDictionary[FileIndex, T],
                    derive: Callable[[FileIndex], T | None]) -> T | None:
    """What ``cache`` holds for ``index``, else what ``derive`` makes of it from an
    index it was spliced from (then kept); None when neither: a full scan is due."""
    found = cache.get(index)
    if found is not None:
        return found
    try:
        found = derive(index)
    except (ValueError, IndexError, UnicodeDecodeError):
        found = None
    if found is not None:
        cache[index] = found
    return found


def index_tags(index: FileIndex) -> dict[str, Tags] | None:
    """id -> (tags, automatic tags) for every entry of ``index`` holding either, read
    from the bytes (or, after a save, from what was read before the save and the
    changed entries); None when the index is not known to fit them (see the module)."""
    if not readable(index):
        return None
    found = kept_or_derived(index, _FOUND, _derived)
    if found is not None:
        return found
    data, starts, end = index.data, index.starts, index.end
    cache: dict[bytes, str] = {}
    read_tags: dict[str, Tags] = {}
    same: dict[tuple[str, ...], tuple[str, ...]] = {}
    pairs: dict[Tags, Tags] = {}

    def keep(n: int, lists: list[tuple[str, ...]] | None) -> bool:
        """The n-th entry's tags into ``read_tags`` (its lists as read, or None: written
        another way, the entry is parsed); False when the index turned out broken."""
        key = index.key_at(n)
        if lists is None:
            entry = index.entry(key)
            if index.broken or index._full or entry is None:
                return False
            value: Tags = (entry.tags, entry.auto_tags)
        else:
            value = (sorted_tags(lists[0]), sorted_tags(lists[1]))
        if value[0] or value[1]:
            # One tuple for equal lists (a few hundred tags make ~30,000 distinct lists
            # in 100,000 entries): the tuples kept are shared, not one per entry.
            own, auto_ = (same.setdefault(part, part) for part in value)
            read_tags[key] = pairs.setdefault((own, auto_), (own, auto_))
        return True

    # One pass in file order: an entry's lists are next to each other, so each entry is
    # finished when the next one's first list is met (nothing gathered per entry first:
    # 40,000 entries' worth of lists made the heap 10 MB larger for good).
    empty: tuple[str, ...] = ()
    current, odd = -1, False
    lists: list[tuple[str, ...]] = [empty, empty]
    try:
        for match in _LISTS.finditer(data, starts[0], end):
            n = bisect.bisect_right(starts, match.start()) - 1
            if n < 0:
                raise ValueError("a list before the first entry")
            if n != current:
                if current >= 0 and not keep(current, None if odd else lists):
                    return None
                current, lists, odd = n, [empty, empty], False
            slot = 0 if match.group(1) == b"tags" else 1
            try:
                lists[slot] = tuple(_decode(line[len(_ITEM):], cache) for line in match.group(2).split(b"\n")[:-1])
            except (_NotCanonical, yamlsafe.YamlError, UnicodeDecodeError):
                odd = True
        if current >= 0 and not keep(current, None if odd else lists):
            return None
    except (ValueError, IndexError, UnicodeDecodeError):
        return None
    snapshot.release(data)  # (a pass over every entry's bytes)
    _FOUND[index] = read_tags
    return read_tags


def article_tags(articles: Mapping[str, ArticleNotes]) -> dict[str, Tags] | None:
    """id -> (tags, automatic tags) for every annotated article holding either, when
    ``articles`` is a large indexed file's (its changes on top); None otherwise: the
    caller reads the entries."""
    if not isinstance(articles, LazyArticles):
        return None
    found = index_tags(articles.index)
    if found is None:
        return None
    if not articles.overlay:
        return found
    out = {i: v for i, v in found.items() if i not in articles.overlay}
    for i, a in articles.overlay.items():
        if not a.is_empty() and (a.tags or a.auto_tags):
            out[i] = (a.tags, a.auto_tags)
    return out
