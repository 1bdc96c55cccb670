"""open_corpus / Corpus / read_article / parse_bytes behaviour."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.corpus import ArticleError, find_article, open_corpus, parse_bytes, read_article, sort_key
from briefing.corpus.load import MAX_BYTES

from .helpers import load, write


def test_bad_files_are_skipped_with_a_problem_and_the_load_goes_on(tmp_path):
    write(tmp_path, "a.txt", "Headline A\n\ndate 2024-01-02 Body A.\n")
    write(tmp_path, "bin.txt", b"\x00\x01" * 500)
    write(tmp_path, "empty.md", b"")
    write(tmp_path, "z/b.txt", "Headline B\n\nBody B.\n")
    seen = []
    corpus = open_corpus(tmp_path, on_problem=seen.append)
    assert [m.id for m in corpus.articles] == ["a.txt", "z/b.txt"]
    assert [p.id for p in seen] == ["bin.txt", "empty.md"]
    assert all(str(p).startswith(p.id + ": ") for p in seen)


def test_order_newest_first_undated_last_ties_by_id(tmp_path):
    write(tmp_path, "u2.txt", "T\n\nNo date.\n")
    write(tmp_path, "u1.txt", "T\n\nNo date.\n")
    write(tmp_path, "old.txt", "date 2020-01-01 Old.\n")
    write(tmp_path, "new.txt", "date 2025-06-01 New.\n")
    write(tmp_path, "same-b.txt", "date 2023-03-03 B.\n")
    write(tmp_path, "same-a.txt", "date 2023-03-03 A.\n")
    corpus = open_corpus(tmp_path)
    assert [m.id for m in corpus.articles] == ["new.txt", "same-a.txt", "same-b.txt", "old.txt", "u1.txt", "u2.txt"]
    assert corpus.articles == sorted(corpus.articles, key=sort_key)


def test_bodies_are_read_on_demand(tmp_path):
    path = write(tmp_path, "a.txt", "Headline\n\nFirst body.\n")
    corpus = open_corpus(tmp_path)
    assert not hasattr(corpus.get("a.txt"), "body")
    path.write_text("Headline\n\nSecond body.\n")
    assert corpus.article("a.txt").body == "Second body."  # read again, not cached
    with pytest.raises(KeyError):
        corpus.get("missing.txt")
    with pytest.raises(KeyError):
        corpus.article("missing.txt")
    path.unlink()
    with pytest.raises(ArticleError) as err:
        corpus.article("a.txt")
    assert err.value.id == "a.txt" and "not found" in err.value.message


def test_read_article_ids_and_relative_paths(tmp_path, monkeypatch):
    write(tmp_path, "d/a.txt", "Headline\n\nBody.\n")
    assert read_article(tmp_path, tmp_path / "d" / "a.txt").id == "d/a.txt"
    assert read_article(tmp_path, "d/a.txt").id == "d/a.txt"  # relative to the root
    monkeypatch.chdir(tmp_path)
    assert read_article(tmp_path, os.path.join("d", "a.txt")).id == "d/a.txt"


def test_parse_bytes_without_the_file_system():
    a = parse_bytes("x/y.md", "/nowhere/x/y.md", b"---\ntags: [a]\n---\n# Title\n\nBody.\n")
    assert (a.id, a.title, a.meta.tags, a.body) == ("x/y.md", "Title", ("a",), "Body.")
    with pytest.raises(ArticleError):
        parse_bytes("e.txt", "/nowhere/e.txt", b"")


def test_only_furniture_is_not_an_article(tmp_path):
    write(tmp_path, "f.txt", "Share this article\nAdvertisement\n")
    corpus = load(tmp_path)
    assert corpus.articles == []
    assert corpus.problems[0].id == "f.txt" and "no article text" in corpus.problems[0].message


def test_too_large_file_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as f:
        f.truncate(MAX_BYTES + 1)  # sparse: costs no disk
    corpus = load(tmp_path)
    assert corpus.articles == []
    assert "too large" in corpus.problems[0].message


def test_missing_root_is_a_problem_not_an_exception(tmp_path):
    corpus = open_corpus(tmp_path / "nope")
    assert corpus.articles == [] and len(corpus.problems) == 1


def test_find_article_reads_one_file_and_refuses_escapes(tmp_path):
    write(tmp_path, "root/d/a.txt", "Headline\n\ndate 2024-02-02 Body.\n")
    write(tmp_path, "root/.hidden/h.txt", "Hidden\n\nBody.\n")
    write(tmp_path, "secret.txt", "Secret\n\nBody.\n")
    root = tmp_path / "root"
    assert find_article(root, "d/a.txt").date == dt.date(2024, 2, 2)
    for bad in ("../secret.txt", ".hidden/h.txt", "d/../../secret.txt", "", "d"):
        with pytest.raises(KeyError):
            find_article(root, bad)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "é", " ", "\n", "\u2028", "\u00a0", "–", "\U0001f600", "\t", "# ", "- ", "By Ann ",
                              ". ", "\r", "<p>", "---\n"]), max_size=40),
    st.sampled_from(["a.txt", "a.md", "a.html"]),
)
def test_word_count_is_that_of_the_body(parts, name):
    """The word count is the body's spaces plus its paragraphs (taken from the parse,
    not from a second pass over the text): the same as counting them in the body."""
    try:
        article = parse_bytes(name, name, "".join(parts).encode("utf-8"))
    except ArticleError:
        return
    body = article.body
    assert "\n\n\n" not in body and not body.startswith("\n") and not body.endswith("\n")
    assert article.meta.words == body.count(" ") + body.count("\n\n") + 1
