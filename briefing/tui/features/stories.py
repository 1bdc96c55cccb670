"""Stories in the reader: grouping the corpus, comparing a story's versions, citing.

- once the whole corpus is loaded, the stories are grouped in a worker thread
  (``briefing.stories.group_stories``: read back from the index cache when nothing
  changed), with progress in the status line; the list then shows one row per story,
  keeping its cursor and marked rows. ``g`` turns the grouping off and on (saved in
  config.yaml as ``group_stories``);
- ``c`` compares the versions of the story in focus (or the marked rows) in
  :class:`~briefing.tui.screens.compare.CompareScreen`; citing a difference there adds
  a note to the article it was opened from, through the annotation store;
- opening a story row reads the story: every version is marked read.

Tagging, flagging or marking read a story row acts on every member (see
:func:`briefing.tui.state.targets`).
"""

from __future__ import annotations

from textual import work
from textual.dom import DOMNode
from textual.worker import get_current_worker

import briefing.stories as stories_package  # looked up at run time (tests slow the grouping down)
from briefing.annotations.corrected import CorrectedCorpus, Corrections
from briefing.corpus.view import CorpusView
from briefing.sanitize import clean_line
from briefing.stories.child import Fixes, group_large
from briefing.tui import state as view
from briefing.tui.features.host import AnnotationsHost
from briefing.tui.loading import HeadCorpus
from briefing.tui.messages import StoriesFailed, StoriesProgress, StoriesReady
from briefing.tui.screens.compare import CompareScreen

SIGNING_NICE = 10  # the signing processes give way to the reader (2 cores: they would take both)


@work(thread=True, exclusive=True, group="stories", exit_on_error=False, description="group stories")
def group_worker(node: DOMNode, corpus: CorpusView, shown: CorpusView | None = None,
                 fixes: Fixes | None = None) -> None:
    """Group ``shown`` (``corpus`` with the analyst's dates, ``fixes``: they decide the
    lead and the date window); the messages name ``corpus``. A large corpus's first
    grouping runs in a child process (:mod:`briefing.stories.child`)."""
    worker = get_current_worker()

    def progress(done: int, total: int) -> None:
        if total:  # a newer message replaces one the screen has not handled yet
            node.post_message(StoriesProgress(corpus, done, total))

    try:
        stories = group_large(stories_package.group_stories, shown if shown is not None else corpus, corpus.root,
                              fixes, progress=progress, cancel=lambda: worker.is_cancelled, nice=SIGNING_NICE)
    except stories_package.Cancelled:
        return
    except Exception as exc:  # noqa: BLE001 - grouping is a help, never a reason to stop reading
        if not worker.is_cancelled:
            node.post_message(StoriesFailed(corpus, f"{type(exc).__name__}: {exc}"))
        return
    if not worker.is_cancelled:
        node.post_message(StoriesReady(corpus, stories))


