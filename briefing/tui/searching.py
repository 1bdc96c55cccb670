"""Search for the reader: through the index when the corpus has one, by a scan until then.

Both paths follow the rules of :mod:`briefing.index.query` (whole words, the last one
also as a prefix, case and diacritics ignored) and return the same
:class:`~briefing.index.query.SearchHit`, so the list and the reader have one path.
Plain Python; runs in a worker thread.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace

from briefing.index.query import Query, SearchHit, snippet

SNIPPET_HITS = 200  # results that get a body snippet; the rest list title matches only


def has_index(corpus) -> bool:
    return callable(getattr(corpus, "search", None)) and callable(getattr(corpus, "match_ids", None))


def find(
    corpus,
    text: str,
    *,
    body: Callable[[str], str] | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    titles: Mapping[str, str] | None = None,
) -> dict[str, SearchHit] | None:
    """Matching articles by id, in list order (dict order); None when stopped.

    ``titles``: the analyst's titles by article id. An article matches by its
    analyst's title too, and its hit carries that title (with the matched words'
    spans), since that is the title the list shows."""
    query = Query.parse(text)
    if query.empty:
        return {}
    if has_index(corpus):
        hits = _through_index(corpus, text, query, should_stop)
    else:
        hits = _scan(corpus, query, body, should_stop)
    if hits is None or not titles:
        return hits
    for article_id, title in titles.items():
        hit = hits.get(article_id)
        if hit is not None:
            hits[article_id] = replace(hit, title=title, title_spans=tuple(query.spans(title)))
        elif query.matches_text(title) and _known(corpus, article_id):
            hits[article_id] = SearchHit(article_id, title, tuple(query.spans(title)))
    return hits


def _known(corpus, article_id: str) -> bool:
    try:
        corpus.get(article_id)
    except KeyError:
        return False
    return True


def _through_index(corpus, text: str, query: Query, should_stop) -> dict[str, SearchHit] | None:
    top = {hit.id: hit for hit in corpus.search(text, limit=SNIPPET_HITS)}
    if should_stop():
        return None
    if len(top) < SNIPPET_HITS:
        return top  # every match already has its snippet
    hits: dict[str, SearchHit] = {}
    for article_id in corpus.match_ids(text):
        hit = top.get(article_id)
        if hit is None:
            title = corpus.get(article_id).title
            hit = SearchHit(article_id, title, tuple(query.spans(title)))
        hits[article_id] = hit
    return None if should_stop() else hits


def _scan(corpus, query: Query, body, should_stop) -> dict[str, SearchHit] | None:
    get_body = body or (lambda article_id: corpus.article(article_id).body)
    hits: dict[str, SearchHit] = {}
    for meta in list(corpus.articles):
        if should_stop():
            return None
        try:
            text = get_body(meta.id)
        except Exception:  # unreadable or vanished: only its title can match
            text = ""
        if not query.matches_text(meta.title, text):
            continue
        snip, spans = snippet(text, query)
        hits[meta.id] = SearchHit(meta.id, meta.title, tuple(query.spans(meta.title)), snip, spans)
    return hits
