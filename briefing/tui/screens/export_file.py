"""What both export dialogs share (``x`` on the list, ``x`` on a composed briefing):
the file field with a suggested name that follows the format, the "include private"
and "overwrite" boxes, the checks made at once before the slow part, and the
running state while the worker composes and writes.

The "include private notes" box is off by default and means exactly what
``--include-private`` means on the command line (``BriefingOptions.include_private``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Button, Checkbox, Input, Select, Static
from textual.worker import get_current_worker

from briefing.export import SUFFIXES, ExportWriteError, write_export
from briefing.export.write import check_target
from briefing.summarize.batch import Stopped, stopping
from briefing.tui import bindings
from briefing.tui.messages import ExportFinished
from briefing.tui.screens.dialog import Dialog, hint_widget

FORMAT_LABELS = {"md": "Markdown (.md)", "html": "HTML page (.html)", "json": "JSON (.json)", "docx": "Word (.docx)", "pdf": "PDF (.pdf)"}
PRIVATE_LABEL = "Include private notes and comments (kept out unless ticked)"


def refusal(message: str) -> str:
    """The core speaks of the command line's --force; here it is a checkbox."""
    return message.replace("(use --force to replace it)", "(tick Overwrite to replace it)")


class ExportFileDialog(Dialog[Path]):
    """The base of the export dialogs: ``#export-format``, ``#export-path``,
    ``#export-private``, ``#export-overwrite``, ``#export-count``, ``#export-go``
    (composed by the subclass: the file widgets through :meth:`file_widgets`, the
    options through :meth:`option_widgets`, the end through :meth:`tail_widgets`)."""

    BINDINGS = bindings.EXPORT_DIALOG

    def __init__(self, folder: Path | None = None) -> None:
        super().__init__()
        self.folder = folder if folder is not None else Path.cwd()
        self.running = False
        self._suggested = ""

    def file_widgets(self) -> ComposeResult:
        yield Static(Content("File"), classes="dialog-label")
        yield Input(id="export-path", compact=True)

    def option_widgets(self) -> ComposeResult:
        yield Checkbox(PRIVATE_LABEL, value=False, id="export-private", compact=True)
        yield Checkbox("Overwrite the file if it exists", value=False, id="export-overwrite", compact=True)

    def tail_widgets(self) -> ComposeResult:
        """The end of both dialogs: the count line, the error line, the buttons, the hint."""
        yield Static(id="export-count")
        yield Static(classes="dialog-error")
        with Horizontal(classes="dialog-buttons"):
            yield Button("Cancel", id="export-cancel", compact=True)
            yield Button("Export", variant="primary", id="export-go", compact=True)
        yield hint_widget("ctrl+s or Export writes the file · escape closes")

    def on_mount(self) -> None:
        self.query_one(".dialog-error").display = False
        self._suggest_path()
        self.mounted()
        self.query_one("#export-format").focus()

    def mounted(self) -> None:
        """The subclass's own start (after the suggested path, before the focus)."""

    def _suggest_path(self) -> None:  # the subclass's: suggest_path() with its name for the file
        raise NotImplementedError

    @property
    def fmt(self) -> str:
        value = self.query_one("#export-format", Select).value
        return value if isinstance(value, str) else "md"

    @property
    def include_private(self) -> bool:
        return self.query_one("#export-private", Checkbox).value

    def suggest_path(self, name: str, fmt: str) -> None:
        """Offer ``folder/name`` while the field holds our last offer (or nothing);
        a path the user typed keeps its name and takes ``fmt``'s suffix."""
        path_input = self.query_one("#export-path", Input)
        if not path_input.value.strip() or path_input.value == self._suggested:
            self._suggested = str(self.folder / name)
            path_input.value = self._suggested
        else:
            typed = Path(path_input.value)
            if typed.suffix.lower() in SUFFIXES.values():
                path_input.value = str(typed.with_suffix(SUFFIXES.get(fmt, "." + fmt)))

    def target(self) -> tuple[Path, bool] | None:
        """The file to write and whether it may be replaced, checked at once (before
        the slow part); None (and said in the dialog) when it cannot be written."""
        raw = self.query_one("#export-path", Input).value.strip()
        if not raw:
            self.show_error("Give the file to write.")
            return None
        path = Path(raw).expanduser()
        if not path.is_absolute():
            path = self.folder / path
        overwrite = self.query_one("#export-overwrite", Checkbox).value
        try:
            check_target(path, overwrite)
        except ExportWriteError as err:
            self.show_error(refusal(err.message))
            return None
        return path, overwrite

    def begin(self, saying: str) -> None:
        """The worker starts: say so and disable Export until it ends."""
        self.running = True
        self.show_error("")
        self.query_one("#export-count", Static).update(Content(saying))
        self.query_one("#export-go", Button).disabled = True

    def finished(self, message: ExportFinished) -> bool:
        """The worker ended: True when it wrote the file; else the error is shown."""
        self.running = False
        self.query_one("#export-go", Button).disabled = False
        if message.error is not None:
            self.show_error(message.error)
            return False
        return True

    @work(thread=True, exclusive=True, group="export", exit_on_error=False, description="export")
    def write_in_worker(self, produce: Callable[[], tuple[bytes, int]], path: Path, overwrite: bool) -> None:
        """``produce()`` (compose and render: slow) then write, in a worker; posts
        :class:`ExportFinished` with the path written or what went wrong."""
        worker = get_current_worker()
        try:
            with stopping(lambda: worker.is_cancelled):  # the dialog closed or the reader quits: no more summaries
                data, count = produce()
            written = write_export(path, data, force=overwrite)
        except Stopped:
            return  # no one is waiting for it
        except ExportWriteError as err:
            self.post_message(ExportFinished(None, 0, refusal(err.message)))
            return
        except Exception as exc:  # a template problem, a bad option, a summarizer bug: say it
            self.post_message(ExportFinished(None, 0, f"Export failed: {type(exc).__name__}: {exc}"))
            return
        self.post_message(ExportFinished(written, count, None))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_export()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "export-cancel":
            self.action_cancel()
        else:
            self.action_export()

    def action_export(self) -> None:  # the subclass's: gather its options, then target(), begin(), write_in_worker()
        raise NotImplementedError
