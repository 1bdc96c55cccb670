"""`briefing list --query`, `briefing export --query` and the `--search` alias."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from briefing.cli import main


@pytest.fixture(autouse=True)
def _cli_env(monkeypatch, tmp_path):
    monkeypatch.delenv("BRIEFING_CORPUS", raising=False)
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("COLUMNS", "160")


@pytest.fixture
def root(tmp_path):
    root = tmp_path / "corpus"
    (root / "kyiv").mkdir(parents=True)
    files = {
        "kyiv/grid.md": ("Power grid repaired", "2024-03-02", "Kyiv Independent", "energy",
                         "Engineers restored the power grid after the strike."),
        "kyiv/talks.md": ("Grain talks resume", "2024-03-10", "Reuters", "ports",
                          "The grain corridor talks resume; the power of the ports grows."),
        "markets.md": ("Prices rise", "2024-01-15", "Reuters", "",
                       "Prices rose as the grid operator said nothing."),
        "old.md": ("Old grid story", "2023-06-01", "BBC News", "energy", "An old story about the grid power."),
    }
    for name, (title, day, source, tag, body) in files.items():
        tags = f"tags: [{tag}]\n" if tag else ""
        (root / name).write_text(f"---\ntitle: {title}\ndate: {day}\nsource: {source}\n{tags}---\n\n{body}\n",
                                 encoding="utf-8")
    (root / "annotations.yaml").write_text(
        'version: 2\narticles:\n  "markets.md":\n    flagged: true\n    notes:\n      - at: "2024-01-01T00:00:00Z"\n'
        '        text: "check"\n  "old.md":\n    dismissed: true\n', encoding="utf-8")
    return root


def listed(root, *args) -> list[str]:
    result = CliRunner().invoke(main, ["list", "--corpus", str(root), "--json", *args])
    assert result.exit_code == 0, result.output
    return [item["id"] for item in json.loads(result.stdout)]


def test_list_query_words_phrases_fields(root):
    assert listed(root, "--query", "grid") == ["kyiv/grid.md", "markets.md"]  # old.md is dismissed: hidden
    assert listed(root, "--query", '"power grid"') == ["kyiv/grid.md"]
    assert listed(root, "--query", "grid -power") == ["markets.md"]
    assert listed(root, "--query", 'source:"Kyiv Independent" OR tag:ports') == ["kyiv/talks.md", "kyiv/grid.md"]
    assert listed(root, "--query", "id:kyiv sort:oldest") == ["kyiv/grid.md", "kyiv/talks.md"]
    assert listed(root, "--query", "is:flagged") == ["markets.md"]
    assert listed(root, "--query", "is:dismissed") == ["old.md"]  # asked for: shown
    assert listed(root, "--query", "date:2024-03 -tag:energy") == ["kyiv/talks.md"]
    assert listed(root, "--query", "since:2024-02 until:2024-03-05") == ["kyiv/grid.md"]
    assert listed(root, "--query", "pow*") == ["kyiv/talks.md", "kyiv/grid.md"]


def test_search_is_the_same_option(root):
    for query in ("grid", '"power grid"', "grain OR prices sort:oldest"):
        assert listed(root, "--search", query) == listed(root, "--query", query)


def test_list_combines_query_and_filters(root):
    assert listed(root, "--query", "grid", "--tag", "energy") == ["kyiv/grid.md"]


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ('"power grid', "never closed"),
        ("(grid OR power", "never closed"),
        ("grid)", "closes nothing"),
        ("-", "lone '-'"),
        ("OR OR", "OR needs"),
        ("tag:", "needs a value"),
        ("x" * 10_000, "too long"),
        ("date:someday", "not understood"),
    ],
)
def test_a_bad_query_is_refused_with_where_and_why(root, query, says):
    result = CliRunner().invoke(main, ["list", "--corpus", str(root), "--query", query])
    assert result.exit_code == 2
    assert says in result.stderr and "Traceback" not in result.output
    assert result.stdout == ""


def test_a_caret_points_at_the_problem(root):
    result = CliRunner().invoke(main, ["list", "--corpus", str(root), "--query", 'grid "power'])
    lines = result.stderr.splitlines()
    assert lines[1] == '  grid "power'
    assert lines[2] == "       ^^^^^^"


def test_markup_and_control_bytes_in_a_query_are_text(root):
    assert listed(root, "--query", "[bold]grid[/]") == []  # "bold" is a word that no article has
    assert listed(root, "--query", "grid\x1b[31m") == []
    assert listed(root, "--query", "grid\x07") == ["kyiv/grid.md", "markets.md"]


def test_export_query(root):
    result = CliRunner().invoke(main, ["export", "--corpus", str(root), "-f", "json", "--all", "--query", '"power grid" OR prices'])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    found = sorted(item["id"] for item in data["items"])
    assert found == ["kyiv/grid.md", "markets.md"]
    alias = CliRunner().invoke(main, ["export", "--corpus", str(root), "-f", "json", "--all", "--search", '"power grid" OR prices'])
    assert alias.stdout == result.stdout


def test_export_refuses_a_bad_query_before_writing(root, tmp_path):
    target = tmp_path / "out.md"
    result = CliRunner().invoke(main, ["export", "--corpus", str(root), "-o", str(target), "--query", "a OR"])
    assert result.exit_code == 2 and "OR needs" in result.stderr
    assert not target.exists()
