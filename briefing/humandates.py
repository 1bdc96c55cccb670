"""Dates as people type them: ``today``, ``7d``, ``last week``, ``March 2024`` ...

Every place where an analyst types a date (the reader's filter, ``--since`` and
``--until``, the query language's ``date:``, ``since:`` and ``until:``) reads it here,
so one spelling means one thing everywhere. A typed date is a *range* of days:
``2024-03-15`` is one day, ``2024-03`` and ``March 2024`` a month, ``last week``
Monday to Sunday of the week before this one. ``since`` takes a range's first day,
``until`` its last, so ``--since 2024-03 --until 2024-03`` is all of March.

Spellings (case and extra blanks do not matter):

- ``2024-03-15``, ``2024-03``, ``2024``; ``15 March 2024``, ``March 15, 2024``,
  ``March 2024``, ``Mar 2024``; ``March`` alone is the latest March not after today;
- ``today``, ``yesterday``; a weekday (``monday``) is the latest one on or before today;
- ``7d``, ``2w``, ``3m``, ``1y`` (also ``7 days``, ``last 7 days``, ``past 2 weeks``):
  from that long ago up to today; ``3 days ago`` / ``2 weeks ago`` is that one day;
- ``this week|month|year``, ``last week|month|year`` (weeks start on Monday);
- ``A..B`` with any two of the above: from A's first day to B's last.

Anything else raises :class:`HumanDateError`, whose message quotes what was typed and
says what was not understood (an impossible day like ``2024-02-30`` names the month's
length). Plain Python: no Textual, no network, no locale dependence.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

MAX_TEXT = 64  # longer input is refused before any parsing

EXAMPLES = "2024-03-15, 2024-03, March 2024, today, yesterday, 7d, 2w, last week, this month"

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_WEEKDAYS = {name.lower(): number for number, name in enumerate(calendar.day_name)}
_WEEKDAYS.update({name.lower(): number for number, name in enumerate(calendar.day_abbr)})
_UNITS = {
    "d": "d", "day": "d", "days": "d",
    "w": "w", "wk": "w", "wks": "w", "week": "w", "weeks": "w",
    "m": "m", "mo": "m", "mon": "m", "month": "m", "months": "m",
    "y": "y", "yr": "y", "yrs": "y", "year": "y", "years": "y",
}  # fmt: skip

_ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_ISO_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_YEAR = re.compile(r"\d{4}")
_SPAN = re.compile(r"(?:(?:last|past)\s+)?(\d{1,5})\s*([a-z]+)")
_AGO = re.compile(r"(\d{1,5})\s*([a-z]+)\s+ago")
_RELATIVE = re.compile(r"(this|last)\s+(week|month|year)")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})")
_MONTH_DAY_YEAR = re.compile(r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
_MONTH_YEAR = re.compile(r"([a-z]+)\.?,?\s+(\d{4})")
_YEAR_MONTH = re.compile(r"(\d{4})\s+([a-z]+)\.?")


class HumanDateError(ValueError):
    """What was typed is not a date this module understands; the message says why."""


@dataclass(frozen=True)
class DateRange:
    """Days from ``start`` to ``end``, both included."""

    start: dt.date
    end: dt.date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end

    def describe(self) -> str:
        """``2024-03-15`` for one day, else ``2024-03-01 to 2024-03-31``."""
        if self.start == self.end:
            return self.start.isoformat()
        return f"{self.start.isoformat()} to {self.end.isoformat()}"


def _fail(text: str, why: str = "") -> HumanDateError:
    reason = why or "not understood as a date"
    return HumanDateError(f"{text!r}: {reason} (try {EXAMPLES})")


def _month_number(word: str, text: str) -> int:
    number = _MONTHS.get(word)
    if number is None:
        raise _fail(text, f"{word!r} is not a month name")
    return number


def _day(text: str, year: int, month: int, day: int) -> dt.date:
    if not 1 <= month <= 12:
        raise _fail(text, f"there is no month {month}")
    if not 1 <= year <= 9999:
        raise _fail(text, f"year {year} is out of range")
    length = calendar.monthrange(year, month)[1]
    if not 1 <= day <= length:
        raise _fail(text, f"{calendar.month_name[month]} {year} has {length} days, not {day}")
    return dt.date(year, month, day)


def _month(text: str, year: int, month: int) -> DateRange:
    first = _day(text, year, month, 1)
    return DateRange(first, first.replace(day=calendar.monthrange(year, month)[1]))


def _year(text: str, year: int) -> DateRange:
    if not 1 <= year <= 9999:
        raise _fail(text, f"year {year} is out of range")
    return DateRange(dt.date(year, 1, 1), dt.date(year, 12, 31))


def _months_back(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    if year < 1:
        raise OverflowError
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _back(text: str, today: dt.date, count: int, unit_word: str) -> dt.date:
    unit = _UNITS.get(unit_word)
    if unit is None:
        raise _fail(text, f"{unit_word!r} is not a unit (use d, w, m or y: days, weeks, months, years)")
    try:
        if unit == "d":
            return today - dt.timedelta(days=count)
        if unit == "w":
            return today - dt.timedelta(weeks=count)
        if unit == "m":
            return _months_back(today, count)
        return _months_back(today, 12 * count)
    except OverflowError:
        raise _fail(text, "that is too long ago") from None


def _relative(today: dt.date, which: str, unit: str) -> DateRange:
    if unit == "week":
        monday = today - dt.timedelta(days=today.weekday())
        if which == "last":
            monday -= dt.timedelta(weeks=1)
        return DateRange(monday, monday + dt.timedelta(days=6))
    if unit == "month":
        first = today.replace(day=1)
        if which == "last":
            first = _months_back(first, 1)
        return DateRange(first, first.replace(day=calendar.monthrange(first.year, first.month)[1]))
    year = today.year - (1 if which == "last" else 0)
    return DateRange(dt.date(year, 1, 1), dt.date(year, 12, 31))


def _single(key: str, today: dt.date, text: str) -> DateRange:
    """One spelling ``key`` (no ``..``), lower-cased with blanks collapsed; ``text`` is
    what was typed, quoted in errors."""
    if key == "today":
        return DateRange(today, today)
    if key == "yesterday":
        day = today - dt.timedelta(days=1)
        return DateRange(day, day)
    if key in _WEEKDAYS:
        day = today - dt.timedelta(days=(today.weekday() - _WEEKDAYS[key]) % 7)
        return DateRange(day, day)
    if m := _ISO_DAY.fullmatch(key):
        day = _day(text, int(m[1]), int(m[2]), int(m[3]))
        return DateRange(day, day)
    if m := _ISO_MONTH.fullmatch(key):
        return _month(text, int(m[1]), int(m[2]))
    if _YEAR.fullmatch(key):
        return _year(text, int(key))
    if m := _RELATIVE.fullmatch(key):
        return _relative(today, m[1], m[2])
    if m := _AGO.fullmatch(key):
        day = _back(text, today, int(m[1]), m[2])
        return DateRange(day, day)
    if (m := _YEAR_MONTH.fullmatch(key)) and m[2] in _MONTHS:
        return _month(text, int(m[1]), _MONTHS[m[2]])
    if m := _SPAN.fullmatch(key):
        return DateRange(_back(text, today, int(m[1]), m[2]), today)
    if m := _DAY_MONTH_YEAR.fullmatch(key):
        day = _day(text, int(m[3]), _month_number(m[2], text), int(m[1]))
        return DateRange(day, day)
    if m := _MONTH_DAY_YEAR.fullmatch(key):
        day = _day(text, int(m[3]), _month_number(m[1], text), int(m[2]))
        return DateRange(day, day)
    if m := _MONTH_YEAR.fullmatch(key):
        return _month(text, int(m[2]), _month_number(m[1], text))
    if m := _YEAR_MONTH.fullmatch(key):
        return _month(text, int(m[1]), _month_number(m[2], text))
    word = key.rstrip(".")
    if word in _MONTHS:
        month = _MONTHS[word]
        year = today.year if month <= today.month else today.year - 1
        return _month(text, year, month)
    if "/" in key:
        raise _fail(text, "day and month order is ambiguous with '/'; write 2024-03-04 or 4 March 2024")
    raise _fail(text)


def parse_range(text: str, today: dt.date | None = None) -> DateRange:
    """The days that ``text`` names (see the module's docstring for the spellings).

    ``today`` defaults to the local date; tests pass a fixed one."""
    if not isinstance(text, str):
        raise TypeError("a typed date must be text")
    if len(text) > MAX_TEXT:
        raise HumanDateError(f"a date of {len(text)} characters is too long (at most {MAX_TEXT})")
    today = today or dt.date.today()
    cleaned = " ".join(text.lower().split())
    if not cleaned:
        raise HumanDateError(f"no date given (try {EXAMPLES})")
    if ".." in cleaned:
        first, _, last = cleaned.partition("..")
        if not first.strip() or not last.strip():
            raise _fail(text, "a range needs a date on both sides of '..'")
        start = _single(first.strip(), today, text).start
        end = _single(last.strip(), today, text).end
        if start > end:
            raise _fail(text, f"the range starts ({start.isoformat()}) after it ends ({end.isoformat()})")
        return DateRange(start, end)
    return _single(cleaned, today, text.strip())


def parse_since(text: str, today: dt.date | None = None) -> dt.date:
    """The first day of what ``text`` names: ``--since 2024-03`` is from March 1st."""
    return parse_range(text, today).start


def parse_until(text: str, today: dt.date | None = None) -> dt.date:
    """The last day of what ``text`` names: ``--until 2024-03`` is up to March 31st."""
    return parse_range(text, today).end


def check_order(since: dt.date | None, until: dt.date | None) -> None:
    """Refuse a since after an until: such a range could never match anything."""
    if since is not None and until is not None and since > until:
        raise HumanDateError(f"since {since.isoformat()} is after until {until.isoformat()}: nothing could match")


def parse_day(text: str, today: dt.date | None = None) -> dt.date:
    """The one day ``text`` names (``2024-03-15``, ``today``, ``yesterday``, ``3 days
    ago``, ``monday``, ``15 March 2024``), for what is one day by nature: an analyst's
    date correction, the date a briefing was produced. A spelling that names several
    days (``2024-03``, ``last week``, ``7d``) raises :class:`HumanDateError` saying
    which days it names."""
    days = parse_range(text, today)
    if days.start != days.end:
        raise HumanDateError(f"{text.strip()!r} is {days.describe()}: a date here is one day (e.g. 2024-03-15, today, yesterday)")
    return days.start
