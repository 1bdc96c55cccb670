"""The main screen: the article list beside (or above) the reading pane.

The screen owns the state (corpus, open article, search, summary method and length)
and pushes it down into the widgets; widgets and workers report back with messages.
Workers run in threads and only post messages.
"""

from __future__ import annotations

import gc
import time
from collections import OrderedDict
from pathlib import Path
from typing import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, ProgressBar, Static
from textual.worker import get_current_worker

from briefing.config import MAX_LENGTH, MIN_LENGTH
from briefing.index.query import Query, SearchHit
from briefing.model import Article
from briefing.annotations.filter import Filter
from briefing.sanitize import clean_line
from briefing.tui.annotate import ANNOTATION_BINDINGS, AnnotateActions
from briefing.tui.story_actions import STORY_BINDINGS, StoryActions
from briefing.tui.loading import CorpusHead, HeadCorpus, IndexProgress, load_with_index
from briefing.tui.marks import ArticleMarks
from briefing.tui.messages import (
    ArticleFailed,
    ArticleLoaded,
    CorpusFailed,
    CorpusLoaded,
    PreferencesChanged,
    SearchDone,
    SummaryFailed,
    SummaryKey,
    SummaryReady,
)
from briefing.tui.widgets.article_list import ArticleList
from briefing.tui.widgets.footer import KeyFooter
from briefing.tui.widgets.reader import Reader
from briefing.tui.widgets.search_bar import SearchBar
from briefing.tui.widgets.status_bar import StatusBar

QUICK_SUFFIXES = (".txt", ".md", ".markdown")  # read on the UI thread when opened (fast to parse)
QUICK_WORDS = 20_000  # longer files are read in a worker
PREFETCH_DELAY_S = 0.15  # pause on a row before summarizing ahead around it
PREFETCH_AHEAD = 3  # articles summarized ahead below the cursor (and one above)
BODIES_KEPT = 512  # article bodies kept for the scan search before the index is ready (the first page is 200)
READ_FLUSH_DELAY_S = 1.0  # read marks are written this long after the last open…
READ_FLUSH_MAX_S = 10.0  # …or at most this long after the first one not written
IDLE_GC_CHECK_S = 1.0  # full garbage collections run when no key was pressed for this long
GC_FULL_EVERY = 200  # and on their own only after this many young collections (Python's default: 10),
# so that memory stays bounded when the keys never pause

NOTHING_OPEN = (
    "Choose an article in the list: j/k or ↑/↓ to move, enter or l to open, / to search, ? for every key.\n"
    "t tags, a note, f flag, m or space marks rows for a bulk action, F filters, x exports."
)


