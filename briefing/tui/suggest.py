"""Completion of the last comma-separated part of an input (tags)."""

from __future__ import annotations

from collections.abc import Iterable

from textual.suggester import Suggester

from briefing.annotations.filter import split_tags as split
from briefing.sanitize import clean_line


class TagSuggester(Suggester):
    """Suggest a known tag for the part after the last comma: ``energy, ky`` →
    ``energy, kyiv``. Case-insensitive prefix match; tags are cleaned for display."""

    def __init__(self, tags: Iterable[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        seen: dict[str, None] = {}
        for tag in tags:
            shown = clean_line(tag).strip()
            if shown and "," not in shown:
                seen[shown] = None
        self.tags = list(seen)

    async def get_suggestion(self, value: str) -> str | None:
        head, sep, last = value.rpartition(",")
        stem = last.lstrip(" ")
        if not stem:
            return None
        already = {p.strip().casefold() for p in head.split(",")} if sep else set()
        lead = last[: len(last) - len(stem)]
        for tag in self.tags:
            if tag.casefold().startswith(stem.casefold()) and tag != stem and tag.casefold() not in already:
                return f"{head}{sep}{lead}{stem}{tag[len(stem):]}"
        return None


def split_tags(value: str) -> list[str]:
    """``"energy, kyiv,,"`` → ``["energy", "kyiv"]`` (blank parts dropped)."""
    return list(split([value]))
