"""Per-article reading state the list shows as markers.

The annotations store will back this later (status, tags, notes); until then
:class:`MemoryMarks` keeps read/unread in memory for the session. The reader only talks
to the :class:`ArticleMarks` interface.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Markers:
    """What a list row shows beside the title."""

    unread: bool = True
    flagged: bool = False
    tags: tuple[str, ...] = ()
    notes: int = 0


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
