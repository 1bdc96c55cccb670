"""`briefing compare` and `briefing keywords`: output, JSON, plain content, exit codes."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from briefing.cli import main

REWRITE = "002_779c45f11c9e3794.txt"
ORIGINAL = "003_dd4f2a093bc6ca5d.txt"


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    for var in ("CONFIG", "DATA", "CACHE"):
        monkeypatch.setenv(f"BRIEFING_{var}_DIR", str(tmp_path / f"_{var.lower()}"))
    monkeypatch.delenv("BRIEFING_CORPUS", raising=False)
    monkeypatch.setenv("COLUMNS", "200")


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_compare_sample_story_prints_rows_and_counts():
    result = run("compare", REWRITE, ORIGINAL)
    assert result.exit_code == 0
    out = result.stdout
    assert f" 1  undated     {REWRITE}" in out and f" 2  undated     {ORIGINAL}" in out
    assert "2 Ukraine’s Air Force said it had intercepted only 38 of the missiles" in out
    assert "= Donald Trump's initiative was meant to give diplomacy a chance." in out
    assert "1 -\n2 We heard the first explosions in Kyiv" in out
    assert "differences: 2 numbers" in out


def test_compare_json():
    data = json.loads(run("compare", REWRITE, ORIGINAL, "--json").stdout)
    assert [m["id"] for m in data["members"]] == [REWRITE, ORIGINAL]
    assert data["ids"] == [REWRITE, ORIGINAL]
    numbers = [d["texts"] for d in data["differences"] if d["kind"] == "number"]
    assert ["some", "only 38"] in numbers
    row = data["rows"][[d for d in data["differences"] if d["texts"] == ["some", "only 38"]][0]["row"]]
    cell = row["cells"][1]
    start, end, kind = [m for m in cell["marks"] if m[2] == "number"][0]
    assert cell["text"][start:end] == "only 38"


def test_compare_prints_markup_as_text(tmp_path):
    root = tmp_path / "c"
    root.mkdir()
    (root / "a.txt").write_text("Headline A\n\n[bold red]Mayor[/] said 70 people fled [link=x]the city[/link] on Monday.\n")
    (root / "b.txt").write_text("Headline B\n\n[bold red]Mayor[/] said 80 people fled [link=x]the city[/link] on Monday.\n")
    result = run("compare", "a.txt", "b.txt", "--corpus", str(root))
    assert result.exit_code == 0
    assert "1 [bold red]Mayor[/] said 70 people fled [link=x]the city[/link] on Monday." in result.stdout
    assert "differences: 1 number" in result.stdout


def test_compare_errors():
    one = run("compare", REWRITE)
    assert one.exit_code == 2 and "at least two" in one.stderr
    missing = run("compare", REWRITE, "nope.txt")
    assert missing.exit_code == 2 and "no article with id 'nope.txt'" in missing.stderr


def test_keywords_json_and_suggestions_from_existing_tags(tmp_path):
    root = tmp_path / "c"
    root.mkdir()
    (root / "a.md").write_text(
        "---\ntitle: Grid attack\ntags: [Substations]\n---\n"
        "Drones hit substations near Kharkiv. The substations burned for hours. Repair crews reached "
        "the substations at dawn while drones circled.\n"
    )
    (root / "b.md").write_text("---\ntitle: Other\ntags: [drones, weather]\n---\nRain fell on the city today.\n")
    (root / "c.txt").write_text("Another report\n\nThe city council met today about the budget.\n")
    data = json.loads(run("keywords", "a.md", "--corpus", str(root), "--json").stdout)
    assert data["id"] == "a.md"
    keys = [k["key"] for k in data["keywords"]]
    assert keys[:2] == ["substations", "drones"]
    assert data["tags"] == ["Substations"]
    # "drones" is an existing tag; "Substations" is the article's own, never suggested
    assert data["suggested_tags"][0] == "drones"
    assert all(t.casefold() != "substations" for t in data["suggested_tags"])
    text = run("keywords", "a.md", "--corpus", str(root))
    assert text.exit_code == 0
    assert "keywords: substations (3), drones (2)" in text.stdout
    assert "suggested tags: drones" in text.stdout


def test_keywords_unknown_id():
    result = run("keywords", "nope.txt")
    assert result.exit_code == 2 and "no article with id 'nope.txt'" in result.stderr
