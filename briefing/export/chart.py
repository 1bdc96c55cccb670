"""The briefing's timeline chart and source counts (issue 23).

- :func:`day_counts` fills ``Briefing.timeline`` / ``Briefing.undated`` (items per
  day, oldest first; undated items counted apart, never placed on a guessed day);
- :func:`timeline_svg`: the chart as inline SVG for the HTML export: no script, no
  external reference, no XML prolog or metadata; the same bytes for the same briefing;
- :func:`timeline_png`: the same chart as a PNG picture for DOCX and PDF;
- :func:`source_counts`: items per outlet, largest first, for the small table.

The chart is a plain bar chart (one bar per day, week or month, chosen by the span as
:func:`briefing.stats.timeline` does), laid out here once (:func:`layout`) and written
by two small writers: SVG text, and a PNG drawn with Pillow (which fpdf2 already
needs) using the DejaVu Sans files the PDF embeds. matplotlib drew it before: its
import and two drawing passes cost about a second per export, more than the rest of
an HTML export of 500 items. The labels are dates and numbers made here, never text
from an article.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from briefing.export.model import Briefing, DayCount, Item

NO_SOURCE = "(no source)"

# The picture, in SVG user units (CSS pixels); the PNG is drawn at SCALE times this.
WIDTH, HEIGHT = 640, 190
LEFT, RIGHT, TOP, BOTTOM = 40, 12, 24, 26  # room for the y labels, the title, the x labels
FONT_SIZE = 11
BAR = (0x3B, 0x6E, 0xA5)
INK = (0x33, 0x33, 0x33)
RULE = (0xDD, 0xDD, 0xDD)
SCALE = 1.5  # PNG pixels per unit: 960 × 285, about 150 dpi at the old 6.4 in width
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


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


def has_chart(briefing: Briefing) -> bool:
    return bool(briefing.timeline)


# --- layout -------------------------------------------------------------------------


@dataclass(frozen=True)
class Plot:
    """The chart in picture units (origin top left): bars as (x, y, width, height),
    y ticks as (y, label), x ticks as (x, label), the title, the plot's frame."""

    title: str
    bars: tuple[tuple[float, float, float, float], ...]
    y_ticks: tuple[tuple[float, str], ...]
    x_ticks: tuple[tuple[float, str], ...]
    left: float
    right: float
    top: float
    bottom: float


def _y_step(top: int) -> int:
    """A round step giving at most five ticks above zero."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if top <= 5 * step * factor:
                return step * factor
        step *= 10


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _date_ticks(first: dt.date, stop: dt.date) -> list[tuple[dt.date, str]]:
    """At most eight round dates in ``[first, stop)`` and their short labels: days
    (1, 2, 3, 7 or 14 apart), else month starts (1, 2, 3 or 6 apart), else years."""
    span = (stop - first).days
    for every in (1, 2, 3, 7, 14):
        if span / every <= 8:
            day = first
            if every == 7:  # Mondays
                day += dt.timedelta(days=(7 - first.weekday()) % 7)
            ticks = []
            while day < stop:
                ticks.append(day)
                day += dt.timedelta(days=every)
            return [(d, f"{d.day} {_MONTHS[d.month - 1]}" + (f" {d.year}" if i == 0 or d.month == 1 and d.day <= every else ""))
                    for i, d in enumerate(ticks)]
    months = (stop.year - first.year) * 12 + stop.month - first.month
    for every in (1, 2, 3, 6, 12, 24, 60, 120):
        if months / every <= 8:
            break
    start = first if first.day == 1 else _add_months(first, 1)
    if every >= 12:
        start = dt.date(start.year + (start.month != 1), 1, 1)
    ticks = []
    day = start
    while day < stop:
        ticks.append(day)
        day = _add_months(day, every)
    if every >= 12:
        return [(d, str(d.year)) for d in ticks]
    return [(d, _MONTHS[d.month - 1] + (f" {d.year}" if i == 0 or d.month <= every else "")) for i, d in enumerate(ticks)]


def layout(briefing: Briefing) -> Plot | None:
    """Where everything goes (None without dated items)."""
    from briefing.stats import timeline
    from briefing.stats.buckets import next_start

    line = timeline({d.day: d.count for d in briefing.timeline})
    if not line.starts:
        return None
    first = line.starts[0]
    stop = next_start(line.starts[-1], line.unit)
    days = max(1, (stop - first).days)
    left, right, top, bottom = LEFT, WIDTH - RIGHT, TOP, HEIGHT - BOTTOM
    per_day = (right - left) / days
    step = _y_step(max(line.counts))
    y_top = step * -(-max(line.counts) // step)
    per_item = (bottom - top) / y_top
    bars = []
    for start, count in zip(line.starts, line.counts, strict=True):
        if not count:
            continue
        length = (next_start(start, line.unit) - start).days
        x = left + (start - first).days * per_day + length * per_day * 0.1
        height = count * per_item
        bars.append((x, bottom - height, max(0.5, length * per_day * 0.8), height))
    y_ticks = tuple((bottom - value * per_item, str(value)) for value in range(0, y_top + 1, step))
    x_ticks = tuple((left + ((day - first).days + (0.5 if line.unit == "day" else 0)) * per_day, label)
                    for day, label in _date_ticks(first, stop))
    return Plot(f"Items per {line.unit}", tuple(bars), y_ticks, x_ticks, left, right, top, bottom)


# --- writers ------------------------------------------------------------------------


def _n(value: float) -> str:
    """A coordinate with at most two decimals (stable text, short files)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _hex(color: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*color)


