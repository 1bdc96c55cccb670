"""The article list: rows grouped under day headings, newest day first, undated last.

A line-based scroll view: every row has a known height (a heading is one line, an
article two, three with a search snippet), so showing 10,000 articles costs an index of
offsets, and only the rows on screen are ever turned into text (cached by row, in a
bounded LRU). Moving the cursor redraws the two rows concerned, not the list.

Rows are ``_Entry`` objects: a heading (``meta`` None, ``heading`` its text) or an
article. Another kind of row (e.g. a story header standing for several articles) is
one more ``_Entry`` with its own ``height`` and text: ``show_articles`` builds the
entries, ``_text_of`` gives the Content drawn for one, and only entries with an
``id`` in ``_index`` can take the cursor.
"""

from __future__ import annotations

import bisect
from collections import OrderedDict
from dataclasses import dataclass
from typing import Mapping, Sequence

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import Visual

from briefing.index.query import SearchHit
from briefing.model import ArticleMeta
from briefing.tui import rows
from briefing.tui.marks import ArticleMarks

ROWS_KEPT = 512  # entries whose drawn lines are kept (a screenful is ~25)


@dataclass
class _Entry:
    meta: ArticleMeta | None  # None for a day heading
    heading: Content | None = None
    top: int = 0  # first line of the entry in the list
    height: int = 1

    @property
    def id(self) -> str | None:
        return self.meta.id if self.meta is not None else None


