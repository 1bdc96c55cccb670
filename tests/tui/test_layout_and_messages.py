"""Narrow and wide layouts; what the user sees for a missing or empty folder."""

from __future__ import annotations

import subprocess
import sys

from briefing.tui.app import BriefingApp
from briefing.tui.widgets.article_list import ArticleList
from briefing.tui.widgets.reader import Reader

from .conftest import drive, plain, screen_text, settle


def test_narrow_terminal_stacks_the_panes_and_wide_puts_them_side_by_side(seeds):
    app = BriefingApp(seeds)

    async def test(pilot):
        await pilot.press("enter")
        await settle(pilot)
        pane = app.screen.query_one("#list-pane").region
        reader = app.screen.query_one(Reader).region
        assert app.screen.has_class("-narrow")
        assert pane.bottom <= reader.y  # list above the reader
        assert pane.width == reader.width == 80
        assert reader.height >= 8
        assert "Summary · default" in screen_text(app)
        await pilot.resize_terminal(160, 48)
        await settle(pilot)
        pane = app.screen.query_one("#list-pane").region
        reader = app.screen.query_one(Reader).region
        assert app.screen.has_class("-wide") and not app.screen.has_class("-narrow")
        assert pane.right <= reader.x and pane.y == reader.y
        assert reader.width > pane.width

    drive(app, test, size=(80, 24))


def test_missing_folder_is_a_message_not_a_traceback(tmp_path):
    missing = tmp_path / "nowhere"
    app = BriefingApp(missing)

    async def test(pilot):
        text = screen_text(app)
        assert "Folder not found" in text and "nowhere" in text
        await pilot.press("j", "enter", "n", "slash", "x", "s")
        await settle(pilot)
        assert app.is_running

    drive(app, test)


def test_empty_folder_is_a_message(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    app = BriefingApp(empty)

    async def test(pilot):
        assert "No articles in" in plain(app.screen.query_one("#list-message"))
        assert "0 articles" in screen_text(app)
        assert not app.screen.query_one(ArticleList).display
        await pilot.press("n", "p", "space", "m", "plus", "slash", "a")
        await settle(pilot)
        assert app.is_running

    drive(app, test)


def test_sumy_and_numpy_load_only_when_a_summary_is_computed(tmp_path, isolated_dirs):
    """Start-up with nothing to summarize must not import the summarizers. (The first
    screen previews the first article, which computes its summary: so the folder here
    holds one file that is not an article. With story grouping on, its background
    worker loads numpy once the list is shown: turned off here.)"""
    (isolated_dirs["config"] / "config.yaml").write_text("group_stories: false\n", encoding="utf-8")
    folder = tmp_path / "empty"
    folder.mkdir()
    (folder / "blank.txt").write_text("", encoding="utf-8")
    code = f"""
import asyncio, sys
from pathlib import Path
from briefing.tui.app import BriefingApp

async def main():
    app = BriefingApp(Path({str(folder)!r}))
    async with app.run_test() as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.state.corpus is not None
        print("before", [m for m in ("sumy", "numpy") if m in sys.modules])
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()

asyncio.run(main())
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "before []" in out.stdout


def test_loader_and_reader_failures_are_messages(tmp_path):
    from .conftest import FakeCorpus, meta

    class Broken(FakeCorpus):
        def article(self, article_id):
            raise UnicodeDecodeError("utf-8", b"\xff", 0, 1, "[bold]bad[/] byte")

    corpus = Broken(tmp_path, [meta("[b]a.txt", "An article", None)])
    app = BriefingApp(tmp_path, loader=lambda root: corpus)

    async def test(pilot):
        await pilot.press("enter")
        await settle(pilot)
        assert app.is_running
        assert "Cannot read [b]a.txt" in plain(app.screen.query_one(Reader).query_one("#reader-meta"))

    drive(app, test)

    def explode(root):
        raise RuntimeError("loader bug [/]")

    failing = BriefingApp(tmp_path, loader=explode)

    async def test_failing(pilot):
        assert failing.is_running
        assert "loader bug [/]" in screen_text(failing)

    drive(failing, test_failing)
