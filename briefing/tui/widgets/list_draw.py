"""The article list's drawn rows, kept in bounded LRUs.

A row's text (its markers, title, source, snippet: :func:`~briefing.tui.widgets.list_rows.row_text`)
is made when the row first comes on screen and kept by row key; its lines are drawn
once per style (cursor or not, focused or not, theme) and width, every line of the row
in one wrap, and kept by slot (a row, or the day heading above it). Moving the cursor
forgets the lines of two rows, nothing else; at most :data:`ROWS_KEPT` rows of each
are kept, whatever the length of the list.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable

from textual.content import Content
from textual.strip import Strip
from textual.style import Style
from textual.visual import Visual
from textual.widget import Widget

ROWS_KEPT = 512  # rows whose text and drawn lines are kept (a screenful is ~25)
STYLES_KEPT = 8  # drawings of one row kept (old themes or widths are dropped past that)

Slot = tuple[str, int]  # ("r", row) for a row, ("h", row) for the day heading above it


class RowDrawings:
    """Row texts by key and drawn lines by slot, both bounded LRUs."""

    def __init__(self) -> None:
        self.texts: OrderedDict[str, Content] = OrderedDict()  # row key -> its text
        self.strips: OrderedDict[Slot, dict[Hashable, list[Strip]]] = OrderedDict()  # slot -> lines by style

    def clear(self) -> None:
        """Forget every text and line (new rows, or their markers changed)."""
        self.texts.clear()
        self.strips.clear()

    def text(self, key: str, make: Callable[[], Content]) -> Content:
        """The text of the row with ``key``: kept, else ``make()`` (then kept)."""
        text = self.texts.get(key)
        if text is None:
            text = self.texts[key] = make()
            while len(self.texts) > ROWS_KEPT:
                self.texts.popitem(last=False)
        else:
            self.texts.move_to_end(key)
        return text

    def forget_text(self, key: str) -> None:
        self.texts.pop(key, None)

    def forget_lines(self, row: int) -> None:
        """The lines of row ``row`` are drawn again (the cursor came or left)."""
        self.strips.pop(("r", row), None)

    def lines(self, slot: Slot, style: Hashable, make: Callable[[], list[Strip]]) -> list[Strip]:
        """The lines of ``slot`` drawn with ``style`` (a key of what they depend on):
        kept, else ``make()`` (then kept)."""
        drawn = self.strips.get(slot)
        if drawn is None:
            drawn = self.strips[slot] = {}
            while len(self.strips) > ROWS_KEPT:
                self.strips.popitem(last=False)
        else:
            self.strips.move_to_end(slot)
        strips = drawn.get(style)
        if strips is None:
            if len(drawn) >= STYLES_KEPT:
                drawn.clear()
            strips = drawn[style] = make()
        return strips


def draw_lines(widget: Widget, content: Content, width: int, height: int, style: Style) -> list[Strip]:
    """``content`` wrapped to ``width`` in ``style``: ``height`` lines, each padded to the width."""
    rendered = Visual.to_strips(widget, content, width, None, style)
    return [
        (rendered[i] if i < len(rendered) else Strip.blank(width, style.rich_style))
        .extend_cell_length(width, style.rich_style)
        .crop(0, width)
        for i in range(height)
    ]
