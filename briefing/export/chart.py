"""The briefing's timeline chart and source counts (issue 23).

- :func:`day_counts` fills ``Briefing.timeline`` / ``Briefing.undated`` (items per
  day, oldest first; undated items counted apart, never placed on a guessed day);
- :func:`timeline_svg`: the chart as inline SVG for the HTML export: no script, no
  external reference, no XML prolog or metadata; the same bytes for the same
  briefing (fixed ``svg.hashsalt``, no date);
- :func:`timeline_png`: the same chart as a PNG picture for DOCX and PDF;
- :func:`source_counts`: items per outlet, largest first, for the small table.

Drawn with matplotlib's object API and its Agg/SVG writers only (never pyplot, never
a GUI backend), imported inside the functions so nothing else pays for it. The
labels are dates and numbers made here, never text from an article.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from briefing.export.model import Briefing, DayCount, Item

NO_SOURCE = "(no source)"
_PROLOG = re.compile(r"\A.*?(?=<svg\b)", re.S)
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.S)
_RC: Any = {"svg.hashsalt": "briefing-timeline", "svg.fonttype": "none", "font.family": "DejaVu Sans", "font.size": 9}


def day_counts(items: Iterable[Item]) -> tuple[tuple[DayCount, ...], int]:
    """Items per (effective) day, oldest first, and how many have no date."""
    days: Counter[dt.date] = Counter()
    undated = 0
    for item in items:
        if item.date is None:
            undated += 1
        else:
            days[item.date] += 1
    return tuple(DayCount(day, n) for day, n in sorted(days.items())), undated


def source_counts(briefing: Briefing) -> tuple[tuple[str, int], ...]:
    """Items per outlet, largest first (ties by name); items without one as "(no source)"."""
    counts = Counter(item.source or NO_SOURCE for item in briefing.items)
    return tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


MIN_DAYS_SHOWN = 7  # the narrowest chart of days, in days


def has_chart(briefing: Briefing) -> bool:
    return bool(briefing.timeline)


def _figure(briefing: Briefing) -> Any:
    from matplotlib.figure import Figure

    from briefing.stats import timeline

    line = timeline({d.day: d.count for d in briefing.timeline})
    fig = Figure(figsize=(6.4, 1.9), dpi=100)
    ax = fig.add_subplot()
    width = {"day": 0.8, "week": 5.6, "month": 24.0}[line.unit]
    starts: Any = list(line.starts)  # matplotlib takes dates (its stubs say numbers)
    ax.bar(starts, list(line.counts), width=width, align="edge", color="#3b6ea5", linewidth=0)
    ax.set_ylabel(f"items per {line.unit}")
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.spines[["top", "right"]].set_visible(False)
    ax.margins(x=0.01)
    import matplotlib.dates as mdates

    span = (line.starts[-1] - line.starts[0]).days + 1 if line.starts else 1
    if line.unit == "day" and line.starts and span < MIN_DAYS_SHOWN:
        # a day or two (a daily briefing): a week's width, the bars in the middle, rather
        # than one bar stretched across the whole chart
        pad = (MIN_DAYS_SHOWN - span) / 2
        first, last = mdates.date2num([line.starts[0], line.starts[-1]])  # type: ignore[no-untyped-call]
        ax.set_xlim(first - pad, last + 1 + pad)
    locator: Any
    if span <= 62:  # whole days, never an hour (a chart of one day once read "00:00")
        locator = mdates.DayLocator(interval=max(1, math.ceil(span / 7)))  # type: ignore[no-untyped-call]
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(FuncFormatter(_day_label))
        years = sorted({line.starts[0].year, line.starts[-1].year}) if line.starts else []
        ax.set_xlabel("–".join(map(str, years)), loc="right")
    else:
        locator = mdates.AutoDateLocator(minticks=3, maxticks=8)  # type: ignore[no-untyped-call]
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    fig.tight_layout(pad=0.4)
    return fig


def _day_label(value: float, _pos: object = None) -> str:
    """A tick on a chart of days: "1 Mar" (the year is the axis label)."""
    import matplotlib.dates as mdates

    day = mdates.num2date(value)  # type: ignore[no-untyped-call]
    return f"{day.day} {day:%b}"


def timeline_svg(briefing: Briefing) -> str:
    """The chart as an ``<svg>`` element to put inline in HTML ("" without dated items)."""
    if not has_chart(briefing):
        return ""
    import matplotlib

    with matplotlib.rc_context(_RC):
        fig = _figure(briefing)
        out = io.StringIO()
        fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    svg = _METADATA.sub("", _PROLOG.sub("", out.getvalue()))
    svg = svg.replace("<svg ", '<svg role="img" aria-label="Items over time" ', 1)
    return svg


def timeline_png(briefing: Briefing, dpi: int = 150) -> bytes:
    """The chart as a PNG picture (b"" without dated items)."""
    if not has_chart(briefing):
        return b""
    import matplotlib

    with matplotlib.rc_context(_RC):
        fig = _figure(briefing)
        out = io.BytesIO()
        fig.savefig(out, format="png", dpi=dpi, metadata={"Software": None})
    return out.getvalue()
