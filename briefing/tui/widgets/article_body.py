"""The text of an article as one widget that draws only the lines on screen.

The paragraphs are wrapped to the width once (plain text only: that is all the line
breaks depend on), which gives the widget's height; a paragraph is styled and turned
into strips only when one of its lines is drawn, and kept in a small LRU until its
styles change. So opening an article costs one wrap of its text, not a widget per
paragraph, and restyling (summary marks, search terms, highlights) redraws the lines
on screen only.

The text is always plain ``Content`` (never markup). Spacing follows the old
paragraph widgets: a blank line after each paragraph, one before a heading. The
paragraph the summary-jump keys are on carries a bar in its left column.

Mouse selection works as in a Static: each character carries its (column, row) in
:meth:`ArticleBody.text`, the paragraphs joined by blank lines.

:meth:`ArticleBody.when_drawn` calls back once the text given to :meth:`~ArticleBody.show`
is on screen: after the frame that first draws a line of it, or after the first
layout that leaves it out of view (then no frame draws it). What waits for the text
(the summary's worker) starts there, not in the handler that opened the article.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence

from rich.segment import Segment
from textual.content import Content
from textual.errors import NoWidget
from textual.selection import Selection
from textual.strip import Strip
from textual.style import Style
from textual.widget import Widget

from briefing.tui.marking import Paragraph

CURRENT_BAR = "▌"  # left of the paragraph holding the current summary sentence
STRIPS_KEPT = 64  # paragraphs whose drawn lines are kept (the ones on screen and around)

_Row = tuple[int, int, int, int]  # (paragraph, sub-line, start offset in the sub-line, end offset)


class ArticleBody(Widget):
    """Paragraphs and headings of one article; ``styler(paragraph)`` gives the styled
    Content of a paragraph (its plain text must be the paragraph's text)."""

    ALLOW_SELECT = True
    COMPONENT_CLASSES = {"article-body--heading", "article-body--bar"}
    DEFAULT_CSS = """
    ArticleBody { height: auto; }
    ArticleBody > .article-body--heading { text-style: bold; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._paragraphs: list[Paragraph] = []
        self._styler: Callable[[Paragraph], Content] = lambda p: Content(p.text)
        self._current = -1  # paragraph with the bar (-1: none)
        self._width = -1  # the width the rows were wrapped for (-1: wrap again)
        self._rows: list[_Row | None] = []  # every line of the body; None is a blank line
        self._tops: list[int] = []  # first row of each paragraph
        self._doc_rows: list[int] = []  # row of each paragraph's first sub-line in text()
        self._strips: OrderedDict[int, list[Strip]] = OrderedDict()  # paragraph -> its drawn lines
        self._drawn = False  # a line of the text shown has been rendered (for a frame) since show()
        self._waiting: list[Callable[[], None]] = []  # called once the text shown is drawn (when_drawn)
        self._shows = 0  # texts shown so far: a call made for one text never runs another's callbacks

    def on_mount(self) -> None:
        self.screen.screen_layout_refresh_signal.subscribe(self, self._laid_out, immediate=True)

    # --- state down -------------------------------------------------------------------

    def show(self, paragraphs: Sequence[Paragraph], styler: Callable[[Paragraph], Content]) -> None:
        """New text: wrapped again at the next layout, drawn as it comes on screen."""
        self._paragraphs = list(paragraphs)
        self._styler = styler
        self._current = -1
        doc_rows: list[int] = []
        row = 0
        for p in self._paragraphs:
            doc_rows.append(row)
            row += p.text.count("\n") + 2  # its sub-lines and the blank line after
        self._doc_rows = doc_rows
        self._width = -1
        self._strips.clear()
        self._drawn = False
        self._waiting.clear()  # they waited for the text shown before
        self._shows += 1
        self.refresh(layout=True)

    @property
    def drawn(self) -> bool:
        """A line of the text given to :meth:`show` has been rendered since, for a frame
        (what waits for the text to be on screen first: the summary's worker)."""
        return self._drawn

    def when_drawn(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` once, after the frame that first draws a line of the text
        given to :meth:`show` (after the first layout that leaves the text out of view,
        when no frame will draw it). Dropped when other text is shown first. The caller
        decides when not to wait: the text drawn already, or the pane hidden (no
        layout, no frame)."""
        self._waiting.append(callback)

    def _laid_out(self, _screen: object) -> None:
        """A layout of the screen, before its frame is drawn: text not drawn and out of
        view is drawn by no frame, so nothing waits for it past this frame."""
        if self._waiting and not self._drawn and not self._in_view():
            self.call_next(self._call_waiting, self._shows)

    def _in_view(self) -> bool:
        try:
            return self.screen.find_widget(self).visible_region.area > 0
        except NoWidget:
            return False

    def _call_waiting(self, shows: int) -> None:
        if shows != self._shows:
            return  # other text shown since: its callbacks wait for it
        waiting, self._waiting = self._waiting, []
        for callback in waiting:
            callback()

    def restyle(self, paragraphs: Sequence[int] | None = None) -> None:
        """The styles of some paragraphs (all when None) changed: draw them again."""
        if paragraphs is None:
            self._strips.clear()
        else:
            for index in paragraphs:
                self._strips.pop(index, None)
        self.refresh()

    def set_current(self, index: int) -> None:
        """Put the bar on paragraph ``index`` (-1: none); its lines are wrapped one cell narrower."""
        if index == self._current:
            return
        previous, self._current = self._current, index
        self._strips.pop(previous, None)
        self._strips.pop(index, None)
        self._width = -1
        self.refresh(layout=True)

    @property
    def current(self) -> int:
        return self._current

    @property
    def paragraph_count(self) -> int:
        return len(self._paragraphs)

    def text(self) -> str:
        """The plain text shown: paragraphs joined by blank lines (selection coordinates)."""
        return "\n\n".join(p.text for p in self._paragraphs)

    def paragraph_content(self, index: int) -> Content:
        """The styled text of paragraph ``index``, as drawn (for tests and callers)."""
        return self._styler(self._paragraphs[index])

    def paragraph_top(self, index: int) -> int:
        """The row of the body where paragraph ``index`` starts (after a layout)."""
        self._wrap(self.size.width)
        return self._tops[index] if 0 <= index < len(self._tops) else 0

    # --- positions (the selection mode, V) -------------------------------------------

    def row_of(self, index: int, offset: int) -> int:
        """The body row showing character ``offset`` of paragraph ``index`` (after a layout)."""
        self._wrap(self.size.width)
        if not 0 <= index < len(self._tops):
            return 0
        text = self._paragraphs[index].text
        offset = max(0, min(offset, len(text)))
        sub = text.count("\n", 0, offset)
        column = offset - (text.rfind("\n", 0, offset) + 1)
        best = self._tops[index]
        for row in range(self._tops[index], len(self._rows)):
            entry = self._rows[row]
            if entry is None or entry[0] != index or entry[1] > sub:
                break
            if entry[1] == sub and entry[2] <= column:
                best = row
        return best

    def position_at(self, row: int, column: int = 0) -> tuple[int, int] | None:
        """(paragraph, offset in it) of the character at ``column`` of body row ``row``
        (the row's end when it is shorter); None for a blank row or outside the body."""
        self._wrap(self.size.width)
        entry = self._rows[row] if 0 <= row < len(self._rows) else None
        if entry is None:
            return None
        index, sub, start, end = entry
        lines = self._paragraphs[index].text.split("\n")
        base = sum(len(line) + 1 for line in lines[:sub])
        return index, base + min(start + max(0, column), max(start, end - 1) if end > start else start)

    def line_column(self, index: int, offset: int) -> int:
        """How far into its drawn line character ``offset`` of paragraph ``index`` stands."""
        row = self.row_of(index, offset)
        entry = self._rows[row] if 0 <= row < len(self._rows) else None
        if entry is None:
            return 0
        text = self._paragraphs[index].text
        column = offset - (text.rfind("\n", 0, offset) + 1)
        return max(0, column - entry[2])

    @property
    def row_count(self) -> int:
        self._wrap(self.size.width)
        return len(self._rows)

    # --- layout ---------------------------------------------------------------------

    def _wrap(self, width: int) -> None:
        if width == self._width or width <= 0:
            return
        rows: list[_Row | None] = []
        tops: list[int] = []
        pending = 0  # blank lines owed by the previous block's bottom margin
        for index, p in enumerate(self._paragraphs):
            gap = max(pending, 1) if p.heading else pending
            rows.extend([None] * gap)
            tops.append(len(rows))
            line_width = width - 1 if index == self._current else width
            for sub, text in enumerate(p.text.split("\n")):
                for start, end in _breaks(text, max(1, line_width)):
                    rows.append((index, sub, start, end))
            pending = 1
        rows.extend([None] * pending)
        self._rows = rows
        self._tops = tops
        self._width = width
        self._strips.clear()

    def get_content_height(self, container, viewport, width: int) -> int:
        self._wrap(width)
        return len(self._rows)

    # --- drawing ----------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()

    def selection_updated(self, selection: Selection | None) -> None:
        self._strips.clear()
        self.refresh()

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        return selection.extract(self.text()), "\n"

    def render_line(self, y: int) -> Strip:
        if not self._drawn:
            self._drawn = True
            if self._waiting:
                self.call_next(self._call_waiting, self._shows)  # in the body's own task: after this frame is out
        width = self.size.width
        self._wrap(width)
        blank = self.visual_style.background_style.rich_style  # spacing: background only, as between widgets
        row = self._rows[y] if 0 <= y < len(self._rows) else None
        if row is None:
            return Strip.blank(width, blank)
        index = row[0]
        strips = self._strips.get(index)
        if strips is None:
            strips = self._draw(index, width)
            self._strips[index] = strips
            while len(self._strips) > STRIPS_KEPT:
                self._strips.popitem(last=False)
        else:
            self._strips.move_to_end(index)
        offset = y - self._tops[index]
        return strips[offset] if offset < len(strips) else Strip.blank(width, blank)

    def _draw(self, index: int, width: int) -> list[Strip]:
        p = self._paragraphs[index]
        style = self.visual_style
        if p.heading:
            style = self.get_visual_style("article-body--heading")
        bar: Segment | None = None
        if index == self._current:
            bar_style = self.get_visual_style("article-body--bar")
            bar = Segment(CURRENT_BAR, bar_style.rich_style)
        content = self._styler(p)
        selection = self.text_selection
        selection_style = (
            Style.from_styles(self.screen.get_component_styles("screen--selection")) if selection is not None else None
        )
        subs = content.split("\n", allow_blank=True) if "\n" in p.text else [content]
        rows = [r for r in self._rows[self._tops[index] :] if r is not None]
        strips: list[Strip] = []
        doc_row = self._doc_rows[index]
        get_style = self._get_style
        for row in rows:
            if row[0] != index:
                break
            _, sub, start, end = row
            line = subs[sub] if sub < len(subs) else Content("")
            if selection is not None and selection_style is not None:
                span = selection.get_span(doc_row + sub)
                if span is not None:
                    s_start, s_end = span
                    line = line.stylize(selection_style, s_start, len(line.plain) if s_end == -1 else s_end)
            piece = line[start:end].rstrip()
            segments: list[Segment] = [bar] if bar is not None else []
            x = start
            for text, text_style in piece.render(style, end="", parse_style=get_style):
                segments.append(Segment(text, (style + text_style).rich_style_with_offset(x, doc_row + sub)))
                x += len(text)
            strips.append(Strip(segments).crop(0, width))
        return strips


def _breaks(text: str, width: int) -> list[tuple[int, int]]:
    """(start, end) offsets of the lines ``text`` wraps to at ``width`` cells (words
    kept whole where they fit, longer ones folded), as Textual wraps a Static."""
    if not text:
        return [(0, 0)]
    cuts = Content(text).wrap(width)  # the same breaks a Static gets
    out: list[tuple[int, int]] = []
    position = 0
    for line in cuts:
        piece = line.plain
        at = text.find(piece, position) if piece else position
        if at < 0:  # tabs expanded: fall back to consecutive pieces
            at = position
        out.append((at, at + len(piece)))
        position = at + len(piece)
    return out or [(0, 0)]
