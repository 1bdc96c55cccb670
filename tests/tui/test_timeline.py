"""The timeline strip (G) and the statistics view (S), issue 23: counts of what the
list shows, narrowing through the filter's dates (undoable), saved visibility."""

from __future__ import annotations

import datetime as dt

import yaml

from briefing.tui.app import BriefingApp
from briefing.tui.screens.stats import StatsScreen
from briefing.tui.widgets.article_list import ArticleList
from briefing.tui.widgets.timeline_strip import TimelineStrip

from .conftest import drive, plain, wait_until
from .test_density import DAY0, many_days


def test_g_shows_the_strip_counts_and_narrows_undoably(tmp_path, isolated_dirs):
    root = many_days(tmp_path / "c", count=40)
    (root / "undated.md").write_text("---\ntitle: No date here\n---\n\nText without a date.\n", encoding="utf-8")
    app = BriefingApp(root)

    async def test(pilot):
        screen = app.screen
        strip = screen.query_one(TimelineStrip)
        assert not strip.display  # hidden by default
        await pilot.press("G")
        await wait_until(pilot, lambda: strip.data is not None, what="the strip's counts")
        assert strip.display and strip.has_focus
        line = strip.data.line
        assert line.unit == "day" and sum(line.counts) == 40 and len(line) == 40 and strip.data.undated == 1
        assert line.starts[-1] == DAY0
        info = plain(screen.query_one("#timeline-info"))
        assert f"{DAY0.isoformat()}: 1" in info and "1 undated" in info
        assert "▲" in plain(screen.query_one("#timeline-marks"))
        # left twice, then a range of three days back to the cursor's start
        await pilot.press("left", "space", "left", "left", "enter")
        first = DAY0 - dt.timedelta(days=3)
        await wait_until(pilot, lambda: screen.state.filter.since == first, what="the narrowed filter")
        assert screen.state.filter.until == DAY0 - dt.timedelta(days=1)
        articles = screen.query_one(ArticleList)
        assert articles.shown_count == 3
        await wait_until(pilot, lambda: sum(strip.data.line.counts) == 3, what="the strip recounted")
        assert strip.data.undated == 0  # a date filter leaves the undated out
        await pilot.press("backspace")
        await wait_until(pilot, lambda: screen.state.filter.since is None, what="the narrowing undone")
        assert articles.shown_count == 41
        # An article arriving (the live feature lists it again): the strip counts it.
        (root / "late.md").write_text(f"---\ntitle: Late arrival\ndate: {DAY0.isoformat()}\n---\n\nNew text.\n",
                                      encoding="utf-8")
        await wait_until(pilot, lambda: sum(strip.data.line.counts) == 41, timeout=30, what="the new article counted")
        assert strip.data.line.counts[-1] == 2
        await pilot.press("G")  # focused: hides it
        assert not strip.display
        saved = yaml.safe_load((isolated_dirs["config"] / "config.yaml").read_text(encoding="utf-8"))
        assert saved["timeline_strip"] is False

    drive(app, test, size=(120, 40))


def test_s_opens_the_statistics_and_a_row_filters(tmp_path, isolated_dirs):
    root = many_days(tmp_path / "c", count=12)
    (root / "tagged.md").write_text("---\ntitle: Tagged one\ndate: 2024-03-01\nsource: Paper\ntags: [grid]\n---\n\nT.\n",
                                    encoding="utf-8")
    app = BriefingApp(root)

    async def test(pilot):
        screen = app.screen
        await pilot.press("S")
        await wait_until(pilot, lambda: isinstance(app.screen, StatsScreen) and app.screen.counts is not None,
                         what="the statistics")
        stats = app.screen
        text = "\n".join(str(o.prompt) for o in stats.query_one("#stats-rows").options)
        assert "13 articles · 13 dated · 0 undated" in text
        assert "Wire" in text and "12" in text and "Paper" in text and "grid" in text and "unread" in text
        tag_row = next(k for k, c in stats.choices.items() if c.kind == "tag")
        options = stats.query_one("#stats-rows")
        options.highlighted = options.get_option_index(tag_row)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is screen and screen.state.filter.tags == ("grid",),
                         what="the tag filter")
        assert screen.query_one(ArticleList).shown_count == 1

    drive(app, test, size=(120, 40))
