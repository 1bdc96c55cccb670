"""``L``: the open article's highlights with their comments; jump to one, edit its
comment or delete it. A highlight whose quote the text no longer holds is listed as
not found (kept, never dropped)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from briefing.sanitize import clean_line
from briefing.tui import bindings
from briefing.tui.screens.dialog import Dialog, hint_widget, title_widget

QUOTE_SHOWN = 80  # characters of a quote in the list


@dataclass(frozen=True)
class HighlightItem:
    quote: str
    note: str
    found: bool
    occurrence: int = 1


def item_content(number: int, item: HighlightItem) -> Content:
    """One highlight as a list entry: plain Content, never markup."""
    quote = " ".join(clean_line(item.quote).split())
    if len(quote) > QUOTE_SHOWN:
        quote = quote[: QUOTE_SHOWN - 1] + "…"
    parts: list[tuple[str, str] | str] = [(f"{number}. ", "bold"), "“", (quote, "italic"), "”"]
    if item.occurrence > 1:
        parts.append((f"  (occurrence {item.occurrence})", "dim"))
    if not item.found:
        parts.append(("  not found in the text (it changed)", "$text-warning"))
    note = " ".join(clean_line(item.note).split())
    if note:
        parts += ["\n    — ", note]
    return Content.assemble(*parts)


class HighlightsScreen(Dialog[tuple[str, int]]):
    """Returns ("jump" | "edit" | "delete", index), or None when closed."""

    BINDINGS = bindings.HIGHLIGHTS_DIALOG

    def __init__(self, what: str, items: list[HighlightItem], chosen: int = 0) -> None:
        super().__init__()
        self.what = what
        self.items = items
        self.chosen = chosen

    def compose(self) -> ComposeResult:
        options = [Option(item_content(n, item), id=str(n - 1)) for n, item in enumerate(self.items, 1)]
        with Vertical(id="dialog"):
            yield title_widget(f"Highlights in {self.what}")
            yield OptionList(*options, markup=False, id="highlight-list")
            yield hint_widget("enter jumps to it · e edits the comment · d deletes (ctrl+z brings it back) · "
                              "escape closes")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if self.items:
            options.highlighted = max(0, min(self.chosen, len(self.items) - 1))
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(("jump", int(event.option.id or 0)))

    def action_act(self, what: str) -> None:
        highlighted = self.query_one(OptionList).highlighted
        if highlighted is not None:
            self.dismiss((what, highlighted))
