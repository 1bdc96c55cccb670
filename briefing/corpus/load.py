"""PROVISIONAL: a naive loader that fixes the interface; replaced by the real pipeline."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from briefing.model import Article, ArticleMeta
from briefing.sanitize import clean_text


@dataclass(frozen=True)
class LoadProblem:
    id: str  # the file, relative to the corpus root
    message: str

    def __str__(self) -> str:
        return f"{self.id}: {self.message}"


def sort_key(meta: ArticleMeta):
    """Newest first, undated last; ties by id so the order is stable."""
    return (meta.date is None, -(meta.date.toordinal() if meta.date else 0), meta.id)


def read_article(root: Path, path: Path) -> Article:
    text = clean_text(path.read_text(encoding="utf-8", errors="replace"))
    paras = [p.strip() for p in text.split("\n\n") if p.strip()]
    body = "\n\n".join(paras)
    title = paras[0][:80] if paras else path.name
    meta = ArticleMeta(
        id=path.relative_to(root).as_posix(),
        path=str(path),
        title=title,
        title_derived=True,
        date=None,
        author=None,
        source=None,
        tags=(),
        fingerprint="sha256:" + hashlib.sha256(body.encode()).hexdigest(),
        words=len(body.split()),
    )
    return Article(meta=meta, body=body)


@dataclass
class Corpus:
    root: Path
    articles: list[ArticleMeta] = field(default_factory=list)  # sorted by sort_key
    problems: list[LoadProblem] = field(default_factory=list)

    def get(self, article_id: str) -> ArticleMeta:
        for meta in self.articles:
            if meta.id == article_id:
                return meta
        raise KeyError(article_id)

    def article(self, article_id: str) -> Article:
        """Read and parse one article's file again (bodies are read on demand)."""
        return read_article(self.root, Path(self.get(article_id).path))


def open_corpus(root: Path, on_problem: Callable[[LoadProblem], None] | None = None) -> Corpus:
    corpus = Corpus(root=Path(root))
    for path in sorted(Path(root).rglob("*.txt")):
        corpus.articles.append(read_article(corpus.root, path).meta)
    corpus.articles.sort(key=sort_key)
    return corpus
