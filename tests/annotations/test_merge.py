"""Three-way merge: additions from both sides kept, true conflicts keep both values."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.annotations.merge import merge_article, merge_docs, merge_sets
from briefing.annotations.schema import AnnotationDoc, ArticleNotes, Conflict, Note


def test_sets_keep_additions_from_both_sides_and_honour_removals():
    assert merge_sets({"a", "b"}, ["a", "b", "ours"], ["a", "theirs"]) == ("a", "ours", "theirs")


def test_an_item_removed_on_one_side_and_kept_on_the_other_goes():
    assert merge_sets(["a", "b"], ["a"], ["a", "b"]) == ("a",)


@settings(max_examples=100, deadline=None)
@given(st.sets(st.integers(0, 9)), st.sets(st.integers(0, 9)), st.sets(st.integers(0, 9)))
def test_set_merge_laws(base, ours, theirs):
    merged = set(merge_sets(base, ours, theirs))
    assert (ours - base) | (theirs - base) <= merged  # every addition kept
    assert merged <= ours | theirs  # nothing invented
    assert not (merged & ((base - ours) - theirs))
    for item in base & ours & theirs:
        assert item in merged
    for item in (base - ours) | (base - theirs):
        if not (item in ours and item in theirs):
            assert item not in merged


def test_changed_side_wins_on_a_scalar():
    base = ArticleNotes(title="t")
    ours = ArticleNotes(read=True, title="t")
    theirs = ArticleNotes(title="better")
    merged, conflicts = merge_article("a", base, ours, theirs, "now")
    assert (merged.read, merged.title, conflicts) == (True, "better", [])


def test_true_conflict_keeps_both_values_visibly():
    base = ArticleNotes(title="old", date=dt.date(2020, 1, 1))
    ours = ArticleNotes(title="ours", date=dt.date(2020, 1, 1))
    theirs = ArticleNotes(title="theirs", date=dt.date(2021, 2, 2))
    merged, conflicts = merge_article("a.txt", base, ours, theirs, "2026-01-01T00:00:00Z")
    assert merged.title == "ours"
    assert merged.date == dt.date(2021, 2, 2)
    assert merged.conflicts == (Conflict("title", "ours", "theirs", "2026-01-01T00:00:00Z", base="old"),)
    assert [c.field for c in conflicts] == ["title"]
    assert "'ours'" in conflicts[0].message() and "'theirs'" in conflicts[0].message()


def test_a_note_edited_on_both_sides_is_kept_in_both_versions():
    n = Note("draft", "2024-01-01T00:00:00Z")
    base = ArticleNotes(notes=(n,))
    ours = ArticleNotes(notes=(Note("mine", n.at),))
    theirs = ArticleNotes(notes=(Note("yours", n.at), Note("new", "2024-02-01T00:00:00Z")))
    merged, _ = merge_article("a", base, ours, theirs)
    assert {x.text for x in merged.notes} == {"mine", "yours", "new"}


def test_documents_merge_per_article_and_deleted_entries_stay_deleted():
    base = AnnotationDoc({"a": ArticleNotes(tags=("x",)), "b": ArticleNotes(tags=("y",))})
    ours = AnnotationDoc({"a": ArticleNotes(tags=("x", "o")), "b": ArticleNotes(tags=("y",))})
    theirs = AnnotationDoc({"a": ArticleNotes(tags=("x", "t")), "c": ArticleNotes(read=True)})
    merged, conflicts = merge_docs(base, ours, theirs)
    assert merged == AnnotationDoc({"a": ArticleNotes(tags=("o", "t", "x")), "c": ArticleNotes(read=True)})
    assert conflicts == []


def test_an_entry_emptied_on_one_side_takes_no_fingerprint_away():
    # Theirs removed the only tag (the entry went); ours added one meanwhile: the
    # merged entry keeps its fingerprint, or it could no longer follow a rename.
    base = ArticleNotes(fingerprint="sha256:aaaa", tags=("ports",))
    ours = ArticleNotes(fingerprint="sha256:aaaa", tags=("harbor", "ports"))
    for theirs in (None, ArticleNotes()):
        for o, t in ((ours, theirs), (theirs, ours)):  # either side emptied it
            merged, conflicts = merge_article("a.txt", base, o, t)
            assert (merged.fingerprint, merged.tags, conflicts) == ("sha256:aaaa", ("harbor",), [])
    # a fingerprint changed on one side (the text was edited) still wins as before
    changed = ArticleNotes(fingerprint="sha256:bbbb", tags=("ports",))
    merged, _ = merge_article("a.txt", base, ours, changed)
    assert merged.fingerprint == "sha256:bbbb" and merged.tags == ("harbor", "ports")
