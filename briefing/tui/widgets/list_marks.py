"""The rows of the article list marked for a bulk action (m/space, J/K, ctrl+a, *).

Marks are kept by row key (an article id, or a story row's key), never one per listed
row: ctrl+a marks every row as one flag, and the keys then held are the exceptions
(the rows unmarked since), so marking a million rows costs nothing. Which articles a
bulk action touches follows from the keys and the layout (a marked story row stands
for every member of its story). :class:`BulkMarks` is that state, plain Python;
:class:`MarkedRows`, the list's part that marks and unmarks rows (its keys and
methods), redraws the rows concerned and says how many are marked
(:class:`~briefing.tui.widgets.list_messages.MarksChanged`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import TYPE_CHECKING, Any

from textual.message import Message

from briefing.listing.layout import ListLayout
from briefing.tui import stories as story_rows
from briefing.tui.widgets import list_draw
from briefing.tui.widgets.list_messages import MarksChanged
from briefing.tui.widgets.list_rows import row_keys


class BulkMarks:
    """Marked row keys; with ``every`` set, every row is marked but those keys."""

    def __init__(self) -> None:
        self.keys: dict[str, None] = {}  # marked keys (insertion order); the exceptions when ``every``
        self.every = False  # ctrl+a: every row marked but the keys held

    def __bool__(self) -> bool:
        """Some row may be marked (keys held, or every row)."""
        return bool(self.keys) or self.every

    def is_marked(self, key: str) -> bool:
        return (key in self.keys) != self.every

    def mark(self, key: str, marked: bool) -> None:
        if marked != self.every:
            self.keys[key] = None
        else:
            self.keys.pop(key, None)

    def count(self, rows: int) -> int:
        """How many of the ``rows`` listed rows are marked."""
        return rows - len(self.keys) if self.every else len(self.keys)

    def keys_in(self, layout: ListLayout | None) -> list[str]:
        """The marked keys, in list order when every row is marked (read from ``layout``)."""
        if not self.every:
            return list(self.keys)
        if layout is None:
            return []
        return [k for k in row_keys(layout) if k not in self.keys]

    def clear(self) -> tuple[list[str], bool]:
        """Unmark every row; the keys held before and whether every row was marked."""
        was = list(self.keys), self.every
        self.keys, self.every = {}, False
        return was

    def mark_all(self) -> None:
        self.keys, self.every = {}, True

    def invert(self) -> None:
        self.every = not self.every  # the exceptions stay the exceptions

    def rename(self, renamed: Mapping[str, str]) -> None:
        """Files renamed on disk (old id -> new id): their marks follow them."""
        if self.keys and renamed:
            self.keys = {renamed.get(key, key): None for key in self.keys}

    def keep_listed(self, old: ListLayout | None, new: ListLayout) -> bool:
        """Rows laid out again (``old`` -> ``new``): a row no longer listed cannot stay
        marked (a bulk action would hit it unseen), and every row marked becomes those
        rows' keys. True when a mark was dropped."""
        if not self:
            return False
        marked = self.keys_in(old)
        kept = {k: None for k in marked if new.row_of_key(k) is not None}
        self.keys, self.every = kept, False
        return len(kept) != len(marked)

    def unmark(self, members: Collection[str]) -> bool:
        """Unmark ``members`` (a story folded: its members out of sight); True when one was marked."""
        folded = [k for k in self.keys if k in members] if not self.every else []
        for member in folded:
            del self.keys[member]
        return bool(folded)

    def stories_of_marked(self, stories: Any) -> set[str]:
        """The ids of the stories holding a marked article (kept expanded: a marked
        article stays in sight)."""
        if stories is None or not self.keys or self.every:
            return set()
        found = (stories.story_of(key) for key in self.keys)
        return {story.id for story in found if story is not None}

    def article_ids(self, layout: ListLayout | None, stories: Any,
                    row_for_key: Callable[[str], int | None]) -> list[str]:
        """The articles of the marked rows, in list order (every member of a marked
        story); ``row_for_key``: the row of a key in ``layout``."""
        if layout is None or not self.count(layout.rows):
            return []
        keys = self.keys_in(layout)
        if not self.every:  # in list order
            placed = sorted((row, key) for key in keys if (row := row_for_key(key)) is not None)
            keys = [key for _row, key in placed]
        out: dict[str, None] = {}
        for key in keys:
            if story_rows.is_story_key(key):
                story = stories.get(key[len(story_rows.STORY_KEY):]) if stories is not None else None
                for article_id in (story.members if story is not None else ()):
                    out.setdefault(article_id, None)
            else:
                out.setdefault(key, None)
        return list(out)


