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


def test_the_corrections_of_a_large_indexed_file_are_read_from_its_lines(tmp_path: Path, parsed: list[int]) -> None:
    """Stories group on a snapshot of the analyst's titles and dates: on an indexed
    file it comes from their lines (a title written as a block is parsed alone), the
    same as from every parsed entry, with the changes on top."""
    from briefing.annotations import AnnotationStore, indexed, yamlio
    from briefing.annotations.corrected import Corrections
    from briefing.annotations.schema import AnnotationDoc, ArticleNotes

    entries = {f"a{k:05}.txt": ArticleNotes(tags=("x",), title=(f"T {k}" if k % 7 == 0 else None),
                                            date=dt.date(2024, 1, 1 + k % 28) if k % 5 == 0 else None)
               for k in range(indexed.LAZY_MIN + 5)}
    entries["a00003.txt"] = ArticleNotes(title='a "quoted"\nblock title')
    root = tmp_path / "corpus"
    root.mkdir()
    data = yamlio.dumps_bytes(AnnotationDoc(entries))
    (root / "annotations.yaml").write_bytes(data)
    AnnotationStore.open(root)  # parsed whole once; the index is kept
    store = AnnotationStore.open(root)
    store.set_title("a00001.txt", "changed here")
    parsed.clear()
    fixes = Corrections(store).fixes
    assert not parsed or max(parsed) < len(data) // 2  # no whole parse
    want = {i: (a.title, a.date) for i, a in entries.items() if a.title is not None or a.date is not None}
    want["a00001.txt"] = ("changed here", None)
    assert fixes == want
