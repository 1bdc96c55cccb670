"""Every key of the reader, read from :mod:`briefing.tui.bindings` with the keymap applied.

The help screen and the command palette both list :func:`key_entries`, so a binding
added to a class, or remapped in the config file, shows up in both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from textual.app import App
from textual.binding import Binding

from briefing.tui.bindings import AREAS


@runtime_checkable
class KeymapOwner(Protocol):
    """The application: the keymap from the config file (binding id -> keys)."""

    keymap: dict[str, str]


def keymap_of(app: App) -> dict[str, str]:
    return app.keymap if isinstance(app, KeymapOwner) else {}


@dataclass(frozen=True)
class KeyEntry:
    id: str
    keys: tuple[str, ...]  # key names, e.g. ("down", "j")
    description: str
    target: str  # "app", "screen", "list", "reader", "search" or "compare"
    action: str
    area: str  # a heading for the help screen


def key_entries(keymap: dict[str, str]) -> list[KeyEntry]:
    """All bindings that have an id, with keys from ``keymap`` where it names them."""
    entries: list[KeyEntry] = []
    for area in AREAS:
        for binding in area.bindings:
            if not isinstance(binding, Binding) or not binding.id:
                continue
            keys = keymap.get(binding.id, binding.key)
            names = tuple(k.strip() for k in keys.split(",") if k.strip())
            description = binding.tooltip or binding.description  # the longer wording, when there is one
            entries.append(KeyEntry(binding.id, names, description, area.target, binding.action, area.title))
    return entries


def key_display(app: App, names: tuple[str, ...]) -> str:
    """How the keys look on screen, e.g. ``↓ j`` (plain text, never markup)."""
    return " ".join(app.get_key_display(Binding(name, "")) for name in names)


def known_ids() -> set[str]:
    return {entry.id for entry in key_entries({})}
