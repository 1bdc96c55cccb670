"""Snapshots of the density and layout states (issue 15): the compact list, the list
only, the reading pane only, and the details view. A corpus of 60 generated articles
(one a day, texts from a seeded generator) and the "lead" summary, so they are
steady; regenerate with ``--snapshot-update`` after a deliberate change and look at
the SVGs before committing them."""

from __future__ import annotations

import pytest

from briefing.tui.app import BriefingApp
from briefing.tui.screens.details import DetailsScreen

from .conftest import plain, settle, wait_until
from .test_density import many_days


def app_on(tmp_path, isolated_dirs) -> BriefingApp:
    (isolated_dirs["config"] / "config.yaml").write_text("summary_method: lead\n", encoding="utf-8")
    return BriefingApp(many_days(tmp_path / "corpus"))


async def steady(pilot) -> None:
    """Workers done, keywords shown, and the short-lived notices ("Layout: …") gone:
    whether one is still up would depend on the machine's speed."""
    await settle(pilot)
    keywords = pilot.app.screen.query_one("#reader-keywords")
    await wait_until(pilot, lambda: "…" not in plain(keywords), what="the keywords")
    await settle(pilot)
    pilot.app.clear_notifications()
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_compact_list(snap_compare, tmp_path, isolated_dirs, size):
    app = app_on(tmp_path, isolated_dirs)

    async def run_before(pilot):
        await steady(pilot)
        await pilot.press("v", "j", "j")
        await wait_until(pilot, lambda: app.screen.state.current_id == "r002.md", what="the preview")
        await steady(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_list_only(snap_compare, tmp_path, isolated_dirs):
    app = app_on(tmp_path, isolated_dirs)

    async def run_before(pilot):
        await steady(pilot)
        await pilot.press("v", "z", "j")
        await steady(pilot)

    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)


def test_reader_only(snap_compare, tmp_path, isolated_dirs):
    app = app_on(tmp_path, isolated_dirs)

    async def run_before(pilot):
        await steady(pilot)
        await pilot.press("j")
        await wait_until(pilot, lambda: app.screen.state.current_id == "r001.md", what="the preview")
        await pilot.press("z", "z")
        await steady(pilot)

    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)


def test_details(snap_compare, tmp_path, isolated_dirs):
    app = app_on(tmp_path, isolated_dirs)

    async def run_before(pilot):
        await steady(pilot)
        await pilot.press("enter", "i")
        await wait_until(pilot, lambda: isinstance(app.screen, DetailsScreen), what="the details")
        await settle(pilot)
        await pilot.wait_for_scheduled_animations()

    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)
