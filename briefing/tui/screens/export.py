"""``x``: export the briefing (Markdown, HTML, JSON or Word) from the reader.

The list's filter and search are preselected; the dialog shows how many items will go
out before anything is written, runs the export in a worker (summaries take time) and
says where the file was written, or why it was not. An existing file is replaced only
when "Overwrite" is ticked.

The worker reads a snapshot of the annotations store (a shallow copy: the store's
document is immutable and every change replaces it), so the store itself is only ever
used from the app's thread.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import replace
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Checkbox, Input, Select, Static

from briefing.annotations import AnnotationStore
from briefing.annotations.filter import Filter
from briefing.corpus.view import ListedCorpus
from briefing.export import (
    FORMATS,
    SUFFIXES,
    BriefingOptions,
    ExportWriteError,
    count_items,
    default_produced,
    export_briefing,
    suggested_name,
    write_export,
)
from briefing.export.write import check_target
from briefing.sanitize import clean_line
from briefing.tui import bindings
from briefing.tui.messages import ExportFinished
from briefing.tui.screens.dialog import Dialog, hint_widget, title_widget

FORMAT_LABELS = {"md": "Markdown (.md)", "html": "HTML page (.html)", "json": "JSON (.json)", "docx": "Word (.docx)", "pdf": "PDF (.pdf)"}


def _refusal(message: str) -> str:
    """The core speaks of the command line's --force; here it is a checkbox."""
    return message.replace("(use --force to replace it)", "(tick Overwrite to replace it)")


class ExportScreen(Dialog[Path]):
    """Returns the path written, or None when closed without exporting."""

    BINDINGS = bindings.EXPORT_DIALOG

    def __init__(self, corpus: ListedCorpus, store: AnnotationStore, flt: Filter, folder: Path | None = None, today: dt.date | None = None) -> None:
        super().__init__()
        self.corpus = corpus
        self.store = store
        self.flt = flt
        self.folder = folder if folder is not None else Path.cwd()
        self.today = today
        self._path_edited = False
        self._suggested = ""
        self.running = False

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
            yield Static(Content("File"), classes="dialog-label")
            yield Input(id="export-path", compact=True)
            yield Checkbox("Include articles without annotations", value=self.flt.everything, id="export-all", compact=True)
            yield Checkbox("Overwrite the file if it exists", value=False, id="export-overwrite", compact=True)
            yield Static(id="export-count")
            yield Static(classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="export-cancel", compact=True)
                yield Button("Export", variant="primary", id="export-go", compact=True)
            yield hint_widget("ctrl+s or Export writes the file · escape closes")

    def on_mount(self) -> None:
        self.query_one(".dialog-error").display = False
        self._suggest_path()
        self._update_count()
        self.query_one("#export-format").focus()

    # --- state ---------------------------------------------------------------------

    @property
    def fmt(self) -> str:
        value = self.query_one("#export-format", Select).value
        return value if isinstance(value, str) else "md"

    def current_filter(self) -> Filter:
        everything = self.query_one("#export-all", Checkbox).value
        return replace(self.flt, everything=everything)

    def _produced(self) -> dt.date | None:
        return default_produced(self.fmt, self.today)

    def _suggest_path(self) -> None:
        title = self.query_one("#export-title", Input).value
        name = suggested_name(title or "briefing", self.fmt, self._produced())
        path_input = self.query_one("#export-path", Input)
        if not self._path_edited or not path_input.value.strip():
            self._suggested = str(self.folder / name)
            path_input.value = self._suggested
        else:  # keep the user's path, with the new format's suffix
            typed = Path(path_input.value)
            if typed.suffix.lower() in SUFFIXES.values():
                path_input.value = str(typed.with_suffix(SUFFIXES[self.fmt]))

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
        if event.input.id == "export-path":
            if event.value != self._suggested:
                self._path_edited = True
        elif event.input.id == "export-title":
            self._suggest_path()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_export()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "export-cancel":
            self.action_cancel()
        else:
            self.action_export()

    # --- export --------------------------------------------------------------------

    def action_export(self) -> None:
        if self.running:
            return
        raw = self.query_one("#export-path", Input).value.strip()
        if not raw:
            self.show_error("Give the file to write.")
            return
        path = Path(raw).expanduser()
        if not path.is_absolute():
            path = self.folder / path
        overwrite = self.query_one("#export-overwrite", Checkbox).value
        try:
            check_target(path, overwrite)  # at once, before the slow part
        except ExportWriteError as err:
            self.show_error(_refusal(err.message))
            return
        flt = self.current_filter()
        options = BriefingOptions(
            title=self.query_one("#export-title", Input).value.strip() or "Briefing",
            analyst=self.query_one("#export-analyst", Input).value.strip() or None,
            produced=self._produced(),
            group_by=str(self.query_one("#export-group", Select).value),
            settings=getattr(self.app, "settings", None),  # each article's summary as read, else the reader's
        )
        fmt = self.fmt
        snapshot = copy.copy(self.store)
        self.running = True
        self.show_error("")
        self.query_one("#export-count", Static).update(Content(f"exporting {self._count_text(flt)} … (summaries take a moment)"))
        self.query_one("#export-go", Button).disabled = True
        self._export(snapshot, flt, fmt, options, path, overwrite)

    def _count_text(self, flt: Filter) -> str:
        count = count_items(self.corpus, self.store, flt)
        return f"{count} item{'s' if count != 1 else ''}"

    @work(thread=True, exclusive=True, group="export", exit_on_error=False, description="export")
    def _export(self, store: AnnotationStore, flt: Filter, fmt: str, options: BriefingOptions, path: Path, overwrite: bool) -> None:
        try:
            result = export_briefing(self.corpus, store, flt, fmt, options)
            written = write_export(path, result.data, force=overwrite)
        except ExportWriteError as err:
            self.post_message(ExportFinished(None, 0, _refusal(err.message)))
            return
        except Exception as exc:  # a template problem, a bad option, a summarizer bug: say it
            self.post_message(ExportFinished(None, 0, f"Export failed: {type(exc).__name__}: {exc}"))
            return
        self.post_message(ExportFinished(written, result.count, None))

    def on_export_finished(self, message: ExportFinished) -> None:
        self.running = False
        self.query_one("#export-go", Button).disabled = False
        if message.error is not None:
            self._update_count()
            self.show_error(message.error)
            return
        self.dismiss(message.path)
        self.app.notify(
            f"Wrote {message.count} item{'s' if message.count != 1 else ''} to {clean_line(str(message.path))}",
            title="Exported",
            timeout=10,
            markup=False,
        )
