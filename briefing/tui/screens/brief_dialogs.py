"""The briefing screen's dialogs (issue 17): choose a briefing, make one (or edit
its title, marking and analyst), pick a section, write a judgment, accept sentences
of the suggested overview, export.

Everything shown that came from a file or was typed is plain
:class:`~textual.content.Content` after ``clean_line``, never markup.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, OptionList, Select, SelectionList, Static, TextArea
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from briefing.brief.store import BriefError
from briefing.brief.store import check_name as store_check_name
from briefing.export import FORMATS, default_produced, suggested_name
from briefing.sanitize import clean_line
from briefing.tui import bindings
from briefing.tui.messages import ExportFinished
from briefing.tui.screens.dialog import Dialog, hint_widget, title_widget
from briefing.tui.screens.export_file import FORMAT_LABELS, ExportFileDialog


def plain(text: str) -> str:
    return " ".join(clean_line(text).split())


def check_name(name: str, existing: Sequence[str]) -> str | None:
    """Why ``name`` cannot name a new briefing (a file in ``briefings/``), else None.
    The store checks again; this says it in the dialog before anything is written."""
    if not name:
        return "Give the briefing a name (its file: briefings/NAME.yaml)."
    try:
        name = store_check_name(name)
    except BriefError as err:
        return str(err)
    if name in existing:
        return f"A briefing named {name} exists: open it from the list instead."
    return None


def slug(title: str) -> str:
    """A name suggested from the title: ``week-49-energy``."""
    text = re.sub(r"[^\w-]+", "-", title.strip().lower(), flags=re.UNICODE).strip("-")
    return text[:40].strip("-")


# --- choose or make a briefing ----------------------------------------------------------------


class BriefChooser(Dialog[str]):
    """Returns the name chosen, ``""`` for "a new briefing", None when cancelled."""

    def __init__(self, infos: Sequence[Any], current: str | None = None) -> None:
        super().__init__()
        self.infos = list(infos)
        self.current = current

    def compose(self) -> ComposeResult:
        options = [Option(Content.styled("+ New briefing…", "bold"), id="")]
        for info in self.infos:
            count = f"{info.items} item{'s' if info.items != 1 else ''}"
            options.append(Option(Content.assemble((plain(info.name), "bold"), "  ", plain(info.title),
                                                   (f"  · {count}", "dim")), id=info.name))
        with Vertical(id="dialog"):
            yield title_widget("Open a briefing")
            yield OptionList(*options, markup=False, id="brief-choices")
            yield hint_widget("enter opens · escape cancels")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0
        if self.current is not None:
            try:
                options.highlighted = options.get_option_index(self.current)
            except Exception:
                pass
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id or "")


@dataclass(frozen=True)
class HeaderValues:
    name: str
    title: str
    marking: str
    analyst: str


class BriefHeaderDialog(Dialog[HeaderValues]):
    """A new briefing (name, title, marking, analyst), or the header of the open one
    (``values`` given: the name stays)."""

    BINDINGS = bindings.NOTE_DIALOG  # ctrl+s saves, as in the note dialog

    def __init__(self, existing: Sequence[str], values: HeaderValues | None = None) -> None:
        super().__init__()
        self.existing = list(existing)
        self.values = values
        self._name_edited = False

    def compose(self) -> ComposeResult:
        values = self.values
        with Vertical(id="dialog"):
            yield title_widget("The briefing" if values else "A new briefing")
            yield Static(Content("Title"), classes="dialog-label")
            yield Input(values.title if values else "", placeholder="e.g. Energy week 49", id="brief-title",
                        compact=True)
            yield Static(Content("Name (its file: briefings/NAME.yaml)"), classes="dialog-label")
            yield Input(values.name if values else "", id="brief-name", compact=True, disabled=values is not None)
            yield Static(Content("Marking (printed on every page, e.g. a handling caveat)"), classes="dialog-label")
            yield Input(values.marking if values else "", id="brief-marking", compact=True)
            yield Static(Content("Analyst"), classes="dialog-label")
            yield Input(values.analyst if values else "", id="brief-analyst", compact=True)
            yield Static(classes="dialog-error")
            yield hint_widget("enter or ctrl+s saves · tab next field · escape cancels")

    def on_mount(self) -> None:
        self.query_one(".dialog-error").display = False
        self.query_one("#brief-title").focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.input.id == "brief-name" and event.input.has_focus:
            self._name_edited = True
        elif event.input.id == "brief-title" and self.values is None and not self._name_edited:
            self.query_one("#brief-name", Input).value = slug(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        def value(widget_id: str) -> str:
            return " ".join(clean_line(self.query_one(widget_id, Input).value).split())

        title = value("#brief-title")
        name = self.values.name if self.values else self.query_one("#brief-name", Input).value.strip()
        if not title:
            self.show_error("Give the briefing a title.")
            return
        if self.values is None and (problem := check_name(name, self.existing)):
            self.show_error(problem)
            return
        self.dismiss(HeaderValues(name, title, value("#brief-marking"), value("#brief-analyst")))


# --- a line of text, a section ------------------------------------------------------------------


class LineDialog(Dialog[str]):
    """One line of text (a why-it-matters line, a section name); returns it, or None."""

    def __init__(self, heading: str, value: str = "", hint: str = "enter saves · escape cancels",
                 check: Callable[[str], str | None] | None = None, suggestions: Sequence[str] = ()) -> None:
        super().__init__()
        self.heading = heading
        self.value = value
        self.hint = hint
        self.check = check
        self.suggestions = list(suggestions)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield title_widget(self.heading)
            yield Input(self.value, id="line-input", compact=True)
            if self.suggestions:
                yield OptionList(*[Option(Content(plain(s)), id=str(n)) for n, s in enumerate(self.suggestions)],
                                 markup=False, id="line-choices")
            yield Static(classes="dialog-error")
            yield hint_widget(self.hint)

    def on_mount(self) -> None:
        self.query_one(".dialog-error").display = False
        if self.suggestions:
            self.query_one(OptionList).focus()
        else:
            self.query_one(Input).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._take(self.suggestions[int(event.option.id or 0)])

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._take(event.value)

    def _take(self, value: str) -> None:
        value = " ".join(clean_line(value).split())
        problem = self.check(value) if self.check else None
        if problem:
            self.show_error(problem)
            return
        self.dismiss(value)


# --- a judgment ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CiteChoice:
    article_id: str
    label: str  # "3. Title"


@dataclass(frozen=True)
class HighlightChoice:
    article_id: str
    quote: str
    label: str  # "3. “quote” — comment"


@dataclass(frozen=True)
class JudgmentValues:
    text: str
    confidence: str
    cites: list[str]
    highlights: list[tuple[str, str]]  # (article id, quote)


class JudgmentDialog(Dialog[JudgmentValues]):
    """A key judgment: its text (several lines), a confidence term of the scale, the
    items that support it and the highlights of those items it rests on."""

    BINDINGS = bindings.JUDGMENT_DIALOG

    def __init__(self, terms: Sequence[str], scale: str, cites: Sequence[CiteChoice],
                 highlights_of: Callable[[str], list[HighlightChoice]], values: JudgmentValues | None = None) -> None:
        super().__init__()
        self.terms = list(terms)
        self.scale = scale
        self.cites = list(cites)
        self.highlights_of = highlights_of
        self.values = values

    def compose(self) -> ComposeResult:
        values = self.values
        confidence = values.confidence if values and values.confidence in self.terms else ""
        chosen = set(values.cites) if values else set()
        with Vertical(id="dialog", classes="dialog-wide"):
            yield title_widget("Edit the judgment" if values else "A new key judgment")
            area = TextArea(values.text if values else "", id="judgment-text", soft_wrap=True, tab_behavior="focus")
            area.styles.height = 6
            yield area
            yield Static(Content(f"Confidence ({plain(self.scale)})"), classes="dialog-label")
            yield Select([(plain(t), t) for t in self.terms], value=confidence or Select.NULL, allow_blank=True,
                         prompt="none", id="judgment-confidence", compact=True)
            yield Static(Content("Supported by (space ticks an item)"), classes="dialog-label")
            yield SelectionList[str](*[Selection(Content(plain(c.label)), c.article_id, c.article_id in chosen)
                                       for c in self.cites], id="judgment-cites")
            yield Static(Content("Highlights of the ticked items it rests on"), classes="dialog-label")
            yield SelectionList[str](id="judgment-highlights")
            yield Static(classes="dialog-error")
            yield hint_widget("ctrl+s saves · tab next field · escape cancels")

    def on_mount(self) -> None:
        self.query_one("#dialog").styles.width = 110  # wider than a dialog's 76: titles and quotes
        for box in self.query(SelectionList):
            box.styles.text_wrap = "wrap"  # a long title or quote is read whole
        self.query_one(".dialog-error").display = False
        self._fill_highlights({(a, q) for a, q in self.values.highlights} if self.values else set())
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def _choices(self) -> list[HighlightChoice]:
        ticked = self.query_one("#judgment-cites", SelectionList).selected
        return [h for article_id in ticked for h in self.highlights_of(article_id)]

    def _fill_highlights(self, keep: set[tuple[str, str]]) -> None:
        box = self.query_one("#judgment-highlights", SelectionList)
        box.clear_options()
        self._highlights = self._choices()
        box.add_options([Selection(Content(plain(h.label)), str(n), (h.article_id, h.quote) in keep)
                         for n, h in enumerate(self._highlights)])

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged) -> None:
        event.stop()
        if event.selection_list.id == "judgment-cites":
            keep = {(h.article_id, h.quote) for h in self._picked_highlights()}
            self._fill_highlights(keep)

    def _picked_highlights(self) -> list[HighlightChoice]:
        picked = self.query_one("#judgment-highlights", SelectionList).selected
        return [self._highlights[int(n)] for n in picked if int(n) < len(self._highlights)]

    def action_save(self) -> None:
        text = self.query_one(TextArea).text.strip()
        if not text:
            self.show_error("The judgment is empty (escape cancels).")
            return
        value = self.query_one("#judgment-confidence", Select).value
        confidence = value if isinstance(value, str) else ""
        cites = list(self.query_one("#judgment-cites", SelectionList).selected)
        highlights = [(h.article_id, h.quote) for h in self._picked_highlights()]
        self.dismiss(JudgmentValues(text, confidence, cites, highlights))


# --- the suggested overview -----------------------------------------------------------------------------


@dataclass
class OverviewFound(Message):
    """The suggested overview's lines (the dialog's worker), or why there are none."""

    lines: list[str]
    error: str | None


class OverviewDialog(Dialog[list[str]]):
    """The suggested overview's sentences (each with its source number), found in a
    worker; the analyst ticks the ones to take into the bottom line. Returns the
    lines to insert (``[]`` when none was ticked), or None."""

    BINDINGS = bindings.OVERVIEW_DIALOG

    def __init__(self, suggest: Callable[[], list[Any]]) -> None:
        super().__init__()
        self.suggest = suggest
        self.lines: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog-wide"):
            yield title_widget("Suggested overview: the most central sentences across the items")
            yield Static(Content("finding the central sentences…"), id="overview-status")
            yield SelectionList[int](id="overview-list")
            yield Static(classes="dialog-error")
            yield hint_widget("space ticks a sentence · ctrl+s puts the ticked ones into the bottom line (to edit"
                              " there) · escape cancels")

    def on_mount(self) -> None:
        self.query_one("#dialog").styles.width = "95%"  # whole sentences to read
        self.query_one(SelectionList).styles.text_wrap = "wrap"
        self.query_one(".dialog-error").display = False
        self._find()

    @work(thread=True, exclusive=True, group="overview", exit_on_error=False, description="suggested overview")
    def _find(self) -> None:
        try:
            found = [overview_line(s) for s in self.suggest()]
        except Exception as exc:  # a summarizer problem: say it, the dialog stays usable
            self.post_message(OverviewFound([], f"No overview: {type(exc).__name__}: {exc}"))
            return
        self.post_message(OverviewFound(found, None))

    def on_overview_found(self, message: OverviewFound) -> None:
        if message.error is not None:
            self.query_one("#overview-status", Static).update(Content(clean_line(message.error)))
            return
        self.lines = message.lines
        status = self.query_one("#overview-status", Static)
        status.update(Content(f"{len(self.lines)} sentence{'s' if len(self.lines) != 1 else ''}"
                              if self.lines else "No sentences to suggest (add items first)."))
        box = self.query_one("#overview-list", SelectionList)
        box.add_options([Selection(Content(line), n) for n, line in enumerate(self.lines)])
        if self.lines:
            box.highlighted = 0
        box.focus()

    def action_accept(self) -> None:
        picked = sorted(self.query_one("#overview-list", SelectionList).selected)
        if not picked:
            self.show_error("Tick the sentences to take (space), or escape.")
            return
        self.dismiss([self.lines[n] for n in picked])


def overview_line(suggestion: Any) -> str:
    """A suggested sentence as it goes into the bottom line: the text and its source
    number, e.g. ``Power was cut in Kharkiv. [3]``."""
    text = plain(getattr(suggestion, "text", ""))
    cite = getattr(suggestion, "cite", None)
    return f"{text} [{cite}]" if cite else text


# --- export ---------------------------------------------------------------------------------------------


class BriefExportDialog(ExportFileDialog):
    """``x`` on the briefing screen: format and file, then ``produce(fmt, produced,
    include_private)`` (compose and render, in a worker) and the export's own writer
    (the file part is :class:`~briefing.tui.screens.export_file.ExportFileDialog`'s)."""

    def __init__(self, title: str, produce: Callable[[str, dt.date | None, bool], tuple[bytes, int]],
                 folder: Path | None = None, today: dt.date | None = None) -> None:
        super().__init__(folder)
        self.title_text = title
        self.produce = produce
        self.today = today

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield title_widget(f"Export the briefing “{plain(self.title_text)}”")
            yield Static(Content("Format"), classes="dialog-label")
            yield Select([(FORMAT_LABELS.get(f, f.upper()), f) for f in FORMATS], value="md", allow_blank=False,
                         id="export-format", compact=True)
            yield from self.file_widgets()
            yield from self.option_widgets()
            yield from self.tail_widgets()

    def _suggest_path(self) -> None:
        self.suggest_path(suggested_name(self.title_text or "briefing", self.fmt, default_produced(self.fmt, self.today)), self.fmt)

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self._suggest_path()

    def action_export(self) -> None:
        if self.running:
            return
        checked = self.target()
        if checked is None:
            return
        path, overwrite = checked
        fmt, produced, private, produce = self.fmt, default_produced(self.fmt, self.today), self.include_private, self.produce
        self.begin("exporting … (summaries take a moment)")
        self.write_in_worker(lambda: produce(fmt, produced, private), path, overwrite)

    def on_export_finished(self, message: ExportFinished) -> None:
        if not self.finished(message):
            self.query_one("#export-count", Static).update(Content(""))
            return
        self.dismiss(message.path)
        self.app.notify(
            f"Wrote the briefing ({message.count} item{'s' if message.count != 1 else ''}) to "
            f"{clean_line(str(message.path))}", title="Exported", timeout=10, markup=False)
