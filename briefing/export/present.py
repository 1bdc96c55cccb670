"""Wording shared by the document formats (HTML, Word, PDF): the compact metadata
line of an item, a numbered source's citation, a judgment's source numbers, the
methods appendix line. Plain strings, not escaped: each renderer escapes them.

Also the one place where the timeline chart of issue 23 plugs in
(:func:`timeline_svg`, :func:`timeline_png`).
"""

from __future__ import annotations

from briefing.export.model import Briefing, Cited, Item, Judgment


def is_link(url: str | None) -> bool:
    """True for an address a document may make clickable: http(s) only."""
    if not url:
        return False
    lowered = url.strip().lower()
    return lowered.startswith(("http://", "https://")) and not any(ch.isspace() for ch in url.strip())


def meta_parts(item: Item) -> list[tuple[str, str]]:
    """An item's compact metadata line as ``(kind, text)`` parts, in reading order:
    outlet, author, date, URL, file, flagged. Kinds: source, author, date, url,
    path, flag."""
    parts: list[tuple[str, str]] = []
    if item.source:
        parts.append(("source", item.source))
    if item.author:
        parts.append(("author", f"By {item.author}"))
    parts.append(("date", item.date.isoformat() if item.date else "undated"))
    if item.url:
        parts.append(("url", item.url))
    parts.append(("path", f"File: {item.path}"))
    if item.flagged:
        parts.append(("flag", "Flagged"))
    return parts


def meta_line(item: Item) -> str:
    return " · ".join(text for _, text in meta_parts(item))


def refs(numbers: tuple[int, ...] | list[int]) -> str:
    """``[1, 3]`` for source numbers; ``""`` for none."""
    return f"[{', '.join(str(n) for n in numbers)}]" if numbers else ""


def judgment_lead(judgment: Judgment) -> str:
    """The confidence term that opens a judgment (``"Likely"``), ``""`` for none."""
    term = judgment.confidence.strip()
    return term[:1].upper() + term[1:] if term else ""


def citation(cited: Cited) -> str:
    """One entry of the numbered source list, without its number and URL:
    ``Outlet, Author, "Title", 2024-04-24. File: 003_x.txt``."""
    parts = [p for p in (cited.outlet, cited.author) if p]
    parts.append(f"“{cited.title}”" if cited.title else "untitled")
    parts.append(cited.date.isoformat() if cited.date else "undated")
    return ", ".join(parts) + "."


def methods_line(briefing: Briefing) -> str:
    """The one appendix line naming how summaries were made: the briefing's own
    ``methods`` line, else one made from the items' summary methods; ``""`` with no items."""
    if briefing.methods:
        return briefing.methods
    names = sorted({item.summary_method for item in briefing.items if item.summary_method})
    if not names:
        return ""
    return f"Summaries are sentences taken unchanged from each article, chosen automatically (method: {', '.join(names)})."


def timeline_days(briefing: Briefing) -> str:
    """A plain-text fallback for the timeline: ``2024-04-24: 3 · 2024-04-25: 1``."""
    text = " · ".join(f"{d.day.isoformat()}: {d.count}" for d in briefing.timeline)
    if briefing.undated:
        text += f" · undated: {briefing.undated}"
    return text


# --- TIMELINE CHART HOOK (issue 23) -------------------------------------------------
# Drawn by briefing/export/chart.py (SVG text; PNG with Pillow), called from HERE and nowhere
# else. Every document format calls these two functions when
# Briefing.timeline is non-empty and puts what they return at the marked place
# (HTML: an inline <svg> in <figure class="timeline">; Word and PDF: a PNG image
# under the "Timeline" heading). None: no chart, the formats print the per-day
# counts as one line of text instead.


def timeline_svg(briefing: Briefing) -> str | None:
    """The timeline as one inline ``<svg>`` element (trusted markup made by our own
    code from numbers and dates only, never from article text), or None."""
    from briefing.export.chart import timeline_svg as chart_svg

    return chart_svg(briefing) or None


def timeline_png(briefing: Briefing) -> bytes | None:
    """The timeline as PNG bytes for Word and PDF, or None."""
    from briefing.export.chart import timeline_png as chart_png

    return chart_png(briefing) or None
