"""``x``: export the briefing (Markdown, HTML, JSON or Word) from the reader.

The list's filter and search are preselected; the dialog shows how many items will go
out before anything is written, runs the export in a worker (summaries take time) and
says where the file was written, or why it was not. An existing file is replaced only
when "Overwrite" is ticked; private notes and comments go out only when "Include
private" is ticked (as ``--include-private``). The file part is shared with the
composed briefing's dialog (:mod:`briefing.tui.screens.export_file`).

The worker reads a snapshot of the annotations store (a shallow copy: the store's
document is immutable and every change replaces it), so the store itself is only ever
used from the app's thread.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import replace
from pathlib import Path

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Checkbox, Input, Select, Static

from briefing.annotations import AnnotationStore
from briefing.annotations.filter import Filter
from briefing.corpus.view import ListedCorpus
from briefing.export import (
    FORMATS,
    BriefingOptions,
    count_items,
    default_produced,
    export_briefing,
    suggested_name,
)
from briefing.papers import DEFAULT_PAPER
from briefing.sanitize import clean_line
from briefing.tui.messages import ExportFinished
from briefing.tui.screens.dialog import title_widget
from briefing.tui.screens.export_file import FORMAT_LABELS, ExportFileDialog


class ExportScreen(ExportFileDialog):
    """Returns the path written, or None when closed without exporting."""

    def __init__(self, corpus: ListedCorpus, store: AnnotationStore, flt: Filter, folder: Path | None = None, today: dt.date | None = None) -> None:
        super().__init__(folder)
        self.corpus = corpus
        self.store = store
        self.flt = flt
        self.today = today

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield title_widget("Export a briefing")
            described = self.flt.describe()
            yield Static(Content(f"Filter: {clean_line(described)}" if described else "Filter: none"), id="export-filter")
            with Horizontal(classes="dialog-row"):
                with Vertical():
                    yield Static(Content("Format"), classes="dialog-label")
                    yield Select([(FORMAT_LABELS[f], f) for f in FORMATS], value="md", allow_blank=False, id="export-format", compact=True)
                with Vertical(classes="dialog-right"):
                    yield Static(Content("Group by"), classes="dialog-label")
                    yield Select([("day", "date"), ("tag", "tag")], value="date", allow_blank=False, id="export-group", compact=True)
            with Horizontal(classes="dialog-row"):
                with Vertical():
                    yield Static(Content("Title"), classes="dialog-label")
                    yield Input("Briefing", id="export-title", compact=True)
                with Vertical(classes="dialog-right"):
                    yield Static(Content("Analyst"), classes="dialog-label")
                    yield Input(placeholder="your name (optional)", id="export-analyst", compact=True)
            yield from self.file_widgets()
            yield Checkbox("Include articles without annotations", value=self.flt.everything, id="export-all", compact=True)
            yield from self.option_widgets()
            yield from self.tail_widgets()

    def mounted(self) -> None:
        self._update_count()

    # --- state ---------------------------------------------------------------------

    def current_filter(self) -> Filter:
        everything = self.query_one("#export-all", Checkbox).value
        return replace(self.flt, everything=everything)

    def _produced(self) -> dt.date | None:
        return default_produced(self.fmt, self.today)

    def _suggest_path(self) -> None:
        title = self.query_one("#export-title", Input).value
        self.suggest_path(suggested_name(title or "briefing", self.fmt, self._produced()), self.fmt)

    def _update_count(self) -> int:
        count = count_items(self.corpus, self.store, self.current_filter())
        words = f"{count} item{'s' if count != 1 else ''} will go out"
        if count == 0 and not self.current_filter().asks_for_unannotated:
            words += " (no annotated or flagged article matches; tick “Include articles without annotations”)"
        self.query_one("#export-count", Static).update(Content(words))
        return count

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if event.select.id == "export-format":
            self._suggest_path()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        if event.checkbox.id == "export-all":
            self._update_count()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.input.id == "export-title":
            self._suggest_path()

    # --- export --------------------------------------------------------------------

    def action_export(self) -> None:
        if self.running:
            return
        checked = self.target()
        if checked is None:
            return
        path, overwrite = checked
        flt = self.current_filter()
        options = BriefingOptions(
            title=self.query_one("#export-title", Input).value.strip() or "Briefing",
            analyst=self.query_one("#export-analyst", Input).value.strip() or None,
            produced=self._produced(),
            group_by=str(self.query_one("#export-group", Select).value),
            settings=getattr(self.app, "settings", None),  # each article's summary as read, else the reader's
            include_private=self.include_private,
        )
        fmt = self.fmt
        snapshot = copy.copy(self.store)
        corpus = self.corpus
        paper = getattr(options.settings, "paper", DEFAULT_PAPER)  # config.yaml's paper (the command's --paper default)

        def produce() -> tuple[bytes, int]:  # in the worker
            result = export_briefing(corpus, snapshot, flt, fmt, options, paper=paper)
            return result.data, result.count

        self.begin(f"exporting {self._count_text(flt)} … (summaries take a moment)")
        self.write_in_worker(produce, path, overwrite)

    def _count_text(self, flt: Filter) -> str:
        count = count_items(self.corpus, self.store, flt)
        return f"{count} item{'s' if count != 1 else ''}"

    def on_export_finished(self, message: ExportFinished) -> None:
        if not self.finished(message):
            self._update_count()
            return
        self.dismiss(message.path)
        self.app.notify(
            f"Wrote {message.count} item{'s' if message.count != 1 else ''} to {clean_line(str(message.path))}",
            title="Exported",
            timeout=10,
            markup=False,
        )
