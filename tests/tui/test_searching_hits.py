"""The reader's search hits past the first page are built when asked for
(:class:`briefing.tui.searching.Hits`): the same hits, id for id, as building every
one at once; no Textual app here."""

from __future__ import annotations

import dataclasses

import pytest

from briefing.index.query import SearchHit
from briefing.querylang import highlight_terms, parse, snippet
from briefing.tui import searching

QUERY = "energy OR port* OR power"


class CountingCorpus:
    """The index, counting the metadata look-ups made through it."""

    def __init__(self, corpus) -> None:
        self._corpus = corpus
        self.looked_up: list[str] = []

    def get(self, article_id: str):
        self.looked_up.append(article_id)
        return self._corpus.get(article_id)

    def __getattr__(self, name: str):
        return getattr(self._corpus, name)


def eager_hit(corpus, query, article_id: str, with_snippet: bool) -> SearchHit:
    """One hit built from scratch: title marked, snippet from the body."""
    meta = corpus.get(article_id)
    marks = highlight_terms(query, meta.lang)
    spans = tuple(marks.spans(meta.title, "title"))
    if not with_snippet:
        return SearchHit(article_id, meta.title, spans)
    line, line_spans = snippet(corpus.body(article_id), marks)
    return SearchHit(article_id, meta.title, spans, line, line_spans)


@pytest.fixture
def corpus(seeds):
    from briefing.index import open_index

    opened = open_index(seeds)
    yield opened
    opened.close()


def test_every_lazy_hit_equals_the_eagerly_built_one(corpus, monkeypatch):
    monkeypatch.setattr(searching, "SNIPPET_HITS", 2)
    query = parse(QUERY, typing=True)
    ids = searching.evaluate(query, corpus, {})
    hits = searching.find(corpus, query)
    assert isinstance(hits, searching.Hits)
    assert len(ids) >= 4 and list(hits) == ids and len(hits) == len(ids)
    assert any(hits[aid].title_spans for aid in ids[2:])  # some later titles do hold a match
    for n, article_id in enumerate(ids):
        expected = eager_hit(corpus, query, article_id, with_snippet=n < 2)
        hit = hits[article_id]
        assert hit == expected and type(hit) is SearchHit
        assert dataclasses.replace(hit, title="x") == dataclasses.replace(expected, title="x")
        assert article_id in hits and hits.get(article_id) is hit  # built once, kept
    assert "nope.txt" not in hits and hits.get("nope.txt") is None
    with pytest.raises(KeyError):
        hits["nope.txt"]
    assert hits == {aid: eager_hit(corpus, query, aid, n < 2) for n, aid in enumerate(ids)}
    assert searching.snippet_ids(hits) == [aid for aid in ids[:2] if hits[aid].snippet]


def test_the_hits_past_the_first_page_are_not_built_until_asked_for(corpus, monkeypatch):
    monkeypatch.setattr(searching, "SNIPPET_HITS", 2)
    query = parse(QUERY, typing=True)
    counting = CountingCorpus(corpus)
    quick = searching.find(counting, query, snippet_body=lambda article_id: None)
    assert quick is not None and len(quick) >= 4 and searching.missing_snippets(quick)
    later = list(quick)[2:]
    whole = searching.with_snippets(counting, query, quick)
    assert whole is not None and not searching.missing_snippets(whole)
    assert not set(later) & set(counting.looked_up)  # neither the search nor the snippets built them
    assert list(whole) == list(quick)
    assert whole == searching.find(corpus, query)
    assert set(later) <= set(counting.looked_up)  # the comparison asked for every one
