"""Where the focus is, as the list shows it: the cursor's row is drawn in the focused
colours while the list has the focus and in the blurred ones once enter hands it to the
reader. The row picks its colours as it is drawn (no style of the list or of the reader
hangs on their focus, so moving it repaints neither pane whole)."""

from __future__ import annotations

from briefing.tui.app import BriefingApp
from briefing.tui.widgets.article_list import ArticleList

from .conftest import drive, screen_text, settle, wait_until
from .test_density import many_days


def cursor_background(articles: ArticleList, title: str):
    """The background of the row showing ``title``, as the screen has it now (Textual's
    kept lines, redrawn only where the list asked for a repaint)."""
    for strip in articles.render_lines(articles.size.region):
        if title in strip.text:
            return next(s.style.bgcolor for s in strip if title[:6] in s.text and s.style is not None)
    raise AssertionError(f"{title!r} is not on the list's screen")


async def focus(pilot, widget) -> None:
    """Give ``widget`` the focus and let the screen draw it."""
    widget.focus()
    await wait_until(pilot, lambda: widget.has_focus, what=f"{type(widget).__name__}'s focus")
    await settle(pilot)


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

        await focus(pilot, screen.reader)  # the focus alone moves (enter also marks the row read, which redraws it)
        assert cursor_background(articles, "Report 00") == blurred
        await focus(pilot, articles)
        assert cursor_background(articles, "Report 00") == focused

        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.reader.has_focus, what="the reader's focus")
        await settle(pilot)
        assert cursor_background(articles, "Report 00") == blurred

        await pilot.press("j")  # the reader's key now: the cursor stays where it was
        await settle(pilot)
        assert cursor_background(articles, "Report 00") == blurred

        await focus(pilot, articles)
        assert cursor_background(articles, "Report 00") == focused
        await pilot.press("j")
        await settle(pilot)
        assert cursor_background(articles, "Report 01") == focused
        assert cursor_background(articles, "Report 00") == plain_row
        await pilot.press("q")

    drive(app, test)


def test_opening_a_story_of_many_versions_redraws_its_rows_read(tmp_path):
    """A story of more versions than the list looks up one by one (FEW_ROWS), unfolded:
    enter reads them all and the rows on screen are drawn again, none with ●."""
    from briefing.tui.widgets.article_list import FEW_ROWS

    root = tmp_path / "c"
    root.mkdir()
    body = ("The port authority said on Tuesday that the strike at the container terminal had ended "
            "after dock workers accepted a pay deal worth four percent over two years. ") * 4
    versions = FEW_ROWS + 4
    for n in range(versions):
        (root / f"v{n:02d}.md").write_text(
            f"---\ntitle: Port strike ends, version {n:02d}\ndate: 2024-03-0{1 + n % 5}\nsource: Wire {n}\n---\n\n"
            f"{body}\n", encoding="utf-8")
    (root / "other.md").write_text("---\ntitle: Budget vote delayed\ndate: 2024-03-09\n---\n\n"
                                   "Parliament put off the budget vote until next week.\n", encoding="utf-8")
    app = BriefingApp(root)

    def version_lines() -> list[str]:  # the versions' rows on screen (their first lines; the list's side)
        listed = (line.split("▕")[0] for line in screen_text(app).splitlines())
        return [line for line in listed if "Port strike ends, version" in line]

    async def test(pilot):
        await settle(pilot)
        articles = app.screen.query_one(ArticleList)
        await wait_until(pilot, lambda: f"{versions} sources" in screen_text(app), what="the story's row")
        articles.focus()
        articles.highlight_id("v00.md")  # folded: the cursor goes to the story's row
        await pilot.pause()
        story = articles.highlighted_row.key
        await pilot.press("right")  # unfolded: the versions listed under the story's row
        await wait_until(pilot, lambda: len(version_lines()) > 4, what="the versions' rows")
        assert all("●" in line for line in version_lines())
        await pilot.press("end")  # every version drawn once (and kept), then back to the story's row
        await settle(pilot)
        assert all("●" in line for line in version_lines())
        articles.highlight_id(story)
        await pilot.pause()
        assert articles.highlighted_row.key == story
        await pilot.press("enter")
        await settle(pilot)
        assert not any(app.marks.markers(f"v{n:02d}.md").unread for n in range(versions))
        assert len(version_lines()) > 4 and not any("●" in line for line in version_lines())
        shown_before = set(version_lines())
        articles.focus()
        await pilot.press("end")  # the versions below the screen, drawn as they come into view
        await settle(pilot)
        assert set(version_lines()) - shown_before
        assert not any("●" in line for line in version_lines())
        assert app.marks.markers("other.md").unread  # an article of no story: still unread
        await pilot.press("q")

    drive(app, test)
