"""``t``: add tags (comma-separated) to the article or the marked articles."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from briefing.tui import bindings
from briefing.tui.screens.dialog import Dialog, hint_widget, title_widget
from briefing.tui.suggest import TagSuggester, split_tags


class TagInput(Input):
    """An input where tab takes the completion shown (when there is one)."""

    BINDINGS = bindings.TAG_INPUT

    def action_complete(self) -> None:
        suggestion = self._suggestion
        complete = not suggestion or not self.cursor_at_end or suggestion.casefold() == self.value.casefold()
        if suggestion and self.cursor_at_end and suggestion != self.value:
            self.value = suggestion  # the rest of the tag
            self.cursor_position = len(self.value)
        if complete:  # nothing left to complete: tab moves on, as in every other field
            self.screen.focus_next()


class TagScreen(Dialog[list[str]]):
    """Returns the tags typed (a list), or None when cancelled. ``initial``: text the
    field starts with (the suggested tags, which the analyst can edit)."""

    def __init__(self, what: str, known_tags: list[str], initial: str = "") -> None:
        super().__init__()
        self.what = what
        self.known_tags = known_tags
        self.initial = initial

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield title_widget(f"Add tags to {self.what}")
            yield TagInput(
                self.initial, placeholder="energy, kyiv", suggester=TagSuggester(self.known_tags), id="tags", compact=True
            )
            yield Static(classes="dialog-error")
            yield hint_widget("Comma-separated. Tab or → takes the suggestion · enter adds · escape cancels")

    def on_mount(self) -> None:
        self.query_one(".dialog-error").display = False

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        tags = split_tags(event.value)
        if not tags:
            self.show_error("Type at least one tag (escape cancels).")
            return
        self.dismiss(tags)
