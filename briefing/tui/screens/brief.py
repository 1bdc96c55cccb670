"""``B``: the briefing screen (issue 17), and its preview.

Left: the briefing's sections and items in the analyst's order (title, date, outlet,
the "why it matters" line), with the cursor; keys move an item up or down (across a
section's edge), to another section, remove it, edit its why line, add or rename
sections. Right: the bottom line (a multi-line editor) and the key judgments. ``o``
offers the suggested overview's sentences, ``p`` previews the briefing as it will
print (Textual's Markdown view of the Markdown export), ``x`` exports it.

Every change is saved through the briefing store in a thread (see
:mod:`briefing.tui.features.brief`); the bottom line's text stays in its editor and
in memory when a save fails, and the header says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from markdown_it import MarkdownIt
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Markdown, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from briefing.brief.model import BriefDoc, BriefDocError, HighlightRef, Judgment
from briefing.sanitize import clean_line
from briefing.tui import bindings
from briefing.tui.brief_rows import (
    item_line,
    judgment_line,
    numbers,
    option_id_of_item,
    option_id_of_section,
    plain,
    section_line,
    section_of,
)
from briefing.tui.screens.brief_dialogs import (
    BriefExportDialog,
    BriefHeaderDialog,
    CiteChoice,
    HeaderValues,
    HighlightChoice,
    JudgmentDialog,
    JudgmentValues,
    LineDialog,
    OverviewDialog,
)
from briefing.tui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from briefing.tui.features.brief import BriefFeature, BriefSession

BLUF_SAVE_DELAY_S = 1.0  # the bottom line is saved this long after the last keystroke
QUOTE_SHOWN = 70


class BriefScreen(Screen[None]):
    DEFAULT_CSS = """
    BriefScreen #brief-head { height: auto; padding: 0 1; background: $panel; }
    BriefScreen #brief-panes { height: 1fr; }
    BriefScreen #brief-left { width: 1fr; }
    BriefScreen #brief-right { width: 1fr; }
    BriefScreen .brief-label { color: $text-secondary; text-style: bold; padding: 0 1; }
    BriefScreen #brief-outline { height: 1fr; }
    BriefScreen #brief-bluf { height: 3fr; min-height: 5; }
    BriefScreen #brief-judgments { height: 2fr; }
    BriefScreen #brief-problem { color: $text-error; height: auto; padding: 0 1; }
    """
    BINDINGS = bindings.BRIEF_SCREEN
    AUTO_FOCUS = "#brief-outline"

    def __init__(self, feature: BriefFeature) -> None:
        super().__init__()
        self.feature = feature
        self._bluf_timer: Timer | None = None

    @property
    def session(self) -> BriefSession:
        session = self.feature.session
        assert session is not None, "the briefing screen is only shown with a briefing open"
        return session

    def compose(self) -> ComposeResult:
        yield Static(id="brief-head")
        with Horizontal(id="brief-panes"):
            with Vertical(id="brief-left"):
                yield Static(Content("Items"), classes="brief-label")
                yield OptionList(markup=False, id="brief-outline")
            with Vertical(id="brief-right"):
                yield Static(Content("Bottom line up front (b)"), classes="brief-label")
                yield TextArea(self.session.doc.bluf, id="brief-bluf", soft_wrap=True, tab_behavior="focus")
                yield Static(Content("Key judgments (a adds · enter edits)"), classes="brief-label")
                yield OptionList(markup=False, id="brief-judgments")
        yield Static(id="brief-problem")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.feature.listeners.append(self._redraw_after_save)
        self.redraw()

    def on_unmount(self) -> None:
        if self._redraw_after_save in self.feature.listeners:
            self.feature.listeners.remove(self._redraw_after_save)

    def _redraw_after_save(self, bluf: bool) -> None:
        self.redraw(bluf=bluf)

    # --- drawing ------------------------------------------------------------------------

    @property
    def outline(self) -> OptionList:
        return self.query_one("#brief-outline", OptionList)

    @property
    def judgments(self) -> OptionList:
        return self.query_one("#brief-judgments", OptionList)

    @property
    def bluf(self) -> TextArea:
        return self.query_one("#brief-bluf", TextArea)

    def redraw(self, *, bluf: bool = False, focus_id: str | None = None) -> None:
        """Draw the header, the outline and the judgments from the session; ``bluf``:
        the editor too (after a reload or an undo that changed it). The cursor stays
        on the same row (``focus_id``: on that one)."""
        self._draw_head()
        self._draw_outline(focus_id)
        self._draw_judgments()
        doc = self.session.doc
        if bluf and self.bluf.text != doc.bluf:
            self.bluf.load_text(doc.bluf)

    def _draw_head(self) -> None:
        session = self.session
        doc = session.doc
        count = len(doc.item_ids())
        details = [f"{count} item{'s' if count != 1 else ''}", f"file briefings/{plain(doc.name)}.yaml"]
        if doc.marking:
            details.insert(0, "marking: " + plain(doc.marking))
        if doc.analyst:
            details.insert(0, "by " + plain(doc.analyst))
        status = self.feature.status_text()
        self.query_one("#brief-head", Static).update(Content.assemble(
            ("Briefing ", "bold"), (f"“{plain(doc.title)}”", "bold $text-accent"), "  " + " · ".join(details),
            (f"  [{status}]" if status else "", "$text-error" if "NOT" in status else "dim")))
        problem = self.query_one("#brief-problem", Static)
        problem.update(Content(clean_line(session.problem or "")))
        problem.display = bool(session.problem)

    def _draw_outline(self, focus_id: str | None) -> None:
        outline, doc = self.outline, self.session.doc
        keep = focus_id
        if keep is None and (option := outline.highlighted_option) is not None:
            keep = option.id
        options: list[Option] = []
        number = 0
        for index, section in enumerate(doc.sections):
            options.append(Option(section_line(section), id=option_id_of_section(index)))
            for item in section.items:
                number += 1
                options.append(Option(item_line(number, item.id, self.feature.meta(item.id), item.why),
                                      id=option_id_of_item(item.id)))
        if not options:
            options.append(Option(Content.styled("No items yet: ctrl+b in the list adds the marked articles (else"
                                                 " the current one).", "dim"), id="empty", disabled=True))
        old = outline.highlighted
        outline.set_options(options)
        if keep is not None:
            try:
                outline.highlighted = outline.get_option_index(keep)
                return
            except Exception:  # that row is gone (removed): the row now at its place
                pass
        if old is not None and outline.option_count:
            outline.highlighted = min(old, outline.option_count - 1)
        elif outline.option_count:
            outline.highlighted = 0

    def _draw_judgments(self, index: int | None = None) -> None:
        box, doc = self.judgments, self.session.doc
        numbered = numbers(doc)
        old = box.highlighted if index is None else index
        options = [Option(judgment_line(n, j.text, j.confidence, [numbered[c] for c in j.cites if c in numbered],
                                        len(j.highlights)), id=str(n - 1))
                   for n, j in enumerate(doc.judgments, 1)]
        if not options:
            options = [Option(Content.styled("No judgments yet: a adds one.", "dim"), id="empty", disabled=True)]
        box.set_options(options)
        if doc.judgments and old is not None:
            box.highlighted = max(0, min(old, len(doc.judgments) - 1))

    # --- what the cursor is on ---------------------------------------------------------------

    def _row(self) -> tuple[str, str] | None:
        """("item", article id) or ("section", index) of the outline's cursor."""
        option = self.outline.highlighted_option
        if option is None or option.id is None or option.id == "empty":
            return None
        kind, _, value = option.id.partition(":")
        return ("item", value) if kind == "i" else ("section", value)

    def _item(self) -> str | None:
        row = self._row()
        return row[1] if row is not None and row[0] == "item" else None

    def _section_index(self) -> int | None:
        row = self._row()
        if row is None:
            return None
        if row[0] == "section":
            return int(row[1])
        return section_of(self.session.doc, row[1])

    def _judgment(self) -> int | None:
        box = self.judgments
        if not self.session.doc.judgments or box.highlighted is None:
            return None
        return box.highlighted

    def _title(self, article_id: str) -> str:
        meta = self.feature.meta(article_id)
        return plain(meta.title) if meta is not None and meta.title else plain(article_id)

    # --- changing the briefing ------------------------------------------------------------------

    def _edit(self, change: Callable[[BriefDoc], Any]) -> tuple[bool, Any]:
        """Apply ``change`` to the briefing (undoable); ``(False, None)`` and said when
        the document refuses it (an empty judgment, a text too long...)."""
        try:
            return True, self.session.edit(change)
        except (BriefDocError, KeyError, IndexError) as err:
            self.app.bell()
            text = err.args[0] if isinstance(err, KeyError) and err.args else str(err)
            self.app.notify(clean_line(str(text)), title="Briefing", severity="warning", timeout=6, markup=False)
            return False, None

    def _changed(self, focus_id: str | None = None, judgment: int | None = None) -> None:
        self.feature.save()
        self.redraw(focus_id=focus_id)
        if judgment is not None:
            self._draw_judgments(judgment)

    def action_move(self, step: int) -> None:
        session = self.session
        if self.judgments.has_focus:
            index = self._judgment()
            if index is None or not 0 <= index + step < len(session.doc.judgments):
                self.app.bell()
                return
            ok, _ = self._edit(lambda doc: doc.move_judgment(index, step))
            if ok:
                self._changed(judgment=index + step)
            return
        article_id = self._item()
        if article_id is None:
            self.app.bell()
            return
        ids_before = session.doc.item_ids()
        sections_before = section_of(session.doc, article_id)
        self._edit(lambda doc: doc.move_by(article_id, step))
        if session.doc.item_ids() == ids_before and section_of(session.doc, article_id) == sections_before:
            self.app.bell()  # at the first or last place already
            return
        self._changed(option_id_of_item(article_id))

    def action_to_section(self) -> None:
        article_id = self._item()
        if article_id is None:
            self.app.bell()
            return
        doc = self.session.doc
        here = section_of(doc, article_id)
        names = [s.name for n, s in enumerate(doc.sections) if n != here]

        def moved(name: str | None) -> None:
            if not name:
                return
            if self._edit(lambda d: d.move(article_id, section=name))[0]:
                self._changed(option_id_of_item(article_id))

        self.app.push_screen(LineDialog(f"Move “{self._title(article_id)}” to the section",
                                        hint="enter on a section moves it there · or type a new section's name"
                                             " (tab) and enter · escape cancels",
                                        check=lambda v: None if v else "Give the section's name.",
                                        suggestions=names), moved)

    def action_remove(self) -> None:
        session = self.session
        if self.judgments.has_focus:
            index = self._judgment()
            if index is None:
                self.app.bell()
                return
            chosen: int = index
            ok, _ = self._edit(lambda doc: doc.remove_judgment(chosen))
            if not ok:
                return
            self._changed(judgment=index)
            self.app.notify("Removed the judgment (ctrl+z brings it back).", timeout=4, markup=False)
            return
        row = self._row()
        if row is None:
            self.app.bell()
            return
        if row[0] == "section":
            index = int(row[1])
            if session.doc.sections[index].items:
                self.app.bell()
                self.app.notify("Only an empty section is removed: move or remove its items first.",
                                severity="warning", timeout=5, markup=False)
                return
            name = session.doc.sections[index].name
            if self._edit(lambda doc: doc.remove_section(name))[0]:
                self._changed()
            return
        article_id = row[1]
        title = self._title(article_id)
        if not self._edit(lambda doc: doc.remove([article_id]))[0]:
            return
        self._changed()
        self.app.notify(f"Removed “{title}” from the briefing (ctrl+z brings it back).", timeout=4, markup=False)

    def action_why(self) -> None:
        article_id = self._item()
        if article_id is None:
            self.app.bell()
            return
        current = next((i.why for s in self.session.doc.sections for i in s.items if i.id == article_id), "")

        def written(text: str | None) -> None:
            if text is None:
                return
            if self._edit(lambda doc: doc.set_why(article_id, text))[0]:
                self._changed(option_id_of_item(article_id))

        self.app.push_screen(LineDialog(f"Why it matters: {self._title(article_id)}", current,
                                        hint="enter saves (empty: no line) · escape cancels"), written)

    def _section_name_check(self, keep: str | None = None) -> Any:
        doc = self.session.doc

        def check(value: str) -> str | None:
            if not value:
                return "Give the section a name."
            found = doc.section(value)
            if found is not None and found.name != keep:
                return f"There is a section named {found.name} already."
            return None

        return check

    def action_new_section(self) -> None:
        def made(name: str | None) -> None:
            if name and self._edit(lambda doc: doc.add_section(name))[0]:
                self._changed(option_id_of_section(len(self.session.doc.sections) - 1))

        self.app.push_screen(LineDialog("A new section", check=self._section_name_check()), made)

    def action_rename_section(self) -> None:
        index = self._section_index()
        if index is None:
            self.app.bell()
            return
        old = self.session.doc.sections[index].name

        def renamed(name: str | None) -> None:
            if name and name != old:
                def rename(doc: Any) -> None:
                    doc.sections[index].name = name

                if self._edit(rename)[0]:
                    self._changed()

        self.app.push_screen(LineDialog("Rename the section", old, check=self._section_name_check(old)), renamed)

    def action_edit_header(self) -> None:
        doc = self.session.doc

        def edited(values: HeaderValues | None) -> None:
            if values is None:
                return

            def change(d: Any) -> None:
                d.title, d.marking, d.analyst = values.title, values.marking, values.analyst

            if self._edit(change)[0]:
                self._changed()

        self.app.push_screen(BriefHeaderDialog([], HeaderValues(doc.name, doc.title, doc.marking, doc.analyst)),
                             edited)

    # --- the bottom line --------------------------------------------------------------------------

    def action_edit_bluf(self) -> None:
        self.bluf.focus()

    @on(TextArea.Changed, "#brief-bluf")
    def _bluf_changed(self, event: TextArea.Changed) -> None:
        if self.session.set_bluf(event.text_area.text):  # in memory at once; written a moment later
            if self._bluf_timer is not None:
                self._bluf_timer.stop()
            self._bluf_timer = self.set_timer(BLUF_SAVE_DELAY_S, self.feature.save)
            self._draw_head()

    def sync_bluf(self) -> None:
        self.session.set_bluf(self.bluf.text)

    def action_overview(self) -> None:
        suggest = self.feature.suggester()
        if suggest is None:
            return

        def accepted(lines: list[str] | None) -> None:
            if not lines:
                return
            area = self.bluf
            text = area.text.rstrip()
            addition = "\n".join(lines)
            area.load_text(f"{text}\n\n{addition}" if text else addition)  # the Changed event saves it
            self.sync_bluf()
            self.feature.save()
            area.focus()
            area.move_cursor(area.document.end)
            self.app.notify(f"{len(lines)} sentence{'s' if len(lines) != 1 else ''} put into the bottom line:"
                            " edit them there.", timeout=5, markup=False)

        self.app.push_screen(OverviewDialog(suggest), accepted)

    # --- judgments ----------------------------------------------------------------------------------

    def _cite_choices(self) -> list[CiteChoice]:
        return [CiteChoice(article_id, f"{n}. {self._title(article_id)}")
                for article_id, n in numbers(self.session.doc).items()]

    def _highlights_of(self, article_id: str) -> list[HighlightChoice]:
        store = self.feature.store
        if store is None:
            return []
        number = numbers(self.session.doc).get(article_id, 0)
        found = []
        for highlight in store.get(article_id).highlights:
            quote = plain(highlight.quote)
            shown = quote if len(quote) <= QUOTE_SHOWN else quote[: QUOTE_SHOWN - 1] + "…"
            note = f" — {plain(highlight.note)}" if highlight.note.strip() else ""
            found.append(HighlightChoice(article_id, highlight.quote, f"{number}. “{shown}”{note}"))
        return found

    def _judgment_dialog(self, values: JudgmentValues | None) -> JudgmentDialog:
        scale = self.feature.scale()
        return JudgmentDialog(scale.terms, scale.name, self._cite_choices(), self._highlights_of, values)

    def action_add_judgment(self) -> None:
        def written(values: JudgmentValues | None) -> None:
            if values is None:
                return
            ok, number = self._edit(lambda doc: doc.add_judgment(to_judgment(values)))
            if ok:
                self._changed(judgment=number - 1)  # add_judgment gives its 1-based number

        self.app.push_screen(self._judgment_dialog(None), written)

    @on(OptionList.OptionSelected, "#brief-judgments")
    def _edit_judgment(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        index = self._judgment()
        if index is None:
            return
        current = self.session.doc.judgments[index]
        values = JudgmentValues(current.text, current.confidence, list(current.cites),
                                [(h.article, h.quote) for h in current.highlights])

        def written(new: JudgmentValues | None) -> None:
            if new is None or index >= len(self.session.doc.judgments):
                return

            def replace(doc: Any) -> None:
                doc.judgments[index] = to_judgment(new)

            if self._edit(replace)[0]:
                self._changed(judgment=index)

        self.app.push_screen(self._judgment_dialog(values), written)

    @on(OptionList.OptionSelected, "#brief-outline")
    def _outline_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_why()  # enter on an item: its why line

    # --- preview, export, save, undo, leave ---------------------------------------------------------

    def action_preview(self) -> None:
        self.sync_bluf()
        render = self.feature.renderer()
        if render is not None:
            self.app.push_screen(BriefPreviewScreen(render))

    def action_export(self) -> None:
        self.sync_bluf()
        render = self.feature.renderer()
        if render is None:
            return
        self.app.push_screen(BriefExportDialog(self.session.doc.title, render, folder=self.feature.export_folder()))

    def action_save(self) -> None:
        self.sync_bluf()
        session = self.session
        if session.problem and not session.dirty:
            session.generation += 1  # the last save failed: write again
        self.feature.save()
        self._draw_head()

    def action_undo(self) -> None:
        self.sync_bluf()
        if not self.session.undo():
            self.app.bell()
            return
        self._changed()

    def action_switch(self) -> None:
        """``B``: another briefing (or a new one); this one is written first."""
        if self._bluf_timer is not None:
            self._bluf_timer.stop()
        self.sync_bluf()
        self.feature.save()
        before = self.session

        def chosen(session: BriefSession) -> None:
            if session is not before:
                self.outline.highlighted = None
                self.redraw(bluf=True)
                self.outline.focus()

        self.feature.choose(chosen)

    def action_close(self) -> None:
        if self._bluf_timer is not None:
            self._bluf_timer.stop()
        self.sync_bluf()
        self.feature.save()
        self.app.pop_screen()


def to_judgment(values: JudgmentValues) -> Judgment:
    return Judgment(values.text, values.confidence, list(values.cites),
                    [HighlightRef(article, quote) for article, quote in values.highlights])


# --- the preview ----------------------------------------------------------------------------------------


def preview_parser() -> MarkdownIt:
    """The preview's Markdown parser: Textual's GitHub-like one without linkify (a
    file name such as ``evil.md`` would become a link to ``http://evil.md``) and
    without raw HTML (the renderer escapes it anyway)."""
    return MarkdownIt("gfm-like", {"linkify": False, "html": False})


@dataclass
class PreviewReady(Message):
    """The briefing as Markdown (the preview's worker), or why it could not be made."""

    text: str
    error: str | None = None


class BriefPreviewScreen(Screen[None]):
    """The briefing as it will print: the Markdown export shown by Textual's Markdown
    widget. The text is made in a worker (summaries take time); what reaches the
    widget is only the Markdown renderer's output, which escapes everything from
    articles and typed text. Links are never opened from here."""

    DEFAULT_CSS = """
    BriefPreviewScreen #preview-status { height: auto; padding: 0 1; background: $panel; }
    BriefPreviewScreen #preview-scroll { height: 1fr; padding: 0 2; }
    """
    BINDINGS = bindings.BRIEF_PREVIEW

    def __init__(self, render: Any) -> None:
        super().__init__()
        self.render_briefing = render
        self.markdown_text: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(Content("Preview: building the briefing… (summaries take a moment)"), id="preview-status")
        with VerticalScroll(id="preview-scroll"):
            yield Markdown(id="preview", open_links=False, parser_factory=preview_parser)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#preview-scroll").focus()
        self._build()

    @work(thread=True, exclusive=True, group="brief-preview", exit_on_error=False, description="preview briefing")
    def _build(self) -> None:
        try:
            data, _count = self.render_briefing("md", None)
            self.post_message(PreviewReady(data.decode("utf-8")))
        except Exception as exc:  # a composing problem: said on the screen
            self.post_message(PreviewReady("", f"No preview: {type(exc).__name__}: {exc}"))

    async def on_preview_ready(self, message: PreviewReady) -> None:
        status = self.query_one("#preview-status", Static)
        if message.error is not None:
            status.update(Content(clean_line(message.error)))
            return
        self.markdown_text = message.text
        await self.query_one(Markdown).update(message.text)
        status.update(Content("Preview as it will print (Markdown) · escape, q or p closes"))

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.stop()  # never opened from the preview: the address is shown as text
        self.app.notify(clean_line(event.href), title="Link", timeout=6, markup=False)

    def action_close(self) -> None:
        self.app.pop_screen()

