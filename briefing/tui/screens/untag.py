"""``T``: remove one of the analyst's tags (tags from the file's front matter stay)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from briefing.tui.screens.dialog import Dialog, hint_widget, plain_line, title_widget


class UntagScreen(Dialog[str]):
    """Pick a tag; returns it exactly as stored (raw), or None when cancelled."""

    def __init__(self, what: str, tags: list[str]) -> None:
        super().__init__()
        self.what = what
        self.tags = tags

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield title_widget(f"Remove a tag from {self.what}")
            yield OptionList(*[Option(plain_line(tag), id=str(i)) for i, tag in enumerate(self.tags)], markup=False, id="tag-list")
            yield hint_widget("↑/↓ choose · enter removes · escape cancels")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.tags[event.option_index])
