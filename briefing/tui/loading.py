"""Opening a corpus through its index, for the reader's loader worker.

The first screen comes from the cache (:meth:`CorpusIndex.head`, milliseconds) or,
on a cold cache, from the first batch the refresh commits; the refresh then runs to
the end in the same worker thread, reporting progress, and the full corpus replaces
the first page when it completes. The worker only posts messages.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

from briefing.corpus import read_article, sort_key
from briefing.model import Article, ArticleMeta
from briefing.tui.messages import CorpusHead, IndexProgress

if TYPE_CHECKING:
    from briefing.index import CorpusIndex, IndexedCorpus

HEAD_ROWS = 200  # articles listed from the cache before the refresh completes
FIRST_DRAW_WAIT_S = 0.5  # at most, before the refresh starts walking the folder


def make_index(root: Path) -> CorpusIndex:
    """The index of ``root`` (tests replace this with a slow or fake one)."""
    from briefing.index import (
        CorpusIndex,  # the index (sqlite, its workers) loads in the loader thread
    )

    return CorpusIndex(root)


class HeadCorpus:
    """The first articles of the list (from the cache or the first batch): the
    Corpus surface, with bodies read from the files. No index search yet."""

    def __init__(self, root: Path, articles: list[ArticleMeta]) -> None:
        self.root = root
        self.articles = articles
        self.problems: list[object] = []
        self._by_id = {m.id: m for m in articles}

    def get(self, article_id: str) -> ArticleMeta:
        return self._by_id[article_id]

    def article(self, article_id: str) -> Article:
        return read_article(self.root, self.get(article_id).path)


def load_with_index(
    root: Path, post: Callable[[Message], object], should_stop: Callable[[], bool]
) -> IndexedCorpus | None:
    """Show the head, refresh, return the full corpus (None when stopped)."""
    index = make_index(root)
    head = index.head(HEAD_ROWS)
    shown = bool(head)
    if head:
        message = CorpusHead(HeadCorpus(root, head))
        post(message)
        # The walk below holds the GIL for long stretches: let the first page be drawn first.
        message.shown.wait(FIRST_DRAW_WAIT_S)

    def progress(done: int, total: int) -> None:
        post(IndexProgress(done, total))  # a newer one replaces one the screen has not handled yet

    def on_batch(metas: list[ArticleMeta]) -> None:
        nonlocal shown
        if not shown and metas:
            shown = True
            post(CorpusHead(HeadCorpus(root, sorted(metas, key=sort_key)[:HEAD_ROWS])))

    index.refresh(progress=progress, on_batch=on_batch, should_stop=should_stop)
    if should_stop():
        return None
    return index.snapshot()
