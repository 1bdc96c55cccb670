"""Which articles an export takes and how it groups them."""

from __future__ import annotations

import datetime as dt

import pytest

from briefing.annotations.filter import Filter, apply_filter
from briefing.export import count_items
from briefing.export.select import group_items, select_for_export

from .conftest import BIGGEST, HOSTILE, MOD, SMOLENSK, SOLLY, WAVE


def ids(metas):
    return [m.id for m in metas]


def test_no_filter_takes_annotated_and_flagged_articles_newest_first(loaded):
    corpus, store = loaded
    # BIGGEST is undated in its file; the analyst's date 2023-12-29 places it
    assert ids(select_for_export(corpus, store, Filter())) == [HOSTILE, SMOLENSK, BIGGEST, MOD]


def test_all_takes_every_article_undated_last(loaded):
    corpus, store = loaded
    assert ids(select_for_export(corpus, store, Filter(everything=True))) == [HOSTILE, SMOLENSK, BIGGEST, MOD, WAVE, SOLLY]
    assert count_items(corpus, store, Filter(everything=True)) == 6


def test_date_bounds_only_narrow_the_annotated_set(loaded):
    corpus, store = loaded
    flt = Filter(since=dt.date(2023, 12, 1), until=dt.date(2024, 4, 30))
    assert ids(select_for_export(corpus, store, flt)) == [SMOLENSK, BIGGEST]


def test_a_status_asks_for_unannotated_articles(loaded):
    corpus, store = loaded
    store.set_read(WAVE, True)  # read, nothing else: not annotated
    assert WAVE not in ids(select_for_export(corpus, store, Filter()))
    assert ids(select_for_export(corpus, store, Filter(statuses=("read",)))) == [WAVE]
    assert ids(select_for_export(corpus, store, Filter(statuses=("flagged",)))) == [HOSTILE, MOD]
    store.set_dismissed(MOD, True)  # dismissed: left out unless asked for
    assert ids(select_for_export(corpus, store, Filter(statuses=("flagged",)))) == [HOSTILE]
    assert ids(select_for_export(corpus, store, Filter(statuses=("flagged", "dismissed")))) == [MOD]


def test_a_tag_takes_front_matter_tags_without_annotations(loaded, corpus_root):
    from briefing.annotations import open_store
    from briefing.corpus import open_corpus

    (corpus_root / "annotations.yaml").unlink()
    corpus = open_corpus(corpus_root)
    store, _ = open_store(corpus_root, corpus.articles)
    assert select_for_export(corpus, store, Filter()) == []
    assert ids(select_for_export(corpus, store, Filter(tags=("hostile",)))) == [HOSTILE]


def test_search_uses_the_index_and_combines_with_annotations(loaded, corpus_root):
    from briefing.annotations import open_store
    from briefing.index import open_index

    corpus = open_index(corpus_root)
    store, _ = open_store(corpus_root, corpus.articles)
    assert ids(select_for_export(corpus, store, Filter(search="Smolensk"))) == [SMOLENSK]
    assert ids(select_for_export(corpus, store, Filter(search="heating"))) == [BIGGEST]  # SOLLY matches too, unannotated
    assert ids(select_for_export(corpus, store, Filter(search="heating", everything=True))) == [BIGGEST, SOLLY]


def test_search_without_an_index_scans_and_agrees_with_the_index(loaded, corpus_root):
    # Changed with the query language (issue 16): a corpus read into memory is
    # searched by a scan instead of refused; the answer is the index's.
    from briefing.index import open_index

    corpus, store = loaded
    indexed = open_index(corpus_root)
    for query in ("heating", '"heating" -Smolensk', "Smolensk OR heating sort:oldest"):
        scanned = ids(apply_filter(corpus.articles, store, Filter(search=query), corpus))
        assert scanned and scanned == ids(apply_filter(indexed.articles, store, Filter(search=query), indexed))
    with pytest.raises(ValueError, match="corpus"):
        apply_filter(corpus.articles, store, Filter(search="x"))


def test_group_by_date_newest_first_undated_last():
    d1, d2 = dt.date(2024, 4, 24), dt.date(2023, 11, 6)
    plans = group_items([("a", d1, ()), ("b", d1, ()), ("c", d2, ()), ("u", None, ())], "date")
    assert [(p.key, p.label, p.ids) for p in plans] == [
        ("2024-04-24", "Wednesday 24 April 2024", ("a", "b")),
        ("2023-11-06", "Monday 6 November 2023", ("c",)),
        ("undated", "Undated", ("u",)),
    ]


def test_group_by_tag_filter_tags_first_then_alphabetical_each_item_once_in_full():
    items = [("a", None, ("zeta", "Alpha")), ("b", None, ("beta",)), ("c", None, ()), ("d", None, ("zeta",))]
    plans = group_items(items, "tag", first_tags=("zeta",))
    assert [(p.label, p.ids, p.also) for p in plans] == [
        ("zeta", ("a", "d"), ()),
        ("Alpha", (), ("a",)),
        ("beta", ("b",), ()),
        ("Untagged", ("c",), ()),
    ]
    with pytest.raises(ValueError):
        group_items(items, "author")


def test_filter_describes_itself():
    flt = Filter(tags=("energy", "kyiv"), statuses=("flagged",), since=dt.date(2024, 1, 1), search="grid")
    assert flt.describe() == "tags energy, kyiv; status flagged; since 2024-01-01; search “grid”"
    assert Filter().describe() == ""


def test_suggested_name_for_a_dialog():
    from briefing.export import suggested_name

    assert suggested_name("Energy week: Kyiv/Kharkiv", "md") == "energy-week-kyiv-kharkiv.md"
    assert suggested_name("Ünïcode ☢", "docx", dt.date(2026, 11, 21)) == "unicode-2026-11-21.docx"
    assert suggested_name("../../etc", "html") == "etc.html"
    assert suggested_name("☢", "json") == "briefing.json"
