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
           "удар OR lang:de sort:oldest", "is:unread sort:oldest"]
NOTES = {
    "translit_01.txt": ArticleNotes(lang="uk"),
    "de_01.txt": ArticleNotes(title="Analyst title", read=True),
    "uk_03.txt": ArticleNotes(lang="en", tags=("Watch",)),
    "ru_01.txt": ArticleNotes(tags=("watch",)),
    "de_03.txt": ArticleNotes(date=dt.date(2021, 5, 1)),  # a date moves an article in the list
    "ru_03.txt": ArticleNotes(date=dt.date(2020, 1, 2), flagged=True),
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
