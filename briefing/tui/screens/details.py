"""The article's details on demand (i): every field the two lines of the reading pane cut."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from briefing.tui import bindings


class DetailsScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    DetailsScreen {
        align: center middle;
        background: $background 60%;
    }
    #details-body {
        width: 90;
        max-width: 100%;
        height: auto;
        max-height: 90%;
        padding: 1 2;
        border: round $accent;
        border-title-color: $text-accent;
        background: $surface;
    }
    #details-hint {
        color: $text-muted;
        margin: 1 0 0 0;
    }
    """
    BINDINGS = bindings.DETAILS_SCREEN

    def __init__(self, content: Content) -> None:
        super().__init__()
        self._content = content

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="details-body") as body:
            body.border_title = "Details"
            yield Static(self._content, id="details-text")
            yield Static(Content("Escape, q or i closes."), id="details-hint")
