"""briefing.corpus.search: every term must occur; spans point at the matches."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from briefing.corpus.search import Query, find_spans, search
from briefing.model import Article, ArticleMeta


def _meta(article_id: str, title: str, day: int | None) -> ArticleMeta:
    return ArticleMeta(
        id=article_id, path=article_id, title=title, title_derived=False,
        date=dt.date(2024, 1, day) if day else None, author=None, source=None,
        tags=(), fingerprint="sha256:0", words=0,
    )


@dataclass
class _Corpus:
    articles: list
    bodies: dict
    reads: int = 0

    def article(self, article_id):
        self.reads += 1
        meta = next(m for m in self.articles if m.id == article_id)
        return Article(meta, self.bodies[article_id])


def _corpus():
    return _Corpus(
        [_meta("a", "Power cuts in Kyiv", 3), _meta("b", "Markets", 2), _meta("c", "Weather", None)],
        {
            "a": "The grid failed overnight.",
            "b": "Energy prices rose after the power plant in Kharkiv was hit.",
            "c": "Cold. " * 40 + "A power line fell in kharkiv oblast.",
        },
    )


def test_all_terms_must_match_title_or_body_in_corpus_order():
    corpus = _corpus()
    assert [h.id for h in search(corpus, "power")] == ["a", "b", "c"]
    assert [h.id for h in search(corpus, "POWER kharkiv")] == ["b", "c"]
    assert [h.id for h in search(corpus, "kyiv grid")] == ["a"]  # one term in the title, one in the body
    assert search(corpus, "power nowhere") == []
    assert search(corpus, "   ") == []


def test_spans_and_snippet_point_at_the_matches():
    corpus = _corpus()
    hit = search(corpus, "power")[0]
    assert [corpus.articles[0].title[s:e] for s, e in hit.title_spans] == ["Power"]
    far = search(corpus, "kharkiv")[1]
    assert far.id == "c"
    assert far.snippet.startswith("…") and "\n" not in far.snippet
    assert [far.snippet[s:e] for s, e in far.snippet_spans] == ["kharkiv"]


def test_body_lookup_and_stop_are_used():
    corpus = _corpus()
    bodies = {k: v for k, v in corpus.bodies.items()}
    hits = search(corpus, "kharkiv", body=bodies.__getitem__)
    assert [h.id for h in hits] == ["b", "c"] and corpus.reads == 0
    assert search(corpus, "power", should_stop=lambda: True) == []


def test_query_terms_are_literal_not_regex():
    assert find_spans("a.b axb [/] (x)", "a.b") == [(0, 3)]
    assert find_spans("a.b axb [/] (x)", "[/] (x)") == [(8, 11), (12, 15)]
    assert Query.parse("  ").empty
