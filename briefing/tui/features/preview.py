"""The reading pane follows the list's cursor (a preview), and dwelling marks read.

A move of the cursor only (re)starts a short timer: the article under the cursor is
opened in the reading pane once the cursor has rested ``PREVIEW_DELAY_S`` (a run of
j/k presses opens nothing until it stops, so a keypress costs a timer, not a read).
A preview does not mark the article read: ``enter`` does, or resting on it for
``read_after_seconds`` (config.yaml; 0, the default, never). A preview due once the
reading pane has the focus (the cursor moved, then tab) is not shown: the pane keeps
the article being read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from textual.timer import Timer

from briefing.tui.features.host import Host

PREVIEW_DELAY_S = 0.15
NOTHING_TO_SHOW = (
    "Choose an article in the list: j/k or ↑/↓ to move, enter or l to open, / to search, ? for every key."
)


class PreviewHost(Host, Protocol):
    def open_article(self, article_id: str, *, mark: bool = True) -> None: ...


class Preview:
    def __init__(self, host: PreviewHost, mark_read: Callable[[str], None], *, unread: Callable[[str], bool],
                 read_after: float = 0.0) -> None:
        self.host = host
        self.mark_read = mark_read
        self.unread = unread
        self.read_after = read_after  # seconds resting on a preview before it is marked read (0: never)
        self.enabled = True
        self.delay = PREVIEW_DELAY_S
        self._timer: Timer | None = None
        self._dwell: Timer | None = None
        self._dwell_id: str | None = None
        self._first_id: str | None = None  # what the first screen showed
        self._held: str | None = None  # a cursor move not to preview (see hold)

    def moved(self, article_id: str) -> None:
        """The list's cursor moved to ``article_id``: show it once the cursor rests."""
        self._stop_dwell()
        if not self.enabled:
            return
        if self._held is not None:
            if self.host.articles.highlighted_id == self._held:
                return  # put back by the session: the pane keeps its article until the cursor leaves the row
            self._held = None
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self._showing_row(article_id) or self.host.state.layout == "list":
            return
        self._timer = self.host.node.set_timer(self.delay, self._due)

    def _showing_row(self, row_id: str) -> bool:
        """The pane already shows the row's article, or another version of the row's story
        (one opened by id, from the palette or a link, lands the cursor on its story's row)."""
        state = self.host.state
        current = state.current_id
        if current is None:
            return False
        if row_id == current:
            return True
        stories = state.shown_stories()
        story = stories.story_of(row_id) if stories is not None else None
        return story is not None and current in story.members

    def _due(self) -> None:
        self._timer = None
        articles = self.host.articles
        target = articles.highlighted_id
        if target is None or self._showing_row(target) or not articles.display:
            return
        if self.host.reader.has_focus:
            return  # the analyst went to the text meanwhile (tab): the article they read stays
        self.host.open_article(target, mark=False)
        self._start_dwell(target)

    def first(self) -> None:
        """The first screen: the article under the cursor (the first one), unread."""
        target = self.host.articles.highlighted_id if self.enabled else None
        if target is None:
            self.host.reader.show_message(NOTHING_TO_SHOW)
            return
        self._first_id = target
        self.host.open_article(target, mark=False)
        self._start_dwell(target)

    def hold(self, article_id: str) -> None:
        """The cursor is about to be put on ``article_id`` without showing it."""
        self._held = article_id

    def top(self) -> None:
        """The list's first article, under the cursor and in the pane (unread)."""
        self.host.articles.action_first()
        self.first()

    def first_again(self) -> None:
        """The whole list replaced the first page: its first article, unless the
        analyst has moved or opened another since the first page showed."""
        state, articles = self.host.state, self.host.articles
        if state.current_id is None:
            self.first()
            return
        if state.current_id != self._first_id or articles.highlighted_id != self._first_id:
            return
        articles.action_first()
        if articles.highlighted_id != state.current_id:
            self.first()

    def opened(self) -> None:
        """An article was opened (enter): it is read; no preview or dwell pending."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._stop_dwell()

    @property
    def pending(self) -> bool:
        """A preview is waiting for the cursor to rest (tests and the bench wait on it)."""
        return self._timer is not None

    def _start_dwell(self, article_id: str) -> None:
        self._stop_dwell()
        if self.read_after > 0 and self.unread(article_id):
            self._dwell_id = article_id
            self._dwell = self.host.node.set_timer(self.read_after, self._dwelt)

    def _stop_dwell(self) -> None:
        if self._dwell is not None:
            self._dwell.stop()
        self._dwell = None
        self._dwell_id = None

    def _dwelt(self) -> None:
        article_id, self._dwell, self._dwell_id = self._dwell_id, None, None
        if article_id is not None and article_id == self.host.state.current_id and self.unread(article_id):
            self.mark_read(article_id)

    def stop(self) -> None:
        self.opened()
