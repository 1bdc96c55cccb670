"""The names recorded in an annotation file (the reader names the authors when there
are several): a large indexed file's are found in its text, and must be the names a
whole parse finds (issue 20: the pass is made again after every save, on the
reader's thread)."""

from __future__ import annotations

from briefing.annotations import AnnotationStore, yamlio
from briefing.annotations.author import authors_of
from briefing.annotations.indexed import LAZY_MIN, LazyArticles
from briefing.annotations.schema import AnnotationDoc, ArticleNotes, Conflict, Highlight, Note, Stamp

NAMES = ("ana", 'Zoë "Z" Ng', "back\\slash", "tab\there", "O'Brien: x", "by: \"inner\"")


def _entry(i: int) -> ArticleNotes:
    name = NAMES[i % len(NAMES)]
    if i % 5 == 0:
        return ArticleNotes(notes=(Note("by: \\\"not a name\\\"", "2024-01-01T00:00:00Z", by=name),))
    if i % 5 == 1:
        return ArticleNotes(highlights=(Highlight("a quote", by=name, at="2024-01-01T00:00:00Z"),))
    if i % 5 == 2:
        return ArticleNotes(read=True, changed=(Stamp("status", name, "2024-01-01T00:00:00Z"),))
    if i % 5 == 3 and i < 400:
        return ArticleNotes(tags=("x",), conflicts=(Conflict("title", "a", "b", kept_by=f"kept {name}", other_by=f"other {name}",
                                                              by=f"merge {name}"),))
    return ArticleNotes(read=True)


def test_a_large_files_names_are_those_a_whole_parse_finds(corpus_dir) -> None:
    doc = AnnotationDoc({f"{i:05}.txt": _entry(i) for i in range(LAZY_MIN + 50)})
    expected = set(NAMES) | {f"{kind} {n}" for kind in ("kept", "other", "merge") for n in NAMES}
    assert authors_of(doc) == expected  # every kind of place a name is recorded
    (corpus_dir / "annotations.yaml").write_bytes(yamlio.dumps_bytes(doc))
    AnnotationStore.open(corpus_dir)  # keeps the index
    store = AnnotationStore.open(corpus_dir)
    assert isinstance(store.document.articles, LazyArticles)
    assert authors_of(store.document) == expected
    assert authors_of(yamlio.load((corpus_dir / "annotations.yaml").read_bytes())) == expected
    assert store.several_authors()


def test_one_author_is_not_several(corpus_dir) -> None:
    doc = AnnotationDoc({f"{i:05}.txt": ArticleNotes(notes=(Note("n", "2024-01-01T00:00:00Z", by="ana"),))
                         for i in range(LAZY_MIN + 5)})
    (corpus_dir / "annotations.yaml").write_bytes(yamlio.dumps_bytes(doc))
    AnnotationStore.open(corpus_dir)
    store = AnnotationStore.open(corpus_dir)
    assert isinstance(store.document.articles, LazyArticles)
    assert authors_of(store.document) == {"ana"} and not store.several_authors()
