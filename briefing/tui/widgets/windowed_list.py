"""The article list drawn from the index a screen at a time (issue 20; not wired yet).

A line-based scroll view over a :class:`~briefing.index.window.WindowedListing` and
its :class:`~briefing.index.window.LineLayout`: the list holds no row per article,
only the listing's rowids and days; each line drawn finds its place by bisection
and reads the articles around it in one query (a window kept in the listing's small
cache). Rows are drawn as :class:`~briefing.tui.widgets.article_list.ArticleList`
draws them (``briefing.tui.rows``), under day headings with their counts.

What it does: the cursor (down/up, page, first/last), open (enter), the highlighted
article, a search's snippets. What :class:`ArticleList` does besides (stories, marks
for bulk actions, the compact list's redraw on ``v``) is not here yet: the reader
still uses :class:`ArticleList`; see the report of issue 20 for the wiring.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping

from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import Visual

from briefing.index.query import SearchHit
from briefing.index.window import LineLayout, WindowedListing
from briefing.model import ArticleMeta
from briefing.tui import bindings, rows
from briefing.tui.marks import ArticleMarks

LINES_KEPT = 512  # drawn entries kept (a screenful is ~25)
READ_AROUND = 48  # places read either side of one not yet read (one query a few screens)
_KEYS = {"list-down", "list-up", "open", "list-page-down", "list-page-up", "list-first", "list-last"}


class WindowedArticleList(ScrollView, can_focus=True):
    """The cursor is always on an article (when any); headings cannot take it."""

    COMPONENT_CLASSES = {"article-list--heading", "article-list--cursor", "article-list--row"}

    BINDINGS = [b for b in bindings.ARTICLE_LIST if getattr(b, "id", None) in _KEYS]

    class Open(Message):
        def __init__(self, article_id: str) -> None:
            super().__init__()
            self.article_id = article_id

    class Highlighted(Message):
        def __init__(self, article_id: str) -> None:
            super().__init__()
            self.article_id = article_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._listing: WindowedListing | None = None
        self._lines: LineLayout | None = None
        self._marks: ArticleMarks | None = None
        self._hits: Mapping[str, SearchHit] | None = None
        self._cursor: int | None = None  # a place of the listing
        self._drawn: OrderedDict[tuple[int, bool, str, int, object], list[Strip]] = OrderedDict()

    # --- attributes down ---------------------------------------------------------

    def show_listing(self, listing: WindowedListing, marks: ArticleMarks,
                     hits: Mapping[str, SearchHit] | None = None) -> None:
        """List ``listing``; ``hits``: a search's hits (a snippet line under the rows
        that have one). The cursor stays on its article when still listed."""
        keep = self.highlighted_id
        snippets: list[int] = []
        if hits:
            for article_id, hit in hits.items():
                if hit.snippet:
                    place = listing.position(article_id)
                    if place is not None:
                        snippets.append(place)
        self._listing, self._marks, self._hits = listing, marks, hits
        self._lines = LineLayout(listing, snippets)
        self._drawn.clear()
        self.virtual_size = Size(self.size.width, self._lines.height)
        place = listing.position(keep) if keep is not None else None
        self._cursor = None
        if place is None and len(listing):
            place = 0
        if place is not None:
            self._move_cursor(place)
        else:
            self.scroll_to(y=0, animate=False)
        self.refresh()

    # --- queries -------------------------------------------------------------------

    @property
    def shown_count(self) -> int:
        return len(self._listing) if self._listing is not None else 0

    @property
    def highlighted_id(self) -> str | None:
        meta = self._meta(self._cursor) if self._cursor is not None else None
        return meta.id if meta is not None else None

    @property
    def cursor_place(self) -> int | None:
        return self._cursor

    def _meta(self, place: int) -> ArticleMeta | None:
        return self._listing.at(place, READ_AROUND) if self._listing is not None else None

    # --- drawing -------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        line = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        lines, listing = self._lines, self._listing
        found = lines.at_line(line) if lines is not None else None
        if found is None or lines is None or listing is None:
            return Strip.blank(width, self.rich_style)
        place, heading = found
        top = lines.top(place) - 1 if heading else lines.top(place)
        height = 1 if heading else lines.height_of(place)
        if heading:
            component = "article-list--heading"
        else:
            component = "article-list--cursor" if place == self._cursor else "article-list--row"
        style = self.get_visual_style(component)
        key = (place, heading, component, width, style)
        strips = self._drawn.get(key)
        if strips is None:
            content = self._heading(place) if heading else self._row(place)
            rendered = Visual.to_strips(self, content, width, None, style)
            strips = [
                (rendered[i] if i < len(rendered) else Strip.blank(width, style.rich_style))
                .extend_cell_length(width, style.rich_style)
                .crop(0, width)
                for i in range(height)
            ]
            self._drawn[key] = strips
            while len(self._drawn) > LINES_KEPT:
                self._drawn.popitem(last=False)
        else:
            self._drawn.move_to_end(key)
        offset = line - top
        return strips[offset] if offset < len(strips) else Strip.blank(width, self.rich_style)

    def _heading(self, place: int) -> Content:
        assert self._listing is not None
        first, stop = self._listing.day_span(place)
        return rows.heading(self._listing.day(place), stop - first)

    def _row(self, place: int) -> Content:
        meta = self._meta(place)
        assert self._marks is not None
        if meta is None:  # removed from the index since the listing was made (a new one is on its way)
            return Content("")
        hit = self._hits.get(meta.id) if self._hits is not None else None
        return rows.article_row(meta, self._marks.markers(meta.id), hit, False)

    # --- cursor and scrolling ------------------------------------------------------

    def _region_of(self, place: int) -> Region:
        assert self._lines is not None
        top = self._lines.top(place)
        return Region(0, top - self.scroll_offset.y, self.size.width, self._lines.height_of(place))

    def _move_cursor(self, place: int) -> None:
        previous, self._cursor = self._cursor, place
        meta = self._meta(place)
        if previous != place and meta is not None:
            self.post_message(self.Highlighted(meta.id))
        assert self._lines is not None
        top = self._lines.top(place)
        heading = self._lines.heading_line(place)
        first = heading if heading is not None else top  # the day's heading too, on its first row
        self.scroll_to_region(Region(0, first, 1, top + self._lines.height_of(place) - first),
                              animate=False, force=True, immediate=True)
        for changed in (previous, place):
            if changed is not None:
                self.refresh(self._region_of(changed))

    def _go(self, place: int) -> None:
        n = self.shown_count
        if n:
            self._move_cursor(max(0, min(n - 1, place)))

    def action_cursor_down(self) -> None:
        self._go(0 if self._cursor is None else self._cursor + 1)

    def action_cursor_up(self) -> None:
        self._go(0 if self._cursor is None else self._cursor - 1)

    def action_page(self, step: int) -> None:
        per_page = max(1, self.scrollable_content_region.height // 2 - 1)
        self._go(0 if self._cursor is None else self._cursor + step * per_page)

    def action_first(self) -> None:
        self._go(0)

    def action_last(self) -> None:
        self._go(self.shown_count - 1)

    def action_select(self) -> None:
        article_id = self.highlighted_id
        if article_id is not None:
            self.post_message(self.Open(article_id))
