"""The list's row model with stories (pure functions: no app)."""

from __future__ import annotations

import datetime as dt

from briefing.stories import Stories, Story
from briefing.tui.marks import Markers
from briefing.tui.stories import (
    combined_markers,
    is_story_key,
    member_row,
    story_key,
    story_row,
    story_rows,
)

from .conftest import meta

D1, D2, D3 = dt.date(2024, 1, 3), dt.date(2024, 1, 2), dt.date(2024, 1, 1)


def corpus():
    # newest first, as the list gives them
    metas = [
        meta("a.txt", "A newest, a rewrite", D1),
        meta("b.txt", "B alone", D2),
        meta("c.txt", "C the first report", D3),
        meta("d.txt", "D undated", None),
    ]
    story = Story("c.txt", ("c.txt", "a.txt"), (1.0, 0.8))  # lead: the oldest
    return metas, Stories([story], 0.2, 7)


def test_no_grouping_is_one_row_per_article():
    metas, _ = corpus()
    rows = story_rows(metas, None)
    assert [r.key for r in rows] == ["a.txt", "b.txt", "c.txt", "d.txt"]
    assert not any(r.is_story for r in rows)


def test_a_story_is_one_row_where_its_newest_member_stands_showing_its_lead():
    metas, stories = corpus()
    rows = story_rows(metas, stories)
    assert [r.key for r in rows] == [story_key("c.txt"), "b.txt", "d.txt"]
    head = rows[0]
    assert head.is_story and is_story_key(head.key)
    assert head.meta.id == "c.txt"  # the lead (first report) is what the row shows and opens
    assert head.day == D1  # under the day of its newest member
    assert head.members == ("c.txt", "a.txt")
    assert head.article_ids == ("c.txt", "a.txt")


def test_expanded_story_lists_its_members_in_story_order_under_it():
    metas, stories = corpus()
    rows = story_rows(metas, stories, expanded={"c.txt"})
    assert [r.key for r in rows] == [story_key("c.txt"), "c.txt", "a.txt", "b.txt", "d.txt"]
    assert rows[0].expanded
    assert [r.depth for r in rows] == [0, 1, 1, 0, 0]
    assert rows[1].day == rows[2].day == D1  # members stay under their story's heading


def test_a_story_shows_when_one_member_matches_and_counts_the_listed_ones():
    metas, stories = corpus()
    rows = story_rows([metas[0], metas[1]], stories)  # a search kept only a.txt of the story
    head = rows[0]
    assert head.key == story_key("c.txt") and head.members == ("a.txt",)
    assert head.meta.id == "a.txt"  # the lead is not listed: the row shows the member that is
    assert head.article_ids == ("c.txt", "a.txt")  # an action still acts on the whole story
    text = story_row(head, Markers()).plain
    assert "▸ 1 of 2 sources" in text


def test_story_row_text_counts_sources_and_keeps_titles_plain():
    hostile = "[bold]Boom[/] [@click=app.quit]x[/] \x1b[31mred"
    metas = [meta("x.txt", hostile, D1), meta("y.txt", "Other", D2)]
    stories = Stories([Story("y.txt", ("y.txt", "x.txt"), (1.0, 0.9))], 0.2, 7)
    head = story_rows(metas, stories)[0]
    assert head.meta.id == "y.txt"
    expanded = story_rows(metas, stories, {"y.txt"})
    member = expanded[2]
    assert member.meta.id == "x.txt"
    from briefing.tui import rows

    text = member_row(rows.article_row(member.meta, Markers())).plain
    assert "[bold]Boom[/] [@click=app.quit]x[/]" in text
    assert "\x1b" not in text
    assert all(line.startswith("    ") for line in text.split("\n"))
    assert "▾ 2 sources" in story_row(expanded[0], Markers()).plain


def test_combined_markers():
    got = combined_markers([Markers(unread=False, tags=("energy",), notes=1),
                            Markers(unread=True, flagged=True, tags=("kyiv", "energy"), notes=2)])
    assert got == Markers(unread=True, flagged=True, tags=("energy", "kyiv"), notes=3)
    assert combined_markers([Markers(unread=False), Markers(unread=False)]).unread is False


def _headings(rows) -> list[str]:
    from briefing.tui.widgets.list_layout import lay_out

    return [e.heading.plain for e in lay_out(rows, None).entries if e.heading is not None]


def test_day_headings_count_articles_not_rows():
    # issue 14: "Undated (2)" stood over three articles when a story row held two versions
    d1, d2, d3 = meta("u1.txt", "One", None), meta("u2.txt", "Two", None), meta("u3.txt", "Three", None)
    stories = Stories([Story("u1.txt", ("u1.txt", "u2.txt"), (1.0, 0.9))], 0.2, 7)
    assert _headings(story_rows([d1, d2, d3], stories)) == ["Undated  (3)"]
    assert _headings(story_rows([d1, d2, d3], stories, {"u1.txt"})) == ["Undated  (3)"]  # members not twice
    assert _headings(story_rows([d1, d3], stories)) == ["Undated  (2)"]  # a search kept one version
    assert _headings(story_rows([d1, d2, d3], None)) == ["Undated  (3)"]


def test_a_story_counts_under_the_day_its_row_stands():
    metas, stories = corpus()
    assert _headings(story_rows(metas, stories)) == [
        "Wednesday 3 January 2024  (2)", "Tuesday 2 January 2024  (1)", "Undated  (1)"]
