"""``h``: keep a passage (the current summary sentence or a selection) as a highlight,
with an optional comment."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Static

from briefing.sanitize import clean_text
from briefing.tui.screens.dialog import Dialog, hint_widget, title_widget


class HighlightScreen(Dialog[str]):
    """Returns the comment ("" for none), or None when cancelled."""

    def __init__(self, quote: str, comment: str = "", *, editing: bool = False) -> None:
        super().__init__()
        self.quote = quote
        self.comment = comment  # the comment to start from (editing a highlight)
        self.editing = editing

    def compose(self) -> ComposeResult:
        shown = " ".join(clean_text(self.quote).split())
        with Vertical(id="dialog"):
            yield title_widget("Edit the comment of this highlight" if self.editing else "Highlight this passage")
            yield Static(Content.assemble(("“", ""), (shown, "italic"), ("”", "")), id="quote")
            yield Static(Content("Comment (optional)"), classes="dialog-label")
            yield Input(clean_text(self.comment), placeholder="why it matters", id="comment", compact=True)
            yield hint_widget("enter saves (an empty comment removes it) · escape cancels" if self.editing
                              else "enter saves · escape cancels")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)
