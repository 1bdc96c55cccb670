"""The reading pane: details, the summary, then the full text with summary sentences marked.

Everything from the article is shown as plain Content (never markup). The text is one
:class:`~briefing.tui.widgets.article_body.ArticleBody`, which wraps the paragraphs
once and draws only the lines on screen; the reader gives it the styled Content of a
paragraph (summary sentences, the current one, search terms, the analyst's highlights)
when a paragraph is drawn, so changing a style redraws what is visible and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from textual.containers import VerticalScroll
from textual.content import Content
from textual.geometry import Region
from textual.widgets import Static

from briefing.model import Article, ArticleMeta
from briefing.querylang import Highlighter, QueryError, highlight_terms, parse
from briefing.sanitize import clean_line, clean_text
from briefing.tui import bindings
from briefing.tui.marking import (
    Paragraph,
    locate_sentences,
    mark_summary,
    split_paragraphs,
)
from briefing.tui.rows import HIGHLIGHT
from briefing.tui.selecting import find_quote
from briefing.tui.widgets.article_body import ArticleBody
from briefing.tui.widgets.details import Shown, details_content, header_content

SUMMARY_MARK = "underline $text-primary on $primary-muted"
QUOTE_MARK = "on $warning-muted"  # a passage the analyst highlighted (h)
CURRENT_MARK = "bold underline $text-accent on $accent-muted"  # the sentence . / , jumped to
CURRENT_MATCH = "bold reverse"  # the search match ] / [ went to
SELECTION_MARK = "reverse"  # the passage chosen in the selection mode (V)
CURSOR_MARK = "bold reverse $text-accent"  # the cursor of the selection mode
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
    authors = getattr(view, "show_authors", False)  # more than one author in the file
    if authors:
        changes = [f"{s.field} by {s.by}" + (f" · {s.at}" if s.at else "") for s in getattr(view, "changed", ()) if s.by]
        if changes:
            lines.append(Content.styled("last changed: " + "; ".join(changes), "dim italic"))
    for conflict in view.conflicts:
        kept = "—" if conflict.kept is None else conflict.kept
        other = "—" if conflict.other is None else conflict.other
        lines.append(Content.assemble(("conflict ", "bold $text-error"), f"{conflict.field}: kept {kept!r}, other {other!r} (! settles it)"))
    for number, h in enumerate(view.highlights, 1):
        quote = " ".join(h.quote.split())
        who = f"· {h.by} " if authors and getattr(h, "by", "") else ""
        lines.append(Content.assemble((f"Highlight {number} {who}", "bold $text-accent"), ("“", ""), (quote, "italic"), ("”", "")))
        if h.note.strip():
            mark = ("[private] ", "bold $text-warning") if getattr(h, "private", False) else ("", "")
            lines.append(Content.assemble(("    — ", "dim"), mark, h.note.strip()))
    for number, note in enumerate(view.notes, 1):
        when = f" · {note.at}" if note.at else ""
        if authors and getattr(note, "by", ""):
            when += f" · {note.by}"
        shared = " [private: kept out of exports; P shares it]" if getattr(note, "private", False) else ""
        lines.append(Content.styled(f"Note {number}{when}{shared}", "bold $text-accent"))
        for line in note.text.strip("\n").split("\n"):
            lines.append(Content("  " + line))
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
        self._marks = Highlighter()  # the search's words and phrases (the query language)
        self._query = ""  # the search text the marks were made from (the last that parsed)
        self._marks_lang: str | None = None  # the language whose stems the marks hold
        self._match: tuple[int, int, int] | None = None  # (paragraph, start, end) of the match ] / [ went to
        self._summary_args: tuple[list[str], str, str, int, str | None] | None = None
        self._quotes: list[tuple[str, int]] = []  # the analyst's highlights (quote, occurrence)
        self._quote_spans: list[tuple[int, int] | None] = []  # where each stands in the body (None: not found)
        self._overlay: list[tuple[int, int, str]] = []  # (start, end, style) in the body: the selection mode
        self._shown: Shown | None = None  # whose details the pane shows (i shows them all)

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
        self._shown = None
        self._paragraphs = []
        self._sentences = []
        self._mark_targets = []
        self._match = None
        self._summary_args = None
        self._shown = None
        meta = self.query_one("#reader-meta", Static)
        meta.remove_class("-header")  # a message wraps; the details' two lines do not
        meta.update(Content(clean_text(message)))
        self.show_keywords(None)
        self.query_one("#reader-notes", Static).display = False
        self.query_one("#reader-summary", Static).update(Content(""))
        self.query_one("#reader-summary").display = False
        self._body.show([], self._para_content)
        self.scroll_home(animate=False)

    def when_text_drawn(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` once the text of the article shown is on screen: after the
        frame that first draws it, or the layout that leaves it out of view
        (:meth:`ArticleBody.when_drawn`); after the next refresh when it was drawn
        already; at once when the pane is hidden (display off, or its screen not
        shown), since no layout or frame will come for it then."""
        body = self._body
        if body.drawn:
            self.call_after_refresh(callback)
        elif not self.screen.is_current or not all(node.display for node in self.ancestors_with_self):
            callback()
        else:
            body.when_drawn(callback)

    @property
    def _body(self) -> ArticleBody:
        return self.query_one("#reader-body", ArticleBody)

    def show_loading(self, meta: ArticleMeta) -> None:
        self.show_message("")
        self._show_meta(Shown(meta))

    def show_article(self, article: Article) -> None:
        self._article = article
        self._quotes = []
        self._quote_spans = []
        self._overlay = []
        self._paragraphs = split_paragraphs(article.body, article.headings)
        self._sentences = []
        self._mark_targets = []
        self._mark_position = self._mark_cursor = -1
        self._match = None
        self._summary_args = None
        self._show_meta(Shown(article.meta))
        self._body.show(self._paragraphs or [NO_TEXT], self._para_content)
        self.scroll_home(animate=False)

    def show_annotations(self, meta: ArticleMeta, view=None, origins: Mapping[str, str | None] | None = None) -> None:
        """The details with the analyst's corrections (``meta``) and their annotations
        (``view``, a briefing.annotations.ArticleView; None hides them). Highlighted
        passages are marked where they stand in the text. ``origins``: where a
        corrected title or date came from (see :func:`~briefing.tui.widgets.details.details_content`)."""
        # one entry per highlight, in the store's order (a blank quote is never found)
        quotes = [(" ".join(h.quote.split()), h.occurrence) for h in (view.highlights if view is not None else ())]
        if quotes != self._quotes:
            self._quotes = quotes
            body = self._article.body if self._article is not None else ""
            self._quote_spans = [find_quote(body, q, n) for q, n in quotes]
            self._restyle()
        self._show_meta(Shown(meta, view, origins or {}))
        if self._query and self._lang() != self._marks_lang:
            self.show_search(self._query)  # the article's language changed (O): its stems
        notes = self.query_one("#reader-notes", Static)
        content = _annotation_content(view) if view is not None else Content("")
        notes.update(content)
        notes.display = bool(content.plain)

    def _show_meta(self, shown: Shown) -> None:
        """The two header lines, with the search's matches marked in the title (its first line)."""
        self._shown = shown
        content = header_content(shown)
        title_end = content.plain.find("\n")
        title = content.plain if title_end == -1 else content.plain[:title_end]
        for start, end in self._marks.spans(title, "title"):
            content = content.stylize(HIGHLIGHT, start, end)
        meta = self.query_one("#reader-meta", Static)
        meta.add_class("-header")
        meta.update(content)

    def details(self) -> Content | None:
        """Every detail of the article shown (None when none is): the ``i`` view."""
        if self._shown is None:
            return None
        words = len(self._article.body.split()) if self._article is not None else None
        return details_content(self._shown, words)

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
        self._summary_args = (list(sentences), method, requested, length, note)
        summary = self.query_one("#reader-summary", Static)
        summary.display = True
        summary.update(self._summary_content())
        self._restyle()

    def _summary_content(self) -> Content:
        assert self._summary_args is not None
        _sentences, method, requested, length, note = self._summary_args
        lines = [self._summary_header(method, length, requested)]
        if note:
            lines.append(Content.styled(clean_line(note), "italic $text-warning"))
        if not self._sentences:
            lines.append(Content.styled("(no summary for this text)", "dim italic"))
        for sentence in self._sentences:
            line = Content(clean_line(sentence))
            for start, end in self._marks.spans(line.plain):
                line = line.stylize(HIGHLIGHT, start, end)
            lines.append(Content.assemble(("• ", "$text-primary"), line))
        return Content("\n").join(lines)

    def show_search(self, query: str) -> None:
        """Highlight ``query``'s words and phrases (the query language; the last word as
        typed is a prefix) in the title, the summary and the text (empty: none). A text
        that does not parse keeps the highlights of the last one that did. The
        article's language (the analyst's, else detected) adds the stems search
        matches on: ``удар`` marks ``ударів`` in a Ukrainian text."""
        lang = self._lang()
        try:
            marks = highlight_terms(parse(query, typing=True), lang) if query.strip() else Highlighter()
        except QueryError:
            return
        self._query, self._marks_lang = query, lang
        if marks == self._marks:
            return
        self._marks = marks
        self._match = None
        if self._shown is not None:
            self._show_meta(self._shown)
        if self._summary_args is not None:
            self.query_one("#reader-summary", Static).update(self._summary_content())
        self._restyle()

    def _lang(self) -> str | None:
        """The shown article's language: the details' meta (the analyst's language
        applied), else the article's own (detected)."""
        if self._shown is not None:
            return self._shown.meta.lang
        return self._article.meta.lang if self._article is not None else None

    def match_spans(self) -> list[tuple[int, int, int]]:
        """(paragraph, start, end) of every match of the search in the text, in order."""
        if self._marks.empty:
            return []
        return [(i, s, e) for i, p in enumerate(self._paragraphs) if p is not NO_TEXT for s, e in self._marks.spans(p.text)]

    @property
    def current_match(self) -> tuple[int, int, int] | None:
        return self._match

    def jump_match(self, step: int, *, animate: bool = True) -> tuple[int, int, int] | None:
        """Go to the next (1) or previous (-1) match of the search in the text and
        scroll it into view (the first / last when none is current); None: no match."""
        matches = self.match_spans()
        if not matches:
            return None
        if self._match in matches:
            index = (matches.index(self._match) + step) % len(matches)
        else:
            index = 0 if step > 0 else len(matches) - 1
        previous, self._match = self._match, matches[index]
        self._restyle_paragraphs({self._match[0]} | ({previous[0]} if previous else set()))
        self.call_after_refresh(self._scroll_to_match, self._match, animate)
        return self._match

    def _scroll_to_match(self, match: tuple[int, int, int], animate: bool) -> None:
        if self._match != match:
            return  # moved on since
        body = self._body
        top = body.virtual_region.y + body.row_of(match[0], match[1])
        self.scroll_to_region(Region(0, top, 1, 1), animate=animate, center=True, force=True)

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
        p_end = p.start + len(p.text)
        for span in self._quote_spans:
            if span is not None and span[0] < p_end and span[1] > p.start:
                content = content.stylize(QUOTE_MARK, max(span[0], p.start) - p.start, min(span[1], p_end) - p.start)
        if not self._marks.empty:
            for start, end in self._marks.spans(p.text):
                content = content.stylize(HIGHLIGHT, start, end)
            match = self._match
            if match is not None and 0 <= match[0] < len(self._paragraphs) and self._paragraphs[match[0]] is p:
                content = content.stylize(CURRENT_MATCH, match[1], match[2])
        for start, end, style in self._overlay:
            if start < p_end and end > p.start:
                content = content.stylize(style, max(start, p.start) - p.start, min(end, p_end) - p.start)
        return content

    def _restyle_paragraphs(self, paragraphs: set[int]) -> None:
        self._body.restyle(sorted(paragraphs))

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

    # --- the selection mode (V) and highlights: positions in the body ------------------

    @property
    def article(self) -> Article | None:
        """The article shown (None for a message)."""
        return self._article

    @property
    def highlight_spans(self) -> list[tuple[int, int] | None]:
        """Where each of the analyst's highlights stands in the body (None: not found)."""
        return list(self._quote_spans)

    def set_overlay(self, spans: list[tuple[int, int, str]]) -> None:
        """Styles over body offsets (the selection and its cursor); only the
        paragraphs they touch, before or now, are drawn again."""
        touched = self._paragraphs_touching([*self._overlay, *spans])
        self._overlay = list(spans)
        self._body.restyle(touched)

    def _paragraphs_touching(self, spans: list[tuple[int, int, str]]) -> list[int]:
        return [i for i, p in enumerate(self._paragraphs)
                if any(s < p.start + len(p.text) and e >= p.start for s, e, _ in spans)]

    def _paragraph_of(self, offset: int) -> int:
        """The paragraph holding body ``offset`` (the next one for an offset between two)."""
        for index, p in enumerate(self._paragraphs):
            if offset < p.start + len(p.text):
                return index
        return max(0, len(self._paragraphs) - 1)

    def scroll_to_offset(self, offset: int, *, top: bool = False) -> None:
        """Bring the line holding body ``offset`` into view (to the top with ``top``)."""
        if not self._paragraphs:
            return
        index = self._paragraph_of(offset)
        body = self._body
        row = body.row_of(index, offset - self._paragraphs[index].start)
        self.scroll_to_region(Region(0, body.virtual_region.y + row, 1, 1), animate=False, top=top, force=True)

    def offset_at_top(self) -> int:
        """The body offset of the first line of text in view (0 above the text)."""
        body = self._body
        row = max(0, int(self.scroll_y) - body.virtual_region.y)
        for candidate in range(row, body.row_count):
            found = body.position_at(candidate)
            if found is not None:
                index, offset = found
                return self._paragraphs[index].start + offset if index < len(self._paragraphs) else 0
        return 0

    def line_step(self, offset: int, step: int) -> int:
        """The body offset one drawn line below (step 1) or above (-1) ``offset``, in
        the same column as far as the line goes; ``offset`` at the first or last line."""
        if not self._paragraphs:
            return offset
        index = self._paragraph_of(offset)
        body = self._body
        local = offset - self._paragraphs[index].start
        row, column = body.row_of(index, local), body.line_column(index, local)
        target = row + step
        while 0 <= target < body.row_count:
            found = body.position_at(target, column)
            if found is not None:
                return self._paragraphs[found[0]].start + found[1]
            target += step
        return offset

    def selected_body_span(self) -> tuple[int, int] | None:
        """The mouse selection in the article's text as body offsets (None when there
        is none, or it is in another widget)."""
        body = self._body
        selection = self.screen.selections.get(body)
        if selection is None or not self._paragraphs or self._article is None:
            return None
        lines = body.text().split("\n")
        starts = [0]
        for line in lines:
            starts.append(starts[-1] + len(line) + 1)

        def text_offset(point, default: int) -> int:
            if point is None:
                return default
            y = max(0, min(point.y, len(lines) - 1))
            return starts[y] + max(0, min(point.x, len(lines[y])))

        total = starts[-1] - 1
        first, last = text_offset(selection.start, 0), text_offset(selection.end, total)
        return self._body_offset(first), self._body_offset(last)

    def _body_offset(self, text_offset: int) -> int:
        """A position in :meth:`ArticleBody.text` (paragraphs joined by blank lines) as a body offset."""
        at = 0
        for p in self._paragraphs:
            if text_offset <= at + len(p.text):
                return p.start + max(0, text_offset - at)
            at += len(p.text) + 2
        last = self._paragraphs[-1]
        return last.start + len(last.text)
