"""``P`` on an article with several notes or highlight comments: choose the one
whose private mark to switch (private text never goes into an export unless the
export is asked to include it)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from briefing.tui.screens.dialog import Dialog, hint_widget, plain_line, title_widget


class PrivatePickScreen(Dialog[int]):
    """Returns the index (in ``entries``) of the entry to switch, or None."""

    def __init__(self, what: str, entries: list[str]) -> None:
        super().__init__()
        self.what = what
        self.entries = entries

    def compose(self) -> ComposeResult:
        options = [Option(plain_line(text), id=str(i)) for i, text in enumerate(self.entries)]
        with Vertical(id="dialog"):
            yield title_widget(f"Private or shared: {self.what}")
            yield OptionList(*options, markup=False, id="private-list")
            yield hint_widget("enter switches the chosen note or comment between private and shared · escape cancels")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(int(event.option.id or 0))
