"""The article list: rows grouped under day headings, newest day first, undated last.

A line-based scroll view over a listing read a window at a time (issue 20): what is
listed (:mod:`briefing.listing.window`: index rowids and days in arrays, or a small
list of metas) and where each row stands (:class:`briefing.listing.layout.ListLayout`:
a heading is one line, an article two, three with a search snippet, worked out from
a few arrays) hold no object per article, so memory does not grow with the corpus.
Only the rows on screen are read (their metas, in one query a window), turned into
text and drawn (both cached by row in bounded LRUs: :mod:`~briefing.tui.widgets.list_draw`).
Moving the cursor redraws the two rows concerned, not the list. The rows marked for a
bulk action, and the keys that mark them: :mod:`~briefing.tui.widgets.list_marks`.

Stories (:mod:`briefing.tui.stories`): with ``stories`` given, the versions of a story
are one row (its key is :func:`~briefing.tui.stories.story_key`, never an article id),
→ expands it to its members and ← folds it again. ``highlighted_id``, ``neighbour``
and the messages speak of articles (a story row stands for the article it shows, its
lead), and ``marked_ids`` gives every member of a marked story.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeAlias

from textual import events
from textual.content import Content
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from briefing.index.query import SearchHit
from briefing.listing.layout import MEMBER, ListLayout
from briefing.listing.window import Listing, ListingStopped, MetaListing
from briefing.model import ArticleMeta
from briefing.sanitize import clean_line
from briefing.tui import bindings, rows
from briefing.tui import stories as story_rows
from briefing.tui.marks import ArticleMarks
from briefing.tui.searching import snippet_ids
from briefing.tui.stories import ListRow
from briefing.tui.widgets import list_messages, list_pending
from briefing.tui.widgets.list_draw import RowDrawings, draw_lines
from briefing.tui.widgets.list_marks import BulkMarks, MarkedRows
from briefing.tui.widgets.list_pending import LayoutRequests, Pending
from briefing.tui.widgets.list_rows import RowReader, row_text

FEW_ROWS = 16  # more rows changed at once than this: those on screen are found from the screen (refresh_rows)


class ArticleList(MarkedRows, ScrollView, can_focus=True):
    """Headings cannot take the cursor; the cursor is always on an article (when any)."""

    COMPONENT_CLASSES = {
        "article-list--heading", "article-list--cursor", "article-list--cursor-blurred", "article-list--row",
    }

    BINDINGS = bindings.ARTICLE_LIST

    # What the list tells the screen (briefing.tui.widgets.list_messages; handlers keep
    # their names: on_article_list_open, ...).
    Open: TypeAlias = list_messages.Open
    Highlighted: TypeAlias = list_messages.Highlighted
    Listed: TypeAlias = list_messages.Listed
    _LaidOut: TypeAlias = list_messages.LaidOut
    MarksChanged: TypeAlias = list_messages.MarksChanged

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._bulk = BulkMarks()  # the rows marked for a bulk action
        self._layout: ListLayout | None = None
        self._hits: Mapping[str, SearchHit] | None = None
        self._marks: ArticleMarks | None = None
        self._cursor: int | None = None  # row index
        self._pinned: tuple[str, str] | None = None  # (key, article id) of the cursor's row when it got there
        self._drawn = RowDrawings()  # row texts and drawn lines (built when first seen)
        self._synced_virtual: Size | None = None  # the virtual size the scrollbars were last set for
        self._stories: Any = None  # briefing.stories.Stories, or None: one row per article
        self._expanded: set[str] = set()  # ids of the stories shown with their members
        self._reader = RowReader(self._expanded)  # the rows on screen, read a window at a time
        self._listing: Listing = MetaListing([])
        self.compact = False  # one line per article, no day headings (v; set with set_compact)
        self._requests = LayoutRequests()  # layouts asked of a worker (a long list)

    # --- attributes down ---------------------------------------------------------

    def show_articles(
        self,
        metas: Sequence[ArticleMeta] | Listing,
        marks: ArticleMarks,
        hits: Mapping[str, SearchHit] | None = None,
        stories: Any = None,
    ) -> None:
        """List ``metas`` (a listing, or metas already in corpus order); with ``hits``,
        only those (a listing is already narrowed), with snippets. ``stories`` (a
        :class:`briefing.stories.Stories`): one row per story. Laid out at once; see
        :meth:`show_articles_later` for a long list."""
        self._marks = marks
        if isinstance(metas, Sequence):
            metas = MetaListing([m for m in metas if hits is None or m.id in hits])
        if len(metas) > list_pending.LAY_OUT_IN_WORKER_ABOVE:
            listing = metas
            self._lay_out_later(Pending(lambda _should_stop: listing, hits, stories, None, None))
            return
        self._requests.drop()
        self._hits = hits
        self._listing = metas
        self._stories = stories
        self._build(self._cursor_key())

    def show_articles_later(self, make: Callable[[Callable[[], bool]], Listing], marks: ArticleMarks,
                            hits: Mapping[str, SearchHit] | None = None, stories: Any = None) -> None:
        """:meth:`show_articles` for a long list: ``make(should_stop)`` (the listing) and
        its layout run in a thread worker; the rows shown meanwhile stay, and keys move
        on them. :class:`Listed` is posted when the new rows are shown (a newer request
        first drops this one, and stops its making: ``should_stop`` says so)."""
        self._marks = marks
        self._lay_out_later(Pending(make, hits, stories, self._requests.kept, None))  # (kept: asked for meanwhile)

    def _lay_out_later(self, pending: Pending) -> None:
        """Lay the rows out in a worker; the rows, hits and stories shown stay until then."""
        expanded = frozenset(self._expanded_for(pending.stories))
        snippets = tuple(snippet_ids(pending.hits)) if pending.hits is not None else ()
        compact, make, stories = self.compact, pending.make, pending.stories
        token = self._requests.ask(pending)

        requests = self._requests

        def superseded() -> bool:
            return requests.token != token  # (an int read from the worker's thread)

        def work() -> None:
            try:
                listing = make(superseded)
                if superseded():
                    return
                layout = list_pending.lay_out_in_worker(listing, stories, expanded, snippets, compact)
            except ListingStopped:
                return  # a newer layout was asked for: its worker shows the rows
            except Exception as exc:  # noqa: BLE001 - the rows shown stay; said, never a crash
                self.post_message(self._LaidOut(token, None, None, f"Listing failed: {exc}"))
                return
            self.post_message(self._LaidOut(token, listing, layout))

        self.run_worker(work, thread=True, exclusive=True, group="list-layout", exit_on_error=False,
                        description="lay the list out")

    @property
    def laying_out(self) -> bool:
        """A worker is laying rows out (the rows shown are the previous ones)."""
        return self._requests.pending is not None

    def on_article_list_laid_out(self, message: list_messages.LaidOut) -> None:
        message.stop()
        pending = self._requests.take(message.token)
        if pending is None:
            return  # a newer layout was asked for
        if message.listing is None or message.layout is None:  # failed: the rows shown stay
            self.app.notify(clean_line(message.error or "Listing failed."), severity="warning", markup=False)
            self.post_message(self.Listed(len(self._listing)))
            return
        self._listing = message.listing
        self._hits = pending.hits
        self._stories = pending.stories
        self._apply(message.layout, pending.keep if pending.keep is not None else self._cursor_key())
        if pending.then is not None:
            pending.then()
        self.post_message(self.Listed(len(message.listing)))

    def _cursor_key(self) -> str | None:
        """The key of the cursor's row as it was when the cursor got there (the index
        may have changed under the listing since: a renamed file keeps its row)."""
        if self._cursor is None or self._layout is None or self._cursor >= self._layout.rows:
            return None
        return self._pinned[0] if self._pinned is not None else self._key(self._cursor)

    def _expanded_for(self, stories: Any) -> set[str]:
        """The expanded stories, with those of marked articles (a marked article stays in sight)."""
        self._expanded |= self._bulk.stories_of_marked(stories)  # (in place: the row reader holds the set)
        return self._expanded

    def _build(self, keep: str | None, then: Callable[[], None] | None = None) -> None:
        """Lay the rows out again (the articles, the stories or what is expanded
        changed): at once, or in a worker for a long list (``then`` once shown)."""
        was = self._requests.pending
        if was is not None:  # rows still coming: laid out again from what they are made of
            self._lay_out_later(Pending(was.make, was.hits, was.stories, keep if keep is not None else was.keep,
                                        then if then is not None else was.then))
            return
        listing = self._listing
        if len(listing) > list_pending.LAY_OUT_IN_WORKER_ABOVE:
            self._lay_out_later(Pending(lambda _should_stop: listing, self._hits, self._stories, keep, then))
            return
        self._requests.drop()
        expanded = self._expanded_for(self._stories)
        hits = self._hits
        snippets = snippet_ids(hits) if hits is not None else ()
        self._apply(list_pending.lay_out(listing, self._stories, expanded, snippets, self.compact), keep)
        if then is not None:
            then()

    def _apply(self, layout: ListLayout, keep: str | None) -> None:
        """Show the rows of ``layout`` (of ``self._listing``), the cursor on ``keep``'s row."""
        old = self._layout
        shown_before = self.highlighted_id
        # the rows beside the cursor's (read before the layout changes): where the cursor
        # goes when its own row leaves the list while the rest stays (dismissed and hidden)
        was_at = self._cursor
        beside = [self._key(r) for r in (was_at + 1, was_at - 1) if 0 <= r < old.rows] if (
            was_at is not None and old is not None) else []
        self._layout = layout
        self._drawn.clear()
        self._reader.reset(layout)
        if self._bulk.keep_listed(old, layout):  # a row no longer listed is unmarked
            self.post_message(self.MarksChanged(self.marked_count))
        self.virtual_size = Size(self.size.width, layout.height)
        self._cursor = self._pinned = None
        target = self._row_for_key(keep)
        if target is None and keep is not None and story_rows.is_story_key(keep):  # grouping off: the story's lead
            target = layout.row_for_article(keep[len(story_rows.STORY_KEY):])
        if target is None and shown_before is not None:  # e.g. the lead is not among the search results
            target = layout.row_for_article(shown_before)
        for key in beside:  # its row left the list: the row after it (else before), triage goes on there
            if target is not None:
                break
            target = self._row_for_key(key)
        if target is None and layout.rows:
            target = 0
        if target is not None:
            self._move_cursor(target, scroll=False)
        self.scroll_to(y=0, animate=False) if target is None else self._scroll_to_cursor(animate=False)
        self.refresh()

    def set_compact(self, compact: bool) -> None:
        """One line per article (True) or two under day headings; the cursor stays."""
        if compact != self.compact:
            self.compact = compact
            if self._marks is not None:
                self._build(self._cursor_key())

    # --- rows, read a window at a time ---------------------------------------------

    @property
    def rows_count(self) -> int:
        return self._layout.rows if self._layout is not None else 0

    def _row(self, row: int) -> ListRow | None:
        """The ListRow of row ``row`` (None when its article left the index meanwhile)."""
        return self._reader.row(row)

    def _key(self, row: int) -> str | None:
        listed = self._row(row)
        return listed.key if listed is not None else None

    def row_key(self, row: int) -> str | None:
        """The key of row ``row`` (for tests)."""
        return self._key(row)

    def _row_for_key(self, key: str | None) -> int | None:
        """The row with key ``key``: an article's own row, else its story's row."""
        if key is None or self._layout is None:
            return None
        if story_rows.is_story_key(key):
            return self._layout.row_of_key(key)
        return self._layout.row_for_article(key)

    def _key_for(self, article_id: str | None) -> str | None:
        """The key of the row showing ``article_id``: its own row, else its story's row."""
        row = self._row_for_key(article_id)
        return self._key(row) if row is not None else None

    def refresh_key(self, key: str) -> None:
        """Draw the row with key ``key`` again."""
        self._drawn.forget_text(key)
        row = self._row_for_key(key)
        if row is not None:
            self._drawn.forget_lines(row)
            self._refresh_row(row)

    def refresh_row(self, article_id: str) -> None:
        """Draw one row again (its markers changed), and its story's row."""
        self.refresh_key(article_id)
        key = self._key_for(article_id)
        if key is not None and key != article_id:
            self.refresh_key(key)

    def refresh_rows(self, article_ids: Sequence[str]) -> None:
        """Draw the rows of ``article_ids`` again, and their stories' rows: each found
        by itself when they are few. When many (a story's versions, read at once; a
        bulk change), a look-up per id would cost more at a million articles (0.4 ms
        each) than the screen: the rows on screen that show one of them or a story
        holding one are drawn again, and the texts kept for the rows off screen
        (theirs, every story's) are forgotten, so they are drawn from the markers
        when they come into view."""
        if len(article_ids) <= FEW_ROWS:
            for article_id in article_ids:
                self.refresh_row(article_id)
            return
        changed = set(article_ids)
        drawn = self._drawn
        for kept in [kept for kept in drawn.texts if kept in changed or story_rows.is_story_key(kept)]:
            drawn.forget_text(kept)
        drawn.strips.clear()  # kept lines are drawn again from the texts as their rows are repainted
        for row in self._rows_on_screen():
            listed = self._row(row)
            if listed is not None and (listed.key in changed
                                       or listed.is_story and not changed.isdisjoint(listed.article_ids)):
                self._refresh_row(row)

    def _rows_on_screen(self) -> range:
        layout = self._layout
        if layout is None or not layout.rows:
            return range(0)
        top = self.scroll_offset.y
        first = layout.at_line(top)
        last = layout.at_line(min(top + self.size.height, layout.height) - 1)
        if first is None or last is None:
            return range(0)
        return range(first[0], last[0] + 1)

    def redraw_rows(self) -> None:
        """Draw every row again from the markers (annotations changed elsewhere), the
        layout kept: only the rows on screen are rendered, at any corpus size."""
        self._drawn.clear()
        self._reader.reset(self._layout)
        self.refresh()

    def highlight_id(self, article_id: str, *, scroll: bool = True) -> None:
        """Put the cursor on ``article_id``'s row (its story's row when folded in one);
        rows still coming from a worker put it there too when they arrive."""
        self._requests.keep(article_id)
        row = self._row_for_key(article_id)
        if row is None:
            return  # not listed (filtered out by a search)
        self._move_cursor(row, scroll=scroll)

    def _highlight_key(self, key: str) -> None:
        row = self._row_for_key(key)
        if row is not None:
            self._move_cursor(row)

    # --- queries -------------------------------------------------------------------

    @property
    def shown_ids(self) -> list[str]:
        """The articles listed (those folded into a story row too), in list order."""
        return list(self._listing.ids())

    @property
    def shown_count(self) -> int:
        return len(self._listing)

    @property
    def highlighted_id(self) -> str | None:
        """The article of the row under the cursor (a story row: the article it shows)."""
        if self._cursor is None:
            return None
        if self._pinned is not None:
            return self._pinned[1]
        listed = self.highlighted_row
        return listed.meta.id if listed is not None else None

    @property
    def highlighted_row(self) -> ListRow | None:
        if self._cursor is None:
            return None
        return self._row(self._cursor)

    @property
    def expanded(self) -> frozenset[str]:
        return frozenset(self._expanded)

    def row_content(self, article_id: str) -> Content:
        """The text of the row showing an article (its story's row when folded), or of
        the row with that key (for tests and the command palette)."""
        row = self._row_for_key(article_id)
        if row is None:
            raise KeyError(article_id)
        return self._text(row)

    def headings(self) -> list[str]:
        if self._layout is None or self.compact:
            return []
        return [rows.heading(h.day, h.count).plain for h in self._layout.headings()]

    def listing(self) -> list[str | None]:
        """Row keys in order, ``None`` for a day heading (reads every row: for tests)."""
        layout = self._layout
        if layout is None:
            return []
        out: list[str | None] = []
        for row in range(layout.rows):
            if layout.heading_above(row):
                out.append(None)
            out.append(self._key(row))
        return out

    def _article_of_row(self, row: int) -> str | None:
        listed = self._row(row)
        return listed.meta.id if listed is not None else None

    def neighbour(self, article_id: str | None, step: int) -> str | None:
        """The article ``step`` rows after ``article_id`` (or the highlighted one), if any
        (a story row counts as one row: its article is the one it shows)."""
        total = self.rows_count
        if not total:
            return None
        row = self._row_for_key(article_id)
        if row is None:
            row = self._cursor
        if row is None:
            return self._article_of_row(0 if step > 0 else total - 1)
        target = row + step
        return self._article_of_row(target) if 0 <= target < total else None

    # --- drawing -------------------------------------------------------------------

    def _text(self, row: int) -> Content:
        listed, marks = self._row(row), self._marks
        if listed is None or marks is None:
            return Content("")
        hit = self._hits.get(listed.meta.id) if self._hits is not None else None
        return self._drawn.text(listed.key, lambda: row_text(listed, marks, hit, self._bulk.is_marked(listed.key),
                                                             self.compact))

    def _refresh_row(self, row: int) -> None:
        """Repaint only the lines of row ``row`` (when on screen)."""
        layout = self._layout
        if layout is None or not 0 <= row < layout.rows:
            return
        height = layout.height_of(row)
        top = layout.top(row) - self.scroll_offset.y
        if top + height <= 0 or top >= self.size.height:
            return
        self.refresh(Region(0, top, self.size.width, height))

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        # Textual hands a ScrollView the viewport as ``virtual_size``, which never equals
        # the list's own, so every layout of the screen (each article opened) redrew both
        # scrollbars: only a change of size or of the list's own height needs that.
        if size == self._size and container_size == self.container_size and self.virtual_size == self._synced_virtual:
            return False
        self._synced_virtual = self.virtual_size
        return super()._size_updated(size, virtual_size, container_size, layout)

    def _on_focus(self, event: events.Focus) -> None:
        self._focus_moved(event, True)

    def _on_blur(self, event: events.Blur) -> None:
        self._focus_moved(event, False)

    def _focus_moved(self, event: events.Focus | events.Blur, focused: bool) -> None:
        # Only the cursor's row looks different with or without focus (it picks its
        # style as it is drawn): Textual's own handlers, which this one stands in for,
        # repaint every row, and focus moves on every article opened.
        event.prevent_default()
        self.has_focus = focused
        if self._cursor is not None:
            self._refresh_row(self._cursor)
        if self.parent is not None:
            self.parent.post_message(events.DescendantFocus(self) if focused else events.DescendantBlur(self))

    def watch_has_focus(self, _has_focus: bool) -> None:
        """No style of the list depends on its focus (see ``_focus_moved``): Textual's
        restyle here would repaint the list and its scrollbar for nothing."""

    def on_resize(self, event: events.Resize) -> None:
        self._drawn.strips.clear()
        self.virtual_size = Size(event.size.width, self.virtual_size.height)

    def render_line(self, y: int) -> Strip:
        line = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        layout = self._layout
        found = layout.at_line(line) if layout is not None else None
        if found is None:
            return Strip.blank(width, self.rich_style)
        assert layout is not None
        row, offset = found
        is_heading = offset < 0
        if is_heading:
            component = "article-list--heading"
        else:
            component = ("article-list--cursor" if self.has_focus else "article-list--cursor-blurred") \
                if row == self._cursor else "article-list--row"
        style = self.get_visual_style(component)  # follows the theme (the cursor row's component, the focus): part of the key

        def draw() -> list[Strip]:  # every line of the row at once (one wrap of its text)
            assert layout is not None
            if is_heading:
                return draw_lines(self, rows.heading(layout.day(row), layout.heading_count(row)), width, 1, style)
            return draw_lines(self, self._text(row), width, layout.height_of(row), style)

        strips = self._drawn.lines(("h" if is_heading else "r", row), (component, width, style), draw)
        index = 0 if is_heading else offset
        return strips[index] if index < len(strips) else Strip.blank(width, self.rich_style)

    # --- cursor and scrolling ------------------------------------------------------

    def _move_cursor(self, row: int, *, scroll: bool = True) -> None:
        previous = self._cursor
        self._cursor = row
        for changed in (previous, row):
            if changed is not None:
                self._drawn.forget_lines(changed)
        listed = self._row(row)
        self._pinned = (listed.key, listed.meta.id) if listed is not None else None
        if previous != row and listed is not None:
            self.post_message(self.Highlighted(listed.meta.id))
        if scroll:
            self._scroll_to_cursor()  # a scroll repaints the whole list by itself
        for changed in (previous, row):
            if changed is not None:
                self._refresh_row(changed)

    def _scroll_to_cursor(self, animate: bool = False) -> None:
        layout = self._layout
        if self._cursor is None or layout is None:
            return
        first = layout.top(self._cursor)
        top = first - 1 if layout.heading_above(self._cursor) else first  # its day heading too
        region = Region(0, top, 1, first + layout.height_of(self._cursor) - top)
        self.scroll_to_region(region, animate=animate, force=True, immediate=True)

    def _go(self, row: int) -> None:
        self._requests.keep(None)  # a key moved the cursor: rows still coming keep it there
        total = self.rows_count
        if total:
            self._move_cursor(max(0, min(total - 1, row)))

    def _step(self, step: int) -> None:
        self._requests.keep(None)
        total = self.rows_count
        if not total:
            return
        if self._cursor is None:
            self._move_cursor(0)
            return
        target = self._cursor + step
        if 0 <= target < total:
            self._move_cursor(target)

    def action_cursor_down(self) -> None:
        self._step(1)

    def action_cursor_up(self) -> None:
        self._step(-1)

    def action_page(self, step: int) -> None:
        """About a screenful of articles down (step=1) or up (-1), in one move."""
        if not self.rows_count:
            return
        rows_per_page = max(1, self.scrollable_content_region.height // (1 if self.compact else 2) - 1)
        if self._cursor is None:
            self._move_cursor(0)
            return
        self._go(self._cursor + step * rows_per_page)

    def action_first(self) -> None:
        self._go(0)

    def action_last(self) -> None:
        self._go(self.rows_count - 1)

    # --- stories -------------------------------------------------------------------

    def set_expanded(self, story_id: str, expanded: bool) -> bool:
        """Show a story's members under its row, or fold them; False when nothing changed."""
        if expanded == (story_id in self._expanded):
            return False
        key = story_rows.story_key(story_id)
        if expanded:
            self._expanded.add(story_id)
        else:
            self._expanded.discard(story_id)
            story = self._stories.get(story_id) if self._stories is not None else None
            members = set(story.members) if story is not None else set()
            if self._bulk.unmark(members):  # a marked member folded out of sight is unmarked (said by the count)
                self.post_message(self.MarksChanged(self.marked_count))
        then = (lambda: self._members_in_view(key)) if expanded else None
        layout = self._layout
        plain = layout is not None and not self.laying_out and not self._bulk
        toggled = layout.toggled(story_id, expanded) if plain and layout is not None else None
        if toggled is None:
            self._build(key, then)
            return True
        self._requests.drop()  # (shifted from the rows shown: no pass over the listing, at any size)
        self._apply(toggled, key)
        if then is not None:
            then()
        return True

    def _members_in_view(self, key: str) -> None:
        """Bring an expanded story's members into view below its row."""
        row = self._row_for_key(key)
        layout = self._layout
        if row is not None and layout is not None:
            last = row
            while last + 1 < layout.rows and layout.kind(last + 1) == MEMBER:
                last += 1
            top, bottom = layout.top(row), layout.top(last) + layout.height_of(last)
            height = max(1, min(bottom - top, self.scrollable_content_region.height))
            self.scroll_to_region(Region(0, top, 1, height), animate=False, force=True, immediate=True)

    def action_expand(self) -> None:
        """→ on a story row: show its members (again: go to the first one)."""
        row = self.highlighted_row
        if row is None or row.story is None:
            self.app.bell()
            return
        if row.depth == 0 and not row.expanded:
            self.set_expanded(row.story.id, True)
        elif row.depth == 0:
            self._step(1)
        else:
            self.app.bell()

    def action_collapse(self) -> None:
        """← on a story row or one of its members: fold the story onto its row."""
        row = self.highlighted_row
        if row is None or row.story is None:
            self.app.bell()
            return
        if not self.set_expanded(row.story.id, False):
            self.app.bell()

    def action_select(self) -> None:
        article_id = self.highlighted_id
        if article_id is not None:
            row = self.highlighted_row
            self.post_message(self.Open(article_id, row.article_ids if row is not None and row.is_story else ()))

    # --- mouse ---------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or self._layout is None:
            return
        found = self._layout.at_line(self.scroll_offset.y + offset.y)
        if found is None or found[1] < 0:
            return  # past the rows, or a day heading
        row = found[0]
        listed = self._row(row)
        if listed is not None:
            self._move_cursor(row)
            self.post_message(self.Open(listed.meta.id, listed.article_ids if listed.is_story else ()))
