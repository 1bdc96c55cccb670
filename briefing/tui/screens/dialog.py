"""The base of the modal dialogs: a framed box, a title, escape cancels.

Every string a dialog shows that came from an article or was typed is passed as
plain :class:`~textual.content.Content` (never markup) after ``clean_line``.
"""

from __future__ import annotations

from typing import TypeVar

from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from briefing.sanitize import clean_line
from briefing.tui import bindings

T = TypeVar("T")


def plain_line(text: str) -> Content:
    """One line of untrusted text as plain Content."""
    return Content(clean_line(text))


def title_widget(text: str) -> Static:
    return Static(Content(clean_line(text)), classes="dialog-title")


def hint_widget(text: str) -> Static:
    return Static(Content(text), classes="dialog-hint")


class Dialog(ModalScreen[T]):
    """A modal dialog; ``dismiss(None)`` means cancelled."""

    # styles: briefing/tui/styles/dialogs.tcss, loaded with the app's (pushing a
    # screen that brings its own CSS file restyles the whole app: ~0.3 s)
    BINDINGS = bindings.DIALOG

    def action_cancel(self) -> None:
        self.dismiss(None)

    def show_error(self, text: str) -> None:
        """Say what is wrong inside the dialog (a widget with class dialog-error)."""
        for widget in self.query(".dialog-error").results(Static):
            widget.update(Content(clean_line(text)))
            widget.display = bool(text)
            break
