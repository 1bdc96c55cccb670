"""Search through the index gives what a brute-force scan of the files gives."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.corpus import open_corpus
from briefing.index import open_index

from .conftest import VOCAB, make_corpus


def ref_tokens(text: str) -> set[str]:
    """Independent reference: strip accents, lower-case, split on anything not a-z0-9.
    (The generated corpora use only ASCII and Latin letters with accents.)"""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return set(re.findall(r"[a-z0-9]+", plain.lower()))


def ref_search(corpus, query: str) -> list[str]:
    """The documented rules, by brute force over every file's parsed title and body."""
    words = ref_tokens(query) and re.findall(r"[a-z0-9]+", "".join(
        c for c in unicodedata.normalize("NFKD", query) if not unicodedata.combining(c)).lower())
    if not words:
        return []
    prefix = None
    if not query[-1].isspace() and re.search(r"[0-9A-Za-zÀ-ÿ]$", query) and len(words[-1]) >= 2:
        prefix = words.pop()
    hits = []
    for meta in corpus.articles:
        have = ref_tokens(meta.title) | ref_tokens(corpus.article(meta.id).body)
        if all(w in have for w in words) and (prefix is None or any(t.startswith(prefix) for t in have)):
            hits.append(meta.id)
    return hits


QUERIES = [
    "power", "Power GRID", "grid power", "kyiv strike", "the", "cafe", "Café", "CAFÉ", "naive", "resume",
    "über", "uber", "e-mail", "mail", "co-operation", "covid-19", "covid", "19", "g7", "2023",
    "pow", "po", "p", "gri", "energy min", "talks c", "senor", "señ", "e-ma", "ceasefire ", "harb",
    "zzz", "power zzz", "police court ruling", "a", "of the", "missile drone winter",
]


@pytest.fixture(scope="module")
def search_corpus(tmp_path_factory):
    base = tmp_path_factory.mktemp("search")
    with pytest.MonkeyPatch.context() as patch:  # module scope: the session's value comes back after
        patch.setenv("BRIEFING_CACHE_DIR", str(base / "cache"))
        root = base / "corpus"
        make_corpus(root, 80, seed=5)
        yield open_index(root), open_corpus(root)


@pytest.mark.parametrize("query", QUERIES)
def test_search_equals_brute_force(search_corpus, query):
    indexed, loaded = search_corpus
    expected = ref_search(loaded, query)
    got = [h.id for h in indexed.search(query, limit=None)]
    assert sorted(got) == sorted(expected)
    assert sorted(indexed.match_ids(query)) == sorted(expected)
    assert indexed.count(query) == len(expected)


def test_queries_find_something(search_corpus):
    """Guard against a vacuous comparison: most of the queries do match."""
    indexed, loaded = search_corpus
    assert sum(1 for q in QUERIES if ref_search(loaded, q)) >= len(QUERIES) - 4


def test_results_are_newest_first_and_limited(search_corpus):
    indexed, _ = search_corpus
    hits = indexed.search("the", limit=None)
    dates = [indexed.get(h.id).date for h in hits]
    dated = [d for d in dates if d is not None]
    assert dated == sorted(dated, reverse=True)
    assert all(d is None for d in dates[len(dated):])  # undated last
    assert [h.id for h in indexed.search("the", limit=5)] == [h.id for h in hits[:5]]


def test_spans_mark_the_matched_words(search_corpus):
    indexed, _ = search_corpus
    for query in ("power", "gri", "cafe"):
        hits = indexed.search(query, limit=None)
        assert hits
        for hit in hits:
            assert hit.title == indexed.get(hit.id).title
            marked = [hit.title[s:e] for s, e in hit.title_spans] + [hit.snippet[s:e] for s, e in hit.snippet_spans]
            assert marked, hit
            for text in marked:
                folded = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()
                assert folded.startswith(query), (query, text)
            if hit.snippet:
                assert "\n" not in hit.snippet and hit.snippet_spans


def test_title_only_match_has_no_snippet(tmp_path):
    root = tmp_path / "c"
    root.mkdir()
    (root / "a.txt").write_text("Zebra crossing\n\nNothing about animals here at all.\n")
    (root / "b.txt").write_text("Other news\n\nA zebra escaped from the zoo.\n")
    indexed = open_index(root)
    hits = {h.id: h for h in indexed.search("zebra")}
    assert set(hits) == {"a.txt", "b.txt"}
    assert hits["a.txt"].snippet == "" and hits["a.txt"].title_spans == ((0, 5),)
    assert hits["b.txt"].title_spans == () and "zebra" in hits["b.txt"].snippet


HOSTILE = [
    '"', '""', '"""', "*", "-", "- -", "OR", "AND", "NOT", "a OR b", "NEAR(", "NEAR(a b", "(", ")", "((power",
    "power)", "power*", "*power", "^power", "title:power", "body : grid", "{title}: x", "power -grid", "+",
    "'", "\\", "\x00", "\x1b[31m", "💥", "​", "\u0301", "½", "snake_case", "a" * 5000, "power " * 100,
    "NEAR(power grid, 2)", '"power grid"', "power OR", "col:", ":", "power AND NOT grid",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_raise(search_corpus, query):
    indexed, _ = search_corpus
    hits = indexed.search(query)
    assert isinstance(hits, list)
    indexed.match_ids(query)
    indexed.count(query)


def test_operators_are_plain_words(search_corpus):
    indexed, loaded = search_corpus
    for query in ("power OR grid", "power AND grid", "power NOT grid", "NEAR(power grid)"):
        assert sorted(h.id for h in indexed.search(query, limit=None)) == sorted(ref_search(loaded, query))
    assert indexed.search("power NOT grid") == []  # "not" is a word no article has


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=40) | st.lists(st.sampled_from(VOCAB + ['"', "*", "(", ")", "-", "OR", "NEAR("]), max_size=6).map(" ".join))
def test_any_text_is_a_query(search_corpus, query):
    indexed, _ = search_corpus
    assert isinstance(indexed.search(query), list)


PREFIXES = ["pow", "po", "gri", "energy min", "talks c", "e-ma", "the", "co", "covid-1", "zz", "power zz", "20"]


@pytest.mark.parametrize("max_expansion", [1000, 1])
def test_limited_prefix_search_is_the_newest_of_brute_force(search_corpus, monkeypatch, max_expansion):
    """With a limit, a prefix is expanded to the index's terms (or, above MAX_EXPANSION
    terms, left to FTS5): either way the newest matches of the brute-force scan."""
    import briefing.index.indexed as indexed_mod

    monkeypatch.setattr(indexed_mod, "MAX_EXPANSION", max_expansion)
    expanded = []
    original = indexed_mod.IndexedCorpus._prefix_terms

    def spy(self, schema, prefix):
        terms = original(self, schema, prefix)
        expanded.append(terms)
        return terms

    monkeypatch.setattr(indexed_mod.IndexedCorpus, "_prefix_terms", spy)
    indexed, loaded = search_corpus
    for query in PREFIXES:
        expected = ref_search(loaded, query)
        for limit in (1, 3, 10, 50):
            assert [h.id for h in indexed.search(query, limit=limit)] == expected[:limit], (query, limit)
    if max_expansion == 1000:
        assert any(terms and len(terms) > 1 for terms in expanded)  # the expansion was used
        assert [] in expanded  # "zz": no term has it, nothing is queried
    else:
        assert any(terms is None for terms in expanded)  # too many terms: the plain prefix query
