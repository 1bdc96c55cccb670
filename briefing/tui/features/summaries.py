"""The summary of the open article, and the summaries worked out ahead of the reader.

A summary comes from the in-memory cache at once, else from a worker (the file cache
of an earlier session, else the summarizer). After a short pause on a row, its
article and its neighbours are summarized ahead; the one article n/p goes to next is
summarized at once. ``s`` cycles the method and ``+``/``-`` change the length (saved
through :class:`~briefing.tui.messages.PreferencesChanged`).

Which method and length an article is summarized with is
:func:`briefing.summarize.choice.summary_choice`: the choice stored for it in the
annotations (made with ``s``/``+``/``-`` while it was open), else the preference
(``state.method``/``state.length``, config.yaml) — the same rule ``summarize`` and the
exports use, so the exported summary is the one on screen. The language whose
stopwords and stems rank the sentences is the article's effective one
(:func:`briefing.annotations.corrected.effective_lang`: ``O`` changes it, and the
summary shown follows), and it is part of the cache key.

Workers start once the article's text has been drawn (:meth:`Summaries.after_text`),
never in the handler that opens an article: a summarizer thread started there takes
the GIL in turns with the UI thread while that frame is laid out and rendered (sumy
ranks in Python), and the text, which the reader waits for, came later. The article
body calls back after the frame that first draws the text (no polling); a hidden pane
starts them at once. The pane says "summarizing…" in that first frame, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from textual import work
from textual.dom import DOMNode
from textual.timer import Timer
from textual.worker import get_current_worker

from briefing.annotations.corrected import effective_lang
from briefing.config import MAX_LENGTH, MIN_LENGTH, Settings
from briefing.corpus.view import CorpusView
from briefing.model import ArticleMeta
from briefing.summarize import METHODS, Summary
from briefing.summarize.cache import Key, SummaryCache, default_cache
from briefing.summarize.cache import key as cache_key
from briefing.summarize.choice import summary_choice
from briefing.tui.features.host import AnnotationsHost
from briefing.tui.messages import SummaryFailed, SummaryKey, SummaryReady

PREFETCH_DELAY_S = 0.15  # pause on a row before summarizing ahead around it
PREFETCH_AHEAD = 3  # articles summarized ahead below the cursor (and one above)


class Counter:
    """Summaries computed (not found in a cache) this session (any thread)."""

    def __init__(self) -> None:
        self.count = 0


def compute(body: str, method: str, length: int, headings: Collection[str], counter: Counter,
            lang: str | None = None) -> Summary:
    """``lang``: the article's effective language (None: detected from the text)."""
    from briefing.summarize import (  # sumy/numpy load on the first summary, not at start-up
        AUTO,
        summarize_detail,
    )

    counter.count += 1
    return summarize_detail(body, length, method, headings=headings, lang=lang or AUTO)


@work(thread=True, exclusive=True, group="summary", exit_on_error=False, description="summarize")
def summarize_worker(
    node: DOMNode, key: SummaryKey, body: str, headings: Collection[str], cache: SummaryCache, counter: Counter
) -> None:
    worker = get_current_worker()
    found = cache_key(key.fingerprint, key.method, key.length, key.lang)
    try:
        summary = cache.get(found)  # the file cache: summaries of an earlier session
        if summary is None:
            summary = compute(body, key.method, key.length, headings, counter, key.lang)
            cache.put(found, summary)
    except Exception as exc:  # a summary must never take the reader down
        if not worker.is_cancelled:
            node.post_message(SummaryFailed(key, f"No summary: {exc}"))
        return
    if not worker.is_cancelled:
        node.post_message(SummaryReady(key, summary))


def _ahead(corpus: CorpusView, metas: list[tuple[ArticleMeta, str | None]], method: str, length: int,
           cache: SummaryCache, counter: Counter, compute_missing: bool) -> None:
    """``metas``: each article with its effective language."""
    worker = get_current_worker()
    for meta, lang in metas:
        if worker.is_cancelled:
            return
        if cache.get(cache_key(meta.fingerprint, method, length, lang)) is not None or not compute_missing:
            continue  # found in the file cache (now in memory), or only looking there
        try:
            article = corpus.article(meta.id)
            key = cache_key(article.fingerprint, method, length, lang)
            if cache.get(key) is None:
                cache.put(key, compute(article.body, method, length, article.headings, counter, lang))
        except Exception:  # ahead of time only: the reader reports failures when opened
            continue


