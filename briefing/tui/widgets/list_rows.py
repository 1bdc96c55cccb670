"""The rows of the article list on screen, read from its listing a window at a time.

:class:`RowReader` turns a row of a :class:`~briefing.listing.layout.ListLayout` into
the :class:`~briefing.tui.stories.ListRow` the list draws and acts on: the metas of
a window of places are read in one go (one query on an index) and kept in a small
LRU, and so are the rows made from them. Nothing is kept per listed article.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Set

from textual.content import Content

from briefing.index.query import SearchHit
from briefing.listing.layout import MEMBER, STORY, ListLayout
from briefing.model import ArticleMeta
from briefing.tui import rows
from briefing.tui import stories as story_rows
from briefing.tui.marks import ArticleMarks
from briefing.tui.stories import ListRow

ROWS_KEPT = 512  # rows kept (a screenful is ~25)
METAS_KEPT = 1024  # metas of listed places kept
WINDOW = 96  # places read around one not yet read


class RowReader:
    """The rows of ``layout`` (set with :meth:`reset`); ``expanded``: the ids of the
    stories shown with their members (the list's own set, read when a row is made)."""

    def __init__(self, expanded: Set[str]) -> None:
        self._expanded = expanded
        self._layout: ListLayout | None = None
        self._metas: OrderedDict[int, ArticleMeta] = OrderedDict()  # listing place -> its meta
        self._rows: OrderedDict[int, ListRow] = OrderedDict()  # row -> its ListRow

    def reset(self, layout: ListLayout | None) -> None:
        """A new layout, or the same with metas to read again (annotations changed)."""
        self._layout = layout
        self._metas.clear()
        self._rows.clear()

    def meta_at(self, place: int) -> ArticleMeta | None:
        """The meta at listing place ``place`` (a window around it read when missing)."""
        meta = self._metas.get(place)
        if meta is not None:
            self._metas.move_to_end(place)
            return meta
        assert self._layout is not None
        listing = self._layout.listing
        start = max(0, place - WINDOW // 3)
        window = listing.window(start, WINDOW)
        if len(window) == min(WINDOW, len(listing) - start):
            for offset, found in enumerate(window):
                self._metas[start + offset] = found
            meta = self._metas.get(place)
        else:  # an article of the window left the index since the listing was made: places shifted
            meta = listing.meta(place)
            if meta is not None:
                self._metas[place] = meta
        while len(self._metas) > METAS_KEPT:
            self._metas.popitem(last=False)
        return meta

    def metas_at(self, places: tuple[int, ...]) -> list[ArticleMeta]:
        """The metas at ``places`` (a story's members, scattered over the listing): those
        not kept read in one query, not a window around each."""
        kept = {p: m for p in places if (m := self._metas.get(p)) is not None}
        missing = [p for p in places if p not in kept]
        if missing:
            assert self._layout is not None
            listing = self._layout.listing
            found = listing.metas(missing)
            if len(found) == len(missing):
                kept.update(zip(missing, found, strict=True))
            else:  # one left the index since the listing was made: each on its own
                kept.update((p, m) for p in missing if (m := listing.meta(p)) is not None)
        return [kept[p] for p in places if p in kept]

    def row(self, row: int) -> ListRow | None:
        """The ListRow of row ``row`` (None when its article left the index meanwhile)."""
        cached = self._rows.get(row)
        if cached is not None:
            return cached
        layout = self._layout
        if layout is None or not 0 <= row < layout.rows:
            return None
        meta = self.meta_at(layout.place(row))
        if meta is None:
            return None
        kind = layout.kind(row)
        day = layout.day(row)
        if kind == STORY or kind == MEMBER:
            found = layout.story(row)
            assert found is not None
            story, order = found
            if kind == STORY:
                members = tuple(m.id for m in self.metas_at(order))
                listed = ListRow(story_rows.story_key(story.id), meta, day, story, members, 0,
                                 story.id in self._expanded)
            else:
                listed = ListRow(meta.id, meta, day, story, (), 1)
        else:
            listed = ListRow(meta.id, meta, day)
        self._rows[row] = listed
        while len(self._rows) > ROWS_KEPT:
            self._rows.popitem(last=False)
        return listed


def row_keys(layout: ListLayout) -> list[str]:
    """Every row key of ``layout`` in order (one pass over its listing's ids: a bulk
    action on every row, never a redraw)."""
    ids = list(layout.listing.ids(gaps=True))  # "" for a row gone from the index meanwhile
    if layout.kinds is None:
        return [i for i in ids if i]
    out = []
    for row in range(layout.rows):
        article_id = ids[layout.place(row)]
        if layout.kind(row) == STORY:
            out.append(layout.key(row, article_id))  # the story's key
        elif article_id:
            out.append(article_id)
    return out


def row_text(listed: ListRow, marks: ArticleMarks, hit: SearchHit | None, marked: bool, compact: bool) -> Content:
    """The text of one row: an article, a story (its members' markers combined) or a
    story's member (indented)."""
    if listed.depth == 0 and listed.story is not None:
        markers = story_rows.combined_markers([marks.markers(m) for m in listed.story.members])
        draw_story = story_rows.compact_story_row if compact else story_rows.story_row
        return draw_story(listed, markers, hit, marked)
    draw = rows.compact_row if compact else rows.article_row
    text = draw(listed.meta, marks.markers(listed.meta.id), hit, marked)
    return story_rows.member_row(text) if listed.depth else text
