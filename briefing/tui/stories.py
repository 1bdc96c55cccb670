"""The article list with stories: which rows the list shows, and the text of a story row.

Pure functions (no widgets). :func:`story_rows` turns the listed articles (already
filtered, searched and sorted, newest first) and the corpus's stories into rows:

- an article in no story is one row, as before;
- the articles of a story are one *story row* (key :func:`story_key`), standing where
  the first of its listed members stands in the list (so a story with a new report
  comes up with the newest day), showing the story's lead article (its first report)
  and how many sources carried it;
- an *expanded* story is followed by one row per listed member (``depth`` 1), in
  story order (oldest first).

A story row is shown when any of its members is listed (a search or a filter that
keeps one version keeps the story); the count then says how many of its sources are
listed ("1 of 2 sources"). Building the rows is one pass over the articles with
dictionary lookups; the list calls it when what it lists changes, never on a cursor
move.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, NamedTuple

from textual.content import Content

from briefing.index.query import SearchHit
from briefing.model import ArticleMeta
from briefing.tui import rows
from briefing.tui.marks import Markers

if TYPE_CHECKING:
    from briefing.stories import Story

STORY_KEY = "\x00story:"  # prefix of a story row's key (an article id never holds NUL)
COLLAPSED = "▸"
EXPANDED = "▾"
MEMBER_INDENT = "    "  # before each line of a member row
SOURCES_STYLE = "bold $text-accent"


def story_key(story_id: str) -> str:
    """The list key of the story row of story ``story_id`` (its lead's article id)."""
    return STORY_KEY + story_id


def is_story_key(key: str | None) -> bool:
    return key is not None and key.startswith(STORY_KEY)


class ListRow(NamedTuple):
    """One row of the article list.

    ``key`` is unique in the list: the article id, or :func:`story_key` for a story
    row. ``meta`` is the article the row shows (for a story row: the lead, or the
    first listed member when the lead is not listed). ``story`` is the story the row
    belongs to (None for an article in no story). ``members`` (story rows only): the
    story's listed members, in story order. ``day``: the day heading the row sits
    under (a member row: its story row's day).

    A named tuple: a 100k-article list makes one per article at every rebuild, and a
    tuple is made several times faster than a frozen dataclass."""

    key: str
    meta: ArticleMeta
    day: dt.date | None
    story: Story | None = None
    members: tuple[str, ...] = ()
    depth: int = 0
    expanded: bool = False

    @property
    def is_story(self) -> bool:
        return self.depth == 0 and self.story is not None

    @property
    def article_id(self) -> str:
        return self.meta.id

    @property
    def article_ids(self) -> tuple[str, ...]:
        """The articles an action on this row acts on: every member of a story row's
        story (listed or not), else the row's article."""
        if self.depth == 0 and self.story is not None:
            return tuple(self.story.members)
        return (self.meta.id,)


def story_rows(
    metas: Sequence[ArticleMeta],
    stories,
    expanded: Collection[str] = (),
) -> list[ListRow]:
    """The rows for ``metas`` (in list order). ``stories``: a
    :class:`briefing.stories.Stories` (anything with ``story_of(article_id)``), or
    None for no grouping. ``expanded``: ids of the stories shown with their members."""
    if stories is None:
        return [ListRow(m.id, m, m.date) for m in metas]
    story_of = stories.story_of
    listed: dict[str, dict[str, ArticleMeta]] = {}  # story id -> listed members by id
    found: list = []  # (meta, story or None), in list order
    for meta in metas:
        story = story_of(meta.id)
        found.append((meta, story))
        if story is not None:
            members = listed.get(story.id)
            if members is None:
                listed[story.id] = {meta.id: meta}
            else:
                members[meta.id] = meta
    out: list[ListRow] = []
    for meta, story in found:
        if story is None:
            out.append(ListRow(meta.id, meta, meta.date))
            continue
        members = listed.get(story.id)
        if members is None or meta.id not in members:
            continue  # this story's row is already out
        order = tuple(m for m in story.members if m in members)
        shown = members[order[0]]  # the lead when it is listed
        is_open = story.id in expanded
        out.append(ListRow(story_key(story.id), shown, meta.date, story, order, 0, is_open))
        if is_open:
            out.extend(ListRow(m, members[m], meta.date, story, (), 1) for m in order)
        del listed[story.id]
    return out


def combined_markers(markers: Sequence[Markers]) -> Markers:
    """What a story row shows: unread when any member is, flagged when any is, every
    member's tags (first seen first) and all their notes."""
    tags: dict[str, None] = {}
    for m in markers:
        for tag in m.tags:
            tags.setdefault(tag, None)
    return Markers(
        unread=any(m.unread for m in markers),
        flagged=any(m.flagged for m in markers),
        tags=tuple(tags),
        notes=sum(m.notes for m in markers),
        dismissed=all(m.dismissed for m in markers) if markers else False,
    )


def sources_label(listed: int, total: int, expanded: bool) -> str:
    """``▸ 2 sources`` (``▾`` when expanded; ``1 of 3 sources`` when a search or a
    filter lists only some)."""
    mark = EXPANDED if expanded else COLLAPSED
    if listed == total:
        return f"{mark} {total} sources"
    return f"{mark} {listed} of {total} sources"


def story_row(
    row: ListRow,
    markers: Markers,
    hit: SearchHit | None = None,
    marked: bool = False,
) -> Content:
    """A story row: the article row of its lead (title, byline, tags of every member,
    search snippet), its second line opening with the count of sources."""
    assert row.story is not None
    base = rows.article_row(row.meta, markers, hit, marked)
    lines = base.split("\n")
    label = sources_label(len(row.members), len(row.story.members), row.expanded)
    second = lines[1] if len(lines) > 1 else Content("")
    # the article row's second line starts with two spaces: the count goes after them
    lines[1] = Content.assemble(second[:2], (label, SOURCES_STYLE), ("  ", ""), second[2:])
    return Content("\n").join(lines)


def member_row(content: Content) -> Content:
    """An article row shown under its expanded story: every line indented."""
    return Content("\n").join(Content(MEMBER_INDENT) + line for line in content.split("\n"))


def compact_story_row(row: ListRow, markers: Markers, hit: SearchHit | None = None, marked: bool = False) -> Content:
    """A story row in the compact list: the lead's one-line row, the count of sources
    before its title (a search snippet, when any, on a second line)."""
    assert row.story is not None
    lines = rows.compact_row(row.meta, markers, hit, marked).split("\n")
    label = sources_label(len(row.members), len(row.story.members), row.expanded)
    lines[0] = Content.assemble((label, SOURCES_STYLE), (" ", ""), lines[0])
    return Content("\n").join(lines)
