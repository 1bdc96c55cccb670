"""``d``: set the article's date (YYYY-MM-DD) or clear the analyst's date."""

from __future__ import annotations

import datetime as dt

from briefing.tui.screens.prompt import PromptScreen


class DateScreen(PromptScreen):
    heading = "Date of"
    placeholder = "YYYY-MM-DD"
    hint = "YYYY-MM-DD · empty clears the analyst's date · enter saves · escape cancels"

    def check(self, value: str) -> str | None:
        text = value.strip()
        if not text:
            return None
        try:
            dt.date.fromisoformat(text)
        except ValueError:
            return "Not a date like 2023-11-06 (year-month-day)."
        if len(text) != 10:
            return "Write the date as YYYY-MM-DD, e.g. 2023-11-06."
        return None
