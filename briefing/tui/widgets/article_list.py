"""The article list: rows grouped under day headings, newest day first, undated last."""

from __future__ import annotations

from typing import Mapping, Sequence

from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from briefing.corpus.search import SearchHit
from briefing.model import ArticleMeta
from briefing.tui import rows
from briefing.tui.marks import ArticleMarks


class ArticleList(OptionList):
    """Headings are disabled options; article options carry the article id as option id."""

    DEFAULT_CSS = ""  # styles live in styles/main.tcss

    BINDINGS = [
        Binding("down,j", "cursor_down", "Down", id="list-down", show=False),
        Binding("up,k", "cursor_up", "Up", id="list-up", show=False),
        Binding("enter,l", "select", "Open", id="open"),
    ]

    class Open(Message):
        """The user chose an article (enter, l or a click)."""

        def __init__(self, article_id: str) -> None:
            super().__init__()
            self.article_id = article_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self._metas: dict[str, ArticleMeta] = {}
        self._order: list[str] = []  # article ids as listed
        self._hits: Mapping[str, SearchHit] | None = None
        self._marks: ArticleMarks | None = None

    # --- attributes down ---------------------------------------------------------

    def show_articles(
        self,
        metas: Sequence[ArticleMeta],
        marks: ArticleMarks,
        hits: Mapping[str, SearchHit] | None = None,
    ) -> None:
        """List ``metas`` (already in corpus order); with ``hits``, only those, with snippets."""
        keep = self.highlighted_id
        self._marks = marks
        self._hits = hits
        shown = [m for m in metas if hits is None or m.id in hits]
        self._metas = {m.id: m for m in shown}
        self._order = [m.id for m in shown]
        options: list[Option] = []
        for day, group in rows.group_by_day(shown):
            options.append(Option(rows.heading(day, len(group)), disabled=True))
            for meta in group:
                options.append(Option(self._row(meta), id=meta.id))
        self.clear_options()
        self.add_options(options)
        if keep in self._metas:
            self.highlight_id(keep)
        elif self._order:
            self.highlight_id(self._order[0])

    def refresh_row(self, article_id: str) -> None:
        meta = self._metas.get(article_id)
        if meta is not None:
            self.replace_option_prompt(article_id, self._row(meta))

    def highlight_id(self, article_id: str) -> None:
        try:
            self.highlighted = self.get_option_index(article_id)
        except Exception:  # not listed (filtered out by a search)
            return

    def _row(self, meta: ArticleMeta):
        assert self._marks is not None
        hit = self._hits.get(meta.id) if self._hits is not None else None
        return rows.article_row(meta, self._marks.markers(meta.id), hit)

    # --- queries -------------------------------------------------------------------

    @property
    def shown_ids(self) -> list[str]:
        return list(self._order)

    @property
    def highlighted_id(self) -> str | None:
        if self.highlighted is None:
            return None
        try:
            return self.get_option_at_index(self.highlighted).id
        except Exception:
            return None

    def neighbour(self, article_id: str | None, step: int) -> str | None:
        """The article ``step`` rows after ``article_id`` (or the highlighted one), if any."""
        if not self._order:
            return None
        current = article_id if article_id in self._metas else self.highlighted_id
        if current not in self._metas:
            return self._order[0] if step > 0 else self._order[-1]
        index = self._order.index(current) + step
        if 0 <= index < len(self._order):
            return self._order[index]
        return None

    # --- messages up ---------------------------------------------------------------

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Open(event.option.id))
