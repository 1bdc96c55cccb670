"""Article text, file names and config are untrusted: shown literally, never as markup,
never reaching the terminal as escape sequences, never crashing the reader."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.command import CommandPalette

from briefing.tui.app import BriefingApp
from briefing.tui.widgets.article_list import ArticleList
from briefing.tui.widgets.reader import Reader
from briefing.tui.widgets.search_bar import SearchBar

from .conftest import drive, plain, screen_text, settle, wait_until

MARKUP = ["[bold red]x[/]", "[/]", "[link=https://x]y[/link]", "[@click=app.quit]z", "[b unclosed", "[$accent]v[/]", "x[/"]
TITLE = "[bold red]x[/] headline [@click=app.quit]z"
BODY = (
    "Markup in the text: [bold red]x[/] and a lone [/] and [link=https://x]y[/link] here.\n\n"
    "A click action [@click=app.quit]z appears, then [$accent]v[/] and x[/ and [b unclosed.\n\n"
    "A title change \x1b]0;pwn\x07 and a clipboard write \x1b]52;c;aGVsbG8=\x07 are in this paragraph.\n\n"
    "A C1 control \x9b31m and a CSI \x1b[31mred\x1b[0m and bidi \u202eevil\u202c text are here too.\n"
)
CONTROLS = ["\x1b", "\x07", "\x9b", "\u202e", "\u202c"]


@pytest.fixture
def hostile(tmp_path) -> Path:
    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / "[bold]name[b] one.txt").write_text(TITLE + "\n\n" + BODY, encoding="utf-8")
    (folder / "[@click=app.quit]two.md").write_text(
        "---\ntitle: \"[/] front [link=https://x]matter[/link]\"\nauthor: \"[b]Mallory\x1b]0;pwn\x07\"\n---\n\n" + BODY,
        encoding="utf-8",
    )
    (folder / "esc\x1b]0;name\x07three.txt").write_text("Plain headline\n\n" + BODY, encoding="utf-8")
    (folder / "[b]empty[@click=app.quit].txt").write_text("", encoding="utf-8")  # skipped: a notification
    return folder


def _all_text(app) -> str:
    """Everything the widgets hold: list prompts, reader meta, summary, paragraphs."""
    screen = app.screen
    articles = screen.query_one(ArticleList)
    parts = articles.headings() + [articles.row_content(i).plain for i in articles.shown_ids]
    reader = screen.query_one(Reader)
    parts += [plain(w) for w in reader.query("Static")]
    return "\n".join(parts)


def test_hostile_files_show_literally_and_nothing_breaks(hostile, isolated_dirs):
    # the three files share one body: not grouped into a story here, so that each title
    # has its own row (tests/tui/test_stories_reader.py draws hostile titles in a story)
    (isolated_dirs["config"] / "config.yaml").write_text(
        "keymap:\n  previous-mark: \"[/]\"\n  \"[@click=app.quit]id\": \"x\"\ngroup_stories: false\n", encoding="utf-8"
    )
    app = BriefingApp(hostile)

    async def test(pilot):

        articles = app.screen.query_one(ArticleList)
        assert len(articles.shown_ids) == 3
        listed = "\n".join(articles.row_content(i).plain for i in articles.shown_ids)
        assert "[bold red]x[/] headline [@click=app.quit]z" in listed
        assert "[@click=app.quit]two.md" in listed or "[/] front [link=https://x]matter[/link]" in listed
        # the skipped empty file is named literally in a notification; so is the bad keymap id
        toasts = "\n".join(plain(t) for t in app.screen.query("Toast"))
        assert "[b]empty[@click=app.quit].txt" in toasts
        assert "[@click=app.quit]id" in toasts
        for article_id in articles.shown_ids:
            app.screen.open_article(article_id)
            await settle(pilot)
            text = _all_text(app)
            for literal in MARKUP:
                assert literal in text, (article_id, literal)
            for control in CONTROLS:
                assert control not in text
                assert control not in screen_text(app)
            assert "\ufffd" in text  # a visible trace of what was removed
            assert "[bold red]x[/]" in screen_text(app)  # as drawn on the terminal
            assert app.screen.query_one(Reader).summary_sentences  # summary computed from it
        # a file name with an escape sequence shows its id, the controls as visible
        # escapes (issue 22: ids name the file exactly; it was a replacement character)
        assert "esc\\u001b]0;name\\u0007three.txt" in "\n".join(articles.row_content(i).plain for i in articles.shown_ids)
        # searching for markup-looking text is plain text search
        await pilot.press("slash", *"[/]")
        await settle(pilot)
        assert app.screen.query_one(SearchBar).value == "[/]"
        assert len(articles.shown_ids) == 3
        await pilot.press(*" nomatch")
        await settle(pilot)
        assert "No articles match “[/] nomatch”" in plain(app.screen.query_one("#list-message"))
        await pilot.press("escape")
        # the help screen lists the hostile key literally
        await pilot.press("question_mark")
        await settle(pilot)
        help_text = plain(app.screen.query_one("#help-text"))
        assert "[/]" in help_text
        await pilot.press("escape")
        # the command palette opens and lists our commands without choking
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), what="the palette")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.is_running and app.return_code is None
        assert app.title == "briefing"

    drive(app, test, size=(120, 40))
