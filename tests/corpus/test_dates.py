"""Dates come from the text (or metadata), never from the file system or the clock."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from briefing.corpus.dates import date_line, dateline, parse_date_string

from .helpers import load_one

D = dt.date


@pytest.mark.parametrize(
    "text, expected",
    [
        (" date 2023-11-06 The UK Ministry of Defense has warned of strikes.", D(2023, 11, 6)),
        ("date 2024-04-24\n\nBody sentence here.", D(2024, 4, 24)),
        ("Headline line\n\ndate 2021-02-03 The body starts here.", D(2021, 2, 3)),
        ("Headline line\n\nPublished: 14 March 2025\n\nBody sentence here.", D(2025, 3, 14)),
        ("Headline line\nNovember 3, 2025\n\nBody sentence here.", D(2025, 11, 3)),
        ("Headline line\n\nUpdated 3 Nov 2025 10:02 GMT\n\nBody sentence here.", D(2025, 11, 3)),
        ("Headline line\n\nPosted on Tuesday, 14th March 2023 at 10:02\n\nBody here.", D(2023, 3, 14)),
        ("Headline line\n\nBy Jane Doe | March 3, 2025\n\nBody sentence here.", D(2025, 3, 3)),
        ("KYIV, Ukraine, March 14, 2025 (Reuters) — Strikes hit the grid overnight.", D(2025, 3, 14)),
        ("LONDON, 2 January 2024 - The body starts here.", D(2024, 1, 2)),
        ("Body sentence here.\n\nPublished: 2020-05-06", D(2020, 5, 6)),
    ],
)
def test_date_shapes(tmp_path, text, expected):
    assert load_one(tmp_path, "a.txt", text).date == expected


def test_published_beats_updated(tmp_path):
    text = "Headline line\n\nUpdated: 5 May 2025\nPublished: 1 May 2025\n\nBody sentence here."
    a = load_one(tmp_path, "a.txt", text)
    assert a.date == D(2025, 5, 1)
    assert a.body == "Body sentence here."  # the date lines left the body


@pytest.mark.parametrize(
    "text",
    [
        "No date anywhere in this text at all.",
        "KYIV, March 14 (Reuters) — A dateline without a year gives no date.",
        "Headline line\n\nPublished: March 2025\n\nA month without a day is not a date.",
        "The war began in 2022 and went on through 2023.",
    ],
)
def test_undated_stays_undated_never_today_never_mtime(tmp_path, text):
    path = tmp_path / "a.txt"
    path.write_text(text)
    os.utime(path, (1_000_000_000, 1_000_000_000))  # 2001-09-09: must not be used
    from briefing.corpus import read_article

    assert read_article(tmp_path, path).date is None


def test_parse_date_string_refuses_defaulted_parts():
    assert parse_date_string("14 March 2025") == D(2025, 3, 14)
    assert parse_date_string("2025-03-14T10:00:00+02:00") == D(2025, 3, 14)
    assert parse_date_string("Fri, 14 Mar 2025 10:00:00 GMT") == D(2025, 3, 14)
    assert parse_date_string("March 2025") is None  # no day: dateutil would invent one
    assert parse_date_string("14 March") is None  # no year: dateutil would use this year
    assert parse_date_string("10:30") is None  # a time only: dateutil would use today
    assert parse_date_string("2025-02-30") is None
    assert parse_date_string("3025-01-01") is None


def test_date_line_and_dateline_helpers():
    assert date_line("Published: 14 March 2025") == (D(2025, 3, 14), False)
    assert date_line("Last updated: 15 March 2025") == (D(2025, 3, 15), True)
    assert date_line("Published figures show 45 deaths.") is None
    assert dateline("WASHINGTON, Nov. 3, 2025 (AP) -- Text") == (D(2025, 11, 3), "AP")
    assert dateline("Text that is not a dateline, March 3, 2025 - x") is None
