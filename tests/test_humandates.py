"""Dates typed by people: every spelling against a fixed "today" (Wednesday 2024-03-13)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefing.humandates import DateRange, HumanDateError, check_order, parse_range, parse_since, parse_until

TODAY = dt.date(2024, 3, 13)  # a Wednesday
D = dt.date


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2024-03-15", D(2024, 3, 15), D(2024, 3, 15)),
        ("2024-3-5", D(2024, 3, 5), D(2024, 3, 5)),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29)),
        ("2023-02", D(2023, 2, 1), D(2023, 2, 28)),
        ("2023", D(2023, 1, 1), D(2023, 12, 31)),
        ("today", TODAY, TODAY),
        ("  Today ", TODAY, TODAY),
        ("yesterday", D(2024, 3, 12), D(2024, 3, 12)),
        ("monday", D(2024, 3, 11), D(2024, 3, 11)),
        ("wed", TODAY, TODAY),
        ("thursday", D(2024, 3, 7), D(2024, 3, 7)),
        ("7d", D(2024, 3, 6), TODAY),
        ("7 days", D(2024, 3, 6), TODAY),
        ("last 7 days", D(2024, 3, 6), TODAY),
        ("2w", D(2024, 2, 28), TODAY),
        ("past 2 weeks", D(2024, 2, 28), TODAY),
        ("1m", D(2024, 2, 13), TODAY),
        ("1y", D(2023, 3, 13), TODAY),
        ("3 days ago", D(2024, 3, 10), D(2024, 3, 10)),
        ("2 weeks ago", D(2024, 2, 28), D(2024, 2, 28)),
        ("this week", D(2024, 3, 11), D(2024, 3, 17)),
        ("last week", D(2024, 3, 4), D(2024, 3, 10)),
        ("LAST   WEEK", D(2024, 3, 4), D(2024, 3, 10)),
        ("this month", D(2024, 3, 1), D(2024, 3, 31)),
        ("last month", D(2024, 2, 1), D(2024, 2, 29)),
        ("this year", D(2024, 1, 1), D(2024, 12, 31)),
        ("last year", D(2023, 1, 1), D(2023, 12, 31)),
        ("March 2024", D(2024, 3, 1), D(2024, 3, 31)),
        ("mar 2024", D(2024, 3, 1), D(2024, 3, 31)),
        ("Sept 2023", D(2023, 9, 1), D(2023, 9, 30)),
        ("2024 march", D(2024, 3, 1), D(2024, 3, 31)),
        ("15 March 2024", D(2024, 3, 15), D(2024, 3, 15)),
        ("1st Feb 2024", D(2024, 2, 1), D(2024, 2, 1)),
        ("March 15, 2024", D(2024, 3, 15), D(2024, 3, 15)),
        ("march", D(2024, 3, 1), D(2024, 3, 31)),
        ("april", D(2023, 4, 1), D(2023, 4, 30)),
        ("2024-03-01..2024-03-05", D(2024, 3, 1), D(2024, 3, 5)),
        ("2024-01..last week", D(2024, 1, 1), D(2024, 3, 10)),
    ],
)
def test_each_spelling_names_the_days_a_person_means(text: str, start: dt.date, end: dt.date) -> None:
    assert parse_range(text, TODAY) == DateRange(start, end)


def test_months_back_clamp_to_the_shorter_month() -> None:
    assert parse_since("1m", D(2024, 3, 31)) == D(2024, 2, 29)
    assert parse_since("last month", D(2024, 1, 15)) == D(2023, 12, 1)
    assert parse_range("last week", D(2024, 1, 3)) == DateRange(D(2023, 12, 25), D(2023, 12, 31))


def test_since_takes_the_first_day_and_until_the_last() -> None:
    assert parse_since("2024-03", TODAY) == D(2024, 3, 1)
    assert parse_until("2024-03", TODAY) == D(2024, 3, 31)
    assert parse_until("7d", TODAY) == TODAY


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("2024-02-30", "February 2024 has 29 days, not 30"),
        ("2023-13", "there is no month 13"),
        ("30 Febuary 2024", "'febuary' is not a month name"),
        ("7 fortnights", "'fortnights' is not a unit"),
        ("03/04/2024", "ambiguous"),
        ("next week", "not understood as a date"),
        ("", "no date given"),
        ("2024-03-05..", "both sides"),
        ("2024-03-05..2024-03-01", "starts (2024-03-05) after it ends (2024-03-01)"),
        ("x" * 100, "too long"),
        ("99999y", "too long ago"),
    ],
)
def test_what_is_not_understood_is_said_with_the_value(text: str, says: str) -> None:
    with pytest.raises(HumanDateError) as caught:
        parse_range(text, TODAY)
    assert says in str(caught.value)
    if text and len(text) < 64:
        assert repr(text) in str(caught.value)


def test_since_after_until_is_refused() -> None:
    check_order(D(2024, 3, 1), D(2024, 3, 1))
    check_order(None, D(2024, 3, 1))
    with pytest.raises(HumanDateError, match="since 2024-03-02 is after until 2024-03-01"):
        check_order(D(2024, 3, 2), D(2024, 3, 1))


def test_a_range_contains_its_own_days_only() -> None:
    march = parse_range("2024-03", TODAY)
    assert D(2024, 3, 31) in march and D(2024, 4, 1) not in march and "2024-03-05" not in march
    assert march.describe() == "2024-03-01 to 2024-03-31"
    assert parse_range("today", TODAY).describe() == "2024-03-13"


@given(st.text(max_size=80))
def test_any_text_gives_a_range_or_a_clear_error(text: str) -> None:
    try:
        found = parse_range(text, TODAY)
    except HumanDateError as exc:
        assert str(exc)
    else:
        assert found.start <= found.end


@given(st.dates(min_value=D(1900, 1, 1), max_value=D(2100, 12, 31)))
def test_every_iso_day_reads_back_as_itself(day: dt.date) -> None:
    assert parse_range(day.isoformat(), TODAY) == DateRange(day, day)
    assert parse_range(f"{day.day} {day.strftime('%B')} {day.year}", TODAY) == DateRange(day, day)


def test_parse_day_takes_one_day_and_refuses_a_range():
    from briefing.humandates import parse_day

    today = dt.date(2026, 12, 5)
    assert parse_day("yesterday", today) == dt.date(2026, 12, 4)
    assert parse_day("2024-02-29", today) == dt.date(2024, 2, 29)
    assert parse_day("3 days ago", today) == dt.date(2026, 12, 2)
    with pytest.raises(HumanDateError, match=r"'last week' is 2026-11-23 to 2026-11-29: a date here is one day"):
        parse_day("last week", today)
    with pytest.raises(HumanDateError, match="February 2024 has 29 days"):
        parse_day("2024-02-30", today)
