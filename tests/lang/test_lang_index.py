"""The languages a corpus holds, read through the ``articles_lang`` index (schema 10):
a word search's "are there stemmed languages?" check and the reader's "which ones"
answer exactly what a scan of every row answers, after a cold build and after
refreshes that add, delete, rename and rewrite articles (SQLite keeps the index with
the rows, so it cannot go stale; this checks that it is there and used)."""

from __future__ import annotations

import os
import shutil

from briefing.index import CorpusIndex
from briefing.lang.stem import SEARCH_STEMMED
from briefing.listing import stream


def _scan(conn) -> set[str | None]:
    return {r[0] for r in conn.execute("SELECT DISTINCT lang FROM articles NOT INDEXED")}


def _indexed(conn) -> set[str | None]:
    marks = ",".join("?" * len(SEARCH_STEMMED))
    plan = " ".join(str(r) for r in conn.execute(
        f"EXPLAIN QUERY PLAN SELECT DISTINCT lang FROM articles WHERE lang IN ({marks})", SEARCH_STEMMED))
    assert "articles_lang" in plan  # seeks, not a scan of every row
    return {r[0] for r in conn.execute(f"SELECT DISTINCT lang FROM articles WHERE lang IN ({marks})", SEARCH_STEMMED)}


def _check(index: CorpusIndex, stemmed_expected: bool) -> None:
    conn = stream.connect(index.path)
    try:
        scanned = _scan(conn)
        assert _indexed(conn) == scanned & set(SEARCH_STEMMED)
        assert stream._holds_stemmed(conn) is bool(scanned & set(SEARCH_STEMMED)) is stemmed_expected
    finally:
        conn.close()


def test_the_language_index_answers_as_a_scan_through_refreshes(lang_corpus, tmp_path):
    index = CorpusIndex(lang_corpus, workers=1)  # a cold build, stemmed languages held
    index.refresh()
    _check(index, True)
    conn = stream.connect(index.path)
    by_lang = list(conn.execute("SELECT path, lang FROM articles"))
    conn.close()
    stemmed = sorted(lang_corpus / p for p, lang in by_lang if lang in SEARCH_STEMMED)
    for p in stemmed:  # deleted: none left
        p.rename(tmp_path / p.name)
    index.refresh()
    _check(index, False)
    stemmed = [tmp_path / p.name for p in stemmed]

    english = tmp_path / "english"  # a cold build without them
    shutil.copytree(lang_corpus, english)
    index = CorpusIndex(english, workers=1)
    index.refresh()
    _check(index, False)

    target = english / "added_de.txt"  # an added German article
    shutil.copy(stemmed[0], target)
    index.refresh()
    _check(index, True)

    renamed = english / "renamed_de.txt"  # renamed: still there
    os.replace(target, renamed)
    index.refresh()
    _check(index, True)

    # rewritten in English: gone from the languages (same file, new text)
    renamed.write_text(next(p for p in english.rglob("*.txt") if p != renamed).read_text(encoding="utf-8")
                       + "\nAnother line of plain English text for the rewrite.\n", encoding="utf-8")
    st = renamed.stat()
    os.utime(renamed, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    index.refresh()
    _check(index, False)

    shutil.copy(stemmed[-1], english / "again.txt")
    index.refresh()
    _check(index, True)
    (english / "again.txt").unlink()  # deleted
    index.refresh()
    _check(index, False)
