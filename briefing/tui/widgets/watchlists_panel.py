"""The watchlists panel (``w``): each watchlist with its unread and total counts.

Drawn from plain rows the watchlists feature hands over; every name is plain text
(``markup=False``, control bytes replaced), never markup. Enter on a row posts
:class:`WatchlistsPanel.Chosen`; the feature filters the list by it.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from briefing.sanitize import clean_line
from briefing.tui import bindings


@dataclass(frozen=True)
class PanelRow:
    name: str
    unread: int | None  # None: not counted yet
    total: int | None
    tags: tuple[str, ...] = ()
    active: bool = False  # the list is filtered by it


def row_text(row: PanelRow) -> str:
    counts = "…" if row.unread is None else f"{row.unread} unread / {row.total}"
    mark = "▶ " if row.active else "  "
    tags = ("  +" + " +".join(clean_line(t) for t in row.tags)) if row.tags else ""
    return f"{mark}{clean_line(row.name)}  {counts}{tags}"


class WatchlistsPanel(Vertical):
    DEFAULT_CSS = """
    WatchlistsPanel {
        height: auto;
        max-height: 12;
        border-bottom: hkey $panel;
        background: $surface;
    }
    WatchlistsPanel > #watchlists-title {
        height: 1;
        padding: 0 1;
        color: $text-accent;
        text-style: bold;
        background: $panel;
    }
    WatchlistsPanel > #watchlists-list, WatchlistsPanel > #watchlists-list:focus {
        height: auto;
        max-height: 8;
        border: none;
        padding: 0;
    }
    WatchlistsPanel > #watchlists-note {
        height: auto;
        max-height: 3;
        padding: 0 1;
        color: $text-warning;
    }
    """
    BINDINGS = bindings.WATCHLISTS_PANEL

    @dataclass
    class Chosen(Message):
        name: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[PanelRow] = []

    def compose(self) -> ComposeResult:
        yield Static("Watchlists", id="watchlists-title", markup=False)
        yield OptionList(markup=False, id="watchlists-list")
        yield Static("", id="watchlists-note", markup=False)

    @property
    def options(self) -> OptionList:
        return self.query_one(OptionList)

    def show_rows(self, rows: list[PanelRow], note: str = "") -> None:
        """Draw ``rows`` (the cursor stays on the same watchlist) and a note (problems)."""
        options = self.options
        current = self.highlighted_name
        self.rows = list(rows)
        options.clear_options()
        options.add_options([Option(row_text(r), id=f"w{i}") for i, r in enumerate(rows)])
        if rows:
            names = [r.name for r in rows]
            options.highlighted = names.index(current) if current in names else 0
        note_widget = self.query_one("#watchlists-note", Static)
        if not rows and not note:
            note = "No watchlists yet: briefing watch add NAME QUERY"
        note_widget.update("\n".join(clean_line(line) for line in note.split("\n")[:3]))
        note_widget.display = bool(note)

    @property
    def highlighted_name(self) -> str | None:
        index = self.options.highlighted
        if index is None or not 0 <= index < len(self.rows):
            return None
        return self.rows[index].name

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.rows):
            self.post_message(self.Chosen(self.rows[event.option_index].name))
