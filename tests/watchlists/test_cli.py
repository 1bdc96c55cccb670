"""`briefing watch list|add|remove|run|untag`, checked by reading the files back."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from briefing.annotations import AnnotationStore
from briefing.cli import main
from briefing.watchlists import WatchlistStore


@pytest.fixture
def corpus(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "a.txt").write_text("Grid attack\n\nThe power grid was hit.\n", encoding="utf-8")
    (root / "b.txt").write_text("Grid repairs\n\nCrews fixed the grid.\n", encoding="utf-8")
    (root / "c.txt").write_text("Weather\n\nSun all week.\n", encoding="utf-8")
    return root


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_watch_is_a_command_group_of_its_own():
    result = run("--help")
    assert result.exit_code == 0 and "watch" in result.output
    assert run("watch", "--help").exit_code == 0


def test_add_list_remove(corpus):
    result = run("watch", "add", "Grid", "grid", "--tag", "infra, watch", "--corpus", corpus)
    assert result.exit_code == 0, result.output
    assert WatchlistStore(corpus).get("Grid").tags == ("infra", "watch")
    result = run("watch", "list", "--json", "--corpus", corpus)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [
        {"name": "Grid", "query": "grid", "tags": ["infra", "watch"], "matches": 2, "unread": 2}]
    result = run("watch", "list", "--corpus", corpus)
    assert result.stdout.startswith("Grid: 2 matching, 2 unread")
    assert run("watch", "remove", "Grid", "--corpus", corpus).exit_code == 0
    assert WatchlistStore(corpus).watchlists == {}
    result = run("watch", "remove", "Grid", "--corpus", corpus)
    assert result.exit_code == 2 and "no watchlist named 'Grid'" in result.stderr


def test_the_group_takes_the_corpus_too(corpus):
    assert run("--corpus", corpus, "watch", "add", "g", "grid").exit_code == 0
    assert run("watch", "--corpus", corpus, "add", "h", "power").exit_code == 0
    assert WatchlistStore(corpus).names() == ["g", "h"]


def test_run_applies_the_tags_and_prints_counts(corpus):
    run("watch", "add", "Grid", "grid", "--tag", "infra", "--corpus", corpus)
    run("watch", "add", "Power", "power", "--corpus", corpus)
    AnnotationStore.open(corpus).set_read(["a.txt"], True)
    result = run("watch", "run", "--json", "--corpus", corpus)
    assert result.exit_code == 0, result.output
    rows = {r["name"]: r for r in json.loads(result.stdout)}
    assert rows["Grid"] == {"name": "Grid", "query": "grid", "tags": ["infra"], "matches": 2, "unread": 1, "tagged": 2}
    assert rows["Power"]["matches"] == 1 and rows["Power"]["tagged"] == 0
    store = AnnotationStore.open(corpus)
    assert store.get("a.txt").auto_tags == ("infra",) and store.get("b.txt").auto_tags == ("infra",)
    result = run("watch", "run", "Grid", "--corpus", corpus)
    assert result.stdout.strip() == "Grid: 2 matching, 1 unread, 0 newly tagged"
    # The list's tag filter and JSON see automatic tags as tags.
    listed = json.loads(run("list", "--tag", "infra", "--json", "--corpus", corpus).stdout)
    assert sorted(r["id"] for r in listed) == ["a.txt", "b.txt"]


def test_untag_an_article_and_a_watchlist(corpus):
    run("watch", "add", "Grid", "grid", "--tag", "infra", "--corpus", corpus)
    run("watch", "run", "--corpus", corpus)
    result = run("watch", "untag", "--article", "a.txt", "--corpus", corpus)
    assert result.exit_code == 0 and "infra" in result.stdout
    run("watch", "run", "--corpus", corpus)
    store = AnnotationStore.open(corpus)
    assert store.get("a.txt").auto_tags == () and store.get("a.txt").removed_auto_tags == ("infra",)
    result = run("watch", "untag", "Grid", "--corpus", corpus)
    assert result.exit_code == 0 and "taken off 1 articles" in result.stdout
    assert AnnotationStore.open(corpus).get("b.txt").auto_tags == ()
    assert WatchlistStore(corpus).get("Grid").tags == ()
    run("watch", "run", "--corpus", corpus)
    assert AnnotationStore.open(corpus).get("b.txt").auto_tags == ()


def test_a_hostile_file_is_named_and_left_alone(corpus):
    data = b"version: 1\nwatchlists:\n  a: !!python/object/apply:os.system [echo hi]\n"
    (corpus / "watchlists.yaml").write_bytes(data)
    result = run("watch", "list", "--corpus", corpus)
    assert result.exit_code == 0 and "line 3" in result.stderr and "watchlists.yaml" in result.stderr
    assert "Traceback" not in result.output
    result = run("watch", "add", "b", "grid", "--corpus", corpus)
    assert result.exit_code == 2 and "line 3" in result.stderr
    assert (corpus / "watchlists.yaml").read_bytes() == data


@pytest.mark.parametrize("query", ['"grid', "(grid", "tag:", "x" * 10_000, "a\x1b[2Jb"])
def test_a_query_that_does_not_parse_is_refused(corpus, query):
    result = run("watch", "add", "bad", query, "--corpus", corpus)
    assert result.exit_code == 2 and "query" in result.stderr and "Traceback" not in result.output
    assert "\x1b" not in result.stderr
    assert not (corpus / "watchlists.yaml").exists()



def test_exports_treat_automatic_tags_as_tags(corpus):
    run("watch", "add", "Grid", "grid", "--tag", "infra", "--corpus", corpus)
    run("watch", "run", "--corpus", corpus)
    # Automatic tags alone are not the analyst's work: a plain export leaves the articles out...
    plain = run("export", "-f", "json", "--corpus", corpus)
    assert plain.exit_code == 0, plain.output
    assert "a.txt" not in plain.stdout
    # ...and --tag takes them, with the automatic tag listed among the tags.
    result = run("export", "-f", "json", "--tag", "infra", "--corpus", corpus)
    assert result.exit_code == 0, result.output
    items = json.loads(result.stdout)["items"]
    assert sorted(i["id"] for i in items) == ["a.txt", "b.txt"]
    assert all("infra" in i["tags"] for i in items)


@pytest.mark.parametrize("indexed", [False, True])
def test_list_through_a_pipe_shows_automatic_tags_as_json_does(corpus, indexed):
    run("watch", "add", "Grid", "grid", "--tag", "infra", "--corpus", corpus)
    run("watch", "run", "--corpus", corpus)
    run("tag", "b.txt", "mine", "--corpus", corpus)
    if indexed:  # (then list streams its rows from the index)
        assert run("index", "--corpus", corpus).exit_code == 0
    result = run("list", "--corpus", corpus)  # not a terminal: tab-separated lines
    assert result.exit_code == 0, result.output
    tags = {line.split("\t")[0]: line.split("\t")[4] for line in result.stdout.splitlines()}
    assert tags == {"a.txt": "infra", "b.txt": "infra,mine", "c.txt": ""}
    as_json = {row["id"]: ",".join(row["tags"]) for row in json.loads(run("list", "--json", "--corpus", corpus).stdout)}
    assert as_json == tags


def test_tags_a_watch_applies_follow_a_renamed_file(corpus):
    """`watch run` knows the articles through the index's lookup (no meta per
    article): the entries it writes record their files' fingerprints, so a file
    renamed later keeps its automatic tags; `untag --article` names an unknown id."""
    run("watch", "add", "Grid", "grid", "--tag", "infra", "--corpus", corpus)
    assert run("watch", "run", "--corpus", corpus).exit_code == 0
    assert AnnotationStore.open(corpus).get("a.txt").fingerprint
    (corpus / "a.txt").rename(corpus / "moved.txt")
    listed = json.loads(run("list", "--tag", "infra", "--json", "--corpus", corpus).stdout)
    assert sorted(r["id"] for r in listed) == ["b.txt", "moved.txt"]
    result = run("watch", "untag", "--article", "nope.txt", "--corpus", corpus)
    assert result.exit_code == 2 and "no article with id 'nope.txt'" in result.output