@work(thread=True, exclusive=True, group="prefetch", exit_on_error=False, description="summarize ahead")
def ahead_worker(node: DOMNode, corpus: CorpusView, metas: list[tuple[ArticleMeta, str | None]], method: str, length: int,
                 cache: SummaryCache, counter: Counter, compute_missing: bool) -> None:
    _ahead(corpus, metas, method, length, cache, counter, compute_missing)


@work(thread=True, exclusive=True, group="prefetch-next", exit_on_error=False, description="summarize next")
def next_worker(node: DOMNode, corpus: CorpusView, meta: tuple[ArticleMeta, str | None], method: str, length: int,
                cache: SummaryCache, counter: Counter) -> None:
    _ahead(corpus, [meta], method, length, cache, counter, True)


def remember_choice(host: AnnotationsHost, article_id: str, method: str, length: int) -> bool:
    """Store ``(method, length)`` as the summary choice of ``article_id`` (one undo
    step); False when the annotations cannot change (nothing said: the choice still
    holds for this session as the preference)."""
    store = host.store
    if store is None or store.read_only:
        return False
    return host.apply_change(lambda: store.set_summary(article_id, method, length), reorder=False) is not None


class Summaries:
    def __init__(self, host: AnnotationsHost) -> None:
        self.host = host
        self.cache: SummaryCache | None = None  # made when the screen is mounted
        self.computed = Counter()
        self._timer: Timer | None = None
        self._shown: SummaryKey | None = None  # the summary the pane shows (or waits for)

    def start(self) -> None:
        self.cache = default_cache()

    def choice(self, article_id: str | None) -> tuple[str, int]:
        """The method and length ``article_id`` is summarized with: its stored
        choice, else the preference."""
        state = self.host.state
        preference = Settings(summary_method=state.method, summary_length=state.length)
        store, corpus = self.host.store, state.corpus
        if article_id is None or store is None or corpus is None:
            return summary_choice(None, preference)
        try:
            view = store.view(corpus.get(article_id))
        except KeyError:
            view = None
        return summary_choice(view, preference)

    def lang(self, meta: ArticleMeta) -> str | None:
        """The language ``meta``'s article is summarized in: the analyst's, else the
        detected one (None: detected from the text when summarized)."""
        return effective_lang(meta, self.host.store)

    def cache_key(self, meta: ArticleMeta, method: str, length: int) -> Key:
        """The summary cache's key for ``meta`` by ``method`` at ``length``."""
        return cache_key(meta.fingerprint, method, length, self.lang(meta))

    def key(self) -> SummaryKey | None:
        article = self.host.state.current_article
        if article is None:
            return None
        method, length = self.choice(article.id)
        return SummaryKey(article.id, article.fingerprint, method, length, self.lang(article.meta))

    def refresh(self) -> None:
        """The open article's summary again when what it depends on changed (its
        language was set with ``O``); nothing when the one shown still holds."""
        if self._shown is not None and self.key() != self._shown:
            self.request()

    def request(self) -> None:
        """The summary of the open article: from memory at once, else from a worker."""
        key, article, cache = self.key(), self.host.state.current_article, self.cache
        if key is None or article is None or cache is None:
            return
        self._shown = key
        cached = cache.remembered(cache_key(key.fingerprint, key.method, key.length, key.lang))
        if cached is not None:
            self.host.node.workers.cancel_group(self.host.node, "summary")
            self._show(key, cached)
            return
        node = self.host.node
        node.workers.cancel_group(node, "summary")  # the one for the article shown before
        self.host.reader.show_summary_pending(key.method, key.length)
        self.after_text(lambda: self._summarize(key, article.body, article.headings))

    def after_text(self, start: Callable[[], None]) -> None:
        """Call ``start`` once the open article's text has been drawn in a frame (at
        once when the pane is hidden): :meth:`Reader.when_text_drawn`."""
        self.host.reader.when_text_drawn(start)

    def _summarize(self, key: SummaryKey, body: str, headings: Collection[str]) -> None:
        """The worker for ``key``, unless the reader has moved on since it was asked for."""
        if self._shown == key and self.cache is not None and key == self.key():
            summarize_worker(self.host.node, key, body, headings, self.cache, self.computed)

    def ready(self, message: SummaryReady) -> None:
        if message.key == self.key():
            self._show(message.key, message.summary)

    def failed(self, message: SummaryFailed) -> None:
        if message.key == self.key():
            self.host.reader.show_summary_failed(message.key.method, message.key.length, message.message)

    def _show(self, key: SummaryKey, summary: Summary) -> None:
        self.host.reader.show_summary(list(summary.sentences), summary.method, summary.requested, key.length,
                                      summary.note)
        self.schedule_ahead(key.article_id)
        self.after_text(lambda: self._next(key.article_id))

    # --- ahead of the reader --------------------------------------------------------------

    def _missing(self, article_id: str | None) -> tuple[ArticleMeta, str | None] | None:
        """``article_id``'s metadata and language when its summary is not in memory yet."""
        state, cache = self.host.state, self.cache
        if article_id is None or state.corpus is None or cache is None:
            return None
        try:
            meta = state.corpus.get(article_id)
        except KeyError:
            return None
        lang = self.lang(meta)
        if cache.remembered(cache_key(meta.fingerprint, state.method, state.length, lang)) is not None:
            return None
        return meta, lang

    def schedule_ahead(self, article_id: str) -> None:
        """After a short pause on ``article_id``, summarize it and its neighbours ahead.
        Until an article was opened, only the file cache is read (the summarizer's
        imports stay off start-up), so a reopened corpus shows its summaries at once."""
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.host.node.set_timer(PREFETCH_DELAY_S, lambda: self._ahead(article_id))

    def _next(self, article_id: str) -> None:
        """At once, the one article the reader goes to next (n/p keep their direction):
        with n held down the pause before :meth:`_ahead` never comes, and without
        this every article would wait for its summary a frame after its text."""
        state = self.host.state
        if state.current_id != article_id:
            return  # moved on before the frame was drawn: that article asks for its own
        meta = self._missing(self.host.articles.neighbour(article_id, state.travel))
        if meta is not None and state.corpus is not None and self.cache is not None:
            next_worker(self.host.node, state.corpus, meta, state.method, state.length, self.cache, self.computed)

    def _ahead(self, article_id: str) -> None:
        self._timer = None
        state = self.host.state
        if state.corpus is None or self.cache is None or PREFETCH_AHEAD <= 0:
            return
        articles = self.host.articles
        ids = [article_id] + [articles.neighbour(article_id, step) for step in (1, -1, *range(2, PREFETCH_AHEAD + 1))]
        jobs = [meta for meta in map(self._missing, dict.fromkeys(i for i in ids if i is not None)) if meta is not None]
        if jobs:
            compute_missing = bool(self.computed.count) or state.current_id is not None
            ahead_worker(self.host.node, state.corpus, jobs, state.method, state.length, self.cache, self.computed,
                         compute_missing)

    # --- method and length ------------------------------------------------------------------

    def _chosen(self, method: str, length: int) -> None:
        """``s``/``+``/``-`` chose ``(method, length)``: it becomes the preference and,
        while an article is open, that article's choice."""
        state = self.host.state
        state.method, state.length = method, length
        if state.current_id is not None:
            remember_choice(self.host, state.current_id, method, length)

    def cycle_method(self) -> bool:
        method, length = self.choice(self.host.state.current_id)
        methods = list(METHODS)
        index = methods.index(method) if method in methods else -1
        self._chosen(methods[(index + 1) % len(methods)], length)
        return True

    def choose_method(self, method: str) -> bool:
        """The command palette's "Summary method: …": ``method`` for the open article
        (and as the preference), at the length it has now. False for an unknown method."""
        if method not in METHODS:
            return False
        _, length = self.choice(self.host.state.current_id)
        self._chosen(method, length)
        return True

    def change_length(self, step: int) -> bool:
        """False (after saying so) when the length is already at its bound."""
        method, length = self.choice(self.host.state.current_id)
        new = max(MIN_LENGTH, min(MAX_LENGTH, length + step))
        if new == length:
            app = self.host.node.app
            app.bell()
            app.notify(f"Summary length stays between {MIN_LENGTH} and {MAX_LENGTH} sentences.", timeout=2,
                       markup=False)
            return False
        self._chosen(method, new)
        return True
