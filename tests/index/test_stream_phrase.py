"""A phrase's candidates in the streamed listing (briefing.listing.stream) are
decided without a parse where the bytes and the index allow: a long line of the
file holds the phrase (briefing.querylang.phrasecheck.verdict) and the query's
words of the text are the index's answers (Facts.known_words). The rows are
those of the full listing (annotated_listing) all the same."""

from __future__ import annotations

import pytest

from briefing.annotations import AnnotationStore
from briefing.annotations.filter import Filter, annotated_listing
from briefing.index import CorpusIndex
from briefing.listing import stream
from briefing.listing.stream import connect, rows
from briefing.querylang import parse
from briefing.querylang.match import Facts, node_matches

FILL = " ".join(["several", "officials", "described", "the", "scene", "in", "some", "detail"] * 6)
TEXTS = {
    "both.txt": f"Aides at the white house met {FILL}.\n\nLater Obama spoke to them at length.\n",
    "phrase.txt": f"Aides at the white house met {FILL}.\n\nNothing else was said.\n",
    "title.txt": f"Obama in the capital\n\nAides at the white house met {FILL}.\n\nNothing else.\n",
    "apart.txt": f"The white paint dried {FILL}.\n\nThe house was sold; Obama was not there.\n",
    "short.txt": "Short one\n\nThe white house said so.\n\nNothing else.\n",
    "short-obama.txt": "Short two\n\nThe white house and Obama said so.\n\nNothing else.\n",
    "none.txt": "Nothing here\n\nA story of paint and a house.\n",
}


@pytest.fixture
def corpus(tmp_path, monkeypatch):
    monkeypatch.setattr(stream, "_needs_languages", lambda conn, root: False)
    root = tmp_path / "corpus"
    root.mkdir()
    for name, text in TEXTS.items():
        (root / name).write_text(text, encoding="utf-8")
    index = CorpusIndex(root, workers=1)
    index.refresh()
    return root, index


@pytest.mark.parametrize("query", ['"white house" -obama', '"white house" obama', '"white house" OR obama',
                                   '-"white house" -obama', '"white house" (obama OR paint)'])
def test_streamed_phrase_rows_equal_the_full_listing(corpus, query: str) -> None:
    root, index = corpus
    snapshot = index.snapshot()
    store = AnnotationStore.open(root)
    flt = Filter(search=query)
    full, _fields = annotated_listing(snapshot.articles, store, flt, corpus=snapshot)
    conn = connect(index.path)
    try:
        got = [m.id for m in rows(conn, store, flt)]
    finally:
        conn.close()
    assert got == [m.id for m in full]
    assert got  # not an empty comparison


def test_the_index_answers_for_words_spare_the_text() -> None:
    root = parse('"white house" -obama').root
    assert root is not None

    def unread() -> str:
        raise AssertionError("the body was read")

    words = {w: False for w in _words(root)}
    facts = Facts(id="a", title="t", body=unread, known_words=words,
                  phrase_probe=lambda tokens: True, phrase_sure=lambda tokens: True)
    assert node_matches(root, facts)
    facts = Facts(id="a", title="t", body=unread, known_words={w: True for w in words},
                  phrase_probe=lambda tokens: True, phrase_sure=lambda tokens: True)
    assert not node_matches(root, facts)


def _words(root):
    from briefing.querylang.sql import text_words

    found = text_words(root)
    assert [w.tokens for w in found] == [("obama",)]
    return found


def test_the_language_check_runs_beside_the_statement_and_is_joined(corpus, monkeypatch) -> None:
    import sqlite3
    import threading

    root, index = corpus
    store = AnnotationStore.open(root)
    seen: list[str] = []

    def needs(conn, query_root):
        seen.append(threading.current_thread().name)
        return False

    monkeypatch.setattr(stream, "_needs_languages", needs)
    conn = connect(index.path)
    try:
        found = rows(conn, store, Filter(search='"white house" -obama'))
        assert found is not None and seen == ["briefing-languages"]  # on its own thread
        assert threading.active_count() == 1  # joined before the checks (a worker may be forked)
        assert [m.id for m in found] == ["phrase.txt", "short.txt"]  # undated: in id order

        def fails(conn, query_root):
            raise sqlite3.OperationalError("disk I/O error")

        monkeypatch.setattr(stream, "_needs_languages", fails)
        assert rows(conn, store, Filter(search='"white house" -obama')) is None  # unsure: the full path
        monkeypatch.setattr(stream, "_needs_languages", lambda conn, query_root: True)
        assert rows(conn, store, Filter(search="obama")) is None
    finally:
        conn.close()


@pytest.mark.parametrize("query", ['"white house" -obama', '"white house" obama', '-"white house" -obama'])
def test_the_readers_search_takes_the_same_answers(corpus, query: str, monkeypatch) -> None:
    from briefing.querylang import indexed
    from briefing.querylang.evaluate import Evaluation, MemoryEvaluation

    root, index = corpus
    snapshot = index.snapshot()
    q = parse(query)
    assert indexed.applies(q, snapshot)
    checked: list[object] = []
    real = indexed.IndexEvaluation._row_facts

    def row_facts(self, rowid, known=None):
        checked.append(known)
        return real(self, rowid, known)

    monkeypatch.setattr(indexed.IndexEvaluation, "_row_facts", row_facts)
    got = Evaluation(q, snapshot).ids()
    assert got == MemoryEvaluation(q, snapshot, {}).ids()
    assert checked and all(k is not None and [w.tokens for w in k] == [("obama",)] for k in checked)
