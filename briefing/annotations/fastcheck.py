"""A large annotation file never seen before, checked without parsing it as YAML
(issue 20: the first command on a fresh clone of the team's repository).

A file the writer made (:func:`briefing.annotations.yamlio.dump`) is a narrow subset
of YAML: the header, ``articles:``, entries whose fields come in one order, one value
a line, every scalar double-quoted with the writer's escapes or a literal block,
``version: <current>`` last. :func:`canonical_index` recognises that subset with a
pattern per entry (run by the regex engine, in C) and a few checks in Python over
values gathered across the file (the ids' order, each list's order, dates, summary
methods). When every entry is recognised, the file is exactly what the writer makes
of what it holds, so it is valid and canonical; its index is returned without a
parse, and each entry is parsed when it is asked for, as with a kept index
(:mod:`briefing.annotations.kept`). Anything else (a hand edit outside the subset,
an older version, a doubt) returns None and the file is parsed whole, as before:
this is only a faster way to the same answer, never a different one.

Two kinds of doubt are settled for one entry rather than the file: two notes with
the same time, and two highlights (or conflicts) that may be the same. Those entries
are parsed alone and written back, and must come out byte for byte
(:func:`briefing.annotations.reindex.read_changed`, the check a ``git pull``'s
changed entries get).

What makes this sound rather than hopeful: every pattern below is the writer's own
output shape (:func:`~briefing.annotations.yamlio.article_lines`), the characters the
writer leaves unescaped are checked across the whole file first, and the tests
(``tests/annotations/test_fastcheck.py``) mutate written files at random and require
that whatever this accepts, the whole parse accepts and writes back unchanged.
"""

from __future__ import annotations

import operator
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from itertools import compress, islice
from typing import Any

from briefing import repeats
from briefing.annotations import yamlio
from briefing.annotations.indexed import LAZY_MIN, FileIndex, entries_span, entry_starts, offsets
from briefing.annotations.quoted import WRITTEN_ESCAPE, unescape
from briefing.isodate import parse_iso_date

# ------------------------------------------------------------------ characters
# The characters the writer puts in a file unescaped (quoted text and literal blocks
# alike: yamlsafe._NEEDS_ESCAPE, yamlio._BLOCK_UNSAFE), and the newline. Anything
# else anywhere (a tab, a CR, a BOM, a C1 control, a line or paragraph separator,
# which YAML reads as a line break) means the file is parsed whole.
_ASCII_OK = bytes(range(0x20, 0x7F)) + b"\n"
_FOREIGN = re.compile("[^\\x20-\\x7e\\xa1-\\u2027\\u202a-\\ud7ff\\ue000-\\ufefe\\uff00-\\ufffd\\U00010000-\\U0010ffff]")

# ------------------------------------------------------------------ one entry
# Double-quoted text as yamlsafe.quote writes it: the escapes it makes, nothing else.
_BODY = rb'[^"\\\n]*+(?:' + WRITTEN_ESCAPE + rb'[^"\\\n]*+)*+"'
_Q = rb'"' + _BODY  # any text
_Q1 = rb'"(?!")' + _BODY  # text that is not empty
# A tag: something left once ASCII blanks are stripped (schema._tag_list).
_TAG = rb'"(?=(?: |\\[tnr])*+(?:[^ "\\\n]|\\[^tnr]))' + _BODY


def _block(pad: int) -> bytes:
    """A literal block as yamlio.scalar writes it, its lines indented by ``pad``: the
    first line does not start with a blank, no line ends with one, empty lines only
    between lines; ``|-`` only for text of more than one line (one line is quoted)."""
    p = b" " * pad
    first = p + rb"[^ \n](?:[^\n]*[^ \n])?"
    more = rb"\n+" + p + rb"[^\n]*[^ \n]"
    return rb"(?:\|-\n" + first + rb"(?:" + more + rb")++|\|\n" + first + rb"(?:" + more + rb")*+)"