class MainScreen(StoryActions, AnnotateActions, Screen):
    CSS_PATH = "../styles/main.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    AUTO_FOCUS = "Reader"  # the list takes focus once it has rows

    BINDINGS = [
        Binding("tab", "switch_pane", "Pane", id="switch-pane"),
        Binding("space", "page(1)", "Page down", id="page-down"),
        Binding("b", "page(-1)", "Page up", id="page-up", show=False),
        Binding("n", "step_article(1)", "Next", id="next-article"),
        Binding("p", "step_article(-1)", "Previous", id="previous-article"),
        Binding("slash", "search", "Search", id="search"),
        Binding("escape", "clear_search", "Clear search, marks, filter", id="clear-search", show=False),
        Binding("s", "cycle_method", "Method", id="cycle-method"),
        Binding("plus,equals_sign", "length(1)", "Longer", id="longer"),
        Binding("minus", "length(-1)", "Shorter", id="shorter"),
        Binding("full_stop", "jump_mark(1)", "Next summary sentence", id="next-mark", show=False),
        Binding("comma", "jump_mark(-1)", "Previous summary sentence", id="previous-mark", show=False),
        *ANNOTATION_BINDINGS,
        *STORY_BINDINGS,
    ]

    def __init__(
        self, root: Path, marks: ArticleMarks, method: str, length: int, *, loader: Callable | None = None
    ) -> None:
        super().__init__()
        self.loader = loader
        self.root = Path(root)
        self.marks = marks
        self.method = method
        self.length = max(MIN_LENGTH, min(MAX_LENGTH, length))
        self.corpus = None
        self.current_id: str | None = None
        self.current_article: Article | None = None
        self.query_text = ""
        self.hits: dict[str, SearchHit] | None = None
        self._bodies: OrderedDict[str, str] = OrderedDict()  # an LRU: see _keep_body
        self.filter = Filter()  # the list filter (tags, status, dates); combines with the search
        self.annotations_problem: str | None = None
        self.summary_cache = None  # briefing.tui.summary_cache.SummaryCache, made in the first summary worker
        self.summary_calls = 0  # summaries computed (not found in the cache) this session
        self._prefetch_timer = None
        self._travel = 1  # the direction n/p last went (the next article is summarized ahead at once)
        self._indexing = ""  # the status bar's note while the index refreshes
        self._collect_when_idle = False  # set once the corpus is loaded and frozen out of collections
        self._read_flush_timer = None
        self._read_flush_deadline: float | None = None  # monotonic time the pending marks must be written by

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        yield ProgressBar(id="index-progress", show_eta=False)
        with Horizontal(id="panes"):
            with Vertical(id="list-pane"):
                yield SearchBar(id="search")
                yield ArticleList(id="articles")
                yield Static(id="list-message")
            yield Reader(id="reader")
        yield Static(id="annotations-problem")
        yield KeyFooter()

    # --- start-up: load the corpus in a worker ------------------------------------

    def on_mount(self) -> None:
        self.query_one(SearchBar).display = False
        self.query_one("#list-message").display = False
        self.query_one("#annotations-problem").display = False
        self.query_one(ArticleList).display = False
        progress = self.query_one("#index-progress", ProgressBar)
        progress.styles.height = 1
        progress.display = False
        from briefing.tui.summary_cache import default_cache

        self.summary_cache = default_cache()
        # A full collection of the cycle collector walks every live object (100 ms and
        # more once the widgets' render caches fill up): run it between keypresses,
        # never in the middle of one. Young generations still collect as usual.
        self._gc_threshold = gc.get_threshold()
        gc.set_threshold(self._gc_threshold[0], self._gc_threshold[1], max(GC_FULL_EVERY, self._gc_threshold[2]))
        self.set_interval(IDLE_GC_CHECK_S, self._idle_collect)
        self._status(busy="loading…")
        self.query_one(Reader).show_message(f"Loading {clean_line(str(self.root))} …")
        self.run_worker(self._load, thread=True, exclusive=True, group="corpus", name="load corpus", exit_on_error=False)

    def _load(self) -> None:
        worker = get_current_worker()
        if not self.root.exists():
            self.post_message(CorpusFailed(f"Folder not found: {self.root}"))
            return
        if not self.root.is_dir():
            self.post_message(CorpusFailed(f"Not a folder: {self.root}"))
            return
        try:
            if self.loader is None:  # through the index: the cached first page at once
                corpus = load_with_index(self.root, self.post_message, lambda: worker.is_cancelled)
                if corpus is None:
                    return  # stopped (the reader is closing); committed batches stay cached
            else:
                corpus = self.loader(self.root)
        except OSError as exc:
            self.post_message(CorpusFailed(f"Cannot read {self.root}: {exc.strerror or exc}"))
            return
        except Exception as exc:  # a loader bug must not take the reader down with a traceback
            self.post_message(CorpusFailed(f"Cannot open {self.root}: {type(exc).__name__}: {exc}"))
            return
        if not worker.is_cancelled:
            self.post_message(CorpusLoaded(corpus))

    def on_corpus_failed(self, message: CorpusFailed) -> None:
        self._status()
        self._list_message(message.message)
        self.query_one(Reader).show_message(message.message)
        self.app.notify(clean_line(message.message), title="Cannot open the corpus", severity="error", markup=False)

    def on_corpus_head(self, message: CorpusHead) -> None:
        """The first page from the cache (or the first indexed batch), before the refresh ends."""
        if self.corpus is not None and not isinstance(self.corpus, HeadCorpus):
            return  # the full corpus is already shown
        first = self.corpus is None
        self.corpus = message.corpus
        self.open_annotations(partial=True)
        self._indexing = self._indexing or "first page from the cache · checking the folder…"
        if self.hits is not None and self.query_text:
            self.run_search(self.query_text)
        self._show_list()
        if first:
            self.query_one(Reader).show_message(NOTHING_OPEN)
            self.query_one(ArticleList).focus()
        self.call_after_refresh(message.shown.set)

    def _listed(self, article_id: str) -> bool:
        try:
            self.corpus.get(article_id)
        except KeyError:
            return False
        return True

    def on_index_progress(self, message: IndexProgress) -> None:
        if message.total <= 0:
            return
        bar = self.query_one("#index-progress", ProgressBar)
        bar.update(total=message.total, progress=message.done)
        bar.display = message.done < message.total
        self._indexing = f"first page only · indexing {message.done:,}/{message.total:,} files"
        self._status()

    def on_corpus_loaded(self, message: CorpusLoaded) -> None:
        had_head = isinstance(self.corpus, HeadCorpus)
        self._indexing = ""
        self.query_one("#index-progress", ProgressBar).display = False
        self.corpus = message.corpus
        # The corpus, the list and the widgets now live as long as the reader: once they
        # are built and drawn, keep the cycle collector off them, or each full
        # collection walks every one of them (100-200 ms pauses in the middle of a
        # keypress on a 10k corpus).
        self.call_after_refresh(self._freeze_loaded)
        problems = list(getattr(self.corpus, "problems", []) or [])
        if problems:
            shown = "\n".join(clean_line(str(p)) for p in problems[:5])
            more = f"\n… and {len(problems) - 5} more" if len(problems) > 5 else ""
            self.app.notify(
                shown + more, title=f"{len(problems)} file(s) skipped", severity="warning", timeout=10, markup=False
            )
        self.open_annotations()
        if not self.corpus.articles:
            self.current_id = None
            self.current_article = None
            text = f"No articles in {clean_line(str(self.root))}.\nPut .txt, .md or .html files there, or open another folder: briefing DIR"
            self._list_message(text)
            self.query_one(Reader).show_message(text)
            self._status()
            return
        self.start_grouping()  # in a worker; the list shows the stories when they are ready
        if had_head and self.current_article is not None:
            self.request_keywords(self.current_article)  # the whole corpus's word counts are known now
        if had_head:  # the list grows under the user: same cursor, same open article, same search
            if self.current_id is not None and not self._listed(self.current_id):
                self.current_id = None
                self.current_article = None
                self.query_one(Reader).show_message(NOTHING_OPEN)
            if self.hits is not None and self.query_text:
                self.run_search(self.query_text)
            self._show_list()
            if not self.query_one(ArticleList).display and self.query_one(ArticleList).has_focus:
                self.query_one(Reader).focus()
            return
        self._show_list()
        self.query_one(Reader).show_message(NOTHING_OPEN)
        self.query_one(ArticleList).focus()

    # --- list --------------------------------------------------------------------

    def _show_list(self) -> None:
        articles = self.query_one(ArticleList)
        metas = self.listed_metas()
        articles.show_articles(metas, self.marks, self.hits, self.shown_stories())
        if self.hits is not None and not self.hits:
            articles.display = False
            self._list_message(f"No articles match “{clean_line(self.query_text)}”.\nEscape clears the search.")
        elif not metas or not articles.shown_ids:
            articles.display = False
            self._list_message(f"No articles match the filter ({self._filter_words()}).\nC or escape clears the filter; F changes it.")
        else:
            articles.display = True
            self.query_one("#list-message").display = False
        self._status()

    def _list_message(self, text: str) -> None:
        self.query_one(ArticleList).display = False
        message = self.query_one("#list-message", Static)
        message.update(Content(clean_line(text) if "\n" not in text else "\n".join(clean_line(t) for t in text.split("\n"))))
        message.display = True

    def _filter_words(self) -> str:
        return self.filter.describe()

    def _status(self, busy: str = "") -> None:
        busy = busy or self._indexing or self.stories_note
        total = len(self.corpus.articles) if self.corpus is not None else None
        articles = self.query_one(ArticleList)
        filtered = self.hits is not None or self.filter != Filter()
        shown = articles.shown_count if filtered and total is not None else total
        self.query_one(StatusBar).show(
            self.root.name or str(self.root),
            shown,
            total,
            self.query_text,
            busy,
            filter_text=self._filter_words(),
            marked=articles.marked_count,
            read_only=self.store is not None and self.store.read_only,
        )

    @on(ArticleList.MarksChanged)
    def _on_marks_changed(self) -> None:
        self._status()

    @on(ArticleList.Open)
    def _on_open(self, message: ArticleList.Open) -> None:
        self.open_article(message.article_id)
        self.read_story(message.story)  # a story row: the story is read once, every version with it
        self.query_one(Reader).focus()

    # --- opening an article ------------------------------------------------------

    def open_article(self, article_id: str) -> None:
        if self.corpus is None:
            return
        try:
            meta = self.corpus.get(article_id)
        except KeyError:
            return
        self.current_id = article_id
        self.current_article = None
        self.marks.mark_read(article_id)
        self._schedule_read_flush()
        articles = self.query_one(ArticleList)
        articles.refresh_row(article_id)
        articles.highlight_id(article_id)
        if str(meta.path).lower().endswith(QUICK_SUFFIXES) and (meta.words or 0) < QUICK_WORDS:
            # A text file parses in well under a millisecond: read it here and draw the
            # pane once (no "loading" frame, no worker round trip). HTML goes to a worker.
            self.workers.cancel_group(self, "article")
            try:
                article = self.corpus.article(article_id)
            except Exception as exc:  # unreadable, vanished, or a parser bug: say so in the pane
                self.on_article_failed(ArticleFailed(article_id, f"Cannot read {article_id}: {exc}"))
                return
            self.on_article_loaded(ArticleLoaded(article))
            return
        self.query_one(Reader).show_loading(self.shown_meta(meta))
        self.run_worker(lambda: self._read(article_id), thread=True, exclusive=True, group="article", name="read article", exit_on_error=False)

    # --- read marks: written a moment after the last open, not on each keypress ----

    def _schedule_read_flush(self) -> None:
        if not getattr(self.marks, "unsaved", False):
            return
        now = time.monotonic()
        if self._read_flush_deadline is None:
            self._read_flush_deadline = now + READ_FLUSH_MAX_S
        if self._read_flush_timer is not None:
            self._read_flush_timer.stop()
        delay = max(0.05, min(READ_FLUSH_DELAY_S, self._read_flush_deadline - now))  # a 0 s Timer divides by 0
        self._read_flush_timer = self.set_timer(delay, self._read_flush_due)

    def _read_flush_due(self) -> None:
        self._read_flush_timer = None  # this timer has fired: nothing to stop
        self.flush_read_marks()

    def flush_read_marks(self) -> None:
        """Write the read marks not saved yet (also on closing the reader)."""
        if self._read_flush_timer is not None:
            self._read_flush_timer.stop()
        self._read_flush_timer = None
        self._read_flush_deadline = None
        flush = getattr(self.marks, "flush", None)
        if flush is not None:
            flush()

    def on_unmount(self) -> None:
        self.flush_read_marks()
        self.close_story_work()
        if getattr(self, "_gc_threshold", None) is not None:
            gc.set_threshold(*self._gc_threshold)

    def _freeze_loaded(self) -> None:
        gc.freeze()
        self._collect_when_idle = True

    def _idle_collect(self) -> None:
        if not self._collect_when_idle:
            return  # still loading: the heap grows with the corpus, a collection a second would slow indexing
        if gc.get_count()[2] == 0:
            return  # nothing reached the old generation since the last full collection
        if time.monotonic() - getattr(self.app, "last_key_time", 0.0) < IDLE_GC_CHECK_S:
            return  # the user is typing: later
        gc.collect()

    def _read(self, article_id: str) -> None:
        worker = get_current_worker()
        try:
            article = self.corpus.article(article_id)
        except Exception as exc:  # unreadable, vanished, or a parser bug: say so in the pane
            self.post_message(ArticleFailed(article_id, f"Cannot read {article_id}: {exc}"))
            return
        if not worker.is_cancelled:
            self.post_message(ArticleLoaded(article))

    def on_article_failed(self, message: ArticleFailed) -> None:
        if message.article_id == self.current_id:
            self.query_one(Reader).show_message(message.message)

    def on_article_loaded(self, message: ArticleLoaded) -> None:
        article = message.article
        if article.id != self.current_id:
            return  # the user moved on
        self.current_article = article
        self._keep_body(article.id, article.body)
        reader = self.query_one(Reader)
        reader.show_article(article)
        self.show_current_annotations()
        reader.show_search(self.query_text if self.hits is not None else "")
        self.request_summary()
        self.request_keywords(article)

    # --- summaries -----------------------------------------------------------------

    def _summary_key(self) -> SummaryKey | None:
        if self.current_article is None:
            return None
        return SummaryKey(self.current_article.id, self.current_article.fingerprint, self.method, self.length)

    def request_summary(self) -> None:
        key = self._summary_key()
        if key is None:
            return
        reader = self.query_one(Reader)
        cached = self.summary_cache.remembered((key.fingerprint, key.method, key.length))
        if cached is not None:
            self.workers.cancel_group(self, "summary")
            self._show_summary(key, cached)
            self._schedule_prefetch(key.article_id)
            self._prefetch_next(key.article_id)
            return
        reader.show_summary_pending(key.method, key.length)
        article = self.current_article
        cache = self.summary_cache
        self.run_worker(
            lambda: self._summarize(key, article.body, article.headings, cache),
            thread=True,
            exclusive=True,
            group="summary",
            name="summarize",
            exit_on_error=False,
        )

    def _summarize(self, key: SummaryKey, body: str, headings, cache) -> None:
        worker = get_current_worker()
        cache_key = (key.fingerprint, key.method, key.length)
        try:
            summary = cache.get(cache_key)  # the file cache: summaries of an earlier session
            if summary is None:
                summary = self._compute_summary(body, key.method, key.length, headings)
                cache.put(cache_key, summary)
        except Exception as exc:  # a summary must never take the reader down
            if not worker.is_cancelled:
                self.post_message(SummaryFailed(key, f"No summary: {exc}"))
            return
        if not worker.is_cancelled:
            self.post_message(SummaryReady(key, summary))

    def _compute_summary(self, body: str, method: str, length: int, headings):
        from briefing.summarize import summarize_detail  # sumy/numpy load here, not at start-up

        self.summary_calls += 1
        return summarize_detail(body, length, method, headings=headings)

    def on_summary_ready(self, message: SummaryReady) -> None:
        if message.key == self._summary_key():
            self._show_summary(message.key, message.summary)
            self._schedule_prefetch(message.key.article_id)
            self._prefetch_next(message.key.article_id)

    # --- summarizing ahead: the neighbours of the cursor, in the background ------------

    @on(ArticleList.Highlighted)
    def _on_highlighted(self, message: ArticleList.Highlighted) -> None:
        self._schedule_prefetch(message.article_id)

    def _schedule_prefetch(self, article_id: str) -> None:
        """After a short pause on ``article_id``, summarize it and its neighbours ahead.
        Until an article was opened, only the file cache is read (the summarizer's
        imports stay off start-up), so a reopened corpus shows its summaries at once."""
        if self._prefetch_timer is not None:
            self._prefetch_timer.stop()
        self._prefetch_timer = self.set_timer(PREFETCH_DELAY_S, lambda: self._prefetch(article_id))

    def _prefetch_next(self, article_id: str) -> None:
        """At once, the one article the reader goes to next (n/p keep their direction):
        with n held down the pause before :meth:`_prefetch` never comes, and without
        this every article would wait for its summary a frame after its text."""
        if self.corpus is None or self.summary_cache is None:
            return
        target = self.query_one(ArticleList).neighbour(article_id, self._travel)
        if target is None:
            return
        try:
            meta = self.corpus.get(target)
        except KeyError:
            return
        if self.summary_cache.remembered((meta.fingerprint, self.method, self.length)) is not None:
            return
        corpus, method, length, cache = self.corpus, self.method, self.length, self.summary_cache
        self.run_worker(
            lambda: self._prefetch_work(corpus, [meta], method, length, cache),
            thread=True, exclusive=True, group="prefetch-next", name="summarize next", exit_on_error=False,
        )

    def _prefetch(self, article_id: str) -> None:
        self._prefetch_timer = None
        if self.corpus is None or self.summary_cache is None or PREFETCH_AHEAD <= 0:
            return
        articles = self.query_one(ArticleList)
        ids = [article_id] + [articles.neighbour(article_id, step) for step in (1, -1, *range(2, PREFETCH_AHEAD + 1))]
        jobs = []
        for target in dict.fromkeys(i for i in ids if i is not None):
            try:
                meta = self.corpus.get(target)
            except KeyError:
                continue
            if self.summary_cache.remembered((meta.fingerprint, self.method, self.length)) is None:
                jobs.append(meta)
        if jobs:
            corpus, method, length, cache = self.corpus, self.method, self.length, self.summary_cache
            compute = bool(self.summary_calls) or self.current_id is not None
            self.run_worker(
                lambda: self._prefetch_work(corpus, jobs, method, length, cache, compute),
                thread=True, exclusive=True, group="prefetch", name="summarize ahead", exit_on_error=False,
            )

    def _prefetch_work(self, corpus, metas, method: str, length: int, cache, compute: bool = True) -> None:
        worker = get_current_worker()
        for meta in metas:
            if worker.is_cancelled:
                return
            if cache.get((meta.fingerprint, method, length)) is not None or not compute:
                continue  # found in the file cache (now in memory), or only looking there
            try:
                article = corpus.article(meta.id)
                key = (article.fingerprint, method, length)
                if cache.get(key) is None:
                    cache.put(key, self._compute_summary(article.body, method, length, article.headings))
            except Exception:  # ahead of time only: the reader reports failures when opened
                continue

    def on_summary_failed(self, message: SummaryFailed) -> None:
        if message.key == self._summary_key():
            self.query_one(Reader).show_summary_failed(message.key.method, message.key.length, message.message)

    def _show_summary(self, key: SummaryKey, summary) -> None:
        self.query_one(Reader).show_summary(
            list(summary.sentences), summary.method, summary.requested, key.length, summary.note
        )

    # --- search --------------------------------------------------------------------

    def action_search(self) -> None:
        bar = self.query_one(SearchBar)
        bar.display = True
        bar.focus()

    @on(Input.Changed, "#search")
    def _on_search_changed(self, event: Input.Changed) -> None:
        self.run_search(event.value)

    def run_search(self, text: str) -> None:
        searchable = bool(text.strip()) and not Query.parse(text).empty
        if not searchable and self.hits is None and text == self.query_text:
            return  # already showing everything for this text (escape sets the field and clears: one rebuild)
        self.query_text = text
        if not searchable:  # nothing searchable yet (e.g. "[/]"): everything
            self.workers.cancel_group(self, "search")
            self.hits = None
            self._after_search()
            return
        if self.corpus is None:
            return
        corpus = self.corpus
        self._status(busy="searching…")
        self.run_worker(lambda: self._search(corpus, text), thread=True, exclusive=True, group="search", name="search", exit_on_error=False)

    def _keep_body(self, article_id: str, body: str) -> None:
        bodies = self._bodies
        bodies[article_id] = body
        bodies.move_to_end(article_id)
        while len(bodies) > BODIES_KEPT:
            bodies.popitem(last=False)

    def _body_of(self, article_id: str) -> str:
        """A body for the scan search (a worker thread): kept in the LRU."""
        body = self._bodies.get(article_id)
        if body is None:
            body = self.corpus.article(article_id).body
            self._keep_body(article_id, body)
        return body

    def _search(self, corpus, text: str) -> None:
        from briefing.tui.searching import find

        worker = get_current_worker()
        try:  # through the index once it is ready; a scan of the first page until then
            found = find(corpus, text, body=self._body_of, should_stop=lambda: worker.is_cancelled)
        except Exception as exc:  # never a traceback for a search
            self.app.call_from_thread(
                self.app.notify, f"Search failed: {clean_line(str(exc))}", severity="error", markup=False
            )
            found = {}
        if found is not None and not worker.is_cancelled:
            done = SearchDone(text, list(found.values()))
            done.corpus = corpus  # results for a corpus since replaced are stale too
            self.post_message(done)

    def on_search_done(self, message: SearchDone) -> None:
        if message.query != self.query_text or getattr(message, "corpus", self.corpus) is not self.corpus:
            return  # typed on since, or the list was replaced
        self.hits = {hit.id: hit for hit in message.hits}
        self._after_search()

    def _after_search(self) -> None:
        if self.corpus is None or not self.corpus.articles:
            return
        self._show_list()
        self.query_one(Reader).show_search(self.query_text if self.hits is not None else "")

    @on(SearchBar.Done)
    def _search_done(self) -> None:
        articles = self.query_one(ArticleList)
        if articles.display:
            articles.focus()

    @on(SearchBar.Closed)
    def _search_closed(self) -> None:
        self.action_clear_search()

    def action_clear_search(self) -> None:
        """Escape: clear the search; with none, unmark the rows; then clear the filter."""
        bar = self.query_one(SearchBar)
        if not bar.display and self.hits is None and not self.query_text:
            if self.query_one(ArticleList).clear_marks():
                return
            if self.filter != Filter():
                self.set_filter(Filter())
            return
        was_open = bar.display or self.hits is not None
        bar.value = ""
        bar.display = False
        self.run_search("")
        if was_open and self.corpus is not None and self.corpus.articles:
            self.query_one(ArticleList).focus()

    # --- keys ----------------------------------------------------------------------

    def action_switch_pane(self) -> None:
        articles = self.query_one(ArticleList)
        reader = self.query_one(Reader)
        if reader.has_focus and articles.display:
            articles.focus()
        else:
            reader.focus()

    def action_page(self, step: int) -> None:
        self.query_one(Reader).page(step)

    def action_step_article(self, step: int) -> None:
        target = self.query_one(ArticleList).neighbour(self.current_id, step)
        if target is None:
            self.app.bell()
            return
        self._travel = 1 if step > 0 else -1
        self.open_article(target)

    def action_jump_mark(self, step: int) -> None:
        if self.query_one(Reader).jump_mark(step) is None:
            self.app.bell()

    def action_cycle_method(self) -> None:
        from briefing.summarize import METHODS  # the registry only: no sumy, no numpy

        methods = list(METHODS)
        index = methods.index(self.method) if self.method in methods else -1
        self.method = methods[(index + 1) % len(methods)]
        self._preferences_changed()

    def action_length(self, step: int) -> None:
        new = max(MIN_LENGTH, min(MAX_LENGTH, self.length + step))
        if new == self.length:
            self.app.bell()
            self.app.notify(
                f"Summary length stays between {MIN_LENGTH} and {MAX_LENGTH} sentences.", timeout=2, markup=False
            )
            return
        self.length = new
        self._preferences_changed()

    def _preferences_changed(self) -> None:
        self.post_message(PreferencesChanged(self.method, self.length))
        self.request_summary()
        if self.current_article is None:
            self.app.notify(f"Summary: {self.method}, {self.length} sentences", timeout=2, markup=False)
