"""`briefing list` and `briefing show`: output, ordering, stderr lines, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from briefing.cli import main
from tests.seedfiles import shared_seed_files


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    for var in ("CONFIG", "DATA", "CACHE"):
        monkeypatch.setenv(f"BRIEFING_{var}_DIR", str(tmp_path / f"_{var.lower()}"))
    monkeypatch.delenv("BRIEFING_CORPUS", raising=False)
    monkeypatch.setenv("COLUMNS", "160")


def run(*args, **kw):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False, **kw)
    return result


def make_corpus(root):
    (root / "sub").mkdir(parents=True)
    (root / "new.txt").write_text("[bold red]Markup[/] headline\n\ndate 2025-02-01 New body.\n\nBy Jane Doe\n")
    (root / "sub" / "old.md").write_text("---\ntitle: Old one\ndate: 2020-05-05\ntags: [energy]\n---\nOld body.\n")
    (root / "undated.txt").write_text("No headline here, only a sentence that goes on. And more.\n")
    (root / "broken.txt").write_bytes(b"\x00\x01\x02\x03" * 300)
    (root / "cp.txt").write_bytes("Caf\xe9 title\n\nBody \x93quoted\x94.\n".encode("latin-1"))
    return root


def test_list_json_fields_and_order(tmp_path):
    root = make_corpus(tmp_path / "c")
    result = run("list", "--corpus", str(root), "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [d["id"] for d in data] == ["new.txt", "sub/old.md", "cp.txt", "undated.txt"]
    required = {"id", "path", "title", "title_derived", "date", "author", "source", "words", "warnings"}
    assert all(required <= set(d) for d in data)
    new, old, cp, undated = data
    assert (new["title"], new["title_derived"], new["date"], new["author"]) == ("[bold red]Markup[/] headline", False, "2025-02-01", "Jane Doe")
    assert (old["title"], old["date"], old["tags"]) == ("Old one", "2020-05-05", ["energy"])
    assert undated["date"] is None and undated["title_derived"] is True
    assert new["path"] == str(root / "new.txt")
    assert cp["warnings"] == ["not valid UTF-8; decoded as Windows-1252 (guess)"]


def test_list_problems_go_to_stderr_one_line_each_and_exit_0(tmp_path):
    root = make_corpus(tmp_path / "c")
    result = run("list", "--corpus", str(root), "--json")
    assert result.exit_code == 0
    lines = result.stderr.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("briefing: broken.txt: binary file")
    assert lines[1] == "briefing: cp.txt: warning: not valid UTF-8; decoded as Windows-1252 (guess)"
    json.loads(result.stdout)  # stdout stays pure JSON


def test_list_table_shows_text_literally_and_marks_derived_titles(tmp_path, monkeypatch):
    monkeypatch.setattr("briefing.cli.common.stdout_is_terminal", lambda: True)  # the table is for a terminal (issue 15)
    root = make_corpus(tmp_path / "c")
    result = run("list", "--corpus", str(root))
    assert result.exit_code == 0
    out = result.stdout
    assert "[bold red]Markup[/] headline" in out  # not interpreted as markup
    assert "~ No headline here" in out
    assert "title derived from the first sentence" in out
    assert "undated" in out and "2025-02-01" in out and "Jane Doe" in out
    assert out.index("new.txt") < out.index("sub/old.md") < out.index("undated.txt")


def test_list_defaults_to_the_sample_corpus():
    data = json.loads(run("list", "--json").stdout)
    ids = [a["id"] for a in data]
    assert data[0]["id"] == "004_6814731f4ee210d7.txt"
    assert {p.name for p in shared_seed_files()} <= set(ids)  # the five shared articles
    examples = {i.split("#")[0] for i in ids if i.startswith("formats/")}  # and one example of each format (issue 18)
    assert {e.rsplit(".", 1)[1] for e in examples} == {"pdf", "docx", "odt", "eml", "mbox", "rss", "jsonl", "md", "html"}


def test_group_level_corpus_and_env(tmp_path, monkeypatch):
    root = make_corpus(tmp_path / "c")
    assert len(json.loads(run("--corpus", str(root), "list", "--json").stdout)) == 4
    monkeypatch.setenv("BRIEFING_CORPUS", str(root))
    assert len(json.loads(run("list", "--json").stdout)) == 4


@pytest.mark.parametrize("cmd", [["list"], ["show", "x.txt"]])
def test_missing_corpus_exits_2_with_a_message(tmp_path, cmd):
    result = run(*cmd, "--corpus", str(tmp_path / "nope"))
    assert result.exit_code == 2
    assert "corpus folder not found" in result.stderr
    assert "Traceback" not in result.output


def test_show_human_and_json(tmp_path):
    root = make_corpus(tmp_path / "c")
    result = run("show", "new.txt", "--corpus", str(root))
    assert result.exit_code == 0
    assert "[bold red]Markup[/] headline" in result.stdout
    assert "Date: 2025-02-01" in result.stdout and "Author: Jane Doe" in result.stdout
    assert result.stdout.rstrip().endswith("New body.")
    data = json.loads(run("show", "sub/old.md", "--corpus", str(root), "--json").stdout)
    assert data["body"] == "Old body." and data["title"] == "Old one" and data["tags"] == ["energy"]
    assert data["id"] == "sub/old.md"


def test_show_unknown_id_exits_2(tmp_path):
    root = make_corpus(tmp_path / "c")
    for bad in ("nope.txt", "../c/new.txt", "broken.txt"):
        result = run("show", bad, "--corpus", str(root))
        assert result.exit_code in (1, 2), bad
        assert result.stderr.startswith("briefing: ")
    assert run("show", "nope.txt", "--corpus", str(root)).exit_code == 2
    broken = run("show", "broken.txt", "--corpus", str(root))
    assert broken.exit_code == 1 and "binary file" in broken.stderr


def test_show_seed_body_has_headings_and_no_furniture():
    data = json.loads(run("show", "001_91c4a80b16629b6a.txt", "--json").stdout)
    assert "The Belarus factor" in data["headings"]
    assert "Previous article" not in data["body"]


def test_cli_runs_as_a_module(tmp_path):
    root = make_corpus(tmp_path / "c")
    env = {**os.environ, "BRIEFING_CONFIG_DIR": str(tmp_path / "cfg"), "BRIEFING_DATA_DIR": str(tmp_path / "d"),
           "BRIEFING_CACHE_DIR": str(tmp_path / "cache")}
    out = subprocess.run([sys.executable, "-m", "briefing", "list", "--json", "--corpus", str(root)],
                         capture_output=True, text=True, env=env)
    assert out.returncode == 0
    assert [d["id"] for d in json.loads(out.stdout)][0] == "new.txt"
    assert "broken.txt" in out.stderr


def test_warnings_read_from_the_index_are_those_of_every_article_in_list_order(tmp_path, capsys):
    """Commands opened through the index (stories, keywords, brief export) warn of
    each article's warnings from the index's rows, without a meta per article: the
    same lines, in the same order, as over every article."""
    from briefing.cli.common import report_indexed_warnings, report_warnings
    from briefing.index import open_index

    root = make_corpus(tmp_path / "c")
    for name, date in (("cp2.txt", "date 2024-01-02 "), ("cp3.txt", ""), ("cp4.txt", "date 2026-03-04 ")):
        (root / name).write_bytes(f"Caf\xe9 {name}\n\n{date}Body \x93x\x94.\n".encode("latin-1"))
    corpus = open_index(root, workers=1)
    capsys.readouterr()
    report_warnings(list(corpus.articles))
    expected = capsys.readouterr().err
    assert expected.count("warning:") == 4
    report_indexed_warnings(corpus)
    assert capsys.readouterr().err == expected
