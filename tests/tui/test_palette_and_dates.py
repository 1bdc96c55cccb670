"""Issue 15 in the reader: dates as people type them in the filter and the date
correction, and the command palette's entries with a parameter (summary method,
theme, tag filter, article by title, saved filter)."""

from __future__ import annotations

import datetime as dt

import yaml
from textual.widgets import Input

from briefing.annotations import open_store
from briefing.config import load_settings
from briefing.corpus import open_corpus
from briefing.tui.app import BriefingApp
from briefing.tui.screens.date import DateScreen
from briefing.tui.screens.filter import FilterScreen
from briefing.tui.screens.main import MainScreen
from briefing.tui.widgets.article_list import ArticleList
from briefing.tui.widgets.reader import Reader

from .conftest import drive, flush_saves, palette_offers, plain, screen_text, settle, wait_until

REWRITE = "002_779c45f11c9e3794.txt"
ORIGINAL = "003_dd4f2a093bc6ca5d.txt"
FIRST = "000_c25f74af4bc17e80.txt"


def status_line(app) -> str:
    return screen_text(app).splitlines()[0]


async def open_palette_and_pick(pilot, typed: str, offered: str) -> None:
    """ctrl+p, type ``typed``, wait until the highlighted entry shows ``offered``, enter."""
    app = pilot.app
    await pilot.press("ctrl+p")
    await settle(pilot)
    await pilot.press(*typed)
    await wait_until(pilot, lambda: palette_offers(app, offered), what=f"the palette offering {offered!r}")
    await pilot.press("enter")
    await settle(pilot)


# --- dates typed by people -------------------------------------------------------------------


def test_filter_reads_last_week_and_says_what_it_did_not_understand(seeds):
    today = dt.date.today()
    monday_last_week = today - dt.timedelta(days=today.weekday() + 7)
    app = BriefingApp(seeds)

    async def test(pilot):
        await pilot.press("F")
        assert isinstance(app.screen, FilterScreen)
        app.screen.query_one("#filter-since", Input).focus()
        await pilot.press(*"last week")
        await wait_until(pilot, lambda: f"from {monday_last_week.isoformat()}" in plain(app.screen.query_one("#filter-since-note")),
                         what="the day understood, under the field")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.screen.state.filter.since == monday_last_week and app.screen.state.filter.until is None
        assert f"filter: since {monday_last_week.isoformat()}" in status_line(app)
        # an impossible day: refused in place, the note under the field says why
        await pilot.press("F")
        app.screen.query_one("#filter-since", Input).focus()
        await pilot.press("ctrl+u", *"2024-02-30", "enter")
        await settle(pilot)
        assert isinstance(app.screen, FilterScreen)
        note = plain(app.screen.query_one("#filter-since-note"))
        assert "'2024-02-30': February 2024 has 29 days, not 30" in note
        assert app.screen.query_one("#filter-since-note").has_class("-error")
        # words it does not know, in the until field
        await pilot.press("ctrl+u", *"2024-03", "tab", *"sometime", "enter")
        await settle(pilot)
        assert "'sometime': not understood as a date" in plain(app.screen.query_one("#filter-until-note"))
        # a month gives its last day to until; since after until is refused
        await pilot.press("ctrl+u", *"2024-02", "enter")
        await settle(pilot)
        assert isinstance(app.screen, FilterScreen)
        assert "since 2024-03-01 is after until 2024-02-29" in plain(app.screen.query_one("#filter-since-note"))
        assert app.screen.focused is app.screen.query_one("#filter-since")  # where the error is said
        await pilot.press("tab", "ctrl+u", *"April 2024", "enter")  # until: 2024-04-30
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert "filter: since 2024-03-01; until 2024-04-30" in status_line(app)
        assert app.screen.query_one(ArticleList).shown_ids == ["004_6814731f4ee210d7.txt"]  # dated 2024-04-24
        # a whole range in since, until left empty
        await pilot.press("F")
        app.screen.query_one("#filter-until", Input).value = ""
        app.screen.query_one("#filter-since", Input).focus()
        await pilot.press("ctrl+u", *"2023-11..2023-12")
        await wait_until(pilot, lambda: "from 2023-11-01 to 2023-12-31" in plain(app.screen.query_one("#filter-since-note")),
                         what="the range understood")
        await pilot.press("enter")
        await settle(pilot)
        assert "filter: since 2023-11-01; until 2023-12-31" in status_line(app)
        assert app.screen.query_one(ArticleList).shown_ids == ["000_c25f74af4bc17e80.txt"]  # dated 2023-11-06

    drive(app, test)


