"""The corpus on disk while the reader is open (issue 14 "Live").

One :class:`~briefing.watch.CorpusWatcher` per open corpus: started by the loader
before the index refresh (which runs through it), handed over with the full corpus,
stopped when the screen goes (quit, another corpus). Its batches arrive as
:class:`~briefing.tui.messages.CorpusChanged`, on the UI thread:

- the index update is applied to the open corpus in place (no walk of the folder);
  the rows are listed again from memory a moment later (one redraw for a burst of
  batches), the cursor and the marks kept by id (a renamed file's follow it);
- the open article is read again when its file changed (its header, title and
  date), and the pane says so when the file was removed;
- ``annotations.yaml`` changed by another program: the store reloads (a merge; a
  conflict is told, never silently resolved) and the rows and the pane show it;
- the corpus folder moved away or replaced: saving stops, with a line that stays;
- events lost: a full refresh in a worker, then the list from a fresh snapshot.

Batches that come while the first page is shown (the refresh still runs) are kept
and applied once the full corpus is there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from textual import work
from textual.screen import Screen
from textual.timer import Timer

from briefing.corpus.view import known_articles
from briefing.index.incremental import update_corpus
from briefing.sanitize import clean_line
from briefing.tui.features.host import AnnotationsHost
from briefing.tui.loading import HeadCorpus
from briefing.tui.messages import ArticleFailed, ArticleLoaded, CorpusChanged, CorpusRescanned

if TYPE_CHECKING:
    from typing import Any

    from briefing.tui.features.annotate import Annotate
    from briefing.tui.features.keywords import Keywords
    from briefing.tui.features.saving import Saving
    from briefing.tui.features.search import Search
    from briefing.tui.features.stories import StoryFeature
    from briefing.tui.features.watchlists import Watchlists
    from briefing.watch import CorpusWatcher, WatchBatch

REDRAW_DELAY_S = 0.05  # batches arriving within this are drawn once
RELIST_DELAY_S = 0.1  # after the rows on screen show new annotations: the whole list laid out again
RELOAD_RETRY_S = 0.2  # annotations changed while our own save runs: reloaded once it has landed


@work(thread=True, exclusive=True, group="rescan", exit_on_error=False, description="rescan folder")
def rescan_worker(screen: Screen[Any], watcher: CorpusWatcher) -> None:
    """Events were lost: refresh the whole index (a walk), then hand over a snapshot."""
    try:
        watcher.refresh_index()
    except Exception:  # noqa: BLE001 - a folder gone meanwhile: the root batch says so
        return
    if watcher.index is not None:
        screen.post_message(CorpusRescanned(watcher.index.snapshot()))


class LiveHost(AnnotationsHost, Protocol):
    """What the live feature reaches: the screen and the features it redraws through."""

    annotate: Annotate
    saving: Saving
    search: Search
    keywords: Keywords
    stories: StoryFeature
    watchlists: Watchlists

    def on_article_loaded(self, message: ArticleLoaded) -> None: ...

    def on_article_failed(self, message: ArticleFailed) -> None: ...


class Live:
    """The folder watcher of the open corpus, and what its batches change on screen."""

    def __init__(self, host: LiveHost) -> None:
        self.host = host
        self.watcher: CorpusWatcher | None = None
        self._cache_said = False
        self._waiting: list[WatchBatch] = []  # before the full corpus is there
        self._timer: Timer | None = None
        self._relist: Timer | None = None  # the list laid out again after the markers are drawn
        self._touched: set[str] = set()  # ids changed since the last redraw
        self._renamed: dict[str, str] = {}  # old id -> new id, since the last redraw
        self._removed: set[str] = set()
        self._corpus_changed = False
        self._reload = False  # annotations.yaml changed on disk
        self._stopped = False

    # --- the watcher's life --------------------------------------------------------------

    def loaded(self, watcher: CorpusWatcher | None, watch_error: str = "") -> None:
        """The full corpus is there: keep its watcher, apply what it saw meanwhile, and
        say once if the cache folder could not be used."""
        from briefing.cachedir import cache_notice

        app = self.host.node.app
        notice = cache_notice()
        if notice and not self._cache_said:
            self._cache_said = True
            app.notify(clean_line(notice), title="Cache", severity="warning", timeout=12, markup=False)
        if watch_error:
            app.notify(clean_line(watch_error), title="Folder", severity="warning", timeout=10, markup=False)
        if self._stopped:  # the screen went meanwhile
            if watcher is not None:
                watcher.stop()
            return
        if self.watcher is not None and self.watcher is not watcher:
            self.watcher.stop()
        self.watcher = watcher
        waiting, self._waiting = self._waiting, []
        for batch in waiting:
            self._take(batch)

    def stop(self) -> None:
        """Stop watching (the screen is going, or another corpus opens)."""
        self._stopped = True
        self._waiting.clear()
        for timer in (self._timer, self._relist):
            if timer is not None:
                timer.stop()
        self._timer = self._relist = None
        watcher, self.watcher = self.watcher, None
        if watcher is not None:
            watcher.stop()

    # --- batches ------------------------------------------------------------------------

    def batch(self, message: CorpusChanged) -> None:
        if self._stopped:
            return
        corpus = self.host.state.corpus
        if self.watcher is None or corpus is None or isinstance(corpus, HeadCorpus):
            self._waiting.append(message.batch)  # the refresh is still running
            return
        self._take(message.batch)

    def _take(self, batch: WatchBatch) -> None:
        host = self.host
        app = host.node.app
        if batch.message:
            app.notify(clean_line(batch.message), title="Folder", timeout=6, markup=False)
        if batch.root is not None:
            store = host.store
            problem = store.folder_problem() if store is not None else None
            host.saving.stop(problem or f"the corpus folder {host.state.root} was {batch.root}.")
        update, corpus = batch.update, host.state.corpus
        if update is not None and not update.empty and corpus is not None:
            update_corpus(corpus, update)  # type: ignore[arg-type]  # an IndexedCorpus when watched
            self._corpus_changed = True
            self._touched.update(m.id for m in (*update.added, *update.changed))
            self._removed.update(update.removed)
            for old, meta in update.renamed:
                self._renamed[old] = meta.id
            host.watchlists.corpus_changed([m.id for m in (*update.added, *update.changed)], update.removed,
                                           [(old, meta.id) for old, meta in update.renamed])
        if batch.annotations:
            self._reload = True
        if batch.rescan and self.watcher is not None:
            rescan_worker(host.node, self.watcher)
        if self._corpus_changed or self._reload:
            self._schedule(REDRAW_DELAY_S)

    def _schedule(self, delay: float) -> None:
        if self._timer is None:
            self._timer = self.host.node.set_timer(delay, self._redraw)

    def _redraw(self) -> None:
        """Everything the batches since the last redraw changed, drawn once."""
        self._timer = None
        host, state = self.host, self.host.state
        store_changed = False
        if self._reload:
            store = host.annotate.store
            if (host.saving.pending and not host.saving.blocked) or (store is not None and store.checking):
                # our own save is being written (its echo is not another program's
                # change), or the file opened unverified is being checked: a reload
                # waits for it, and must not on the UI thread. (A save blocked by a
                # file that turned invalid waits for this reload: not the other way.)
                self._schedule(RELOAD_RETRY_S)
                return
            self._reload = False
            store_changed = self._reload_store()
        if not (self._corpus_changed or store_changed):
            return
        touched, renamed, removed = self._touched, self._renamed, self._removed
        corpus_changed = self._corpus_changed
        self._touched, self._renamed, self._removed, self._corpus_changed = set(), {}, set(), False
        articles = host.articles
        cursor = articles.highlighted_id
        state.listing_generation += 1
        host.keywords.after_change()
        if not corpus_changed and not state.filtering:
            # Only annotations changed: the rows on screen show the new markers at once;
            # the list is laid out again (a title or date set elsewhere may move a row)
            # once that frame is drawn: a second at 100k articles.
            articles.redraw_rows()
            host.annotate.show_current()
            if self._relist is None:
                self._relist = host.node.set_timer(RELIST_DELAY_S, self._relist_now)
            return
        if corpus_changed:
            articles.rename(renamed)
            if state.current_id in renamed:
                state.current_id = renamed[state.current_id]
                touched.add(state.current_id)
            self._attach(bool(renamed))
        host.search.again()
        host.show_list()
        if cursor in renamed:
            articles.highlight_id(renamed[cursor], scroll=False)
        self._show_current(touched, removed)

    def _relist_now(self) -> None:
        self._relist = None
        self.host.show_list()

    def _attach(self, renamed: bool) -> None:
        """The store learns the new ids; after renames, annotations follow the files
        (a reconcile: a pass over the corpus)."""
        host, store, corpus = self.host, self.host.store, self.host.state.corpus
        if renamed or store is None or corpus is None:
            host.annotate.open()
            return
        host.state.listing_generation += 1
        store.attach(known_articles(corpus))

    def _reload_store(self) -> bool:
        """Take in what another program wrote to the annotations (a merge). True when
        something changed."""
        store, app = self.host.store, self.host.node.app
        if store is None:
            return False
        was_read_only, was_checking = store.read_only, store.checking
        try:
            messages = store.reload()
        except Exception as exc:  # noqa: BLE001 - never a traceback: the file stays as it is
            app.notify(clean_line(f"Annotations: {type(exc).__name__}: {exc}"), title="Annotations",
                       severity="error", markup=False)
            return False
        if store.checking and not was_checking:  # read again unverified (a large file, fixed): its check's end
            self.host.annotate.follow_check(store)
        if store.read_only and not was_read_only:  # turned broken on disk: one way to say it
            self.host.annotate.went_read_only(messages)
            return True
        if was_read_only and not store.read_only:  # fixed: the line saying otherwise goes
            self.host.annotate.writable_again()
        self.host.saving.submit()  # a merge with our unsaved side is written by the queue
        for text in messages:
            conflict = "conflict" in text.lower()
            app.notify(clean_line(text), title="Annotations", severity="warning" if conflict else "information",
                       timeout=15 if conflict else 5, markup=False)
        return bool(messages)

    def _show_current(self, touched: set[str], removed: set[str]) -> None:
        """The open article: read again when its file changed; said when it went."""
        host, state = self.host, self.host.state
        current = state.current_id
        if current is None or state.corpus is None:
            return
        if current in removed:
            title = state.current_article.meta.title if state.current_article is not None else current
            state.current_id = state.current_article = None
            text = f"“{clean_line(title)}” was removed from the folder ({clean_line(current)})."
            host.reader.show_message(text)
            host.node.app.notify(text, title="Folder", severity="warning", timeout=8, markup=False)
            return
        if current in touched:
            try:
                article = state.corpus.article(current)
            except Exception as exc:  # unreadable now: say so in the pane
                host.on_article_failed(ArticleFailed(current, f"Cannot read {current}: {exc}"))
                return
            host.on_article_loaded(ArticleLoaded(article))
            return
        host.annotate.show_current()  # tags, notes or status changed by another program

    def rescanned(self, message: CorpusRescanned) -> None:
        """A full refresh after lost events: the list from the fresh snapshot."""
        host, state = self.host, self.host.state
        if self._stopped or state.corpus is None or isinstance(state.corpus, HeadCorpus):
            return
        state.corpus = message.corpus
        host.annotate.open()
        host.watchlists.count()
        host.stories.start()
        host.search.again()
        host.show_list()
        if state.current_id is not None and not state.listed(state.current_id):
            self._show_current(set(), {state.current_id})
