"""Density (issue 15): the compact list (v), the layouts (z), the details (i), and the
reading pane's two-line header, read back from the screen and config.yaml."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
import yaml

from briefing.tui.app import BriefingApp
from briefing.tui.screens.details import DetailsScreen
from briefing.tui.widgets.article_list import ArticleList
from briefing.tui.widgets.reader import Reader

from .conftest import drive, plain, screen_strips, screen_text, settle, wait_until

DAY0 = dt.date(2024, 3, 31)
WORDS = ("amber basalt cobalt delta ember fjord granite harbour indigo juniper kelp lagoon meadow nickel "
         "onyx prairie quartz river saffron tundra umber violet willow xenon yarrow zephyr anchor beacon "
         "canyon dune estuary forest glacier heath isthmus jetty knoll ledge marsh").split()


def many_days(root: Path, count: int = 60) -> Path:
    """``count`` short articles, each on a day of its own (the worst case for day
    headings), titled ``Report NN`` with a source."""
    root.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        day = DAY0 - dt.timedelta(days=n)
        pick = random.Random(n)  # texts unlike each other: no stories form
        words = [pick.choice(WORDS) + pick.choice(WORDS)[:3] for _ in range(60)]
        (root / f"r{n:03d}.md").write_text(
            f"---\ntitle: Report {n:02d} on the grid\ndate: {day.isoformat()}\nsource: Wire\n---\n\n"
            f"Paragraph one of report {n}. It speaks of {' '.join(words[:30])}.\n\n"
            f"Paragraph two of report {n} closes with {' '.join(words[30:])}.\n",
            encoding="utf-8",
        )
    return root


def config(isolated_dirs) -> dict:
    return yaml.safe_load((isolated_dirs["config"] / "config.yaml").read_text(encoding="utf-8"))


def rows_on_screen(app) -> int:
    """Article rows the terminal shows in the list's part of the screen (lines holding a title)."""
    region = app.screen.query_one(ArticleList).region
    lines = [strip.text for strip in screen_strips(app)][region.y : region.y + region.height]
    return sum("on the grid" in line[region.x : region.x + region.width] for line in lines)


@pytest.mark.parametrize(("size", "at_least"), [((120, 40), 30), ((80, 24), 10)], ids=["120x40", "80x24"])
def test_v_compact_list_shows_one_line_per_article_and_is_saved(tmp_path, isolated_dirs, size, at_least):
    app = BriefingApp(many_days(tmp_path / "c"))

    async def test(pilot):
        articles = app.screen.query_one(ArticleList)
        before = rows_on_screen(app)
        assert before < at_least  # two lines and a heading per article: the complaint
        assert articles.headings()
        await pilot.press("v")
        await settle(pilot)
        assert articles.compact and not articles.headings()  # the date is in each row instead
        shown = rows_on_screen(app)
        assert shown >= at_least, screen_text(app)
        row = articles.row_content("r000.md").plain
        assert "31 Mar 24" in row and "Wire" in row and "Report 00 on the grid" in row and "\n" not in row
        assert config(isolated_dirs)["compact_list"] is True
        await pilot.press("v")
        await settle(pilot)
        assert not articles.compact and articles.headings()
        assert config(isolated_dirs)["compact_list"] is False

    drive(app, test, size=size)


def test_compact_list_is_restored_from_config(tmp_path, isolated_dirs):
    (isolated_dirs["config"] / "config.yaml").write_text("compact_list: true\nlayout: list\n", encoding="utf-8")
    app = BriefingApp(many_days(tmp_path / "c"))

    async def test(pilot):
        assert app.screen.query_one(ArticleList).compact
        assert not app.screen.query_one(Reader).display
        assert rows_on_screen(app) >= 35  # 120x40, the list alone

    drive(app, test, size=(120, 40))


def test_z_cycles_split_list_only_reader_only_and_saves(tmp_path, isolated_dirs):
    app = BriefingApp(many_days(tmp_path / "c"))

    async def test(pilot):
        screen = app.screen
        reader, pane = screen.query_one(Reader), screen.query_one("#list-pane")
        assert reader.display and pane.display
        await pilot.press("z")
        await settle(pilot)
        assert not reader.display and pane.display and pane.size.width == 120
        assert "Paragraph one" not in screen_text(app)  # no reading pane on screen
        assert config(isolated_dirs)["layout"] == "list"
        await pilot.press("z")
        await settle(pilot)
        assert reader.display and not pane.display and reader.has_focus
        assert "Report" not in screen_text(app).split("\n")[1]  # no list column at the left
        assert config(isolated_dirs)["layout"] == "reader"
        await pilot.press("z")
        await settle(pilot)
        assert reader.display and pane.display
        assert config(isolated_dirs)["layout"] == "split"

    drive(app, test, size=(120, 40))


