"""The errors the annotation store raises: each carries a message to show as is."""

from __future__ import annotations


class AnnotationError(Exception):
    """Base of the errors a caller should show to the user as they are."""


class ReadOnlyError(AnnotationError):
    """The store cannot save: the file is invalid, unreadable or not writable."""


class SaveError(AnnotationError):
    """A save failed (disk full, permission, lock timeout); nothing was changed."""


class CorpusGoneError(SaveError):
    """The folder the annotations were opened in was moved, deleted or replaced
    while open: nothing is saved (the old folder is never recreated). The changes
    stay in memory; the message says what happened, to show as it is."""


class UnknownArticle(AnnotationError, KeyError):
    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else "unknown article"
