"""Per-article reading state the list shows as markers.

The reader talks to the :class:`ArticleMarks` interface. :class:`MemoryMarks` keeps
read/unread in memory (until the annotations are open, or when they are given by a
test); :class:`StoreMarks` reads the annotations store, once it is attached.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from briefing.annotations import AnnotationError, AnnotationStore


@dataclass(frozen=True)
class Markers:
    """What a list row shows beside the title."""

    unread: bool = True
    flagged: bool = False
    tags: tuple[str, ...] = ()
    notes: int = 0
    dismissed: bool = False
    auto_tags: tuple[str, ...] = ()  # applied by watchlists (shown +tag)


class ArticleMarks(Protocol):
    def markers(self, article_id: str) -> Markers: ...

    def mark_read(self, article_id: str) -> None: ...


class MemoryMarks:
    """Read state for one session: every article starts unread."""

    def __init__(self) -> None:
        self._read: set[str] = set()

    def markers(self, article_id: str) -> Markers:
        return Markers(unread=article_id not in self._read)

    def mark_read(self, article_id: str) -> None:
        self._read.add(article_id)


class StoreMarks:
    """Markers read from the annotations store (status, analyst tags, notes).

    Before :meth:`attach` (the corpus is still loading) it behaves like
    :class:`MemoryMarks`. ``mark_read`` never raises: a read-only store or a failed
    save leaves the state as it was, and the error goes to ``on_error`` (once per
    message, so opening article after article does not repeat it).
    """

    def __init__(self) -> None:
        self.store: AnnotationStore | None = None
        self._memory = MemoryMarks()
        self.on_error: Callable[[str], object] | None = None
        self._said: set[str] = set()

    def attach(self, store: AnnotationStore) -> None:
        self.store = store

    def markers(self, article_id: str) -> Markers:
        store = self.store
        if store is None:
            return self._memory.markers(article_id)
        notes = store.get(article_id)
        if store.read_only:
            unread = not notes.read and self._memory.markers(article_id).unread
        else:
            unread = not notes.read
        return Markers(unread=unread, flagged=notes.flagged, tags=tuple(notes.tags), notes=len(notes.notes),
                       dismissed=notes.dismissed, auto_tags=tuple(notes.auto_tags))

    def mark_read(self, article_id: str) -> None:
        """Mark read in memory at once; the file is written by :meth:`flush` (the
        reader calls it a moment after the last open, and when it closes) or by the
        next annotation the analyst saves. Off the undo list: ctrl+z undoes
        deliberate changes only."""
        store = self.store
        self._memory.mark_read(article_id)
        if store is None or store.read_only:
            return  # the session still shows it read (memory)
        try:
            store.mark_read_later(article_id)
        except (AnnotationError, ValueError) as exc:
            self._report(str(exc))

    @property
    def unsaved(self) -> bool:
        """Read marks wait to be written."""
        store = self.store
        return store is not None and bool(store.unsaved_reads)

    def flush(self) -> None:
        """Write the read marks not saved yet (nothing when there are none). Never
        raises: a failure goes to ``on_error`` and the marks stay pending."""
        store = self.store
        if store is None or not store.unsaved_reads:
            return
        try:
            store.flush_reads()  # a merge with another program's changes is silent, as before
        except AnnotationError as exc:
            self._report(str(exc))

    def _report(self, message: str) -> None:
        if message not in self._said and self.on_error is not None:
            self._said.add(message)
            self.on_error(message)
