"""The reading pane: details, the summary, then the full text with summary sentences marked.

Everything from the article is shown as plain Content (never markup). The text is one
:class:`~briefing.tui.widgets.article_body.ArticleBody`, which wraps the paragraphs
once and draws only the lines on screen; the reader gives it the styled Content of a
paragraph (summary sentences, the current one, search terms, the analyst's highlights)
when a paragraph is drawn, so changing a style redraws what is visible and nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping

from textual.containers import VerticalScroll
from textual.content import Content
from textual.geometry import Region
from textual.widgets import Static

from briefing.annotations.flags import state_text
from briefing.index.query import (
    Query,  # the search rules of the list (whole words, last as prefix)
)
from briefing.model import Article, ArticleMeta
from briefing.sanitize import clean_line, clean_text
from briefing.tui import bindings
from briefing.tui.marking import (
    Paragraph,
    locate_sentences,
    mark_summary,
    split_paragraphs,
)
from briefing.tui.rows import HIGHLIGHT, day_label
from briefing.tui.widgets.article_body import ArticleBody

SUMMARY_MARK = "underline $text-primary on $primary-muted"
QUOTE_MARK = "on $warning-muted"  # a passage the analyst highlighted (h)
CURRENT_MARK = "bold underline $text-accent on $accent-muted"  # the sentence . / , jumped to
NO_TEXT = Paragraph("(this article has no text)", 0)


def _annotation_content(view) -> Content:
    """The analyst's annotations of an article (a briefing.annotations.ArticleView; its
    strings are already cleaned): plain Content, never markup."""
    lines: list[Content] = []
    if view.text_changed:
        lines.append(Content.styled("⚠ the text changed since it was annotated: check the notes and highlights", "bold $text-warning"))
    if view.title_overridden:
        lines.append(Content.styled("title set by the analyst (e clears it)", "dim italic"))
    if view.date_overridden:
        lines.append(Content.styled("date set by the analyst (d clears it)", "dim italic"))
    for conflict in view.conflicts:
        kept = "—" if conflict.kept is None else conflict.kept
        other = "—" if conflict.other is None else conflict.other
        lines.append(Content.assemble(("conflict ", "bold $text-error"), f"{conflict.field}: kept {kept!r}, other {other!r}"))
    for number, h in enumerate(view.highlights, 1):
        quote = " ".join(h.quote.split())
        lines.append(Content.assemble((f"Highlight {number} ", "bold $text-accent"), ("“", ""), (quote, "italic"), ("”", "")))
        if h.note.strip():
            lines.append(Content.assemble(("    — ", "dim"), h.note.strip()))
    for number, note in enumerate(view.notes, 1):
        when = f" · {note.at}" if note.at else ""
        lines.append(Content.styled(f"Note {number}{when}", "bold $text-accent"))
        for line in note.text.strip("\n").split("\n"):
            lines.append(Content("  " + line))
    return Content("\n").join(lines)


def _meta_content(meta: ArticleMeta, status: str | None = None, origins: Mapping[str, str | None] | None = None) -> Content:
    """The details of ``meta``; ``origins`` (label -> remark) keeps the file's value
    visible beside an analyst's correction ("Date": "set by analyst; file says none")."""
    origins = origins or {}
    title = clean_line(meta.title).strip() or clean_line(meta.id)
    lines: list[Content] = [Content.styled(title, "bold $text-primary")]
    if origins.get("Title"):
        lines.append(Content.styled(f"title {clean_line(str(origins['Title']))}", "dim italic"))
    elif meta.title_derived:
        lines.append(Content.styled("~ title made from the first sentence (the file has no headline)", "dim italic"))
    fields = [
        ("Date", day_label(meta.date) if meta.date else "undated"),
        ("Author", clean_line(meta.author or "") or "—"),
        ("Source", clean_line(meta.source or "") or "—"),
        ("File", clean_line(meta.id)),
    ]
    if meta.url:  # plain text, never a link or markup (Y copies it)
        fields.insert(3, ("URL", clean_line(meta.url)))
    if meta.tags:
        fields.append(("Tags", ", ".join(clean_line(t) for t in meta.tags)))
    if status is not None:
        fields.append(("Status", status))
    for label, value in fields:
        remark = origins.get(label) if label != "Title" else None
        if remark:
            lines.append(Content.assemble((f"{label:<7}", "dim"), value, (f"  ({clean_line(remark)})", "dim")))
        else:
            lines.append(Content.assemble((f"{label:<7}", "dim"), value))
    for warning in meta.warnings:
        lines.append(Content.styled("! " + clean_line(warning), "$text-warning"))
    return Content("\n").join(lines)


