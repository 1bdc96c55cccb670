"""The list filter (tag, status, dates) combined with the search, and the export dialog."""

from __future__ import annotations

import datetime as dt

from textual.widgets import Checkbox, Input, Select

from briefing.annotations import open_store
from briefing.corpus import open_corpus
from briefing.tui.app import BriefingApp
from briefing.tui.screens.export import ExportScreen
from briefing.tui.screens.filter import FilterScreen
from briefing.tui.screens.main import MainScreen
from briefing.tui.screens.tags import TagScreen
from briefing.tui.widgets.article_list import ArticleList

from .conftest import drive, plain, screen_text, settle, wait_until


def prepare(seeds) -> dict[str, str]:
    """Tag three seed articles "energy" and flag two (before the reader starts)."""
    metas = open_corpus(seeds).articles
    by_prefix = {m.id[:3]: m.id for m in metas}
    store, _ = open_store(seeds, metas)
    store.add_tags([by_prefix["000"], by_prefix["001"], by_prefix["004"]], ["energy"])
    store.set_flagged([by_prefix["000"], by_prefix["002"]], True)
    store.set_read([by_prefix["000"], by_prefix["002"]], True)
    return by_prefix


def test_filter_by_tag_status_and_dates_combines_with_search(seeds):
    ids = prepare(seeds)
    app = BriefingApp(seeds)

    async def test(pilot):
        articles = app.screen.query_one(ArticleList)
        assert len(articles.shown_ids) == 5
        await pilot.press("F")
        assert isinstance(app.screen, FilterScreen)
        await pilot.press(*"energy", "enter")
        await settle(pilot)
        assert set(articles.shown_ids) == {ids["000"], ids["001"], ids["004"]}
        status = screen_text(app).splitlines()[0]
        assert "3/5 shown" in status and "filter: tag energy" in status
        # the search narrows the filtered list: "kharkiv" is in 001, 002 and 003
        await pilot.press("slash", *"kharkiv")
        await settle(pilot)
        assert articles.shown_ids == [ids["001"]]
        status = screen_text(app).splitlines()[0]
        assert "1/5 shown" in status and "search: kharkiv" in status and "filter: tag energy" in status
        await pilot.press("escape")  # closes and clears the search; the filter stays
        await settle(pilot)
        assert set(articles.shown_ids) == {ids["000"], ids["001"], ids["004"]}
        # tag + status
        await pilot.press("F")
        app.screen.query_one("#filter-status", Select).value = "flagged"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert articles.shown_ids == [ids["000"]]
        # a date range only (000 is dated 2023-11-06, 004 2024-04-24; the others undated)
        await pilot.press("F", "ctrl+u")
        screen = app.screen
        screen.query_one("#filter-status", Select).value = ""
        screen.query_one("#filter-since", Input).focus()
        await pilot.press(*"2023-11-31", "enter")
        assert isinstance(app.screen, FilterScreen)
        assert "November 2023 has 30 days, not 31" in plain(app.screen.query_one("#filter-since-note"))  # issue 15
        await pilot.press("ctrl+u", *"2023-11-01", "tab", *"2024-12-31", "enter")
        await settle(pilot)
        assert articles.shown_ids == [ids["004"], ids["000"]]
        assert "since 2023-11-01; until 2024-12-31" in screen_text(app)
        # C clears the filter
        await pilot.press("C")
        await settle(pilot)
        assert len(articles.shown_ids) == 5 and "filter:" not in screen_text(app)
        # a filter nothing matches says so and how to clear it
        await pilot.press("F", *"nosuchtag", "enter")
        await settle(pilot)
        assert "No articles match the filter" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert len(articles.shown_ids) == 5

    drive(app, test)


def test_tab_in_the_tags_field_completes_then_moves_on(seeds):
    prepare(seeds)  # (the article tagged energy)
    app = BriefingApp(seeds)

    async def test(pilot):
        await pilot.press("F")
        await settle(pilot)
        tags = app.screen.focused
        assert isinstance(tags, Input)
        await pilot.press(*"ENERGY", "tab")  # typed in full (in another case): nothing to complete, tab moves on
        await settle(pilot)
        assert tags.value == "ENERGY" and app.screen.focused is not tags
        tags.focus()
        tags.value, tags.cursor_position = "", 0
        await pilot.press(*"ener", "tab")  # a completion to take: taken, the field keeps the focus
        await settle(pilot)
        assert tags.value == "energy" and app.screen.focused is tags
        await pilot.press("tab")
        await settle(pilot)
        assert app.screen.focused is not tags

    drive(app, test)


