"""What the features need of the screen that holds them.

The main screen implements every protocol here; a feature is typed against the
smallest one that covers what it uses, so what it can reach is written down.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from textual.screen import Screen

    from briefing.annotations import AnnotationStore, Change
    from briefing.model import ArticleMeta
    from briefing.tui.marks import ArticleMarks
    from briefing.tui.state import ReaderState, Selection, Targets
    from briefing.tui.widgets.article_list import ArticleList
    from briefing.tui.widgets.reader import Reader


class Host(Protocol):
    """Every feature: the screen (its app, workers, timers and messages) and the state."""

    @property
    def node(self) -> Screen[Any]: ...

    @property
    def state(self) -> ReaderState: ...

    @property
    def reader(self) -> Reader: ...

    @property
    def articles(self) -> ArticleList: ...

    def show_status(self, busy: str = "") -> None: ...

    def refuse(self, text: str) -> None: ...


class ListHost(Host, Protocol):
    """A feature that changes what the list shows."""

    def show_list(self) -> None: ...

    def selection(self) -> Selection: ...


class AnnotationsHost(ListHost, Protocol):
    """A feature that reads or changes annotations (through the annotate feature)."""

    @property
    def marks(self) -> ArticleMarks: ...

    @property
    def store(self) -> AnnotationStore | None: ...

    def writable_store(self) -> AnnotationStore | None: ...

    def shown_meta(self, meta: ArticleMeta) -> ArticleMeta: ...

    def apply_change(
        self, do: Callable[[], Change | None], *, reorder: bool = True, chosen: Targets | None = None
    ) -> Change | None: ...


class AnnotateHost(ListHost, Protocol):
    """The annotate feature: the markers it changes, and the redraw after a change."""

    @property
    def marks(self) -> ArticleMarks: ...

    def after_change(self, ids: list[str], *, reorder: bool = True) -> None: ...
