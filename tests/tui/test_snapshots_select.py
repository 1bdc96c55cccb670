"""Snapshots of the screen states issue 15's selection work adds: the selection mode
(V) with a passage selected and its hint line, and the list of highlights (L).

Regenerate with ``pytest tests/tui/test_snapshots_select.py --snapshot-update`` after a
deliberate change, and look at the SVGs before committing them.
"""

from __future__ import annotations

from briefing.tui.app import BriefingApp

from .conftest import plain, settle, wait_until
from .test_highlight_anything import HIGHLIGHTS, _corpus


def _configure(isolated_dirs) -> None:
    (isolated_dirs["config"] / "config.yaml").write_text("theme: briefing-dark\nsummary_method: lead\n",
                                                         encoding="utf-8")


async def _open(pilot) -> None:
    await settle(pilot)
    await pilot.press("enter")
    keywords = pilot.app.screen.query_one("#reader-keywords")
    await wait_until(pilot, lambda: "…" not in plain(keywords), what="the keywords")
    await settle(pilot)


def test_selection_mode(snap_compare, tmp_path, isolated_dirs):
    _configure(isolated_dirs)
    app = BriefingApp(_corpus(tmp_path, HIGHLIGHTS))

    async def select(pilot):
        await _open(pilot)
        await pilot.press("V", "right_curly_bracket", "w", "v", "w", "w")
        await settle(pilot)
        await pilot.wait_for_scheduled_animations()

    assert snap_compare(app, terminal_size=(100, 30), run_before=select)


def test_highlights_list(snap_compare, tmp_path, isolated_dirs):
    _configure(isolated_dirs)
    app = BriefingApp(_corpus(tmp_path, HIGHLIGHTS))

    async def listed(pilot):
        await _open(pilot)
        await pilot.press("L")
        await settle(pilot)
        await pilot.wait_for_scheduled_animations()

    assert snap_compare(app, terminal_size=(100, 30), run_before=listed)