def test_export_dialog_counts_writes_and_refuses_to_overwrite(seeds, tmp_path):
    ids = prepare(seeds)
    app = BriefingApp(seeds)
    target = tmp_path / "out" / "brief.md"
    target.parent.mkdir()

    async def test(pilot):

        await pilot.press("F", *"energy", "enter")
        await settle(pilot)
        await pilot.press("x")
        assert isinstance(app.screen, ExportScreen)
        assert "tag energy" in plain(app.screen.query_one("#export-filter"))
        assert plain(app.screen.query_one("#export-count")).startswith("3 items will go out")
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        text = target.read_text(encoding="utf-8")
        corpus = open_corpus(seeds)
        for prefix in ("000", "001", "004"):
            assert corpus.get(ids[prefix]).id in text
        assert ids["002"] not in text  # flagged but not tagged energy
        assert f"Wrote 3 items to {target}" in "\n".join(plain(t) for t in app.screen.query("Toast"))
        # the same path again: refused without the overwrite box, file untouched
        before = target.read_bytes()
        await pilot.press("x")
        dialog = app.screen
        dialog.query_one("#export-path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog
        error = plain(dialog.query_one(".dialog-error"))
        assert "already exists" in error and "Overwrite" in error
        assert target.read_bytes() == before
        # ticked, with another title: replaced
        dialog.query_one("#export-overwrite", Checkbox).value = True
        dialog.query_one("#export-title", Input).value = "Energy week"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert "Energy week" in target.read_text(encoding="utf-8")

    drive(app, test)


def test_export_takes_the_search_and_offers_a_name_in_the_working_folder(seeds, tmp_path, monkeypatch):
    ids = prepare(seeds)
    monkeypatch.chdir(tmp_path)
    app = BriefingApp(seeds)

    async def test(pilot):
        await pilot.press("slash", *"kharkiv", "enter")
        await settle(pilot)
        await pilot.press("x")
        dialog = app.screen
        assert "search “kharkiv”" in plain(dialog.query_one("#export-filter"))
        # annotated or flagged and mentioning kharkiv: 001 (tagged) and 002 (flagged)
        assert plain(dialog.query_one("#export-count")).startswith("2 items")
        path = dialog.query_one("#export-path", Input)
        assert path.value == str(tmp_path / "briefing.md")
        dialog.query_one("#export-format", Select).value = "docx"
        await settle(pilot)
        assert path.value == str(tmp_path / f"briefing-{dt.date.today().isoformat()}.docx")
        dialog.query_one("#export-all", Checkbox).value = True
        await settle(pilot)
        assert plain(dialog.query_one("#export-count")).startswith("3 items")
        await pilot.press("ctrl+s")
        await settle(pilot)
        import docx

        document = docx.Document(str(tmp_path / f"briefing-{dt.date.today().isoformat()}.docx"))
        text = "\n".join(p.text for p in document.paragraphs)
        assert ids["003"] in text and ids["000"] not in text

    drive(app, test)


def test_keys_are_listed_in_help_and_palette_and_can_be_remapped(seeds, isolated_dirs):
    from briefing.tui.keys import known_ids

    assert {"tag-add", "tag-remove", "note", "highlight", "flag", "read-toggle", "date", "title", "undo", "filter", "clear-filter", "export", "mark"} <= known_ids()
    (isolated_dirs["config"] / "config.yaml").write_text('keymap:\n  tag-add: "g"\n', encoding="utf-8")
    app = BriefingApp(seeds)

    async def test(pilot):
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)  # t is free now
        await pilot.press("g")
        assert isinstance(app.screen, TagScreen)
        await pilot.press("escape", "question_mark")
        help_text = plain(app.screen.query_one("#help-text"))
        assert "Annotations" in help_text and "id: tag-add" in help_text and "id: export" in help_text
        await pilot.press("escape", "ctrl+p")
        await settle(pilot)
        await pilot.press(*"Next summary")
        await wait_until(pilot, lambda: "key: ." in screen_text(app), what="the palette's answer")

    drive(app, test)
