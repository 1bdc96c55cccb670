"""Every evaluation of a watchlist's query goes through this module (issue 16).

The surface is deliberately narrow, so that the evaluator behind it can change (the
query language of ``briefing.querylang`` replaces the interim one below) without
touching the store, the CLI or the reader:

- :func:`check_query` ``(text) -> str | None``: why ``text`` is not a query (a
  message that says where), None when it is one;
- :func:`matching_ids` ``(text, corpus, store=None) -> set[str]``: the ids of every
  article of ``corpus`` the query matches (whole corpus; through the index when the
  corpus has one);
- :func:`article_matches` ``(text, meta, body, store=None) -> bool``: does one
  article match (the incremental check for a file that just arrived; ``body`` is
  its clean body).

``store`` (an :class:`~briefing.annotations.AnnotationStore`, optional) supplies the
effective tags (the file's, the analyst's and the automatic ones) for ``tag:``.

A watchlist's query is a query of the query language (:mod:`briefing.querylang`):
the same string means the same thing in the reader's ``/``, ``briefing list
--query`` and here. Words match whole (a saved query has no "last word still being
typed"), so ``ukraine`` does not match ``ukrainian`` (``ukrain*`` does).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from briefing.querylang import Evaluation, Query, QueryError, facts_from, matches, parse

if TYPE_CHECKING:
    from briefing.annotations import AnnotationStore
    from briefing.model import ArticleMeta

MAX_QUERY = 2000  # characters (the query language's own limit is lower still)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@lru_cache(maxsize=256)
def _parse(text: str, today: dt.date) -> Query:
    return parse(text, today=today)


def _query(text: str) -> Query:
    return _parse(text, dt.date.today())  # "since:7d" moves with the days


@lru_cache(maxsize=256)
def check_query(text: str) -> str | None:
    """Why ``text`` cannot be a watchlist query (where, and why), or None when it can."""
    if len(text) > MAX_QUERY:
        return f"the query is too long ({len(text)} characters; the limit is {MAX_QUERY})"
    bad = _CONTROL.search(text)
    if bad:
        return f"the query holds a control character at column {bad.start() + 1}"
    if not text.strip():
        return "the query is empty"
    try:
        query = _query(text)
    except QueryError as err:
        return f"{err.message} (column {err.start + 1})"
    if query.empty:
        return "the query has no word, field or tag: it would match every article"
    return None


def matching_ids(text: str, corpus: Any, store: AnnotationStore | None = None) -> set[str]:
    """Ids of the articles of ``corpus`` that the query matches (through the index
    when the corpus has one, else by reading the articles); empty for a query
    :func:`check_query` refuses."""
    if check_query(text) is not None:
        return set()
    found = Evaluation(_query(text), corpus, store).id_set()  # a count: no order needed
    return set(found) if found is not None else set()


@lru_cache(maxsize=4)
def _facts(meta: ArticleMeta, body: str, store: AnnotationStore | None) -> Any:
    """One article's facts, shared by every watchlist checked against it (the body is
    folded once, not once a watchlist)."""
    if store is None:
        return facts_from(meta, None, body)
    return facts_from(store.effective_meta(meta), store.get(meta.id), body, file_meta=meta)


def article_matches(text: str, meta: ArticleMeta, body: str, store: AnnotationStore | None = None) -> bool:
    """Does the article (``meta``, its clean ``body``) match the query?"""
    if check_query(text) is not None:
        return False
    return matches(_query(text), _facts(meta, body, store))
