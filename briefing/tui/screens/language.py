"""``O``: set the article's language over the detected one (empty: back to it)."""

from __future__ import annotations

from briefing.lang.detect import check_code
from briefing.tui.screens.prompt import PromptScreen


class LanguageScreen(PromptScreen):
    heading = "Language of"
    placeholder = "a two-letter code: uk, ru, de, fr, es, pl, it, pt, en… (und: undetermined)"
    hint = "empty goes back to the detected language · enter saves · escape cancels"

    def check(self, value: str) -> str | None:
        if not value.strip():
            return None
        try:
            check_code(value)
        except ValueError as err:
            return str(err)
        return None
