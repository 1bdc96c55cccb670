"""`briefing stories`: text blocks, JSON, options, plain content."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from briefing.cli import main
from tests.seedfiles import copy_shared_seeds
from tests.stories.story_texts import GRID_APRIL, GRID_MARCH, GRID_MARCH_REWRITE, ORIGINAL, REWRITE, write


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    for var in ("CONFIG", "DATA", "CACHE"):
        monkeypatch.setenv(f"BRIEFING_{var}_DIR", str(tmp_path / f"_{var.lower()}"))
    monkeypatch.delenv("BRIEFING_CORPUS", raising=False)


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_sample_corpus_lists_one_story_with_its_members(tmp_path):
    result = run("stories", "--corpus", str(copy_shared_seeds(tmp_path / "seeds")))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "1 story, 2 of 5 articles (threshold 0.2, window 7 days)"
    assert "Story 1: 2 articles" in lines
    text = result.stdout
    assert text.index(REWRITE) < text.index(ORIGINAL)  # the lead first
    assert "lead  Russia has launched its biggest aerial attack" in text
    assert "Russia hits Ukraine energy sites" in text
    for loner in ("000_c25f74af4bc17e80.txt", "001_91c4a80b16629b6a.txt", "004_6814731f4ee210d7.txt"):
        assert loner not in text


def test_json_is_documented_shape_and_stable(tmp_path):
    root = tmp_path / "c"
    write(root, "a/march.txt", GRID_MARCH)
    write(root, "b/april.txt", GRID_APRIL)
    write(root, "c/rewrite.txt", GRID_MARCH_REWRITE)
    first = run("stories", "--corpus", str(root), "--json")
    second = run("stories", "--corpus", str(root), "--json")
    assert first.exit_code == 0 and first.stdout == second.stdout
    data = json.loads(first.stdout)
    assert data["schema"] == "briefing-stories/1"
    assert (data["articles"], data["grouped"], data["threshold"], data["window_days"]) == (3, 2, 0.2, 7)
    [story] = data["stories"]
    assert story["id"] == "a/march.txt" and story["size"] == 2
    assert (story["first_date"], story["last_date"]) == ("2024-03-22", "2024-03-23")
    assert [m["id"] for m in story["members"]] == ["a/march.txt", "c/rewrite.txt"]
    assert story["members"][0]["similarity"] == 1.0 and 0.2 <= story["members"][1]["similarity"] < 1.0
    assert story["members"][1]["title"] == "Massive Russian attack on Ukraine's energy system"
    assert story["members"][1]["date"] == "2024-03-23"


def test_threshold_option_and_no_stories_message(tmp_path):
    seeds = str(copy_shared_seeds(tmp_path / "seeds"))
    result = run("stories", "--threshold", "0.9", "--corpus", seeds)
    assert result.exit_code == 0 and result.stdout == ""
    assert "No stories among 5 articles (threshold 0.9)" in result.stderr
    assert json.loads(run("stories", "--threshold", "0.9", "--json", "--corpus", seeds).stdout)["stories"] == []
    bad = run("stories", "--threshold", "1.5")
    assert bad.exit_code == 2 and "--threshold" in bad.stderr


def test_window_option_splits_by_date(tmp_path):
    root = tmp_path / "c"
    write(root, "march.txt", GRID_MARCH)
    write(root, "later.txt", GRID_MARCH_REWRITE.replace("date 2024-03-23", "date 2024-04-30"))
    assert json.loads(run("stories", "--corpus", str(root), "--json").stdout)["stories"] == []  # 39 days apart
    wide = json.loads(run("stories", "--corpus", str(root), "--json", "--window", "0").stdout)
    assert [m["id"] for m in wide["stories"][0]["members"]] == ["march.txt", "later.txt"]


def test_hostile_titles_print_as_plain_text(tmp_path):
    root = tmp_path / "c"
    body = GRID_MARCH.split("\n", 1)[1]
    write(root, "one.txt", "Evil \x1b]52;c;aGk=\x07 title [bold]x[/bold]\n" + body)
    write(root, "two.txt", "Evil \x1b[2J title two\n" + body.replace("2024-03-22", "2024-03-23"))
    result = run("stories", "--corpus", str(root))
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "[bold]x[/bold]" in result.stdout
    assert "one.txt" in result.stdout and "two.txt" in result.stdout


def test_a_renamed_annotated_file_keeps_its_title_in_the_stories(tmp_path):
    """The store is reconciled through the index (no meta per article): an annotated
    file moved since keeps the analyst's title under its new id."""
    from briefing.annotations import AnnotationStore, open_store
    from briefing.index import open_index

    root = tmp_path / "c"
    write(root, "a/march.txt", GRID_MARCH)
    write(root, "c/rewrite.txt", GRID_MARCH_REWRITE)
    store, _ = open_store(root, list(open_index(root).articles))  # the entry records the file's fingerprint
    store.set_title("a/march.txt", "The analyst's title")
    (root / "z").mkdir()
    (root / "a" / "march.txt").rename(root / "z" / "moved.txt")
    data = json.loads(run("stories", "--corpus", str(root), "--json").stdout)
    [story] = data["stories"]
    titles = {m["id"]: m["title"] for m in story["members"]}
    assert titles["z/moved.txt"] == "The analyst's title"
    # followed in memory: a command that only reads leaves the file for one that writes
    assert "a/march.txt" in AnnotationStore.open(root).document.articles