_FLOW = rb"\{by: " + _Q + rb"(?:, at: " + _Q1 + rb")?\}"
_NUMBER_1000 = rb"(?:[1-9][0-9]{0,2}|1000)"


def _tags(name: bytes) -> bytes:
    return rb"(?:    " + name + rb":\n(?:      - " + _TAG + rb"\n)++)?"


_NOTE = (
    rb"      - (?:at: " + _Q1 + rb"\n        (?:by: " + _Q1 + rb"\n        )?|by: " + _Q1 + rb"\n        )?"
    rb"text: (?:" + _Q + rb"|" + _block(10) + rb")\n(?:        private: true\n)?"
)
_HIGHLIGHT = (
    rb"      - quote: (?:" + _Q + rb"|" + _block(10) + rb")\n"
    rb"(?:        note: (?:" + _Q1 + rb"|" + _block(10) + rb")\n)?"
    rb"(?:        by: " + _Q1 + rb"\n)?(?:        at: " + _Q1 + rb"\n)?"
    rb"(?:        occurrence: (?:[2-9]|[1-9][0-9]{1,5}|1000000)\n)?(?:        private: true\n)?"
)
_CONFLICT = (
    rb"      - field: " + _Q + rb"\n        kept: (?:~|" + _Q + rb")\n        other: (?:~|" + _Q + rb")\n"
    rb"(?:        base: " + _Q + rb"\n)?(?:        kept_by: " + _Q1 + rb"\n)?(?:        other_by: " + _Q1 + rb"\n)?"
    rb"(?:        by: " + _Q1 + rb"\n)?(?:        at: " + _Q1 + rb"\n)?"
)
# One entry, its fields in the writer's order; something besides the fingerprint
# and the record of who changed what (an entry without is dropped on reading).
# Every repeat of a group is possessive (``*+``, ``++``: the grammar never needs to
# give an iteration back): the engine then keeps no state per iteration, so a
# hostile value of millions of escapes or lines costs no memory (a 5 MB line of
# escapes took 590 MB without). On a Python without reliable possessive repeats
# (briefing.repeats) the same pattern is used with ordinary ones: the same language
# (the grammar never gives an iteration back: the tests compare the two where both
# work), but the engine keeps some state per iteration (about 240 bytes), so a file
# with an entry longer than GREEDY_MAX_ENTRY is parsed whole there.
_ENTRY_PATTERN = (
    rb'  "(' + _Q1[1:-1] + rb')":\n(?:    fingerprint: ' + _Q1 + rb"\n)?(?=    (?!changed:))"
    rb"(?:    read: true\n)?(?:    flagged: true\n)?(?:    dismissed: true\n)?"
    rb"(?:    summary:\n      method: " + _Q1 + rb"\n      length: " + _NUMBER_1000 + rb"\n)?"
    rb"(?:    title: (?:" + _Q + rb"|" + _block(6) + rb")\n)?"
    rb'(?:    date: "[0-9]{4}-[0-9]{2}-[0-9]{2}"\n)?(?:    lang: "(?:[a-z]{2}|und)"\n)?'
    + _tags(b"tags") + _tags(b"auto_tags") + _tags(b"removed_auto_tags")
    + rb"(?:    notes:\n(?:" + _NOTE + rb")++)?"
    rb"(?:    highlights:\n(?:" + _HIGHLIGHT + rb")++)?"
    rb"(?:    conflicts:\n(?:" + _CONFLICT + rb")++)?"
    rb"(?:    changed:\n(?=      (?:date|status|title): )(?:      date: " + _FLOW + rb"\n)?"
    rb"(?:      status: " + _FLOW + rb"\n)?(?:      title: " + _FLOW + rb"\n)?)?"
)
GREEDY_MAX_ENTRY = 256 * 1024  # bytes (a hostile entry of escapes: about 30 MB of the engine's state)
_ENTRY = re.compile(repeats.for_this_python(_ENTRY_PATTERN))

