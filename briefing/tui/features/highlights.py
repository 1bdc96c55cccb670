"""Highlight anything: the selection mode (``V``), the list of highlights (``L``),
jumping between them (``>`` / ``<``), editing and deleting them (undoable), and the
word-edge snapping of a mouse selection saved with ``h``.

The cursor and the selection are offsets into the open article's body; the reading
pane draws them as styles over the plain text (never markup). A highlight keeps the
quote (its words, single-spaced, as ``h`` always did) and, when the quote occurs
more than once in the text, which occurrence it is; one the text no longer holds is
listed as not found and kept.
"""

from __future__ import annotations

from briefing.sanitize import clean_line
from briefing.tui import selecting
from briefing.tui.features.host import AnnotationsHost
from briefing.tui.screens.highlight import HighlightScreen
from briefing.tui.screens.highlights import HighlightItem, HighlightsScreen
from briefing.tui.selecting import Passage
from briefing.tui.widgets.reader import CURSOR_MARK, SELECTION_MARK, Reader
from briefing.tui.widgets.selection_bar import SelectionBar

SHOWN = 60  # characters of the selection the hint line shows


def mouse_passage(reader: Reader) -> Passage | None:
    """The mouse selection in the reading pane, snapped to word edges: in the text,
    where it stands; in the summary, found in the text when it is there (else its
    words as selected). None when nothing is selected."""
    article = reader.article
    span = reader.selected_body_span()
    if article is not None and span is not None:
        found = selecting.passage(article.body, *span)
        if found is not None:
            return found
    text = reader.selected_text().strip()
    if not text:
        return None
    if article is not None:
        where = selecting.find_quote(article.body, selecting.quote_of(text))
        if where is not None:
            return selecting.passage(article.body, *where)
    return Passage(selecting.quote_of(text), 1, 0, 0)


