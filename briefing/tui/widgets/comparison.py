"""The versions of a story, sentence by sentence, with their differences marked.

:func:`layout` is pure: it turns a :class:`~briefing.stories.compare.Comparison` into
lines of plain Content for a given width (the members side by side in columns when
they fit, else one under the other), marks each difference with the theme's style
for its kind, and the selected difference in reverse video. :class:`ComparisonView`
draws those lines (only the ones on screen), and moves between the differences.

Article text is untrusted: a cell's sentence goes in as ``Content(text)`` and is
styled by offsets, never read as markup. Control characters (line breaks inside a
sentence, tabs, anything the loader left) become spaces one for one, so the
offsets of the marks still hold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.content import Content
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import Visual

from briefing.stories.kinds import DATE, KIND_LABELS, KINDS, NAME, NUMBER, ONLY, WORDING
from briefing.tui import bindings

if TYPE_CHECKING:  # the comparison itself is imported when a comparison is made
    from briefing.stories.compare import Cell, Comparison, Difference


# Styles of the kinds of difference; the colours are theme variables (every
# built-in theme sets them; App.get_theme_variable_defaults gives them to others).
KIND_STYLES = {
    NUMBER: "bold $story-number",
    DATE: "bold $story-date",
    NAME: "bold $story-name",
    ONLY: "$story-only",
    WORDING: "underline $story-wording",
}
SELECTED = "reverse"
SAME = "dim"
GUTTER = " │ "
MIN_COLUMN = 28  # narrower columns than this: members one under the other
SIDE_BY_SIDE_MIN = 100  # and only on a terminal at least this wide

_FLAT = {c: " " for c in [*range(0x20), 0x7F, *range(0x80, 0xA0), 0x2028, 0x2029,
                          0x061C, 0x200B, 0x200E, 0x200F, *range(0x202A, 0x202F), 0x2060,
                          *range(0x2066, 0x206A), 0xFEFF]}


def flat(text: str) -> str:
    """``text`` on one line, one character for one (so mark offsets still hold):
    control, bidi and line-separator characters become spaces."""
    return text.translate(_FLAT)


def kind_style(kind: str) -> str:
    return KIND_STYLES.get(kind, KIND_STYLES[WORDING])


def legend() -> Content:
    parts: list = [("marks: ", "dim")]
    for i, kind in enumerate(KINDS):
        if i:
            parts.append(("  ", ""))
        parts.append((KIND_LABELS[kind][0], kind_style(kind)))
    return Content.assemble(*parts)


def counts_line(result: Comparison) -> Content:
    counts = result.counts()
    parts: list = [("differences: ", "bold")]
    shown = [(n, kind) for kind, n in counts.items() if n]
    if not shown:
        parts.append(("none: the versions say the same", "italic"))
    for i, (n, kind) in enumerate(shown):
        if i:
            parts.append((", ", ""))
        parts.append((f"{n} {KIND_LABELS[kind][0 if n == 1 else 1]}", kind_style(kind)))
    return Content.assemble(*parts)


def cell_content(cell: Cell, selected: tuple[int, int] | None = None) -> Content:
    """A member's sentence with its differences styled (and the selected one reversed)."""
    text = flat(cell.text)
    content = Content(text)
    for start, end, kind in cell.marks:
        if 0 <= start < end <= len(text):
            content = content.stylize(kind_style(kind), start, end)
    if selected is not None:
        start, end = selected
        start, end = max(0, start), min(len(text), end)
        if start < end:
            content = content.stylize(SELECTED, start, end)
    return content


@dataclass(frozen=True)
class Layout:
    """The lines of a comparison at one width: ``lines``, and for each row of the
    comparison the index of its first line (``tops``) and its number of lines."""

    lines: list[Content]
    tops: list[int]
    heights: list[int]
    columns: bool  # members side by side


def _wrap(content: Content, width: int) -> list[Content]:
    if not content.plain:
        return [Content("")]
    return content.wrap(max(1, width)) or [Content("")]


