"""The reading pane's keywords line: the open article's keywords and suggested tags.

Keywords are computed in a worker a moment after an article opens and kept by
fingerprint; the suggestions need the corpus's tag counts, counted in a worker too
(and again after each change of tags). ``A`` opens the tag dialog filled with them.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import work
from textual.content import Content
from textual.dom import DOMNode
from textual.timer import Timer
from textual.worker import get_current_worker

from briefing.annotations import AnnotationStore
from briefing.annotations.corrected import effective_article
from briefing.corpus.view import CorpusView
from briefing.listing.tagrows import tag_source
from briefing.model import Article
from briefing.tui.features.annotate import Annotate
from briefing.tui.features.host import AnnotationsHost
from briefing.tui.keys import key_display, keymap_of
from briefing.tui.loading import HeadCorpus
from briefing.tui.messages import KeywordsReady, TagCountsReady
from briefing.tui.state import Targets
from briefing.tui.widgets.keywords import keywords_content

if TYPE_CHECKING:
    from briefing.stories.keywords import DocumentStats, Keyword

KEYWORDS_KEPT = 512  # articles whose keywords are kept (by keywords_key)


def _key(article: Article) -> str:
    """What an article's keywords depend on (title read, body, algorithm version), not
    the body's fingerprint alone: two copies with one body and two headlines differ."""
    from briefing.stories.keywords import keywords_key  # the keywords module loads on first use

    return keywords_key(article)
KEYWORDS_SHOWN = 4  # keywords on the reader's line
KEYWORDS_DELAY_S = 0.15  # the keywords worker starts once the reader stays this long on an article


def _close(stats: DocumentStats) -> None:
    """Close keyword statistics (an index connection); a failure there changes nothing."""
    close = getattr(stats, "close", None)
    if close is not None:
        with contextlib.suppress(Exception):
            close()


