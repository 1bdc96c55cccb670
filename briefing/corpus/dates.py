"""Step 3a: find an article's date in the text, never anywhere else.

A regular-expression fast path reads the common shapes (``2023-11-06``,
``14 March 2025``, ``November 3, 2025``); python-dateutil reads the rest of a string
that is already known to be a date (after ``Published:``). dateutil fills missing parts
from a default date, so every dateutil result is checked against two different defaults:
a date whose year, month or day came from the default is refused. Nothing here ever
looks at a file's modification time or at today's date.
"""

from __future__ import annotations

import datetime as dt
import re

MIN_YEAR, MAX_YEAR = 1900, 2100

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3,
    "april": 4, "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7,
    "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9, "october": 10,
    "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday|rsday)?\.?,?\s+)"
_ORD = r"(?:st|nd|rd|th)?"
_TIME = r"(?:(?:\s*[,|–—-]\s*|\s+)(?:at\s+)?\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\s*[ap]\.?m\.?)?(?:\s*(?:[A-Z]{2,5}|[+-]\d{2}:?\d{2}|Z))?)?"

# One date in the common shapes; named groups tell which.
DATE_CORE = (
    rf"(?:(?P<iy>\d{{4}})[-/.](?P<im>\d{{1,2}})[-/.](?P<id>\d{{1,2}})(?![\d])"
    rf"|(?P<dd>\d{{1,2}}){_ORD}\s+(?:of\s+)?(?P<dm>{_MONTH})\.?,?\s+(?P<dy>\d{{4}})"
    rf"|(?P<mm>{_MONTH})\.?\s+(?P<md>\d{{1,2}}){_ORD},?\s+(?P<my>\d{{4}}))(?!\d)"
)
_DATE_SEARCH = re.compile(DATE_CORE, re.IGNORECASE)
_DATE_ONLY = re.compile(rf"\s*{_WEEKDAY}?{DATE_CORE}{_TIME}\s*\.?\s*", re.IGNORECASE)

# "date 2023-11-06 The UK Ministry..." at the very start of the text.
DATE_MARKER = re.compile(r"\s*date\s*[:=]?\s*(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)[ \t]*", re.IGNORECASE)

# "Published: 14 March 2025", "Updated on Nov 3, 2025 10:02 GMT", "Date: 2025-03-14".
DATE_LINE = re.compile(
    r"(?P<kw>first published|published|posted|last updated|last modified|updated|modified|dated|date|pubdate)"
    r"(?:\s+on)?\s*[:\-–—]?\s*(?P<rest>.{4,80})",
    re.IGNORECASE,
)

# "KYIV, Ukraine, March 14, 2025 (Reuters) —" at the start of the first paragraph.
DATELINE = re.compile(
    r"(?P<place>[A-Z][A-Za-z.'’\-]*(?:[ ,]{1,2}[A-Z][A-Za-z.'’\-]*){0,4}),\s+"
    rf"(?P<date>(?i:{_WEEKDAY}?(?:\d{{1,2}}{_ORD}\s+{_MONTH}\.?(?:,?\s+\d{{4}})?|{_MONTH}\.?\s+\d{{1,2}}{_ORD}(?:,?\s+\d{{4}})?|\d{{4}}-\d{{2}}-\d{{2}})))"
    r"\s*(?:\((?P<source>[^()]{1,40})\))?\s*(?:[—–]|--?)\s+"
)


def make_date(year: int, month: int, day: int) -> dt.date | None:
    """A valid date within a sane range, else None."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _from_match(m: re.Match[str]) -> dt.date | None:
    g = m.groupdict()
    if g.get("iy"):
        return make_date(int(g["iy"]), int(g["im"]), int(g["id"]))
    if g.get("dd"):
        return make_date(int(g["dy"]), MONTHS[g["dm"].lower()], int(g["dd"]))
    if g.get("mm"):
        return make_date(int(g["my"]), MONTHS[g["mm"].lower()], int(g["md"]))
    return None


def parse_date_fast(text: str) -> dt.date | None:
    """A date when ``text`` is just a date (optionally weekday and time), else None."""
    m = _DATE_ONLY.fullmatch(text)
    return _from_match(m) if m else None


def search_date(text: str) -> dt.date | None:
    """The first common-shape date anywhere in ``text``."""
    m = _DATE_SEARCH.search(text)
    return _from_match(m) if m else None


_DOTTED = re.compile(r"\s*(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})(?![\d.])")
_D1 = dt.datetime(1904, 1, 1)
_D2 = dt.datetime(1905, 2, 2)


def parse_date_string(text: object) -> dt.date | None:
    """Parse a string that should be a date: fast path first, then dateutil.

    Returns None unless year, month and day are all present in ``text``.
    """
    if text is None:
        return None
    text = str(text).strip()
    if not text or len(text) > 100:
        return None
    fast = parse_date_fast(text)
    if fast:
        return fast
    if not any(c.isdigit() for c in text):
        return None
    if m := _DOTTED.match(text):  # 05.03.2024: day first wherever dots are written
        return make_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    from dateutil import parser as dparser  # only for the uncommon shapes

    try:
        a = dparser.parse(text, default=_D1)
        b = dparser.parse(text, default=_D2)
    except (ValueError, OverflowError, TypeError):
        return None
    if (a.year, a.month, a.day) != (b.year, b.month, b.day):
        return None  # some part came from the default, not from the text
    if str(a.year) not in text:
        return None  # a two-digit year ("24-03-05"): which part is the year is a guess
    return make_date(a.year, a.month, a.day)


def coerce_date(value: object) -> dt.date | None:
    """A date from a front-matter or metadata value (date, datetime or string)."""
    if isinstance(value, dt.datetime):
        return make_date(value.year, value.month, value.day)
    if isinstance(value, dt.date):
        return make_date(value.year, value.month, value.day)
    if isinstance(value, str):
        return parse_date_string(value)
    return None


def date_line(line: str) -> tuple[dt.date, bool] | None:
    """``(date, is_update)`` when the whole line is date metadata, else None.

    Accepts a bare date (``November 3, 2025``) or a keyword line
    (``Published: 14 March 2025``, ``Updated 3 Nov 2025 10:02 GMT``).
    """
    if len(line) > 120:
        return None
    d = parse_date_fast(line)
    if d:
        return d, False
    m = DATE_LINE.fullmatch(line)
    if not m:
        return None
    is_update = m.group("kw").lower() in ("updated", "last updated", "last modified", "modified")
    rest = m.group("rest").strip()
    d = parse_date_fast(rest)
    if d is None:
        head = re.split(r"\s*[|•·]\s*|\s+(?:updated|by)\s+", rest, maxsplit=1, flags=re.IGNORECASE)[0]
        d = parse_date_fast(head) or search_date(head) or parse_date_string(head)
    return (d, is_update) if d else None


def dateline(paragraph: str) -> tuple[dt.date | None, str | None] | None:
    """``(date or None, source or None)`` from a news dateline opening ``paragraph``."""
    if not paragraph[:1].isupper():
        return None
    m = DATELINE.match(paragraph[:160])
    if not m:
        return None
    d = search_date(m.group("date"))
    source = m.group("source")
    return d, source.strip() if source else None
