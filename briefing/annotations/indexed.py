"""Large annotation files without parsing them whole: an index of where each entry is.

A file briefing wrote is canonical (``yamlio.dump`` of what it holds): a header, one
entry per article id in sorted order, each starting on a line indented by exactly two
spaces, then ``version: 2`` (the current format: an older file is parsed whole, and
migrated on its first save). For such a file of at least :data:`LAZY_MIN` entries the
store keeps the file's bytes and :class:`FileIndex` (ids and byte offsets) instead of
100,000 parsed entries:

- an entry is parsed when asked for (:class:`LazyArticles`); many misses, or a
  walk over every value, parse the whole file once;
- a save splices: unchanged runs of entries are copied from the old bytes, only the
  changed entries are rendered (:func:`splice`), and the result's index comes out
  with it;
- the index is kept in the user cache folder (:mod:`briefing.annotations.kept`: a
  JSON header and the offsets as 64-bit integers; never pickle), keyed by the
  file's identity ``(st_dev, st_ino, st_size, st_mtime_ns)`` taken from the very
  descriptor read and by the SHA-256 of the bytes read (identity alone is not
  trusted: an editor or ``git checkout`` can leave the same size and modification
  time on other bytes; hashing 30 MB costs about 30 ms), so the next command skips
  the parse: a CLI ``tag`` on 100,000 annotated articles reads the file, the index,
  parses one entry and writes.

- which entries set ``read``, ``flagged``, ``dismissed``, ``date`` or ``title`` is
  found by one regular-expression pass over the bytes (:meth:`FileIndex.ids_with`),
  and the ids are read from the key lines: the reader lists 100,000 annotated
  articles without parsing their entries;
- an index spliced from another remembers the ids that differ (for its last
  :data:`MAX_ANCESTORS` ancestors), so a document after a save and the one it
  started from compare and merge by those ids, not by every entry.

A file that is not canonical (edited by hand, an older writer) is parsed whole, as
before; once briefing saves it, it is canonical.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import hashlib
import itertools
import re
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from briefing import yamlsafe
from briefing.annotations import snapshot, yamlio
from briefing.annotations.blocks import DIGEST as DIGEST
from briefing.annotations.blocks import block_firsts, carried_blocks, runs_copied
from briefing.annotations.quoted import unquote_written
from briefing.annotations.schema import AnnotationDoc, ArticleNotes

MAX_ANCESTORS = 16
_TOKENS = itertools.count(1)
LAZY_MIN = 2000  # below this a file is small enough to parse whole every time
# Entries asked for are parsed one by one, however many: one costs about 1.6 times
# its share of a whole parse (56 against 34 µs at 100,000 entries), and every entry
# of such a file parsed alone is 80 MB kept, where a whole parse is a 3.4 s stall and
# about 400 MB. (It used to parse the rest at once after 5,000 entries; a long
# reading session then paid both.) Whatever wants every value asks for it whole
# (parse_all).
_ARTICLES_LINE = b"\narticles:\n"
_VERSION_TAIL = b"version: " + yamlio.VERSION.encode() + b"\n"
# An entry starts on a line indented by exactly two spaces (not "  :", the value line
# of an explicit key); found as the newline before it, which the regex engine
# searches for as a literal: four times faster than a MULTILINE "^".
_ENTRY_LINE = re.compile(rb"\n  (?=[^ :\n])")
_FLAGS = ("read", "flagged", "dismissed")  # fields written only as "true"

_CANONICAL_HEAD = (yamlio.HEADER + "articles:\n").encode("utf-8")


def entries_span(data: bytes) -> tuple[int, int] | None:
    """Where the entries of ``data`` are, ``(start, end)``, when it has the outline the
    writer gives a file (exactly its header and ``articles:`` first, ``version:
    <current>`` last); None otherwise. The entries themselves are not looked at."""
    if not data.startswith(_CANONICAL_HEAD) or not data.endswith(_VERSION_TAIL):
        return None
    return len(_CANONICAL_HEAD), len(data) - len(_VERSION_TAIL)


# The fields :meth:`FileIndex.ids_with` finds, and what "set" means for each (the
# writer puts the line in exactly when this holds).
FIELD_TESTS: dict[str, Callable[[ArticleNotes], bool]] = {
    "read": lambda a: a.read,
    "flagged": lambda a: a.flagged,
    "dismissed": lambda a: a.dismissed,
    "date": lambda a: a.date is not None,
    "title": lambda a: a.title is not None,
}


def offsets(values: Iterable[int]) -> array[int]:
    """Byte offsets held compactly: 8 bytes each (a list of ints costs 40). An array
    given is returned as it is, not copied: offsets are never changed in place."""
    return values if isinstance(values, array) and values.typecode == "q" else array("q", values)


@dataclass(eq=False)
class FileIndex:
    """Where each entry of a canonical annotation file is. ``starts[n]`` is the byte
    offset of the n-th entry (entries are sorted by id), an ``array("q")`` (a list
    given is turned into one); an entry ends where the
    next starts, the last at ``end`` (the ``version`` line). The ids themselves are
    read from the bytes when needed: a lookup is a binary search that decodes
    about 17 keys in a file of 100,000. The keys decoded are kept in ``_keys`` (a
    list by position, None where not decoded yet: no dict of 100,000 ints); once
    every key is known and found in increasing order (:meth:`all_keys`), a lookup is a
    plain binary search of that list."""

    data: bytes
    starts: array[int]
    end: int
    _keys: list[str | None] = field(default_factory=list, repr=False)
    _parsed: dict[str, ArticleNotes] = field(default_factory=dict, repr=False)
    _full: bool = False
    _with: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)  # ids_with, once per field
    _corrections: dict[str, tuple[str | None, dt.date | None]] | None = field(default=None, repr=False)
    # This index among others in memory, and for the indexes it was spliced from
    # (newest first, at most MAX_ANCESTORS): token -> the ids that differ since.
    token: int = field(default_factory=lambda: next(_TOKENS), repr=False)
    ancestors: dict[int, frozenset[str]] = field(default_factory=dict, repr=False)
    broken: bool = False  # the offsets turned out not to fit the bytes: parsed whole
    _digests: bytes | None = field(default=None, repr=False)
    _blocks: bytes | None = field(default=None, repr=False)  # each block's digest, when known: see blocks.py
    _all_keys: bool = field(default=False, repr=False)  # every key in _keys, strictly increasing

    def __post_init__(self) -> None:
        self.starts = offsets(self.starts)
        if len(self._keys) != len(self.starts):
            self._keys, self._all_keys = [], False

    def __len__(self) -> int:
        return len(self.starts)

    def await_check(self) -> None:
        """Return once what this index says of the bytes can be trusted: at once here;
        an index of a file opened unverified waits for its background check
        (:class:`briefing.annotations.verify.UnverifiedIndex`). For workers only."""

    def span(self, n: int) -> tuple[int, int]:
        return self.starts[n], (self.starts[n + 1] if n + 1 < len(self.starts) else self.end)

    def digests(self) -> bytes:
        """The digest of each entry's bytes (the first :data:`DIGEST` bytes of its
        SHA-256: with SHA extensions faster than blake2b here), in order,
        kept with the offsets: when another program rewrites the file, the entries
        whose bytes are among these were read before and are not parsed again
        (:mod:`briefing.annotations.reindex`)."""
        if self._digests is None:
            self._digests = entry_digests(self.data, self.starts, self.end)
            snapshot.release(self.data)
        return self._digests

    def key_at(self, n: int) -> str:
        """The id of the n-th entry, decoded from its key line. The bytes are canonical
        (checked when the index was made, and the cache is keyed by their hash), so
        a key written ``"..."`` with no backslash inside is the text between the
        quotes; any other key is parsed as YAML."""
        keys = self._key_list()
        key = keys[n]
        if key is None:
            start = self.starts[n]
            line = self.data[start : self.data.index(b"\n", start)].decode("utf-8")
            inner = line[3:-2]
            if line.startswith('  "') and line.endswith('":') and "\\" not in inner and '"' not in inner:
                key = keys[n] = inner
                return key
            text = line[4:] if line.startswith("  ? ") else line[2:].removesuffix(":")
            node = yamlsafe.parse(text)
            if node is None or node.kind != "scalar" or not isinstance(node.value, str):
                raise ValueError(f"the index of the annotation file does not fit it at byte {start}")
            key = keys[n] = node.value
        return key

    def remember_key(self, n: int, key: str) -> None:
        """Note that the n-th entry's id is ``key`` (read from it some other way)."""
        self._key_list()[n] = key

    def _key_list(self) -> list[str | None]:
        """The keys decoded so far, by position (made on the first lookup)."""
        if not self._keys:
            self._keys = [None] * len(self.starts)
        return self._keys

    def all_keys(self) -> list[str] | None:
        """Every id, in order (decoded from the key lines, and kept); None when they are
        not strictly increasing. Raises ValueError (or IndexError, UnicodeDecodeError)
        when the offsets do not fit the bytes. The list returned is the index's own,
        which its lookups search: read it, never change it."""
        if not self._all_keys:
            keys = [self.key_at(n) for n in range(len(self.starts))]
            if not all(a < b for a, b in zip(keys, keys[1:], strict=False)):
                return None
            # This complete list, not self._keys: another thread's first lookup may
            # have put a list of its own there meanwhile, with keys still None.
            self._keys = keys  # type: ignore[assignment]  # (list[str] as list[str | None])
            self._all_keys = True
            snapshot.release(self.data)  # (every entry's key line read)
        return self._keys  # type: ignore[return-value]  # (no None left)

    def bisect(self, article_id: str, lo: int = 0) -> int:
        """The position where ``article_id`` is or would go (``bisect_left``)."""
        hi = len(self.starts)
        if self._all_keys:
            return bisect.bisect_left(self._keys, article_id, lo, hi)  # type: ignore[type-var]
        while lo < hi:
            mid = (lo + hi) // 2
            if self.key_at(mid) < article_id:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def position(self, article_id: str) -> int | None:
        if self.broken or self._full:
            return 0 if article_id in self._parsed else None  # (only membership is asked then)
        try:
            n = self.bisect(article_id)
            return n if n < len(self.starts) and self.key_at(n) == article_id else None
        except (ValueError, IndexError, UnicodeDecodeError):
            self.broken = True
            self.parse_all()
            return 0 if article_id in self._parsed else None

    def ids(self) -> list[str]:
        """Every id, in order, read from the key lines (nothing else is parsed)."""
        if not (self.broken or self._full):
            try:
                keys = self.all_keys()
                if keys is not None:
                    return list(keys)
            except (ValueError, IndexError, UnicodeDecodeError):
                pass
            self.broken = True  # the offsets do not fit the bytes
        self.parse_all()
        return sorted(self._parsed)

    def _field_lines(self, name: str) -> Iterator[tuple[int, int]]:
        """(entry position, offset just after ``name:``) for each entry holding the
        field ``name``, in order: in canonical text a field is a line indented by exactly four
        spaces (values inside an entry are indented more). A yes/no field counts only
        as the writer puts it, ``read: true`` (a file opened before its check may say
        ``read: false``). Yielded as found, not gathered: ``read`` is set in 90,000
        entries of 100,000, and a list of their pairs (10 MB) left the reader's heap
        that much larger after it was freed."""
        data, starts, end = self.data, self.starts, self.end
        needle = b"\n    " + name.encode() + b":"
        if name in _FLAGS:
            needle += b" true\n"
        last = -1
        pos = data.find(needle, 0, end)
        while pos >= 0:
            n = bisect.bisect_right(starts, pos + 1) - 1
            if n >= 0 and n != last:
                yield n, pos + len(needle)
                last = n
            pos = data.find(needle, pos + len(needle), end)

    def ids_with(self, name: str) -> frozenset[str]:
        """Ids of the entries that set the article field ``name`` (one of
        :data:`FIELD_TESTS`), found by searching the bytes for its lines. Parses
        nothing."""
        test = FIELD_TESTS[name]
        if name in self._with:
            return self._with[name]
        if not (self.broken or self._full):
            try:
                self._with[name] = frozenset(self.key_at(n) for n, _ in self._field_lines(name))
                snapshot.release(self.data)  # (a pass over every entry's bytes)
                return self._with[name]
            except (ValueError, IndexError, UnicodeDecodeError):
                self.broken = True
        self.parse_all()
        self._with[name] = frozenset(i for i, a in self._parsed.items() if test(a))
        return self._with[name]

    def corrections(self) -> dict[str, tuple[str | None, dt.date | None]]:
        """id -> (the analyst's title, date) for every entry setting either, read from
        their lines (``title: "..."`` in the writer's escapes, ``date: "YYYY-MM-DD"``);
        an entry whose value is written otherwise (a block) is parsed."""
        if self._corrections is not None:
            return self._corrections
        out: dict[str, tuple[str | None, dt.date | None]] = {}
        if not (self.broken or self._full):
            try:
                data = self.data
                titles: dict[str, str | None] = {}
                dates: dict[str, dt.date | None] = {}
                for name, into in (("title", titles), ("date", dates)):
                    for n, at in self._field_lines(name):
                        raw = data[at : data.index(b"\n", at)]
                        value: object = None
                        text = unquote_written(raw[2:-1]) if raw[:2] == b' "' and raw[-1:] == b'"' else None
                        if text is not None:
                            if name == "title":
                                value = text
                            elif len(text) == 10:
                                with contextlib.suppress(ValueError):
                                    value = dt.date.fromisoformat(text)
                        key = self.key_at(n)
                        if value is None:  # written another way: parse the entry
                            entry = self.entry(key)
                            if self.broken or entry is None:
                                raise ValueError(key)
                            value = entry.title if name == "title" else entry.date
                        into[key] = value  # type: ignore[assignment]
                for key in titles.keys() | dates.keys():
                    out[key] = (titles.get(key), dates.get(key))
                self._corrections = out
                snapshot.release(data)
                return out
            except (ValueError, IndexError, UnicodeDecodeError):
                self.broken = True
        self.parse_all()
        # Kept like the answer from the lines: the store asks once per listed article
        # (on a file parsed whole, once per article of 100,000 over 100,000 entries).
        self._corrections = {i: (a.title, a.date) for i, a in self._parsed.items() if a.title is not None or a.date is not None}
        return self._corrections

    def entry(self, article_id: str) -> ArticleNotes | None:
        if article_id in self._parsed:
            return self._parsed[article_id]
        if self._full:
            return None
        try:
            n = self.bisect(article_id)
            if n >= len(self.starts) or self.key_at(n) != article_id:
                return None
            start, stop = self.span(n)
            doc = yamlio.load(b"articles:\n" + self.data[start:stop] + _VERSION_TAIL)
            if list(doc.articles) != [article_id]:
                raise ValueError(article_id)
        except (ValueError, IndexError, UnicodeDecodeError):
            # The offsets do not fit the bytes (a stale cache entry): parse the
            # whole file, and let saves dump it whole (splice() checks ``broken``).
            self.broken = True
            self.parse_all()
            return self._parsed.get(article_id)
        value = doc.articles[article_id]
        self._parsed[article_id] = value
        return value

    def parse_all(self) -> None:
        if not self._full:
            parsed = dict(yamlio.load(snapshot.plain(self.data)).articles)
            if len(parsed) != len(self.starts):
                self.broken = True
            self._parsed = parsed
            self._full = True

    def plausible(self) -> bool:
        """Cheap checks that the index fits the bytes (the identity key matched)."""
        d, s = self.data, self.starts
        try:
            return (
                d[self.end :] == _VERSION_TAIL
                and d[s[0] - len(_ARTICLES_LINE) : s[0]] == _ARTICLES_LINE
                and all(d[x - 1 : x] == b"\n" and d[x : x + 2] == b"  " and d[x + 2 : x + 3] not in (b" ", b":") for x in (s[0], s[len(s) // 2], s[-1]))
                and s[0] < s[-1] < self.end
            )
        except (IndexError, TypeError):
            return False


def entry_starts(data: bytes, start: int, end: int) -> array[int]:
    """The offsets of the lines in ``data[start:end]`` that start an entry of a
    canonical file (``start`` is the offset of a line's start)."""
    # Streamed into the array: a list of 100,000 ints first would be as many small
    # objects made and freed while the reader's screen makes the objects it keeps.
    return array("q", (m.start() + 1 for m in _ENTRY_LINE.finditer(data, start - 1, end)))


def entry_digests(data: bytes, starts: Iterable[int], end: int) -> bytes:
    """The digest of each entry at ``starts`` (the last ends at ``end``), one after the
    other: see :meth:`FileIndex.digests`. Written into one buffer as they are made
    (not a list of 100,000 small bytes objects joined at the end)."""
    view = memoryview(data)
    bounds = array("q", starts)
    bounds.append(end)
    sha = hashlib.sha256
    out = bytearray()
    for a, b in zip(bounds, bounds[1:], strict=False):
        out += sha(view[a:b]).digest()[:DIGEST]
    return bytes(out)


def build_index(data: bytes, doc: AnnotationDoc, canonical: bool = False) -> FileIndex | None:
    """The index of ``data`` when it is the canonical text of ``doc`` (already parsed
    from it, or ``canonical=True``: just made from it) with at least
    :data:`LAZY_MIN` entries; else None."""
    if len(doc.articles) < LAZY_MIN or not data.endswith(_VERSION_TAIL):
        return None
    head = data.find(_ARTICLES_LINE)
    if head < 0:
        return None
    end = len(data) - len(_VERSION_TAIL)
    starts = entry_starts(data, head + len(_ARTICLES_LINE), end)
    if len(starts) != len(doc.articles) or (not canonical and yamlio.dumps_bytes(doc) != data):
        return None
    index = FileIndex(data, starts, end)
    index._parsed = dict(doc.articles)
    index._full = True
    return index


class LazyArticles(Mapping[str, ArticleNotes]):
    """The articles of an indexed file with changes on top (``overlay``: id -> new
    value; an empty value removes the entry). Read-only, like every document."""

    lazy = True
    __slots__ = ("index", "overlay")

    def __init__(self, index: FileIndex, overlay: Mapping[str, ArticleNotes] | None = None) -> None:
        self.index = index
        self.overlay = dict(overlay or {})

    def __getitem__(self, article_id: str) -> ArticleNotes:
        value: ArticleNotes | None
        if article_id in self.overlay:
            value = self.overlay[article_id]
        else:
            value = self.index.entry(article_id)
        if value is None or value.is_empty():
            raise KeyError(article_id)
        return value

    def __contains__(self, article_id: object) -> bool:
        if article_id in self.overlay:
            return not self.overlay[article_id].is_empty()
        return isinstance(article_id, str) and self.index.position(article_id) is not None

    def __iter__(self) -> Iterator[str]:
        overlay = self.overlay
        ids = self.index.ids()
        if not overlay:
            return iter(ids)
        kept = [i for i in ids if i not in overlay]
        kept += [i for i, v in overlay.items() if not v.is_empty()]
        kept.sort()
        return iter(kept)

    def __len__(self) -> int:
        if not self.overlay:
            return len(self.index)
        return sum(1 for _ in self)

    # Lists, not views: the whole file is parsed once and the callers iterate the
    # result (a narrower return type than Mapping's views, hence the override).
    def items(self) -> list[tuple[str, ArticleNotes]]:  # type: ignore[override]
        self.index.parse_all()
        return [(i, self[i]) for i in self]

    def values(self) -> list[ArticleNotes]:  # type: ignore[override]
        return [v for _, v in self.items()]

    def ids_with(self, name: str) -> frozenset[str]:
        """Ids of the articles whose value sets ``name`` (see :meth:`FileIndex.ids_with`),
        the changes on top."""
        found = self.index.ids_with(name)
        if not self.overlay:
            return found
        test = FIELD_TESTS[name]
        return frozenset({i for i in found if i not in self.overlay} | {i for i, v in self.overlay.items() if test(v)})

    def updated(self, changes: Mapping[str, ArticleNotes]) -> LazyArticles:
        return LazyArticles(self.index, {**self.overlay, **changes})

    # Set by briefing.annotations.querynotes when imported (the store imports it): no
    # import cycle between the two modules.
    view_for_queries: Callable[[LazyArticles], Mapping[str, object]] | None = None

    def query_view(self) -> Mapping[str, object]:
        """What a search reads of these articles, found in the bytes: see
        :mod:`briefing.annotations.querynotes` (these articles themselves before it is imported)."""
        make = LazyArticles.view_for_queries
        return self if make is None else make(self)

    def changed_from(self, other: Mapping[str, ArticleNotes]) -> set[str] | None:
        """The ids whose value may differ from ``other`` when both sit on the same
        index, or on two indexes one of which was spliced from the other (a save
        and the document it started from: the reader's save queue compares these
        after every save); None otherwise (the caller compares whole)."""
        if not isinstance(other, LazyArticles):
            return None
        mine = set(self.overlay) | set(other.overlay)
        if other.index is self.index:
            return mine
        between = self.index.ancestors.get(other.index.token)
        if between is None:
            between = other.index.ancestors.get(self.index.token)
        if between is None:
            return None
        return mine | between


def document_bytes(doc: AnnotationDoc) -> bytes:
    """``yamlio.dumps_bytes(doc)``; for a document read from an indexed file the same
    bytes, made by copying the unchanged entries instead of rendering them."""
    if isinstance(doc.articles, LazyArticles):
        return splice(doc.articles)[0]
    return yamlio.dumps_bytes(doc)


def splice(articles: LazyArticles) -> tuple[bytes, FileIndex | None]:
    """The canonical bytes of ``articles`` (equal to ``yamlio.dumps_bytes``) and their
    index, copying unchanged runs of entries from the indexed bytes. The new index
    records which ids differ from the one it came from (and from its recent
    ancestors), so documents on the two compare by those ids alone."""
    index, overlay = articles.index, articles.overlay
    if not overlay and not index.broken:
        return snapshot.plain(index.data), index  # (bytes to write: a snapshot's copied out)
    data, fresh = _splice_or_dump(index, overlay)
    if fresh is not None:
        changed = frozenset(overlay)
        lineage = {index.token: changed}
        for token, ids in list(index.ancestors.items())[: MAX_ANCESTORS - 1]:
            lineage[token] = ids | changed
        fresh.ancestors = lineage
    return data, fresh


def _splice_or_dump(index: FileIndex, overlay: dict[str, ArticleNotes]) -> tuple[bytes, FileIndex | None]:
    if not index.broken:
        try:
            return _splice(index, overlay)
        except (ValueError, IndexError, UnicodeDecodeError):
            index.broken = True
    if index.broken:  # offsets not to be trusted: a full dump, and a fresh index
        index.parse_all()
        plain = AnnotationDoc({**index._parsed, **overlay})
        data = yamlio.dumps_bytes(plain)
        return data, build_index(data, plain, canonical=True)
    raise AssertionError("unreachable")


def _splice(index: FileIndex, overlay: dict[str, ArticleNotes]) -> tuple[bytes, FileIndex | None]:
    data, starts = index.data, index.starts
    n = len(starts)
    out: list[bytes | memoryview] = [data[: starts[0]]]
    size = len(out[0])
    new_starts: array[int] = array("q")
    keys: list[str | None] = []  # the new index's, by position
    old_digests = index._digests  # carried along when known (copied runs keep theirs)
    digests: list[bytes] = []
    runs: list[tuple[int, int, int]] = []  # entries copied: (first, after the last, shift)
    view = memoryview(data)  # copied once, by the join
    taken = 0  # next old entry not yet copied or replaced

    def copy(upto: int) -> None:
        nonlocal size, taken
        if upto <= taken:
            return
        a, b = starts[taken], (starts[upto] if upto < n else index.end)
        delta = size - a
        base = len(new_starts)
        # the keys decoded so far keep their new place
        old_keys = index._keys
        keys.extend(old_keys[taken:upto] if old_keys else [None] * (upto - taken))
        new_starts.extend([s + delta for s in starts[taken:upto]])
        if old_digests is not None:
            digests.append(old_digests[taken * DIGEST : upto * DIGEST])
        out.append(view[a:b])
        runs.append((taken, upto, base - taken))
        size += b - a
        taken = upto

    for article_id in sorted(overlay):
        j = index.bisect(article_id, taken)
        copy(j)
        value = overlay[article_id]
        if not value.is_empty():
            chunk = ("\n".join(yamlio.article_lines(article_id, value)) + "\n").encode("utf-8")
            keys.append(article_id)
            new_starts.append(size)
            out.append(chunk)
            digests.append(hashlib.sha256(chunk).digest()[:DIGEST])
            size += len(chunk)
        if j < n and index.key_at(j) == article_id:
            taken = j + 1
    copy(n)
    if not new_starts:  # every entry removed: the empty form ("articles: {}")
        return yamlio.dumps_bytes(AnnotationDoc({})), None
    end = size
    out.append(_VERSION_TAIL)
    result = b"".join(out)
    fresh = FileIndex(result, new_starts, end, keys, _digests=b"".join(digests) if old_digests is not None else None)
    # (the new ids went in at their sorted places, between others)
    fresh._all_keys = index._all_keys and len(fresh._keys) == len(fresh.starts) and None not in fresh._keys
    fresh._parsed = {i: v for i, v in index._parsed.items() if i not in overlay}
    fresh._parsed.update((i, v) for i, v in overlay.items() if not v.is_empty())
    fresh._full = index._full
    if index._blocks is not None and old_digests is not None:  # the copied blocks keep their digests
        firsts = block_firsts(old_digests)
        fresh._blocks = carried_blocks(fresh, firsts, index._blocks, runs_copied(firsts, n, runs), n)
    if index._corrections is not None:  # the same for corrections()
        fresh._corrections = {i: v for i, v in index._corrections.items() if i not in overlay}
        fresh._corrections.update((i, (v.title, v.date)) for i, v in overlay.items()
                                  if v.title is not None or v.date is not None)
    for name, found in index._with.items():  # what ids_with found, with the changes in
        test = FIELD_TESTS[name]
        fresh._with[name] = frozenset({i for i in found if i not in overlay} | {i for i, v in overlay.items() if test(v)})
    return result, fresh


def lazy_doc(index: FileIndex) -> AnnotationDoc:
    return AnnotationDoc(LazyArticles(index))