# ------------------------------------------------------------------ across entries
# Found over the whole file once every entry is recognised (so each line below is
# what its indentation and start say it is; a title's block lines are indented by
# six and could look like a list item: they only ever come before the lists of
# their entry, so at worst they make a doubt, never hide one).
_TAG_ITEM = re.compile(rb'\n(    [a-z_]+:\n)?      - "(.*)"(?=\n)')
_NOTE_ITEM = re.compile(rb"\n(    notes:\n)?      - (?:at: (.*)|(?=by: |text: ))")
# A highlight (its quote's first line, or two for a block), a conflict (its field and
# kept value): the start of each item of those lists.
_ITEM = re.compile(rb"\n(    (?:highlights|conflicts):\n)?      - (?:quote|field): (.*\n(?: {10}|        kept: ).*|.*)")
# A summary's method, a date, and quoted text with a newline where the writer would
# have made a literal block of text it could hold (yamlio.scalar): few of each.
_RARE = re.compile(
    rb'\n(?:      method: (".*")|    date: "(.*)"|(?:    title|      - text|        text|      - quote|        note): (".*\\n.*"))(?=\n)'
)

def unquote(quoted: bytes) -> str:
    """The text of a double-quoted scalar in the writer's escapes (checked already)."""
    return unescape(quoted[1:-1].decode("utf-8"))


def _texts(bodies: Iterable[bytes]) -> list[str]:
    """What is between the quotes of many scalars (none holds a newline), as text."""
    texts = b"\n".join(bodies).decode("utf-8").split("\n")
    return [unescape(t) for t in texts] if any("\\" in t for t in texts) else texts


def canonical_index(data: bytes, min_entries: int = LAZY_MIN) -> FileIndex | None:
    """The index of ``data`` when it is recognised as exactly what the writer makes of
    at least ``min_entries`` entries (see the module docstring); None when it must be
    parsed whole to know (which says nothing about whether it is valid)."""
    if len(data) > yamlio.MAX_BYTES or len(data) < min_entries * 20:
        return None
    span = entries_span(data)
    if span is None or data.count(b'\n  "', *span) + 1 < min_entries or not _plain_characters(data):
        return None  # (a smaller file is parsed whole anyway)
    head, end = span
    if not repeats.POSSESSIVE and _longest_entry(data, head, end) > GREEDY_MAX_ENTRY:
        return None
    entries = _entries(data, head, end)
    if entries is None or len(entries[0]) < min_entries:
        return None
    starts, keys = entries
    index = FileIndex(data, offsets(starts), end)
    doubts = _doubts(data, head, keys)
    if doubts is None:
        return None
    if doubts:
        from briefing.annotations.reindex import read_changed

        if not read_changed(index, sorted({bisect_right(starts, at) - 1 for at in doubts})):
            return None
    return index


