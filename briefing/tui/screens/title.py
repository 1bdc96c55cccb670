"""``e``: give the article a better title (empty: back to the file's title)."""

from __future__ import annotations

from briefing.tui.screens.prompt import PromptScreen


class TitleScreen(PromptScreen):
    heading = "Title of"
    placeholder = "a better headline"
    hint = "empty goes back to the file's title · enter saves · escape cancels"
