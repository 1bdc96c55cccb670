"""Corrections everywhere (issue 14): an analyst's date or title is the article's in
every command, with the file's value still visible where it matters; and one summary
rule (the article's choice, else config.yaml) for ``summarize``, ``show`` and export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import main
from tests.stories.story_texts import GRID_MARCH, GRID_MARCH_REWRITE, write

MARCH, REWRITE = "a/march.txt", "c/rewrite.txt"
UNDATED = "undated.txt"


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    for var in ("CONFIG", "DATA", "CACHE"):
        monkeypatch.setenv(f"BRIEFING_{var}_DIR", str(tmp_path / f"_{var.lower()}"))
    monkeypatch.delenv("BRIEFING_CORPUS", raising=False)
    monkeypatch.setenv("COLUMNS", "200")


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def annotate(root: Path, entries: str) -> None:
    (root / "annotations.yaml").write_text("version: 1\narticles:\n" + entries, encoding="utf-8")


@pytest.fixture
def corpus(tmp_path) -> Path:
    root = tmp_path / "c"
    write(root, MARCH, GRID_MARCH)
    write(root, REWRITE, GRID_MARCH_REWRITE)
    write(root, UNDATED, "Plain headline\n\nA first sentence about the harbour. A second one about the ships. "
                         "A third about the cranes. A fourth about the weather.\n")
    return root


def config(tmp_path: Path, text: str) -> None:
    folder = tmp_path / "_config"
    folder.mkdir(exist_ok=True)
    (folder / "config.yaml").write_text(text, encoding="utf-8")


def test_show_text_has_the_analysts_date_and_title_and_the_files(corpus):
    annotate(corpus, f'  "{UNDATED}":\n    date: "2023-01-05"\n    title: "Set by hand"\n    tags: ["port"]\n'
                     '    notes:\n      - at: "2026-11-21T16:40:00Z"\n        text: "check the port"\n')
    result = run("show", UNDATED, "--corpus", str(corpus))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Set by hand"
    assert "Date: 2023-01-05 (set by analyst; file says none)" in lines
    assert "Title: set by analyst; file says 'Plain headline'" in lines
    assert "Tags: port" in lines and "Note: check the port" in lines
    assert "Status: unread" in lines


def test_show_text_names_the_files_date_when_it_had_one(corpus):
    annotate(corpus, f'  "{MARCH}":\n    date: "2024-03-01"\n')
    result = run("show", MARCH, "--corpus", str(corpus))
    assert "Date: 2024-03-01 (set by analyst; file says 2024-03-22)" in result.stdout.splitlines()


def test_show_without_corrections_says_nothing_of_the_analyst(corpus):
    result = run("show", MARCH, "--corpus", str(corpus))
    assert "Date: 2024-03-22" in result.stdout.splitlines()
    assert "analyst" not in result.stdout


def test_show_json_carries_corrections_annotations_and_state(corpus):
    annotate(corpus, f'  "{UNDATED}":\n    status: "flagged"\n    date: "2023-01-05"\n    title: "Set by hand"\n'
                     '    tags: ["port"]\n    notes:\n      - at: "2026-11-21T16:40:00Z"\n        text: "check"\n'
                     '    highlights:\n      - quote: "the ships"\n        note: "fleet"\n')
    data = json.loads(run("show", UNDATED, "--corpus", str(corpus), "--json").stdout)
    assert (data["title"], data["date"]) == ("Set by hand", "2023-01-05")
    assert (data["file_title"], data["file_date"]) == ("Plain headline", None)
    assert data["title_overridden"] is True and data["date_overridden"] is True
    assert data["tags"] == ["port"]
    assert data["notes"] == [{"at": "2026-11-21T16:40:00Z", "text": "check"}]
    assert data["highlights"] == [{"quote": "the ships", "note": "fleet"}]
    assert (data["read"], data["flagged"], data["dismissed"]) == (True, True, False)
    assert "A second one about the ships." in data["body"]


def test_show_json_state_of_an_unannotated_article(corpus):
    data = json.loads(run("show", MARCH, "--corpus", str(corpus), "--json").stdout)
    assert (data["read"], data["flagged"], data["dismissed"]) == (False, False, False)
    assert data["date"] == "2024-03-22" and data["date_overridden"] is False


def test_stories_lead_follows_the_corrected_date(corpus):
    before = json.loads(run("stories", "--corpus", str(corpus), "--json").stdout)
    assert [m["id"] for m in before["stories"][0]["members"]] == [MARCH, REWRITE]
    annotate(corpus, f'  "{REWRITE}":\n    date: "2024-03-20"\n    title: "Rewrite, retitled"\n')
    data = json.loads(run("stories", "--corpus", str(corpus), "--json").stdout)
    [story] = data["stories"]
    assert story["id"] == REWRITE
    assert [m["id"] for m in story["members"]] == [REWRITE, MARCH]
    assert story["members"][0]["title"] == "Rewrite, retitled"
    assert story["members"][0]["date"] == "2024-03-20"
    assert story["first_date"] == "2024-03-20"
    text = run("stories", "--corpus", str(corpus)).stdout
    assert "2024-03-20" in text and "Rewrite, retitled" in text


def test_stories_date_window_uses_the_corrected_date(corpus):
    annotate(corpus, f'  "{REWRITE}":\n    date: "2024-06-01"\n')  # far outside the 7-day window
    data = json.loads(run("stories", "--corpus", str(corpus), "--json").stdout)
    assert data["stories"] == []


def test_compare_shows_corrected_titles_and_dates(corpus):
    annotate(corpus, f'  "{REWRITE}":\n    date: "2024-03-20"\n    title: "Rewrite, retitled"\n')
    data = json.loads(run("compare", MARCH, REWRITE, "--corpus", str(corpus), "--json").stdout)
    assert data["members"][1]["title"] == "Rewrite, retitled"
    assert data["members"][1]["date"] == "2024-03-20"
    text = run("compare", MARCH, REWRITE, "--corpus", str(corpus)).stdout
    assert "Rewrite, retitled" in text and "2024-03-20" in text
    assert "Massive Russian attack" not in text.split("\n\n")[0]


def test_keywords_use_the_corrected_title(corpus):
    annotate(corpus, f'  "{UNDATED}":\n    title: "Zeppelin Zeppelin harbour"\n')
    data = json.loads(run("keywords", UNDATED, "--corpus", str(corpus), "--json").stdout)
    assert data["title"] == "Zeppelin Zeppelin harbour"
    assert any("zeppelin" in k["text"].lower() for k in data["keywords"])  # the title is read
    text = run("keywords", UNDATED, "--corpus", str(corpus)).stdout
    assert "Zeppelin Zeppelin harbour" in text


def test_export_uses_corrected_date_and_title(corpus):
    annotate(corpus, f'  "{UNDATED}":\n    date: "2023-01-05"\n    title: "Set by hand"\n')
    data = json.loads(run("export", "--corpus", str(corpus), "--format", "json").stdout)
    [item] = data["items"]
    assert (item["headline"], item["date"]) == ("Set by hand", "2023-01-05")


def test_export_stories_lead_follows_the_corrected_date(corpus):
    annotate(corpus, f'  "{REWRITE}":\n    date: "2024-03-20"\n    tags: ["grid"]\n  "{MARCH}":\n    tags: ["grid"]\n')
    data = json.loads(run("export", "--corpus", str(corpus), "--format", "json", "--stories").stdout)
    [item] = data["items"]
    assert [s["id"] for s in item["sources"]] == [REWRITE, MARCH]  # story order: oldest (corrected) first
    assert item["sources"][0]["date"] == "2024-03-20"


def test_summarize_follows_summary_method_and_length_of_the_config(corpus, tmp_path):
    config(tmp_path, "summary_method: lead\nsummary_length: 2\n")
    data = json.loads(run("summarize", UNDATED, "--corpus", str(corpus), "--json").stdout)
    assert data["method"] == "lead"
    assert data["sentences"] == ["A first sentence about the harbour.", "A second one about the ships."]


def test_summarize_options_still_win_over_the_config(corpus, tmp_path):
    config(tmp_path, "summary_method: lead\nsummary_length: 2\n")
    data = json.loads(run("summarize", UNDATED, "--corpus", str(corpus), "--json", "-m", "default", "-n", "1").stdout)
    assert data["method"] == "default" and len(data["sentences"]) == 1


def test_summarize_shows_the_corrected_title(corpus):
    annotate(corpus, f'  "{UNDATED}":\n    title: "Set by hand"\n')
    data = json.loads(run("summarize", UNDATED, "--corpus", str(corpus), "--json").stdout)
    assert data["title"] == "Set by hand"


def test_export_summary_follows_the_config(corpus, tmp_path):
    config(tmp_path, "summary_method: lead\nsummary_length: 2\n")
    annotate(corpus, f'  "{UNDATED}":\n    tags: ["port"]\n')
    data = json.loads(run("export", "--corpus", str(corpus), "--format", "json").stdout)
    [item] = data["items"]
    assert item["summary"]["method"] == "lead"
    assert item["summary"]["sentences"] == ["A first sentence about the harbour.", "A second one about the ships."]


def test_show_names_the_summary_it_would_use(corpus, tmp_path):
    config(tmp_path, "summary_method: lexrank\nsummary_length: 5\n")
    assert "Summary: lexrank, 5 sentences" in run("show", UNDATED, "--corpus", str(corpus)).stdout.splitlines()
    data = json.loads(run("show", UNDATED, "--corpus", str(corpus), "--json").stdout)
    assert data["summary"] == {"method": "lexrank", "length": 5, "chosen": False}


def choose(root: Path, article_id: str, method: str, length: int, extra: str = "") -> None:
    (root / "annotations.yaml").write_text(
        f'articles:\n  "{article_id}":\n    summary:\n      method: "{method}"\n      length: "{length}"\n{extra}version: 2\n',
        encoding="utf-8")


def test_the_articles_summary_choice_wins_over_the_config_in_summarize_show_and_export(corpus, tmp_path):
    config(tmp_path, "summary_method: default\nsummary_length: 4\n")
    choose(corpus, UNDATED, "lead", 1, '    tags: ["port"]\n')
    data = json.loads(run("summarize", UNDATED, "--corpus", str(corpus), "--json").stdout)
    assert (data["method"], data["sentences"]) == ("lead", ["A first sentence about the harbour."])
    shown = json.loads(run("show", UNDATED, "--corpus", str(corpus), "--json").stdout)
    assert shown["summary"] == {"method": "lead", "length": 1, "chosen": True}
    assert "Summary: lead, 1 sentence" in run("show", UNDATED, "--corpus", str(corpus)).stdout.splitlines()
    exported = json.loads(run("export", "--corpus", str(corpus), "--format", "json").stdout)
    [item] = exported["items"]
    assert item["summary"]["method"] == "lead"
    assert item["summary"]["sentences"] == ["A first sentence about the harbour."]
    markdown = run("export", "--corpus", str(corpus)).stdout
    assert "A first sentence about the harbour." in markdown and "A second one about the ships." not in markdown


def test_an_article_without_a_choice_takes_the_config_beside_one_with(corpus, tmp_path):
    config(tmp_path, "summary_method: lead\nsummary_length: 2\n")
    choose(corpus, MARCH, "lead", 1)
    data = json.loads(run("summarize", UNDATED, "--corpus", str(corpus), "--json").stdout)
    assert len(data["sentences"]) == 2


def test_list_search_finds_an_article_by_its_analysts_title(corpus):
    annotate(corpus, f'  "{UNDATED}":\n    title: "Zanzibar dispatch"\n')
    data = json.loads(run("list", "--corpus", str(corpus), "--search", "zanzibar", "--json").stdout)
    assert [(d["id"], d["title"]) for d in data] == [(UNDATED, "Zanzibar dispatch")]
    assert json.loads(run("list", "--corpus", str(corpus), "--search", "harbour", "--json").stdout)[0]["id"] == UNDATED
