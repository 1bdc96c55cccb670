"""Where each row of the article list stands: entries under day headings, with heights.

Pure layout (no widget): a heading is one line, an article two, three with a search
snippet; in the compact list an article is one line (two with a snippet), no headings. :class:`~briefing.tui.widgets.article_list.ArticleList` bisects a line to its
entry with the entries' tops.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from textual.content import Content

from briefing.index.query import SearchHit
from briefing.model import ArticleMeta
from briefing.tui import rows
from briefing.tui.stories import ListRow


@dataclass(slots=True)
class Entry:
    meta: ArticleMeta | None  # None for a day heading
    heading: Content | None = None
    top: int = 0  # first line of the entry in the list
    height: int = 1
    row: ListRow | None = None  # an article, a story or a story's member

    @property
    def id(self) -> str | None:
        """The row key (an article id, or a story row's key); None for a heading."""
        if self.row is not None:
            return self.row.key
        return self.meta.id if self.meta is not None else None


def row_height(hits: Mapping[str, SearchHit] | None, article_id: str, compact: bool = False) -> int:
    hit = hits.get(article_id) if hits is not None else None
    snippet = 1 if hit is not None and hit.snippet else 0
    return (1 if compact else 2) + snippet


@dataclass
class Layout:
    entries: list[Entry]
    story_keys: dict[str, str]  # article id -> the key of its story's row
    height: int  # lines


def articles_in(group: Sequence[ListRow]) -> int:
    """How many articles a day heading stands over: a story row counts its listed
    versions, an article row one; member rows (an expanded story) are not counted twice."""
    return sum(len(r.members) or 1 if r.is_story else 1 for r in group if r.depth == 0)


def lay_out(listed: Sequence[ListRow], hits: Mapping[str, SearchHit] | None, compact: bool = False) -> Layout:
    """The entries of ``listed`` (in list order) under a heading per day; ``compact``:
    one line per article and no headings (each row shows its date)."""
    groups: list[tuple[dt.date | None, list[ListRow]]] = []  # (day, top-level rows with their member rows)
    for row in listed:
        if row.depth == 0 and (not groups or groups[-1][0] != row.day):
            groups.append((row.day, []))
        groups[-1][1].append(row)
    entries: list[Entry] = []
    story_keys: dict[str, str] = {}
    top = 0
    for day, group in groups:
        if not compact:
            entries.append(Entry(None, rows.heading(day, articles_in(group)), top, 1))
            top += 1
        for row in group:
            height = row_height(hits, row.meta.id, compact)
            entries.append(Entry(row.meta, None, top, height, row))
            top += height
            if row.depth == 0 and row.story is not None:
                for member in row.story.members:
                    story_keys[member] = row.key
    return Layout(entries, story_keys, top)
