"""The reader's annotation keys: tags, notes, highlights, flag, read state, date,
title, undo, the list filter and the export dialog.

:class:`AnnotateActions` is mixed into the main screen; it holds the actions and
talks to the annotations store (``briefing.annotations``) from the app's thread
only. Everything the store returns for the user (``Change.messages``, errors) is
shown as plain text, never markup.

Which articles an action acts on:

- ``t`` (add tags), ``f`` (flag) and ``u`` (read/unread) act on the marked rows when
  rows are marked (one save, one undo step), else on the article in focus;
- the others act on the article in focus: the highlighted row when the list has the
  focus, else the article open in the reading pane.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Callable

from textual.binding import Binding
from textual.content import Content
from textual.widgets import Static

from briefing.sanitize import clean_line
from briefing.tui.marks import StoreMarks

if TYPE_CHECKING:
    from briefing.annotations import AnnotationStore, Change
    from briefing.model import ArticleMeta

ANNOTATION_BINDINGS = [
    Binding("t", "add_tags", "Tag", id="tag-add"),
    Binding("T", "remove_tag", "Remove tag", id="tag-remove", show=False),
    Binding("a", "note", "Note", id="note"),
    Binding("h", "highlight", "Highlight", id="highlight", show=False),
    Binding("f", "toggle_flag", "Flag", id="flag"),
    Binding("u", "toggle_read", "Read/unread", id="read-toggle", show=False),
    Binding("d", "set_date", "Set date", id="date", show=False),
    Binding("e", "edit_title", "Edit title", id="title", show=False),
    Binding("ctrl+z", "undo", "Undo", id="undo", show=False),
    Binding("F", "filter", "Filter", id="filter"),
    Binding("C", "clear_filter", "Clear filter", id="clear-filter", show=False),
    Binding("x", "export", "Export", id="export"),
]


class ListedCorpus:
    """The corpus as the export sees it from the reader: the articles, and the
    reader's own search results as ``match_ids`` (the export's search needs them)."""

    def __init__(self, corpus, hits: dict | None) -> None:
        self._corpus = corpus
        self._hits = hits
        self.root = corpus.root
        self.articles = corpus.articles

    def get(self, article_id: str):
        return self._corpus.get(article_id)

    def article(self, article_id: str):
        return self._corpus.article(article_id)

    def match_ids(self, query: str) -> list[str]:
        return list(self._hits or ())


class AnnotateActions:
    """Mixed into MainScreen (which provides corpus, marks, current_id, hits…)."""

    # --- opening the store ---------------------------------------------------------

    def open_annotations(self, *, partial: bool = False) -> None:
        """Open the annotations of the corpus and say where they are kept, once; a
        file that cannot be used is named in a line that stays.

        ``partial``: only the first page of the corpus is known (the index is still
        refreshing): the store opens on those articles, so markers show and keys
        work on the rows listed; renamed files are followed once the whole corpus
        is loaded (a second call without ``partial``)."""
        marks = self.marks
        if not isinstance(marks, StoreMarks) or self.corpus is None:
            return
        self._listing_generation = getattr(self, "_listing_generation", 0) + 1  # the store is (re)read below
        articles = list(self.corpus.articles)
        if marks.store is not None:  # opened on the first page: now the whole corpus
            try:
                if partial:
                    marks.store.attach(articles)
                    return
                report = marks.store.reconcile(articles)
            except Exception as exc:
                self.app.notify(clean_line(f"Annotations: {type(exc).__name__}: {exc}"), severity="error", markup=False)
                return
            for message in report.messages():
                self.app.notify(clean_line(message), title="Annotations", timeout=8, markup=False)
            return
        marks.on_error = lambda text: self.app.notify(clean_line(text), title="Annotations", severity="error", markup=False)
        try:
            from briefing.annotations import open_store

            if partial:
                store, report = open_store(self.root)
                store.attach(articles)
            else:
                store, report = open_store(self.root, articles)
        except Exception as exc:  # an unexpected failure must not stop the reading
            self.annotations_problem = f"Annotations are not available: {type(exc).__name__}: {exc}"
            self._show_problem()
            return
        marks.attach(store)
        self.annotations_problem = None
        if store.read_only:
            self.annotations_problem = f"Annotations are read-only: {store.error}"
            self._show_problem()
        elif not store.location.in_corpus:
            self.app.notify(clean_line(store.location.message), title="Annotations", timeout=8, markup=False)
        for message in [*store.messages, *report.messages()]:
            self.app.notify(clean_line(message), title="Annotations", timeout=8, markup=False)

    def _show_problem(self) -> None:
        line = self.query_one("#annotations-problem", Static)
        text = self.annotations_problem or ""
        line.update(Content(clean_line(text)))
        line.display = bool(text)
        if text:
            self.app.notify(clean_line(text), title="Annotations", severity="error", timeout=12, markup=False)

    @property
    def store(self) -> AnnotationStore | None:
        return getattr(self.marks, "store", None)

    def _writable_store(self) -> AnnotationStore | None:
        """The store, or None after telling the user why annotations cannot change."""
        store = self.store
        if store is None:
            problem = getattr(self, "annotations_problem", None)
            self._refuse(problem or "Annotations are not open yet (the corpus is loading).")
            return None
        if store.read_only:
            self._refuse(f"Annotations are read-only: {store.error}")
            return None
        return store

    def _refuse(self, text: str) -> None:
        self.app.bell()
        self.app.notify(clean_line(text), title="Cannot annotate", severity="warning", timeout=8, markup=False)

    # --- which articles ---------------------------------------------------------------

    def focused_id(self) -> str | None:
        from briefing.tui.widgets.article_list import ArticleList

        articles = self.query_one(ArticleList)
        if articles.has_focus or self.current_id is None:
            return articles.highlighted_id
        return self.current_id

    def _targets(self, bulk: bool) -> list[str]:
        from briefing.tui.widgets.article_list import ArticleList

        if bulk:
            marked = self.query_one(ArticleList).marked_ids
            if marked:
                return marked
        one = self.focused_id()
        return [one] if one is not None else []

    def _describe(self, ids: list[str]) -> str:
        if len(ids) != 1:
            return f"{len(ids)} marked articles"
        meta = self.corpus.get(ids[0])
        title = clean_line(self.shown_meta(meta).title).strip() or clean_line(meta.id)
        return f"“{title[:50]}{'…' if len(title) > 50 else ''}”"

    def _start(self, bulk: bool = False) -> tuple[AnnotationStore, list[str]] | None:
        if self.corpus is None:
            return None
        store = self._writable_store()
        if store is None:
            return None
        ids = self._targets(bulk)
        if not ids:
            self._refuse("No article to annotate: choose one in the list.")
            return None
        return store, ids

    # --- applying a change -----------------------------------------------------------

    def apply_change(self, do: Callable[[], Change | None], *, reorder: bool = True) -> Change | None:
        """Run a store mutation; show its messages, or its error, as plain text.
        ``reorder``: list the articles again (a date or title changed, or a filter is
        on), else only redraw the changed rows (cheap on a big corpus)."""
        from briefing.annotations import AnnotationError

        try:
            change = do()
        except (AnnotationError, ValueError, IndexError) as exc:
            self.app.bell()
            self.app.notify(clean_line(str(exc)), title="Not saved", severity="error", timeout=10, markup=False)
            if self.store is not None and self.store.read_only and not getattr(self, "annotations_problem", None):
                self.annotations_problem = f"Annotations are read-only: {self.store.error}"
                self._show_problem()
            return None
        if change is None:
            return None
        for message in change.messages:
            self.app.notify(clean_line(message), title="Annotations", severity="warning", timeout=10, markup=False)
        self.after_change(list(change.article_ids), reorder=reorder)
        return change

    def after_change(self, ids: list[str], *, reorder: bool = True) -> None:
        from briefing.tui.widgets.article_list import ArticleList

        self._listing_generation = getattr(self, "_listing_generation", 0) + 1  # dates or titles may have changed
        articles = self.query_one(ArticleList)
        if reorder:
            self._show_list()  # a date moves a row to its day; a filter may drop it
        else:
            for article_id in ids:
                articles.refresh_row(article_id)
        if self.current_id in ids:
            self.show_current_annotations()

    def shown_meta(self, meta: ArticleMeta) -> ArticleMeta:
        """``meta`` with the analyst's title and date (tags stay the file's: the list
        row adds the analyst's from the markers)."""
        store = self.store
        if store is None:
            return meta
        notes = store.get(meta.id)
        if notes.title is None and notes.date is None:
            return meta
        effective = store.effective_meta(meta)
        return replace(effective, tags=meta.tags)

    def show_current_annotations(self) -> None:
        from briefing.tui.widgets.reader import Reader

        if self.corpus is None or self.current_id is None:
            return
        try:
            meta = self.corpus.get(self.current_id)
        except KeyError:
            return
        store = self.store
        if store is None:
            self.query_one(Reader).show_annotations(meta, None)
            return
        self.query_one(Reader).show_annotations(store.effective_meta(meta), store.view(meta))

    def listed_metas(self) -> list[ArticleMeta]:
        """The corpus articles the list shows: the filter applied, the analyst's
        dates and titles in, sorted by effective date (the corpus order when nothing
        was overridden)."""
        if self.corpus is None:
            return []
        metas = self.corpus.articles
        store = self.store
        if store is None:
            return list(metas)
        flt = self.filter
        filtered = bool(flt.tags or flt.status or flt.since or flt.until)
        # Without a filter the list depends only on the corpus and the analyst's dates
        # and titles: kept until either changes (a search rebuilds the list each time).
        key = (id(self.corpus), len(metas), id(store), getattr(self, "_listing_generation", 0))
        cached = getattr(self, "_listed_cache", None)
        if not filtered and cached is not None and cached[0] == key:
            return cached[1]
        listed = self._listed_metas(metas, store, flt, filtered)
        if not filtered:
            self._listed_cache = (key, listed)
        return listed

    def _listed_metas(self, metas, store, flt, filtered: bool) -> list[ArticleMeta]:
        if filtered:
            from briefing.annotations import filter_articles

            metas = filter_articles(metas, store, tag=list(flt.tags) or None, status=flt.status, since=flt.since, until=flt.until)
        elif any(a.date is not None for a in store.document.articles.values()):
            from briefing.annotations import effective_sort_key

            metas = sorted(metas, key=lambda m: effective_sort_key(m, store))
        if not any(a.title is not None or a.date is not None for a in store.document.articles.values()):
            return list(metas)
        return [self.shown_meta(m) for m in metas]

    # --- the actions -------------------------------------------------------------------

    def action_add_tags(self) -> None:
        from briefing.tui.screens.tags import TagScreen

        started = self._start(bulk=True)
        if started is None:
            return
        store, ids = started

        def done(tags: list[str] | None) -> None:
            if tags:
                self.apply_change(lambda: store.add_tags(ids, tags), reorder=self.filtering)

        self.app.push_screen(TagScreen(self._describe(ids), store.all_tags(self.corpus.articles)), done)

    def action_remove_tag(self) -> None:
        from briefing.tui.screens.untag import UntagScreen

        started = self._start(bulk=True)
        if started is None:
            return
        store, ids = started
        tags = list(dict.fromkeys(t for i in ids for t in store.get(i).tags))
        if not tags:
            file_tags = any(self.corpus.get(i).tags for i in ids)
            extra = " (tags from the file's front matter stay: edit the file to drop them)" if file_tags else ""
            self._refuse(f"{self._describe(ids)} has no tags of yours to remove{extra}.")
            return

        def done(tag: str | None) -> None:
            if tag is not None:
                self.apply_change(lambda: store.remove_tags(ids, [tag]), reorder=self.filtering)

        self.app.push_screen(UntagScreen(self._describe(ids), tags), done)

    def action_note(self) -> None:
        from briefing.tui.screens.note import NoteScreen
        from briefing.tui.screens.note_pick import NEW, NotePickScreen

        started = self._start()
        if started is None:
            return
        store, (article_id,) = started[0], started[1][:1]
        what = self._describe([article_id])
        notes = [n.text for n in store.get(article_id).notes]

        def write(text: str | None, index: int = NEW) -> None:
            if text is None:
                return
            if index == NEW:
                self.apply_change(lambda: store.add_note(article_id, text), reorder=False)
            else:
                self.apply_change(lambda: store.edit_note(article_id, index, text), reorder=False)

        def picked(index: int | None) -> None:
            if index is None:
                return
            if index == NEW:
                self.app.push_screen(NoteScreen(what), write)
            else:
                self.app.push_screen(NoteScreen(what, notes[index], editing=True), lambda text: write(text, index))

        if notes:
            self.app.push_screen(NotePickScreen(what, notes), picked)
        else:
            self.app.push_screen(NoteScreen(what), write)

    def action_highlight(self) -> None:
        from briefing.tui.screens.highlight import HighlightScreen
        from briefing.tui.widgets.reader import Reader

        if self.current_id is None or self.current_article is None:
            self._refuse("Open an article first: h keeps a passage of the article being read.")
            return
        store = self._writable_store()
        if store is None:
            return
        reader = self.query_one(Reader)
        quote = reader.selected_text().strip() or reader.current_sentence
        if not quote:
            self._refuse("Choose a passage first: . and , move through the summary sentences (or select text with the mouse).")
            return
        article_id = self.current_id

        def done(comment: str | None) -> None:
            if comment is not None:
                if self.apply_change(lambda: store.add_highlight(article_id, quote, comment), reorder=False):
                    self.clear_selection()

        self.app.push_screen(HighlightScreen(quote), done)

    def action_toggle_flag(self) -> None:
        started = self._start(bulk=True)
        if started is not None:
            store, ids = started
            self.apply_change(lambda: store.toggle_flag(ids), reorder=self.filtering)

    def action_toggle_read(self) -> None:
        started = self._start(bulk=True)
        if started is not None:
            store, ids = started
            self.apply_change(lambda: store.toggle_read(ids), reorder=self.filtering)

    def action_set_date(self) -> None:
        from briefing.tui.screens.date import DateScreen

        started = self._start()
        if started is None:
            return
        store, ids = started[0], started[1][:1]
        current = store.get(ids[0]).date

        def done(value: str | None) -> None:
            if value is not None:
                self.apply_change(lambda: store.set_date(ids, value.strip() or None))

        self.app.push_screen(DateScreen(self._describe(ids), current.isoformat() if current else ""), done)

    def action_edit_title(self) -> None:
        from briefing.tui.screens.title import TitleScreen

        started = self._start()
        if started is None:
            return
        store, ids = started[0], started[1][:1]
        meta = self.corpus.get(ids[0])
        current = store.get(ids[0]).title
        shown = clean_line(current if current is not None else meta.title)

        def done(value: str | None) -> None:
            if value is None or (current is None and value == shown):
                return  # cancelled, or the file's title left as it was
            self.apply_change(lambda: store.set_title(ids, value if value.strip() else None))

        self.app.push_screen(TitleScreen(self._describe(ids), shown), done)

    def action_undo(self) -> None:
        store = self._writable_store()
        if store is None:
            return
        if not store.can_undo():
            self.app.bell()
            self.app.notify("Nothing to undo.", timeout=3, markup=False)
            return
        change = self.apply_change(store.undo)
        if change is not None:
            self.app.notify(clean_line(f"Undone: {change.action.removeprefix('undo ')}"), timeout=3, markup=False)

    # --- filter ------------------------------------------------------------------------

    def action_filter(self) -> None:
        from briefing.tui.screens.filter import FilterScreen

        if self.corpus is None:
            return
        store = self.store
        if store is None:
            self._refuse(getattr(self, "annotations_problem", None) or "Annotations are not open yet.")
            return

        def done(flt) -> None:
            if flt is not None:
                self.set_filter(flt)

        self.app.push_screen(FilterScreen(self.filter, store.all_tags(self.corpus.articles)), done)

    @property
    def filtering(self) -> bool:
        """A list filter is on: a change of tags or status may add or drop rows."""
        return bool(self.filter.tags or self.filter.status or self.filter.since or self.filter.until)

    def set_filter(self, flt) -> None:
        self.filter = flt
        if self.corpus is not None and self.corpus.articles:
            self._show_list()

    def action_clear_filter(self) -> None:
        from briefing.annotations.filter import Filter

        if self.filter == Filter():
            self.app.bell()
            return
        self.set_filter(Filter())

    # --- export --------------------------------------------------------------------

    def export_filter(self):
        """The list's filter and search, as the export takes them."""
        search = self.query_text.strip() if self.hits is not None else ""
        return replace(self.filter, search=search or None)

    def action_export(self) -> None:
        from briefing.tui.screens.export import ExportScreen

        if self.corpus is None or not self.corpus.articles:
            self._refuse("Nothing to export: no articles are loaded.")
            return
        store = self.store
        if store is None:
            self._refuse(getattr(self, "annotations_problem", None) or "Annotations are not open yet.")
            return
        corpus = ListedCorpus(self.corpus, self.hits)
        self.app.push_screen(ExportScreen(corpus, store, self.export_filter(), folder=self.export_folder()))

    def export_folder(self):
        from pathlib import Path

        return Path.cwd()
