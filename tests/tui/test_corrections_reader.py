"""Corrections everywhere in the reader (issue 14): the analyst's date decides a
story's lead, its row's day and (when changed in the reader) regroups the stories;
the reading pane shows the corrected date and title with the file's beside them.

Sample corpus: 002… is a rewrite of 003…, both undated (the lead is 002 by id)."""

from __future__ import annotations

from textual.widgets import Static

from briefing.tui.app import BriefingApp
from briefing.tui.screens.date import DateScreen
from briefing.tui.screens.details import DetailsScreen
from briefing.tui.stories import story_key
from briefing.tui.widgets.article_list import ArticleList

from .conftest import drive, plain, settle, wait_until

REWRITE = "002_779c45f11c9e3794.txt"
ORIGINAL = "003_dd4f2a093bc6ca5d.txt"
LONER = "000_c25f74af4bc17e80.txt"


def annotate(root, entries: str) -> None:
    (root / "annotations.yaml").write_text("version: 1\narticles:\n" + entries, encoding="utf-8")


def heading_over(articles: ArticleList, key: str) -> str:
    headings = iter(articles.headings())
    current = ""
    for entry in articles.listing():
        if entry is None:
            current = next(headings)
        elif entry == key:
            return current
    raise AssertionError(f"{key} not listed")


def test_a_corrected_date_makes_the_story_lead_and_its_day(seeds):
    annotate(seeds, f'  "{ORIGINAL}":\n    date: "2022-11-01"\n')
    app = BriefingApp(seeds)

    async def test(pilot):
        articles = app.screen.query_one(ArticleList)
        await wait_until(pilot, lambda: app.screen.state.stories is not None, what="stories grouped")
        await settle(pilot)
        keys = [k for k in articles.listing() if k is not None]
        assert story_key(ORIGINAL) in keys and story_key(REWRITE) not in keys  # the dated one is first
        assert articles.highlighted_row is not None
        assert heading_over(articles, story_key(ORIGINAL)).startswith("Tuesday 1 November 2022  (2)")

    drive(app, test)


def test_setting_a_date_in_the_reader_regroups_the_story(seeds):
    app = BriefingApp(seeds)

    async def test(pilot):
        articles = app.screen.query_one(ArticleList)
        await wait_until(pilot, lambda: app.screen.state.stories is not None, what="stories grouped")
        await settle(pilot)
        assert story_key(REWRITE) in articles.listing()
        articles.focus()
        articles.highlight_id(REWRITE)
        await pilot.press("right")  # expand the story: its versions get rows of their own
        articles.highlight_id(ORIGINAL)
        await pilot.pause()
        assert articles.highlighted_row.key == ORIGINAL
        await pilot.press("d")
        assert isinstance(app.screen, DateScreen)
        await pilot.press(*"2022-11-01", "enter")
        await wait_until(pilot, lambda: (s := app.screen.state.stories) is not None
                         and s.story_of(ORIGINAL) is not None and s.story_of(ORIGINAL).lead == ORIGINAL,
                         what="regrouped with the corrected date")
        await settle(pilot)
        assert story_key(ORIGINAL) in articles.listing() and story_key(REWRITE) not in articles.listing()
        assert heading_over(articles, story_key(ORIGINAL)).startswith("Tuesday 1 November 2022  (2)")

    drive(app, test)


def test_reading_pane_shows_the_analysts_date_and_title_with_the_files(seeds):
    annotate(seeds, f'  "{LONER}":\n    date: "2021-05-04"\n    title: "Set by hand"\n')
    app = BriefingApp(seeds)

    async def test(pilot):
        articles = app.screen.query_one(ArticleList)
        articles.focus()
        articles.highlight_id(LONER)
        await pilot.press("enter")
        await settle(pilot)
        header = plain(app.screen.query_one("#reader-meta", Static)).splitlines()
        assert header[0] == "Set by hand*" and header[1].startswith("Tuesday 4 May 2021*")  # * the analyst's
        await pilot.press("i")  # the file's values are in the details (the header is two lines)
        await wait_until(pilot, lambda: isinstance(app.screen, DetailsScreen), what="the details")
        details = plain(app.screen.query_one("#details-text", Static))
        assert details.splitlines()[0] == "Set by hand"
        assert "title set by analyst; the file has no headline" in details
        date_line = next(line for line in details.splitlines() if line.startswith("Date"))
        assert "4 May 2021" in date_line and "(set by analyst; file says 2023-11-06)" in date_line

    drive(app, test)


def test_search_finds_and_highlights_the_analysts_title(seeds):
    from briefing.tui.rows import HIGHLIGHT

    annotate(seeds, f'  "{LONER}":\n    title: "Zanzibar dispatch"\n')
    app = BriefingApp(seeds)

    async def test(pilot):
        await pilot.press("slash", *"zanzibar")
        await settle(pilot)
        articles = app.screen.query_one(ArticleList)
        assert articles.shown_ids == [LONER]  # only its analyst's title holds the word
        row = articles.row_content(LONER)
        assert row.plain.splitlines()[0].endswith("Zanzibar dispatch")
        assert [row.plain[s.start:s.end] for s in row.spans if str(s.style) == HIGHLIGHT] == ["Zanzibar"]

    drive(app, test)
