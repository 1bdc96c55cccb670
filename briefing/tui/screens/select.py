"""``V``: the selection mode of the reading pane.

A screen over the main screen that covers nothing but its hint line at the bottom:
the article stays in view, the keys of the mode (``bindings.SELECTION_MODE``) are
the only ones that act (besides the application's), and every key is handed to the
controller (:class:`briefing.tui.features.highlights.Highlights`), which moves the
cursor, draws the selection in the reading pane and saves.
"""

from __future__ import annotations

from typing import Protocol

from textual.app import ComposeResult
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from briefing.sanitize import clean_line
from briefing.tui import bindings

KEYS_HINT = ("w/b word · ( ) sentence · { } paragraph · ←/→ character · ↑/↓ line · "
             "v or space extends · s sentence · enter saves · escape leaves")


class SelectionControl(Protocol):
    def move(self, kind: str, step: int) -> None: ...

    def toggle_extend(self) -> None: ...

    def select_sentence(self) -> None: ...

    def save(self) -> None: ...

    def leave(self) -> None: ...

    def describe(self) -> str: ...


class SelectScreen(ModalScreen[None]):
    BINDINGS = bindings.SELECTION_MODE

    def __init__(self, control: SelectionControl) -> None:
        super().__init__()
        self.control = control

    def compose(self) -> ComposeResult:
        yield Static(id="select-hint")

    def on_mount(self) -> None:
        self.show_hint()

    def show_hint(self) -> None:
        """The keys, and what is selected now."""
        what = clean_line(self.control.describe())
        self.query_one("#select-hint", Static).update(
            Content.assemble(("Selection · ", "bold $text-accent"), (KEYS_HINT, "$text-muted"), "\n", what))

    def action_move(self, kind: str, step: int) -> None:
        self.control.move(kind, step)
        self.show_hint()

    def action_toggle_extend(self) -> None:
        self.control.toggle_extend()
        self.show_hint()

    def action_select_sentence(self) -> None:
        self.control.select_sentence()
        self.show_hint()

    def action_save(self) -> None:
        self.control.save()

    def action_leave(self) -> None:
        self.control.leave()
