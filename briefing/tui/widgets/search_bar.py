"""The search field: results update as you type; escape clears and closes it.

Control and format characters (pasted, or set by a caller) become spaces in the
field itself, so an escape sequence never reaches the terminal through it; the
query language reads a control byte as a space anyway.
"""

from __future__ import annotations

from textual.message import Message
from textual.widgets import Input

from briefing.tui import bindings


class SearchBar(Input):
    BINDINGS = bindings.SEARCH_BAR

    class Closed(Message):
        """Escape: the search is cleared."""

    class Done(Message):
        """Enter or down: go to the results, keep the search."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder="search titles and text…", id=id)

    def validate_value(self, value: str) -> str:
        if value.isprintable():
            return value
        return "".join(c if c.isprintable() or c == " " else " " for c in value)

    def action_close(self) -> None:
        self.post_message(self.Closed())

    def action_done(self) -> None:
        self.post_message(self.Done())

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Done())
