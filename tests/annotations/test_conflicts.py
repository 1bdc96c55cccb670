"""Open conflicts are listed (also in a large indexed file) and settled by side."""

from __future__ import annotations

import datetime as dt

import pytest

from briefing.annotations import AnnotationStore, yamlio
from briefing.annotations.conflicts import conflict_ids, open_conflicts
from briefing.annotations.schema import AnnotationDoc, ArticleNotes, Conflict


def _file(corpus_dir, doc):
    (corpus_dir / "annotations.yaml").write_bytes(yamlio.dumps_bytes(doc))
    store = AnnotationStore.open(corpus_dir)
    store.author = "Cleo"
    return store


def test_theirs_puts_the_other_value_in_the_field_and_drops_the_entry(corpus_dir):
    doc = AnnotationDoc({
        "a.txt": ArticleNotes(title="ours", conflicts=(Conflict("title", "ours", "theirs"), Conflict("date", "2020-01-01", "2021-02-03"))),
        "b.txt": ArticleNotes(flagged=True, conflicts=(Conflict("flagged", "true", "false"),)),
    })
    store = _file(corpus_dir, doc)
    assert [(c.article_id, c.index, c.conflict.field) for c in open_conflicts(store.document)] == [
        ("a.txt", 0, "title"), ("a.txt", 1, "date"), ("b.txt", 0, "flagged")]
    store.resolve_conflict("a.txt", 1, "theirs")
    store.resolve_conflict("a.txt", 0, "ours")
    store.resolve_conflict("b.txt", 0, "theirs")
    back = yamlio.load((corpus_dir / "annotations.yaml").read_bytes())
    a, b = back.get("a.txt"), back.get("b.txt")
    assert (a.title, a.date, a.conflicts) == ("ours", dt.date(2021, 2, 3), ())
    assert a.stamp("date").by == "Cleo"
    assert not b.flagged and b.conflicts == () and conflict_ids(back) == []


def test_a_wrong_side_or_index_is_refused(corpus_dir):
    store = _file(corpus_dir, AnnotationDoc({"a.txt": ArticleNotes(title="x", conflicts=(Conflict("title", "x", "y"),))}))
    with pytest.raises(ValueError):
        store.resolve_conflict("a.txt", 0, "mine")
    with pytest.raises(IndexError):
        store.resolve_conflict("a.txt", 3, "ours")


def test_conflicts_are_found_in_an_indexed_file_without_parsing_it_whole(corpus_dir):
    from briefing.annotations.indexed import LAZY_MIN

    articles = {f"{n:05d}.txt": ArticleNotes(tags=("t",)) for n in range(LAZY_MIN + 10)}
    articles["01000.txt"] = ArticleNotes(title="a", conflicts=(Conflict("title", "a", "b"),))
    store = _file(corpus_dir, AnnotationDoc(articles))
    assert getattr(store.document.articles, "lazy", False)
    assert conflict_ids(store.document) == ["01000.txt"]
    store.resolve_conflict("01000.txt", 0, "theirs")
    assert conflict_ids(store.document) == [] and store.get("01000.txt").title == "b"