class Reader(VerticalScroll, can_focus=True):
    """Shows one article. The screen pushes state down with the ``show_*`` methods."""

    BINDINGS = bindings.READER

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._article: Article | None = None
        self._paragraphs: list[Paragraph] = []
        self._sentences: list[str] = []
        self._mark_targets: list[tuple[int, int]] = []  # (sentence, paragraph) for each marked sentence
        self._mark_position = -1  # index into _mark_targets
        self._mark_cursor = -1  # the sentence index shown as current
        self._query = Query.parse("")
        self._quotes: list[str] = []  # the analyst's highlights, marked in the text

    def compose(self):
        yield Static(id="reader-meta")
        yield Static(id="reader-keywords")  # keywords and suggested tags (the screen fills it)
        yield Static(id="reader-notes")
        yield Static(id="reader-summary")
        yield ArticleBody(id="reader-body")

    # --- attributes down ---------------------------------------------------------

    def show_message(self, message: str) -> None:
        """An empty pane with a message (nothing opened, empty folder, an error)."""
        self._article = None
        self._paragraphs = []
        self._sentences = []
        self._mark_targets = []
        self.query_one("#reader-meta", Static).update(Content(clean_text(message)))
        self.show_keywords(None)
        self.query_one("#reader-notes", Static).display = False
        self.query_one("#reader-summary", Static).update(Content(""))
        self.query_one("#reader-summary").display = False
        self._body.show([], self._para_content)
        self.scroll_home(animate=False)

    @property
    def _body(self) -> ArticleBody:
        return self.query_one("#reader-body", ArticleBody)

    def show_loading(self, meta: ArticleMeta) -> None:
        self.show_message("")
        self.query_one("#reader-meta", Static).update(_meta_content(meta))

    def show_article(self, article: Article) -> None:
        self._article = article
        self._quotes = []
        self._paragraphs = split_paragraphs(article.body, article.headings)
        self._sentences = []
        self._mark_targets = []
        self._mark_position = self._mark_cursor = -1
        self.query_one("#reader-meta", Static).update(_meta_content(article.meta))
        self._body.show(self._paragraphs or [NO_TEXT], self._para_content)
        self.scroll_home(animate=False)

    def show_annotations(self, meta: ArticleMeta, view=None, origins: Mapping[str, str | None] | None = None) -> None:
        """The details with the analyst's corrections (``meta``) and their annotations
        (``view``, a briefing.annotations.ArticleView; None hides them). Highlighted
        passages are marked where they stand in the text. ``origins``: where a
        corrected title or date came from (see :func:`_meta_content`)."""
        quotes = [q for q in (" ".join(h.quote.split()) for h in (view.highlights if view is not None else ())) if q]
        if quotes != self._quotes:
            self._quotes = quotes
            self._restyle()
        self.query_one("#reader-meta", Static).update(_meta_content(meta, state_text(view) if view is not None else None, origins))
        notes = self.query_one("#reader-notes", Static)
        content = _annotation_content(view) if view is not None else Content("")
        notes.update(content)
        notes.display = bool(content.plain)

    def show_keywords(self, content: Content | None) -> None:
        """The keywords line under the details (None hides it). The line is one row
        high whatever it holds, so replacing what a shown line says needs no new
        layout of the pane (opening an article must not pay for a second one)."""
        line = self.query_one("#reader-keywords", Static)
        if content is None:
            if line.display:
                line.display = False
            return
        line.update(content, layout=not line.display)
        line.display = True

    def show_summary_pending(self, method: str, length: int) -> None:
        summary = self.query_one("#reader-summary", Static)
        summary.display = True
        summary.update(
            Content("\n").join(
                [self._summary_header(method, length), Content.styled("summarizing…", "dim italic")]
            )
        )

    def show_summary_failed(self, method: str, length: int, message: str) -> None:
        summary = self.query_one("#reader-summary", Static)
        summary.display = True
        summary.update(
            Content("\n").join(
                [self._summary_header(method, length), Content.styled(clean_line(message), "$text-error")]
            )
        )

    def show_summary(self, sentences: list[str], method: str, requested: str, length: int, note: str | None) -> None:
        if self._article is None:
            return
        self._sentences = list(sentences)
        spans = locate_sentences(self._article.body, self._sentences)
        mark_summary(self._paragraphs, spans)
        self._mark_targets = []  # (sentence index, paragraph index) of each marked sentence
        for index in range(len(self._sentences)):
            for p_index, p in enumerate(self._paragraphs):
                if index in p.marks:
                    self._mark_targets.append((index, p_index))
                    break
        self._mark_position = self._mark_cursor = -1
        lines = [self._summary_header(method, length, requested)]
        if note:
            lines.append(Content.styled(clean_line(note), "italic $text-warning"))
        if not self._sentences:
            lines.append(Content.styled("(no summary for this text)", "dim italic"))
        for sentence in self._sentences:
            lines.append(Content.assemble(("• ", "$text-primary"), clean_line(sentence)))
        summary = self.query_one("#reader-summary", Static)
        summary.display = True
        summary.update(Content("\n").join(lines))
        self._restyle()

    def show_search(self, query: str) -> None:
        """Highlight ``query``'s terms in the text (empty: no highlight)."""
        self._query = Query.parse(query)
        self._restyle()

    # --- helpers -----------------------------------------------------------------

    @staticmethod
    def _summary_header(method: str, length: int, requested: str | None = None) -> Content:
        used = clean_line(method)
        label = f"Summary · {used} · {length} sentence{'s' if length != 1 else ''}"
        if requested and requested != method:
            label += f" (asked for {clean_line(requested)})"
        return Content.styled(label, "bold $text-accent")

    def _para_content(self, p: Paragraph) -> Content:
        if p is NO_TEXT:
            return Content.styled(p.text, "dim italic")
        content = Content(p.text)
        current = self._mark_cursor
        for start, end, index in p.summary_spans:
            content = content.stylize(CURRENT_MARK if index == current else SUMMARY_MARK, start, end)
        for quote in self._quotes:
            at = p.text.find(quote)
            while at != -1:
                content = content.stylize(QUOTE_MARK, at, at + len(quote))
                at = p.text.find(quote, at + len(quote))
        if not self._query.empty:
            for start, end in self._query.spans(p.text):
                content = content.stylize(HIGHLIGHT, start, end)
        return content

    def _restyle(self, sentences: set[int] | None = None) -> None:
        """Redraw the paragraphs (only those holding ``sentences``, when given); the
        body styles a paragraph again only when its lines are next drawn."""
        if sentences is None:
            self._body.restyle()
            return
        self._body.restyle(
            [i for i, p in enumerate(self._paragraphs) if any(index in sentences for _, _, index in p.summary_spans)]
        )

    # --- actions -------------------------------------------------------------------

    @property
    def summary_sentences(self) -> list[str]:
        return list(self._sentences)

    @property
    def current_sentence(self) -> str | None:
        """The summary sentence the jump keys are on (None before the first jump)."""
        if 0 <= self._mark_cursor < len(self._sentences):
            return self._sentences[self._mark_cursor]
        return None

    def selected_text(self) -> str:
        """Text selected with the mouse in the article's text or summary ("" when none;
        a selection elsewhere on the screen, e.g. in the list, does not count)."""
        mine = {self._body, self.query_one("#reader-summary")}
        parts: list[str] = []
        for widget, selection in list(self.screen.selections.items()):
            if widget in mine and widget.is_attached:
                got = widget.get_selection(selection)
                if got and got[0].strip():
                    parts.append(got[0].strip())
        return " ".join(" ".join(parts).split())

    @property
    def mark_count(self) -> int:
        return len(self._mark_targets)

    def jump_mark(self, step: int) -> int | None:
        """Scroll to the next (step=1) or previous (step=-1) marked summary sentence."""
        if not self._mark_targets:
            return None
        self._mark_position = (self._mark_position + step) % len(self._mark_targets)
        sentence, paragraph = self._mark_targets[self._mark_position]
        previous, self._mark_cursor = self._mark_cursor, sentence
        body = self._body
        body.set_current(paragraph)
        self._restyle({previous, sentence})
        self.call_after_refresh(self._scroll_to_paragraph, paragraph)
        return sentence

    def _scroll_to_paragraph(self, paragraph: int) -> None:
        """Scroll the paragraph to the top of the pane (after the layout that placed it)."""
        body = self._body
        if body.current != paragraph:
            return  # jumped on since
        top = body.virtual_region.y + body.paragraph_top(paragraph)
        self.scroll_to_region(Region(0, top, 1, 1), animate=True, top=True, force=True)

    @property
    def current_paragraph(self) -> int:
        """The paragraph holding the current summary sentence (-1 before the first jump)."""
        return self._body.current

    def paragraph_contents(self) -> list[Content]:
        """The text as drawn, one styled Content per paragraph or heading (for tests)."""
        body = self._body
        return [body.paragraph_content(i) for i in range(body.paragraph_count)]

    def page(self, step: int) -> None:
        if step > 0:
            self.scroll_page_down(animate=True)
        else:
            self.scroll_page_up(animate=True)
