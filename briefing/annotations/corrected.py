"""One truth about an article's title and date: the analyst's correction, else the file's.

Every view and command that shows, sorts, groups or exports articles goes through
here (or through :meth:`AnnotationStore.effective_meta`, which this wraps), so a
date or title set with ``d``/``e`` (or ``briefing date``/``title``) is the article's
everywhere: ``show``, search results, stories (lead, date window, rows),
``compare``, ``keywords``, export and the reader.

- :func:`effective_article` is an article with the corrections applied;
- :class:`CorrectedCorpus` is a corpus view whose every article is, for code that
  takes a whole corpus (story grouping, story rendering);
- :func:`effective_lang` is the article's language (the analyst's, else detected);
- :func:`date_origin` / :func:`title_origin` say where a shown value came from,
  keeping the original visible ("set by analyst; file says none").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefing.model import Article, ArticleMeta, CorpusView
from briefing.sanitize import clean_line

if TYPE_CHECKING:
    from briefing.annotations.store import AnnotationStore


def effective_article(store: AnnotationStore | None, article: Article) -> Article:
    """``article`` with the analyst's title, date and tags (the body unchanged)."""
    if store is None:
        return article
    meta = store.effective_meta(article.meta)
    return article if meta is article.meta else replace(article, meta=meta)


def effective_lang(meta: ArticleMeta, store: AnnotationStore | None = None) -> str | None:
    """The language an article is treated as being in (summaries, keywords, search
    highlights): the analyst's (``O`` / ``briefing lang``), else the one detected
    when it was read (the index's); None when neither is known (a summary then
    detects it from the text). ``und`` (the analyst's "undetermined") is returned
    as such: no language's stopwords or stems apply."""
    if store is not None:
        own = store.get(meta.id).lang
        if own:
            return own
    return meta.lang


def date_origin(original: ArticleMeta, store: AnnotationStore | None) -> str | None:
    """Where the shown date comes from when the analyst set it ("set by analyst;
    file says 2024-03-01" / "file says none"); None when it is the file's."""
    if store is None or store.get(original.id).date is None:
        return None
    said = original.date.isoformat() if original.date else "none"
    return f"set by analyst; file says {said}"


def title_origin(original: ArticleMeta, store: AnnotationStore | None) -> str | None:
    """Like :func:`date_origin` for the title (the file's title, or that it had none)."""
    if store is None or store.get(original.id).title is None:
        return None
    if original.title_derived:
        return "set by analyst; the file has no headline"
    return f"set by analyst; file says {clean_line(original.title)!r}"


def lang_origin(original: ArticleMeta, store: AnnotationStore | None) -> str | None:
    """Like :func:`date_origin` for the language ("set by analyst; detected uk")."""
    if store is None or store.get(original.id).lang is None:
        return None
    return f"set by analyst; detected {original.lang or 'none'}"


class FixedArticles(Sequence[ArticleMeta]):
    """``articles`` with ``fix`` applied as each one is read: nothing is copied, so a
    corpus read by window from its index (a million rows) stays so; its length is the
    underlying one's."""

    def __init__(self, articles: Sequence[ArticleMeta], fix: Callable[[ArticleMeta], ArticleMeta]) -> None:
        self._inner = articles
        self._fix = fix

    def __len__(self) -> int:
        return len(self._inner)

    def __getitem__(self, k: Any) -> Any:
        if isinstance(k, slice):
            return [self._fix(meta) for meta in self._inner[k]]
        return self._fix(self._inner[k])

    def __iter__(self) -> Iterator[ArticleMeta]:
        fix = self._fix
        for meta in self._inner:
            yield fix(meta)


class CorrectedCorpus:
    """A :class:`~briefing.model.CorpusView` over ``corpus`` where every article has
    the analyst's title, date and tags. ``fix`` maps a meta to the shown one
    (default: ``store.effective_meta``). Anything else (the index's search, word
    statistics) is passed through to ``corpus``."""

    def __init__(self, corpus: CorpusView, store: AnnotationStore | None = None,
                 fix: Callable[[ArticleMeta], ArticleMeta] | None = None) -> None:
        self.corpus = corpus
        if fix is None:
            fix = store.effective_meta if store is not None else (lambda meta: meta)
        self._fix = fix
        self._articles = FixedArticles(corpus.articles, fix)

    @property
    def root(self) -> Path:
        return self.corpus.root

    @property
    def articles(self) -> Sequence[ArticleMeta]:
        return self._articles

    def get(self, article_id: str) -> ArticleMeta:
        return self._fix(self.corpus.get(article_id))

    def fix(self, meta: ArticleMeta) -> ArticleMeta:
        """``meta`` (one of the corpus's) as this view shows it."""
        return self._fix(meta)

    def article(self, article_id: str) -> Article:
        article = self.corpus.article(article_id)
        meta = self._fix(article.meta)
        return article if meta is article.meta else replace(article, meta=meta)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.corpus, name)


class Corrections:
    """A snapshot of the analyst's titles and dates, usable as the ``fix`` of a
    :class:`CorrectedCorpus` on a worker thread while the store goes on changing
    (tags stay the file's: grouping and ordering need only titles and dates)."""

    def __init__(self, store: AnnotationStore) -> None:
        articles = store.document.articles
        if getattr(articles, "lazy", False):  # a large indexed file: read from the lines, nothing parsed whole
            ids = store.ids_with("title") | store.ids_with("date")
            self.fixes = {aid: store.corrections(aid) for aid in ids}
            return
        self.fixes = {aid: (a.title, a.date) for aid, a in articles.items()
                      if a.title is not None or a.date is not None}

    @classmethod
    def from_fixes(cls, fixes: dict[str, tuple[str | None, dt.date | None]]) -> Corrections:
        """The snapshot ``fixes`` (another's :attr:`fixes`, e.g. sent to a child process)."""
        made = cls.__new__(cls)
        made.fixes = dict(fixes)
        return made

    def date_of(self, article_id: str) -> dt.date | None:
        """The analyst's date of ``article_id`` in the snapshot (None: not set)."""
        found = self.fixes.get(article_id)
        return found[1] if found is not None else None

    def __call__(self, meta: ArticleMeta) -> ArticleMeta:
        found = self.fixes.get(meta.id)
        if found is None:
            return meta
        title, date = found
        return replace(meta, title=clean_line(title) if title is not None else meta.title,
                       title_derived=meta.title_derived and title is None, date=date or meta.date)
