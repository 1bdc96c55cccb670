"""``d``: set the article's date or clear the analyst's date.

A correction is one day: ``2023-11-06``, ``today``, ``yesterday``, ``3 days ago``,
``monday``, ``6 November 2023`` (:mod:`briefing.humandates`); a spelling that names
several days (``2023-11``, ``last week``, ``7d``) is refused, saying which days it
names. The dialog returns the day as YYYY-MM-DD (empty clears).
"""

from __future__ import annotations

from briefing.humandates import HumanDateError, parse_day
from briefing.tui.screens.prompt import PromptScreen


class DateScreen(PromptScreen):
    heading = "Date of"
    placeholder = "YYYY-MM-DD, today, yesterday"
    hint = "YYYY-MM-DD, today, yesterday, 3 days ago · empty clears the analyst's date · enter saves · escape cancels"

    def check(self, value: str) -> str | None:
        if not value.strip():
            return None
        try:
            parse_day(value)
        except HumanDateError as err:
            return str(err)
        return None

    def result(self, value: str) -> str:
        return parse_day(value).isoformat() if value.strip() else ""
