"""``F``: show only articles with some tags, a status, or dates in a range.

Combines with the search (``/``): the list shows the articles matching both.
"""

from __future__ import annotations

import datetime as dt

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Select, Static

from briefing.annotations.filter import Filter
from briefing.isodate import parse_iso_date
from briefing.tui import bindings
from briefing.tui.screens.dialog import Dialog, hint_widget, title_widget
from briefing.tui.screens.tags import TagInput
from briefing.tui.suggest import TagSuggester, split_tags

STATUS_CHOICES = [
    ("any status", ""),
    ("unread", "unread"),
    ("read", "read"),
    ("flagged", "flagged"),
    ("annotated (tags, notes, highlights, corrections)", "annotated"),
]


def _date(text: str, what: str) -> dt.date | None:
    try:
        return parse_iso_date(text)
    except ValueError:
        raise ValueError(f"{what}: not a date like 2023-11-06") from None


class FilterScreen(Dialog[Filter]):
    """Returns the new Filter (``Filter()`` when cleared), or None when cancelled."""

    BINDINGS = bindings.FILTER_DIALOG

    def __init__(self, current: Filter, known_tags: list[str]) -> None:
        super().__init__()
        self.current = current
        self.known_tags = known_tags

    def compose(self) -> ComposeResult:
        f = self.current
        with Vertical(id="dialog"):
            yield title_widget("Filter the list")
            yield Static(Content("Tags (all of them; comma-separated)"), classes="dialog-label")
            yield TagInput(", ".join(f.tags), placeholder="energy, kyiv", suggester=TagSuggester(self.known_tags), id="filter-tags", compact=True)
            yield Static(Content("Status"), classes="dialog-label")
            yield Select(STATUS_CHOICES, value=f.statuses[0] if len(f.statuses) == 1 else "", allow_blank=False, id="filter-status", compact=True)
            with Horizontal(classes="dialog-row"):
                with Vertical():
                    yield Static(Content("Since (YYYY-MM-DD)"), classes="dialog-label")
                    yield Input(f.since.isoformat() if f.since else "", placeholder="2023-11-01", id="filter-since", compact=True)
                with Vertical(classes="dialog-right"):
                    yield Static(Content("Until (YYYY-MM-DD)"), classes="dialog-label")
                    yield Input(f.until.isoformat() if f.until else "", placeholder="2023-11-30", id="filter-until", compact=True)
            yield Static(classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Clear", id="filter-clear", compact=True)
                yield Button("Apply", variant="primary", id="filter-apply", compact=True)
            yield hint_widget("enter or ctrl+s applies · Clear shows everything · escape cancels")

    def on_mount(self) -> None:
        self.query_one(".dialog-error").display = False
        self.query_one("#filter-tags").focus()

    def read(self) -> Filter:
        status = self.query_one("#filter-status", Select).value
        return Filter(
            tags=tuple(split_tags(self.query_one("#filter-tags", Input).value)),
            statuses=(status,) if isinstance(status, str) and status else (),
            since=_date(self.query_one("#filter-since", Input).value, "Since"),
            until=_date(self.query_one("#filter-until", Input).value, "Until"),
            watchlist=self.current.watchlist,  # chosen in the watchlists panel (w): kept
            watchlist_ids=self.current.watchlist_ids,
        )

    def action_apply(self) -> None:
        try:
            flt = self.read()
        except ValueError as exc:
            self.show_error(str(exc))
            return
        if flt.since and flt.until and flt.since > flt.until:
            self.show_error("Since is after until: nothing could match.")
            return
        self.dismiss(flt)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_apply()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "filter-clear":
            self.dismiss(Filter())
        else:
            self.action_apply()
