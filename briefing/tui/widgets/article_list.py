"""The article list: rows grouped under day headings, newest day first, undated last.

A line-based scroll view: every row has a known height (a heading is one line, an
article two, three with a search snippet), so showing 10,000 articles costs an index of
offsets, and only the rows on screen are ever turned into text (cached by row, in a
bounded LRU). Moving the cursor redraws the two rows concerned, not the list.

Rows are ``Entry`` objects: a heading (``meta`` None, ``heading`` its text) or an
article. Another kind of row (e.g. a story header standing for several articles) is
one more ``Entry`` with its own ``height`` and text: ``show_articles`` builds the
entries, ``_text_of`` gives the Content drawn for one, and only entries with an
``id`` in ``_index`` can take the cursor.

Stories (:mod:`briefing.tui.stories`): with ``stories`` given, the versions of a story
are one row (its key is :func:`~briefing.tui.stories.story_key`, never an article id),
→ expands it to its members and ← folds it again. Entries are keyed by row key;
``highlighted_id``, ``neighbour`` and the messages speak of articles (a story row
stands for the article it shows, its lead), and ``marked_ids`` gives every member of
a marked story.
"""

from __future__ import annotations

import bisect
from collections import OrderedDict
from collections.abc import Mapping, Sequence

from textual import events
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import Visual

from briefing.index.query import SearchHit
from briefing.model import ArticleMeta
from briefing.tui import bindings, rows
from briefing.tui import stories as story_rows
from briefing.tui.marks import ArticleMarks
from briefing.tui.stories import ListRow
from briefing.tui.widgets.list_layout import Entry, lay_out, row_height

ROWS_KEPT = 512  # entries whose drawn lines are kept (a screenful is ~25)


