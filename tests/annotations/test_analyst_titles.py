"""The analyst's titles (what a search and the palette show) of a large indexed file
are read from its title lines: no whole parse (issue 20)."""

from __future__ import annotations

import datetime as dt

from briefing.annotations import AnnotationStore, yamlio
from briefing.annotations.indexed import LAZY_MIN, LazyArticles
from briefing.annotations.schema import AnnotationDoc, ArticleNotes

TITLES = ("Plain", 'With "quotes"', "Back\\slash", "Énergie : colon", "Tab\there", None)


def test_analyst_titles_of_a_large_indexed_file(corpus_dir) -> None:
    doc = AnnotationDoc({f"{i:05}.txt": ArticleNotes(read=True, title=TITLES[i % 13] if i % 13 < len(TITLES) else None,
                                                     date=dt.date(2021, 1, 1) if i % 7 == 0 else None)
                         for i in range(LAZY_MIN + 10)})
    (corpus_dir / "annotations.yaml").write_bytes(yamlio.dumps_bytes(doc))
    AnnotationStore.open(corpus_dir)  # keeps the index
    store = AnnotationStore.open(corpus_dir)
    articles = store.document.articles
    assert isinstance(articles, LazyArticles)
    expected = {i: a.title for i, a in doc.articles.items() if a.title is not None}
    assert store.analyst_titles() == expected and list(store.analyst_titles()) == sorted(expected)
    assert not articles.index._full
    assert articles.index._parsed == {}  # not one entry parsed: its escapes are read from the line
    store.set_title(["00001.txt", "00000.txt"], "New title")  # changes on top, not saved yet
    store.set_title("00002.txt", None)
    expected.update({"00001.txt": "New title", "00000.txt": "New title"})
    expected.pop("00002.txt")
    assert store.analyst_titles() == dict(sorted(expected.items()))
