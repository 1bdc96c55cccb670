import datetime as dt

import pytest

from briefing.isodate import parse_iso_date


@pytest.mark.parametrize("text", ["2023-11-06", " 2023-11-06 ", "2023-11-06\n"])
def test_accepts_year_month_day(text):
    assert parse_iso_date(text) == dt.date(2023, 11, 6)


@pytest.mark.parametrize("value", [None, "", "   "])
def test_blank_is_none(value):
    assert parse_iso_date(value) is None


def test_dates_pass_through_and_datetimes_lose_their_time():
    assert parse_iso_date(dt.date(2020, 2, 29)) == dt.date(2020, 2, 29)
    assert parse_iso_date(dt.datetime(2020, 2, 29, 23, 59)) == dt.date(2020, 2, 29)


@pytest.mark.parametrize(
    "text",
    # fromisoformat alone accepts the first two on Python 3.11
    ["20231106", "2023-W45-1", "2023-02-30", "2023-11-6", "06/11/2023", "２０２３-１１-０６", "2023-11-06T10:00", "today"],
)
def test_other_spellings_are_refused_with_the_text_in_the_message(text):
    with pytest.raises(ValueError) as info:
        parse_iso_date(text)
    assert repr(text) in str(info.value)
