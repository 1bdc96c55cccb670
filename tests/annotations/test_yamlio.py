"""The guarded YAML reader and the deterministic writer."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing import yamlsafe
from briefing.annotations import yamlio
from briefing.annotations.schema import AnnotationDoc, ArticleNotes, Highlight, Note, SchemaError

TYPED = [
    "no", "on", "off", "yes", "Yes", "NO", "y", "n", "true", "False",
    "0123", "0o17", "0x1F", "1e3", "-1e3", ".5", "1_000", "+12", ".inf", "-.inf", ".nan", "NaN",
    "2023-11-06", "2023-11-06T16:40:00Z", "12:30", "1:20:30",
    "~", "null", "Null", "", " ", "  leading", "trailing  ", " both ",
    "\n", "a\nb", "a\n", "\na", "a\n\n", "line\r\nwindows", "tab\there",
    "😀", "👩‍👩‍👧", "\x85", "a\x85b", "\u2028", "\u2029", "\ufeff", "\xa0", "\x00", "\x1b[31mred", "\x7f", "\x9b",
    "'quoted'", '"double"', "back\\slash", "# not a comment", "key: value", "- item", "[a, b]", "{a: b}",
    "&anchor", "*alias", "!tag", "!!python/object:os.system", "%YAML", "---", "...", "|", ">", "@", "`",
    "\uffff", "\ufffe", "\U0010ffff", "\U0001f600 mixed ascii",
]


@pytest.fixture(params=["libyaml", "pure"])
def loader(request, monkeypatch):
    """Run reader tests with libyaml (the default) and with the pure-Python parser
    (the fallback when libyaml is missing)."""
    if request.param == "pure":
        monkeypatch.setattr(yamlsafe, "_Loader", yaml.SafeLoader)
    else:
        assert yamlsafe.loader_class() is yaml.CSafeLoader
    return request.param


def _doc_with_text(text: str) -> AnnotationDoc:
    key = text if text.strip() else "id"  # an article id cannot be blank
    notes = ArticleNotes(
        tags=(text,) if text.strip(" \t\r\n") else ("t",),
        title=text,
        notes=(Note(text=text, at=text),),
        highlights=(Highlight(quote=text, note=text),),
    )
    return AnnotationDoc({key: notes})


@pytest.mark.parametrize("text", TYPED, ids=range(len(TYPED)))
def test_typed_strings_come_back_as_typed(text, loader):
    doc = _doc_with_text(text)
    data = yamlio.dumps_bytes(doc)
    assert yamlio.load(data) == doc


@pytest.mark.parametrize("text", [t for t in TYPED if t.strip(" \t\r\n")], ids=lambda t: repr(t)[:20])
def test_an_independent_yaml_reader_sees_the_same_strings(text):
    """PyYAML's own safe_load (which would turn a plain `no` into False) reads our
    quoting back as the same string: the quoting is right, not just self-consistent."""
    data = yamlio.dump(_doc_with_text(text))
    plain = yaml.safe_load(data)
    entry = next(iter(plain["articles"].values()))
    assert entry["tags"] == [text]
    assert entry["title"] == text
    assert entry["notes"][0]["text"] == text
    assert plain["version"] == 4


@settings(max_examples=150, deadline=None)
@given(st.text())
def test_any_text_round_trips_through_a_scalar(text):
    for parser in (yaml.CSafeLoader, yaml.SafeLoader):
        for indent in (0, 4, 8):
            doc = " " * indent + "k: " + yamlio.scalar(text, indent) + "\n" + " " * indent + "z: end\n"
            loaded = yaml.load(doc, Loader=parser)
            assert loaded == {"k": text, "z": "end"}


def test_multiline_notes_use_a_literal_block():
    doc = AnnotationDoc({"a.txt": ArticleNotes(notes=(Note(text="first line\nsecond line\n  indented", at="x"),))})
    text = yamlio.dump(doc)
    assert "text: |-\n          first line\n          second line\n            indented\n" in text
    assert yamlio.load(text.encode()) == doc


def test_dump_is_deterministic_sorted_and_one_value_a_line():
    a = ArticleNotes(tags=("b", "A", "c"), read=True)
    one = yamlio.dump(AnnotationDoc({"z.txt": a, "a.txt": a, "m/b.txt": a}))
    two = yamlio.dump(AnnotationDoc({"m/b.txt": a, "a.txt": a, "z.txt": a}))
    assert one == two
    assert one.startswith("# briefing annotations")
    body = [line for line in one.splitlines() if not line.startswith("#")]
    keys = [line.strip() for line in body if line.startswith('  "')]
    assert keys == ['"a.txt":', '"m/b.txt":', '"z.txt":']
    assert '      - "A"\n      - "b"\n      - "c"\n' in one
    assert body[-1] == "version: 4"
    assert all("," not in line for line in body)  # no flow lists


def test_very_long_article_ids_round_trip(loader):
    long_id = "/".join(["folder" * 40] * 12) + "/article.txt"
    doc = AnnotationDoc({long_id: ArticleNotes(read=True), "short.txt": ArticleNotes(tags=("x",))})
    assert len(long_id) > 2500
    assert yamlio.load(yamlio.dumps_bytes(doc)) == doc


def test_empty_document_dumps_and_loads():
    text = yamlio.dump(AnnotationDoc())
    assert "articles: {}" in text
    assert yamlio.load(text.encode()) == AnnotationDoc()


def test_hand_written_plain_values_are_text(loader):
    data = b"""version: 1
