"""``a`` on an article that has notes: write a new one or pick one to edit."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from briefing.tui.screens.dialog import Dialog, hint_widget, plain_line, title_widget

NEW = -1


class NotePickScreen(Dialog[int]):
    """Returns NEW (-1) for a new note, the index of the note to edit, or None."""

    def __init__(self, what: str, notes: list[str]) -> None:
        super().__init__()
        self.what = what
        self.notes = notes

    def compose(self) -> ComposeResult:
        options = [Option(plain_line("＋ a new note"), id="new")]
        for i, text in enumerate(self.notes):
            first = next((line for line in text.splitlines() if line.strip()), "")
            options.append(Option(plain_line(f"{i + 1}. {first[:70]}"), id=str(i)))
        with Vertical(id="dialog"):
            yield title_widget(f"Notes on {self.what}")
            yield OptionList(*options, markup=False, id="note-list")
            yield hint_widget("enter writes a new note or edits the one chosen · escape cancels")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(NEW if event.option.id == "new" else int(event.option.id or NEW))
