"""How `briefing compare` and `briefing keywords` print (rich, plain content only).

Article text is untrusted: it goes into ``rich.text.Text`` objects and is styled by
offsets, never formatted into markup, so ``[bold]`` in an article prints as ``[bold]``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

from rich.text import Text

from briefing.model import Article
from briefing.sanitize import clean_line
from briefing.stories.comparison import Cell, Comparison
from briefing.stories.keywords import Keyword
from briefing.stories.kinds import DATE, KIND_LABELS, KINDS, NAME, NUMBER, ONLY, WORDING

STYLES = {
    NUMBER: "bold red",
    DATE: "bold magenta",
    NAME: "bold cyan",
    ONLY: "yellow",
    WORDING: "underline",
}


def _flat(text: str) -> str:
    """``text`` on one line, character for character (so mark offsets still hold):
    line breaks, tabs and any other control character become a space."""
    return "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in text)


def member_lines(members: Sequence[Any]) -> Text:
    """One line per member: its number, date, id and title."""
    out = Text()
    for i, member in enumerate(members):
        date = member.date.isoformat() if member.date else "undated"
        out.append(f"{i + 1:>2}  ", style="bold")
        out.append(f"{date:<10}  ", style="" if member.date else "dim")
        out.append(clean_line(member.id), style="dim")
        out.append("  ")
        out.append(clean_line(member.title))
        out.append("\n")
    return out


def legend() -> Text:
    out = Text("marks: ", style="dim")
    for i, kind in enumerate(KINDS):
        if i:
            out.append("  ")
        out.append(KIND_LABELS[kind][0], style=STYLES[kind])
    return out


def cell_text(cell: Cell) -> Text:
    """A cell's sentence with its marks styled."""
    text = Text(_flat(cell.text))
    for start, end, kind in cell.marks:
        text.stylize(STYLES.get(kind, "underline"), start, end)
    return text


def comparison_text(result: Comparison, members: Sequence[Any], *, with_legend: bool = True) -> Text:
    """The whole comparison: the members, then each row (a row without differences
    once, after ``=``; a row with differences one line per member, ``-`` for a member
    without that sentence), then the count of each kind of difference. The legend of
    the colours only ``with_legend`` (not for plain text, which has no colours: each
    row's line names the kinds of difference it holds)."""
    out = member_lines(members)
    if with_legend:
        out.append_text(legend())
        out.append("\n")
    width = len(str(len(members)))
    for r, row in enumerate(result.rows):
        out.append("\n")
        if not row.kinds:
            first = next(c for c in row.cells if c is not None)
            out.append(f"{'=':>{width}} ", style="dim")
            out.append(_flat(first.text), style="dim")
            out.append("\n")
            continue
        out.append(f"row {r + 1}: ", style="bold")
        out.append(", ".join(KIND_LABELS[k][0] for k in row.kinds), style="dim")
        out.append("\n")
        for i, cell in enumerate(row.cells):
            out.append(f"{i + 1:>{width}} ", style="bold")
            if cell is None:
                out.append("-", style="dim")
            else:
                out.append_text(cell_text(cell))
            out.append("\n")
    out.append("\n")
    out.append_text(summary_line(result))
    if result.note:
        out.append("\n")
        out.append(f"note: {clean_line(result.note)}", style="dim")
    return out


def summary_line(result: Comparison) -> Text:
    counts = result.counts()
    parts = [(n, kind) for kind, n in counts.items() if n]
    out = Text("differences: ", style="bold")
    if not parts:
        out.append("none")
        return out
    for i, (n, kind) in enumerate(parts):
        if i:
            out.append(", ")
        out.append(f"{n} {KIND_LABELS[kind][0 if n == 1 else 1]}", style=STYLES[kind])
    return out


def keywords_text(article: Article, keywords: Sequence[Keyword], suggested: Sequence[str], tags: Sequence[str]) -> Text:
    out = Text(clean_line(article.title), style="bold")
    out.append("\n")
    out.append("keywords: ", style="dim")
    if not keywords:
        out.append("(none)", style="italic")
    for i, kw in enumerate(keywords):
        if i:
            out.append(", ")
        out.append(clean_line(kw.text), style="bold" if kw.kind != "word" else "")
        out.append(f" ({kw.count})", style="dim")
    out.append("\n")
    out.append("tags: ", style="dim")
    out.append(", ".join(clean_line(t) for t in tags) if tags else "(none)")
    out.append("\n")
    out.append("suggested tags: ", style="dim")
    out.append(", ".join(clean_line(t) for t in suggested) if suggested else "(none)")
    return out
