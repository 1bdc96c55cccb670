"""``d``: set the article's date (YYYY-MM-DD) or clear the analyst's date."""

from __future__ import annotations

from briefing.isodate import parse_iso_date
from briefing.tui.screens.prompt import PromptScreen


class DateScreen(PromptScreen):
    heading = "Date of"
    placeholder = "YYYY-MM-DD"
    hint = "YYYY-MM-DD · empty clears the analyst's date · enter saves · escape cancels"

    def check(self, value: str) -> str | None:
        try:
            parse_iso_date(value)
        except ValueError:
            return "Not a date like 2023-11-06 (year-month-day)."
        return None
