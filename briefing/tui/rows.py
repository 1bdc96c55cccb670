"""The text of the article list: day headings and article rows, as plain Content.

Every string from an article or a file name goes in as plain text (``Content(str)``),
never as markup, after :func:`~briefing.sanitize.clean_line`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from textual.content import Content

from briefing.index.query import SearchHit
from briefing.lang import mark as lang_mark
from briefing.model import ArticleMeta
from briefing.sanitize import clean_line
from briefing.tui.marks import Markers

UNREAD = "●"
READ = " "
FLAG = "⚑"
NOTE = "✎"
MARKED = "✔"  # a row marked (m / space) for a bulk action
DERIVED = "~"  # prefix of a title made from the article's first sentence
UNDATED = "Undated"

HIGHLIGHT = "bold $text-accent on $accent-muted"


def day_label(day: dt.date | None) -> str:
    if day is None:
        return UNDATED
    return f"{day:%A} {day.day} {day:%B %Y}"


def heading(day: dt.date | None, count: int) -> Content:
    return Content.assemble((day_label(day), "bold"), (f"  ({count})", "dim"))


def _highlight(text: str, spans: Sequence[tuple[int, int]], base: str = "") -> Content:
    content = Content(text)
    if base:
        content = content.stylize(base)
    for start, end in spans:
        if 0 <= start < end <= len(text):
            content = content.stylize(HIGHLIGHT, start, end)
    return content


def byline(meta: ArticleMeta) -> str:
    parts = [clean_line(p).strip() for p in (meta.source, meta.author) if p and clean_line(p).strip()]
    return " · ".join(parts) if parts else clean_line(meta.id)


def article_row(meta: ArticleMeta, markers: Markers, hit: SearchHit | None = None, marked: bool = False) -> Content:
    """Two lines (three with a search snippet): markers + title, then source/author + tags.

    A row marked for a bulk action starts with ``✔``."""
    title = clean_line(meta.title).strip() or clean_line(meta.id)
    # Highlight offsets refer to the raw title the search matched; clean_line keeps
    # lengths except for removed sequences, so only use them when the cleaned title is
    # unchanged, and never on an analyst's title (the offsets are the file's title's).
    spans = hit.title_spans if hit is not None and title == meta.title and hit.title == meta.title else ()
    # read and flagged are independent: the unread mark and the flag each have a cell
    style = ("bold " if markers.unread else "") + ("italic " if meta.title_derived else "")
    if markers.dismissed:
        style += "dim strike"
    first = Content.assemble(
        *([(MARKED + " ", "bold $text-success")] if marked else []),
        (UNREAD if markers.unread else READ, "bold $accent" if markers.unread else ""),
        (FLAG if markers.flagged else READ, "bold $accent" if markers.flagged else ""),
        (" ", ""),
        *( [(DERIVED + " ", "dim")] if meta.title_derived else [] ),
        _highlight(title, spans, style.strip()),
    )
    tags = [*meta.tags, *[t for t in markers.tags if t not in meta.tags]]
    extras = "".join(f"  #{clean_line(t)}" for t in tags)
    auto = "".join(f"  +{clean_line(t)}" for t in markers.auto_tags if t not in tags)  # a watchlist's tags
    notes = f"  {NOTE}{markers.notes}" if markers.notes else ""
    code = lang_mark(meta.lang)
    second = Content.assemble(("  ", ""), *([(code, "bold $text-secondary"), (" · ", "dim")] if code else []),
                              (byline(meta), "dim"), (extras, "$text-secondary"),
                              (auto, "italic $text-secondary"), (notes, "$text-secondary"))
    lines = [first, second]
    if hit is not None and hit.snippet:
        snippet = clean_line(hit.snippet)
        snippet_spans = hit.snippet_spans if snippet == hit.snippet else ()
        lines.append(Content("  ") + _highlight(snippet, snippet_spans, "italic"))
    return Content("\n").join(lines)


# --- the compact list (v): one line per article -----------------------------------------

SOURCE_WIDTH = 12  # the source column of a compact row


def short_date(day: dt.date | None) -> str:
    """A compact row's date column: ``06 Nov 23``; ``undated`` padded to the same width."""
    return f"{day:%d %b %y}" if day is not None else "undated  "


def compact_row(meta: ArticleMeta, markers: Markers, hit: SearchHit | None = None, marked: bool = False) -> Content:
    """One line: marks, date, source, title, tags and notes (a second line only for a
    search snippet). The day is in the row, so the compact list has no day headings."""
    title = clean_line(meta.title).strip() or clean_line(meta.id)
    spans = hit.title_spans if hit is not None and title == meta.title and hit.title == meta.title else ()
    style = ("bold " if markers.unread else "") + ("italic " if meta.title_derived else "")
    if markers.dismissed:
        style += "dim strike"
    source = clean_line(meta.source or "").strip() or clean_line(meta.author or "").strip()
    if len(source) > SOURCE_WIDTH:
        source = source[: SOURCE_WIDTH - 1] + "…"
    tags = [*meta.tags, *[t for t in markers.tags if t not in meta.tags]]
    extras = "".join(f" #{clean_line(t)}" for t in tags)
    if markers.notes:
        extras += f" {NOTE}{markers.notes}"
    line = Content.assemble(
        *([(MARKED, "bold $text-success")] if marked else []),
        (UNREAD if markers.unread else READ, "bold $accent" if markers.unread else ""),
        (FLAG if markers.flagged else READ, "bold $accent" if markers.flagged else ""),
        (" ", ""),
        (short_date(meta.date), "dim"),
        (" ", ""),
        (f"{source:<{SOURCE_WIDTH}}", "$text-secondary"),
        (" ", ""),
        *([(lang_mark(meta.lang) + " ", "bold $text-secondary")] if lang_mark(meta.lang) else []),
        *([(DERIVED, "dim")] if meta.title_derived else []),
        _highlight(title, spans, style.strip()),
        (extras, "$text-secondary"),
    )
    if hit is not None and hit.snippet:
        snippet = clean_line(hit.snippet)
        snippet_spans = hit.snippet_spans if snippet == hit.snippet else ()
        return Content("\n").join([line, Content("    ") + _highlight(snippet, snippet_spans, "italic")])
    return line