class ArticleList(ScrollView, can_focus=True):
    """Headings cannot take the cursor; the cursor is always on an article (when any)."""

    COMPONENT_CLASSES = {"article-list--heading", "article-list--cursor", "article-list--row"}

    BINDINGS = [
        Binding("down,j", "cursor_down", "Down", id="list-down", show=False),
        Binding("up,k", "cursor_up", "Up", id="list-up", show=False),
        Binding("enter,l", "select", "Open", id="open"),
        Binding("pagedown", "page(1)", "Page down in list", id="list-page-down", show=False),
        Binding("pageup", "page(-1)", "Page up in list", id="list-page-up", show=False),
        Binding("home", "first", "First article", id="list-first", show=False),
        Binding("end", "last", "Last article", id="list-last", show=False),
        Binding("m,space", "toggle_mark", "Mark", id="mark"),
    ]

    class Open(Message):
        """The user chose an article (enter, l or a click)."""

        def __init__(self, article_id: str) -> None:
            super().__init__()
            self.article_id = article_id

    class Highlighted(Message):
        """The cursor moved to another article (the screen summarizes ahead around it)."""

        def __init__(self, article_id: str) -> None:
            super().__init__()
            self.article_id = article_id

    class MarksChanged(Message):
        """Rows were marked or unmarked (m / space) for a bulk action."""

        def __init__(self, count: int) -> None:
            super().__init__()
            self.count = count

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._marked: dict[str, None] = {}  # ids marked for a bulk action (insertion order)
        self._entries: list[_Entry] = []
        self._tops: list[int] = []  # entry tops, for bisecting a line to its entry
        self._index: dict[str, int] = {}  # article id -> entry index
        self._order: list[str] = []  # article ids as listed
        self._position: dict[str, int] = {}  # article id -> its place in _order
        self._hits: Mapping[str, SearchHit] | None = None
        self._marks: ArticleMarks | None = None
        self._cursor: int | None = None  # entry index
        self._rows: dict[str, Content] = {}  # article id -> row text (built when first seen)
        self._strips: OrderedDict[int, dict[tuple, list[Strip]]] = OrderedDict()  # entry -> its lines
        self._synced_virtual: Size | None = None  # the virtual size the scrollbars were last set for

    # --- attributes down ---------------------------------------------------------

    def show_articles(
        self,
        metas: Sequence[ArticleMeta],
        marks: ArticleMarks,
        hits: Mapping[str, SearchHit] | None = None,
    ) -> None:
        """List ``metas`` (already in corpus order); with ``hits``, only those, with snippets."""
        keep = self.highlighted_id
        self._marks = marks
        self._hits = hits
        shown = [m for m in metas if hits is None or m.id in hits]
        entries: list[_Entry] = []
        top = 0
        for day, group in rows.group_by_day(shown):
            entries.append(_Entry(None, rows.heading(day, len(group)), top, 1))
            top += 1
            for meta in group:
                height = 3 if hits is not None and hits[meta.id].snippet else 2
                entries.append(_Entry(meta, None, top, height))
                top += height
        self._entries = entries
        self._tops = [e.top for e in entries]
        self._index = {e.id: i for i, e in enumerate(entries) if e.id is not None}
        self._order = [m.id for m in shown]
        self._position = {article_id: i for i, article_id in enumerate(self._order)}
        self._rows.clear()
        self._strips.clear()
        if self._marked:  # a row no longer listed cannot stay marked (a bulk action would hit it unseen)
            kept = {i: None for i in self._marked if i in self._index}
            if len(kept) != len(self._marked):
                self._marked = kept
                self.post_message(self.MarksChanged(len(kept)))
        self.virtual_size = Size(self.size.width, top)
        self._cursor = None
        target = keep if keep in self._index else (self._order[0] if self._order else None)
        if target is not None:
            self.highlight_id(target, scroll=False)
        self.scroll_to(y=0, animate=False) if target is None else self._scroll_to_cursor(animate=False)
        self.refresh()

    def refresh_row(self, article_id: str) -> None:
        """Draw one row again (its markers changed)."""
        self._rows.pop(article_id, None)
        index = self._index.get(article_id)
        if index is not None:
            self._forget(index)
            self._refresh_entry(index)

    def highlight_id(self, article_id: str, *, scroll: bool = True) -> None:
        index = self._index.get(article_id)
        if index is None:
            return  # not listed (filtered out by a search)
        self._move_cursor(index, scroll=scroll)

    def clear_marks(self) -> bool:
        """Unmark every row; False when none was marked."""
        if not self._marked:
            return False
        marked, self._marked = list(self._marked), {}
        for article_id in marked:
            self.refresh_row(article_id)
        self.post_message(self.MarksChanged(0))
        return True

    # --- queries -------------------------------------------------------------------

    @property
    def marked_ids(self) -> list[str]:
        """The marked rows, in list order."""
        return [i for i in self._order if i in self._marked] if self._marked else []

    @property
    def shown_ids(self) -> list[str]:
        return list(self._order)

    @property
    def shown_count(self) -> int:
        return len(self._order)

    @property
    def marked_count(self) -> int:
        return len(self._marked)

    @property
    def highlighted_id(self) -> str | None:
        if self._cursor is None or self._cursor >= len(self._entries):
            return None
        return self._entries[self._cursor].id

    def row_content(self, article_id: str) -> Content:
        """The text of an article's row (for tests and the command palette)."""
        return self._row(self._entries[self._index[article_id]])

    def headings(self) -> list[str]:
        return [e.heading.plain for e in self._entries if e.heading is not None]

    def listing(self) -> list[str | None]:
        """Entry ids in order, ``None`` for a day heading."""
        return [e.id for e in self._entries]

    def neighbour(self, article_id: str | None, step: int) -> str | None:
        """The article ``step`` rows after ``article_id`` (or the highlighted one), if any."""
        if not self._order:
            return None
        current = article_id if article_id in self._index else self.highlighted_id
        if current not in self._index:
            return self._order[0] if step > 0 else self._order[-1]
        index = self._position[current] + step
        if 0 <= index < len(self._order):
            return self._order[index]
        return None

    # --- drawing -------------------------------------------------------------------

    def _row(self, entry: _Entry) -> Content:
        assert entry.meta is not None and self._marks is not None
        row = self._rows.get(entry.meta.id)
        if row is None:
            hit = self._hits.get(entry.meta.id) if self._hits is not None else None
            row = rows.article_row(entry.meta, self._marks.markers(entry.meta.id), hit, entry.meta.id in self._marked)
            self._rows[entry.meta.id] = row
        return row

    def _forget(self, index: int) -> None:
        self._strips.pop(index, None)

    def _refresh_entry(self, index: int) -> None:
        """Repaint only the lines of entry ``index`` (when on screen)."""
        if not 0 <= index < len(self._entries):
            return
        entry = self._entries[index]
        top = entry.top - self.scroll_offset.y
        if top + entry.height <= 0 or top >= self.size.height:
            return
        self.refresh(Region(0, top, self.size.width, entry.height))

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        # Textual hands a ScrollView the viewport as ``virtual_size``, which never equals
        # the list's own, so every layout of the screen (each article opened) redrew both
        # scrollbars: only a change of size or of the list's own height needs that.
        if size == self._size and container_size == self.container_size and self.virtual_size == self._synced_virtual:
            return False
        self._synced_virtual = self.virtual_size
        return super()._size_updated(size, virtual_size, container_size, layout)

    def on_focus(self) -> None:
        self.refresh()  # drawn lines are kept for both states (enter and back cost no redraw of the rows)

    def on_blur(self) -> None:
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self._strips.clear()
        self.virtual_size = Size(event.size.width, self.virtual_size.height)

    def render_line(self, y: int) -> Strip:
        line = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        if not self._entries or line >= self._tops[-1] + self._entries[-1].height:
            return Strip.blank(width, self.rich_style)
        index = bisect.bisect_right(self._tops, line) - 1
        entry = self._entries[index]
        offset = line - entry.top
        selected = index == self._cursor
        drawn = self._strips.get(index)
        if drawn is None:
            drawn = self._strips[index] = {}
            while len(self._strips) > ROWS_KEPT:
                self._strips.popitem(last=False)
        else:
            self._strips.move_to_end(index)
        if entry.heading is not None:
            component = "article-list--heading"
        else:
            component = "article-list--cursor" if selected else "article-list--row"
        style = self.get_visual_style(component)  # follows focus (tint) and theme: part of the key
        key = (component, width, style)
        strips = drawn.get(key)
        if strips is None:  # every line of the entry at once (one wrap of its text)
            if len(drawn) >= 8:  # old themes or widths
                drawn.clear()
            content = entry.heading if entry.heading is not None else self._row(entry)
            rendered = Visual.to_strips(self, content, width, None, style)
            strips = [
                (rendered[i] if i < len(rendered) else Strip.blank(width, style.rich_style))
                .extend_cell_length(width, style.rich_style)
                .crop(0, width)
                for i in range(entry.height)
            ]
            drawn[key] = strips
        return strips[offset] if offset < len(strips) else Strip.blank(width, self.rich_style)

    # --- cursor and scrolling ------------------------------------------------------

    def _move_cursor(self, index: int, *, scroll: bool = True) -> None:
        previous = self._cursor
        self._cursor = index
        for changed in (previous, index):
            if changed is not None:
                self._forget(changed)
        if previous != index and self._entries[index].id is not None:
            self.post_message(self.Highlighted(self._entries[index].id))
        if scroll:
            self._scroll_to_cursor()  # a scroll repaints the whole list by itself
        for changed in (previous, index):
            if changed is not None:
                self._refresh_entry(changed)

    def _scroll_to_cursor(self, animate: bool = False) -> None:
        if self._cursor is None:
            return
        entry = self._entries[self._cursor]
        top = entry.top
        # show the day heading too when the cursor is on the first row of a day
        if self._cursor > 0 and self._entries[self._cursor - 1].heading is not None:
            top -= 1
        region = Region(0, top, 1, entry.top + entry.height - top)
        self.scroll_to_region(region, animate=animate, force=True, immediate=True)

    def _step(self, step: int) -> None:
        if not self._order:
            return
        if self.highlighted_id is None:
            self.highlight_id(self._order[0])
            return
        target = self.neighbour(self.highlighted_id, step)
        if target is not None:
            self.highlight_id(target)

    def action_cursor_down(self) -> None:
        self._step(1)

    def action_cursor_up(self) -> None:
        self._step(-1)

    def action_page(self, step: int) -> None:
        """About a screenful of articles down (step=1) or up (-1), in one move."""
        if not self._order:
            return
        rows_per_page = max(1, self.scrollable_content_region.height // 2 - 1)
        current = self.highlighted_id
        if current is None:
            self.highlight_id(self._order[0])
            return
        position = self._position[current] + step * rows_per_page
        self.highlight_id(self._order[max(0, min(len(self._order) - 1, position))])

    def action_first(self) -> None:
        if self._order:
            self.highlight_id(self._order[0])

    def action_last(self) -> None:
        if self._order:
            self.highlight_id(self._order[-1])

    def action_toggle_mark(self) -> None:
        """Mark or unmark the highlighted row, then move down (to mark a run quickly)."""
        article_id = self.highlighted_id
        if article_id is None:
            return
        if article_id in self._marked:
            del self._marked[article_id]
        else:
            self._marked[article_id] = None
        self.refresh_row(article_id)
        self.post_message(self.MarksChanged(len(self._marked)))
        self._step(1)

    def action_select(self) -> None:
        article_id = self.highlighted_id
        if article_id is not None:
            self.post_message(self.Open(article_id))

    # --- mouse ---------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or not self._entries:
            return
        line = self.scroll_offset.y + offset.y
        index = bisect.bisect_right(self._tops, line) - 1
        if 0 <= index < len(self._entries) and line < self._entries[index].top + self._entries[index].height:
            article_id = self._entries[index].id
            if article_id is not None:
                self._move_cursor(index)
                self.post_message(self.Open(article_id))
