"""Preview (issue 15): the reading pane follows the list's cursor after a pause,
without marking anything read; enter marks read; dwelling marks read when configured."""

from __future__ import annotations

import time

import yaml

from briefing.tui.app import BriefingApp
from briefing.tui.features.preview import PREVIEW_DELAY_S
from briefing.tui.widgets.article_list import ArticleList

from .conftest import drive, flush_saves, plain, settle, wait_until
from .test_density import many_days


def stored(root) -> dict:
    path = root / "annotations.yaml"
    if not path.exists():
        return {}
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("articles") or {}


def is_read(entry: dict | None) -> bool:
    return bool(entry) and (entry.get("read") is True or entry.get("status") == "read"
                            or "read" in (entry.get("state") or ()))


def test_first_screen_shows_the_first_article_unread(tmp_path):
    root = many_days(tmp_path / "c", 5)
    app = BriefingApp(root)

    async def test(pilot):
        screen = app.screen
        assert screen.state.current_id == "r000.md"
        assert plain(screen.query_one("#reader-meta")).startswith("Report 00 on the grid")
        assert "Choose an article" not in plain(screen.query_one("#reader-meta"))
        assert app.marks.markers("r000.md").unread
        assert screen.query_one(ArticleList).has_focus
        await pilot.press("q")

    drive(app, test)
    flush_saves(app)
    assert not is_read(stored(root).get("r000.md"))


def test_the_pane_follows_the_cursor_after_a_pause_and_marks_nothing_read(tmp_path):
    root = many_days(tmp_path / "c", 5)
    app = BriefingApp(root)

    async def test(pilot):
        screen = app.screen
        started = time.monotonic()
        await pilot.press("j", "j")
        if time.monotonic() - started < PREVIEW_DELAY_S:  # the moves came within the pause: nothing opened yet
            assert screen.state.current_id == "r000.md" and screen.preview.pending
        await wait_until(pilot, lambda: screen.state.current_id == "r002.md", what="the preview of the third")
        await wait_until(pilot, lambda: plain(screen.query_one("#reader-meta")).startswith("Report 02"),
                         what="its details")
        await wait_until(pilot, lambda: "report 2" in str(screen.reader.summary_sentences), what="its summary")
        assert all(app.marks.markers(f"r00{n}.md").unread for n in range(5))
        assert screen.query_one(ArticleList).has_focus  # the cursor stays in the list
        await pilot.press("q")

    drive(app, test)
    flush_saves(app)
    assert not any(is_read(entry) for entry in stored(root).values())


def test_enter_marks_the_previewed_article_read(tmp_path):
    root = many_days(tmp_path / "c", 5)
    app = BriefingApp(root)

    async def test(pilot):
        screen = app.screen
        await pilot.press("j")
        await wait_until(pilot, lambda: screen.state.current_id == "r001.md", what="the preview")
        assert app.marks.markers("r001.md").unread
        await pilot.press("enter")
        await settle(pilot)
        assert not app.marks.markers("r001.md").unread
        assert screen.reader.has_focus
        await pilot.press("q")

    drive(app, test)
    flush_saves(app)
    data = stored(root)
    assert is_read(data.get("r001.md")) and not is_read(data.get("r002.md"))


def test_dwelling_on_a_preview_marks_it_read(tmp_path, isolated_dirs):
    (isolated_dirs["config"] / "config.yaml").write_text("read_after_seconds: 0.2\n", encoding="utf-8")
    root = many_days(tmp_path / "c", 5)
    app = BriefingApp(root)

    async def test(pilot):
        screen = app.screen
        await pilot.press("j", "j")
        await wait_until(pilot, lambda: screen.state.current_id == "r002.md", what="the preview")
        await wait_until(pilot, lambda: not app.marks.markers("r002.md").unread, what="the dwell")
        assert app.marks.markers("r001.md").unread  # passed over, never rested on
        assert screen.query_one(ArticleList).row_content("r002.md").plain.startswith(" ")  # the ● is gone
        await pilot.press("q")

    drive(app, test)
    flush_saves(app)
    data = stored(root)
    assert is_read(data.get("r002.md")) and not is_read(data.get("r001.md"))


def test_read_after_seconds_is_checked(isolated_dirs):
    from briefing.config import load_settings

    path = isolated_dirs["config"] / "config.yaml"
    path.write_text("read_after_seconds: -3\n", encoding="utf-8")
    loaded = load_settings(path)
    assert loaded.settings.read_after_seconds == 0.0
    assert any("read_after_seconds" in p for p in loaded.problems)
    path.write_text("read_after_seconds: 2.5\nlayout: sideways\n", encoding="utf-8")
    loaded = load_settings(path)
    assert loaded.settings.read_after_seconds == 2.5 and loaded.settings.layout == "split"
    assert any("layout must be one of" in p for p in loaded.problems)


def test_a_preview_due_after_tab_to_the_text_leaves_the_article_being_read(tmp_path):
    """The cursor moved (space marks and moves down, or j), then tab to the text before
    the pause ended: the pane keeps the article the analyst pages through."""
    root = many_days(tmp_path / "c", 5)
    app = BriefingApp(root)

    async def test(pilot):
        screen = app.screen
        await settle(pilot)
        await pilot.press("enter")  # r000 opened, the text focused
        await wait_until(pilot, lambda: screen.reader.has_focus, what="the text's focus")
        screen.preview.delay = 1.0  # the keys below come well within the pause, even on a loaded machine
        await pilot.press("tab", "j", "tab")  # in the list: one down; back to the text at once
        assert screen.articles.highlighted_id == "r001.md" and screen.reader.has_focus
        assert screen.preview.pending  # the pause has not ended yet
        await wait_until(pilot, lambda: not screen.preview.pending, what="the preview's pause")
        await settle(pilot)
        assert screen.state.current_id == "r000.md"
        assert plain(screen.query_one("#reader-meta")).startswith("Report 00")
        await pilot.press("tab", "k", "j")  # in the list, the cursor's rest previews as before
        await wait_until(pilot, lambda: screen.state.current_id == "r001.md", what="the preview of r001")
        assert app.marks.markers("r001.md").unread  # a preview marks nothing read
        await pilot.press("q")

    drive(app, test)
