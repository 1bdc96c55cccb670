"""CorrectedCorpus reads its articles as they are asked for (issue 20): a corpus read by
window from its index must not be copied whole, one fixed meta per article, just to be
counted or to have a few of its rows read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from briefing.annotations.corrected import CorrectedCorpus
from briefing.model import ArticleMeta


def _meta(k: int) -> ArticleMeta:
    return ArticleMeta(id=f"a{k:03d}", path=f"/nowhere/a{k:03d}.txt", title=f"t{k}", title_derived=False,
                       date=dt.date(2024, 1, 1 + k % 28), author=None, source=None, tags=(),
                       fingerprint=f"sha256:{k:064x}", words=3)


class Counting(Sequence[ArticleMeta]):
    def __init__(self, n: int) -> None:
        self.n = n
        self.reads = 0

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, k: Any) -> Any:
        if isinstance(k, slice):
            found = [_meta(j) for j in range(self.n)[k]]
            self.reads += len(found)
            return found
        if not -self.n <= k < self.n:
            raise IndexError(k)
        self.reads += 1
        return _meta(k % self.n)

    def __iter__(self) -> Iterator[ArticleMeta]:
        for k in range(self.n):
            self.reads += 1
            yield _meta(k)


class Corpus:
    def __init__(self, articles: Counting) -> None:
        self.articles = articles
        self.root = Path("/nowhere")


def test_counting_and_reading_a_few_rows_reads_only_those() -> None:
    inner = Counting(10_000)
    fixed: list[str] = []

    def fix(meta: ArticleMeta) -> ArticleMeta:
        fixed.append(meta.id)
        return meta

    corpus = CorrectedCorpus(Corpus(inner), fix=fix)  # type: ignore[arg-type]
    assert len(corpus.articles) == 10_000
    assert inner.reads == 0 and fixed == []
    assert corpus.articles[7].id == "a007"
    assert corpus.articles[-1].id == f"a{9999:03d}"
    assert [m.id for m in corpus.articles[2:4]] == ["a002", "a003"]
    assert inner.reads == 4 and fixed == ["a007", "a9999", "a002", "a003"]


def test_every_article_read_is_the_corrected_one() -> None:
    inner = Counting(30)

    def fix(meta: ArticleMeta) -> ArticleMeta:
        return meta if meta.id != "a005" else replace(meta, title="analyst's")

    corpus = CorrectedCorpus(Corpus(inner), fix=fix)  # type: ignore[arg-type]
    titles = [m.title for m in corpus.articles]
    assert titles[5] == "analyst's" and titles[4] == "t4" and len(titles) == 30
    assert corpus.articles[5].title == "analyst's"
    assert corpus.articles.index(corpus.articles[6]) == 6
