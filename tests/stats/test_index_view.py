"""Counts read from the index by SQL (briefing.listing.view.IndexView, what ``briefing
stats`` uses at a million articles) equal the brute-force count; the command
answers from the cache without loading the corpus, and still sees a new file."""

from __future__ import annotations

import json

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.cli import common, main
from briefing.listing.stream import connect
from briefing.listing.view import IndexView
from briefing.stats import count_view
from tests.stats.test_counts import DATES, as_tuple, brute, corpora, notes_strategy, write_corpus

__all__ = ["corpora"]  # the fixture, shared with test_counts


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_view_counts_equal_brute_force(corpora, data):
    indexed, _plain = corpora
    ids = [m.id for m in indexed.articles]
    notes = data.draw(notes_strategy(ids))
    since, until, show = data.draw(DATES), data.draw(DATES), data.draw(st.booleans())
    conn = connect(indexed._index.path)
    try:
        view = IndexView(conn, notes)
        got = count_view(view, notes, since=since, until=until, show_dismissed=show)
        assert as_tuple(got) == brute(indexed.articles, notes, since=since, until=until, show_dismissed=show)
        assert got.langs == count_view(indexed, notes, since=since, until=until, show_dismissed=show).langs
        subset = set(data.draw(st.lists(st.sampled_from(ids), max_size=20)))
        assert as_tuple(count_view(IndexView(conn), notes, subset)) == brute(indexed.articles, notes, ids=subset)
    finally:
        conn.close()


def test_view_get_unknown_id_is_a_key_error(corpora):
    indexed, _plain = corpora
    conn = connect(indexed._index.path)
    try:
        view = IndexView(conn)
        first = indexed.articles[0]
        assert view.get(first.id) == first
        try:
            view.get("no-such-article.md")
        except KeyError:
            pass
        else:
            raise AssertionError("an unknown id must raise KeyError")
    finally:
        conn.close()


def stats_json(*args: str) -> dict:
    result = CliRunner().invoke(main, ["stats", "--json", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_stats_with_an_index_reads_it_without_loading_and_sees_a_new_file(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "c"
    root.mkdir()
    write_corpus(root)
    assert CliRunner().invoke(main, ["index", "--corpus", str(root)]).exit_code == 0
    loaded = stats_json("--corpus", str(root), "--by", "source")  # no annotations yet
    grid = stats_json("--corpus", str(root), "--by", "tag", "--query", "grid")
    (root / "annotations.yaml").write_text(
        'version: 1\narticles:\n  "a000.md":\n    status: "read"\n    tags: ["mine"]\n    date: "2024-02-02"\n'
        '  "a001.md":\n    dismissed: true\n', encoding="utf-8")

    def refuse(*_args: object) -> None:
        raise AssertionError("stats loaded the whole corpus")

    monkeypatch.setattr("briefing.cli.stats.open_for_listing", refuse)
    by_source = stats_json("--corpus", str(root), "--by", "source")
    assert by_source["total"] == loaded["total"] - 1  # the dismissed one is left out
    by_tag = stats_json("--corpus", str(root), "--by", "tag")
    assert {"key": "mine", "count": 1} in by_tag["rows"]
    found = stats_json("--corpus", str(root), "--by", "tag", "--query", "grid")
    assert found["total"] == grid["total"] - 1
    (root / "new.md").write_text("---\ntitle: New\ndate: 2024-05-05\nsource: Fresh Wire\n---\n\nA new grid text.\n")
    after = stats_json("--corpus", str(root), "--by", "source")
    assert after["total"] == by_source["total"] + 1 and {"key": "Fresh Wire", "count": 1} in after["rows"]
    monkeypatch.setattr(common, "stdout_is_terminal", lambda: False)
    lines = CliRunner().invoke(main, ["stats", "--corpus", str(root), "--by", "month"]).stdout.splitlines()
    assert "2024-05\t" in "\n".join(lines) and lines[-1].startswith("undated\t")