class MarkedRows:
    """The article list's marks for a bulk action: m/space and J/K on the cursor's row,
    ctrl+a, *, clearing, and which articles they stand for (mixed into
    :class:`~briefing.tui.widgets.article_list.ArticleList`, whose rows it reads)."""

    _bulk: BulkMarks  # (set by the list)
    if TYPE_CHECKING:  # the list's, which the marks read and redraw
        _layout: ListLayout | None
        _stories: Any

        @property
        def rows_count(self) -> int: ...
        def _row_for_key(self, key: str | None) -> int | None: ...
        def _cursor_key(self) -> str | None: ...
        def _step(self, step: int) -> None: ...
        def refresh_key(self, key: str) -> None: ...
        def redraw_rows(self) -> None: ...
        def post_message(self, message: Message) -> bool: ...

    def rename(self, renamed: Mapping[str, str]) -> None:
        """Files renamed on disk (old id -> new id): their marks follow them (call
        before listing the new ids)."""
        self._bulk.rename(renamed)

    def clear_marks(self) -> bool:
        """Unmark every row; False when none was marked."""
        if not self.marked_count:
            return False
        marked, was_all = self._bulk.clear()
        if was_all or len(marked) > list_draw.ROWS_KEPT:  # e.g. after ctrl+a: the rows on screen drawn again, not each row
            self.redraw_rows()
        else:
            for key in marked:
                self.refresh_key(key)
        self.post_message(MarksChanged(0))
        return True

    @property
    def marked_ids(self) -> list[str]:
        """The articles of the marked rows, in list order (every member of a marked story)."""
        return self._bulk.article_ids(self._layout, self._stories, self._row_for_key)

    @property
    def marked_count(self) -> int:
        return self._bulk.count(self.rows_count)

    def action_toggle_mark(self) -> None:
        """Mark or unmark the highlighted row, then move down (to mark a run quickly).
        A marked story row stands for every member of its story."""
        key = self._cursor_key()
        if key is None:
            return
        self._bulk.mark(key, not self._bulk.is_marked(key))
        self.refresh_key(key)
        self.post_message(MarksChanged(self.marked_count))
        self._step(1)

    def mark_all(self) -> int:
        """Mark every row listed (the list as searched and filtered); returns how many
        rows are marked. No key is kept per row: a redraw of the rows on screen, at
        any list size."""
        self._bulk.mark_all()
        self.redraw_rows()
        self.post_message(MarksChanged(self.marked_count))
        return self.marked_count

    def invert_marks(self) -> int:
        """Mark the rows that were not marked and unmark the others; returns how many
        rows are marked now."""
        self._bulk.invert()
        self.redraw_rows()
        self.post_message(MarksChanged(self.marked_count))
        return self.marked_count

    @property
    def all_marked(self) -> bool:
        """Every listed row is marked (and there is at least one)."""
        total = self.rows_count
        return bool(total) and self.marked_count == total

    def action_extend_marks(self, step: int) -> None:
        """J / shift+down (step 1), K / shift+up (step -1): mark the highlighted row
        (it stays marked when it already was) and move on, so a run is marked by
        holding one key."""
        key = self._cursor_key()
        if key is None:
            return
        if not self._bulk.is_marked(key):
            self._bulk.mark(key, True)
            self.refresh_key(key)
            self.post_message(MarksChanged(self.marked_count))
        self._step(step)
