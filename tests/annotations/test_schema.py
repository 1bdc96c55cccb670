"""Schema values survive the file: dump -> load gives the same document, and the
text is stable (dump(load(dump(doc))) == dump(doc))."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.annotations import yamlio
from briefing.annotations.schema import (
    AnnotationDoc,
    ArticleNotes,
    Conflict,
    Highlight,
    Note,
    normalize_tag,
)

# Typed strings the issue names, mixed into arbitrary text.
SPECIAL = st.sampled_from(["no", "on", "0123", "2023-11-06", "1e3", "~", "😀", "\x85", " pad ", "a\nb\n", "null", ""])
TEXT = st.one_of(SPECIAL, st.text(max_size=40))
TAG = TEXT.filter(lambda t: t.strip(" \t\r\n") != "")
ID = TEXT.filter(lambda t: t != "")

notes = st.builds(Note, text=TEXT, at=st.one_of(st.just(""), TEXT))
highlights = st.builds(Highlight, quote=TEXT, note=TEXT)
conflicts = st.builds(
    Conflict,
    field=st.sampled_from(["read", "flagged", "summary", "date", "title"]),
    kept=st.one_of(st.none(), TEXT),
    other=st.one_of(st.none(), TEXT),
    at=TEXT,
)
article_notes = st.builds(
    ArticleNotes,
    fingerprint=st.one_of(st.none(), TEXT.filter(bool)),
    read=st.booleans(),
    flagged=st.booleans(),
    dismissed=st.booleans(),
    summary=st.one_of(st.none(), st.tuples(TEXT.filter(lambda t: bool(t.strip())), st.integers(1, 1000))),
    tags=st.lists(TAG, max_size=5).map(tuple),
    date=st.one_of(st.none(), st.dates(min_value=dt.date(1, 1, 1))),
    title=st.one_of(st.none(), TEXT),
    notes=st.lists(notes, max_size=3).map(tuple),
    highlights=st.lists(highlights, max_size=3).map(tuple),
    conflicts=st.lists(conflicts, max_size=2).map(tuple),
)
docs = st.dictionaries(ID, article_notes, max_size=4).map(AnnotationDoc)


@settings(max_examples=120, deadline=None)
@given(docs)
def test_documents_round_trip(doc):
    text = yamlio.dump(doc)
    loaded = yamlio.load(text.encode("utf-8"))
    assert loaded == doc
    assert yamlio.dump(loaded) == text


def test_fingerprint_alone_is_not_worth_keeping():
    doc = AnnotationDoc({"a": ArticleNotes(fingerprint="sha256:x"), "b": ArticleNotes(read=True)})
    assert list(doc.articles) == ["b"]


def test_values_are_normalized_on_construction():
    a = ArticleNotes(tags=("b", "a", "b"), notes=(Note("2", "t2"), Note("1", "t1"), Note("1", "t1")))
    assert a.tags == ("a", "b")
    assert a.notes == (Note("1", "t1"), Note("2", "t2"))
    with pytest.raises(ValueError, match="summary length"):
        ArticleNotes(summary=("lexrank", 0))


@pytest.mark.parametrize(
    "typed, stored",
    [("  energy ", "energy"), ("\tno\n", "no"), ("\x85", "\x85"), ("😀", "😀"), ("a b", "a b")],
)
def test_tags_lose_only_surrounding_ascii_blanks(typed, stored):
    assert normalize_tag(typed) == stored


@pytest.mark.parametrize("bad", ["", "   ", "\t\n"])
def test_blank_tags_are_refused(bad):
    with pytest.raises(ValueError, match="empty"):
        normalize_tag(bad)


def test_text_from_non_utf8_arguments_is_refused():
    with pytest.raises(ValueError, match="UTF-8"):
        normalize_tag("caf\udce9")
