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

Interim semantics (what the existing search knows): the words are all required
(AND), whole words, case- and accent-insensitive, in the title or the body (the
index's rules, :mod:`briefing.index.query`); ``tag:NAME`` terms require that tag.
Query syntax this evaluator does not know yet (quotes, ``OR``, ``-word``, other
fields) is taken as plain words, like the reader's search does today.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from briefing.index.query import Query, tokens

if TYPE_CHECKING:
    from briefing.annotations import AnnotationStore
    from briefing.model import ArticleMeta

MAX_QUERY = 2000  # characters
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class _Parsed:
    words: Query
    tags: tuple[str, ...]


@lru_cache(maxsize=256)
def _parse(text: str) -> _Parsed:
    words: list[str] = []
    tags: list[str] = []
    for term in text.split():
        if term[:4].lower() == "tag:":
            tags.append(term[4:])
        else:
            words.append(term)
    # A trailing space: every word is whole (no prefix matching for a saved query).
    return _Parsed(Query.parse(" ".join(words) + " "), tuple(tags))


@lru_cache(maxsize=256)
def check_query(text: str) -> str | None:
    """Why ``text`` cannot be a watchlist query, or None when it can."""
    if len(text) > MAX_QUERY:
        return f"the query is too long ({len(text)} characters; the limit is {MAX_QUERY})"
    bad = _CONTROL.search(text)
    if bad:
        return f"the query holds a control character at column {bad.start() + 1}"
    if not text.strip():
        return "the query is empty"
    column = 1
    for term in re.finditer(r"\S+", text):
        column = term.start() + 1
        if term.group()[:4].lower() == "tag:" and len(term.group()) == 4:
            return f"`tag:` at column {column} needs a tag name"
    for opening, closing in (("(", ")"), ('"', '"')):
        depth = 0
        for i, ch in enumerate(text):
            if opening == closing and ch == opening:
                depth ^= 1
            elif ch == opening:
                depth += 1
            elif ch == closing:
                depth -= 1
                if depth < 0:
                    return f"`{closing}` at column {i + 1} closes nothing"
        if depth:
            return f"unbalanced `{opening}` (opened at column {text.index(opening) + 1})"
    parsed = _parse(text)
    if parsed.words.empty and not parsed.tags:
        return "the query has no word (letters or digits) and no tag: it would match nothing"
    return None


def _tags_of(meta: ArticleMeta, store: AnnotationStore | None) -> set[str]:
    return set(store.tags(meta)) if store is not None else set(meta.tags)


def matching_ids(text: str, corpus: Any, store: AnnotationStore | None = None) -> set[str]:
    """Ids of the articles of ``corpus`` (``.articles``, ``.get``; ``.match_ids`` when
    indexed, else ``.article(id).body`` is read) that the query matches; empty for a
    query :func:`check_query` refuses."""
    if check_query(text) is not None:
        return set()
    parsed = _parse(text)
    ids: set[str] | None = None  # None: every article
    if not parsed.words.empty:
        match_ids = getattr(corpus, "match_ids", None)
        if match_ids is not None:
            ids = set(match_ids(" ".join(parsed.words.words) + " "))
        else:
            ids = {m.id for m in corpus.articles if _words_match(parsed, m, corpus)}
    if not parsed.tags:
        return ids if ids is not None else {m.id for m in corpus.articles}
    need = set(parsed.tags)
    if ids is None:  # only articles that carry a tag at all can match
        ids = {m.id for m in corpus.articles if m.tags}
        if store is not None:
            ids |= {i for i, a in store.document.articles.items() if a.tags or a.auto_tags}
    out = set()
    for article_id in ids:
        try:
            meta = corpus.get(article_id)
        except KeyError:
            continue  # annotated, but not in the corpus
        if need <= _tags_of(meta, store):
            out.add(article_id)
    return out


def _words_match(parsed: _Parsed, meta: ArticleMeta, corpus: Any) -> bool:
    try:
        body = corpus.article(meta.id).body
    except Exception:  # noqa: BLE001 - a file unreadable now matches nothing
        return False
    return parsed.words.matches_text(meta.title, body)


def article_matches(text: str, meta: ArticleMeta, body: str, store: AnnotationStore | None = None) -> bool:
    """Does the article (``meta``, its clean ``body``) match the query?"""
    if check_query(text) is not None:
        return False
    parsed = _parse(text)
    if parsed.tags and not set(parsed.tags) <= _tags_of(meta, store):
        return False
    if parsed.words.empty:
        return True
    have = _tokens_of(meta.title, body)  # one tokenization for every watchlist checked
    return all(w in have for w in parsed.words.words)


@lru_cache(maxsize=8)
def _tokens_of(title: str, body: str) -> frozenset[str]:
    return frozenset(tokens(title)) | frozenset(tokens(body))
