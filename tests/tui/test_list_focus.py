"""Where the focus is, as the list shows it: the cursor's row is drawn in the focused
colours while the list has the focus and in the blurred ones once enter hands it to the
reader. The row picks its colours as it is drawn (no style of the list or of the reader
hangs on their focus, so moving it repaints neither pane whole)."""

from __future__ import annotations

from briefing.tui.app import BriefingApp
from briefing.tui.widgets.article_list import ArticleList

from .conftest import drive, settle, wait_until
from .test_density import many_days


def cursor_background(articles: ArticleList, title: str):
    """The background of the row showing ``title``, as the screen has it now (Textual's
    kept lines, redrawn only where the list asked for a repaint)."""
    for strip in articles.render_lines(articles.size.region):
        if title in strip.text:
            return next(s.style.bgcolor for s in strip if title[:6] in s.text and s.style is not None)
    raise AssertionError(f"{title!r} is not on the list's screen")


def test_the_cursor_row_shows_which_pane_has_the_focus(tmp_path):
    root = many_days(tmp_path / "c", 5)
    app = BriefingApp(root)

    async def test(pilot):
        await settle(pilot)
        screen = app.screen
        articles = screen.query_one(ArticleList)
        focused = articles.get_component_rich_style("article-list--cursor").bgcolor
        blurred = articles.get_component_rich_style("article-list--cursor-blurred").bgcolor
        plain_row = articles.get_component_rich_style("article-list--row").bgcolor
        assert len({focused, blurred, plain_row}) == 3  # the theme tells them apart
        assert articles.has_focus
        assert cursor_background(articles, "Report 00") == focused
        assert cursor_background(articles, "Report 01") == plain_row

        screen.reader.focus()  # the focus alone moves (enter also marks the row read, which redraws it)
        await wait_until(pilot, lambda: screen.reader.has_focus, what="the reader's focus")
        await settle(pilot)
        assert cursor_background(articles, "Report 00") == blurred
        articles.focus()
        await wait_until(pilot, lambda: articles.has_focus, what="the list's focus")
        await settle(pilot)
        assert cursor_background(articles, "Report 00") == focused

        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.reader.has_focus, what="the reader's focus")
        await settle(pilot)
        assert cursor_background(articles, "Report 00") == blurred

        await pilot.press("j")  # the reader's key now: the cursor stays where it was
        await settle(pilot)
        assert cursor_background(articles, "Report 00") == blurred

        articles.focus()
        await wait_until(pilot, lambda: articles.has_focus, what="the list's focus")
        await settle(pilot)
        assert cursor_background(articles, "Report 00") == focused
        await pilot.press("j")
        await settle(pilot)
        assert cursor_background(articles, "Report 01") == focused
        assert cursor_background(articles, "Report 00") == plain_row
        await pilot.press("q")

    drive(app, test)