class Highlights:
    def __init__(self, host: AnnotationsHost) -> None:
        self.host = host
        self.active = False
        self.cursor = 0
        self.anchor: int | None = None
        self._article_id: str | None = None
        self._body = ""
        self._sentences: list[int] = []
        self._paragraphs: list[int] = []
        self._bar: SelectionBar | None = None
        self.current = -1  # the highlight > / < or the list jumped to last

    # --- the selection mode ------------------------------------------------------------

    def enter(self) -> None:
        """``V``: a cursor in the article's text, at the first line in view."""
        host = self.host
        article = host.reader.article
        if host.state.current_id is None or article is None or article.id != host.state.current_id:
            host.refuse("Open an article first: V selects a passage of the article being read.")
            return
        if not article.body.strip():
            host.refuse("This article has no text to select.")
            return
        if host.writable_store() is None:
            return
        self._article_id, self._body = article.id, article.body
        self._sentences = selecting.sentence_starts(article.body)
        self._paragraphs = selecting.paragraph_starts(article.body)
        top = host.reader.offset_at_top()
        start, _ = selecting.word_at(self._body, top)
        self.cursor = start if self._body[start:start + 1].strip() else selecting.next_word(self._body, start)
        self.anchor = None
        self.active = True
        self._bar = SelectionBar(self)
        host.node.mount(self._bar)
        self._bar.focus()
        self._draw()

    def _still_shown(self) -> bool:
        """The article selected in is still the one shown (else the mode ends, saying why)."""
        article = self.host.reader.article
        if article is not None and article.id == self._article_id and article.body == self._body:
            return True
        self.leave()
        self.host.refuse("The article shown changed: the selection mode ended (V starts it again).")
        return False

    def move(self, kind: str, step: int) -> None:
        if not self._still_shown():
            return
        body, cursor = self._body, self.cursor
        if kind == "word":
            cursor = selecting.next_word(body, cursor) if step > 0 else selecting.previous_word(body, cursor)
        elif kind == "char":
            cursor = max(0, min(len(body) - 1, cursor + step))
        elif kind == "line":
            cursor = self.host.reader.line_step(cursor, step)
        elif kind == "sentence":
            cursor = selecting.step_to(self._sentences, cursor, step)
        elif kind == "paragraph":
            cursor = selecting.step_to(self._paragraphs, cursor, step)
        if cursor == self.cursor:
            self.host.node.app.bell()
            return
        self.cursor = cursor
        self._draw()

    def toggle_extend(self) -> None:
        """``v`` / space: extend the selection from here as the cursor moves, or drop it."""
        if not self._still_shown():
            return
        self.anchor = self.cursor if self.anchor is None else None
        self._draw()

    def select_sentence(self) -> None:
        """``s``: select the sentence under the cursor (motions extend it further)."""
        if not self._still_shown():
            return
        start, end = selecting.sentence_at(self._body, self.cursor)
        self.anchor, self.cursor = start, max(start, end - 1)
        self._draw()

    def span(self) -> tuple[int, int] | None:
        """The selected passage (body offsets, whole words), None when not extending."""
        if self.anchor is None:
            return None
        low, high = min(self.anchor, self.cursor), max(self.anchor, self.cursor)
        start, end = selecting.snap(self._body, low, high + 1)
        return (start, end) if start < end else None

    def chosen(self) -> Passage | None:
        """What ``enter`` keeps: the selection, else the sentence under the cursor."""
        span = self.span() or selecting.sentence_at(self._body, self.cursor)
        return selecting.passage(self._body, *span)

    def describe(self) -> str:
        chosen = self.chosen()
        if chosen is None:
            return "Nothing here to keep: move to some text."
        quote = chosen.quote if len(chosen.quote) <= SHOWN else chosen.quote[: SHOWN - 1] + "…"
        if self.anchor is None:
            return f"enter keeps the sentence under the cursor: “{quote}” (v extends a selection)"
        return f"Selected {len(chosen.quote.split())} word(s): “{quote}”"

    def save(self) -> None:
        """``enter``: ask for an optional comment, save, leave the mode."""
        host = self.host
        if not self._still_shown():
            return
        chosen, article_id = self.chosen(), self._article_id
        store = host.writable_store()
        if chosen is None or article_id is None or store is None:
            if chosen is None:
                host.node.app.bell()
            return

        def done(comment: str | None) -> None:
            if comment is None:
                return  # back in the selection mode
            change = host.apply_change(
                lambda: store.add_highlight(article_id, chosen.quote, comment, chosen.occurrence), reorder=False)
            if change is not None:
                self.leave()
                host.node.app.notify("Highlight saved (L lists them; ctrl+z undoes).", timeout=3, markup=False)

        host.node.app.push_screen(HighlightScreen(chosen.quote), done)

    def leave(self) -> None:
        """``escape``: the cursor and the selection go; the article stays where it is."""
        if not self.active:
            return
        self.active = False
        self.host.reader.set_overlay([])
        bar, self._bar = self._bar, None
        if bar is not None:
            if bar.has_focus:
                self.host.reader.focus()
            bar.remove()

    def _draw(self) -> None:
        spans: list[tuple[int, int, str]] = []
        span = self.span()
        if span is not None:
            spans.append((span[0], span[1], SELECTION_MARK))
        start, end = selecting.word_at(self._body, self.cursor)
        spans.append((start, max(end, start + 1), CURSOR_MARK))
        reader = self.host.reader
        reader.set_overlay(spans)
        reader.scroll_to_offset(self.cursor)

    # --- the list, jumps, edits --------------------------------------------------------

    def items(self, article_id: str) -> list[HighlightItem]:
        store = self.host.store
        if store is None:
            return []
        spans = self.host.reader.highlight_spans if self.host.reader.article is not None else []
        found = [i < len(spans) and spans[i] is not None for i in range(len(store.get(article_id).highlights))]
        return [HighlightItem(h.quote, h.note, found[i], h.occurrence)
                for i, h in enumerate(store.get(article_id).highlights)]

    def show_list(self, chosen: int = 0) -> None:
        """``L``: the open article's highlights."""
        host = self.host
        article_id = host.state.current_id
        if article_id is None or host.reader.article is None:
            host.refuse("Open an article first: L lists its highlights.")
            return
        if host.store is None:
            host.refuse("Annotations are not open yet.")
            return
        items = self.items(article_id)
        if not items:
            host.refuse("No highlights in this article yet: V selects a passage, h keeps a summary sentence.")
            return
        corpus = host.state.corpus
        title = clean_line(host.shown_meta(corpus.get(article_id)).title) if corpus is not None else article_id
        what = f"“{title[:50]}{'…' if len(title) > 50 else ''}”"

        def done(result: tuple[str, int] | None) -> None:
            if result is None or host.state.current_id != article_id:
                return
            action, index = result
            if action == "jump":
                self.jump_to(index)
            elif action == "edit":
                self.edit(article_id, index)
            elif action == "delete":
                self.delete(article_id, index)

        host.node.app.push_screen(HighlightsScreen(what, items, chosen), done)

    def edit(self, article_id: str, index: int) -> None:
        host = self.host
        store = host.writable_store()
        if store is None:
            return
        highlight = store.get(article_id).highlights[index]

        def done(comment: str | None) -> None:
            if comment is not None and comment != highlight.note:
                host.apply_change(lambda: store.edit_highlight(article_id, index, comment), reorder=False)
            self.show_list(index)

        host.node.app.push_screen(HighlightScreen(highlight.quote, highlight.note, editing=True), done)

    def delete(self, article_id: str, index: int) -> None:
        host = self.host
        store = host.writable_store()
        if store is None:
            return
        if host.apply_change(lambda: store.delete_highlight(article_id, index), reorder=False) is not None:
            host.node.app.notify("Highlight deleted (ctrl+z brings it back).", timeout=3, markup=False)
        if store.get(article_id).highlights:
            self.show_list(max(0, index - 1) if index >= len(store.get(article_id).highlights) else index)

    def jump_to(self, index: int) -> bool:
        """Scroll the text to highlight ``index``; False (and a message) when not found."""
        spans = self.host.reader.highlight_spans
        if not 0 <= index < len(spans) or spans[index] is None:
            self.host.refuse(f"Highlight {index + 1} is not in the text any more (the article changed); it is kept.")
            return False
        self.current = index
        start, _ = spans[index]  # type: ignore[misc]
        self.host.reader.scroll_to_offset(start, top=True)
        return True

    def jump(self, step: int) -> None:
        """``>`` / ``<``: the next / previous highlight in the text (in text order)."""
        spans = self.host.reader.highlight_spans if self.host.reader.article is not None else []
        order = sorted((span[0], i) for i, span in enumerate(spans) if span is not None)
        if not order:
            self.host.refuse("No highlight in this text to jump to (V selects a passage).")
            return
        place = next((k for k, (_, i) in enumerate(order) if i == self.current), None)
        if place is None:
            place = 0 if step > 0 else len(order) - 1
        else:
            place = (place + step) % len(order)
        index = order[place][1]
        if self.jump_to(index):
            store = self.host.store
            note = ""
            if store is not None and self.host.state.current_id is not None:
                highlights = store.get(self.host.state.current_id).highlights
                note = clean_line(highlights[index].note) if index < len(highlights) else ""
            self.host.node.app.notify(f"Highlight {index + 1} of {len(spans)}" + (f": {note}" if note else ""),
                                      timeout=3, markup=False)
