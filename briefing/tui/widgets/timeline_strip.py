"""The timeline strip above the list (issue 23): articles per day, week or month of
what the list shows, drawn with Textual's built-in ``Sparkline``, one row per tag
when stacked (top 5 and "other"), and a line under it marking the cursor (``▲``),
a range being chosen (``─``) and the date of the article under the list's cursor
(``•``).

The strip draws what it is given (:meth:`TimelineStrip.show`) and posts what the
analyst asks for: :class:`TimelineStrip.Narrow` (a date range), ``UndoNarrow``,
``Stack``, ``Leave``. Keys while it has the focus: ``bindings.TIMELINE_STRIP``; a
click moves the cursor to the bucket under the mouse, a second click on it narrows.
Every label is made here from dates and numbers, or is a tag (plain text).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Sparkline, Static

from briefing.sanitize import clean_line
from briefing.stats.buckets import Timeline
from briefing.tui import bindings

LABEL_WIDTH = 12  # the tag names of a stacked strip


def column_of(index: int, count: int, width: int) -> int:
    """The first column of ``width`` where the Sparkline draws bucket ``index`` of ``count``."""
    if count <= 0 or width <= 0:
        return 0
    if count > width:
        return index * width // count
    return -(-index * width // count)


def bucket_at(column: int, count: int, width: int) -> int:
    """The bucket the Sparkline draws at ``column``."""
    if count <= 0 or width <= 0:
        return 0
    return max(0, min(count - 1, column * count // width))


@dataclass(frozen=True)
class StripData:
    """What the strip shows: the buckets, optional stacked rows ``(label, counts)``
    aligned with them, the number of undated articles, and what it is stacked by."""

    line: Timeline
    undated: int = 0
    rows: tuple[tuple[str, tuple[int, ...]], ...] = ()
    stacked_by: str = ""


class TimelineStrip(Vertical, can_focus=True):
    DEFAULT_CSS = """
    TimelineStrip { height: auto; max-height: 9; padding: 0 1; border-bottom: solid $panel; }
    TimelineStrip:focus { background: $boost; }
    TimelineStrip #timeline-bars { height: auto; }
    TimelineStrip Sparkline { height: 2; width: 1fr; }
    TimelineStrip .stack-row { height: 1; }
    TimelineStrip .stack-row Sparkline { height: 1; }
    TimelineStrip .stack-label { width: 12; height: 1; color: $text-muted; }
    TimelineStrip #timeline-marks, TimelineStrip #timeline-info { height: 1; width: 1fr; }
    TimelineStrip #timeline-info { color: $text-muted; }
    """
    BINDINGS = bindings.TIMELINE_STRIP

    @dataclass
    class Narrow(Message):
        since: dt.date
        until: dt.date

    class UndoNarrow(Message):
        pass

    class Stack(Message):
        pass

    class Leave(Message):
        pass

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.data: StripData | None = None
        self.cursor = 0
        self.range_from: int | None = None
        self.marked: int | None = None  # the bucket of the article under the list's cursor
        self._clicked: int | None = None
        self._lines: list[Sparkline] = []  # the bars drawn now (one, or one per stacked row)
        self._labels: list[Static] = []

    def compose(self) -> ComposeResult:
        yield Vertical(id="timeline-bars")
        yield Static(id="timeline-marks", markup=False)
        yield Static(id="timeline-info", markup=False)

    # --- what it shows ---------------------------------------------------------------

    def show(self, data: StripData, marked_day: dt.date | None = None) -> None:
        old = self.data
        keep = None
        if old is not None and old.line.starts and self.cursor < len(old.line):
            keep = old.line.starts[self.cursor]
        self.data = data
        n = len(data.line)
        if keep is not None and (i := data.line.index_of(keep)) is not None:
            self.cursor = i
        else:
            self.cursor = max(0, n - 1)
        if self.range_from is not None and self.range_from >= n:
            self.range_from = None
        self.marked = data.line.index_of(marked_day)
        self._draw_bars()
        self._draw_marks()

    def mark_day(self, day: dt.date | None) -> None:
        """The list's cursor moved: mark its article's date."""
        if self.data is None:
            return
        marked = self.data.line.index_of(day)
        if marked != self.marked:
            self.marked = marked
            self._draw_marks()

    def _draw_bars(self) -> None:
        holder = self.query_one("#timeline-bars", Vertical)
        data = self.data
        rows: list[tuple[str, tuple[int, ...]]] = []
        if data is not None and data.line.counts:
            rows = list(data.rows) if data.rows else [("", data.line.counts)]
        stacked = bool(data is not None and data.rows)
        if len(self._lines) == len(rows) and bool(self._labels) == stacked:  # the same shape: new numbers only
            for line, (_label, counts) in zip(self._lines, rows, strict=True):
                line.data = list(counts)
            for label, (text, _counts) in zip(self._labels, rows if stacked else [], strict=True):
                label.update(Content(clean_line(text)[:LABEL_WIDTH - 1]))
            return
        holder.remove_children()
        self._lines = [Sparkline(list(counts)) for _label, counts in rows]
        if not stacked:
            self._labels = []
            holder.mount_all(self._lines)
            return
        self._labels = [Static(Content(clean_line(label)[:LABEL_WIDTH - 1]), classes="stack-label") for label, _c in rows]
        holder.mount_all([Horizontal(label, line, classes="stack-row")
                          for label, line in zip(self._labels, self._lines, strict=True)])

    def _bar_width(self) -> int:
        width = self.content_region.width or self.size.width
        if self.data is not None and self.data.rows:
            width -= LABEL_WIDTH
        return max(1, width)

    def _offset(self) -> int:
        return LABEL_WIDTH if self.data is not None and self.data.rows else 0

    def marks_text(self) -> str:
        """The line under the bars: ``▲`` the cursor, ``─`` the range, ``•`` the list's article."""
        data = self.data
        if data is None or not data.line.counts:
            return ""
        n, width = len(data.line), self._bar_width()
        cells = [" "] * width
        if self.range_from is not None:
            lo, hi = sorted((self.range_from, self.cursor))
            for c in range(column_of(lo, n, width), min(width, column_of(hi, n, width) + 1)):
                cells[c] = "─"
        if self.marked is not None:
            cells[min(width - 1, column_of(self.marked, n, width))] = "•"
        cells[min(width - 1, column_of(self.cursor, n, width))] = "▲"
        return " " * self._offset() + "".join(cells)

    def info_text(self) -> str:
        data = self.data
        if data is None:
            return "counting…"
        line = data.line
        if not line.counts:
            return f"no dated articles · {data.undated} undated"
        parts = [f"{line.label(self.cursor)}: {line.counts[self.cursor]}"]
        if self.range_from is not None:
            lo, hi = sorted((self.range_from, self.cursor))
            parts.append(f"range {line.starts[lo].isoformat()} – {line.end(hi).isoformat()}: {sum(line.counts[lo:hi + 1])}")
        if data.undated:
            parts.append(f"{data.undated} undated")
        parts.append(f"per {line.unit}" + (f", by {data.stacked_by}" if data.stacked_by else ""))
        return " · ".join(parts)

    def _draw_marks(self) -> None:
        # One line each, of a fixed size (see DEFAULT_CSS): no layout of the screen
        # (a cursor move in the list redraws the marks, and a layout of the whole
        # screen on each key would cost the list its keypress time).
        self.query_one("#timeline-marks", Static).update(Content(self.marks_text()), layout=False)
        self.query_one("#timeline-info", Static).update(Content(clean_line(self.info_text())), layout=False)

    def on_resize(self) -> None:
        self._draw_marks()

    def on_focus(self) -> None:
        self._draw_marks()

    def on_blur(self) -> None:
        self._draw_marks()

    # --- keys and mouse ----------------------------------------------------------------

    def _count(self) -> int:
        return len(self.data.line) if self.data is not None else 0

    def action_move(self, step: int) -> None:
        n = self._count()
        if n:
            self.cursor = max(0, min(n - 1, self.cursor + step))
            self._draw_marks()

    def action_move_to(self, index: int) -> None:
        n = self._count()
        if n:
            self.cursor = index % n
            self._draw_marks()

    def selected_range(self) -> tuple[dt.date, dt.date] | None:
        data = self.data
        if data is None or not data.line.counts:
            return None
        lo, hi = sorted((self.range_from, self.cursor)) if self.range_from is not None else (self.cursor, self.cursor)
        return data.line.starts[lo], data.line.end(hi)

    def action_narrow(self) -> None:
        chosen = self.selected_range()
        if chosen is None:
            self.app.bell()
            return
        self.range_from = None
        self.post_message(self.Narrow(*chosen))

    def action_narrow_day(self) -> None:
        chosen = self.selected_range()
        if chosen is None:
            self.app.bell()
            return
        self.range_from = None
        self.post_message(self.Narrow(chosen[0], chosen[0]))

    def action_anchor(self) -> None:
        self.range_from = None if self.range_from is not None else self.cursor
        self._draw_marks()

    def action_undo_narrow(self) -> None:
        self.post_message(self.UndoNarrow())

    def action_stack(self) -> None:
        self.post_message(self.Stack())

    def action_leave(self) -> None:
        if self.range_from is not None:
            self.range_from = None
            self._draw_marks()
            return
        self.post_message(self.Leave())

    def on_click(self, event: events.Click) -> None:
        n = self._count()
        if not n:
            return
        column = event.x - self.gutter.left - self._offset()
        if column < 0:
            return
        index = bucket_at(column, n, self._bar_width())
        if self._clicked == index and self.cursor == index:
            self._clicked = None
            self.action_narrow()
            return
        self._clicked = index
        self.cursor = index
        self.focus()
        self._draw_marks()
