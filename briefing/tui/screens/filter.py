"""``F``: show only articles with some tags, a status, or dates in a range.

Combines with the search (``/``): the list shows the articles matching both. The
dates are read as people type them (:mod:`briefing.humandates`: ``2024-03``,
``last week``, ``7d`` ...): since takes a range's first day, until its last; under
each date field a line says the day it was understood as, or what was not understood.
A range ``A..B`` typed in since, with until left empty, is the whole range.
"""

from __future__ import annotations

import datetime as dt

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Select, Static

from briefing.annotations.filter import Filter
from briefing.humandates import HumanDateError, check_order, parse_since, parse_until
from briefing.sanitize import clean_line
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


class DateFieldError(ValueError):
    """A date field holds what humandates did not understand; ``field`` is its id."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _date(text: str, field: str) -> dt.date | None:
    """The day a date field gives (None when empty): since a range's first, until its last."""
    if not text.strip():
        return None
    try:
        return parse_since(text) if field == "filter-since" else parse_until(text)
    except HumanDateError as err:
        raise DateFieldError(field, str(err)) from None


def understood(text: str, field: str) -> str:
    """What the note under a date field says while typing: the day it gives, or "" (no
    nagging before apply: a half-typed "last w" is not an error yet)."""
    try:
        day = _date(text, field)
    except DateFieldError:
        return ""
    if day is None:
        return ""
    if field == "filter-since" and ".." in text:  # a whole range typed in since
        return f"from {day.isoformat()} to {parse_until(text).isoformat()}"
    return f"from {day.isoformat()}" if field == "filter-since" else f"up to {day.isoformat()}"


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
                    yield Static(Content("Since (2024-03, last week, 7d …)"), classes="dialog-label")
                    yield Input(f.since.isoformat() if f.since else "", placeholder="2023-11-01", id="filter-since", compact=True)
                    yield Static(id="filter-since-note", classes="date-note")
                with Vertical(classes="dialog-right"):
                    yield Static(Content("Until (2024-03, yesterday …)"), classes="dialog-label")
                    yield Input(f.until.isoformat() if f.until else "", placeholder="2023-11-30", id="filter-until", compact=True)
                    yield Static(id="filter-until-note", classes="date-note")
            yield Static(classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Clear", id="filter-clear", compact=True)
                yield Button("Apply", variant="primary", id="filter-apply", compact=True)
            yield hint_widget("enter or ctrl+s applies · Clear shows everything · escape cancels")

    def on_mount(self) -> None:
        self.query_one(".dialog-error").display = False
        self.query_one("#filter-tags").focus()

    def read(self) -> Filter:
        """The filter the fields give; DateFieldError naming the date field not understood."""
        status = self.query_one("#filter-status", Select).value
        since_text = self.query_one("#filter-since", Input).value
        since = _date(since_text, "filter-since")
        until = _date(self.query_one("#filter-until", Input).value, "filter-until")
        if until is None and since is not None and ".." in since_text:
            until = parse_until(since_text)  # "2024-03..2024-04" in since, until empty: the whole range
        return Filter(
            tags=tuple(split_tags(self.query_one("#filter-tags", Input).value)),
            statuses=(status,) if isinstance(status, str) and status else (),
            since=since,
            until=until,
            watchlist=self.current.watchlist,  # chosen in the watchlists panel (w): kept
            watchlist_ids=self.current.watchlist_ids,
        )

    def _note(self, field: str, text: str, *, error: bool) -> None:
        note = self.query_one(f"#{field}-note", Static)
        note.update(Content(clean_line(text)))
        note.set_class(error, "-error")

    def action_apply(self) -> None:
        for field in ("filter-since", "filter-until"):
            self._note(field, understood(self.query_one(f"#{field}", Input).value, field), error=False)
        try:
            flt = self.read()
        except DateFieldError as err:
            self._note(err.field, str(err), error=True)
            self.query_one(f"#{err.field}", Input).focus()
            return
        try:
            check_order(flt.since, flt.until)
        except HumanDateError as err:
            self._note("filter-since", f"{err}", error=True)
            self.query_one("#filter-since", Input).focus()
            return
        self.dismiss(flt)

    def on_input_changed(self, event: Input.Changed) -> None:
        field = event.input.id or ""
        if field in ("filter-since", "filter-until"):
            self._note(field, understood(event.value, field), error=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_apply()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "filter-clear":
            self.dismiss(Filter())
        else:
            self.action_apply()