def _plain_characters(data: bytes) -> bool:
    """UTF-8 holding only characters the writer leaves unescaped, and newlines."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    rest = data.translate(None, _ASCII_OK)  # what is not printable ASCII or a newline
    return not rest or _FOREIGN.search(rest.decode("utf-8")) is None


def _longest_entry(data: bytes, head: int, end: int) -> int:
    """The length of the longest run of lines between two that start like an entry
    (an entry is never longer)."""
    bounds = entry_starts(data, head, end)
    bounds.append(end)
    return max(map(operator.sub, islice(bounds, 1, None), bounds), default=end - head)


def _entries(data: bytes, head: int, end: int) -> tuple[list[int], list[bytes]] | None:
    """Where each entry starts and its key as written (between the quotes), when the
    entries are recognised one after the other from ``head`` to exactly ``end``."""
    match = _ENTRY.match
    starts: list[int] = []
    keys: list[bytes] = []
    add, add_key = starts.append, keys.append
    pos = head
    while pos < end:
        found = match(data, pos, end)
        if found is None:
            return None
        add(pos)
        add_key(found.group(1))
        pos = found.end()
    return starts, keys


def _increasing(values: Sequence[Any], strict: bool = True) -> Iterator[int]:
    """The positions ``i`` where ``values[i]`` does not come after ``values[i - 1]``."""
    after = operator.lt if strict else operator.le
    return (i + 1 for i in compress(range(len(values)), map(operator.not_, map(after, values, islice(values, 1, None)))))


def _doubts(data: bytes, head: int, keys: list[bytes]) -> list[int] | None:
    """What the entry pattern cannot see, checked across the file: None when the file
    is not canonical (or this cannot tell: parsed whole); else the offsets of items
    whose entries are to be checked alone (maybe the same as another item)."""
    at = head - 1  # (the newline before the first entry)
    if not keys or max(map(len, keys)) > 998:  # a longer id is written as an explicit key
        return None
    # UTF-8's byte order is the order of the text: the bytes compared, unless escaped
    ordered: list[Any] = _texts(keys) if b"\\" in b"".join(keys) else keys
    if next(_increasing(ordered), None) is not None:
        return None
    for method, day, quoted in set(_RARE.findall(data, at)):
        if method and not unquote(method).strip():
            return None
        if day:
            try:
                parse_iso_date(day.decode("ascii"))
            except ValueError:
                return None
        if quoted and yamlio.block_ok(unquote(quoted)):
            return None
    if not _lists_in_order(_TAG_ITEM.findall(data, at)):
        return None
    doubts: list[int] = []
    if not _notes_in_order(data, at, doubts):
        return None
    _repeats(data, at, _ITEM, doubts)
    return doubts


def _lists_in_order(items: list[tuple[bytes, bytes]]) -> bool:
    """Each list of tags sorted as the writer sorts them, without repeats: an item
    not after the one before it starts a list (a field line before it)."""
    if not items:
        return True
    fields, bodies = zip(*items, strict=True)
    joined = b"".join(bodies)
    if joined.isascii() and joined.lower() == joined and b"\\" not in joined:
        keys: list[Any] = list(bodies)  # each tag its own key (schema.tag_sort_key): compared as bytes
    else:
        texts = _texts(bodies)
        keys = list(zip(map(str.casefold, texts), texts, strict=True))  # schema.tag_sort_key, made in C
    return all(map(fields.__getitem__, _increasing(keys)))


def _notes_in_order(data: bytes, pos: int, doubts: list[int]) -> bool:
    """Each entry's notes in the order of their times (none: first). Two with the same
    time may be the same note twice (kept once on reading): their entry is doubted."""
    items = _NOTE_ITEM.findall(data, pos)
    times = []
    for _field, at in items:
        if at and (b"\\" in at or not at.startswith(b'"') or not at.endswith(b'"')):
            return False  # (an escaped time: unusual, parsed whole)
        times.append(at[1:-1])  # (without its quotes: '"a"' would come after '"a "')
    if not all(items[i][0] for i in _increasing(times, strict=False)):
        return False
    same = [i for i in _increasing(times) if not items[i][0]]
    if same:
        positions = [m.start() for m in _NOTE_ITEM.finditer(data, pos)]
        doubts.extend(positions[i] for i in same)
    return True


def _repeats(data: bytes, pos: int, pattern: re.Pattern[bytes], doubts: list[int]) -> None:
    """Items of one list that begin alike (a highlight's quote, a conflict's field
    and kept value): their entry is doubted (the same item twice is kept once)."""
    items = pattern.findall(data, pos)
    seen: set[bytes] = set()
    repeated = False
    for field, start in items:
        if field:
            seen = set()
        elif start in seen:
            repeated = True
            break
        seen.add(start)
    if not repeated:
        return
    seen = set()
    for m in pattern.finditer(data, pos):
        if m.group(1):
            seen = set()
        elif m.group(2) in seen:
            doubts.append(m.start())
        seen.add(m.group(2))
