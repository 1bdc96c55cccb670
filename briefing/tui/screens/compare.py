"""The comparison of a story's versions (``c`` in the list or the reader).

The screen opens at once and compares in a worker thread (reading the members'
files and aligning their sentences can take a moment on long articles); a result
that arrives after the screen moved on is dropped. ``n``/``p`` move between the
differences, ``a`` cites the selected one into the notes of the first version (the
article the comparison was opened from; ``o`` picks another) through the reader's
annotation store: one note, undoable with ctrl+z like any other, saved the way every
annotation is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import get_current_worker

from briefing.corpus.view import CorpusView
from briefing.model import ArticleMeta
from briefing.sanitize import clean_line, shorten
from briefing.tui import bindings
from briefing.tui.messages import ComparisonFailed, ComparisonReady
from briefing.tui.widgets.comparison import (
    KIND_LABELS,
    ComparisonView,
    counts_line,
    kind_style,
    legend,
)
from briefing.tui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from briefing.stories.compare import Comparison

TITLE_MAX = 70

# cite(article_id, text) -> True when the note was saved (the caller says where it went)
CiteInto = Callable[[str, str], bool]


def _short(text: str, limit: int = TITLE_MAX) -> str:
    return shorten(text, limit)


def member_lines(metas: Sequence[ArticleMeta]) -> Content:
    """One line per version: its number, date, title and file (plain text)."""
    lines = []
    for i, meta in enumerate(metas):
        date = meta.date.isoformat() if meta.date else "undated"
        lines.append(Content.assemble(
            (f"{i + 1} ", "bold"),
            (f"{date:<10} ", "" if meta.date else "dim"),
            (_short(meta.title) or _short(meta.id), "bold" if i == 0 else ""),
            ("  " + _short(meta.id, 40), "dim"),
        ))
    return Content("\n").join(lines)


class CompareScreen(Screen):
    """``ids``: the versions to compare, the one whose notes take citations first."""

    BINDINGS = bindings.COMPARE_SCREEN

    def __init__(self, corpus: CorpusView, metas: Sequence[ArticleMeta], *, cite_into: CiteInto | None = None,
                 story_size: int | None = None) -> None:
        super().__init__()
        self.corpus = corpus
        self.metas = list(metas)  # as the list shows them (the analyst's titles and dates)
        self.ids = [m.id for m in self.metas]
        self.cite_into = cite_into
        self.story_size = story_size if story_size is not None else len(self.metas)
        self.result: Comparison | None = None
        self.own = 0  # the version whose notes take citations
        self._token = 0

    def compose(self) -> ComposeResult:
        yield Static(id="compare-title")
        yield Static(id="compare-summary")
        yield ComparisonView(id="comparison")
        yield Static(id="compare-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        what = f"Story · {self.story_size} sources" if self.story_size == len(self.metas) else f"{len(self.metas)} versions"
        head = Content.assemble((f"Compare · {what}", "bold $text-accent"), ("   escape goes back", "dim"))
        self.query_one("#compare-title", Static).update(Content("\n").join([head, member_lines(self.metas)]))
        self.query_one("#compare-summary", Static).update(Content.styled("comparing…", "dim italic"))
        self.query_one("#compare-status", Static).update(Content(""))
        self.query_one(ComparisonView).focus()
        self.compute()

    # --- the work ---------------------------------------------------------------------

    def compute(self) -> None:
        self._token += 1
        self._compare(self._token, self.corpus, list(self.ids), list(self.metas))

    @work(thread=True, exclusive=True, group="compare", exit_on_error=False, description="compare story")
    def _compare(self, token: int, corpus: CorpusView, ids: list[str], metas: list[ArticleMeta]) -> None:
        from briefing.stories.compare import (
            compare,  # ~80 ms of imports: when a comparison is made
        )

        worker = get_current_worker()
        try:
            articles = [corpus.article(article_id) for article_id in ids]
            if worker.is_cancelled:
                return
            # Article is frozen; compare's _Member protocol declares settable fields (core, typed there)
            result = compare(articles)  # type: ignore[arg-type]
        except Exception as exc:  # noqa: BLE001 - an unreadable file or a bug: say so, never a traceback
            if not worker.is_cancelled:
                self.post_message(ComparisonFailed(token, f"Cannot compare: {type(exc).__name__}: {exc}"))
            return
        if not worker.is_cancelled:
            self.post_message(ComparisonReady(token, result, metas))

    def on_comparison_ready(self, message: ComparisonReady) -> None:
        if message.token != self._token:
            return  # a later comparison replaced it
        self.result = message.result
        if message.result.ids:  # o may have gone past the versions compared (at most 16)
            self.own %= len(message.result.ids)
        lines = [legend(), counts_line(message.result)]
        if message.result.note:
            lines.append(Content.styled(clean_line(message.result.note), "italic $text-warning"))
        self.query_one("#compare-summary", Static).update(Content("\n").join(lines))
        view = self.query_one(ComparisonView)
        view.show(message.result)
        if view.difference is not None:
            view.select(0)
        self._show_status()

    def on_comparison_failed(self, message: ComparisonFailed) -> None:
        if message.token != self._token:
            return
        self.query_one("#compare-summary", Static).update(Content.styled(clean_line(message.message), "$text-error"))

    # --- keys -------------------------------------------------------------------------

    def _show_status(self) -> None:
        view = self.query_one(ComparisonView)
        status = self.query_one("#compare-status", Static)
        diff = view.difference
        if self.result is None:
            status.update(Content(""))
            return
        if diff is None:
            status.update(Content.styled("No differences: nothing to cite.", "dim"))
            return
        total = len(self.result.differences)
        own = self.own
        where = _short(self.metas[own].title) or _short(self.metas[own].id)
        status.update(Content.assemble(
            (f"difference {(view.selected or 0) + 1} of {total}", "bold"),
            (" · ", "dim"),
            (KIND_LABELS[diff.kind][0], kind_style(diff.kind)),
            (f" · row {diff.row + 1}", "dim"),
            (f"  ·  a cites it into the notes of {own + 1} ", "dim"),
            (f"“{_short(where, 40)}”", "dim italic"),
        ))

    def action_step(self, step: int) -> None:
        view = self.query_one(ComparisonView)
        if view.difference is None:
            self.app.bell()
            return
        view.select((view.selected or 0) + step)
        self._show_status()

    def cite_line(self) -> str | None:
        """The note the selected difference makes for the first version, or None."""
        from briefing.stories.compare import cite  # loaded by the comparison already

        diff = self.query_one(ComparisonView).difference
        if diff is None or self.result is None:
            return None
        return cite(diff, self.metas[: len(self.result.ids)], own=self.own)

    def action_cite(self) -> None:
        line = self.cite_line()
        if line is None:
            self.app.bell()
            self.app.notify("No difference to cite." if self.result is not None else "Still comparing…",
                            timeout=3, markup=False)
            return
        if self.cite_into is None:
            self.app.bell()
            return
        self.cite_into(self.ids[self.own], line)

    def action_next_own(self) -> None:
        """Cite into the next version's notes instead (o)."""
        count = len(self.result.ids) if self.result is not None else len(self.ids)
        if count < 2:
            self.app.bell()
            return
        self.own = (self.own + 1) % count
        self._show_status()

    def action_close(self) -> None:
        self.dismiss(None)
