"""Redo after undo, and highlights edited, deleted and kept at one occurrence of their quote."""

from __future__ import annotations

import yaml

from briefing.annotations import AnnotationStore
from briefing.annotations.schema import Highlight

from .conftest import make_meta

A, B = "a.txt", "b.txt"


def _metas(root):
    return [make_meta(A, root=root), make_meta(B, root=root)]


def _plain(root) -> dict:
    """annotations.yaml read with an independent YAML reader."""
    return yaml.safe_load((root / "annotations.yaml").read_text(encoding="utf-8"))


def test_redo_makes_the_undone_change_again_on_disk_and_undo_takes_it_back(corpus_dir):
    store = AnnotationStore.open(corpus_dir, _metas(corpus_dir))
    store.add_tags(A, ["one"])
    store.set_title(B, "mine")
    store.undo()
    assert "title" not in _plain(corpus_dir)["articles"].get(B, {})
    assert store.can_redo()
    change = store.redo()
    assert change is not None and change.action == "redo set title"
    assert _plain(corpus_dir)["articles"][B]["title"] == "mine"
    assert not store.can_redo()
    store.undo()
    store.undo()
    assert _plain(corpus_dir)["articles"] == {}
    store.redo()
    store.redo()
    assert _plain(corpus_dir)["articles"][A]["tags"] == ["one"] and _plain(corpus_dir)["articles"][B]["title"] == "mine"
    assert store.redo() is None


def test_a_new_change_clears_what_could_be_redone(corpus_dir):
    store = AnnotationStore.open(corpus_dir, _metas(corpus_dir))
    store.add_tags(A, ["one"])
    store.undo()
    store.set_flagged(B, True)
    assert not store.can_redo() and store.redo() is None
    assert "tags" not in _plain(corpus_dir)["articles"].get(A, {})


def test_redo_keeps_what_others_changed_meanwhile(corpus_dir):
    mine, other = AnnotationStore.open(corpus_dir, _metas(corpus_dir)), AnnotationStore.open(corpus_dir, _metas(corpus_dir))
    mine.set_title(A, "mine")
    mine.undo()
    other.reload()
    other.add_tags(A, ["theirs"])
    mine.redo()
    final = AnnotationStore.open(corpus_dir).get(A)
    assert final.title == "mine" and final.tags == ("theirs",)


def test_a_bulk_batch_is_one_redo_step(corpus_dir):
    store = AnnotationStore.open(corpus_dir, _metas(corpus_dir))
    with store.batch():
        store.set_read([A, B], True)
        store.add_tags([A, B], ["bulk"])
    store.undo()
    assert _plain(corpus_dir)["articles"] == {}
    store.redo()
    stored = _plain(corpus_dir)["articles"]
    assert stored[A]["read"] is True and stored[B]["tags"] == ["bulk"]


def test_edit_and_delete_a_highlight_are_undoable_and_redoable(corpus_dir):
    store = AnnotationStore.open(corpus_dir, _metas(corpus_dir))
    store.add_highlight(A, "first passage", "why")
    store.add_highlight(A, "second passage")
    store.edit_highlight(A, 1, "now commented")
    assert _without_authors(_plain(corpus_dir)["articles"][A]["highlights"][1]) == {"quote": "second passage", "note": "now commented"}
    store.delete_highlight(A, 0)
    assert [h["quote"] for h in _plain(corpus_dir)["articles"][A]["highlights"]] == ["second passage"]
    store.undo()
    assert [h["quote"] for h in _plain(corpus_dir)["articles"][A]["highlights"]] == ["first passage", "second passage"]
    store.undo()
    assert "note" not in _plain(corpus_dir)["articles"][A]["highlights"][1]
    store.redo()
    store.redo()
    assert [_without_authors(h) for h in _plain(corpus_dir)["articles"][A]["highlights"]] == [{"quote": "second passage", "note": "now commented"}]


def test_an_unknown_highlight_number_is_an_error(corpus_dir):
    import pytest

    store = AnnotationStore.open(corpus_dir, _metas(corpus_dir))
    store.add_highlight(A, "only")
    with pytest.raises(IndexError, match="no highlight number 3"):
        store.delete_highlight(A, 3)
    with pytest.raises(IndexError):
        store.edit_highlight(B, 0, "x")


def test_the_occurrence_is_written_only_when_not_the_first_and_read_back(corpus_dir):
    store = AnnotationStore.open(corpus_dir, _metas(corpus_dir))
    store.add_highlight(A, "the", "first one")
    store.add_highlight(A, "the", "third one", occurrence=3)
    stored = _plain(corpus_dir)
    assert stored["version"] == 4
    assert [_without_authors(h) for h in stored["articles"][A]["highlights"]] == [
        {"quote": "the", "note": "first one"}, {"quote": "the", "note": "third one", "occurrence": 3}]
    again = AnnotationStore.open(corpus_dir).get(A).highlights
    assert [(h.quote, h.note, h.occurrence) for h in again] == [("the", "first one", 1), ("the", "third one", 3)]


def test_a_version_2_file_is_read_and_its_highlights_are_first_occurrences(corpus_dir):
    (corpus_dir / "annotations.yaml").write_bytes(
        b'articles:\n  "a.txt":\n    highlights:\n      - quote: "kept"\nversion: 2\n')
    store = AnnotationStore.open(corpus_dir, _metas(corpus_dir))
    assert not store.read_only
    assert store.get(A).highlights == (Highlight("kept", "", occurrence=1),)


def test_a_bad_occurrence_names_the_line(corpus_dir):
    (corpus_dir / "annotations.yaml").write_bytes(
        b'articles:\n  "a.txt":\n    highlights:\n      - quote: "kept"\n        occurrence: "zero"\nversion: 3\n')
    store = AnnotationStore.open(corpus_dir, _metas(corpus_dir))
    assert store.read_only and "line 5" in (store.error or "") and "occurrence" in (store.error or "")


def _without_authors(highlight: dict) -> dict:
    """A highlight as saved, without who made it and when (version 3's ``by``/``at``)."""
    return {k: v for k, v in highlight.items() if k not in ("by", "at")}
