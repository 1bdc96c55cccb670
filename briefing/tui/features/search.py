"""The search field (``/``) and the list filter (``F``, ``C``); escape clears them.

What is typed is a query in the query language (:mod:`briefing.querylang`), parsed
on every key: a text that does not parse shows where and why under the field (a
caret under the place) and the list keeps the last good result. The search runs in
a worker: through the index once it is ready, a scan of the first page's bodies
until then (:mod:`briefing.tui.searching`). While keys come it waits: it starts
once no key came for :data:`TYPING_PAUSE_S` (enter starts it at once), so a word
typed at a million articles is not searched for each of its prefixes ("o" and "ob"
match a fifth of the articles). A search typed over is told to stop (at its next
check: a statement it is running on the index ends first; an interrupted one would
read as a damaged cache there). A result for a text typed over since, or for a
corpus since replaced, is dropped. ``]`` / ``[`` go to the next / previous match in
the open article; an article opened from a search shows its first match.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from textual import work
from textual.content import Content
from textual.css.query import NoMatches
from textual.dom import DOMNode
from textual.widgets import Static
from textual.worker import get_current_worker

from briefing.annotations.filter import Filter
from briefing.corpus.view import CorpusView
from briefing.heap import give_back
from briefing.querylang import Query, QueryError, parse
from briefing.sanitize import clean_line
from briefing.tui.features.host import ListHost
from briefing.tui.messages import SearchDone
from briefing.tui.screens.filter import FilterScreen
from briefing.tui.searching import (
    SNIPPET_HITS,
    Hits,
    find,
    first_page,
    missing_snippets,
    needs_texts,
    with_snippets,
)
from briefing.tui.widgets.search_bar import SearchBar

BODIES_KEPT = 512  # article bodies kept for the scan search before the index is ready (the first page is 200)
TYPING_PAUSE_S = 0.15  # a search typed starts once no key came for this long (enter: at once)


class Start:
    """When a search's worker starts: after the typing pause, at once when told
    (:meth:`now`: enter), never once called off (:meth:`call_off`: typed over)."""

    def __init__(self, pause: float) -> None:
        self.pause = pause
        self._woken = threading.Event()
        self.called_off = False

    def now(self) -> None:
        self._woken.set()

    def call_off(self) -> None:
        self.called_off = True
        self._woken.set()

    def wait(self) -> bool:
        """(the worker's thread) Wait for the pause, or to be woken; True: go on."""
        if self.pause > 0:
            self._woken.wait(self.pause)
        return not self.called_off


class Bodies:
    """Article bodies for the scan search, most recently used kept (any thread)."""

    def __init__(self) -> None:
        self._bodies: OrderedDict[str, str] = OrderedDict()

    def __len__(self) -> int:
        return len(self._bodies)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._bodies

    def keep(self, article_id: str, body: str) -> None:
        bodies = self._bodies
        bodies[article_id] = body
        bodies.move_to_end(article_id)
        while len(bodies) > BODIES_KEPT:
            bodies.popitem(last=False)

    def cached(self, article_id: str) -> str | None:
        """The body when it is kept, else None (nothing is read)."""
        return self._bodies.get(article_id)

    def of(self, corpus: CorpusView, article_id: str) -> str:
        body = self._bodies.get(article_id)
        if body is None:
            body = corpus.article(article_id).body
            self.keep(article_id, body)
        return body


@work(thread=True, exclusive=True, group="search", exit_on_error=False, description="search")
def search_worker(node: DOMNode, corpus: CorpusView, text: str, bodies: Bodies,
                  titles: dict[str, str] | None = None, query: Query | None = None, annotations: object = None,
                  start: Start | None = None) -> None:
    """``titles``: the analyst's titles (a snapshot), which match and show in the hits;
    ``annotations``: the annotation document (immutable) for tags, states and dates;
    ``start``: when to start (None: at once). Cancelled, the worker stops at its next check."""
    worker = get_current_worker()
    if start is not None and (not start.wait() or worker.is_cancelled):
        return  # typed over during the pause: nothing was searched
    try:
        _search(node, corpus, text, bodies, titles, query, annotations)
    finally:
        give_back()  # what the evaluation freed (a million rows' worth at most) goes back to the system


def _search(node: DOMNode, corpus: CorpusView, text: str, bodies: Bodies, titles: dict[str, str] | None,
            query: Query | None, annotations: object) -> None:
    worker = get_current_worker()
    if query is not None and needs_texts(query):  # a phrase: its first page first, then every match
        try:
            page = first_page(corpus, query, SNIPPET_HITS, body=lambda article_id: bodies.of(corpus, article_id),
                              should_stop=lambda: worker.is_cancelled, titles=titles, annotations=annotations)
        except Exception:  # noqa: BLE001 - the whole search below says what went wrong
            page = None
        if page is not None and not worker.is_cancelled:
            node.post_message(SearchDone(text, page[0], corpus))
            if page[1]:
                return
    def read(article_id: str) -> str:
        return bodies.of(corpus, article_id)

    try:  # through the index once it is ready; a scan of the first page until then
        found = find(corpus, query if query is not None else text, body=read, should_stop=lambda: worker.is_cancelled,
                     titles=titles, annotations=annotations,
                     snippet_body=bodies.cached if query is not None else None)
    except Exception as exc:  # never a traceback for a search
        if worker.is_cancelled:
            return  # typed over meanwhile: what it says no longer matters
        node.app.call_from_thread(node.app.notify, f"Search failed: {clean_line(str(exc))}", severity="error",
                                  markup=False)
        found = Hits.of({})
    if found is None or worker.is_cancelled:
        return
    node.post_message(SearchDone(text, found, corpus))  # the list at once; snippets of unread files next
    if query is not None and missing_snippets(found):
        try:
            whole = with_snippets(corpus, query, found, read, should_stop=lambda: worker.is_cancelled)
        except Exception:  # noqa: BLE001 - snippets are optional; the hits are shown
            whole = None
        if whole is not None and not worker.is_cancelled:
            node.post_message(SearchDone(text, whole, corpus))


class Search:
    def __init__(self, host: ListHost) -> None:
        self.host = host
        self.bodies = Bodies()
        self._start: Start | None = None  # the latest search's start (waiting out the typing pause)

    @property
    def bar(self) -> SearchBar:
        return self.host.node.query_one(SearchBar)

    def open(self) -> None:
        bar = self.bar
        bar.display = True
        bar.focus()

    def run(self, text: str, *, at_once: bool = False) -> None:
        """Search for ``text`` (the field changed): once the typing pauses, or
        ``at_once``; the search running or waiting for an older text is stopped."""
        state = self.host.state
        try:
            query = parse(text, typing=True)
        except QueryError as err:
            self._show_error(text, err)
            return  # the list keeps the last good result
        self._show_error(text, None)
        searchable = not query.empty
        if not searchable and state.hits is None and text == state.query_text:
            return  # already showing everything for this text (escape sets the field and clears: one rebuild)
        state.query_text = text
        if not searchable:  # nothing searchable yet (e.g. "[/]"): everything
            self.host.node.workers.cancel_group(self.host.node, "search")
            self._call_off()
            state.hits = None
            self._show()
            return
        if state.corpus is None:
            return
        self.host.show_status(busy="searching…")
        store = getattr(self.host, "store", None)
        self._call_off()
        self._start = start = Start(0.0 if at_once else TYPING_PAUSE_S)
        search_worker(self.host.node, state.corpus, text, self.bodies, self._titles(), query,
                      store.document if store is not None else None, start)

    def now(self) -> None:
        """Enter: the search typed starts now, not after the typing pause."""
        if self._start is not None:
            self._start.now()

    def _call_off(self) -> None:
        """The search waiting out the typing pause never starts (its text was typed over)."""
        if self._start is not None:
            self._start.call_off()
            self._start = None

    def _show_error(self, text: str, err: QueryError | None) -> None:
        """Under the field: a caret under the place the query goes wrong, and why."""
        try:
            line = self.host.node.query_one("#search-error", Static)
        except NoMatches:
            return
        if err is None:
            if line.display:
                line.display = False
            return
        line.update(error_line(text, err, self.bar))
        line.display = True

    # --- matches in the open article ------------------------------------------------------

    def jump_match(self, step: int) -> None:
        """``]`` / ``[``: the next / previous match of the search in the article."""
        if self.host.reader.jump_match(step) is None:
            self.host.node.app.bell()

    def reveal_first_match(self) -> None:
        """An article opened from a search: its first match scrolled into view."""
        if self.host.state.searched:
            self.host.reader.jump_match(1, animate=False)

    def _titles(self) -> dict[str, str]:
        """The analyst's titles, display-clean, as the list shows them."""
        store = getattr(self.host, "store", None)
        if store is None:
            return {}
        return {aid: clean_line(title) for aid, title in store.analyst_titles().items()}  # (nothing parsed)

    def again(self) -> None:
        """The corpus changed: the search shown runs again on it."""
        state = self.host.state
        if state.hits is not None and state.query_text:
            self.run(state.query_text, at_once=True)

    def done(self, message: SearchDone) -> None:
        state = self.host.state
        if message.query != state.query_text or message.corpus is not state.corpus:
            return  # typed on since, or the list was replaced
        state.hits = message.hits  # lazy past the first page: nothing built per hit here
        self._show()

    def _show(self) -> None:
        if not self.host.state.loaded:
            return
        self.host.show_list()
        self.host.reader.show_search(self.host.state.searched)

    def to_results(self) -> None:
        self.now()  # (enter: what was typed is searched without the typing pause)
        articles = self.host.articles
        if articles.display:
            articles.focus()

    def clear(self) -> None:
        """Escape: clear the search; with none, unmark the rows; then clear the filter."""
        state, bar = self.host.state, self.bar
        if not bar.display and state.hits is None and not state.query_text:
            if self.host.articles.clear_marks():
                return
            if state.filter != Filter():
                self.set_filter(Filter())
            return
        was_open = bar.display or state.hits is not None
        bar.value = ""
        bar.display = False
        self.run("")
        self._show_error("", None)
        if was_open and state.loaded:
            self.host.articles.focus()

    # --- the list filter ----------------------------------------------------------------

    def edit_filter(self, known_tags: list[str]) -> None:
        def done(flt: Filter | None) -> None:
            if flt is not None:
                self.set_filter(flt)

        self.host.node.app.push_screen(FilterScreen(self.host.state.filter, known_tags), done)

    def set_filter(self, flt: Filter) -> None:
        self.host.state.filter = flt
        if self.host.state.loaded:
            self.host.show_list()

    def clear_filter(self) -> None:
        if self.host.state.filter == Filter():
            self.host.node.app.bell()
            return
        self.set_filter(Filter())


def error_line(text: str, err: QueryError, bar: SearchBar | None = None) -> Content:
    """``^^^ why`` with the carets under the characters at fault in the field (plain
    Content, never markup: the message quotes what was typed). Without the field's
    geometry, or when the place is scrolled out of it, the message says where instead."""
    from rich.cells import cell_len

    message = clean_line(err.message)
    if bar is not None and bar.region.width:
        left = bar.content_region.x - bar.region.x  # the field's padding
        start = left + cell_len(clean_line(text[: err.start])) - int(bar.scroll_offset.x)
        width = max(1, cell_len(clean_line(text[err.start : err.end])))
        if 0 <= start < bar.region.width - 1:
            width = min(width, bar.region.width - start)
            return Content.assemble(" " * start, ("^" * width, "bold $text-error"), " ", (message, "$text-error"))
    return Content.styled(f"at character {err.start + 1}: {message}", "$text-error")