class StoryFeature:
    def __init__(self, host: AnnotationsHost) -> None:
        self.host = host
        self._grouped_for: CorpusView | None = None  # the corpus the grouping was started for
        self._corrections: Corrections | None = None  # the analyst's dates it was started with

    # --- grouping -----------------------------------------------------------------------

    def start(self) -> None:
        """Group the loaded corpus into stories in a worker (once per corpus)."""
        state = self.host.state
        corpus = state.corpus
        if corpus is None or isinstance(corpus, HeadCorpus) or not state.grouping or self._grouped_for is corpus:
            return
        self._grouped_for = corpus
        state.stories = None
        state.stories_note = "grouping stories…"
        self.host.show_status()
        self._group(corpus)

    def _group(self, corpus: CorpusView) -> None:
        store = self.host.store
        self._corrections = Corrections(store) if store is not None else None
        shown = CorrectedCorpus(corpus, fix=self._corrections) if self._corrections is not None else None
        group_worker(self.host.node, corpus, shown, self._corrections.fixes if self._corrections is not None else None)

    def dates_changed(self, ids: list[str]) -> None:
        """After a change of ``ids``: when the analyst's date of one of them is not the
        one the stories were grouped with, group again (the lead and the date window
        follow the corrected date). The rows keep the old stories until then."""
        state, store, corrections = self.host.state, self.host.store, self._corrections
        corpus = state.corpus
        if store is None or corrections is None or corpus is None or self._grouped_for is not corpus:
            return
        if all(store.get(article_id).date == corrections.date_of(article_id) for article_id in ids):
            return
        if state.grouping:
            self._group(corpus)
        else:
            self._grouped_for = None  # grouped again when grouping is turned on
            state.stories = None

    def progress(self, message: StoriesProgress) -> None:
        state = self.host.state
        if message.corpus is not self._grouped_for or state.stories is not None or not state.grouping:
            return  # stale: grouping was turned off (the worker stops at its next batch)
        state.stories_note = f"grouping stories {message.done:,}/{message.total:,}"
        self.host.show_status()

    def ready(self, message: StoriesReady) -> None:
        state = self.host.state
        if message.corpus is not state.corpus or not state.grouping:
            return  # a result for a corpus since replaced, or grouping turned off meanwhile
        state.stories = message.stories
        state.stories_note = ""
        if state.loaded:
            self.host.show_list()
        else:
            self.host.show_status()

    def failed(self, message: StoriesFailed) -> None:
        if message.corpus is not self.host.state.corpus:
            return
        self.host.state.stories_note = ""
        self.host.show_status()
        self.host.node.app.notify(clean_line(message.message), title="Stories not grouped", severity="warning",
                                  timeout=8, markup=False)

    def toggle(self) -> None:
        """``g``: grouping off or on (the caller saves the preference)."""
        state, app = self.host.state, self.host.node.app
        state.grouping = not state.grouping
        if state.grouping:
            app.notify("Stories grouped: one row per story." if state.stories is not None else "Grouping stories…",
                       timeout=3, markup=False)
            if state.stories is None:
                self._grouped_for = None
                self.start()
        else:
            self.host.node.workers.cancel_group(self.host.node, "stories")
            if state.stories is None:
                self._grouped_for = None
                state.stories_note = ""
            app.notify("Stories not grouped: one row per article.", timeout=3, markup=False)
        if state.loaded:
            self.host.show_list()

    def read(self, ids: tuple[str, ...]) -> None:
        """Opening a story row reads the story: every version is marked read (in
        memory at once, written with the other read marks). A version added later
        comes in unread, and the story row shows ● again."""
        for article_id in ids:
            self.host.marks.mark_read(article_id)
        self.host.articles.refresh_rows(ids)

    # --- compare ------------------------------------------------------------------------

    def _title(self, article_id: str) -> str:
        corpus = self.host.state.corpus
        assert corpus is not None
        return view.title_line(self.host.shown_meta(corpus.get(article_id)))

    def compare(self) -> None:
        state = self.host.state
        corpus = state.corpus
        if corpus is None:
            return
        choice = view.compare_choice(self.host.selection(), state, self._title)
        if choice.refusal:
            self.host.refuse(choice.refusal)
            return
        metas = []
        for article_id in choice.ids:
            try:
                metas.append(self.host.shown_meta(corpus.get(article_id)))
            except KeyError:
                continue
        if len(metas) < 2:
            self.host.refuse("Fewer than two of these articles are still in the folder.")
            return
        self.host.node.app.push_screen(CompareScreen(corpus, metas, cite_into=self.cite_into, story_size=choice.size))

    def cite_into(self, article_id: str, text: str) -> bool:
        """Add ``text`` as a note of ``article_id`` (undoable); say where it went."""
        store = self.host.writable_store()
        if store is None:
            return False
        if self.host.apply_change(lambda: store.add_note(article_id, text), reorder=False) is None:
            return False
        try:
            title = self._title(article_id)
            count = len(store.get(article_id).notes)
        except KeyError:
            return True
        self.host.node.app.notify(f"Cited in note {count} of “{title}” (back in the reader, ctrl+z undoes it).",
                                  title="Note added", timeout=5, markup=False)
        return True
