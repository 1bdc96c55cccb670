"""Search for the reader: the query language (:mod:`briefing.querylang`), through the
index when the corpus has one, by a scan of the bodies until then.

Both paths give the same :class:`~briefing.index.query.SearchHit` (title and snippet
with the matched words' and phrases' spans), so the list and the reader have one
path. Plain Python; runs in a worker thread.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from briefing.index.query import SearchHit
from briefing.querylang import Highlighter, Query, QueryError, evaluate, highlight_terms, parse, snippet

SNIPPET_HITS = 200  # results that get a body snippet; the rest list title matches only


def has_index(corpus) -> bool:
    return callable(getattr(corpus, "search", None)) and callable(getattr(corpus, "match_ids", None))


def find(
    corpus,
    text: str | Query,
    *,
    body: Callable[[str], str] | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    titles: Mapping[str, str] | None = None,
    annotations: Any = None,
) -> dict[str, SearchHit] | None:
    """Matching articles by id, in the query's order (dict order); None when stopped;
    ``{}`` for a text that is not a query (the caller shows why).

    ``titles``: the analyst's titles by article id (they match, and the hits carry
    them); ``annotations``: the analyst's annotations (an AnnotationDoc or a mapping
    id -> ArticleNotes) for ``tag:``, ``is:`` and corrected dates."""
    try:
        query = text if isinstance(text, Query) else parse(text, typing=True)
    except QueryError:
        return {}
    if query.empty:
        return {}
    notes = _notes(annotations, titles)
    ids: list[str] | None
    if has_index(corpus):
        ids = evaluate(query, corpus, notes, body=body, should_stop=should_stop)
    else:
        ids = _scan(corpus, query, notes, body, should_stop)
    if ids is None or should_stop():
        return None
    return _hits(corpus, query, ids, titles or {}, body)


def first_page(corpus, query: Query, count: int, *, body: Callable[[str], str] | None = None,
               should_stop: Callable[[], bool] = lambda: False, titles: Mapping[str, str] | None = None,
               annotations: Any = None) -> tuple[dict[str, SearchHit], bool] | None:
    """The first ``count`` hits of :func:`find`, checking article texts only until
    they are found (a phrase with thousands of candidates): ``(hits, complete)``;
    None when stopped. Only through the index (a scan has no cheap first page)."""
    if query.empty or not has_index(corpus):
        return None
    from briefing.querylang import Evaluation

    notes = _notes(annotations, titles)
    found = Evaluation(query, corpus, notes, body=body, should_stop=should_stop).first(count)
    if found is None or should_stop():
        return None
    ids, complete = found
    return _hits(corpus, query, ids, titles or {}, body), complete


def needs_texts(query: Query) -> bool:
    """The query has a phrase: its candidates' texts are read to decide."""
    from briefing.querylang.nodes import Phrase, walk

    return any(isinstance(node, Phrase) and node.field is None for node, _ in walk(query.root))


def _notes(annotations: Any, titles: Mapping[str, str] | None) -> dict[str, Any]:
    notes = dict(getattr(getattr(annotations, "document", annotations), "articles", annotations) or {})
    if titles:  # the analyst's titles as the list shows them (a snapshot taken on the screen's thread)
        from briefing.annotations.schema import ArticleNotes

        for article_id, title in titles.items():
            known = notes.get(article_id)
            notes[article_id] = ArticleNotes(title=title) if known is None else _with_title(known, title)
    return notes


def _with_title(notes: Any, title: str) -> Any:
    from dataclasses import replace

    return replace(notes, title=title)


def _scan(corpus, query: Query, notes, body, should_stop) -> list[str] | None:
    get_body = body or (lambda article_id: corpus.article(article_id).body)

    def safe_body(article_id: str) -> str:
        try:
            return get_body(article_id)
        except Exception:  # noqa: BLE001 - unreadable or vanished: only its metadata can match
            return ""

    ids = evaluate(query, corpus, notes, body=safe_body, should_stop=should_stop)
    return None if should_stop() else ids


def _hits(corpus, query: Query, ids: list[str], titles: Mapping[str, str], body) -> dict[str, SearchHit]:
    by_lang: dict[str | None, Highlighter] = {}  # a word's stems are marked in the article's language
    read = body or getattr(corpus, "body", None) or (lambda article_id: corpus.article(article_id).body)
    hits: dict[str, SearchHit] = {}
    for n, article_id in enumerate(ids):
        try:
            meta = corpus.get(article_id)
            title = titles.get(article_id) or meta.title
        except KeyError:
            continue
        lang = getattr(meta, "lang", None)
        marks = by_lang.get(lang)
        if marks is None:
            marks = by_lang[lang] = highlight_terms(query, lang)
        title_spans = tuple(marks.spans(title, "title"))
        if n < SNIPPET_HITS:
            try:
                text, spans = snippet(read(article_id), marks)
            except Exception:  # noqa: BLE001 - a snippet is optional; the hit still shows
                text, spans = "", ()
            hits[article_id] = SearchHit(article_id, title, title_spans, text, spans)
        else:
            hits[article_id] = SearchHit(article_id, title, title_spans)
    return hits
