"""Filtering by tag, status and effective date."""

from __future__ import annotations

import datetime as dt

import pytest

from briefing.annotations import AnnotationStore, effective_sort_key, filter_articles

from .conftest import make_meta

D = dt.date


@pytest.fixture
def setup(corpus_dir):
    metas = [
        make_meta("new.txt", date=D(2024, 3, 1), root=corpus_dir),
        make_meta("old.txt", date=D(2022, 1, 1), root=corpus_dir),
        make_meta("undated.txt", root=corpus_dir),
        make_meta("fm.md", tags=("energy",), date=D(2023, 6, 1), root=corpus_dir),
        make_meta("plain.txt", root=corpus_dir),
    ]
    store = AnnotationStore.open(corpus_dir, metas)
    store.add_tags("new.txt", ["energy", "kyiv"])
    store.set_flagged("old.txt", True)  # flagged, not read
    store.set_read("new.txt", True)
    store.set_date("undated.txt", "2023-11-06")
    store.add_note("plain.txt", "a note")
    return metas, store


def ids(metas):
    return [m.id for m in metas]


def test_effective_date_moves_an_undated_article_into_its_day(setup):
    metas, store = setup
    assert ids(filter_articles(metas, store)) == ["new.txt", "undated.txt", "fm.md", "old.txt", "plain.txt"]
    assert effective_sort_key(metas[2], store)[0] is False


def test_tags_include_front_matter_and_repeated_tags_must_all_match(setup):
    metas, store = setup
    assert ids(filter_articles(metas, store, tag="energy")) == ["new.txt", "fm.md"]
    assert ids(filter_articles(metas, store, tag=["energy", "kyiv"])) == ["new.txt"]
    assert filter_articles(metas, store, tag="nothing") == []


@pytest.mark.parametrize(
    "status, expected",
    [
        ("unread", ["undated.txt", "fm.md", "old.txt", "plain.txt"]),
        ("read", ["new.txt"]),
        ("flagged", ["old.txt"]),
        ("annotated", ["new.txt", "undated.txt", "plain.txt"]),
    ],
)
def test_status_filters(setup, status, expected):
    metas, store = setup
    assert ids(filter_articles(metas, store, status=status)) == expected


def test_date_range_is_inclusive_uses_overrides_and_drops_undated(setup):
    metas, store = setup
    assert ids(filter_articles(metas, store, since="2023-06-01", until=D(2023, 11, 6))) == ["undated.txt", "fm.md"]
    assert ids(filter_articles(metas, store, since=D(2024, 1, 1))) == ["new.txt"]
    assert ids(filter_articles(metas, store, until=D(2022, 1, 1))) == ["old.txt"]


def test_filters_combine(setup):
    metas, store = setup
    assert ids(filter_articles(metas, store, tag="energy", status="unread")) == ["fm.md"]
    assert ids(filter_articles(metas, store, annotated=False, since="2000-01-01")) == ["fm.md", "old.txt"]


def test_bad_filter_values_are_refused(setup):
    metas, store = setup
    with pytest.raises(ValueError, match="status"):
        filter_articles(metas, store, status="done")
    with pytest.raises(ValueError, match="since"):
        filter_articles(metas, store, since="yesterday")


def test_mark_filters_on_a_large_indexed_file_parse_no_entry(tmp_path, parsed):
    """Issue 20: the reader's unread / flagged / dismissed filters over 100,000
    annotated articles parsed (and kept) every entry; they read the marks' lines."""
    from briefing.annotations import indexed, yamlio
    from briefing.annotations.schema import AnnotationDoc, ArticleNotes

    n = indexed.LAZY_MIN + 30
    ids = [f"{i:05}.txt" for i in range(n)]
    entries = {i: ArticleNotes(read=k % 2 == 0, flagged=k % 3 == 0, dismissed=k % 5 == 0, tags=("x",))
               for k, i in enumerate(ids)}
    (tmp_path / "annotations.yaml").write_bytes(yamlio.dumps_bytes(AnnotationDoc(entries)))
    AnnotationStore.open(tmp_path)  # parsed whole once; its index kept
    store = AnnotationStore.open(tmp_path)
    parsed.clear()
    metas = [make_meta(i) for i in [*ids, "unannotated.txt"]]
    unread_flagged = filter_articles(metas, store, status=("unread", "flagged"))
    shown = filter_articles(metas, store)
    dismissed = filter_articles(metas, store, status="dismissed")
    assert parsed == []  # no entry parsed, alone or whole
    assert [m.id for m in unread_flagged] == [i for k, i in enumerate(ids) if k % 2 and k % 3 == 0 and k % 5]
    assert [m.id for m in shown] == sorted([i for k, i in enumerate(ids) if k % 5] + ["unannotated.txt"])
    assert [m.id for m in dismissed] == [i for k, i in enumerate(ids) if k % 5 == 0]
