"""A search over a large indexed annotation file reads what it asks of each annotated
article from the file's bytes (issue 20: not every entry parsed and kept), with
exactly the answers the parsed entries give."""

from __future__ import annotations

import datetime as dt
import importlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.annotations import yamlio
from briefing.annotations.indexed import _VERSION_TAIL, LAZY_MIN, FileIndex, LazyArticles, entry_starts, splice
from briefing.annotations.querynotes import QueryView
from briefing.annotations.schema import AnnotationDoc, ArticleNotes, Highlight, Note
from briefing.index import open_index
from briefing.querylang import Evaluation, parse
from briefing.querylang.indexed import IndexEvaluation
from tests.lang.conftest import CORPUS

evaluation = importlib.import_module("briefing.querylang.evaluate")

IDS = sorted(p.name for p in CORPUS.glob("*.txt"))
QUERIES = ["удар", "Angriff", "is:read", "is:unread", "is:flagged", "is:dismissed", "is:annotated", "is:noted",
           "is:highlighted", "tag:no", "tag:watch*", "tag:\"tag: colon\"", "lang:uk", "lang:de Angriff",
           "title:analyst", "title:\"quoted\"", "-is:read удар", "is:noted OR lang:en", "удар sort:oldest",
           "date:2021", "-tag:1e3 -is:highlighted"]
TAGS = ("no", "1e3", "watch", "Watch-list", "tag: colon", 'quote"d', "back\\slash", "Ünï")

notes_st = st.builds(
    ArticleNotes,
    read=st.booleans(), flagged=st.booleans(), dismissed=st.booleans(),
    tags=st.lists(st.sampled_from(TAGS), max_size=3).map(tuple),
    auto_tags=st.lists(st.sampled_from(TAGS), max_size=2).map(tuple),
    title=st.sampled_from((None, "Analyst title", 'A "quoted" analyst title', "Back\\slash: title")),
    date=st.sampled_from((None, dt.date(2021, 5, 1), dt.date(2020, 1, 2))),
    lang=st.sampled_from((None, None, "uk", "en", "de")),
    notes=st.sampled_from(((), (Note("is:noted here\n  indented line", "2026-01-01T00:00:00Z"),))),
    highlights=st.sampled_from(((), (Highlight(quote="a quote", note="", by="", at="2026-01-01T00:00:00Z"),))),
)


def lazy(doc: AnnotationDoc) -> LazyArticles:
    """The articles of ``doc`` as a large file opened from its kept index reads them."""
    data = yamlio.dumps_bytes(doc)
    head = data.index(b"\narticles:\n") + len(b"\narticles:\n")
    end = len(data) - len(_VERSION_TAIL)
    return LazyArticles(FileIndex(data, entry_starts(data, head, end), end))


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(chosen=st.dictionaries(st.sampled_from(IDS), notes_st, min_size=1, max_size=len(IDS)))
def test_a_search_over_a_large_indexed_file_equals_the_parsed_path(lang_corpus, chosen) -> None:
    filler = {f"zz/{i:05}.txt": ArticleNotes(read=True, tags=("no",) if i % 3 else ()) for i in range(LAZY_MIN)}
    plain = {k: v for k, v in {**chosen, **filler}.items() if not v.is_empty()}
    articles = lazy(AnnotationDoc(plain))
    corpus = open_index(lang_corpus)
    try:
        for text in QUERIES:
            query = parse(text)
            ev = Evaluation(query, corpus, articles)
            assert isinstance(ev.impl, IndexEvaluation) and isinstance(ev.impl.notes, QueryView)
            assert ev.ids() == evaluation.MemoryEvaluation(query, corpus, plain).ids(), text
        assert not articles.index._full, "the whole file was parsed"
        assert len(articles.index._parsed) < 20  # (entries whose title is written with escapes)
        # Changes not saved yet are read from the changes themselves.
        first = sorted(chosen)[0]
        changed = articles.updated({first: ArticleNotes(flagged=True, tags=("fresh",))})
        plain[first] = ArticleNotes(flagged=True, tags=("fresh",))
        for text in ("is:flagged", "tag:fresh", "is:read", "is:annotated"):
            query = parse(text)
            assert Evaluation(query, corpus, changed).ids() == evaluation.MemoryEvaluation(query, corpus, plain).ids()
        # Saved (spliced): what was read of the old file is carried over, the changed entries read alone.
        second = sorted(chosen)[-1]
        changes = {second: ArticleNotes(lang="de", notes=(Note("x", "2026-01-01T00:00:00Z"),), title='New "t"'),
                   first: ArticleNotes()}  # (removed)
        plain.update(changes)
        plain.pop(first)
        data, index = splice(changed.updated(changes))
        assert index is not None and articles.index.token in index.ancestors
        saved = LazyArticles(index)
        for text in QUERIES:
            query = parse(text)
            ev = Evaluation(query, corpus, saved)
            assert isinstance(ev.impl.notes, QueryView)
            assert ev.ids() == evaluation.MemoryEvaluation(query, corpus, plain).ids(), text
        assert not index._full
    finally:
        corpus.close()


def test_a_broken_index_is_searched_the_old_way(lang_corpus) -> None:
    plain = {f"zz/{i:05}.txt": ArticleNotes(read=True) for i in range(LAZY_MIN)} | {"de_01.txt": ArticleNotes(flagged=True)}
    articles = lazy(AnnotationDoc(plain))
    articles.index.broken = True
    corpus = open_index(lang_corpus)
    try:
        ev = Evaluation(parse("is:flagged"), corpus, articles)
        assert not isinstance(ev.impl.notes, QueryView)
        assert ev.ids() == ["de_01.txt"]
    finally:
        corpus.close()


def test_the_readers_search_reads_the_view_with_the_shown_titles(lang_corpus) -> None:
    from briefing.tui import searching

    chosen = {"de_01.txt": ArticleNotes(title="Analyst\tangriff", read=True), "uk_03.txt": ArticleNotes(tags=("no",))}
    plain = {f"zz/{i:05}.txt": ArticleNotes(read=True) for i in range(LAZY_MIN)} | chosen
    articles = lazy(AnnotationDoc(plain))
    titles = {"de_01.txt": "Analyst angriff", "ru_01.txt": "Shown only"}  # as the list shows them
    notes = searching._notes(articles, titles)
    assert isinstance(notes, searching._Titled) and not isinstance(notes.notes, LazyArticles)
    corpus = open_index(lang_corpus)
    try:
        for text in ("title:angriff", "title:shown", "is:read", "tag:no", "is:annotated", "analyst"):
            query = parse(text)
            expected = evaluation.MemoryEvaluation(query, corpus, searching._notes(plain, titles)).ids()
            assert Evaluation(query, corpus, notes).ids() == expected, text
    finally:
        corpus.close()
    assert not articles.index._full
