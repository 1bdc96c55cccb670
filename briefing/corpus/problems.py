"""What goes wrong while loading a corpus: reported, never fatal."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LoadProblem:
    """A file (or folder) that was skipped or only partly read, and why."""

    id: str  # the file, relative to the corpus root ("/"-separated)
    message: str

    def __str__(self) -> str:
        return f"{self.id}: {self.message}"


class ArticleError(Exception):
    """A file that cannot be read as an article; the message says why."""

    def __init__(self, message: str, id: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.id = id

    def problem(self, id: str | None = None) -> LoadProblem:
        return LoadProblem(id or self.id, self.message)

    def __str__(self) -> str:
        return f"{self.id}: {self.message}" if self.id else self.message
