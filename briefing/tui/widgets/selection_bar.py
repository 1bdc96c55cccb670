"""``V``: the hint line of the selection mode, which holds the keyboard while the
mode is on.

Mounted at the bottom of the main screen and focused: the article stays in view and
nothing else on the screen is redrawn for it. Its keys (``bindings.SELECTION_MODE``)
are priority bindings, so they act before the screen's; any other key is swallowed
(``t`` or ``n`` must not tag or leave the article mid-selection). Every key is handed
to the controller (:class:`briefing.tui.features.highlights.Highlights`), which moves
the cursor, draws the selection in the reading pane and saves. Focus leaving it (a
click elsewhere) ends the mode.
"""

from __future__ import annotations

from typing import Protocol

from textual import events
from textual.content import Content
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


class SelectionBar(Static, can_focus=True):
    BINDINGS = bindings.SELECTION_MODE
    DEFAULT_CSS = """
    SelectionBar {
        dock: bottom;
        width: 100%;
        height: 3;
        padding: 0 1;
        background: $panel;
        color: $text;
    }
    """

    def __init__(self, control: SelectionControl) -> None:
        super().__init__(id="select-hint")
        self.control = control

    def on_mount(self) -> None:
        self.show_hint(layout=True)

    def show_hint(self, *, layout: bool = False) -> None:
        """The keys, and what is selected now (the bar keeps its height: no new layout)."""
        what = clean_line(self.control.describe())
        self.update(Content.assemble(("Selection · ", "bold $text-accent"), (KEYS_HINT, "$text-muted"), "\n", what),
                    layout=layout)

    async def on_key(self, event: events.Key) -> None:
        """A key that is not the mode's does nothing while the mode is on."""
        event.stop()
        event.prevent_default()

    def on_blur(self) -> None:
        if self.screen.is_current and self.is_attached:  # focus moved on this screen (a click elsewhere)
            self.control.leave()

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
