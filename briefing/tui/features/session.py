"""Reopening a corpus where it was left: cursor, open article and scroll, search,
filter and layout (the file: :mod:`briefing.session`).

Restored once, when the corpus is loaded in full (ids in the first page from the
cache could be missing); saved when the reader closes. A session file that cannot
be trusted is ignored with a one-line notice; an article that is gone falls back
to the first article.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from textual.widgets import Input

from briefing.annotations.filter import Filter
from briefing.sanitize import clean_line
from briefing.session import Session, SessionError, load_session, save_session
from briefing.tui.features.host import ListHost
from briefing.tui.features.search import Search


class SessionHost(ListHost, Protocol):
    def open_article(self, article_id: str, *, mark: bool = True) -> None: ...


class SessionFeature:
    def __init__(self, host: SessionHost, *, set_layout: Callable[[bool | None, str | None], None],
                 set_filter: Callable[[Filter], None], search: Search,
                 first: Callable[[], None], hold: Callable[[str], None] = lambda article_id: None) -> None:
        self.host = host
        self._set_layout = set_layout
        self._set_filter = set_filter
        self._search = search
        self._first = first
        self._hold = hold
        self.restored = False  # restore runs once per screen
        self.notice: str | None = None  # why the session file was ignored (also notified)
        self._widgets: tuple[Any, Any] | None = None  # (list, reader), kept: saved after they are unmounted

    def load(self) -> Session | None:
        try:
            return load_session(self.host.state.root)
        except SessionError as exc:
            self.notice = f"Session ignored: {clean_line(str(exc))}"
            self.host.node.app.notify(self.notice, title="Session", severity="warning", timeout=8, markup=False)
            return None

    def restore(self) -> bool:
        """Put the reader back where the session left it; False when there was none
        (the caller shows the first article)."""
        if self.restored:
            return False
        self.restored = True
        self._widgets = (self.host.articles, self.host.reader)
        session = self.load()
        if session is None:
            return False
        host, state = self.host, self.host.state
        self._set_layout(session.compact, session.layout)
        if session.filter != Filter():
            self._set_filter(session.filter)
        if session.search.strip():
            self._restore_search(session.search)
        articles = host.articles
        if session.open is not None and state.listed(session.open):
            host.open_article(session.open, mark=False)  # read or not, as it was left
            if session.scroll:
                self._scroll_when_shown(session.open, session.scroll)
        else:
            self._first()
        if session.cursor is not None and state.listed(session.cursor):
            self._hold(session.cursor)  # the cursor comes back without replacing the open article
            articles.highlight_id(session.cursor)
        return True

    def _restore_search(self, text: str) -> None:
        """The search field open with ``text``, and its results listed (in a worker)."""
        bar = self._search.bar
        with bar.prevent(Input.Changed):  # one search, not a second one for the field's change
            bar.value = text
        bar.display = True
        self._search.run(text, at_once=True)  # (not typed: no typing pause)

    def _scroll_when_shown(self, article_id: str, scroll: int, tries: int = 250) -> None:
        """Scroll the reading pane once the article's text is laid out (a worker may
        read it; the layout comes a frame later): tried every 20 ms for up to 5 s, then
        as far as the text goes."""
        host, reader = self.host, self.host.reader

        def attempt(left: int, tried: bool) -> None:
            if host.state.current_id != article_id:
                return  # the user moved on
            laid_out = host.state.current_article is not None and reader.max_scroll_y >= 1
            if laid_out and (reader.max_scroll_y >= scroll or left <= 0):
                want = min(scroll, reader.max_scroll_y)
                if tried and round(reader.scroll_y) == want:
                    return  # there, and not sent home since by the opening's own scroll (it comes a frame later)
                reader.scroll_to(y=want, animate=False, immediate=True)
                tried = True
            if left > 0:
                host.node.set_timer(0.02, lambda: attempt(left - 1, tried))

        host.node.call_after_refresh(attempt, tries, False)

    def current(self) -> Session:
        state = self.host.state
        articles, reader = self._widgets or (self.host.articles, self.host.reader)
        return Session(
            cursor=articles.highlighted_id,
            open=state.current_id,
            scroll=int(reader.scroll_y),
            search=state.query_text if state.hits is not None else "",
            filter=state.filter,
            compact=state.compact,
            layout=state.layout,
        )

    def save(self) -> None:
        """Write the session (the reader is closing: a failure is only lost state)."""
        if not self.restored or not self.host.state.loaded:
            return  # closed before the corpus loaded: keep the last session as it was
        try:
            save_session(self.host.state.root, self.current())
        except (OSError, ValueError):
            pass