def _row_heading(index: int, kinds: Sequence[str], selected: tuple[int, int] | None) -> Content:
    parts: list = [(f"row {index + 1}", "bold")]
    if kinds:
        parts.append((" · ", "dim"))
        for i, kind in enumerate(kinds):
            if i:
                parts.append((", ", "dim"))
            parts.append((KIND_LABELS[kind][0], kind_style(kind)))
    if selected is not None:
        number, total = selected
        parts.append((f"   ◆ difference {number} of {total}", "bold $text-accent"))
    return Content.assemble(*parts)


def row_lines(
    result: Comparison,
    index: int,
    width: int,
    columns: bool,
    selected: Difference | None = None,
    selected_number: int = 0,
) -> list[Content]:
    """The lines of row ``index`` (ending with a blank line). ``selected``: the
    selected difference when it is in this row."""
    row = result.rows[index]
    width = max(10, width)
    cells = row.cells
    if not row.kinds:
        first = next(c for c in cells if c is not None)
        lines = _wrap(Content.styled(flat(first.text), SAME), width - 2)
        return [Content.styled("= ", SAME) + lines[0], *(Content("  ") + line for line in lines[1:]), Content("")]
    spans = selected.spans if selected is not None else (None,) * len(cells)
    heading = _row_heading(index, row.kinds, (selected_number, len(result.differences)) if selected is not None else None)
    out = [heading]
    n = len(cells)
    if columns:
        column = (width - len(GUTTER) * (n - 1)) // n
        blocks = []
        for i, cell in enumerate(cells):
            if cell is None:
                blocks.append([Content.styled("(not in this version)", "dim italic")])
            else:
                blocks.append(_wrap(cell_content(cell, spans[i] if i < len(spans) else None), column))
        height = max(len(b) for b in blocks)
        for y in range(height):
            parts = []
            for i, block in enumerate(blocks):
                line = block[y] if y < len(block) else Content("")
                if i < n - 1:
                    line = line.extend_right(max(0, column - line.cell_length))
                parts.append(line)
            out.append(Content.styled(GUTTER, "dim").join(parts))
    else:
        label_width = len(str(n)) + 1
        for i, cell in enumerate(cells):
            label = Content.styled(f"{i + 1:>{label_width - 1}} ", "bold")
            if cell is None:
                out.append(label + Content.styled("(not in this version)", "dim italic"))
                continue
            lines = _wrap(cell_content(cell, spans[i] if i < len(spans) else None), width - label_width)
            out.append(label + lines[0])
            out.extend(Content(" " * label_width) + line for line in lines[1:])
    out.append(Content(""))
    return out


def use_columns(members: int, width: int) -> bool:
    if members < 2 or width < SIDE_BY_SIDE_MIN:
        return False
    return (width - len(GUTTER) * (members - 1)) // members >= MIN_COLUMN


def layout(result: Comparison, width: int, selected: int | None = None) -> Layout:
    """Every row of ``result`` at ``width`` cells; ``selected``: index into
    ``result.differences``."""
    columns = use_columns(len(result.ids), width)
    chosen = result.differences[selected] if selected is not None and 0 <= selected < len(result.differences) else None
    lines: list[Content] = []
    tops: list[int] = []
    heights: list[int] = []
    for index in range(len(result.rows)):
        tops.append(len(lines))
        here = chosen if chosen is not None and chosen.row == index else None
        block = row_lines(result, index, width, columns, here, (selected or 0) + 1)
        heights.append(len(block))
        lines.extend(block)
    return Layout(lines, tops, heights, columns)