def test_the_date_correction_takes_one_day_typed_by_people(seeds):
    yesterday = dt.date.today() - dt.timedelta(days=1)
    undated = "001_91c4a80b16629b6a.txt"
    app = BriefingApp(seeds)

    async def test(pilot):
        app.screen.query_one(ArticleList).highlight_id(undated)
        await pilot.press("d")
        assert isinstance(app.screen, DateScreen)
        await pilot.press(*"last week", "enter")
        await settle(pilot)
        assert isinstance(app.screen, DateScreen)  # a range is not one day
        assert "'last week' is " in plain(app.screen.query_one(".dialog-error"))
        assert "a date here is one day" in plain(app.screen.query_one(".dialog-error"))
        await pilot.press("ctrl+u", *"yesterday", "enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        flush_saves(app)
        data = yaml.safe_load((seeds / "annotations.yaml").read_text(encoding="utf-8"))
        assert data["articles"][undated]["date"] == yesterday.isoformat()  # stored as the day, not the words

    drive(app, test)


# --- the palette -----------------------------------------------------------------------------------


def test_palette_picks_a_summary_method_for_the_open_article(seeds):
    app = BriefingApp(seeds)

    async def test(pilot):
        await pilot.press("enter")  # open the first article
        await settle(pilot)
        opened = app.screen.state.current_id
        await open_palette_and_pick(pilot, "Summary method: lexrank", "Summary method: lexrank")
        assert isinstance(app.screen, MainScreen)
        await wait_until(pilot, lambda: "lexrank" in plain(app.screen.query_one(Reader).query_one("#reader-summary")),
                         what="the summary redrawn with lexrank")
        flush_saves(app)
        data = yaml.safe_load((seeds / "annotations.yaml").read_text(encoding="utf-8"))
        assert data["articles"][opened]["summary"]["method"] == "lexrank"  # the open article's choice
        assert load_settings().settings.summary_method == "lexrank"  # and the preference

    drive(app, test)


def test_palette_changes_the_theme(seeds):
    app = BriefingApp(seeds)
    assert app.theme == "briefing-dark"

    async def test(pilot):
        await open_palette_and_pick(pilot, "Theme: briefing-light", "Theme: briefing-light")
        assert app.theme == "briefing-light"
        assert load_settings().settings.theme == "briefing-light"

    drive(app, test)


def test_palette_filters_by_a_tag_of_the_corpus_shown_as_text(seeds):
    metas = open_corpus(seeds).articles
    store, _ = open_store(seeds, metas)
    by_prefix = {m.id[:3]: m.id for m in metas}
    store.add_tags([by_prefix["000"], by_prefix["004"]], ["energy"])
    store.add_tags([by_prefix["001"]], ["[b]odd[/b] $tag"])
    app = BriefingApp(seeds)

    async def test(pilot):
        await open_palette_and_pick(pilot, "Filter by tag: energy", "Filter by tag: energy")
        assert app.screen.state.filter.tags == ("energy",)
        assert set(app.screen.query_one(ArticleList).shown_ids) == {by_prefix["000"], by_prefix["004"]}
        assert "filter: tag energy" in status_line(app)
        # a tag that looks like markup is offered as typed, and filters
        await open_palette_and_pick(pilot, "odd", "Filter by tag: [b]odd[/b] $tag")
        assert app.screen.query_one(ArticleList).shown_ids == [by_prefix["001"]]

    drive(app, test)


def test_palette_opens_an_article_by_title(seeds):
    app = BriefingApp(seeds)

    async def test(pilot):
        assert app.screen.state.current_id != FIRST  # the first screen previews the newest article
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"looming threat")
        await wait_until(pilot, lambda: palette_offers(app, "Open: The UK Ministry of Defense has warned"),
                         what="the article offered")
        assert "open this article · 2023-11-06" in screen_text(app)  # its date, to tell versions apart
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        await wait_until(pilot, lambda: app.screen.state.current_article is not None, what="the article opened")
        assert app.screen.state.current_id == FIRST
        assert app.screen.query_one(ArticleList).highlighted_id == FIRST  # the list's cursor on it
        await open_palette_and_pick(pilot, "powerful blow", "Open: Russia hits Ukraine energy sites")
        await wait_until(pilot, lambda: app.screen.state.current_id == ORIGINAL, what=f"a story's version (now {app.screen.state.current_id})")
        # the typed words in any order
        await open_palette_and_pick(pilot, "aerial russia", "Open: Russia has launched its biggest aerial")
        await wait_until(pilot, lambda: app.screen.state.current_id == REWRITE, what="the second article")

    drive(app, test)


