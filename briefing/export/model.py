"""The briefing as plain data: what every format renders.

Every string here is display-clean (control bytes and bidi tricks removed) but NOT
escaped: each renderer escapes for its own format.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Highlight:
    quote: str
    note: str  # the analyst's comment on the quote ("" for none)
    by: str = ""  # who made it; only with --authors ("" otherwise)


@dataclass(frozen=True)
class Note:
    text: str
    at: str | None  # when the note was written (ISO 8601 UTC), as stored
    by: str = ""  # who wrote it; only with --authors ("" otherwise)


@dataclass(frozen=True)
class Source:
    """One article of a story (``export --stories``): who carried the report."""

    id: str  # the article id
    headline: str
    date: dt.date | None  # effective date
    source: str | None  # the outlet, when the file names it


@dataclass(frozen=True)
class Cited:
    """One entry of a briefing's numbered source list (issue 17)."""

    number: int  # 1-based; items, judgments and highlights point to it
    id: str  # the article id (its file, relative to the corpus folder)
    title: str
    outlet: str | None
    author: str | None
    date: dt.date | None
    url: str | None  # http(s) only


@dataclass(frozen=True)
class Judgment:
    """A key judgment of a composed briefing (issue 17)."""

    text: str
    confidence: str  # a term of the briefing's confidence scale ("" for none)
    cites: tuple[int, ...] = ()  # source numbers (Cited.number) that support it
    highlights: tuple[str, ...] = ()  # quoted highlights that support it, as they go out


@dataclass(frozen=True)
class DayCount:
    """Items per day for the briefing's timeline chart (issue 23)."""

    day: dt.date
    count: int


@dataclass(frozen=True)
class Item:
    """One article as it goes out."""

    number: int  # 1-based position in the briefing
    id: str  # the article id: its path relative to the corpus folder
    headline: str
    date: dt.date | None  # the effective date (the analyst's override, else the file's)
    source: str | None
    author: str | None
    path: str  # = id; the file path relative to the corpus folder (no local absolute path)
    tags: tuple[str, ...]
    status: str  # unread | read | flagged
    summary: tuple[str, ...]  # the extractive summary sentences, in document order
    summary_method: str  # the method that produced them
    summary_note: str | None  # bounded input, fallback, unreadable file...
    highlights: tuple[Highlight, ...]
    notes: tuple[Note, ...]
    text_changed: bool  # the article's text changed since it was annotated
    # With --stories: every article of this item's story (this one included), oldest
    # first; empty for an article in no story, and always empty without --stories.
    sources: tuple[Source, ...] = ()
    url: str | None = None  # the article's source address (http/https only), None when unknown
    why: str = ""  # a composed briefing: the analyst's "why it matters" line
    cite: int = 0  # its number in Briefing.cited (0: no numbered source list)
    story_summary: tuple[str, ...] = ()  # a story: one summary across its versions, each fact once
    differences: tuple[str, ...] = ()  # a story: the differences the analyst cited, as sentences

    @property
    def anchor(self) -> str:
        return f"item-{self.number}"

    @property
    def flagged(self) -> bool:
        return self.status == "flagged"


@dataclass(frozen=True)
class Group:
    key: str  # "2024-04-24", "undated", "tag:energy", "untagged"
    label: str  # "Wednesday 24 April 2024", "energy", ...
    items: tuple[Item, ...]  # shown in full here
    also: tuple[Item, ...] = ()  # shown in full in an earlier group (grouping by tag)


@dataclass(frozen=True)
class Briefing:
    title: str
    analyst: str | None
    produced: dt.date | None  # None unless asked for (Markdown/JSON stay reproducible)
    since: dt.date | None  # the date window: the filter's bounds, else the items' span
    until: dt.date | None
    filter: str  # the filter in plain words, "" for none
    group_by: str  # date | tag
    groups: tuple[Group, ...]
    items: tuple[Item, ...] = field(default=())  # each article once, in order of appearance
    stories: bool = False  # one item per story (near-duplicates folded, see Item.sources)
    # A composed briefing (issue 17); all empty for a plain export.
    marking: str = ""  # the handling line printed on every page
    bluf: str = ""  # the bottom line up front (may hold line breaks)
    judgments: tuple[Judgment, ...] = ()
    scale: str = ""  # the confidence scale's name ("ICD-203")
    cited: tuple[Cited, ...] = ()  # the numbered source list, in number order
    methods: str = ""  # one appendix line naming how summaries were made ("" for none)
    timeline: tuple[DayCount, ...] = ()  # items per day, oldest first (issue 23)
    undated: int = 0  # items with no date (never placed on a guessed day)

    @property
    def item_count(self) -> int:
        return len(self.items)

    @property
    def window(self) -> str:
        """``2023-11-06 – 2024-04-24``, one date when both ends agree, ``""`` when unknown."""
        if self.since and self.until:
            if self.since == self.until:
                return self.since.isoformat()
            return f"{self.since.isoformat()} – {self.until.isoformat()}"
        if self.since:
            return f"from {self.since.isoformat()}"
        if self.until:
            return f"until {self.until.isoformat()}"
        return ""
