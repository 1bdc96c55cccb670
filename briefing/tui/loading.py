"""Opening a corpus through its index, for the reader's loader worker.

The first screen comes from the cache (:meth:`CorpusIndex.head`, milliseconds) or,
on a cold cache, from the first batch the refresh commits; the refresh then runs to
the end in the same worker thread, reporting progress, and the full corpus replaces
the first page when it completes. The worker only posts messages. A large folder
never indexed here is built by a child process first (:mod:`briefing.index.child`:
its progress and first rows come from there), then refreshed here as any other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

from briefing.corpus import read_article, sort_key
from briefing.corpus.load import is_container, read_item
from briefing.corpus.view import CorpusView
from briefing.heap import give_back
from briefing.model import Article, ArticleMeta
from briefing.tui.messages import CorpusChanged, CorpusHead, IndexProgress

if TYPE_CHECKING:
    from briefing.index import CorpusIndex
    from briefing.watch import CorpusWatcher, WatchBatch

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
        meta = self.get(article_id)
        if is_container(meta.path):  # an item of a feed, JSON lines file or mailbox
            return read_item(meta.id, meta.path)
        return read_article(self.root, meta.path)


def make_watcher(root: Path, index: CorpusIndex, post: Callable[[Message], object]) -> CorpusWatcher | None:
    """The folder watcher of ``root``, started (None for an index that is not a real
    one: tests give fakes). Raises when the folder cannot be watched."""
    from briefing.annotations import locate
    from briefing.index import CorpusIndex
    from briefing.watch import CorpusWatcher

    if not isinstance(index, CorpusIndex):
        return None

    def on_batch(batch: WatchBatch) -> None:  # on the watcher's thread: handed over (thread-safe)
        post(CorpusChanged(batch))

    watcher = CorpusWatcher(root, on_batch, index=index, annotations=locate(root).path)
    watcher.start()
    return watcher


def build_apart(root: Path, index: CorpusIndex, head: list[ArticleMeta]) -> bool:
    """Whether ``root``'s index is built by a child process: a real index (tests give
    fakes) of a large folder, with nothing built yet or a build stopped before it was
    done (:func:`briefing.index.child.unfinished`)."""
    from briefing.index import CorpusIndex
    from briefing.index.child import looks_large, unfinished

    return isinstance(index, CorpusIndex) and (not head or unfinished(index.path)) and looks_large(root)


def note_build(index: CorpusIndex, *, stopped: bool) -> None:
    """Mark a stopped build for the next open, or take the mark away once a refresh
    went through."""
    from briefing.index import CorpusIndex
    from briefing.index.child import note_unfinished

    if isinstance(index, CorpusIndex):
        note_unfinished(index.path, stopped)


@dataclass
class Loaded:
    """What the loader worker hands the screen."""

    corpus: CorpusView
    watcher: CorpusWatcher | None = None
    watch_error: str = ""


def load_with_index(
    root: Path, post: Callable[[Message], object], should_stop: Callable[[], bool]
) -> Loaded | None:
    """Show the head, start watching the folder, refresh through the watcher, return
    the full corpus and the watcher (None when stopped: the watcher is stopped too).
    Changes seen during the refresh are posted as they come (the screen keeps them
    until the full corpus is there)."""
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

    watcher: CorpusWatcher | None = None
    watch_error = ""
    try:
        watcher = make_watcher(root, index, post)
    except Exception as exc:  # no inotify and no polling, a folder gone: the reader still opens
        watch_error = f"Changes to the folder are not followed: {type(exc).__name__}: {exc}"
    try:
        # A large folder never indexed here, or whose first build was stopped (the
        # reader quit): built by a child process (see briefing.index.child), then
        # refreshed below over the built cache.
        building = build_apart(root, index, head)
        if building:
            from briefing.index.child import build_in_child

            done = build_in_child(root, HEAD_ROWS, progress=progress, on_head=on_batch, should_stop=should_stop)
            building = done is not True  # (still to be finished here when the child could not)
            if should_stop():
                note_build(index, stopped=building)
                if watcher is not None:
                    watcher.stop()
                return None
        if watcher is not None:
            watcher.refresh_index(progress=progress, on_batch=on_batch, should_stop=should_stop)
        else:
            index.refresh(progress=progress, on_batch=on_batch, should_stop=should_stop)
        if should_stop():
            if building:
                note_build(index, stopped=True)
            if watcher is not None:
                watcher.stop()
            return None
        note_build(index, stopped=False)
        # The walk and, on a first open, the build made and freed a row's worth of
        # objects per article on this thread: handed back before the session starts.
        give_back()
        return Loaded(index.snapshot(), watcher, watch_error)
    except BaseException:
        if watcher is not None:
            watcher.stop()
        raise