def test_enter_in_the_list_only_layout_shows_the_article_alone_and_z_goes_back(tmp_path, isolated_dirs):
    app = BriefingApp(many_days(tmp_path / "c"))

    async def test(pilot):
        screen = app.screen
        await pilot.press("z", "j", "enter")
        await settle(pilot)
        assert screen.state.current_id == "r001.md"
        assert not screen.query_one("#list-pane").display and screen.query_one(Reader).display
        assert "Paragraph one of report 1." in screen_text(app)
        await pilot.press("z")
        await settle(pilot)
        assert screen.query_one("#list-pane").display and not screen.query_one(Reader).display
        assert screen.query_one(ArticleList).has_focus

    drive(app, test, size=(120, 40))


def test_reading_pane_header_is_two_lines_and_i_shows_every_detail(tmp_path, isolated_dirs):
    root = many_days(tmp_path / "c", 3)
    (root / "annotations.yaml").write_text(
        'version: 1\narticles:\n  "r001.md":\n    tags: ["grid"]\n    notes:\n      - text: "first"\n      - text: "second"\n',
        encoding="utf-8")
    app = BriefingApp(root)

    async def test(pilot):
        await pilot.press("j", "enter")
        await settle(pilot)
        header = plain(app.screen.query_one("#reader-meta")).splitlines()
        assert header[0] == "Report 01 on the grid"
        assert len(header) == 2 and "30 March 2024" in header[1] and "Wire" in header[1] and "grid" in header[1]
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(app.screen, DetailsScreen), what="the details")
        details = plain(app.screen.query_one("#details-text"))
        for wanted in ("File       r001.md", "Source     Wire", "Tags       grid", "Notes      2",
                       "Highlights 0", "Status     read", "Text       as annotated", "Hash       sha256:"):
            assert wanted in details, (wanted, details)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, DetailsScreen)

    drive(app, test, size=(120, 40))


def test_i_with_nothing_shown_says_so(tmp_path):
    (tmp_path / "empty").mkdir()
    app = BriefingApp(tmp_path / "empty")

    async def test(pilot):
        await pilot.press("i")
        await settle(pilot)
        assert not isinstance(app.screen, DetailsScreen)
        assert any("No article is shown" in str(n.message) for n in app._notifications)

    drive(app, test)


def test_starting_in_the_reading_pane_only_layout_keys_scroll_the_pane(tmp_path, isolated_dirs):
    (isolated_dirs["config"] / "config.yaml").write_text("layout: reader\n", encoding="utf-8")
    root = many_days(tmp_path / "c", 3)
    body = "\n\n".join(f"Paragraph {n} of the long one." for n in range(80))
    (root / "long.md").write_text(f"---\ntitle: The long one\ndate: 2024-04-02\n---\n\n{body}\n", encoding="utf-8")
    app = BriefingApp(root)

    async def test(pilot):
        screen = app.screen
        reader = screen.query_one(Reader)
        assert screen.state.current_id == "long.md" and reader.has_focus
        assert not screen.query_one("#list-pane").display
        await pilot.press("j", "j", "j")
        await settle(pilot)
        assert reader.scroll_y >= 3 and screen.query_one(ArticleList).highlighted_id == "long.md"

    drive(app, test, size=(120, 40))


def test_tab_with_one_pane_shown_shows_the_other(tmp_path, isolated_dirs):
    app = BriefingApp(many_days(tmp_path / "c", 5))

    async def test(pilot):
        screen = app.screen
        pane, reader = screen.query_one("#list-pane"), screen.query_one(Reader)
        await pilot.press("z", "tab")
        await settle(pilot)
        assert reader.display and not pane.display and reader.has_focus
        await pilot.press("tab")
        await settle(pilot)
        assert pane.display and not reader.display and screen.query_one(ArticleList).has_focus
        assert config(isolated_dirs)["layout"] == "list"  # tab does not change the saved layout

    drive(app, test, size=(120, 40))
