"""``!``: the open conflicts of the annotation file, one row each; ``o`` keeps the
value the field kept, ``t`` takes the other one, for the row in focus (the choice is
saved and the row goes; the dialog closes with the last one); escape or ``q``
closes. The two values are named as the file names them (``kept``, ``other``), with
who wrote each: "ours" and "theirs" depend on who merged, not on who is reading.
Every value shown came from a shared file: plain text only."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from briefing.annotations.conflicts import OpenConflict
from briefing.tui import bindings
from briefing.tui.screens.dialog import Dialog, hint_widget, plain_line, title_widget


def describe(item: OpenConflict, title: str) -> str:
    """One line for a conflict: which article, which field, both values, base, who."""
    c = item.conflict

    def show(value: str | None, who: str) -> str:
        text = "(none)" if value is None else repr(value)
        return f"{text} by {who}" if who else text

    base = "" if c.base is None else f" · base {c.base!r}"
    when = f" · {c.at}" if c.at else ""
    return f"{title} · {c.field}: kept {show(c.kept, c.kept_by)} · other {show(c.other, c.other_by)}{base}{when}"


class ConflictsScreen(Dialog[None]):
    """Lists conflicts; ``pick(item, side)`` settles one and returns the new list
    (None when the pick failed: the row stays)."""

    BINDINGS = [*Dialog.BINDINGS, *bindings.CONFLICTS_SCREEN]

    def __init__(self, items: list[OpenConflict], title_of: Callable[[str], str],
                 pick: Callable[[OpenConflict, str], list[OpenConflict] | None]) -> None:
        super().__init__()
        self.items = items
        self.title_of = title_of
        self.pick = pick

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield title_widget(self._title())
            yield OptionList(*self._options(), markup=False, id="conflict-list")
            yield Static(id="conflict-empty", classes="dialog-hint")
            yield hint_widget("o keeps the kept value · t takes the other · escape or q closes")

    def _title(self) -> str:
        n = len(self.items)
        return f"{n} open conflict{'s' if n != 1 else ''} in the annotation file"

    def _options(self) -> list[Option]:
        return [Option(plain_line(describe(item, self.title_of(item.article_id))), id=str(n))
                for n, item in enumerate(self.items)]

    def on_mount(self) -> None:
        listing = self.query_one("#conflict-list", OptionList)
        listing.focus()
        if self.items:
            listing.highlighted = 0
        self._refresh_empty()

    def _refresh_empty(self) -> None:
        empty = self.query_one("#conflict-empty", Static)
        empty.update(plain_line("No open conflicts." if not self.items else ""))
        empty.display = not self.items

    def _choose(self, side: str) -> None:
        listing = self.query_one("#conflict-list", OptionList)
        at = listing.highlighted
        if at is None or not 0 <= at < len(self.items):
            self.app.bell()
            return
        fresh = self.pick(self.items[at], side)
        if fresh is None:
            return
        self.items = fresh
        if not fresh:  # the last one settled: nothing left to choose from
            self.app.notify("No open conflicts left.", title="Annotations", timeout=4, markup=False)
            self.dismiss(None)
            return
        listing.clear_options()
        listing.add_options(self._options())
        if self.items:
            listing.highlighted = min(at, len(self.items) - 1)
        self.query_one(".dialog-title", Static).update(plain_line(self._title()))
        self._refresh_empty()

    def action_take_ours(self) -> None:
        self._choose("ours")

    def action_take_theirs(self) -> None:
        self._choose("theirs")
