"""Search for the reader: the query language (:mod:`briefing.querylang`), through the
index when the corpus has one, by a scan of the bodies until then.

Both paths give the same :class:`~briefing.index.query.SearchHit` (title and snippet
with the matched words' and phrases' spans), so the list and the reader have one
path. Plain Python; runs in a worker thread. A large result is a :class:`Hits`:
the first page built at once, every later hit built when the list draws its row
(a search of 16,000 hits costs its id list, not 16,000 objects, on the way to the
screen).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
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
    snippet_body: Callable[[str], str | None] | None = None,
) -> Hits | None:
    """Matching articles by id, in the query's order (:class:`Hits`); None when
    stopped; empty hits for a text that is not a query (the caller shows why).

    ``snippet_body``: the bodies for the snippets, None for a body not at hand (its
    hit then has no snippet yet: :func:`with_snippets` reads it): the list shows the
    hits without waiting for 200 files to be read and parsed.

    ``titles``: the analyst's titles by article id (they match, and the hits carry
    them); ``annotations``: the analyst's annotations (an AnnotationDoc or a mapping
    id -> ArticleNotes) for ``tag:``, ``is:`` and corrected dates."""
    try:
        query = text if isinstance(text, Query) else parse(text, typing=True)
    except QueryError:
        return Hits.of({})
    if query.empty:
        return Hits.of({})
    notes = _notes(annotations, titles)
    ids: list[str] | None
    if has_index(corpus):
        ids = evaluate(query, corpus, notes, body=body, should_stop=should_stop)
    else:
        ids = _scan(corpus, query, notes, body, should_stop)
    if ids is None or should_stop():
        return None
    return _hits(corpus, query, ids, titles or {}, snippet_body or body)


def with_snippets(corpus, query: Query, hits: Mapping[str, SearchHit], body: Callable[[str], str] | None = None,
                  should_stop: Callable[[], bool] = lambda: False) -> Hits | None:
    """``hits`` (from :func:`find` with ``snippet_body``) with the snippets it left
    out, their files read now (None when stopped); the same hits, in the same order,
    as :func:`find` without ``snippet_body`` gives. Only the first page is touched:
    the hits past it are still built when asked for."""
    read = body or getattr(corpus, "body", None) or (lambda article_id: corpus.article(article_id).body)
    hits = hits if isinstance(hits, Hits) else Hits.of(hits)
    first: dict[str, SearchHit] = {}
    by_lang: dict[str | None, Highlighter] = {}
    for article_id, hit in hits.first_page().items():
        if isinstance(hit, _Unread):
            if should_stop():
                return None
            marks = _marks_for(corpus, query, article_id, by_lang)
            try:
                text, spans = snippet(read(article_id), marks)
            except Exception:  # noqa: BLE001 - a snippet is optional; the hit still shows
                text, spans = "", ()
            hit = SearchHit(hit.id, hit.title, hit.title_spans, text, spans)
        first[article_id] = hit
    return hits.with_first_page(first)


def missing_snippets(hits: Mapping[str, SearchHit]) -> bool:
    """Some of the first hits have their snippet still to read (:func:`with_snippets`)."""
    page = hits.first_page() if isinstance(hits, Hits) else hits
    return any(isinstance(hit, _Unread) for hit in page.values())


@dataclass(frozen=True)
class _Unread(SearchHit):
    """A hit whose snippet was left out: its body was not in memory."""


class Hits(Mapping[str, SearchHit]):
    """A search's hits by article id, in the query's order.

    The first page (up to :data:`SNIPPET_HITS`, with snippets) is built at once; a hit
    past it (no snippet, its title's matches marked) is built the first time it is
    asked for, and kept: a large result costs one id list, not thousands of objects
    most of which the list never shows. ``later`` builds one such hit."""

    __slots__ = ("_first", "_known", "_later", "_made", "_order")

    def __init__(self, order: list[str], first: dict[str, SearchHit], later: Callable[[str], SearchHit]) -> None:
        self._order = order
        self._first = first
        self._later = later
        self._made: dict[str, SearchHit] = {}
        self._known: set[str] | None = None

    @classmethod
    def of(cls, hits: Mapping[str, SearchHit]) -> Hits:
        """Hits already built (every one eager)."""
        first = dict(hits)

        def later(article_id: str) -> SearchHit:
            raise KeyError(article_id)

        return cls(list(first), first, later)

    def __getitem__(self, article_id: str) -> SearchHit:
        hit = self._first.get(article_id)
        if hit is not None:
            return hit
        hit = self._made.get(article_id)
        if hit is None:
            if article_id not in self:
                raise KeyError(article_id)
            hit = self._made[article_id] = self._later(article_id)
        return hit

    def __contains__(self, article_id: object) -> bool:
        known = self._known
        if known is None:
            known = self._known = set(self._order)
        return article_id in known

    def __iter__(self) -> Iterator[str]:
        return iter(self._order)

    def __len__(self) -> int:
        return len(self._order)

    def __repr__(self) -> str:
        return f"Hits({len(self._order)} ids, {len(self._first)} built first)"

    @property
    def ids(self) -> list[str]:
        """The hits' ids in order: the same list for these hits with their first page
        replaced (:meth:`with_first_page`), so a listing made for one serves the other."""
        return self._order

    def first_page(self) -> dict[str, SearchHit]:
        """The hits built at once, in order (the only ones with snippets)."""
        return self._first

    def with_first_page(self, first: dict[str, SearchHit]) -> Hits:
        """The same hits with the first page's replaced (same ids, same order)."""
        out = Hits(self._order, first, self._later)
        out._made, out._known = self._made, self._known
        return out

    def snippet_ids(self) -> list[str]:
        """The ids whose hit has a snippet (only first-page hits have one)."""
        return [article_id for article_id, hit in self._first.items() if hit.snippet]


def snippet_ids(hits: Mapping[str, SearchHit]) -> list[str]:
    """The ids of the hits that show a snippet line (a :class:`Hits` builds none for this)."""
    if isinstance(hits, Hits):
        return hits.snippet_ids()
    return [article_id for article_id, hit in hits.items() if hit.snippet]


def first_page(corpus, query: Query, count: int, *, body: Callable[[str], str] | None = None,
               should_stop: Callable[[], bool] = lambda: False, titles: Mapping[str, str] | None = None,
               annotations: Any = None) -> tuple[Hits, bool] | None:
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


def _notes(annotations: Any, titles: Mapping[str, str] | None) -> Mapping[str, Any]:
    articles = getattr(getattr(annotations, "document", annotations), "articles", annotations) or {}
    view = getattr(articles, "query_view", None)
    if callable(view):
        # (the search's worker) a file opened unverified is searched once its check
        # passed, from its lines: not parsed whole here meanwhile
        from briefing.annotations.indexed import FileIndex

        index = getattr(articles, "index", None)
        if isinstance(index, FileIndex):
            index.await_check()
        found = view()
        if found is not articles:  # a large indexed file: what a search reads, from its bytes (not a copy of every entry)
            return _Titled(found, titles or {})
    notes = dict(articles)
    if titles:  # the analyst's titles as the list shows them (a snapshot taken on the screen's thread)
        from briefing.annotations.schema import ArticleNotes

        for article_id, title in titles.items():
            known = notes.get(article_id)
            notes[article_id] = ArticleNotes(title=title) if known is None else _with_title(known, title)
    return notes


class _Titled(Mapping[str, Any]):
    """``notes`` with the analyst's titles as the list shows them (``titles``) over theirs."""

    def __init__(self, notes: Mapping[str, Any], titles: Mapping[str, str]) -> None:
        self.notes = notes
        self.titles = titles

    def __getitem__(self, article_id: str) -> Any:
        title = self.titles.get(article_id)
        if title is None:
            return self.notes[article_id]
        known = self.notes.get(article_id)
        if known is None:
            from briefing.annotations.schema import ArticleNotes

            return ArticleNotes(title=title)
        return _with_title(known, title)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self.notes or article_id in self.titles

    def __iter__(self) -> Iterator[str]:
        yield from self.notes
        yield from (i for i in self.titles if i not in self.notes)

    def __len__(self) -> int:
        return len(self.notes) + sum(1 for i in self.titles if i not in self.notes)

    def overriding(self, *, tags: bool, states: frozenset[str] = frozenset()) -> set[str]:
        from briefing.querylang.indexed import overriding

        return overriding(self.notes, tags=tags, states=states) | self.titles.keys()


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


def _marks_for(corpus, query: Query, article_id: str, by_lang: dict[str | None, Highlighter]) -> Highlighter:
    """The highlighter for one article (a word's stems are marked in its language)."""
    try:
        lang = getattr(corpus.get(article_id), "lang", None)
    except KeyError:
        lang = None
    marks = by_lang.get(lang)
    if marks is None:
        marks = by_lang[lang] = highlight_terms(query, lang)
    return marks


def _hits(corpus, query: Query, ids: list[str], titles: Mapping[str, str],
          body: Callable[[str], str | None] | None) -> Hits:
    by_lang: dict[str | None, Highlighter] = {}  # a word's stems are marked in the article's language
    read = body or getattr(corpus, "body", None) or (lambda article_id: corpus.article(article_id).body)
    first: dict[str, SearchHit] = {}
    for article_id in ids[:SNIPPET_HITS]:
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
        try:
            text = read(article_id)
            if text is None:
                first[article_id] = _Unread(article_id, title, title_spans)
                continue
            line, spans = snippet(text, marks)
        except Exception:  # noqa: BLE001 - a snippet is optional; the hit still shows
            line, spans = "", ()
        first[article_id] = SearchHit(article_id, title, title_spans, line, spans)

    def later(article_id: str) -> SearchHit:
        """A hit past the first page: no snippet, its title's matches marked."""
        try:
            meta = corpus.get(article_id)
        except KeyError:  # gone since the search ran (no longer listed): a bare hit, not a KeyError for a key
            return SearchHit(article_id, titles.get(article_id) or "")
        title = titles.get(article_id) or meta.title
        lang = getattr(meta, "lang", None)
        marks = by_lang.get(lang)
        if marks is None:
            marks = by_lang[lang] = highlight_terms(query, lang)
        return SearchHit(article_id, title, tuple(marks.spans(title, "title")))

    return Hits([*first, *ids[SNIPPET_HITS:]], first, later)
