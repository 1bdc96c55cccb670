"""Watchlist queries: the whole-corpus answer (through the index, or a scan) and the
per-article check agree with each other and with a brute-force reading of the text."""

from __future__ import annotations

import pytest

from briefing.annotations import AnnotationStore
from briefing.corpus import open_corpus
from briefing.index import open_index
from briefing.watchlists.evaluate import article_matches, check_query, matching_ids

TEXTS = {
    "a.txt": "Power grid attack\n\nThe power grid in Kyiv was hit overnight.\n",
    "b.txt": "Café opens in Lviv\n\nA new café serves coffee near the grid square.\n",
    "c.md": "---\ntitle: Gas deal\ntags: [energy]\n---\n\nGas prices fell. Power stayed cheap.\n",
    "d.txt": "Powerful storms\n\nStorms hit the coast. Gridlock followed.\n",
}


@pytest.fixture
def corpus(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    for name, text in TEXTS.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


QUERIES = {
    "power grid": {"a.txt"},
    "grid": {"a.txt", "b.txt"},  # whole words: "Gridlock" is not "grid"
    "power": {"a.txt", "c.md"},  # nor is "Powerful" "power"
    "cafe": {"b.txt"},  # accents and case fold
    "KYIV": {"a.txt"},
    "tag:energy": {"c.md"},
    "power tag:energy": {"c.md"},
    "grid tag:energy": set(),
    "tag:analyst": {"d.txt"},
}


@pytest.mark.parametrize("query, expected", QUERIES.items())
def test_whole_corpus_and_per_article_agree(corpus, query, expected):
    store = AnnotationStore.open(corpus)
    store.add_tags("d.txt", ["analyst"])
    indexed = open_index(corpus)
    plain = open_corpus(corpus)
    store.attach(plain.articles)
    assert matching_ids(query, indexed, store) == expected
    assert matching_ids(query, plain, store) == expected  # no index: the bodies are read
    one_by_one = {m.id for m in plain.articles if article_matches(query, m, plain.article(m.id).body, store)}
    assert one_by_one == expected


def test_automatic_tags_count_for_tag_terms(corpus):
    store = AnnotationStore.open(corpus, open_corpus(corpus).articles)
    store.apply_auto_tags({"b.txt": ["watched"]})
    assert matching_ids("tag:watched", open_corpus(corpus), store) == {"b.txt"}


@pytest.mark.parametrize("query", ['"unbalanced', "(open", "tag:", "", "\x1b[31m", "x" * 10_000])
def test_a_query_that_does_not_parse_matches_nothing_and_says_why(corpus, query):
    assert check_query(query)
    plain = open_corpus(corpus)
    assert matching_ids(query, plain) == set()
    assert not any(article_matches(query, m, "power grid", None) for m in plain.articles)


def test_markup_in_a_query_is_plain_words(corpus):
    assert check_query("[bold]grid[/]") is None
    assert matching_ids("[bold]grid[/]", open_corpus(corpus)) == set()  # "bold" is in no article
