"""Snapshots of issue 23's views on a small fixed corpus: the timeline strip (G) with
its marks (the cursor ``▲``, a range ``─``, the list's article ``•``), the strip
stacked by tag (top five and "other"), and the statistics view (S).

Every date is fixed in the files and nothing on these screens depends on the day the
test runs (the strip spans the articles' dates, not "today"). Regenerate with
``pytest tests/tui/test_snapshots_timeline.py --snapshot-update`` after a deliberate
change, and look at the SVGs before committing them.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from briefing.tui.app import BriefingApp
from briefing.tui.widgets.timeline_strip import TimelineStrip

from .conftest import plain, settle, wait_until
from .test_density import WORDS

FIRST = dt.date(2024, 3, 1)
# (day offset from FIRST, source, tags): uneven days so the bars differ; seven tags,
# so a stacked strip shows five and "other".
ARTICLES = [
    (0, "Wire", ["grid"]), (0, "Wire", ["grid", "kyiv"]), (1, "Paper", ["kyiv"]), (3, "Wire", ["energy"]),
    (3, "Radio", ["grid", "energy"]), (3, "Paper", []), (4, "Wire", ["drones"]), (6, "Paper", ["kyiv"]),
    (7, "Wire", ["grid"]), (7, "Wire", ["aid"]), (7, "Radio", ["drones", "kyiv"]), (7, "Paper", ["grid"]),
    (9, "Wire", ["talks"]), (10, "Radio", ["aid"]), (12, "Wire", ["grid", "energy"]), (13, "Paper", ["harvest"]),
    (13, "Wire", ["kyiv"]), (13, "Radio", ["drones"]), (13, "Wire", []), (15, "Paper", ["talks"]),
    (16, "Wire", ["grid"]), (17, "Radio", ["energy"]), (19, "Wire", ["kyiv", "aid"]),
]
SIZE = (150, 34)


def _corpus(root: Path, isolated_dirs) -> Path:
    root.mkdir()
    for n, (offset, source, tags) in enumerate(ARTICLES):
        day = FIRST + dt.timedelta(days=offset)
        tag_list = ", ".join(tags)
        pick = random.Random(n)  # texts unlike each other (seeded): no stories form
        words = " ".join(pick.choice(WORDS) + pick.choice(WORDS)[:3] for _ in range(40))
        (root / f"a{n:02d}.md").write_text(
            f"---\ntitle: Report {n:02d} from {source}\ndate: {day.isoformat()}\nsource: {source}\n"
            f"tags: [{tag_list}]\n---\n\nReport {n} of the month tells of {words}.\n",
            encoding="utf-8")
    (root / "undated.md").write_text("---\ntitle: A note without a date\nsource: Wire\n---\n\nNo date here.\n",
                                     encoding="utf-8")
    (isolated_dirs["config"] / "config.yaml").write_text("theme: briefing-dark\nsummary_method: lead\n",
                                                         encoding="utf-8")
    return root


async def _strip_shown(pilot) -> TimelineStrip:
    await settle(pilot)
    strip = pilot.app.screen.query_one(TimelineStrip)
    await pilot.press("G")
    await wait_until(pilot, lambda: strip.data is not None, what="the strip's counts")
    return strip


def test_strip_with_cursor_range_and_article_marks(snap_compare, tmp_path, isolated_dirs):
    app = BriefingApp(_corpus(tmp_path / "c", isolated_dirs))

    async def marks(pilot):
        strip = await _strip_shown(pilot)
        # The cursor four days back, a range from there to seven days back; the list's
        # article (the newest) stays marked on the last day.
        await pilot.press("left", "left", "left", "left", "space", "left", "left", "left")
        await wait_until(pilot, lambda: strip.range_from is not None, what="the range")
        keywords = pilot.app.screen.query_one("#reader-keywords")  # worked out once the keys paused
        await wait_until(pilot, lambda: "…" not in plain(keywords), what="the keywords")
        await settle(pilot)
        await pilot.wait_for_scheduled_animations()

    assert snap_compare(app, terminal_size=SIZE, run_before=marks)


def test_strip_stacked_by_tag(snap_compare, tmp_path, isolated_dirs):
    app = BriefingApp(_corpus(tmp_path / "c", isolated_dirs))

    async def stacked(pilot):
        strip = await _strip_shown(pilot)
        await pilot.press("s")
        await wait_until(pilot, lambda: strip.data is not None and strip.data.stacked_by == "tag",
                         what="the stacked counts")
        await settle(pilot)
        await pilot.wait_for_scheduled_animations()

    assert snap_compare(app, terminal_size=SIZE, run_before=stacked)


def test_statistics_view(snap_compare, tmp_path, isolated_dirs):
    from briefing.tui.screens.stats import StatsScreen

    app = BriefingApp(_corpus(tmp_path / "c", isolated_dirs))

    async def statistics(pilot):
        await settle(pilot)
        await pilot.press("S")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, StatsScreen) and pilot.app.screen.counts is not None,
                         what="the statistics")
        await settle(pilot)
        await pilot.wait_for_scheduled_animations()

    assert snap_compare(app, terminal_size=(150, 56), run_before=statistics)  # tall: every facet on screen
