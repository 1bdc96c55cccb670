"""``d``: set the article's date or clear the analyst's date.

A correction is one day: ``2023-11-06``, ``today``, ``yesterday``, ``3 days ago``,
``monday``, ``6 November 2023`` (:mod:`briefing.humandates`); a spelling that names
several days (``2023-11``, ``last week``, ``7d``) is refused, saying which days it
names. The dialog returns the day as YYYY-MM-DD (empty clears).
"""

from __future__ import annotations

import datetime as dt

from briefing.humandates import HumanDateError, parse_range
from briefing.tui.screens.prompt import PromptScreen


def one_day(text: str, today: dt.date | None = None) -> dt.date:
    """The one day ``text`` names; HumanDateError when it is not understood or names
    a range of days."""
    days = parse_range(text, today)
    if days.start != days.end:
        raise HumanDateError(f"{text.strip()!r} is {days.describe()}: a date is one day (e.g. 2023-11-06, today, yesterday)")
    return days.start


class DateScreen(PromptScreen):
    heading = "Date of"
    placeholder = "YYYY-MM-DD, today, yesterday"
    hint = "YYYY-MM-DD, today, yesterday, 3 days ago · empty clears the analyst's date · enter saves · escape cancels"

    def check(self, value: str) -> str | None:
        if not value.strip():
            return None
        try:
            one_day(value)
        except HumanDateError as err:
            return str(err)
        return None

    def result(self, value: str) -> str:
        return one_day(value).isoformat() if value.strip() else ""
