"""Every key of the reader, read from the live binding classes with the keymap applied.

The help screen and the command palette both list :func:`key_entries`, so a binding
added to a class, or remapped in the config file, shows up in both.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import App
from textual.binding import Binding


@dataclass(frozen=True)
class KeyEntry:
    id: str
    keys: tuple[str, ...]  # key names, e.g. ("down", "j")
    description: str
    target: str  # "app", "screen", "list", "reader", "search" or "compare"
    action: str
    area: str  # a heading for the help screen


def _sources() -> list[tuple[str, str, list]]:
    from briefing.tui.annotate import ANNOTATION_BINDINGS
    from briefing.tui.app import BriefingApp
    from briefing.tui.screens.compare import CompareScreen
    from briefing.tui.screens.main import MainScreen
    from briefing.tui.story_actions import STORY_BINDINGS
    from briefing.tui.widgets.article_list import ArticleList
    from briefing.tui.widgets.comparison import ComparisonView
    from briefing.tui.widgets.reader import Reader
    from briefing.tui.widgets.search_bar import SearchBar

    grouped = [*ANNOTATION_BINDINGS, *STORY_BINDINGS]
    return [
        ("list", "Article list", ArticleList.BINDINGS),
        ("reader", "Reading pane", Reader.BINDINGS),
        ("screen", "Everywhere", [b for b in MainScreen.BINDINGS if b not in grouped]),
        ("screen", "Annotations", ANNOTATION_BINDINGS),
        ("screen", "Stories", STORY_BINDINGS),
        ("compare", "Comparison (c)", [*CompareScreen.BINDINGS, *ComparisonView.BINDINGS]),
        ("search", "Search field", SearchBar.BINDINGS),
        ("app", "Application", BriefingApp.BINDINGS),
    ]


def key_entries(keymap: dict[str, str]) -> list[KeyEntry]:
    """All bindings that have an id, with keys from ``keymap`` where it names them."""
    entries: list[KeyEntry] = []
    for target, area, bindings in _sources():
        for binding in bindings:
            if not isinstance(binding, Binding) or not binding.id:
                continue
            keys = keymap.get(binding.id, binding.key)
            names = tuple(k.strip() for k in keys.split(",") if k.strip())
            entries.append(KeyEntry(binding.id, names, binding.description, target, binding.action, area))
    return entries


def key_display(app: App, names: tuple[str, ...]) -> str:
    """How the keys look on screen, e.g. ``↓ j`` (plain text, never markup)."""
    return " ".join(app.get_key_display(Binding(name, "")) for name in names)


def known_ids() -> set[str]:
    return {entry.id for entry in key_entries({})}