def timeline_svg(briefing: Briefing) -> str:
    """The chart as an ``<svg>`` element to put inline in HTML ("" without dated items)."""
    plot = layout(briefing)
    if plot is None:
        return ""
    ink, rule = _hex(INK), _hex(RULE)
    out = [
        f'<svg role="img" aria-label="Items over time" xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="DejaVu Sans, Verdana, sans-serif" font-size="{FONT_SIZE}" fill="{ink}">',
        f'<text x="{_n(plot.left)}" y="{_n(plot.top - 10)}">{plot.title}</text>',
    ]
    for y, label in plot.y_ticks:
        out.append(f'<line x1="{_n(plot.left)}" y1="{_n(y)}" x2="{_n(plot.right)}" y2="{_n(y)}" stroke="{rule}" stroke-width="1"/>')
        out.append(f'<text x="{_n(plot.left - 5)}" y="{_n(y + 4)}" text-anchor="end">{label}</text>')
    out.append(f'<g fill="{_hex(BAR)}">')
    out.extend(f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}"/>' for x, y, w, h in plot.bars)
    out.append("</g>")
    out.append(f'<line x1="{_n(plot.left)}" y1="{_n(plot.bottom)}" x2="{_n(plot.right)}" y2="{_n(plot.bottom)}" stroke="{ink}" stroke-width="1"/>')
    for x, label in plot.x_ticks:
        out.append(f'<line x1="{_n(x)}" y1="{_n(plot.bottom)}" x2="{_n(x)}" y2="{_n(plot.bottom + 4)}" stroke="{ink}" stroke-width="1"/>')
        out.append(f'<text x="{_n(x)}" y="{_n(plot.bottom + 16)}" text-anchor="middle">{label}</text>')
    out.append("</svg>")
    return "".join(out)


def timeline_png(briefing: Briefing) -> bytes:
    """The chart as a PNG picture (b"" without dated items)."""
    plot = layout(briefing)
    if plot is None:
        return b""
    from PIL import Image, ImageDraw, ImageFont

    from briefing.export.fonts import FontsMissing, font_dir

    def s(value: float) -> float:
        return value * SCALE

    size = round(FONT_SIZE * SCALE)
    try:
        font: ImageFont.FreeTypeFont | ImageFont.ImageFont = ImageFont.truetype(str(font_dir() / "DejaVuSans.ttf"), size)
    except (FontsMissing, OSError):
        font = ImageFont.load_default(size)
    image = Image.new("RGB", (round(s(WIDTH)), round(s(HEIGHT))), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.text((s(plot.left), s(plot.top - 10)), plot.title, fill=INK, font=font, anchor="ls")
    for y, label in plot.y_ticks:
        draw.line([(s(plot.left), s(y)), (s(plot.right), s(y))], fill=RULE, width=1)
        draw.text((s(plot.left - 5), s(y)), label, fill=INK, font=font, anchor="rm")
    for x, y, w, h in plot.bars:
        draw.rectangle([(s(x), s(y)), (s(x + w), s(y + h))], fill=BAR)
    draw.line([(s(plot.left), s(plot.bottom)), (s(plot.right), s(plot.bottom))], fill=INK, width=2)
    for x, label in plot.x_ticks:
        draw.line([(s(x), s(plot.bottom)), (s(x), s(plot.bottom + 4))], fill=INK, width=2)
        draw.text((s(x), s(plot.bottom + 16)), label, fill=INK, font=font, anchor="ms")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()
