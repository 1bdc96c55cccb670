"""Issue 20: a large annotation file never seen before is recognised as what the writer
makes without a YAML parse (briefing.annotations.fastcheck).

The one rule: whatever the recognition accepts, the whole parse reads as valid and
writes back byte for byte, with the same values. Checked against the whole parse on
every line deleted, repeated or swapped in a file using every field, on random edits
of its bytes, and on written documents of random values (which it must accept)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing import repeats
from briefing.annotations import AnnotationStore, fastcheck, kept, yamlio
from briefing.annotations.schema import AnnotationDoc, ArticleNotes, Conflict, Highlight, Note, SchemaError, Stamp
from tests.annotations.test_scale_roundtrip import _IDS, _entry

EVERYTHING = AnnotationDoc(
    {
        "2024/a.txt": ArticleNotes(
            fingerprint="sha256:" + "a" * 64, read=True, flagged=True, dismissed=True, summary=("lexrank", 3),
            title="A title\n\nover lines", date=dt.date(2024, 2, 29), lang="uk",
            tags=("Energy", "energy", "gas", "Zeta"), auto_tags=("watch-a", "watch-b"), removed_auto_tags=("old", "older"),
            notes=(Note("first", "2024-01-01T00:00:00Z", "ana"), Note("two\nlines\n", "2024-01-02T00:00:00Z", "", True),
                   Note("no time", "", "bo")),
            highlights=(Highlight("a quote", "its note", "ana", "2024-01-01T00:00:00Z", 2, True),
                        Highlight("another quote", "another note"), Highlight("two\nlines")),
            conflicts=(Conflict("title", "ours", None, "2024-01-01T00:00:00Z", "base", "ana", "bo", "cy"),
                       Conflict("date", None, "2024-01-01")),
            changed=(Stamp("date", "ana", "2024-01-01T00:00:00Z"), Stamp("status", "bo"), Stamp("title", "")),
        ),
        "2024/b.txt": ArticleNotes(tags=("b-tag",), notes=(Note("same time a", "2024-01-01T00:00:00Z"),
                                                        Note("same time b", "2024-01-01T00:00:00Z"))),
        "2024/c \"quoted\" \\ é.txt": ArticleNotes(read=True, title='tab\there "and" \x85 \u2028 \ufeff \x01 \x9f \ufffe'),
        "2024/d.txt": ArticleNotes(lang="und", tags=("\ttabbed", " spaced ", "é-accent", "ÉCOLE")),
        "2024/e.txt": ArticleNotes(tags=("one",), notes=(Note("trailing space \nline"),), highlights=(Highlight("x" * 300),)),
        # (entries b and f are checked alone: two notes of the same time, two highlights of the same quote)
        "2024/f.txt": ArticleNotes(highlights=(Highlight("a quote", "its note"), Highlight("a quote", "another note"))),
    }
)


def whole_parse_canonical(data: bytes) -> bool:
    try:
        return yamlio.dumps_bytes(yamlio.load(data)) == data
    except SchemaError:
        return False


def assert_sound(data: bytes) -> bool:
    """The rule above; whether it was recognised."""
    index = fastcheck.canonical_index(data, min_entries=1)
    if index is None:
        return False
    doc = yamlio.load(data)  # valid...
    assert yamlio.dumps_bytes(doc) == data  # ...and exactly what the writer makes
    assert index.ids() == sorted(doc.articles)
    for article_id, value in doc.articles.items():
        assert index.entry(article_id) == value
    return True


def test_a_file_using_every_field_is_recognised_with_its_values():
    data = yamlio.dumps_bytes(EVERYTHING)
    assert b"|-\n" in data and b"\\t" in data and b"\\x01" in data  # blocks and escapes are there
    assert assert_sound(data)


def lines_changed(data: bytes) -> list[bytes]:
    lines = data.split(b"\n")
    out = []
    for i in range(len(lines)):
        out.append(b"\n".join(lines[:i] + lines[i + 1 :]))  # deleted
        out.append(b"\n".join(lines[: i + 1] + lines[i:]))  # repeated
        if i + 1 < len(lines):
            out.append(b"\n".join(lines[:i] + [lines[i + 1], lines[i]] + lines[i + 2 :]))  # swapped
    return out


def test_every_line_deleted_repeated_or_swapped_is_judged_as_the_whole_parse_judges_it():
    accepted = 0
    for variant in lines_changed(yamlio.dumps_bytes(EVERYTHING)):
        recognised = assert_sound(variant)
        assert recognised == whole_parse_canonical(variant), variant.decode("utf-8", "replace")
        accepted += recognised
    assert accepted >= 20  # (many such edits leave a file the writer could have made)


# Fragments that matter to YAML, to the writer's escapes and to the patterns.
_FRAGMENT = st.sampled_from([
    '"', "\\", "\n", " ", "  ", ":", ": ", "- ", "#", "{", "}", ",", "|", "|-", "~", "\t", "\r", "\x85", "\u2028",
    "\ufeff", "a", "A", "0", "9", "é", "\\n", "\\t", "\\x41", "\\x01", "\\uD800", "\\uFEFF", "\\N", "true", "false",
    '\n      - "x"', '\n      - "a"', "\n    read: true", '\n  "zz":\n    read: true', "\n    tags:",
    '\n      - at: "2023-01-01T00:00:00Z"', '\n        text: "t"', "\n          more", "\n\n",
]).map(lambda s: s.encode("utf-8"))


_EDITS = st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 3), _FRAGMENT), min_size=1, max_size=3)


def edited(edits: list[tuple[int, int, bytes]]) -> bytes:
    """The file using every field with ``edits`` made among its entries: (where, how
    many bytes cut there, the fragment put in their place)."""
    data = yamlio.dumps_bytes(EVERYTHING)
    start = data.index(b"\narticles:\n") + 11
    for where, cut, fragment in edits:
        at = start + where % (len(data) - start)
        data = data[:at] + fragment + data[at + cut :]
    return data


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_EDITS)
def test_random_edits_are_never_recognised_unless_the_whole_parse_agrees(edits):
    assert_sound(edited(edits))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(_IDS, _entry(), min_size=1, max_size=6))
def test_what_the_writer_makes_of_any_values_is_recognised(entries):
    doc = AnnotationDoc(entries)
    if not doc.articles:
        return
    data = yamlio.dumps_bytes(doc)
    # Outside the patterns on purpose (parsed whole): an id too long for an implicit
    # key, and a note's time that needs escapes (a time is written by briefing).
    unusual = any(len(yamlio.quote(i)) > 998 for i in doc.articles) or any(
        "\\" in yamlio.quote(n.at) for a in doc.articles.values() for n in a.notes
    )
    assert assert_sound(data) or unusual


@pytest.mark.parametrize(
    ("what", "old", "new"),
    [
        ("tags out of order", b'      - "gas"\n      - "Zeta"', b'      - "Zeta"\n      - "gas"'),
        ("notes out of order", b'"2024-01-02T00:00:00Z"', b'"2023-01-02T00:00:00Z"'),
        ("one line in a block", b"title: |-\n      A title\n\n      over lines", b"title: |-\n      A title"),
        ("text that fits a block, quoted", b'text: "trailing space \\nline"', b'text: "trailing\\nline"'),
        ("an escape the writer does not make", b'"one"', b'"\\x6Fne"'),
        ("an escaped surrogate", b'"one"', b'"\\uD800"'),
        ("an impossible date", b'"2024-02-29"', b'"2023-02-29"'),
        ("a blank summary method", b'"lexrank"', b'"  "'),
        ("a language in capitals", b'"uk"', b'"UK"'),
        ("an entry with a fingerprint alone", b'  "2024/b.txt":\n', b'  "2024/aa.txt":\n    fingerprint: "x"\n  "2024/b.txt":\n'),
        ("an entry with who changed alone", b'  "2024/b.txt":\n',
         b'  "2024/aa.txt":\n    changed:\n      status: {by: "x"}\n  "2024/b.txt":\n'),
        ("ids out of order", b'  "2024/b.txt":\n', b'  "2024/zz.txt":\n    read: true\n  "2024/b.txt":\n'),
        ("an id too long for the writer's implicit key", b"version: 4\n", b'  "' + b"x" * 1010 + b'":\n    read: true\nversion: 4\n'),
        ("the same id twice", b'  "2024/b.txt":\n', b'  "2024/b.txt":\n    read: true\n  "2024/b.txt":\n'),
        ("a tab", b'"one"', b'"o\tne"'),
        ("CRLF", b'"one"\n', b'"one"\r\n'),
        ("an older version", b"version: 4\n", b"version: 3\n"),
        ("a comment", b'  "2024/b.txt":\n', b'  "2024/b.txt": # here\n'),
    ],
)
def test_what_is_not_exactly_the_writers_is_left_to_the_whole_parse(what, old, new):
    data = yamlio.dumps_bytes(EVERYTHING)
    assert data.count(old) == 1, what
    changed = data.replace(old, new)
    assert fastcheck.canonical_index(changed, min_entries=1) is None
    assert not whole_parse_canonical(changed)  # (each is a real difference)


def test_a_note_or_a_highlight_twice_is_not_taken_for_the_writers():
    note = b'      - at: "2024-01-01T00:00:00Z"\n        text: "same time a"\n'
    data = yamlio.dumps_bytes(EVERYTHING)
    twice = data.replace(note, note + note)
    assert fastcheck.canonical_index(twice, min_entries=1) is None and not whole_parse_canonical(twice)
    quote = b'      - quote: "two\\nlines"\n'
    assert quote not in data  # (written as a block)
    block = b"      - quote: |-\n          two\n          lines\n"
    assert data.count(block) == 1
    twice = data.replace(block, block + block)
    assert fastcheck.canonical_index(twice, min_entries=1) is None and not whole_parse_canonical(twice)


def test_a_large_file_is_opened_by_a_command_without_a_parse_and_its_index_kept(corpus_dir, parsed):
    entries = {f"{i:05}.txt": ArticleNotes(read=True, tags=("a", f"t{i}"), notes=(Note(f"n {i}\nmore", "2024-01-01T00:00:00Z"),))
               for i in range(2100)}
    data = yamlio.dumps_bytes(AnnotationDoc(entries))
    path = corpus_dir / "annotations.yaml"
    path.write_bytes(data)
    store = AnnotationStore.open(corpus_dir)
    assert max(parsed, default=0) < 1000  # entries parsed one at a time, when asked for
    assert kept.cache_path(path).exists()
    store.add_tags("00007.txt", ["new"])
    written = path.read_bytes()
    doc = yamlio.load(written)
    assert yamlio.dumps_bytes(doc) == written and doc.get("00007.txt").tags == ("a", "new", "t7")
    assert doc.get("01999.txt").notes[0].text == "n 1999\nmore"


def test_a_large_file_with_one_broken_entry_says_what_the_whole_parse_says(corpus_dir):
    entries = {f"{i:05}.txt": ArticleNotes(read=True, tags=("a",)) for i in range(2100)}
    data = yamlio.dumps_bytes(AnnotationDoc(entries)).replace(b'  "01500.txt":\n    read: true', b'  "01500.txt":\n    read: maybe')
    (corpus_dir / "annotations.yaml").write_bytes(data)
    with pytest.raises(SchemaError) as whole:
        yamlio.load(data)
    store = AnnotationStore.open(corpus_dir)
    assert store.read_only and f"line {whole.value.line}" in (store.error or "") and whole.value.message in (store.error or "")


# ---------------------------------------------------------------- older Pythons
# Before 3.11.5 the entry pattern is used with ordinary repeats (briefing.repeats).
# Where possessive repeats work, both are run on the same edits: the same verdict
# and the same entries, so the soundness shown above holds for the ordinary one too.
_GREEDY = re.compile(repeats.ordinary(fastcheck._ENTRY_PATTERN))
_NATIVE = fastcheck._ENTRY
needs_possessive = pytest.mark.skipif(
    not repeats.POSSESSIVE, reason="compared with the possessive pattern, which this Python lacks or gets wrong"
)


def judged_by(pattern: re.Pattern[bytes], data: bytes) -> list[int] | None:
    """The entries recognised with ``pattern`` as the entry pattern (None: none)."""
    fastcheck._ENTRY = pattern
    try:
        index = fastcheck.canonical_index(data, min_entries=1)
    finally:
        fastcheck._ENTRY = _NATIVE
    return None if index is None else list(index.starts)


@needs_possessive
def test_the_ordinary_pattern_judges_every_line_edit_as_the_possessive_one():
    variants = lines_changed(yamlio.dumps_bytes(EVERYTHING))
    assert _GREEDY.pattern.count(b"*+") == _GREEDY.pattern.count(b"++") == 0 < _NATIVE.pattern.count(b"*+")
    for variant in variants:
        assert judged_by(_GREEDY, variant) == judged_by(_NATIVE, variant)


@needs_possessive
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_EDITS)
def test_the_ordinary_pattern_judges_random_edits_as_the_possessive_one(edits):
    data = edited(edits)
    assert judged_by(_GREEDY, data) == judged_by(_NATIVE, data)


def test_with_ordinary_repeats_a_file_with_a_long_entry_is_parsed_whole(monkeypatch):
    """The engine keeps state per iteration of an ordinary repeat: an entry longer than
    the bound (a hostile value of millions of escapes) is not matched, the file is
    left to the whole parse; below it, recognised as before."""
    doc = AnnotationDoc({f"{i:03}.txt": ArticleNotes(read=True, tags=("x",)) for i in range(5)}
                        | {"long.txt": ArticleNotes(title='"\\' * 400)})
    data = yamlio.dumps_bytes(doc)
    monkeypatch.setattr(fastcheck, "_ENTRY", _GREEDY)
    monkeypatch.setattr(repeats, "POSSESSIVE", False)
    monkeypatch.setattr(fastcheck, "GREEDY_MAX_ENTRY", 2000)
    assert fastcheck.canonical_index(data, min_entries=1) is not None
    monkeypatch.setattr(fastcheck, "GREEDY_MAX_ENTRY", 1000)
    assert fastcheck.canonical_index(data, min_entries=1) is None
    assert whole_parse_canonical(data)  # (a valid file all the same)