articles:
  a.txt:
    status: read
    tags: [no, on, 0123, 1e3, 2023-11-06, yes]
    date: 2023-11-06
    title: ~
    notes:
      - at: 2023-11-06T10:00:00Z
        text: plain note
"""
    doc = yamlio.load(data)
    a = doc.get("a.txt")
    assert a.tags == ("0123", "1e3", "2023-11-06", "no", "on", "yes")
    assert a.date == dt.date(2023, 11, 6)
    assert a.title is None
    assert a.notes == (Note(text="plain note", at="2023-11-06T10:00:00Z"),)


def _error(data: bytes) -> SchemaError:
    with pytest.raises(SchemaError) as info:
        yamlio.load(data)
    return info.value


HOSTILE = {
    "python tag": (b"version: 1\narticles:\n  a.txt:\n    title: !!python/object/apply:os.system ['echo pwned']\n", 4),
    "python tag on a map": (b"version: 1\narticles: !!python/object:builtins.dict {}\n", 2),
    "custom tag": (b"version: 1\narticles:\n  a.txt:\n    tags: !evil [x]\n", 4),
    "anchor": (b"version: 1\narticles:\n  a.txt: &a\n    status: read\n", 3),
    "billion laughs": (
        b'version: 1\nx: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
        b"y: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nz: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n",
        2,
    ),
    "alias": (b"version: 1\narticles:\n  a.txt:\n    tags: [x]\n  b.txt:\n    tags: *x\n", 6),
    "deep flow lists": (b"version: 1\narticles: " + b"[" * 50_000 + b"]" * 50_000 + b"\n", 2),
    "deep flow maps": (b"version: 1\narticles: " + b"{a: " * 50_000 + b"b" + b"}" * 50_000 + b"\n", 2),
    "deep block lists": (b"version: 1\narticles:\n" + b"- " * 50_000 + b"x\n", 3),
    "status is a list": (b"version: 1\narticles:\n  a.txt:\n    status: [read]\n", 4),
    "tags is a map": (b"version: 1\narticles:\n  a.txt:\n    tags:\n      a: b\n", 5),
    "tags is text": (b"version: 1\narticles:\n  a.txt:\n    tags: energy\n", 4),
    "a tag is a list": (b"version: 1\narticles:\n  a.txt:\n    tags:\n      - [x]\n", 5),
    "notes is text": (b"version: 1\narticles:\n  a.txt:\n    notes: hello\n", 4),
    "note without text": (b"version: 1\narticles:\n  a.txt:\n    notes:\n      - at: x\n", 5),
    "unknown status": (b"version: 1\narticles:\n  a.txt:\n    status: maybe\n", 4),
    "bad date": (b"version: 1\narticles:\n  a.txt:\n    date: 2023-13-45\n", 4),
    "unknown field": (b"version: 1\narticles:\n  a.txt:\n    colour: red\n", 4),
    "article is a list": (b"version: 1\narticles:\n  a.txt: [1, 2]\n", 3),
    "articles is a list": (b"version: 1\narticles:\n  - a.txt\n", 3),
    "top is a list": (b"- version\n- 1\n", 1),
    "no version": (b"articles: {}\n", 1),
    "future version": (b"articles: {}\nversion: 5\n", 2),
    "duplicate id": (b"version: 1\narticles:\n  a.txt:\n    status: read\n  a.txt:\n    status: flagged\n", 5),
    "two documents": (b"version: 1\narticles: {}\n---\nversion: 1\n", 3),
    "bad yaml": (b"version: 1\narticles:\n  a.txt:\n    tags: [unclosed\n", 5),
    "control byte": (b"version: 1\narticles:\n  a.txt:\n    title: \"a\x01b\"\n", 4),
    "not utf-8": (b"version: 1\narticles:\n  a.txt:\n    title: \"caf\xe9\"\n", 4),
    "binary garbage": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\x00", 1),
    "empty": (b"", 1),
    "comments only": (b"# nothing here\n\n", 1),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_or_wrong_files_are_refused_with_the_line(name, loader):
    data, line = HOSTILE[name]
    err = _error(data)
    assert err.line == line, str(err)
    assert str(err).startswith(f"line {line}: ")


def test_a_file_cut_short_anywhere_is_refused():
    doc = AnnotationDoc(
        {
            f"{i:03}.txt": ArticleNotes(read=True, tags=("a", "b"), notes=(Note("n\nm", "2024-01-01T00:00:00Z"),))
            for i in range(4)
        }
    )
    data = yamlio.dumps_bytes(doc)
    for cut in range(len(data) - 1):  # the final newline alone may go
        with pytest.raises(SchemaError):
            yamlio.load(data[:cut])
    assert yamlio.load(data[:-1]) == doc
