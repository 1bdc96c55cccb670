"""One line above the panes: the corpus folder, the count shown/total, the search,
the filter and the marked rows."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from briefing.sanitize import clean_line


class StatusBar(Static):
    def show(
        self,
        folder: str,
        shown: int | None,
        total: int | None,
        query: str = "",
        busy: str = "",
        *,
        filter_text: str = "",
        marked: int = 0,
        read_only: bool = False,
        saving: str = "",
        conflicts: str = "",
    ) -> None:
        parts: list[tuple[str, str] | str] = [("briefing", "bold $text-accent"), "  ", clean_line(folder)]
        if total is not None:
            narrowed = bool(query) or bool(filter_text)
            count = f"{total:,} article{'s' if total != 1 else ''}" if shown is None or shown == total and not narrowed else f"{shown:,}/{total:,} shown"
            parts += ["  ·  ", (count, "bold")]
        if query:
            parts += ["  ·  search: ", (clean_line(query), "italic")]
        if filter_text:
            parts += ["  ·  filter: ", (clean_line(filter_text), "italic")]
        if marked:
            parts += ["  ·  ", (f"{marked} marked", "bold $text-success")]
        if read_only:
            parts += ["  ·  ", ("annotations read-only", "bold $text-error")]
        if saving:
            parts += ["  ·  ", (clean_line(saving), "bold $text-warning")]
        if conflicts:
            parts += ["  ·  ", (clean_line(conflicts), "bold $text-error")]
        if busy:
            parts += ["  ·  ", (clean_line(busy), "dim italic")]
        self.update(Content.assemble(*parts))
