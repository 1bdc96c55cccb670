"""The plain data the whole application passes around.

Nothing here imports textual, sumy or any I/O library: these are values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class ArticleMeta:
    """Everything the list needs about an article, without its body."""

    id: str  # path relative to the corpus root, "/"-separated, with extension
    path: str  # absolute path of the file as found
    title: str
    title_derived: bool  # True when the file had no headline and the title was made from the text
    date: dt.date | None
    author: str | None
    source: str | None
    tags: tuple[str, ...]  # tags carried by the file itself (Markdown front matter)
    fingerprint: str  # "sha256:<hex>" of the clean body
    words: int
    warnings: tuple[str, ...] = ()
    url: str | None = None  # the article's source address (http/https only), None when unknown
    lang: str | None = None  # ISO 639-1 code (detected, or the analyst's override), None when unsure

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "path": self.path,
            "title": self.title,
            "title_derived": self.title_derived,
            "date": self.date.isoformat() if self.date else None,
            "author": self.author,
            "source": self.source,
            "tags": list(self.tags),
            "fingerprint": self.fingerprint,
            "words": self.words,
            "warnings": list(self.warnings),
            "url": self.url,
            "lang": self.lang,
        }


@dataclass(frozen=True, slots=True)
class Article:
    """A parsed article: its metadata and its clean body.

    ``body`` is clean text: paragraphs separated by one blank line, metadata (date
    marker, headline, byline, site furniture) removed, control bytes replaced.
    ``headings`` holds the paragraphs of ``body`` that are section headings, so that
    the reader can style them and the summarizer never picks them.
    """

    meta: ArticleMeta
    body: str
    headings: frozenset[str] = field(default_factory=frozenset)

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def title(self) -> str:
        return self.meta.title

    @property
    def date(self) -> dt.date | None:
        return self.meta.date

    @property
    def fingerprint(self) -> str:
        return self.meta.fingerprint

    def paragraphs(self) -> list[str]:
        return [p for p in self.body.split("\n\n") if p.strip()]

    def to_json(self, with_body: bool = True) -> dict[str, Any]:
        data = self.meta.to_json()
        if with_body:
            data["body"] = self.body
            data["headings"] = sorted(self.headings)
        return data


class CorpusView(Protocol):
    """What the core reads of an open corpus: a :class:`briefing.corpus.Corpus` (the
    files) or a :class:`briefing.index.IndexedCorpus` (through the index)."""

    @property
    def root(self) -> Path: ...

    @property
    def articles(self) -> Sequence[ArticleMeta]: ...

    def get(self, article_id: str) -> ArticleMeta: ...

    def article(self, article_id: str) -> Article: ...
