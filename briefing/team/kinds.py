"""What a file merge gives back, shared by the kinds of file the driver merges."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class MergeRefused(ValueError):
    """The versions cannot be merged by briefing; the message says why."""


@dataclass(frozen=True)
class FileMerge:
    """What a merge made: the new file's bytes and one line per true conflict."""

    data: bytes
    conflicts: list[str] = field(default_factory=list)
    kind: str = ""


def plain(value: Any) -> str:
    return "(none)" if value is None else repr(value)
