"""``briefing stats``: table, JSON, pipe lines, --query, --by."""

from __future__ import annotations

import json

from click.testing import CliRunner

from briefing.cli import common, main
from briefing.resources import sample_corpus
from tests.stats.test_counts import write_corpus


def run(*args: str) -> str:
    result = CliRunner().invoke(main, ["stats", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_json_by_source_and_day_match_the_files(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "c"
    root.mkdir()
    (root / "a.md").write_text("---\ntitle: A\ndate: 2024-03-01\nsource: Wire\ntags: [grid]\n---\n\nGrid text.\n")
    (root / "b.md").write_text("---\ntitle: B\ndate: 2024-03-03\nsource: Wire\n---\n\nOther text.\n")
    (root / "c.md").write_text("---\ntitle: C\nsource: Paper\n---\n\nUndated grid text.\n")
    data = json.loads(run("--corpus", str(root), "--json", "--by", "source"))
    assert data["total"] == 3 and data["undated"] == 1
    assert data["rows"] == [{"key": "Wire", "count": 2}, {"key": "Paper", "count": 1}]
    days = json.loads(run("--corpus", str(root), "--json"))
    assert days["by"] == "day"
    assert [(r["start"], r["count"]) for r in days["rows"]] == [("2024-03-01", 1), ("2024-03-02", 0), ("2024-03-03", 1)]
    grid = json.loads(run("--corpus", str(root), "--json", "--by", "tag", "--query", "grid"))
    assert grid["total"] == 2 and grid["undated"] == 1 and grid["rows"] == [{"key": "grid", "count": 1}]
    monkeypatch.setattr(common, "stdout_is_terminal", lambda: False)
    assert run("--corpus", str(root), "--by", "month").splitlines() == ["2024-03\t2", "undated\t1"]


def test_table_and_sparkline_on_a_terminal(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "c"
    root.mkdir()
    write_corpus(root)
    monkeypatch.setattr(common, "stdout_is_terminal", lambda: True)
    out = run("--corpus", str(root), "--by", "week")
    first = out.splitlines()[0]
    assert "one mark per week" in first and any(c in first for c in "▁▂▃▄▅▆▇█")
    assert "Week" in out and "undated" in out and "total" in out and " 60" in out


def test_lang_without_languages_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(main, ["stats", "--corpus", str(sample_corpus()), "--by", "lang"])
    assert result.exit_code == 2 and "languages" in result.output


def test_with_an_index_the_counts_come_from_the_cache_with_the_annotations(tmp_path, monkeypatch):
    """No query: the aggregates of the cache, corrected by annotations.yaml; the
    articles' rows are never all loaded (a million would not fit the memory bound)."""
    from briefing.index.indexed import CorpusIndex

    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "c"
    root.mkdir()
    for name, day, source in (("a", "2024-03-01", "Wire"), ("b", "2024-03-03", "Wire"), ("c", "2024-03-03", "Paper")):
        (root / f"{name}.md").write_text(f"---\ntitle: {name}\ndate: {day}\nsource: {source}\n---\n\nText {name}.\n")
    result = CliRunner().invoke(main, ["index", "--corpus", str(root)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    (root / "annotations.yaml").write_text(
        'version: "4"\narticles:\n'
        '  "a.md":\n    date: "2024-03-02"\n    tags: ["grid"]\n'
        '  "b.md":\n    dismissed: true\n', encoding="utf-8")

    def no_snapshot(self):
        raise AssertionError("every row loaded")

    monkeypatch.setattr(CorpusIndex, "snapshot", no_snapshot)
    days = json.loads(run("--corpus", str(root), "--json"))
    assert days["total"] == 2 and days["undated"] == 0  # b dismissed
    assert [(r["start"], r["count"]) for r in days["rows"]] == [("2024-03-02", 1), ("2024-03-03", 1)]
    assert json.loads(run("--corpus", str(root), "--json", "--by", "tag"))["rows"] == [{"key": "grid", "count": 1}]
