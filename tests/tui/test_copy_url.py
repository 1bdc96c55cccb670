"""Issue 18: ``Y`` copies the source URL of the article in focus, and says when there is none."""

from __future__ import annotations

from briefing.model import ArticleMeta
from briefing.tui.app import BriefingApp
from briefing.tui.widgets.article_list import ArticleList
from briefing.tui.widgets.details import Shown, details_content

from .conftest import drive, settle, wait_until

WITH = "Dam report\n\ndate 2024-03-02 The river rose overnight, officials said.\n\nSource: https://news.example/dam?x=1\n"
WITHOUT = "Port strike\n\ndate 2024-03-01 Dock workers walked out on Friday, the union said.\n"


def test_y_copies_the_url_or_says_there_is_none(tmp_path):
    root = tmp_path / "c"
    root.mkdir()
    (root / "a.txt").write_text(WITH)
    (root / "b.txt").write_text(WITHOUT)
    app = BriefingApp(root)
    copied: list[str] = []
    said: list[tuple[str, str]] = []
    app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
    real_notify = app.notify

    def notify(message, *args, **kwargs):
        said.append((str(message), kwargs.get("severity", "information")))
        return real_notify(message, *args, **kwargs)

    app.notify = notify  # type: ignore[method-assign]

    async def test(pilot):
        articles = app.screen.query_one(ArticleList)
        articles.focus()
        assert articles.highlighted_id == "a.txt"  # newest first
        await pilot.press("enter")
        await settle(pilot)
        await wait_until(pilot, lambda: app.screen.state.current_id == "a.txt", what="a.txt open")
        await pilot.press("Y")
        await settle(pilot)
        assert copied == ["https://news.example/dam?x=1"]
        assert said[-1] == ("Copied https://news.example/dam?x=1", "information")
        articles.focus()
        await pilot.press("down")
        await settle(pilot)
        assert articles.highlighted_id == "b.txt"
        await pilot.press("Y")
        await settle(pilot)
        assert copied == ["https://news.example/dam?x=1"]  # nothing more copied
        assert said[-1][0] == "No source URL known for Port strike" and said[-1][1] == "warning"

    drive(app, test)


def test_the_details_show_the_url_as_plain_text():
    meta = ArticleMeta(id="a.txt", path="/c/a.txt", title="T", title_derived=False, date=None, author=None,
                       source=None, tags=(), fingerprint="sha256:0", words=3, url="https://x.example/[bold]red[/]")
    text = details_content(Shown(meta)).plain  # the details (i)
    assert "URL        https://x.example/[bold]red[/]" in text
    no_url = ArticleMeta(id="b.txt", path="/c/b.txt", title="T", title_derived=False, date=None, author=None,
                         source=None, tags=(), fingerprint="sha256:0", words=3)
    assert "URL" not in details_content(Shown(no_url)).plain
