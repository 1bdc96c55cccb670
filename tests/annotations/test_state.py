"""Read, flagged and dismissed are independent; each setter changes only its own
field, is idempotent and one undo step; the summary choice is remembered per
article; the filter's statuses must all hold and dismissed articles stay hidden."""

from __future__ import annotations

import pytest

from briefing.annotations import AnnotationStore, ArticleNotes, filter_articles, merge_docs, yamlio
from briefing.annotations.filter import Filter, apply_filter
from briefing.annotations.merge import merge_article
from briefing.annotations.schema import AnnotationDoc

from .conftest import make_meta

A, B, C = "a.txt", "b.txt", "c.txt"


@pytest.fixture
def metas(corpus_dir):
    return [make_meta(i, root=corpus_dir) for i in (A, B, C)]


@pytest.fixture
def store(corpus_dir, metas):
    return AnnotationStore.open(corpus_dir, metas)


def _flags(store, i):
    a = store.get(i)
    return (a.read, a.flagged, a.dismissed)


def test_each_setter_changes_only_its_own_field(store):
    store.set_flagged([A], True)
    assert _flags(store, A) == (False, True, False)  # flagging does not read it
    store.set_read([A], True)
    assert _flags(store, A) == (True, True, False)
    store.set_read([A], False)  # `u` after `f`: the flag stays
    assert _flags(store, A) == (False, True, False)
    store.set_dismissed([A], True)
    assert _flags(store, A) == (False, True, True)
    store.set_flagged([A], False)
    assert _flags(store, A) == (False, False, True)
    store.set_dismissed([A], False)
    assert store.get(A) == ArticleNotes(fingerprint=store.get(A).fingerprint)
    assert A not in store.document.articles  # nothing worth keeping: the entry goes


def test_setters_are_idempotent_and_say_how_many_changed(store, corpus_dir):
    first = store.set_read([A, B], True)
    assert first.changed_ids == (A, B) and first.message == "mark read: 2 articles changed"
    on_disk = (corpus_dir / "annotations.yaml").read_bytes()
    again = store.set_read([A, B], True)
    assert not again.changed and again.message == "mark read: nothing changed (2 articles already so)"
    assert (corpus_dir / "annotations.yaml").read_bytes() == on_disk  # no write for nothing
    mixed = store.set_read([A, B, C], True)
    assert mixed.changed_ids == (C,) and mixed.message == "mark read: 1 article changed, 2 already so"
    assert store.set_flagged([A], True).message == "flag: 1 article changed"
    assert store.set_flagged([A], False).action == "unflag"
    assert store.set_dismissed([B], True).action == "dismiss"
    assert store.set_dismissed([B], False).action == "undismiss"


def test_each_setter_is_one_undo_step_and_an_idempotent_one_adds_none(store):
    store.set_flagged([A, B], True)
    store.set_read([A, B], True)
    store.set_read([A, B], True)  # changes nothing: no undo step
    undone = store.undo()
    assert undone is not None and undone.action == "undo mark read"
    assert _flags(store, A) == _flags(store, B) == (False, True, False)
    assert store.undo().action == "undo flag"
    assert _flags(store, A) == (False, False, False) and not store.can_undo()


def test_opening_marks_read_only(store):
    store.set_flagged([A], True)
    store.set_dismissed([A], True)
    store.mark_read([A], undoable=False)
    assert _flags(store, A) == (True, True, True)
    store.mark_read_later([B])
    assert _flags(store, B) == (True, False, False) and store.unsaved_reads == {B}
    store.flush_reads()
    assert _flags(AnnotationStore.open(store.location.corpus), B) == (True, False, False)


def test_the_summary_choice_is_kept_is_not_an_annotation_and_can_be_cleared(store, corpus_dir, metas):
    change = store.set_summary(A, "lexrank", 5)
    assert change.changed and change.action == "set summary"
    view = store.view(A)
    assert view.summary == ("lexrank", 5) and not view.annotated
    assert view.to_json()["summary"] == {"method": "lexrank", "length": 5}
    assert AnnotationStore.open(corpus_dir).get(A).summary == ("lexrank", 5)
    assert filter_articles(metas, store, status="annotated") == []
    assert store.set_summary(A, None, None).action == "clear summary"
    assert store.view(A).summary is None and "summary" not in store.view(A).to_json()
    assert A not in store.document.articles


@pytest.mark.parametrize(
    "method, length, words",
    [("lexrank", None, "both"), (None, 3, "both"), ("", 3, "empty"), ("lexrank", 0, "1 to 1000"), ("lexrank", True, "1 to 1000"),
     ("lex\udcffrank", 3, "UTF-8")],
)
def test_a_bad_summary_choice_is_refused(store, method, length, words):
    with pytest.raises(ValueError, match=words):
        store.set_summary(A, method, length)
    assert store.get(A).summary is None


