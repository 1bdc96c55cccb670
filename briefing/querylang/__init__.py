"""The query language: one parser and one evaluator for every place an analyst
searches (the reader's ``/``, ``briefing list --query``, ``briefing export --query``,
watchlists). Plain Python: never imports Textual.

Syntax (case of words and diacritics do not matter; tokens as the index cuts them)::

    kyiv grid            all the words (in the title or the text)
    "power grid"         the words one after the other
    kyiv OR lviv         either (OR binds looser than the juxtaposition: a b OR c = (a b) OR c)
    -russia  -"air raid" without the word / the phrase
    sanct*               a word starting with "sanct"
    (a OR b) -c          brackets group
    title:grid  title:"power grid"  source:"Kyiv Independent"  author:smith
    tag:energy  -tag:done  tag:ener*     tags: the file's, the analyst's, automatic ones; any case
    id:2024/*.txt  id:2024              the article id (path) as a glob; a plain value is the id or a folder
    is:unread|read|flagged|dismissed|annotated|noted|highlighted
    date:2024-03  since:7d  until:"last week"   human dates (briefing.humandates); the effective date
    sort:newest (default) | sort:oldest | sort:relevance (BM25 from FTS5)

``AND`` between terms is accepted and means what a space means. A field name that
is not one of the above (``foo:bar``) is an error (quote it to search for it as text).

Public API::

    parse(text, *, typing=False, today=None) -> Query      # QueryError on bad input
    QueryError(message, start, end)                       # .message, .start, .end (offsets in text)
    Query.empty / .sort / .root / .asks_dismissed
    evaluate(query, corpus, annotations=None, *, body=None, should_stop=None) -> list[str]
        # whole corpus: matching ids in the query's order; corpus: an IndexedCorpus
        # (FTS5) or any corpus view (scanned); annotations: AnnotationStore | AnnotationDoc
        # | {id: ArticleNotes}
    Evaluation(query, corpus, annotations, ...).ids() / .stats   # the same, with counts
    matches(query, facts) -> bool                         # one article (incremental use)
    facts_from(meta, notes=None, body="", *, file_meta=None) -> Facts
    article_matches(query, meta, notes=None, body="", *, file_meta=None) -> bool
    highlight_terms(query) -> Highlighter                 # .spans(text, where="text"|"title")
    snippet(body, highlighter) -> (line, spans)

``typing=True`` is for text still being typed: a plain last word the text ends on
also matches as a prefix, so results follow the keys (as search always did).
Nothing the analyst types reaches SQLite unquoted: every token is quoted for FTS5.
"""

from __future__ import annotations

from typing import Any

from briefing.querylang.evaluate import Evaluation, Stats, evaluate, fts_expression
from briefing.querylang.match import Facts, Highlighter, facts_from, highlight_terms, matches, snippet
from briefing.querylang.nodes import Query
from briefing.querylang.syntax import MAX_LENGTH, QueryError, parse


def article_matches(query: Query, meta: Any, notes: Any = None, body: Any = "", *, file_meta: Any = None) -> bool:
    """Does one article match? ``meta``: its ArticleMeta (with the analyst's
    corrections applied, e.g. ``store.effective_meta(meta)``); ``notes``: its
    ArticleNotes; ``body``: its clean body or a callable returning it (read only
    when a word or phrase needs it); ``file_meta``: the file's meta when ``meta`` is
    corrected (the file's title matches too)."""
    return matches(query, facts_from(meta, notes, body, file_meta=file_meta))


__all__ = [
    "MAX_LENGTH", "Evaluation", "Facts", "Highlighter", "Query", "QueryError", "Stats", "article_matches",
    "evaluate", "facts_from", "fts_expression", "highlight_terms", "matches", "parse", "snippet",
]
