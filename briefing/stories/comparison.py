"""The result of comparing the versions of a story: rows of aligned cells with their
marks, and the differences (frozen; offsets into each cell's text)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from briefing.stories.kinds import KINDS

RANK = {kind: i for i, kind in enumerate(KINDS)}  # most important kind first


class Mark(NamedTuple):
    """A marked run of a cell's text: ``text[start:end]`` differs, as ``kind``."""

    start: int
    end: int
    kind: str


@dataclass(frozen=True, slots=True)
class Cell:
    """One member's sentence in a row."""

    text: str  # the sentence exactly as it stands in the member's body
    sentence: int  # its position among the member's sentences (0-based)
    start: int  # offset of ``text`` in the member's body
    marks: tuple[Mark, ...] = ()  # sorted, never overlapping

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass(frozen=True, slots=True)
class Row:
    """Sentences of the members that say the same thing (one cell per member, None
    for a member without such a sentence)."""

    cells: tuple[Cell | None, ...]
    similarity: float  # lowest pairing score in the row (1.0 alone or identical words)
    kinds: tuple[str, ...] = ()  # kinds of difference in this row, most important first


@dataclass(frozen=True, slots=True)
class Difference:
    """One thing the members say differently.

    ``texts[i]`` is what member ``i`` says at this point (its words, or its whole
    sentence for kind ``only``); None when member ``i`` has nothing there (no such
    sentence, or the item is missing from its sentence). ``spans[i]`` is where that
    text stands in member ``i``'s cell of ``row`` (None with the text).
    """

    kind: str
    texts: tuple[str | None, ...]
    row: int
    spans: tuple[tuple[int, int] | None, ...]


@dataclass(frozen=True, slots=True)
class Comparison:
    """The aligned members of a story and their differences."""

    ids: tuple[str, ...]  # the members compared, reference first
    rows: tuple[Row, ...]
    differences: tuple[Difference, ...]  # by row, then most important kind first
    note: str | None = None  # plain words when a bound cut the input

    def counts(self) -> dict[str, int]:
        """How many differences of each kind (every kind present, most important first)."""
        out = {kind: 0 for kind in KINDS}
        for diff in self.differences:
            out[diff.kind] += 1
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "ids": list(self.ids),
            "note": self.note,
            "counts": self.counts(),
            "rows": [
                {
                    "similarity": round(row.similarity, 3),
                    "kinds": list(row.kinds),
                    "cells": [
                        None
                        if cell is None
                        else {
                            "text": cell.text,
                            "sentence": cell.sentence,
                            "start": cell.start,
                            "marks": [list(m) for m in cell.marks],
                        }
                        for cell in row.cells
                    ],
                }
                for row in self.rows
            ],
            "differences": [
                {
                    "kind": d.kind,
                    "row": d.row,
                    "texts": list(d.texts),
                    "spans": [list(s) if s is not None else None for s in d.spans],
                }
                for d in self.differences
            ],
        }
