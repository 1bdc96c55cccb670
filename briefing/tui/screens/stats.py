"""The statistics view (``S``, issue 23): what the list shows, counted by day, week
or month, by source, tag, language (when the index knows languages) and reading
state. Enter on a row narrows the list to it (the screen closes with a
:class:`Choice`); undated articles are counted apart and cannot be chosen as a date.
Every name is plain text (``markup=False``, control bytes replaced), never markup.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from briefing.sanitize import clean_line
from briefing.stats import Counts, sparkline, timeline
from briefing.tui import bindings

TOP = 15  # rows shown per facet (the largest)
BAR = 20  # the width of a row's bar
LABEL = 40  # the width of a row's name: every count in one column


@dataclass(frozen=True)
class Choice:
    """A row chosen: ``kind`` is dates | source | tag | lang | state; dates have
    ``since``/``until``, the others ``value``."""

    kind: str
    value: str = ""
    since: dt.date | None = None
    until: dt.date | None = None


def _bar(n: int, top: int) -> str:
    return "█" * max(1 if n else 0, round(BAR * n / top)) if top else ""


def stats_rows(counts: Counts) -> list[tuple[str, Choice | None]]:
    """The view's lines: ``(text, choice)``, ``choice`` None for a heading or a line
    that cannot be chosen. Plain Python, tested directly."""
    rows: list[tuple[str, Choice | None]] = []
    line = timeline(counts.days)
    rows.append((f"{counts.total} articles · {counts.dated} dated · {counts.undated} undated", None))
    if line.counts:
        rows.append((f"By {line.unit}  {sparkline(line.counts, 60)}", None))
        top = max(line.counts)
        for i in reversed(range(len(line))):
            n = line.counts[i]
            if n:
                rows.append((f"  {line.label(i):<{LABEL}} {n:>7}  {_bar(n, top)}",
                             Choice("dates", since=line.starts[i], until=line.end(i))))
    if counts.undated:
        rows.append((f"  {'undated':<{LABEL}} {counts.undated:>7}", None))
    facets = [("By source", "sources", "source"), ("By tag", "tags", "tag")]
    if counts.langs is not None:
        facets.append(("By language", "langs", "lang"))
    for title, facet, kind in facets:
        values = counts.top(facet)
        rows.append((f"{title} ({len(values)})", None))
        top = values[0][1] if values else 0
        for key, n in values[:TOP]:
            shown = clean_line(key) or ("(no source)" if kind == "source" else "(unknown)")
            rows.append((f"  {shown[:LABEL]:<{LABEL}} {n:>7}  {_bar(n, top)}", Choice(kind, key) if key else None))
        if len(values) > TOP:
            rows.append((f"  … and {len(values) - TOP} more", None))
    rows.append(("Reading state", None))
    for state, n in counts.states.items():
        rows.append((f"  {state:<{LABEL}} {n:>7}", Choice("state", state)))
    return rows


class StatsScreen(ModalScreen[Choice | None]):
    DEFAULT_CSS = """
    StatsScreen { align: center middle; }
    StatsScreen > Vertical { width: 90%; max-width: 110; height: 85%; border: thick $primary; background: $surface; }
    StatsScreen .stats-title { height: 1; padding: 0 1; text-style: bold; background: $panel; }
    StatsScreen .stats-hint { height: 1; padding: 0 1; color: $text-muted; }
    StatsScreen OptionList { height: 1fr; border: none; }
    """
    BINDINGS = bindings.STATS_SCREEN

    def __init__(self, counts: Counts | None, view: str) -> None:
        super().__init__()
        self.counts = counts
        self.view = view
        self.choices: dict[str, Choice] = {}

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(clean_line(f"Statistics · {self.view}")), classes="stats-title")
            yield OptionList(markup=False, id="stats-rows")
            yield Static(Content("enter narrows the list to the row · escape closes"), classes="stats-hint")

    def on_mount(self) -> None:
        self.show_counts(self.counts)
        self.query_one(OptionList).focus()

    def show_counts(self, counts: Counts | None) -> None:
        """Draw (or redraw, when a newer count arrives) the rows."""
        self.counts = counts
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        options.clear_options()
        self.choices = {}
        if counts is None:
            options.add_option(Option("counting…", disabled=True))
            return
        for n, (text, choice) in enumerate(stats_rows(counts)):
            if choice is None:
                options.add_option(Option(text, disabled=True))
            else:
                key = f"row-{n}"
                self.choices[key] = choice
                options.add_option(Option(text, id=key))
        if highlighted is not None and highlighted < options.option_count:
            options.highlighted = highlighted
        elif self.choices:  # the first row that can be chosen: enter works at once
            options.highlighted = options.get_option_index(next(iter(self.choices)))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        choice = self.choices.get(event.option.id or "")
        if choice is not None:
            self.dismiss(choice)

    def action_close(self) -> None:
        self.dismiss(None)
