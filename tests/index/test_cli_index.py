"""`briefing index` and `briefing list --search`."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from briefing.cli import main
from briefing.index import cache_path

from .conftest import make_corpus


@pytest.fixture(autouse=True)
def _cli_env(monkeypatch):
    monkeypatch.delenv("BRIEFING_CORPUS", raising=False)
    monkeypatch.setenv("COLUMNS", "160")


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_index_builds_then_refreshes(tmp_path):
    root = tmp_path / "c"
    make_corpus(root, 12)
    first = run("index", "--corpus", str(root))
    assert first.exit_code == 0
    assert "12 articles indexed" in first.output and "12 new" in first.output
    assert cache_path(root).exists()
    (root / "extra.txt").write_text("Extra headline\n\nMore text.\n")
    (root / "2020" / "01" / "0000.txt").unlink()
    second = run("index", "--corpus", str(root))
    assert "12 articles indexed" in second.output
    assert "1 new, 0 changed, 1 deleted, 0 renamed, 11 unchanged" in second.output
    rebuilt = run("index", "--corpus", str(root), "--rebuild")
    assert "12 new" in rebuilt.output and "(cache rebuilt)" in rebuilt.output


def test_index_reports_problems_on_stderr(tmp_path):
    root = tmp_path / "c"
    make_corpus(root, 3)
    (root / "broken.txt").write_bytes(b"\x00\x01" * 100)
    result = CliRunner().invoke(main, ["index", "--corpus", str(root)])
    assert result.exit_code == 0
    assert "broken.txt" in result.stderr and "broken.txt" not in result.stdout
    assert "1 problems" in result.stdout


def _ids(output: str) -> list[str]:
    return [row["id"] for row in json.loads(output)]


def test_list_search_json(tmp_path):
    root = tmp_path / "c"
    root.mkdir()
    (root / "a.txt").write_text("Grid repairs\n\ndate 2024-01-02 Engineers fixed the power grid overnight.\n")
    (root / "b.txt").write_text("Markets\n\ndate 2024-03-04 Prices rose; the grid operator said nothing.\n")
    (root / "c.txt").write_text("Weather\n\ndate 2024-02-02 Snow fell on the capital.\n")
    assert _ids(run("list", "--corpus", str(root), "--json", "--search", "grid").stdout) == ["b.txt", "a.txt"]
    # The query language (issue 16): a prefix is asked for with '*' (only the reader's
    # field, while typing, takes the last word as a prefix), and a query that does not
    # parse is refused with where and why, instead of searching its words.
    assert _ids(run("list", "--corpus", str(root), "--json", "--search", "power gr*").stdout) == ["a.txt"]
    assert _ids(run("list", "--corpus", str(root), "--json", "--search", "power gr").stdout) == []
    assert _ids(run("list", "--corpus", str(root), "--json", "--search", "snow").stdout) == ["c.txt"]
    nothing = CliRunner().invoke(main, ["list", "--corpus", str(root), "--search", 'NEAR( "x -'])
    assert nothing.exit_code == 2 and nothing.stdout == ""
    assert "never closed" in nothing.stderr


def test_list_output_is_the_same_with_and_without_the_index(tmp_path, monkeypatch):
    root = tmp_path / "c"
    make_corpus(root, 25)
    (root / "broken.txt").write_bytes(b"\x00\x01" * 100)
    runner = CliRunner()
    before = runner.invoke(main, ["list", "--corpus", str(root), "--json"])
    assert not cache_path(root).exists()  # a plain list does not create a cache
    run("index", "--corpus", str(root))
    after = runner.invoke(main, ["list", "--corpus", str(root), "--json"])
    assert after.stdout == before.stdout
    assert sorted(after.stderr.splitlines()) == sorted(before.stderr.splitlines())
    piped = run("list", "--corpus", str(root)).stdout  # tab-separated lines (issue 15)
    assert piped.count("\n") == 25 and all(line.count("\t") == 5 for line in piped.splitlines())
    monkeypatch.setattr("briefing.cli.common.stdout_is_terminal", lambda: True)  # the table, for a terminal
    table_before = run("list", "--corpus", str(root)).output
    assert table_before and "Title" in table_before