def test_palette_offers_the_saved_filters_the_screen_gives(seeds, monkeypatch):
    applied: list[str] = []
    monkeypatch.setattr(MainScreen, "saved_filters",
                        lambda self: [("Energy week", lambda: applied.append("energy")), ("Kyiv", lambda: applied.append("kyiv"))])
    app = BriefingApp(seeds)

    async def test(pilot):
        await open_palette_and_pick(pilot, "Saved filter: Kyiv", "Saved filter: Kyiv")
        assert applied == ["kyiv"]

    drive(app, test)


def test_the_screen_has_no_saved_filters_on_its_own(seeds):
    app = BriefingApp(seeds)

    async def test(pilot):
        assert app.screen.saved_filters() == []

    drive(app, test)


def test_title_finder_uses_the_analysts_titles_and_is_built_once_per_corpus(tmp_path):
    from briefing.tui.palette import title_finder

    from .conftest import FakeCorpus, meta

    corpus = FakeCorpus(tmp_path, [meta("a.txt", "File title about grids", None), meta("b.txt", "Other", None)])
    first = title_finder(corpus, {})
    assert [m.id for m in first.find("grids")] == ["a.txt"]
    assert title_finder(corpus, {}) is first  # the same corrections: not built again
    corrected = title_finder(corpus, {"b.txt": "Analyst's title on grids"})
    assert corrected is not first
    assert [m.id for m in corrected.find("grids")] == ["a.txt", "b.txt"]
    assert [m.id for m in corrected.find("analyst")] == ["b.txt"] and first.find("analyst") == []


def test_the_watchlists_are_the_palettes_saved_filters(seeds):
    (seeds / "watchlists.yaml").write_text('version: 1\nwatchlists:\n  "Power grid":\n    query: "grid"\n', encoding="utf-8")
    matching = {m.id for m in open_corpus(seeds).articles if "grid" in (m.title + open_corpus(seeds).article(m.id).body).lower()}
    assert matching and len(matching) < 5  # the seeds: some articles speak of the grid, not all
    app = BriefingApp(seeds)

    async def test(pilot):
        screen = app.screen
        await wait_until(pilot, lambda: "Power grid" in screen.watchlists.matches, what="the watchlists counted")
        assert [name for name, _ in screen.saved_filters()] == ["Power grid"]
        await open_palette_and_pick(pilot, "Saved filter: Power", "Saved filter: Power grid")
        await wait_until(pilot, lambda: "watchlist “Power grid”" in status_line(app), what="the filter line naming the watchlist")
        listed = set(app.screen.query_one(ArticleList).shown_ids)
        assert listed == matching

    drive(app, test)
