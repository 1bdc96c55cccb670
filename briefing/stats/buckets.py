"""Day, week and month buckets for a timeline, chosen by the span of the dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

UNITS = ("day", "week", "month")
DAY_SPAN = 92  # up to this many days from first to last: one bucket a day
WEEK_SPAN = 2 * 366  # up to about two years: weeks (Monday to Sunday); beyond: months
BLOCKS = "▁▂▃▄▅▆▇█"


def unit_for(first: dt.date, last: dt.date) -> str:
    """The bucket for a span: days up to three months, weeks up to two years, else months."""
    span = (last - first).days + 1
    if span <= DAY_SPAN:
        return "day"
    if span <= WEEK_SPAN:
        return "week"
    return "month"


def bucket_start(day: dt.date, unit: str) -> dt.date:
    if unit == "day":
        return day
    if unit == "week":
        return day - dt.timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    raise ValueError(f"unit must be one of {', '.join(UNITS)}, not {unit!r}")


def bucket_end(start: dt.date, unit: str) -> dt.date:
    """The last day of the bucket that begins on ``start``."""
    if unit == "day":
        return start
    if unit == "week":
        return start + dt.timedelta(days=6)
    return next_start(start, unit) - dt.timedelta(days=1)


def next_start(start: dt.date, unit: str) -> dt.date:
    if unit == "day":
        return start + dt.timedelta(days=1)
    if unit == "week":
        return start + dt.timedelta(days=7)
    return dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)


@dataclass(frozen=True)
class Timeline:
    """Consecutive buckets from the first dated article's to the last's (empty ones
    included, so the picture keeps its time scale)."""

    unit: str
    starts: tuple[dt.date, ...]
    counts: tuple[int, ...]

    def __len__(self) -> int:
        return len(self.starts)

    def end(self, index: int) -> dt.date:
        return bucket_end(self.starts[index], self.unit)

    def index_of(self, day: dt.date | None) -> int | None:
        """The bucket holding ``day`` (None when undated or outside the span)."""
        if day is None or not self.starts:
            return None
        start = bucket_start(day, self.unit)
        lo, hi = 0, len(self.starts)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.starts[mid] < start:
                lo = mid + 1
            else:
                hi = mid
        return lo if lo < len(self.starts) and self.starts[lo] == start else None

    def label(self, index: int) -> str:
        start = self.starts[index]
        if self.unit == "day":
            return start.isoformat()
        if self.unit == "week":
            return f"week of {start.isoformat()}"
        return start.strftime("%Y-%m")


def timeline(days: Mapping[dt.date, int], unit: str | None = None) -> Timeline:
    """Buckets of ``days`` (counts by day); ``unit`` None: chosen by :func:`unit_for`."""
    dated = {d: n for d, n in days.items() if n}
    if not dated:
        return Timeline(unit or "day", (), ())
    first, last = min(dated), max(dated)
    unit = unit or unit_for(first, last)
    totals: dict[dt.date, int] = {}
    for day, n in dated.items():
        key = bucket_start(day, unit)
        totals[key] = totals.get(key, 0) + n
    starts, counts = [], []
    at, stop = bucket_start(first, unit), bucket_start(last, unit)
    while at <= stop:
        starts.append(at)
        counts.append(totals.get(at, 0))
        at = next_start(at, unit)
    return Timeline(unit, tuple(starts), tuple(counts))


def sparkline(values: Sequence[int], width: int | None = None) -> str:
    """One line of block characters, one per value (or per group of values when there
    are more than ``width``: each character then shows its group's largest)."""
    values = list(values)
    if width is not None and width > 0 and len(values) > width:
        size = -(-len(values) // width)
        values = [max(values[i:i + size]) for i in range(0, len(values), size)]
    top = max(values, default=0)
    if top <= 0:
        return " " * len(values)
    return "".join(" " if v <= 0 else BLOCKS[min(len(BLOCKS) - 1, (v * len(BLOCKS) - 1) // top)] for v in values)
