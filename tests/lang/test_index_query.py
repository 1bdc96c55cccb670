"""The reader's query through the index (:mod:`briefing.querylang.indexed`: SQL for
the unannotated rows, the analyst's overlay per article) gives exactly what the
in-memory evaluator gives, stems and languages included; it answers for the list
it was given (rows indexed since are not in it) and keeps nothing per article."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest

from briefing.annotations.schema import ArticleNotes
from briefing.index import open_index
from briefing.querylang import Evaluation, parse
from briefing.querylang.indexed import IndexEvaluation

evaluation = importlib.import_module("briefing.querylang.evaluate")
snapshots = importlib.import_module("briefing.querylang.snapshot")

QUERIES = ["удар", "ударів", "удары", "Angriff", "angriffen", '"удар"', "lang:uk", "lang:de Angriff", "-lang:uk удар",
           "удар OR Angriff", "is:read OR Angriff", "title:analyst", "-Angriff lang:de", "lang:und", "tag:watch удар",
           '"die angriffe"', '"zahlreiche angriffe" OR "нові удари"', 'удар* -"удар"', '-"die luftabwehr" angriff',
           "удар OR lang:de sort:oldest", "is:unread sort:oldest",
           # the analyst's title and the text each hold one of the words; a phrase in that title only
           "analyst angriffe", "analyst angriff", "analyst* luftabwehr", '"analyst title"', '"analyst title" OR drohnen',
           "-analyst angriff", "tag:other OR tag:watch", "is:flagged OR angriff", "is:annotated", "is:read -angriff"]
NOTES = {
    "translit_01.txt": ArticleNotes(lang="uk"),
    "de_01.txt": ArticleNotes(title="Analyst title", read=True),
    "uk_03.txt": ArticleNotes(lang="en", tags=("Watch",)),
    "ru_01.txt": ArticleNotes(tags=("watch",)),
    "de_03.txt": ArticleNotes(date=dt.date(2021, 5, 1)),  # a date moves an article in the list
    "ru_03.txt": ArticleNotes(date=dt.date(2020, 1, 2), flagged=True),
    # annotations that change nothing a query without is: sees: matched as rows
    "de_02.txt": ArticleNotes(read=True),
    "uk_01.txt": ArticleNotes(tags=("other",), flagged=True),
}


@pytest.mark.parametrize("text", QUERIES)
def test_the_index_path_equals_the_memory_path(lang_corpus, text):
    corpus = open_index(lang_corpus)
    try:
        query = parse(text)
        for notes in ({}, NOTES):
            ev = Evaluation(query, corpus, notes)
            assert isinstance(ev.impl, IndexEvaluation)
            expected = evaluation.MemoryEvaluation(query, corpus, notes).ids()
            assert ev.ids() == expected, (text, notes)
            page = Evaluation(query, corpus, notes).first(2)
            assert page == (expected[:2], len(expected) <= 2)
    finally:
        corpus.close()


def test_nothing_per_article_is_kept(lang_corpus):
    corpus = open_index(lang_corpus)
    try:
        snapshots._KEPT.clear()
        evaluation._ROWIDS.clear()
        assert Evaluation(parse('удар -"нові удари" lang:uk'), corpus, NOTES).ids()
        assert not snapshots._KEPT and not evaluation._ROWIDS
    finally:
        corpus.close()


def test_rows_indexed_after_the_list_was_read_are_not_in_its_answer(lang_corpus):
    listed = open_index(lang_corpus)
    try:
        before = Evaluation(parse("Angriff"), listed).ids()
        (lang_corpus / "de_new.txt").write_text(
            "Neue Angriffe\n\nDie Angriffe gingen in der Nacht weiter, sagte die Armee am Morgen.\n", encoding="utf-8")
        fresh = open_index(lang_corpus)  # writes the new row into the same cache
        try:
            assert "de_new.txt" in (Evaluation(parse("Angriff"), fresh).ids() or [])
        finally:
            fresh.close()
        assert Evaluation(parse("Angriff"), listed).ids() == before
    finally:
        listed.close()


def test_a_stopped_phrase_check_answers_none(lang_corpus):
    corpus = open_index(lang_corpus)
    try:
        ev = Evaluation(parse('"zahlreiche angriffe"'), corpus, should_stop=lambda: True)
        assert ev.ids() is None and ev.first(5) is None
    finally:
        corpus.close()


def test_an_article_of_unknown_language_answers_a_negated_stem_as_memory_does(lang_corpus):
    # Too short to detect: its language is NULL in the index. "-удар" must keep it
    # (it holds an inflected form only, and stems apply within a language).
    (lang_corpus / "short.txt").write_text("12\n\nx ударів 1234 abc\n", encoding="utf-8")
    corpus = open_index(lang_corpus)
    try:
        assert getattr(corpus.get("short.txt"), "lang", "x") is None
        for text in ("-удар", "удар", "удар OR -ударів", "-удар lang:uk"):
            query = parse(text)
            assert Evaluation(query, corpus).ids() == evaluation.MemoryEvaluation(query, corpus, {}).ids(), text
        assert "short.txt" in Evaluation(parse("-удар"), corpus).ids()
    finally:
        corpus.close()


def test_hundreds_of_retitled_articles_read_the_index_once_per_word(tmp_path, monkeypatch):
    """More annotated articles than one restricted query takes (500): a word is matched
    once over the index and kept for the annotated ones; the answers are the memory
    path's, words found in the analyst's title, the file's title or the text."""
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "many"
    root.mkdir()
    notes = {}
    for i in range(620):
        words = " ".join(w for w, every in (("harbour", 3), ("storm", 5), ("pilot", 4)) if i % every == 0)
        (root / f"a{i:04}.txt").write_text(f"Report {i}\n\nDate: 2024-03-{i % 28 + 1:02}\n\nThe crews spoke of {words or 'nothing'}"
                                           " at length on the quay this morning.\n", encoding="utf-8")
        if i % 10:
            notes[f"a{i:04}.txt"] = ArticleNotes(title=f"Analyst {i}" + (" gale" if i % 4 == 0 else ""))
    from briefing.querylang import indexed

    matched: list[str] = []
    real = indexed._AnnotatedFts._match
    monkeypatch.setattr(indexed._AnnotatedFts, "_match", lambda self, expr: (matched.append(expr), real(self, expr))[1])
    corpus = open_index(root)
    try:
        assert Evaluation(parse("harbour"), corpus, notes).ids()
        assert len(matched) == 1  # one match over the index for 558 annotated articles
        for text in ("harbour", "gale harbour", "storm -gale", '"report 7"', "gale OR storm", "analyst pilot",
                     '"analyst 12 gale"', "report harbour"):
            ev = Evaluation(parse(text), corpus, notes)
            assert isinstance(ev.impl, IndexEvaluation)
            found = ev.ids()
            assert found == evaluation.MemoryEvaluation(parse(text), corpus, notes).ids(), text
            assert found, text
    finally:
        corpus.close()


def test_only_annotations_a_query_sees_are_decided_one_by_one(lang_corpus):
    corpus = open_index(lang_corpus)
    try:
        assert Evaluation(parse("angriff"), corpus, NOTES).impl.own == {
            "translit_01.txt", "de_01.txt", "uk_03.txt", "de_03.txt", "ru_03.txt"}  # (lang, title, date)
        assert Evaluation(parse("tag:watch"), corpus, NOTES).impl.own == {
            "translit_01.txt", "de_01.txt", "uk_03.txt", "de_03.txt", "ru_03.txt", "ru_01.txt", "uk_01.txt"}
        assert Evaluation(parse("is:flagged"), corpus, NOTES).impl.own == {
            "translit_01.txt", "de_01.txt", "uk_03.txt", "de_03.txt", "ru_03.txt", "uk_01.txt"}
        assert Evaluation(parse("is:unread angriff"), corpus, NOTES).impl.own == {
            "translit_01.txt", "de_01.txt", "uk_03.txt", "de_03.txt", "ru_03.txt", "de_02.txt"}
    finally:
        corpus.close()