class Statistics:
    """The corpus's document frequencies, made once per corpus in a worker thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held: tuple[CorpusView, DocumentStats] | None = None

    def of(self, corpus: CorpusView) -> DocumentStats:
        from briefing.stories.keywords import (
            document_stats,  # ~60 ms of imports: in the worker
        )

        with self._lock:
            held = self._held
            if held is not None and held[0] is corpus:
                return held[1]
            stats = document_stats(corpus)
            self._held = (corpus, stats)
        if held is not None:
            _close(held[1])
        return stats

    def interrupt(self) -> None:
        """A look-up of frequencies running in a worker gives up (see
        :meth:`briefing.stories.keywords.IndexStats.interrupt`). Without the lock: the
        worker holds it while it makes the statistics."""
        held = self._held
        stop = getattr(held[1], "interrupt", None) if held is not None else None
        if stop is not None:
            stop()

    def close(self) -> None:
        with self._lock:
            held, self._held = self._held, None
        if held is not None:
            _close(held[1])


@work(thread=True, exclusive=True, group="keywords", exit_on_error=False, description="keywords")
def keywords_worker(node: DOMNode, corpus: CorpusView, article: Article, statistics: Statistics) -> None:
    from briefing.stories.keywords import (  # ~60 ms of imports: in the worker, not at start-up
        Interrupted,
        keywords_for,
        keywords_key,
    )

    worker = get_current_worker()
    try:
        stats = statistics.of(corpus)
        if worker.is_cancelled:
            return
        try:
            found = keywords_for(article, stats, limit=KEYWORDS_SHOWN)
        except Interrupted:
            if worker.is_cancelled:
                return  # another article opened: its keywords are wanted now
            found = keywords_for(article, stats, limit=KEYWORDS_SHOWN)  # the interrupt was for the one before
    except Exception:  # noqa: BLE001 - keywords are a help: the pane just shows none
        return
    if not worker.is_cancelled:
        node.post_message(KeywordsReady(corpus, article.id, keywords_key(article), found))


@work(thread=True, exclusive=True, group="tag-counts", exit_on_error=False, description="tag counts")
def tag_counts_worker(node: DOMNode, store: AnnotationStore, corpus: CorpusView, generation: int) -> None:
    node.post_message(TagCountsReady(corpus, generation, store.tag_counts(tag_source(corpus))))


class Keywords:
    def __init__(self, host: AnnotationsHost, annotate: Annotate,
                 last_key_time: Callable[[], float] = lambda: 0.0) -> None:
        self.host = host
        self.annotate = annotate
        self._last_key_time = last_key_time  # time.monotonic() of the last key pressed
        self.statistics = Statistics()
        self._cache: OrderedDict[str, list[Keyword]] = OrderedDict()
        self._shown: tuple[str, list[Keyword]] | None = None  # (fingerprint, keywords) in the pane
        self._timer: Timer | None = None  # starts the worker once the reader stays on an article
        self._tag_counts: dict[str, int] | None = None  # every tag of the corpus with its count
        self._tag_generation = 0  # bumped by each change: counts worked out before it are stale
        self._tag_counts_pending = False

    def _corrected(self, article: Article) -> Article:
        """``article`` with the analyst's title (it weighs in the keywords, as in
        ``briefing keywords``)."""
        return effective_article(self.annotate.store, article)

    def request(self, article: Article) -> None:
        """Show the keywords of ``article`` (the open one): from the cache, or from a
        worker. Nothing while only the first page of a big folder is known."""
        self._shown = None
        opened, article = article, self._corrected(article)
        reader = self.host.reader
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._stop_running()
        corpus = self.host.state.corpus
        if corpus is None or isinstance(corpus, HeadCorpus):
            reader.show_keywords(None)
            return
        # The line keeps its row while the keywords are worked out: no second layout.
        reader.show_keywords(Content.styled("Keywords …", "dim"))
        key = _key(article)
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            self._show(key, cached)
            return

        def start() -> None:
            self._timer = None
            if self.host.state.current_article is not opened:
                return  # moved on: the next one asked for its own
            quiet = time.monotonic() - self._last_key_time()
            if quiet < KEYWORDS_DELAY_S:  # keys still coming: later, not while they are drawn
                self._timer = self.host.node.set_timer(min(KEYWORDS_DELAY_S, KEYWORDS_DELAY_S - quiet), start)
                return
            keywords_worker(self.host.node, corpus, article, self.statistics)

        # Once no key was pressed for a moment after the article opens: paging through
        # articles does not run a keywords worker per keypress, competing with the
        # summary and the next frames for the CPU.
        self._timer = self.host.node.set_timer(KEYWORDS_DELAY_S, start)

    def _stop_running(self) -> None:
        """A keywords worker still counting for the article before gives up: its
        look-ups of frequencies (hundreds of milliseconds on a million articles) would
        compete with drawing the article now opening."""
        node = self.host.node
        if any(w.group == "keywords" and w.node is node and not w.is_finished for w in node.workers):
            node.workers.cancel_group(node, "keywords")
            self.statistics.interrupt()

    def ready(self, message: KeywordsReady) -> None:
        if message.corpus is not self.host.state.corpus:
            return
        self._cache[message.fingerprint] = message.keywords
        while len(self._cache) > KEYWORDS_KEPT:
            self._cache.popitem(last=False)
        article = self.host.state.current_article
        if (article is not None and article.id == message.article_id
                and _key(self._corrected(article)) == message.fingerprint):
            self._show(message.fingerprint, message.keywords)

    def after_change(self) -> None:
        """Tags may have changed: the suggestions are worked out again."""
        self._tag_counts = None
        self._tag_generation += 1
        self._tag_counts_pending = False

    def redraw(self, ids: list[str]) -> None:
        if self.host.state.current_id not in ids or self._shown is None:
            return
        article = self.host.state.current_article
        if article is not None and _key(self._corrected(article)) != self._shown[0]:
            self.request(article)  # its language (O) or title changed: keywords worked out again
            return
        self._show(*self._shown)

    def _counts_or_start(self) -> dict[str, int] | None:
        """The corpus's tag counts, or None after starting a worker for them: counting
        every article's tags takes ~80 ms at 100k articles, too long for the UI thread
        after every change."""
        if self._tag_counts is not None or self._tag_counts_pending:
            return self._tag_counts
        store, corpus = self.annotate.store, self.host.state.corpus
        if store is None or corpus is None:
            return None
        self._tag_counts_pending = True
        tag_counts_worker(self.host.node, store, corpus, self._tag_generation)
        return None

    def counts_ready(self, message: TagCountsReady) -> None:
        if message.corpus is not self.host.state.corpus or message.generation != self._tag_generation:
            return  # counted before a change: the change started a new count
        self._tag_counts = message.counts
        self._tag_counts_pending = False
        if self._shown is not None:
            self._show(*self._shown)

    def suggested(self, keywords: list[Keyword], *, wait: bool = False) -> list[str]:
        """Tags to suggest; without ``wait``, none until the corpus's tag counts are
        known (the line is redrawn when they are)."""
        from briefing.stories.keywords import (
            suggest_tags,  # loaded with the keywords already
        )

        store, state = self.annotate.store, self.host.state
        if store is None or state.corpus is None or state.current_id is None:
            return []
        if self._tag_counts is None and wait:
            self._tag_counts = store.tag_counts(tag_source(state.corpus))
        elif self._counts_or_start() is None:
            return []
        try:
            meta = state.corpus.get(state.current_id)
        except KeyError:
            return []
        return suggest_tags(keywords, self._tag_counts or {}, store.tags(meta))

    def _show(self, fingerprint: str, keywords: list[Keyword]) -> None:
        self._shown = (fingerprint, keywords)
        app = self.host.node.app
        keys = keymap_of(app).get("tag-suggested", "A").split(",")
        shown = key_display(app, tuple(k.strip() for k in keys[:1] if k.strip()))
        self.host.reader.show_keywords(keywords_content(keywords, self.suggested(keywords), shown))

    def accept(self) -> None:
        """``A``: the tag dialog for the open article, filled with the suggestions."""
        state = self.host.state
        if state.corpus is None:
            return
        if state.current_id is None or self._shown is None:
            self.host.refuse("Open an article first: A adds the tags suggested under its details.")
            return
        suggested = self.suggested(self._shown[1], wait=True)
        if not suggested:
            self.host.refuse("No tags to suggest for this article.")
            return
        self.annotate.add_tags(initial=", ".join(suggested), chosen=Targets([state.current_id]))
