"""``a``: write a new note or edit one (multi-line); ctrl+s saves, escape cancels."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static, TextArea

from briefing.tui import bindings
from briefing.tui.screens.dialog import Dialog, hint_widget, title_widget


class NoteScreen(Dialog[str]):
    """Returns the text typed, or None when cancelled. When editing, an empty text
    means "delete this note" (the hint says so)."""

    BINDINGS = bindings.NOTE_DIALOG

    def __init__(self, what: str, text: str = "", editing: bool = False) -> None:
        super().__init__()
        self.what = what
        self.text = text
        self.editing = editing

    def compose(self) -> ComposeResult:
        verb = "Edit the note on" if self.editing else "New note on"
        with Vertical(id="dialog"):
            yield title_widget(f"{verb} {self.what}")
            yield TextArea(self.text, id="note-text", soft_wrap=True, tab_behavior="focus")
            yield Static(classes="dialog-error")
            extra = " · empty text deletes the note" if self.editing else ""
            yield hint_widget(f"ctrl+s saves · escape cancels{extra}")

    def on_mount(self) -> None:
        self.query_one(".dialog-error").display = False
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        text = self.query_one(TextArea).text
        if not text.strip() and not self.editing:
            self.show_error("The note is empty (escape cancels).")
            return
        self.dismiss(text)
