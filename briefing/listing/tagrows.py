"""The front-matter tags of an indexed corpus, read from its index for
:meth:`briefing.annotations.AnnotationStore.tag_counts` (issue 20): the reader asks
for the corpus's tag counts when it suggests tags and when the tag and filter
dialogs open. Counted over ``corpus.articles`` that made a meta per article,
2.4 s of Python at a million articles, holding the interpreter while keys waited;
here SQLite groups the rows by their tags (one scan of a covering index) and only
the annotated articles are looked up one by one.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import TYPE_CHECKING

from briefing.index.extract import split_lines

if TYPE_CHECKING:
    from briefing.annotations.store import FrontTags
    from briefing.index.indexed import IndexedCorpus
    from briefing.model import ArticleMeta


class IndexTags:
    """``tag_sets`` and ``tags_of`` read from the index of ``corpus``, on the calling
    thread's connection (any thread: each has its own)."""

    def __init__(self, corpus: IndexedCorpus) -> None:
        self._corpus = corpus

    def tag_sets(self) -> list[tuple[tuple[str, ...], int]]:
        rows = self._corpus._conn().execute("SELECT tags, count(*) FROM articles WHERE tags != '' GROUP BY tags")
        return [(split_lines(tags), n) for tags, n in rows]

    def tags_of(self, ids: Collection[str]) -> dict[str, tuple[str, ...]]:
        from briefing.listing.stream import rows_by_id

        rows = rows_by_id(self._corpus._conn(), "SELECT a.id, a.tags FROM articles AS a", ids)
        return {article_id: split_lines(tags) for article_id, tags in rows}


def tag_source(corpus: object) -> FrontTags | Sequence[ArticleMeta] | Iterable[ArticleMeta]:
    """What to count ``corpus``'s tags over: its index when it reads its articles
    from one, else its articles."""
    from briefing.listing.stream import reads_from_index

    if reads_from_index(corpus):
        return IndexTags(corpus)  # type: ignore[arg-type]
    return corpus.articles  # type: ignore[attr-defined,no-any-return]
