"""The main screen: the article list beside (or above) the reading pane.

The screen holds the state (:class:`~briefing.tui.state.ReaderState`) and the
features (:mod:`briefing.tui.features`) as objects, draws the list and the status
line from the state, and routes keys and worker messages to the feature that owns
them. Workers run in threads and only post messages.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, ProgressBar, Static
from textual.worker import get_current_worker

from briefing.annotations import AnnotationStore, Change
from briefing.config import MAX_LENGTH, MIN_LENGTH
from briefing.corpus.view import CorpusView
from briefing.listing.tagrows import tag_source
from briefing.model import ArticleMeta
from briefing.sanitize import clean_line
from briefing.tui import bindings
from briefing.tui import state as view
from briefing.tui.features.annotate import Annotate
from briefing.tui.features.brief import BriefFeature
from briefing.tui.features.bulk import Bulk
from briefing.tui.features.conflicts import Conflicts
from briefing.tui.features.export import Export
from briefing.tui.features.highlights import Highlights
from briefing.tui.features.idle import IDLE_GC_CHECK_S, IdleCollector
from briefing.tui.features.keywords import Keywords
from briefing.tui.features.language import Language
from briefing.tui.features.live import Live
from briefing.tui.features.panes import Panes
from briefing.tui.features.preview import Preview
from briefing.tui.features.private_notes import PrivateNotes
from briefing.tui.features.reading import Reading
from briefing.tui.features.saving import Saving
from briefing.tui.features.search import Search
from briefing.tui.features.session import SessionFeature
from briefing.tui.features.source_url import SourceUrl
from briefing.tui.features.stats import StatsFeature
from briefing.tui.features.stories import StoryFeature
from briefing.tui.features.summaries import Summaries
from briefing.tui.features.watchlists import Watchlists
from briefing.tui.loading import HeadCorpus, Loaded, load_with_index
from briefing.tui.marks import ArticleMarks
from briefing.tui.messages import (
    AnnotationsChecked,
    ArticleFailed,
    ArticleLoaded,
    BriefSaved,
    CorpusChanged,
    CorpusFailed,
    CorpusHead,
    CorpusLoaded,
    CorpusRescanned,
    IndexProgress,
    KeywordsReady,
    PreferencesChanged,
    SaveStatusChanged,
    SearchDone,
    StoriesFailed,
    StoriesProgress,
    StoriesReady,
    SummaryFailed,
    SummaryReady,
    TagCountsReady,
    ViewCounted,
    WatchlistsArrived,
    WatchlistsCounted,
)
from briefing.tui.state import ReaderState, Selection, Targets
from briefing.tui.widgets import list_pending
from briefing.tui.widgets.article_list import ArticleList
from briefing.tui.widgets.footer import KeyFooter
from briefing.tui.widgets.reader import Reader
from briefing.tui.widgets.search_bar import SearchBar
from briefing.tui.widgets.status_bar import StatusBar
from briefing.tui.widgets.timeline_strip import TimelineStrip
from briefing.tui.widgets.watchlists_panel import WatchlistsPanel

NOTHING_OPEN = (
    "Choose an article in the list: j/k or ↑/↓ to move, enter or l to open, / to search, ? for every key.\n"
    "t tags, a note, f flag, m or space marks rows for a bulk action, F filters, x exports."
)
Loader = Callable[[Path], CorpusView]


@work(thread=True, exclusive=True, group="corpus", exit_on_error=False, description="load corpus")
def load_worker(screen: Screen[Any], root: Path, loader: Loader | None) -> None:
    worker = get_current_worker()
    if not root.exists():
        screen.post_message(CorpusFailed(f"Folder not found: {root}"))
        return
    if not root.is_dir():
        screen.post_message(CorpusFailed(f"Not a folder: {root}"))
        return
    loaded: Loaded | None
    try:
        if loader is None:  # through the index: the cached first page at once; then watched
            loaded = load_with_index(root, screen.post_message, lambda: worker.is_cancelled)
        else:
            loaded = Loaded(loader(root))
    except OSError as exc:
        screen.post_message(CorpusFailed(f"Cannot read {root}: {exc.strerror or exc}"))
        return
    except Exception as exc:  # a loader bug must not take the reader down with a traceback
        screen.post_message(CorpusFailed(f"Cannot open {root}: {type(exc).__name__}: {exc}"))
        return
    if loaded is None:  # stopped (the reader is closing)
        return
    if worker.is_cancelled:
        if loaded.watcher is not None:
            loaded.watcher.stop()
        return
    screen.post_message(CorpusLoaded(loaded.corpus, loaded.watcher, loaded.watch_error))


class MainScreen(Screen[None]):
    CSS_PATH = "../styles/main.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    AUTO_FOCUS = "Reader"  # the list takes focus once it has rows
    # Textual repaints the whole screen when the focus moves (on every article opened,
    # from the list to the reader); the widgets that gain or lose it repaint themselves.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
    BINDINGS = [*bindings.MAIN, *bindings.ANNOTATION, *bindings.STORY, *bindings.WATCH, *bindings.SELECT, *bindings.LAYOUT,
                *bindings.BRIEF, *bindings.STATS]

    def __init__(self, root: Path, marks: ArticleMarks, method: str, length: int, *, grouping: bool = True,
                 loader: Loader | None = None, last_key_time: Callable[[], float] = lambda: 0.0,
                 after_exit: list[str] | None = None) -> None:
        super().__init__()
        self.loader = loader
        # Lines to print once the reader has closed (annotations that could not be saved
        # and where they were kept): the terminal is the reader's until then.
        self.after_exit: list[str] = after_exit if after_exit is not None else []
        self.marks = marks
        self.state = ReaderState(Path(root), method, max(MIN_LENGTH, min(MAX_LENGTH, length)), grouping)
        self.annotate = Annotate(self)
        self.language = Language(self.annotate)
        self.saving = Saving(self, self.annotate)
        self.live = Live(self)
        self.search = Search(self)
        self.summaries = Summaries(self)
        self.stories = StoryFeature(self)
        self.keywords = Keywords(self, self.annotate, last_key_time)
        self.reading = Reading(self, marks)
        self.export = Export(self)
        self.idle = IdleCollector(last_key_time)
        self.conflicts = Conflicts(self)
        self.watchlists = Watchlists(self)
        self.bulk = Bulk(self)
        self.highlights = Highlights(self)
        self.panes = Panes(self)
        self.preview = Preview(self, self.reading.mark_read, unread=lambda i: marks.markers(i).unread)
        self.session = SessionFeature(self, set_layout=lambda c, lay: self.panes.set(c, lay, save=False),
                                      set_filter=self.search.set_filter, search=self.search,
                                      first=self.preview.top, hold=self.preview.hold)
        self.source_url = SourceUrl(self)
        self.brief = BriefFeature(self)
        self.private_notes = PrivateNotes(self)
        self.stats = StatsFeature(self, self.search.set_filter, self._search_for, lambda: self.watchlists.matches)

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        yield ProgressBar(id="index-progress", show_eta=False)
        with Horizontal(id="panes"):
            with Vertical(id="list-pane"):
                yield SearchBar(id="search")
                yield Static(id="search-error")  # where and why a query does not parse (features/search.py)
                yield WatchlistsPanel(id="watchlists")
                yield TimelineStrip(id="timeline")
                yield ArticleList(id="articles")
                yield Static(id="list-message")
            yield Reader(id="reader")
        yield Static(id="annotations-problem")
        yield KeyFooter()

    # --- what the features reach (features/host.py) --------------------------------------

    @property
    def node(self) -> Screen[Any]:
        return self

    @property
    def articles(self) -> ArticleList:
        return self.query_one(ArticleList)

    @property
    def reader(self) -> Reader:
        return self.query_one(Reader)

    @property
    def store(self) -> AnnotationStore | None:
        return self.annotate.store

    def writable_store(self) -> AnnotationStore | None:
        return self.annotate.writable_store()

    def shown_meta(self, meta: ArticleMeta) -> ArticleMeta:
        return self.annotate.shown_meta(meta)

    def apply_change(self, do: Callable[[], Change | None], *, reorder: bool = True,
                     chosen: Targets | None = None) -> Change | None:
        return self.annotate.apply(do, reorder=reorder, chosen=chosen)

    def listed_metas(self) -> list[ArticleMeta]:
        return self.annotate.listed_metas()

    def selection(self) -> Selection:
        articles = self.articles
        return Selection(articles.has_focus, articles.highlighted_id, articles.highlighted_row,
                         tuple(articles.marked_ids))

    def refuse(self, text: str) -> None:
        self.app.bell()
        self.app.notify(clean_line(text), title="Cannot annotate", severity="warning", timeout=8, markup=False)

    def after_change(self, ids: list[str], *, reorder: bool = True) -> None:
        self.keywords.after_change()
        self.annotate.after_change(ids, reorder=reorder)  # redraws story rows too (ArticleList.refresh_rows)
        if self.state.current_id in ids:
            self.summaries.refresh()  # a language set with O: the summary in that language
        self.keywords.redraw(ids)
        self.stories.dates_changed(ids)  # a corrected date may change a story's lead or members

    # --- start-up: load the corpus in a worker ----------------------------------------------

    def on_mount(self) -> None:
        for hidden in (SearchBar, "#list-message", "#annotations-problem", ArticleList, WatchlistsPanel):
            self.query_one(hidden).display = False
        progress = self.query_one("#index-progress", ProgressBar)
        progress.styles.height = 1
        progress.display = False
        settings = getattr(self.app, "settings", None)
        if settings is not None:
            self.panes.start(settings.compact_list, settings.layout)
            self.preview.read_after = settings.read_after_seconds
        self.stats.start(bool(getattr(settings, "timeline_strip", False)))
        self.summaries.start()
        self.idle.start()
        self.set_interval(IDLE_GC_CHECK_S, self.idle.tick)
        self.show_status(busy="loading…")
        self.reader.show_message(f"Loading {clean_line(str(self.state.root))} …")
        load_worker(self, self.state.root, self.loader)

    def on_unmount(self) -> None:
        self.session.save()
        self.preview.stop()
        self.reading.flush()
        self.live.stop()
        lost = self.saving.close()  # what is pending reaches the disk (at most a few seconds)
        if lost is not None:  # else it is kept in a file of the backup folder: said after the screen is gone
            self.after_exit.append(lost)
        self.brief.close()  # the open briefing's last change too
        self.keywords.statistics.close()
        self.idle.stop()

    def on_corpus_failed(self, message: CorpusFailed) -> None:
        self.show_status()
        self._list_message(message.message)
        self.reader.show_message(message.message)
        self.app.notify(clean_line(message.message), title="Cannot open the corpus", severity="error", markup=False)

    def on_corpus_head(self, message: CorpusHead) -> None:
        """The first page from the cache (or the first indexed batch), before the refresh ends."""
        state = self.state
        if state.corpus is not None and not isinstance(state.corpus, HeadCorpus):
            return  # the full corpus is already shown
        first = state.corpus is None
        state.corpus = message.corpus
        self.annotate.open(partial=True)
        self.saving.attach(self.store)
        state.indexing = state.indexing or "first page from the cache · checking the folder…"
        self.search.again()
        self.show_list()
        if first:
            self.articles.focus()
            self.preview.first()
            self.panes.refocus()
        self.call_after_refresh(message.shown.set)

    def on_index_progress(self, message: IndexProgress) -> None:
        if message.total <= 0:
            return
        bar = self.query_one("#index-progress", ProgressBar)
        bar.update(total=message.total, progress=message.done)
        bar.display = message.done < message.total
        self.state.indexing = f"first page only · indexing {message.done:,}/{message.total:,} files"
        self.show_status()

    def on_corpus_loaded(self, message: CorpusLoaded) -> None:
        state = self.state
        had_head = isinstance(state.corpus, HeadCorpus)
        state.indexing = ""
        self.query_one("#index-progress", ProgressBar).display = False
        state.corpus = corpus = message.corpus
        self.call_after_refresh(self.idle.freeze)  # built and drawn: kept out of full collections
        problems = list(corpus.problems)
        if problems:
            shown = "\n".join(clean_line(str(p)) for p in problems[:5])
            more = f"\n… and {len(problems) - 5} more" if len(problems) > 5 else ""
            self.app.notify(shown + more, title=f"{len(problems)} file(s) skipped", severity="warning", timeout=10,
                            markup=False)
        self.annotate.open()
        self.saving.attach(self.store)
        self.live.loaded(message.watcher, message.watch_error)
        self.watchlists.loaded()
        if not corpus.articles:
            state.current_id = state.current_article = None
            text = (f"No articles in {clean_line(str(state.root))}.\n"
                    "Put .txt, .md or .html files there, or open another folder: briefing DIR")
            self._list_message(text)
            self.reader.show_message(text)
            self.show_status()
            return
        self.stories.start()  # in a worker; the list shows the stories when they are ready
        if had_head and state.current_article is not None:
            self.keywords.request(state.current_article)  # the whole corpus's word counts are known now
        if not had_head:
            self.show_list()
            self.articles.focus()
            if not self.session.restore():
                self.preview.first()
            self.panes.refocus()
            return
        if state.current_id is not None and not state.listed(state.current_id):  # the list grew under the user
            state.current_id = state.current_article = None
            self.reader.show_message(NOTHING_OPEN)
        self.search.again()
        self.show_list()
        if not self.session.restore():
            self.preview.first_again()
        self.panes.refocus()
        if not self.articles.display and self.articles.has_focus:
            self.reader.focus()

    # --- the list and the status line --------------------------------------------------------

    def show_list(self) -> None:
        articles, state = self.articles, self.state
        if state.corpus is not None and len(state.corpus.articles) > list_pending.LAY_OUT_IN_WORKER_ABOVE:
            # a long list is made and laid out in a worker: the rows shown stay meanwhile
            articles.show_articles_later(self.annotate.listing_later(), self.marks, state.hits,
                                         state.shown_stories())
            self.show_status()
            return
        articles.show_articles(self.annotate.listing(), self.marks, state.hits, state.shown_stories())
        self._listed()

    @on(ArticleList.Listed)
    def _listed(self) -> None:
        """The list's rows are shown: its message, the status line and the counts."""
        articles, state = self.articles, self.state
        text = view.list_message(state, bool(articles.shown_count))
        if text is not None:
            self._list_message(text)
        else:
            articles.display = True
            self.query_one("#list-message").display = False
        self.show_status()
        self.stats.list_changed()

    def _list_message(self, text: str) -> None:
        self.articles.display = False
        message = self.query_one("#list-message", Static)
        message.update(Content("\n".join(clean_line(t) for t in text.split("\n"))))
        message.display = True

    def show_status(self, busy: str = "") -> None:
        articles, store = self.articles, self.store
        checking = "checking annotations.yaml…" if store is not None and store.checking else ""
        fields = view.status_fields(self.state, articles.shown_count,
                                    busy or ("listing…" if articles.laying_out else "") or checking)
        self.query_one(StatusBar).show(fields.folder, fields.shown, fields.total, fields.query, fields.busy,
                                       filter_text=fields.filter_text, marked=articles.marked_count,
                                       read_only=store is not None and store.read_only, saving=self.saving.text(),
                                       conflicts=self.conflicts.status_text())

    @on(ArticleList.MarksChanged)
    def _on_marks_changed(self) -> None:
        self.show_status()

    @on(ArticleList.Highlighted)
    def _on_highlighted(self, message: ArticleList.Highlighted) -> None:
        self.summaries.schedule_ahead(message.article_id)
        self.preview.moved(message.article_id)
        self.stats.moved()

    @on(ArticleList.Open)
    def _on_open(self, message: ArticleList.Open) -> None:
        self.preview.opened()
        self.panes.opened()
        self.open_article(message.article_id)
        self.stories.read(message.story)  # a story row: the story is read once, every version with it
        self.reading.schedule_flush()
        self.reader.focus()

    # --- the open article --------------------------------------------------------------------

    def open_article(self, article_id: str, *, mark: bool = True) -> None:
        result = self.reading.open(article_id, mark=mark)
        if isinstance(result, ArticleLoaded):  # read at once: the pane is drawn once, no worker round trip
            self.on_article_loaded(result)
        elif isinstance(result, ArticleFailed):
            self.on_article_failed(result)
        elif result is not None:  # read in a worker: the details meanwhile
            self.reader.show_loading(self.shown_meta(result))

    def on_article_failed(self, message: ArticleFailed) -> None:
        if message.article_id == self.state.current_id:
            self.reader.show_message(message.message)

    def on_article_loaded(self, message: ArticleLoaded) -> None:
        article, state = message.article, self.state
        if article.id != state.current_id:
            return  # the user moved on
        state.current_article = article
        self.search.bodies.keep(article.id, article.body)
        self.reader.show_article(article)
        self.annotate.show_current()
        self.reader.show_search(state.searched)
        self.search.reveal_first_match()
        self.summaries.request()
        self.keywords.request(article)

    # --- worker results, to the feature that asked ------------------------------------------------

    def on_corpus_changed(self, message: CorpusChanged) -> None:
        self.live.batch(message)

    def on_corpus_rescanned(self, message: CorpusRescanned) -> None:
        self.live.rescanned(message)

    def on_save_status_changed(self, message: SaveStatusChanged) -> None:
        self.saving.status(message)

    def on_annotations_checked(self, message: AnnotationsChecked) -> None:
        self.annotate.checked(message.store)

    def on_summary_ready(self, message: SummaryReady) -> None:
        self.summaries.ready(message)

    def on_summary_failed(self, message: SummaryFailed) -> None:
        self.summaries.failed(message)

    def on_search_done(self, message: SearchDone) -> None:
        self.search.done(message)

    def on_stories_progress(self, message: StoriesProgress) -> None:
        self.stories.progress(message)

    def on_stories_ready(self, message: StoriesReady) -> None:
        self.stories.ready(message)

    def on_stories_failed(self, message: StoriesFailed) -> None:
        self.stories.failed(message)

    def on_keywords_ready(self, message: KeywordsReady) -> None:
        self.keywords.ready(message)

    def on_tag_counts_ready(self, message: TagCountsReady) -> None:
        self.keywords.counts_ready(message)

    def on_watchlists_counted(self, message: WatchlistsCounted) -> None:
        self.watchlists.counted(message)

    def on_watchlists_arrived(self, message: WatchlistsArrived) -> None:
        self.watchlists.arrived(message)

    @on(WatchlistsPanel.Chosen)
    def _on_watchlist_chosen(self, message: WatchlistsPanel.Chosen) -> None:
        self.watchlists.choose(message.name)

    @on(Input.Changed, "#search")
    def _on_search_changed(self, event: Input.Changed) -> None:
        self.search.run(event.value)

    @on(SearchBar.Done)
    def _search_done(self) -> None:
        self.search.to_results()

    @on(SearchBar.Closed)
    def _search_closed(self) -> None:
        self.search.clear()

    # --- keys -----------------------------------------------------------------------------------

    def action_switch_pane(self) -> None:
        if self.panes.switch():  # one pane shown: tab shows the other
            return
        articles, reader = self.articles, self.reader
        (articles if reader.has_focus and articles.display else reader).focus()

    def action_page(self, step: int) -> None:
        self.reader.page(step)

    def action_step_article(self, step: int) -> None:
        if (target := self.reading.step(step)) is not None:
            self.open_article(target)

    def action_jump_mark(self, step: int) -> None:
        if self.reader.jump_mark(step) is None:
            self.app.bell()

    def action_search(self) -> None:
        self.search.open()

    def action_jump_match(self, step: int) -> None:
        self.search.jump_match(step)

    def action_clear_search(self) -> None:
        self.search.clear()

    def action_cycle_method(self) -> None:
        self.summaries.cycle_method()
        self._preferences_changed(summary=True)

    def action_length(self, step: int) -> None:
        if self.summaries.change_length(step):
            self._preferences_changed(summary=True)

    def action_toggle_grouping(self) -> None:
        self.stories.toggle()
        self._preferences_changed()

    def _preferences_changed(self, *, summary: bool = False) -> None:
        state = self.state
        self.post_message(PreferencesChanged(state.method, state.length, state.grouping))
        if summary:
            self.summaries.request()
            if state.current_article is None:
                self.app.notify(f"Summary: {state.method}, {state.length} sentences", timeout=2, markup=False)

    def action_add_tags(self) -> None:
        self.annotate.add_tags()

    def action_remove_tag(self) -> None:
        self.annotate.remove_tag()

    def action_note(self) -> None:
        self.annotate.note()

    def action_highlight(self) -> None:
        self.annotate.highlight()

    def action_toggle_flag(self) -> None:
        self.annotate.toggle_flag()

    def action_toggle_read(self) -> None:
        self.annotate.toggle_read()

    def action_dismiss_articles(self) -> None:
        self.annotate.dismiss()

    def action_toggle_dismissed(self) -> None:
        self.annotate.toggle_dismissed()

    def action_set_date(self) -> None:
        self.annotate.set_date()

    def action_edit_title(self) -> None:
        self.annotate.edit_title()

    def action_set_language(self) -> None:
        self.language.set_language()

    def action_undo(self) -> None:
        self.annotate.undo()

    def action_filter(self) -> None:
        if self.state.corpus is not None and (store := self.annotate.open_store()) is not None:
            self.search.edit_filter(store.all_tags(tag_source(self.state.corpus)))

    def action_clear_filter(self) -> None:
        self.search.clear_filter()

    def action_copy_url(self) -> None:
        self.source_url.copy()

    def action_toggle_private(self) -> None:
        self.private_notes.toggle()

    def action_export(self) -> None:
        self.export.open(self.store, self.annotate.problem)

    def action_compare(self) -> None:
        self.stories.compare()

    def action_accept_tags(self) -> None:
        self.keywords.accept()

    def action_conflicts(self) -> None:
        self.conflicts.open()

    # --- the command palette's entries with a parameter (tui/palette.py, issue 15) ---------------

    def choose_method(self, method: str) -> None:
        """The palette's "Summary method: …" entries: like ``s``, to the method chosen."""
        if self.summaries.choose_method(method):
            self._preferences_changed(summary=True)

    def saved_filters(self) -> list[tuple[str, Callable[[], object]]]:
        """The saved filters the palette offers, one "Saved filter: NAME" entry each:
        ``(name, apply)`` pairs, ``apply()`` setting that filter on the list: the
        watchlists (issue 16)."""
        return self.watchlists.saved_filters()

    def action_toggle_watchlists(self) -> None:
        self.watchlists.toggle()

    def action_watchlist_untag(self) -> None:
        self.watchlists.untag_watchlist()

    def action_article_untag_auto(self) -> None:
        self.watchlists.untag_article()

    def action_mark_all(self) -> None:
        self.bulk.mark_all()

    def action_invert_marks(self) -> None:
        self.bulk.invert_marks()

    def action_read_all(self) -> None:
        self.bulk.read_all()

    def action_redo(self) -> None:
        self.bulk.redo()

    def action_select_text(self) -> None:
        self.highlights.enter()

    def action_list_highlights(self) -> None:
        self.highlights.show_list()

    def action_jump_highlight(self, step: int) -> None:
        self.highlights.jump(step)
    def action_toggle_compact(self) -> None:
        self.panes.toggle_compact()

    def action_cycle_layout(self) -> None:
        self.panes.cycle()

    def action_details(self) -> None:
        self.panes.details()

    def action_briefing(self) -> None:
        self.brief.open()

    def action_brief_add(self) -> None:
        self.brief.add_selected()

    def on_brief_saved(self, message: BriefSaved) -> None:
        self.brief.saved(message)

    # --- statistics and the timeline strip (issue 23; features/stats.py) ---------------------------

    def action_statistics(self) -> None:
        self.stats.open_screen()

    def action_toggle_timeline(self) -> None:
        self.stats.toggle()

    def on_view_counted(self, message: ViewCounted) -> None:
        self.stats.counted(message)

    @on(TimelineStrip.Narrow)
    def _on_timeline_narrow(self, message: TimelineStrip.Narrow) -> None:
        self.stats.narrow(message.since, message.until)

    @on(TimelineStrip.UndoNarrow)
    def _on_timeline_undo(self) -> None:
        self.stats.undo()

    @on(TimelineStrip.Stack)
    def _on_timeline_stack(self) -> None:
        self.stats.cycle_stack()

    @on(TimelineStrip.Leave)
    def _on_timeline_leave(self) -> None:
        if self.articles.display:
            self.articles.focus()

    def _search_for(self, text: str) -> None:
        bar = self.search.bar
        bar.display = True
        with bar.prevent(Input.Changed):  # (not typed: searched at once, not after the typing pause)
            bar.value = text
        self.search.run(text, at_once=True)