class ArticleList(ScrollView, can_focus=True):
    """Headings cannot take the cursor; the cursor is always on an article (when any)."""

    COMPONENT_CLASSES = {"article-list--heading", "article-list--cursor", "article-list--row"}

    BINDINGS = bindings.ARTICLE_LIST

    class Open(Message):
        """The user chose an article (enter, l or a click). On a story row: the
        article it shows, and ``story`` the ids of every version of the story."""

        def __init__(self, article_id: str, story: tuple[str, ...] = ()) -> None:
            super().__init__()
            self.article_id = article_id
            self.story = story

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
        self._entries: list[Entry] = []
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
        self._metas: Sequence[ArticleMeta] = ()
        self._stories = None  # briefing.stories.Stories, or None: one row per article
        self._expanded: set[str] = set()  # ids of the stories shown with their members
        self._story_keys: dict[str, str] = {}  # article id -> the key of its story's row
        self._listed: int = 0  # articles listed (in a story row or not)
        self._shown_ids: list[str] = []
        self._meta_by_id: dict[str, ArticleMeta] = {}  # listed articles, when grouped (to open a story)
        self.compact = False  # one line per article, no day headings (v; set with set_compact)

    # --- attributes down ---------------------------------------------------------

    def show_articles(
        self,
        metas: Sequence[ArticleMeta],
        marks: ArticleMarks,
        hits: Mapping[str, SearchHit] | None = None,
        stories=None,
    ) -> None:
        """List ``metas`` (already in corpus order); with ``hits``, only those, with snippets.
        ``stories`` (a :class:`briefing.stories.Stories`): one row per story."""
        self._marks = marks
        self._hits = hits
        self._metas = metas
        self._stories = stories
        self._build(self._cursor_key())

    def _cursor_key(self) -> str | None:
        if self._cursor is None or self._cursor >= len(self._entries):
            return None
        entry = self._entries[self._cursor]
        if entry.row is not None and entry.row.depth == 0 and entry.row.is_story:
            return entry.row.key
        return entry.meta.id if entry.meta is not None else None

    def _build(self, keep: str | None) -> None:
        """Lay the rows out again (the articles, the stories or what is expanded changed)."""
        shown_before = None  # the article the cursor's row showed (a story row: the version listed)
        if self._cursor is not None and self._cursor < len(self._entries):
            entry = self._entries[self._cursor]
            shown_before = entry.meta.id if entry.meta is not None else None
        hits = self._hits
        shown = [m for m in self._metas if hits is None or m.id in hits]
        stories = self._stories
        if stories is not None and self._marked:  # a marked article stays in sight: its story opens
            for key in self._marked:
                story = stories.story_of(key)
                if story is not None:
                    self._expanded.add(story.id)
        listed_rows = story_rows.story_rows(shown, stories, self._expanded)
        layout = lay_out(listed_rows, hits, self.compact)
        entries, self._story_keys, top = layout.entries, layout.story_keys, layout.height
        self._entries = entries
        self._tops = [e.top for e in entries]
        # Every entry but a day heading has a row (its key is the entry's id).
        self._index = {e.row.key: i for i, e in enumerate(entries) if e.row is not None}
        self._order = list(self._index)
        self._position = {key: i for i, key in enumerate(self._order)}
        self._listed = len(shown)
        self._shown_ids = [m.id for m in shown]
        self._meta_by_id = {m.id: m for m in shown} if stories is not None else {}
        self._rows.clear()
        self._strips.clear()
        if self._marked:  # a row no longer listed cannot stay marked (a bulk action would hit it unseen)
            kept = {i: None for i in self._marked if i in self._index}
            if len(kept) != len(self._marked):
                self._marked = kept
                self.post_message(self.MarksChanged(len(kept)))
        self.virtual_size = Size(self.size.width, top)
        self._cursor = None
        target = self._key_for(keep)
        if target is None and keep is not None and story_rows.is_story_key(keep):  # grouping off: the story's lead
            target = self._key_for(keep[len(story_rows.STORY_KEY):])
        if target is None:  # e.g. the lead is not among the search results: the version shown
            target = self._key_for(shown_before)
        if target is None and self._order:
            target = self._order[0]
        if target is not None:
            self._move_cursor(self._index[target], scroll=False)
        self.scroll_to(y=0, animate=False) if target is None else self._scroll_to_cursor(animate=False)
        self.refresh()

    def set_compact(self, compact: bool) -> None:
        """One line per article (True) or two under day headings; the cursor stays."""
        if compact != self.compact:
            self.compact = compact
            if self._marks is not None:
                self._build(self._cursor_key())

    def _key_for(self, article_id: str | None) -> str | None:
        """The key of the row showing ``article_id``: its own row, else its story's row."""
        if article_id is None:
            return None
        if article_id in self._index:
            return article_id
        key = self._story_keys.get(article_id)
        return key if key in self._index else None

    def refresh_key(self, key: str) -> None:
        """Draw the row with key ``key`` again."""
        self._rows.pop(key, None)
        index = self._index.get(key)
        if index is not None:
            self._forget(index)
            self._refresh_entry(index)

    def refresh_row(self, article_id: str) -> None:
        """Draw one row again (its markers changed), and its story's row."""
        self.refresh_key(article_id)
        story = self._story_keys.get(article_id)
        if story is not None:
            self.refresh_key(story)

    def redraw_rows(self) -> None:
        """Draw every row again from the markers (annotations changed elsewhere), the
        layout kept: only the rows on screen are rendered, at any corpus size."""
        self._rows.clear()
        self._strips.clear()
        self.refresh()

    def highlight_id(self, article_id: str, *, scroll: bool = True) -> None:
        """Put the cursor on ``article_id``'s row (its story's row when folded in one)."""
        key = self._key_for(article_id)
        if key is None:
            return  # not listed (filtered out by a search)
        self._move_cursor(self._index[key], scroll=scroll)

    def _highlight_key(self, key: str) -> None:
        index = self._index.get(key)
        if index is not None:
            self._move_cursor(index)

    def rename(self, renamed: Mapping[str, str]) -> None:
        """Files renamed on disk (old id -> new id): their marks follow them (call
        before listing the new ids)."""
        if self._marked and renamed:
            self._marked = {renamed.get(key, key): None for key in self._marked}

    def clear_marks(self) -> bool:
        """Unmark every row; False when none was marked."""
        if not self._marked:
            return False
        marked, self._marked = list(self._marked), {}
        if len(marked) > ROWS_KEPT:  # e.g. after ctrl+a: the rows on screen drawn again, not each row
            self.redraw_rows()
        else:
            for key in marked:
                self.refresh_key(key)
        self.post_message(self.MarksChanged(0))
        return True

    # --- queries -------------------------------------------------------------------

    @property
    def marked_ids(self) -> list[str]:
        """The articles of the marked rows, in list order (every member of a marked story)."""
        if not self._marked:
            return []
        out: dict[str, None] = {}
        for key in self._order:
            if key in self._marked:
                row = self._entries[self._index[key]].row
                for article_id in (row.article_ids if row is not None else (key,)):
                    out.setdefault(article_id, None)
        return list(out)

    @property
    def shown_ids(self) -> list[str]:
        """The articles listed (those folded into a story row too)."""
        return list(self._shown_ids)

    @property
    def shown_count(self) -> int:
        return self._listed

    @property
    def marked_count(self) -> int:
        return len(self._marked)

    @property
    def highlighted_id(self) -> str | None:
        """The article of the row under the cursor (a story row: the article it shows)."""
        if self._cursor is None or self._cursor >= len(self._entries):
            return None
        meta = self._entries[self._cursor].meta
        return meta.id if meta is not None else None

    @property
    def highlighted_row(self) -> ListRow | None:
        if self._cursor is None or self._cursor >= len(self._entries):
            return None
        return self._entries[self._cursor].row

    @property
    def expanded(self) -> frozenset[str]:
        return frozenset(self._expanded)

    def row_content(self, article_id: str) -> Content:
        """The text of the row showing an article (its story's row when folded), or of
        the row with that key (for tests and the command palette)."""
        return self._row(self._entries[self._index[self._key_for(article_id) or article_id]])

    def headings(self) -> list[str]:
        return [e.heading.plain for e in self._entries if e.heading is not None]

    def listing(self) -> list[str | None]:
        """Entry ids in order, ``None`` for a day heading."""
        return [e.id for e in self._entries]

    def _article_of(self, key: str) -> str:
        meta = self._entries[self._index[key]].meta
        return meta.id if meta is not None else key

    def _neighbour_key(self, key: str | None, step: int) -> str | None:
        if not self._order:
            return None
        if key not in self._index:
            return self._order[0] if step > 0 else self._order[-1]
        index = self._position[key] + step
        if 0 <= index < len(self._order):
            return self._order[index]
        return None

    def neighbour(self, article_id: str | None, step: int) -> str | None:
        """The article ``step`` rows after ``article_id`` (or the highlighted one), if any
        (a story row counts as one row: its article is the one it shows)."""
        if not self._order:
            return None
        key = self._key_for(article_id)
        if key is None and self._cursor is not None:
            key = self._entries[self._cursor].id
        found = self._neighbour_key(key, step)
        return self._article_of(found) if found is not None else None

    # --- drawing -------------------------------------------------------------------

    def _row(self, entry: Entry) -> Content:
        key = entry.id
        assert entry.meta is not None and self._marks is not None and key is not None
        row = self._rows.get(key)
        if row is None:
            hit = self._hits.get(entry.meta.id) if self._hits is not None else None
            listed = entry.row
            if listed is not None and listed.depth == 0 and listed.story is not None:
                markers = story_rows.combined_markers([self._marks.markers(m) for m in listed.story.members])
                draw_story = story_rows.compact_story_row if self.compact else story_rows.story_row
                row = draw_story(listed, markers, hit, key in self._marked)
            else:
                draw = rows.compact_row if self.compact else rows.article_row
                row = draw(entry.meta, self._marks.markers(entry.meta.id), hit, key in self._marked)
                if listed is not None and listed.depth:
                    row = story_rows.member_row(row)
            self._rows[key] = row
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
        meta = self._entries[index].meta
        if previous != index and meta is not None:
            self.post_message(self.Highlighted(meta.id))
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
        current = self._entries[self._cursor].id if self._cursor is not None else None
        if current is None:
            self._highlight_key(self._order[0])
            return
        target = self._neighbour_key(current, step)
        if target is not None:
            self._highlight_key(target)

    def action_cursor_down(self) -> None:
        self._step(1)

    def action_cursor_up(self) -> None:
        self._step(-1)

    def action_page(self, step: int) -> None:
        """About a screenful of articles down (step=1) or up (-1), in one move."""
        if not self._order:
            return
        rows_per_page = max(1, self.scrollable_content_region.height // (1 if self.compact else 2) - 1)
        current = self._entries[self._cursor].id if self._cursor is not None else None
        if current is None:
            self._highlight_key(self._order[0])
            return
        position = self._position[current] + step * rows_per_page
        self._highlight_key(self._order[max(0, min(len(self._order) - 1, position))])

    def action_first(self) -> None:
        if self._order:
            self._highlight_key(self._order[0])

    def action_last(self) -> None:
        if self._order:
            self._highlight_key(self._order[-1])

    def action_toggle_mark(self) -> None:
        """Mark or unmark the highlighted row, then move down (to mark a run quickly).
        A marked story row stands for every member of its story."""
        key = self._entries[self._cursor].id if self._cursor is not None else None
        if key is None:
            return
        if key in self._marked:
            del self._marked[key]
        else:
            self._marked[key] = None
        self.refresh_key(key)
        self.post_message(self.MarksChanged(len(self._marked)))
        self._step(1)

    # --- marks for a bulk action (ctrl+a, *, J/K) ------------------------------------

    def mark_all(self) -> int:
        """Mark every row listed (the list as searched and filtered); returns how many
        rows are marked. Costs one pass over the row keys and a redraw of the rows on
        screen, at any list size."""
        self._marked = dict.fromkeys(self._order)
        self.redraw_rows()
        self.post_message(self.MarksChanged(len(self._marked)))
        return len(self._marked)

    def invert_marks(self) -> int:
        """Mark the rows that were not marked and unmark the others; returns how many
        rows are marked now."""
        marked = self._marked
        self._marked = {key: None for key in self._order if key not in marked}
        self.redraw_rows()
        self.post_message(self.MarksChanged(len(self._marked)))
        return len(self._marked)

    @property
    def all_marked(self) -> bool:
        """Every listed row is marked (and there is at least one)."""
        return bool(self._order) and len(self._marked) == len(self._order) and all(k in self._marked for k in self._order)

    def action_extend_marks(self, step: int) -> None:
        """J / shift+down (step 1), K / shift+up (step -1): mark the highlighted row
        (it stays marked when it already was) and move on, so a run is marked by
        holding one key."""
        key = self._entries[self._cursor].id if self._cursor is not None else None
        if key is None:
            return
        if key not in self._marked:
            self._marked[key] = None
            self.refresh_key(key)
            self.post_message(self.MarksChanged(len(self._marked)))
        self._step(step)

    # --- stories -------------------------------------------------------------------

    def set_expanded(self, story_id: str, expanded: bool) -> bool:
        """Show a story's members under its row, or fold them; False when nothing changed."""
        if expanded == (story_id in self._expanded):
            return False
        if expanded:
            self._expanded.add(story_id)
        else:
            self._expanded.discard(story_id)
            folded = [k for k in self._marked if self._story_keys.get(k) == story_rows.story_key(story_id)]
            for key in folded:  # a marked member folded out of sight is unmarked (said by the count)
                del self._marked[key]
            if folded:
                self.post_message(self.MarksChanged(len(self._marked)))
        key = story_rows.story_key(story_id)
        if not self._splice(key, expanded):
            self._build(key)
        index = self._index.get(key)
        if expanded and index is not None:  # bring the members into view below their story
            last = index
            while last + 1 < len(self._entries) and (row := self._entries[last + 1].row) is not None and row.depth:
                last += 1
            top, bottom = self._entries[index].top, self._entries[last].top + self._entries[last].height
            height = max(1, min(bottom - top, self.scrollable_content_region.height))
            self.scroll_to_region(Region(0, top, 1, height), animate=False, force=True, immediate=True)
        return True

    def _splice(self, key: str, expanded: bool) -> bool:
        """Open or fold one story row in place: its member entries go in or out, the
        entries below move by their height (no new rows for the rest of the list).
        False when the row is not listed as a story (the caller lays everything out)."""
        index = self._index.get(key)
        if index is None:
            return False
        entry = self._entries[index]
        row = entry.row
        if row is None or not row.is_story:
            return False
        end = index + 1
        while end < len(self._entries) and (below := self._entries[end].row) is not None and below.depth:
            end += 1
        added: list[Entry] = []
        if expanded:
            hits = self._hits
            top = entry.top + entry.height
            for member in row.members:
                meta = self._meta_by_id.get(member)
                if meta is None:
                    return False
                height = row_height(hits, member, self.compact)
                added.append(Entry(meta, None, top, height, ListRow(member, meta, row.day, row.story, (), 1)))
                top += height
        entry.row = row._replace(expanded=expanded)
        delta = sum(e.height for e in added) - sum(e.height for e in self._entries[index + 1 : end])
        self._entries[index + 1 : end] = added
        if delta:
            for later in self._entries[index + 1 + len(added) :]:
                later.top += delta
        self._tops = [e.top for e in self._entries]
        self._index = {e.id: i for i, e in enumerate(self._entries) if e.id is not None}
        self._order = [e.id for e in self._entries if e.id is not None]
        self._position = {k: i for i, k in enumerate(self._order)}
        self._rows.pop(key, None)
        self._strips.clear()  # entry indexes below moved
        height = self._tops[-1] + self._entries[-1].height if self._entries else 0
        self.virtual_size = Size(self.size.width, height)
        self._cursor = None
        self._move_cursor(self._index[key], scroll=False)
        self.refresh()
        return True

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
        if offset is None or not self._entries:
            return
        line = self.scroll_offset.y + offset.y
        index = bisect.bisect_right(self._tops, line) - 1
        if 0 <= index < len(self._entries) and line < self._entries[index].top + self._entries[index].height:
            meta = self._entries[index].meta
            if meta is not None:
                self._move_cursor(index)
                row = self._entries[index].row
                self.post_message(self.Open(meta.id, row.article_ids if row is not None and row.is_story else ()))
