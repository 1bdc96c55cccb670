"""Command palette entries for every bound action (ctrl+p)."""

from __future__ import annotations

import re
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from briefing.tui.keys import KeyEntry, key_display, key_entries, keymap_of
from briefing.tui.screens.brief import BriefScreen
from briefing.tui.screens.compare import CompareScreen
from briefing.tui.screens.main import MainScreen
from briefing.tui.widgets.article_list import ArticleList
from briefing.tui.widgets.comparison import ComparisonView
from briefing.tui.widgets.reader import Reader

# The palette renders help text as markup: only show key names made of safe characters.
_SAFE_KEYS = re.compile(r"^[\w+^ ,./?↑↓←→⏎⇥␣-]*$")


class KeyCommands(Provider):
    """One command per binding, run against the pane it belongs to."""

    def _entries(self) -> list[KeyEntry]:
        entries = [e for e in key_entries(keymap_of(self.app)) if e.target not in ("search", "selection", "timeline")]
        if isinstance(self.screen, CompareScreen):  # the comparison's keys, and the app's
            return [e for e in entries if e.target in ("compare", "app")]
        if isinstance(self.screen, BriefScreen):  # the briefing screen's keys, and the app's
            return [e for e in entries if e.target in ("brief", "app")]
        return [e for e in entries if e.target not in ("compare", "brief")]

    def _help(self, entry: KeyEntry) -> str | None:
        shown = key_display(self.app, entry.keys)
        if shown and _SAFE_KEYS.match(shown):
            return f"{entry.area} · key: {shown}"
        return entry.area

    async def _run(self, entry: KeyEntry) -> None:
        screen = self.screen
        if entry.target == "app":
            await self.app.run_action(entry.action)
            return
        if entry.target == "compare":
            if isinstance(screen, CompareScreen):
                view = screen.query_one(ComparisonView)
                await (view if entry.action.startswith("scroll") else screen).run_action(entry.action)
            return
        if entry.target == "brief":
            if isinstance(screen, BriefScreen):
                await screen.run_action(entry.action)
            return
        if not isinstance(screen, MainScreen):
            return
        if entry.target == "screen":
            await screen.run_action(entry.action)
        elif entry.target == "list":
            await screen.query_one(ArticleList).run_action(entry.action)
        elif entry.target == "reader":
            await screen.query_one(Reader).run_action(entry.action)

    async def discover(self) -> Hits:
        for entry in self._entries():
            yield DiscoveryHit(entry.description, partial(self._run, entry), help=self._help(entry))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for entry in self._entries():
            score = matcher.match(entry.description)
            if score > 0:
                yield Hit(score, matcher.highlight(entry.description), partial(self._run, entry), help=self._help(entry))