class ComparisonView(ScrollView, can_focus=True):
    """Draws a comparison's lines; ``n``/``p`` (on the screen) select differences."""

    BINDINGS = bindings.COMPARISON_VIEW

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.result: Comparison | None = None
        self.selected: int | None = None
        self._layout: Layout | None = None
        self._width = 0
        self._strips: dict[tuple[int, int], Strip] = {}

    # --- state down ---------------------------------------------------------------

    def show(self, result: Comparison) -> None:
        self.result = result
        self.selected = 0 if result.differences else None
        self._relayout()
        self.scroll_to(y=0, animate=False)

    def select(self, index: int) -> Difference | None:
        """Select difference ``index`` (wrapping around) and scroll to its row."""
        result = self.result
        if result is None or not result.differences:
            return None
        index %= len(result.differences)
        previous = self.selected
        self.selected = index
        layout_ = self._layout
        if layout_ is None:
            return result.differences[index]
        rows = {result.differences[index].row}
        if previous is not None and 0 <= previous < len(result.differences):
            rows.add(result.differences[previous].row)
        for row in rows:
            self._redo_row(row)
        self._scroll_to_row(result.differences[index].row)
        self.refresh()
        return result.differences[index]

    @property
    def difference(self) -> Difference | None:
        if self.result is None or self.selected is None:
            return None
        return self.result.differences[self.selected]

    def lines_text(self) -> list[str]:
        """The drawn lines as plain text (for tests)."""
        return [line.plain for line in self._layout.lines] if self._layout is not None else []

    def row_top(self, row: int) -> int:
        return self._layout.tops[row] if self._layout is not None else 0

    @property
    def side_by_side(self) -> bool:
        return self._layout is not None and self._layout.columns

    # --- layout ---------------------------------------------------------------------

    def _content_width(self) -> int:
        width = self.scrollable_content_region.width or self.size.width
        return max(20, width - 1)

    def _relayout(self) -> None:
        self._strips.clear()
        if self.result is None:
            self._layout = None
            self.virtual_size = Size(self.size.width, 0)
            self.refresh()
            return
        self._width = self._content_width()
        self._layout = layout(self.result, self._width, self.selected)
        self.virtual_size = Size(self.size.width, len(self._layout.lines))
        self.refresh()

    def _redo_row(self, row: int) -> None:
        """Lay out one row again (the selection moved in or out of it): same height."""
        layout_ = self._layout
        result = self.result
        if layout_ is None or result is None:
            return
        chosen = result.differences[self.selected] if self.selected is not None else None
        here = chosen if chosen is not None and chosen.row == row else None
        block = row_lines(result, row, self._width, layout_.columns, here, (self.selected or 0) + 1)
        top = layout_.tops[row]
        if len(block) != layout_.heights[row]:  # never expected: lay everything out again
            self._relayout()
            return
        layout_.lines[top : top + len(block)] = block
        for key in [k for k in self._strips if top <= k[0] < top + len(block)]:
            del self._strips[key]

    def _scroll_to_row(self, row: int) -> None:
        layout_ = self._layout
        if layout_ is None:
            return
        top = layout_.tops[row]
        region = Region(0, max(0, top - 1), 1, min(layout_.heights[row] + 1, max(1, self.size.height - 1)))
        self.scroll_to_region(region, animate=False, force=True, immediate=True)

    def on_resize(self) -> None:
        if self.result is not None and self._content_width() != self._width:
            self._relayout()
            if self.selected is not None and self.result.differences:
                self._scroll_to_row(self.result.differences[self.selected].row)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()

    def render_line(self, y: int) -> Strip:
        line = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        layout_ = self._layout
        if layout_ is None or line >= len(layout_.lines):
            return Strip.blank(width, self.rich_style)
        key = (line, width)
        strip = self._strips.get(key)
        if strip is None:
            style = self.visual_style
            rendered = Visual.to_strips(self, layout_.lines[line], width, 1, style)
            strip = rendered[0] if rendered else Strip.blank(width, style.rich_style)
            strip = strip.extend_cell_length(width, style.rich_style).crop(0, width)
            if len(self._strips) > 4096:
                self._strips.clear()
            self._strips[key] = strip
        return strip
