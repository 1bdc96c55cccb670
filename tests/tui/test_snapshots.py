"""Snapshots of the main screen on the sample corpus: dark and light, narrow and wide.

They show real parser and summarizer output (the "lead" method, the steadiest), so a
change in titles, dates or sentence splitting changes them too: after such a change,
regenerate with ``pytest tests/tui/test_snapshots.py --snapshot-update`` and look at
the SVGs before committing them.
"""

from __future__ import annotations

import pytest

from briefing.tui.app import BriefingApp

from .conftest import plain, settle, wait_until


@pytest.mark.parametrize("theme", ["briefing-dark", "briefing-light"])
@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_main_screen(snap_compare, seeds, isolated_dirs, theme, size):
    (isolated_dirs["config"] / "config.yaml").write_text(f"theme: {theme}\nsummary_method: lead\n", encoding="utf-8")
    app = BriefingApp(seeds)

    async def open_first(pilot):
        await settle(pilot)
        await pilot.press("j", "enter")  # second article: read marker on it, first stays unread
        keywords = app.screen.query_one("#reader-keywords")
        await wait_until(pilot, lambda: "…" not in plain(keywords), what="the keywords")  # shown after a pause
        await settle(pilot)
        await pilot.wait_for_scheduled_animations()

    assert snap_compare(app, terminal_size=size, run_before=open_first)


def test_filter_dialog_with_dates_typed_by_people(snap_compare, seeds):
    """Issue 15: under each date field, the day understood or what was not understood."""
    app = BriefingApp(seeds)

    async def type_dates(pilot):
        await settle(pilot)
        keywords = app.screen.query_one("#reader-keywords")  # behind the dialog: shown after a pause
        await wait_until(pilot, lambda: "…" not in plain(keywords), what="the keywords")
        await pilot.press("F")
        await settle(pilot)
        await pilot.press("tab", "tab", *"March 2024", "tab", *"2024-02-30", "enter")
        await settle(pilot)
        await pilot.wait_for_scheduled_animations()

    assert snap_compare(app, terminal_size=(100, 30), run_before=type_dates)


def test_search_with_highlights(snap_compare, seeds, isolated_dirs):
    """A query with a phrase and a word: the list's snippets and the reading pane
    with the matches marked, the first one current."""
    (isolated_dirs["config"] / "config.yaml").write_text("theme: briefing-dark\nsummary_method: lead\n", encoding="utf-8")
    app = BriefingApp(seeds)

    async def search(pilot):
        await settle(pilot)
        await pilot.press("slash", *'"power plant" kharkiv ', "enter", "enter")
        keywords = app.screen.query_one("#reader-keywords")
        await wait_until(pilot, lambda: "…" not in plain(keywords), what="the keywords")
        await settle(pilot)
        await pilot.wait_for_scheduled_animations()

    assert snap_compare(app, terminal_size=(120, 36), run_before=search)


def test_palette_with_parameterised_entries(snap_compare, seeds, isolated_dirs):
    """Issue 15: the palette offers one entry per summary method (and theme, tag, title)."""
    from .conftest import palette_offers

    app = BriefingApp(seeds)

    async def type_method(pilot):
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"summary method")
        await wait_until(pilot, lambda: palette_offers(app, "Summary method: "), what="the method entries")
        await pilot.wait_for_scheduled_animations()

    assert snap_compare(app, terminal_size=(100, 30), run_before=type_method)
