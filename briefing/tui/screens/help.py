"""The help screen (?): every key, as bound right now, and what the list markers mean."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from briefing.sanitize import clean_line
from briefing.tui import bindings, rows, stories
from briefing.tui.keys import key_display, key_entries, keymap_of


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "../styles/help.tcss"
    BINDINGS = bindings.HELP_SCREEN

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(self._content(), id="help-text")

    def _content(self) -> Content:
        keymap = keymap_of(self.app)
        lines: list[Content] = [Content.styled("Keys", "bold $text-accent"), Content("")]
        area = None
        entries = key_entries(keymap)
        width = max((len(key_display(self.app, e.keys)) for e in entries), default=8) + 2
        for entry in entries:
            if entry.area != area:
                if area is not None:
                    lines.append(Content(""))
                area = entry.area
                lines.append(Content.styled(area, "bold underline"))
            keys = clean_line(key_display(self.app, entry.keys))
            lines.append(
                Content.assemble(
                    (f"  {keys:<{width}}", "bold $text-primary"),
                    (f"{entry.description:<28}", ""),
                    (f"  id: {entry.id}", "dim"),
                )
            )
        lines += [
            Content(""),
            Content.assemble(("  ctrl+p".ljust(width + 2), "bold $text-primary"), "Command palette (every action, and themes)"),
            Content(""),
            Content.styled("List markers", "bold underline"),
            Content(f"  {rows.UNREAD}  unread        {rows.FLAG}  flagged        #tag  tags        {rows.NOTE}n  notes"),
            Content(f"  {rows.DERIVED}  the title was made from the first sentence (the file has no headline)"),
            Content(f"  {rows.MARKED}  marked (m or space in the list): t, T, f and u then act on every marked row"),
            Content(f"  {stories.COLLAPSED} 2 sources  a story: the same report from several sources, one row"
                    f" ({stories.EXPANDED} when expanded). Keys on it act on every source."),
            Content(""),
            Content.styled(
                "Remap any key in config.yaml under keymap:, by id, e.g.  next-article: \"ctrl+n\"", "dim"
            ),
            Content.styled("Escape, q or ? closes this screen.", "dim"),
        ]
        return Content("\n").join(lines)
