"""``x``: the export dialog, opened on the list's filter and search."""

from __future__ import annotations

from pathlib import Path

from briefing.annotations import AnnotationStore
from briefing.corpus.view import ListedCorpus
from briefing.tui import state as view
from briefing.tui.features.host import Host
from briefing.tui.screens.export import ExportScreen


class Export:
    def __init__(self, host: Host) -> None:
        self.host = host

    def folder(self) -> Path:
        """Where the dialog suggests writing the file."""
        return Path.cwd()

    def open(self, store: AnnotationStore | None, problem: str | None) -> None:
        state = self.host.state
        if state.corpus is None or not state.corpus.articles:
            self.host.refuse("Nothing to export: no articles are loaded.")
            return
        if store is None:
            self.host.refuse(problem or "Annotations are not open yet.")
            return
        corpus = ListedCorpus(state.corpus, state.hits)
        self.host.node.app.push_screen(ExportScreen(corpus, store, view.export_filter(state), folder=self.folder()))
