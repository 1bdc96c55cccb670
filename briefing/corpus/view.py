"""The corpus as its readers see it: a typed surface, and the export's view of a list.

:class:`CorpusView` is what the reader, the stories and the export need of a corpus
(a :class:`briefing.corpus.Corpus`, an index snapshot, or the first page shown while
the index refreshes). :class:`ListedCorpus` is a corpus seen through a list that has
already been searched: the export takes the list's results as its ``match_ids``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from briefing.model import Article, ArticleMeta


class CorpusView(Protocol):
    @property
    def root(self) -> Path: ...

    @property
    def articles(self) -> Sequence[ArticleMeta]: ...

    @property
    def problems(self) -> Sequence[object]: ...  # files skipped, with the reason

    def get(self, article_id: str) -> ArticleMeta: ...

    def article(self, article_id: str) -> Article: ...


def known_articles(corpus: CorpusView) -> Sequence[ArticleMeta] | Mapping[str, ArticleMeta]:
    """What the annotation store is told exists: the corpus's id lookup when it has
    one (an index answers it without a dict of every article), else its articles."""
    by_id = getattr(corpus, "by_id", None)
    return by_id if isinstance(by_id, Mapping) else corpus.articles


class ListedCorpus:
    """``corpus`` with the ids of a search already run (``hits``, in list order) as
    the answer to every ``match_ids`` query (None: no search, no match)."""

    def __init__(self, corpus: CorpusView, hits: Mapping[str, Any] | None) -> None:
        self._corpus = corpus
        self._hits = hits
        self.root = corpus.root
        self.articles = corpus.articles
        self.problems = corpus.problems

    def get(self, article_id: str) -> ArticleMeta:
        return self._corpus.get(article_id)

    def article(self, article_id: str) -> Article:
        return self._corpus.article(article_id)

    def match_ids(self, query: str) -> list[str]:
        return list(self._hits or ())
