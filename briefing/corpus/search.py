"""Find articles whose title or text contains every word of a query.

Plain Python over the loaded corpus, bodies read lazily. A later index (SQLite FTS)
can stand behind the same :func:`search` call.

A query is split on whitespace; an article matches when every term occurs,
case-insensitively, in its title or its body. Results keep the corpus order (newest
first) and carry the spans to highlight, so a front end never has to search again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Protocol

from briefing.model import ArticleMeta

SNIPPET_WIDTH = 100  # characters of context shown around the first body match


class _Corpus(Protocol):
    articles: list[ArticleMeta]

    def article(self, article_id: str): ...


@dataclass(frozen=True)
class SearchHit:
    """One matching article.

    ``title_spans`` are (start, end) offsets in the title; ``snippet`` is a one-line
    excerpt of the body around the first body match (empty when only the title
    matched) and ``snippet_spans`` are offsets in the snippet.
    """

    id: str
    title_spans: tuple[tuple[int, int], ...] = ()
    snippet: str = ""
    snippet_spans: tuple[tuple[int, int], ...] = ()


@dataclass
class Query:
    """A parsed query: its terms, lower-cased, longest first."""

    text: str
    terms: tuple[str, ...] = field(default=())

    @classmethod
    def parse(cls, text: str) -> "Query":
        terms = sorted({t.casefold() for t in text.split() if t}, key=lambda t: (-len(t), t))
        return cls(text=text, terms=tuple(terms))

    @property
    def empty(self) -> bool:
        return not self.terms

    def pattern(self) -> re.Pattern[str] | None:
        if not self.terms:
            return None
        return re.compile("|".join(re.escape(t) for t in self.terms), re.IGNORECASE)


def find_spans(text: str, query: Query | str) -> list[tuple[int, int]]:
    """Every non-overlapping occurrence of any query term in ``text``, in order."""
    if isinstance(query, str):
        query = Query.parse(query)
    pattern = query.pattern()
    if pattern is None:
        return []
    return [m.span() for m in pattern.finditer(text) if m.end() > m.start()]


def _snippet(body: str, spans: list[tuple[int, int]]) -> tuple[str, tuple[tuple[int, int], ...]]:
    first_start, _ = spans[0]
    start = max(0, first_start - SNIPPET_WIDTH // 3)
    # Start at a word boundary so the snippet does not open mid-word.
    if start > 0:
        space = body.find(" ", start, first_start)
        if space != -1:
            start = space + 1
    end = min(len(body), start + SNIPPET_WIDTH)
    raw = body[start:end]
    text = raw.replace("\n", " ").replace("\t", " ")
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(body) else ""
    shifted = tuple(
        (s - start + len(prefix), min(e, end) - start + len(prefix)) for s, e in spans if s >= start and s < end
    )
    return prefix + text + suffix, shifted


def search(
    corpus: _Corpus,
    query: str,
    *,
    body: Callable[[str], str] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> list[SearchHit]:
    """Articles of ``corpus`` matching ``query``, in corpus order.

    ``body(id)`` returns an article's text (default: read it with ``corpus.article``);
    pass a cached lookup to avoid reading files again on every keystroke.
    ``should_stop()`` is polled between articles; when it returns True the search ends
    early with what it has (a front end cancels a stale search this way).
    An empty query matches nothing.
    """
    parsed = Query.parse(query)
    if parsed.empty:
        return []
    get_body = body or (lambda article_id: corpus.article(article_id).body)
    hits: list[SearchHit] = []
    for meta in list(corpus.articles):
        if should_stop is not None and should_stop():
            break
        title_folded = meta.title.casefold()
        missing = [t for t in parsed.terms if t not in title_folded]
        # The body is read even for a title match: the snippet shows where it matches.
        try:
            text = get_body(meta.id)
        except (OSError, KeyError, ValueError):
            text = ""
        folded = text.casefold()
        if any(t not in folded for t in missing):
            continue
        title_spans = tuple(find_spans(meta.title, parsed))
        body_spans = find_spans(text, parsed)
        snippet, snippet_spans = _snippet(text, body_spans) if body_spans else ("", ())
        hits.append(SearchHit(meta.id, title_spans, snippet, snippet_spans))
    return hits
