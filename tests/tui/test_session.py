"""Session (issue 15): reopening a corpus restores the cursor, the open article and
its scroll, the search, the filter and the layout; a broken or hostile session file
is ignored with a one-line notice; an article that is gone falls back to the first."""

from __future__ import annotations

import json
import os

from briefing.session import session_file
from briefing.tui.app import BriefingApp
from briefing.tui.screens.filter import FilterScreen
from briefing.tui.widgets.article_list import ArticleList
from briefing.tui.widgets.reader import Reader

from .conftest import drive, plain, settle, wait_until
from .test_density import many_days


def long_article(root) -> None:
    body = "\n\n".join(f"Paragraph {n} of the long one, about the meadow and the harbour." for n in range(120))
    (root / "long.md").write_text(f"---\ntitle: The long one\ndate: 2024-03-15\nsource: Wire\n---\n\n{body}\n",
                                  encoding="utf-8")


def test_reopening_restores_cursor_open_article_scroll_search_filter_and_layout(tmp_path, isolated_dirs):
    root = many_days(tmp_path / "c", 30)
    long_article(root)
    (root / "annotations.yaml").write_text(
        'version: 1\narticles:\n  "long.md":\n    tags: ["keep"]\n  "r020.md":\n    tags: ["keep"]\n'
        '  "r021.md":\n    tags: ["keep"]\n', encoding="utf-8")
    first = BriefingApp(root)
    seen: dict = {}

    async def work(pilot):
        screen = first.screen
        screen.preview.enabled = False  # the pane keeps the article opened while the cursor moves on
        await pilot.press("F")
        await wait_until(pilot, lambda: isinstance(first.screen, FilterScreen), what="the filter dialog")
        await pilot.press(*"keep", "ctrl+s")
        await settle(pilot)
        assert screen.state.filter.tags == ("keep",)
        await pilot.press("slash", *"paragraph", "enter")
        await settle(pilot)
        articles = screen.query_one(ArticleList)
        assert set(articles.shown_ids) == {"long.md", "r020.md", "r021.md"}  # the tagged ones
        articles.highlight_id("long.md")
        await pilot.press("enter")
        await settle(pilot)
        reader = screen.query_one(Reader)
        for _ in range(30):
            await pilot.press("j")
        await settle(pilot)
        assert reader.scroll_y >= 20
        seen["scroll"] = int(reader.scroll_y)
        articles.focus()
        articles.highlight_id("r021.md")
        await pilot.press("v")
        await settle(pilot)
        seen["cursor"] = articles.highlighted_id
        await pilot.press("q")

    drive(first, work, size=(100, 30))
    saved = json.loads(session_file(root).read_text(encoding="utf-8"))
    assert saved["open"] == "long.md" and saved["cursor"] == seen["cursor"] == "r021.md"

    second = BriefingApp(root)

    async def check(pilot):
        screen = second.screen
        state = screen.state
        await wait_until(pilot, lambda: state.hits is not None, what="the search again")
        await settle(pilot)
        assert state.filter.tags == ("keep",)
        assert state.query_text == "paragraph" and screen.query_one("#search").value == "paragraph"
        assert set(screen.query_one(ArticleList).shown_ids) == {"long.md", "r020.md", "r021.md"}
        assert state.compact and screen.query_one(ArticleList).compact
        assert screen.query_one(ArticleList).highlighted_id == "r021.md"
        assert state.current_id == "long.md"
        assert plain(screen.query_one("#reader-meta")).startswith("The long one")
        reader = screen.query_one(Reader)
        await wait_until(pilot, lambda: reader.scroll_y == seen["scroll"], what="the scroll")

    drive(second, check, size=(100, 30))


def test_a_restored_article_that_is_gone_falls_back_to_the_first(tmp_path):
    root = many_days(tmp_path / "c", 5)
    first = BriefingApp(root)

    async def work(pilot):
        first.screen.query_one(ArticleList).highlight_id("r003.md")
        await pilot.press("enter", "z")
        await settle(pilot)

    drive(first, work)
    (root / "r003.md").unlink()
    second = BriefingApp(root)

    async def check(pilot):
        screen = second.screen
        assert screen.state.current_id == "r000.md"
        assert screen.query_one(ArticleList).highlighted_id == "r000.md"
        assert screen.state.layout == "list"  # the rest of the session still holds

    drive(second, check)


def write_session(root, text: str | bytes) -> None:
    path = session_file(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))


def notices(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


def check_ignored(root, reason: str) -> None:
    app = BriefingApp(root)

    async def check(pilot):
        screen = app.screen
        assert screen.state.current_id == "r000.md" and screen.state.layout == "split"
        said = [n for n in notices(app) if n.startswith("Session ignored")]
        assert len(said) == 1 and "\n" not in said[0] and reason in said[0], notices(app)

    drive(app, check)


def test_a_broken_session_file_is_ignored_with_a_notice(tmp_path):
    root = many_days(tmp_path / "c", 3)
    write_session(root, '{"version": 1, "corpus": ')
    check_ignored(root, "not a session file")


def test_a_hostile_session_file_is_ignored_with_a_notice(tmp_path):
    root = many_days(tmp_path / "c", 3)
    real = os.path.realpath(root)
    write_session(root, json.dumps({"version": 1, "corpus": real, "cursor": ["x"], "open": "r001.md",
                                    "layout": "reader"}))
    check_ignored(root, "cursor must be a short text")
    write_session(root, json.dumps({"version": 1, "corpus": real, "open": "[bold red]x\x1b[31m", "scroll": -5}))
    check_ignored(root, "scroll")
    write_session(root, json.dumps({"version": 1, "corpus": "/elsewhere", "open": "r001.md"}))
    check_ignored(root, "another folder")
    write_session(root, b"\xff\xfe" + b"x" * 100)
    check_ignored(root, "not a session file")
    write_session(root, "[" * 100_000)
    check_ignored(root, "")  # too big or too deep: either way a notice
    session_file(root).unlink()
    target = tmp_path / "secret.json"
    target.write_text(json.dumps({"version": 1, "corpus": real, "open": "r001.md"}), encoding="utf-8")
    session_file(root).symlink_to(target)
    check_ignored(root, "link")
