"""One line above the panes: the corpus folder, the count shown/total, the search."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from briefing.sanitize import clean_line


class StatusBar(Static):
    def show(self, folder: str, shown: int | None, total: int | None, query: str = "", busy: str = "") -> None:
        parts: list[tuple[str, str] | str] = [("briefing", "bold $text-accent"), "  ", clean_line(folder)]
        if total is not None:
            count = f"{total} article{'s' if total != 1 else ''}" if shown is None or shown == total and not query else f"{shown}/{total} shown"
            parts += ["  ·  ", (count, "bold")]
        if query:
            parts += ["  ·  search: ", (clean_line(query), "italic")]
        if busy:
            parts += ["  ·  ", (clean_line(busy), "dim italic")]
        self.update(Content.assemble(*parts))