def test_the_view_and_json_carry_the_three_booleans(store, metas):
    store.set_read([A], True)
    store.set_flagged([B], True)
    store.set_dismissed([C], True)
    views = {m.id: store.view(m) for m in metas}
    assert [(v.read, v.flagged, v.dismissed) for v in views.values()] == [
        (True, False, False), (False, True, False), (False, False, True)]
    for meta in metas:
        for fields in (views[meta.id].to_json(), store.json_fields(meta)):
            assert {k: fields[k] for k in ("read", "flagged", "dismissed")} == {
                "read": meta.id == A, "flagged": meta.id == B, "dismissed": meta.id == C}


def test_toggles_are_thin_and_keep_the_other_field(store):
    store.toggle_flag([A])
    store.toggle_read([A])
    assert _flags(store, A) == (True, True, False)
    store.toggle_read([A])  # f then u: still flagged
    assert _flags(store, A) == (False, True, False)
    store.toggle_flag([A, B])  # not all flagged: flag both
    assert store.get(B).flagged and store.get(A).flagged
    store.toggle_flag([A, B])  # all flagged: unflag both, reading untouched
    assert _flags(store, A) == (False, False, False) and _flags(store, B) == (False, False, False)


# --- the filter -----------------------------------------------------------------------------


@pytest.fixture
def states(store, metas):
    store.set_read([A], True)
    store.set_flagged([A, B], True)  # A: read + flagged; B: unread + flagged
    store.set_dismissed([C], True)  # C: unread, dismissed
    return metas, store


def _ids(metas):
    return sorted(m.id for m in metas)


@pytest.mark.parametrize(
    "statuses, expected",
    [
        ((), [A, B]),
        (("unread",), [B]),
        (("read",), [A]),
        (("flagged",), [A, B]),
        (("unread", "flagged"), [B]),
        (("read", "flagged"), [A]),
        (("read", "unread"), []),
        (("dismissed",), [C]),
        (("dismissed", "unread"), [C]),
        (("dismissed", "flagged"), []),
    ],
)
def test_every_status_must_hold_and_dismissed_ones_are_hidden_unless_asked(states, statuses, expected):
    metas, store = states
    assert _ids(filter_articles(metas, store, status=statuses)) == expected
    assert _ids(apply_filter(metas, store, Filter(statuses=statuses))) == expected


def test_show_dismissed_brings_them_back(states):
    metas, store = states
    assert _ids(apply_filter(metas, store, Filter(show_dismissed=True))) == [A, B, C]
    assert _ids(apply_filter(metas, store, Filter(statuses=("unread",), show_dismissed=True))) == [B, C]
    assert Filter(statuses=("unread", "flagged")).describe() == "status unread and flagged"
    assert Filter(show_dismissed=True).describe() == "dismissed shown"


def test_an_unknown_status_is_refused(states):
    metas, store = states
    with pytest.raises(ValueError, match="status must be one of"):
        filter_articles(metas, store, status=("read", "done"))


# --- the merge ------------------------------------------------------------------------------


def test_the_new_fields_merge_per_field():
    base = ArticleNotes(read=True)
    ours = ArticleNotes(read=True, flagged=True)  # we flagged it
    theirs = ArticleNotes(read=False, dismissed=True)  # they marked it unread and dismissed it
    merged, conflicts = merge_article("a", base, ours, theirs)
    assert (merged.read, merged.flagged, merged.dismissed) == (False, True, True) and conflicts == []


def test_two_different_summary_choices_are_a_recorded_conflict():
    base = ArticleNotes(summary=("lead", 3))
    ours, theirs = ArticleNotes(summary=("lexrank", 5)), ArticleNotes(summary=("textrank", 4))
    doc, conflicts = merge_docs(AnnotationDoc({"a": base}), AnnotationDoc({"a": ours}), AnnotationDoc({"a": theirs}), "2026-01-01T00:00:00Z")
    a = doc.get("a")
    assert a.summary == ("lexrank", 5)
    assert [(c.field, c.kept, c.other) for c in conflicts] == [("summary", "lexrank 5", "textrank 4")]
    assert [(c.field, c.kept, c.other) for c in a.conflicts] == [("summary", "lexrank 5", "textrank 4")]
    assert yamlio.load(yamlio.dumps_bytes(doc)) == doc  # the conflict entry reads back


def test_two_stores_changing_different_flags_of_one_article_both_win(corpus_dir, metas):
    one = AnnotationStore.open(corpus_dir, metas)
    two = AnnotationStore.open(corpus_dir, metas)
    one.set_flagged([A], True)
    two.set_read([A], True)  # merges with one's save
    assert _flags(AnnotationStore.open(corpus_dir), A) == (True, True, False)
