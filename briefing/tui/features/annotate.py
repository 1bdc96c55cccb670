"""The annotation keys: tags, notes, highlights, flag, read state, date, title, undo.

Talks to the annotations store (``briefing.annotations``) from the app's thread only.
Everything the store returns for the user (``Change.messages``, errors) is shown as
plain text, never markup. Which articles an action acts on is
:func:`briefing.tui.state.targets`: ``t``, ``T``, ``f`` and ``u`` act on the marked
rows, else on every member of the story row in focus, else on the article in focus;
the others on the article in focus.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from textual.content import Content
from textual.widgets import Static

from briefing.annotations import AnnotationError, AnnotationStore, Change, open_store
from briefing.annotations.corrected import date_origin, lang_origin, title_origin
from briefing.annotations.verify import VALID
from briefing.corpus.view import known_articles
from briefing.listing.tagrows import tag_source
from briefing.listing.window import Listing
from briefing.model import ArticleMeta
from briefing.sanitize import clean_line
from briefing.tui import state as view
from briefing.tui.features.highlights import mouse_passage
from briefing.tui.features.host import AnnotateHost
from briefing.tui.marks import StoreMarks
from briefing.tui.messages import AnnotationsChecked
from briefing.tui.screens.date import DateScreen
from briefing.tui.screens.highlight import HighlightScreen
from briefing.tui.screens.note import NoteScreen
from briefing.tui.screens.note_pick import NEW, NotePickScreen
from briefing.tui.screens.tags import TagScreen
from briefing.tui.screens.title import TitleScreen
from briefing.tui.screens.untag import UntagScreen
from briefing.tui.state import Targets


class Annotate:
    """The annotations of the open corpus, and the keys that change them."""

    def __init__(self, host: AnnotateHost) -> None:
        self.host = host
        self.problem: str | None = None  # why annotations cannot be used (shown in a line that stays)
        self._listing = view.Listing()

    # --- the store --------------------------------------------------------------------

    @property
    def store(self) -> AnnotationStore | None:
        marks = self.host.marks
        return marks.store if isinstance(marks, StoreMarks) else None

    def open(self, *, partial: bool = False) -> None:
        """Open the annotations of the corpus and say where they are kept, once; a
        file that cannot be used is named in a line that stays.

        ``partial``: only the first page of the corpus is known (the index is still
        refreshing): the store opens on those articles, so markers show and keys
        work on the rows listed; renamed files are followed once the whole corpus
        is loaded (a second call without ``partial``)."""
        marks, state = self.host.marks, self.host.state
        if not isinstance(marks, StoreMarks) or state.corpus is None:
            return
        state.listing_generation += 1  # the store is (re)read below
        app = self.host.node.app
        articles = known_articles(state.corpus)
        if marks.store is not None:  # opened on the first page: now the whole corpus
            try:
                if partial:
                    marks.store.attach(articles)
                    return
                report = marks.store.reconcile(articles)
            except Exception as exc:
                app.notify(clean_line(f"Annotations: {type(exc).__name__}: {exc}"), severity="error", markup=False)
                return
            for message in report.messages():
                app.notify(clean_line(message), title="Annotations", timeout=8, markup=False)
            return
        marks.on_error = lambda text: app.notify(clean_line(text), title="Annotations", severity="error", markup=False)
        try:  # a large file never seen before opens at once and is checked in the background
            if partial:
                store, report = open_store(state.root, check_later=True)
                store.attach(articles)
            else:
                store, report = open_store(state.root, articles, check_later=True)
        except Exception as exc:  # an unexpected failure must not stop the reading
            self._set_problem(f"Annotations are not available: {type(exc).__name__}: {exc}")
            return
        marks.attach(store)
        self.problem = None
        self.follow_check(store)
        if store.read_only:
            self._set_problem(f"Annotations are read-only: {store.error}")
        elif not store.location.in_corpus:
            app.notify(clean_line(store.location.message), title="Annotations", timeout=8, markup=False)
        for message in [*store.messages, *report.messages()]:
            app.notify(clean_line(message), title="Annotations", timeout=8, markup=False)

    def follow_check(self, store: AnnotationStore) -> None:
        """When ``store``'s file is being checked in the background (opened unverified,
        or read again once fixed), have its end handled here (:meth:`checked`)."""
        if store.checking:
            node = self.host.node

            def checked() -> None:  # on the check's thread: hand it over
                node.post_message(AnnotationsChecked(store))

            store.on_checked(checked)

    def checked(self, store: object) -> None:
        """The background check of the file opened unverified is done: applied here.
        A broken file is handled as one that turned broken on disk while the reader
        ran (:meth:`went_read_only`)."""
        if store is not self.store or self.store is None:
            return
        check = self.store.check
        reread = check is not None and check.outcome is not None and check.outcome.state == VALID
        messages = self.store.settle_check()
        if self.store.read_only:
            self.went_read_only(messages)
        elif reread:
            # Valid but not as briefing writes it: what the list showed was read from the
            # file's lines, the values now come from the whole parse: drawn again.
            self.host.state.listing_generation += 1
            self.host.show_list()
            self.show_current()
        self.host.show_status()

    def went_read_only(self, messages: list[str]) -> None:
        """The file turned out broken (changed on disk into something invalid, or its
        background check failed): the line that stays, an error told once, and the
        list and the open article drawn again from what the store now holds."""
        store = self.store
        if store is None:
            return
        for text in messages:
            if text and text != store.error:
                self.host.node.app.notify(clean_line(text), title="Annotations", severity="error", timeout=15,
                                          markup=False)
        self._set_problem(f"Annotations are read-only: {store.error}")
        self.host.state.listing_generation += 1
        self.host.show_list()
        self.show_current()

    def writable_again(self) -> None:
        """The file was fixed and read again: the line saying it was read-only goes."""
        if self.store is not None and not self.store.read_only:
            self._set_problem("")

    def _set_problem(self, text: str) -> None:
        self.problem = text
        line = self.host.node.query_one("#annotations-problem", Static)
        line.update(Content(clean_line(text)))
        line.display = bool(text)
        if text:
            self.host.node.app.notify(clean_line(text), title="Annotations", severity="error", timeout=12,
                                      markup=False)

    def open_store(self, why: str = "Annotations are not open yet.") -> AnnotationStore | None:
        """The store (read-only or not), or None after saying why there is none."""
        if self.store is None:
            self.host.refuse(self.problem or why)
        return self.store

    def writable_store(self) -> AnnotationStore | None:
        """The store, or None after telling the user why annotations cannot change."""
        store = self.store
        if store is None:
            self.host.refuse(self.problem or "Annotations are not open yet (the corpus is loading).")
            return None
        if store.read_only:
            self.host.refuse(f"Annotations are read-only: {store.error}")
            return None
        return store

    # --- what the list and the pane show ----------------------------------------------

    def shown_meta(self, meta: ArticleMeta) -> ArticleMeta:
        return view.shown_meta(meta, self.store)

    def listed_metas(self) -> list[ArticleMeta]:
        return self._listing.metas(self.host.state, self.store)

    def listing(self) -> Listing:
        """What the list shows (searched and filtered), read a window at a time."""
        return self._listing.listing(self.host.state, self.store)

    def listing_later(self) -> Callable[[Callable[[], bool]], Listing]:
        """:meth:`listing` of the state as it is now, to be made in a worker (given the
        worker's ``should_stop``: a newer list asked for stops this one's making)."""
        snapshot, store, listing = replace(self.host.state), self.store, self._listing
        listing.want(snapshot, store)
        return lambda should_stop: listing.listing(snapshot, store, should_stop)

    def show_current(self) -> None:
        """The open article's details with the analyst's corrections and annotations."""
        state = self.host.state
        if state.corpus is None or state.current_id is None:
            return
        try:
            meta = state.corpus.get(state.current_id)
        except KeyError:
            return
        store = self.store
        if store is None:
            self.host.reader.show_annotations(meta, None)
        else:
            origins = {"Date": date_origin(meta, store), "Title": title_origin(meta, store),
                       "Language": lang_origin(meta, store)}
            from briefing.tui.features.watchlists import mark_auto_tags  # automatic tags shown as +tag

            self.host.reader.show_annotations(mark_auto_tags(store.effective_meta(meta), store), store.view(meta), origins)

    # --- which articles ---------------------------------------------------------------

    def title_of(self, article_id: str) -> str:
        """The title a dialog names an article by (the analyst's, when set)."""
        state = self.host.state
        assert state.corpus is not None
        meta = state.corpus.get(article_id)
        return clean_line(self.shown_meta(meta).title).strip() or clean_line(meta.id)

    def story_title(self, article_id: str) -> str:
        state = self.host.state
        assert state.corpus is not None
        return view.title_line(self.shown_meta(state.corpus.get(article_id)))

    def choose(self, *, bulk: bool = False) -> tuple[AnnotationStore, Targets] | None:
        """The store and the articles an action acts on, or None after saying why not."""
        if self.host.state.corpus is None:
            return None
        store = self.writable_store()
        if store is None:
            return None
        chosen = view.targets(self.host.selection(), self.host.state.current_id, bulk=bulk,
                              title_of=self.story_title)
        if not chosen:
            self.host.refuse("No article to annotate: choose one in the list.")
            return None
        return store, chosen

    def describe(self, chosen: Targets) -> str:
        return view.describe(chosen, self.title_of)

    # --- applying a change --------------------------------------------------------------

    def apply(
        self, do: Callable[[], Change | None], *, reorder: bool = True, chosen: Targets | None = None
    ) -> Change | None:
        """Run a store mutation; show its messages, or its error, as plain text.
        ``reorder``: list the articles again (a date or title changed, or a filter is
        on), else only redraw the changed rows (cheap on a big corpus). ``chosen``:
        the targets, when they may be a story's members (the change then says so)."""
        app = self.host.node.app
        try:
            change = do()
        except (AnnotationError, ValueError, IndexError) as exc:
            app.bell()
            app.notify(clean_line(str(exc)), title="Not saved", severity="error", timeout=10, markup=False)
            store = self.store
            if store is not None and store.read_only and not self.problem:
                self._set_problem(f"Annotations are read-only: {store.error}")
            return None
        if change is None:
            return None
        for message in change.messages:
            app.notify(clean_line(message), title="Annotations", severity="warning", timeout=10, markup=False)
        self.host.after_change(list(change.article_ids), reorder=reorder)
        note = view.story_change_note(change, chosen) if chosen is not None else None
        if note is not None:
            app.notify(note, timeout=4, markup=False)
        return change

    def after_change(self, ids: list[str], *, reorder: bool = True) -> None:
        """Redraw what a change may have changed: the list (a date moves a row to its
        day; a filter may drop it) or only its rows, and the open article's details."""
        host = self.host
        host.state.listing_generation += 1  # dates or titles may have changed
        if reorder:
            host.show_list()
        else:
            host.articles.refresh_rows(ids)
        if host.state.current_id in ids:
            self.show_current()

    # --- the keys ---------------------------------------------------------------------

    def add_tags(self, initial: str = "", chosen: Targets | None = None) -> None:
        """``t`` (on the targets of a bulk action); with ``chosen`` and ``initial``,
        the dialog for those articles filled with suggested tags (``A``)."""
        if chosen is None:
            started = self.choose(bulk=True)
            if started is None:
                return
            store, chosen = started
        else:
            found = self.writable_store()
            if found is None:
                return
            store = found
        targets, corpus = chosen, self.host.state.corpus
        assert corpus is not None

        def done(tags: list[str] | None) -> None:
            if tags:
                self.apply(lambda: store.add_tags(targets.ids, tags), reorder=self.host.state.filtering,
                           chosen=targets)

        screen = TagScreen(self.describe(chosen), store.all_tags(tag_source(corpus)), initial=initial)
        self.host.node.app.push_screen(screen, done)

    def remove_tag(self) -> None:
        started = self.choose(bulk=True)
        if started is None:
            return
        store, chosen = started
        corpus = self.host.state.corpus
        assert corpus is not None
        tags = list(dict.fromkeys(t for i in chosen.ids for t in store.get(i).tags))
        if not tags:
            file_tags = any(corpus.get(i).tags for i in chosen.ids)
            extra = " (tags from the file's front matter stay: edit the file to drop them)" if file_tags else ""
            self.host.refuse(f"{self.describe(chosen)} has no tags of yours to remove{extra}.")
            return

        def done(tag: str | None) -> None:
            if tag is not None:
                self.apply(lambda: store.remove_tags(chosen.ids, [tag]), reorder=self.host.state.filtering,
                           chosen=chosen)

        self.host.node.app.push_screen(UntagScreen(self.describe(chosen), tags), done)

    def note(self) -> None:
        started = self.choose()
        if started is None:
            return
        store, chosen = started
        article_id = chosen.ids[0]
        what = self.describe(chosen)
        notes = [n.text for n in store.get(article_id).notes]
        app = self.host.node.app

        def write(text: str | None, index: int = NEW) -> None:
            if text is None:
                return
            if index == NEW:
                self.apply(lambda: store.add_note(article_id, text), reorder=False)
            else:
                self.apply(lambda: store.edit_note(article_id, index, text), reorder=False)

        def picked(index: int | None) -> None:
            if index is None:
                return
            if index == NEW:
                app.push_screen(NoteScreen(what), write)
            else:
                app.push_screen(NoteScreen(what, notes[index], editing=True), lambda text: write(text, index))

        if notes:
            app.push_screen(NotePickScreen(what, notes), picked)
        else:
            app.push_screen(NoteScreen(what), write)

    def highlight(self) -> None:
        state = self.host.state
        article_id = state.current_id
        if article_id is None or state.current_article is None:
            self.host.refuse("Open an article first: h keeps a passage of the article being read.")
            return
        store = self.writable_store()
        if store is None:
            return
        reader = self.host.reader
        chosen = mouse_passage(reader)  # snapped to word edges; which occurrence, when found twice
        quote = chosen.quote if chosen is not None else reader.current_sentence
        occurrence = chosen.occurrence if chosen is not None else 1
        if not quote:
            self.host.refuse("Choose a passage first: . and , move through the summary sentences "
                             "(or select text with the mouse, or V to select from the keyboard).")
            return

        def done(comment: str | None) -> None:
            if comment is not None and self.apply(lambda: store.add_highlight(article_id, quote, comment, occurrence),
                                                  reorder=False):
                self.host.node.clear_selection()

        self.host.node.app.push_screen(HighlightScreen(quote), done)

    def toggle_flag(self) -> None:
        started = self.choose(bulk=True)
        if started is not None:
            store, chosen = started
            self.apply(lambda: store.toggle_flag(chosen.ids), reorder=self.host.state.filtering, chosen=chosen)

    def toggle_read(self) -> None:
        started = self.choose(bulk=True)
        if started is not None:
            store, chosen = started
            self.apply(lambda: store.toggle_read(chosen.ids), reorder=self.host.state.filtering, chosen=chosen)

    def dismiss(self) -> None:
        """``D``: dismiss the targets as not relevant (hidden from the list unless
        dismissed articles are shown), or bring them back when all of them already
        are; one undo step; says how many changed."""
        started = self.choose(bulk=True)
        if started is None:
            return
        store, chosen = started
        back = all(store.get(i).dismissed for i in chosen.ids)
        change = self.apply(lambda: store.set_dismissed(chosen.ids, not back), chosen=chosen)
        if change is None:
            return
        count = sum(1 for i in change.article_ids if change.before[i] != change.after.get(i))
        what = f"{count} article{'s' if count != 1 else ''}"
        told = view.story_change_note(change, chosen) is not None  # "Dismissed 2 articles of the story …"
        if back:
            text = "" if told else f"Brought back {what}."
        elif self.host.state.filter.show_dismissed:
            text = "" if told else f"Dismissed {what} (ctrl+z undoes)."
        elif told:
            text = "Hidden from the list (H shows dismissed articles; ctrl+z undoes)."
        else:
            text = f"Dismissed {what}: hidden from the list (H shows dismissed articles; ctrl+z undoes)."
        if not text:
            return
        self.host.node.app.notify(text, timeout=4, markup=False)

    def toggle_dismissed(self) -> None:
        """``H``: show the dismissed articles in the list, or hide them again."""
        state = self.host.state
        state.filter = replace(state.filter, show_dismissed=not state.filter.show_dismissed)
        self.host.node.app.notify("Dismissed articles shown." if state.filter.show_dismissed
                                  else "Dismissed articles hidden.", timeout=3, markup=False)
        self.host.show_list()

    def set_date(self) -> None:
        started = self.choose()
        if started is None:
            return
        store, chosen = started
        ids = chosen.ids[:1]
        current = store.get(ids[0]).date

        def done(value: str | None) -> None:
            if value is not None:
                self.apply(lambda: store.set_date(ids, value.strip() or None))

        shown = current.isoformat() if current else ""
        self.host.node.app.push_screen(DateScreen(self.describe(Targets(ids)), shown), done)

    def edit_title(self) -> None:
        started = self.choose()
        if started is None:
            return
        store, chosen = started
        ids = chosen.ids[:1]
        corpus = self.host.state.corpus
        assert corpus is not None
        current = store.get(ids[0]).title
        shown = clean_line(current if current is not None else corpus.get(ids[0]).title)

        def done(value: str | None) -> None:
            if value is None or (current is None and value == shown):
                return  # cancelled, or the file's title left as it was
            self.apply(lambda: store.set_title(ids, value if value.strip() else None))

        self.host.node.app.push_screen(TitleScreen(self.describe(Targets(ids)), shown), done)

    def undo(self) -> None:
        store = self.writable_store()
        if store is None:
            return
        app = self.host.node.app
        if not store.can_undo():
            app.bell()
            app.notify("Nothing to undo.", timeout=3, markup=False)
            return
        change = self.apply(store.undo)
        if change is not None:
            app.notify(clean_line(f"Undone: {change.action.removeprefix('undo ')}"), timeout=3, markup=False)
