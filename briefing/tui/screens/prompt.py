"""A one-line question in a dialog (the base of the date and title dialogs)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from briefing.tui.screens.dialog import Dialog, hint_widget, title_widget


class PromptScreen(Dialog[str]):
    """Returns the text typed (checked by :meth:`check`), or None when cancelled."""

    heading = ""
    hint = "enter saves · escape cancels"
    placeholder = ""

    def __init__(self, what: str, value: str = "") -> None:
        super().__init__()
        self.what = what
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield title_widget(f"{self.heading} {self.what}")
            yield Input(self.value, placeholder=self.placeholder, id="prompt", compact=True)
            yield Static(classes="dialog-error")
            yield hint_widget(self.hint)

    def on_mount(self) -> None:
        self.query_one(".dialog-error").display = False

    def check(self, value: str) -> str | None:
        """A message when ``value`` cannot be taken, else None."""
        return None

    def result(self, value: str) -> str:
        """What the dialog returns for ``value`` once :meth:`check` took it."""
        return value

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        problem = self.check(event.value)
        if problem:
            self.show_error(problem)
            return
        self.dismiss(self.result(event.value))
