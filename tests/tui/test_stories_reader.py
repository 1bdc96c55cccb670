"""Stories in the reader: one row per story, expand and fold, grouping off and on, the
comparison view and citing a difference, story-wide tags in one undo step, keywords
and suggested tags, and hostile titles in a story.

The sample corpus (copied into a tmp folder): 002… is a rewrite of 003…, and they
are the only story (both undated: the lead is 002, the first by id)."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading

import yaml
from textual.widgets import Input

from briefing.tui.app import BriefingApp
from briefing.tui.features.stories import SIGNING_NICE
from briefing.tui.screens.compare import CompareScreen
from briefing.tui.screens.help import HelpScreen
from briefing.tui.screens.main import MainScreen
from briefing.tui.screens.tags import TagScreen
from briefing.tui.stories import story_key
from briefing.tui.widgets.article_list import ArticleList
from briefing.tui.widgets.comparison import ComparisonView
from briefing.tui.widgets.reader import Reader

from .conftest import drive, flush_saves, palette_offers, plain, screen_text, settle, wait_until

REWRITE = "002_779c45f11c9e3794.txt"
ORIGINAL = "003_dd4f2a093bc6ca5d.txt"
STORY = story_key(REWRITE)


def stored(root, app=None) -> dict:
    """annotations.yaml read with a safe loader (not with our code), once ``app``'s
    queued saves are on disk."""
    if app is not None:
        flush_saves(app)
    return yaml.safe_load((root / "annotations.yaml").read_text(encoding="utf-8"))["articles"]


def toasts(app) -> str:

    return "\n".join(plain(t) for t in app.screen.query("Toast"))


async def on_story_row(pilot) -> ArticleList:
    articles = pilot.app.screen.query_one(ArticleList)
    articles.focus()
    articles.highlight_id(REWRITE)  # folded: the cursor goes to its story's row
    await pilot.pause()
    assert articles.highlighted_row.key == STORY
    return articles


def test_a_story_is_one_row_that_expands_folds_and_ungroups(seeds, isolated_dirs):
    app = BriefingApp(seeds)

    async def test(pilot):
        articles = await on_story_row(pilot)
        listing = [key for key in articles.listing() if key is not None]
        assert len(listing) == 4 and STORY in listing
        assert REWRITE not in listing and ORIGINAL not in listing
        assert "▸ 2 sources" in articles.row_content(REWRITE).plain
        assert "▸ 2 sources" in screen_text(app)
        await pilot.press("right")  # expand: the two versions under the story row
        listing = [key for key in articles.listing() if key is not None]
        assert listing[listing.index(STORY) + 1 : listing.index(STORY) + 3] == [REWRITE, ORIGINAL]
        assert articles.highlighted_row.key == STORY  # the cursor stays on the story
        assert "▾ 2 sources" in articles.row_content(STORY).plain
        await pilot.press("down", "left")  # on a member, ← folds the story onto its row
        assert articles.highlighted_row.key == STORY
        assert len([k for k in articles.listing() if k is not None]) == 4
        assert app.marks.markers(ORIGINAL).unread and app.marks.markers(REWRITE).unread
        assert articles.row_content(STORY).plain.startswith("●")
        await pilot.press("enter")  # enter on a story row opens its lead, and reads the story
        await settle(pilot)
        assert app.screen.state.current_id == REWRITE
        assert not app.marks.markers(ORIGINAL).unread and not app.marks.markers(REWRITE).unread
        assert not articles.row_content(STORY).plain.startswith("●")
        await pilot.press("tab", "g")  # grouping off: one row per article, saved
        await settle(pilot)
        listing = [key for key in articles.listing() if key is not None]
        assert len(listing) == 5 and REWRITE in listing and ORIGINAL in listing
        assert articles.highlighted_id == REWRITE  # the cursor is still on the same article
        assert "sources" not in screen_text(app)
        config = yaml.safe_load((isolated_dirs["config"] / "config.yaml").read_text(encoding="utf-8"))
        assert config["group_stories"] is False
        await pilot.press("g")
        await settle(pilot)
        assert len([k for k in articles.listing() if k is not None]) == 4
        config = yaml.safe_load((isolated_dirs["config"] / "config.yaml").read_text(encoding="utf-8"))
        assert config["group_stories"] is True

    drive(app, test, size=(160, 48))


def test_search_keeps_a_story_when_one_version_matches(seeds):
    app = BriefingApp(seeds)
    # a word only the original has (read from the files, not from our output)
    holding = [p.name for p in sorted(seeds.iterdir()) if p.is_file() and "DTEK" in p.read_text(encoding="utf-8")]
    assert holding == [ORIGINAL]

    async def test(pilot):
        await pilot.press("slash", *"DTEK")
        await settle(pilot)
        articles = app.screen.query_one(ArticleList)
        assert [k for k in articles.listing() if k is not None] == [STORY]
        assert "▸ 1 of 2 sources" in articles.row_content(STORY).plain
        # a word the original shares with other articles but not with the rewrite (the lead)
        word = "explosions"
        texts = {p.name: p.read_text(encoding="utf-8").lower() for p in seeds.iterdir() if p.is_file()}
        assert word in texts[ORIGINAL] and word not in texts[REWRITE]
        assert sum(word in text for text in texts.values()) >= 2
        await pilot.press(*["backspace"] * 4, *word)
        await settle(pilot)
        listing = [k for k in articles.listing() if k is not None]
        assert STORY in listing and listing[0] != STORY  # other articles come first
        articles.focus()
        articles.highlight_id(ORIGINAL)
        assert articles.highlighted_row.key == STORY
        await pilot.press("g")  # grouping off while the story row shows the version found
        await settle(pilot)
        assert ORIGINAL in articles.listing() and REWRITE not in articles.listing()
        assert articles.highlighted_id == ORIGINAL  # the cursor is on it, not back at the top

    drive(app, test, size=(160, 48))


def test_the_story_rows_arrive_without_moving_the_cursor_or_dropping_marks(seeds, monkeypatch):
    import briefing.stories as stories_package

    release = threading.Event()
    real = stories_package.group_stories

    asked: list[object] = []

    def slow_group(*args, **kwargs):
        asked.append(kwargs.get("nice"))
        release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(stories_package, "group_stories", slow_group)
    app = BriefingApp(seeds)

    async def main():
        app.animation_level = "none"
        async with app.run_test(size=(160, 48)) as pilot:
            await wait_until(  # the list is up; the grouping worker waits
                pilot, lambda: isinstance(app.screen, MainScreen) and app.screen.state.corpus is not None
                and app.screen.state.stories_note, what="the grouping to start")
            await pilot.pause()
            articles = app.screen.query_one(ArticleList)
            assert len([k for k in articles.listing() if k is not None]) == 5  # not grouped yet
            assert "grouping stories" in screen_text(app)  # the status line says so
            articles.focus()
            articles.highlight_id(ORIGINAL)
            await pilot.press("m")  # mark the original (the cursor moves down)
            after_mark = articles.highlighted_id
            assert articles.marked_ids == [ORIGINAL]
            release.set()
            await settle(pilot)
            assert app.screen.state.stories is not None
            assert STORY in articles.listing()
            assert articles.marked_ids == [ORIGINAL]  # still marked: its story opened to show it
            assert ORIGINAL in articles.listing()
            assert articles.highlighted_id == after_mark
            assert "grouping stories" not in screen_text(app)
            assert asked == [SIGNING_NICE] and SIGNING_NICE > 0  # its signing processes give way to the reader

    try:
        asyncio.run(main())
    finally:
        release.set()


def test_compare_shows_a_known_difference_and_cites_it_into_the_notes(seeds, isolated_dirs):
    # the two versions disagree on the temperature (read from the files themselves)
    assert "dropped below minus 20C" in (seeds / REWRITE).read_text(encoding="utf-8")
    assert "dropped to -20C" in (seeds / ORIGINAL).read_text(encoding="utf-8")
    # remapped by id in config.yaml: compare on v, cite on y
    (isolated_dirs["config"] / "config.yaml").write_text(
        "keymap:\n  compare: v\n  compare-cite: y\n", encoding="utf-8"
    )
    app = BriefingApp(seeds)

    async def test(pilot):
        await on_story_row(pilot)
        await pilot.press("v")
        assert isinstance(app.screen, CompareScreen)
        await settle(pilot)
        screen = app.screen
        view = screen.query_one(ComparisonView)
        assert view.side_by_side  # 160 columns: the versions side by side
        assert screen.ids == [REWRITE, ORIGINAL]  # from the story row: the lead first
        for _ in range(len(screen.result.differences)):
            diff = view.difference
            if diff.kind == "number" and diff.texts[0] and "20C" in diff.texts[0]:
                break
            await pilot.press("n")
        else:
            raise AssertionError("no number difference about the temperature")
        assert "minus 20C" in diff.texts[0] and "-20C" in diff.texts[1]
        top = view.row_top(diff.row)
        drawn = "\n".join(view.lines_text()[top : top + 8])
        assert "dropped below minus" in drawn and "dropped to -20C" in drawn
        assert "number" in plain(screen.query_one("#compare-status"))
        # the selected difference is drawn reversed, in the number style
        line = next(c for c in view._layout.lines[top:] if "minus 20C" in c.plain or "below" in c.plain)
        styles = {str(span.style) for span in line.spans}
        assert any("reverse" in s for s in styles) and any("story-number" in s for s in styles)
        await pilot.press("y")
        await settle(pilot)
        assert "Cited in note 1" in toasts(app)
        notes = stored(seeds, app)[REWRITE]["notes"]
        assert len(notes) == 1
        text = notes[0]["text"]
        assert "minus 20C" in text and "-20C" in text and ORIGINAL in text
        await pilot.press("o", "y")  # o: cite into the other version's notes instead
        await settle(pilot)
        other = stored(seeds, app)[ORIGINAL]["notes"]
        assert len(other) == 1 and REWRITE in other[0]["text"] and other[0]["text"].startswith("Number differs")
        assert len(stored(seeds, app)[REWRITE]["notes"]) == 1
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        await pilot.press("ctrl+z", "ctrl+z")  # undoable like any note
        await settle(pilot)
        assert not stored(seeds, app).get(REWRITE, {}).get("notes")
        assert not stored(seeds, app).get(ORIGINAL, {}).get("notes")

    drive(app, test, size=(160, 48))


def test_compare_stacks_the_versions_at_80_columns_and_refuses_a_lone_article(seeds):
    app = BriefingApp(seeds)

    async def test(pilot):
        articles = app.screen.query_one(ArticleList)
        articles.focus()
        articles.highlight_id("001_91c4a80b16629b6a.txt")  # in no story
        await pilot.press("c")
        assert isinstance(app.screen, MainScreen)
        assert "no other version" in toasts(app)
        articles.highlight_id(REWRITE)
        await pilot.press("c")
        await settle(pilot)
        view = app.screen.query_one(ComparisonView)
        assert not view.side_by_side
        lines = view.lines_text()
        assert any(line.startswith("1 ") for line in lines) and any(line.startswith("2 ") for line in lines)
        assert all(len(line) <= 80 for line in lines)

    drive(app, test, size=(80, 24))


def test_tagging_a_story_row_tags_every_version_in_one_undo_step(seeds):
    app = BriefingApp(seeds)

    async def test(pilot):
        await on_story_row(pilot)
        await pilot.press("t")
        assert isinstance(app.screen, TagScreen)
        assert "the 2 articles of the story" in plain(app.screen.query_one(".dialog-title"))
        await pilot.press(*"energy", "enter")
        await settle(pilot)
        got = stored(seeds, app)
        assert got[REWRITE]["tags"] == ["energy"] and got[ORIGINAL]["tags"] == ["energy"]
        assert "Tagged 2 articles of the story" in toasts(app)
        assert "#energy" in app.screen.query_one(ArticleList).row_content(STORY).plain
        await pilot.press("f")  # flag: both too
        await settle(pilot)
        got = stored(seeds, app)
        assert got[REWRITE].get("flagged") is True and got[ORIGINAL].get("flagged") is True
        assert "Flagged 2 articles of the story" in toasts(app)
        await pilot.press("f")  # again: unflagged, and said so
        await settle(pilot)
        assert "flagged" not in stored(seeds, app)[REWRITE] and "flagged" not in stored(seeds, app)[ORIGINAL]
        assert "Unflagged 2 articles of the story" in toasts(app)
        await pilot.press("ctrl+z")  # flagged again
        await settle(pilot)
        await pilot.press("ctrl+z", "ctrl+z")  # two undo steps: the flag, then the tag of both
        await settle(pilot)
        got = stored(seeds, app)
        for article_id in (REWRITE, ORIGINAL):
            assert not got.get(article_id, {}).get("tags")
            assert got.get(article_id, {}).get("flagged") is not True

    drive(app, test, size=(160, 48))


def test_keywords_line_and_accepting_the_suggested_tags(seeds):
    app = BriefingApp(seeds)
    first = "001_91c4a80b16629b6a.txt"
    body = (seeds / first).read_text(encoding="utf-8")

    async def test(pilot):
        articles = app.screen.query_one(ArticleList)
        articles.focus()
        articles.highlight_id(first)
        await pilot.press("enter")
        keywords = app.screen.query_one(Reader).query_one("#reader-keywords")
        await wait_until(pilot, lambda: "…" not in plain(keywords) and "(A adds)" in plain(keywords),
                         what="the keywords and suggested tags, made in a worker")
        line = plain(keywords)
        assert line.startswith("Keywords ")
        words = line.removeprefix("Keywords ").split("   tags?")[0].split(" · ")
        assert words and all(w in body for w in words)  # keywords are the article's own words
        assert "tags?" in line and "(A adds)" in line
        await pilot.press("A")
        assert isinstance(app.screen, TagScreen)
        offered = app.screen.query_one(Input).value
        tags = [t.strip() for t in offered.split(",")]
        assert tags and all(tags)
        await pilot.press("enter")
        await settle(pilot)
        assert sorted(stored(seeds, app)[first]["tags"]) == sorted(tags)

    drive(app, test, size=(160, 48))


def test_help_and_palette_list_the_story_keys():
    from briefing.tui.keys import key_entries

    ids = {e.id for e in key_entries({})}
    assert {"compare", "group-stories", "tag-suggested", "story-expand", "story-collapse",
            "compare-next", "compare-previous", "compare-cite", "compare-own", "compare-close"} <= ids


def test_help_screen_shows_the_story_keys(seeds):
    app = BriefingApp(seeds)

    async def test(pilot):
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = plain(app.screen.query_one("#help-text"))
        for wanted in ("id: compare", "id: group-stories", "id: compare-cite", "Comparison (c)", "2 sources"):
            assert wanted in text

    drive(app, test, size=(160, 48))


HOSTILE = "[bold red]x[/] story [@click=app.quit]z"
BODY = (
    "Markup in the text: [bold red]x[/] and a lone [/] and [link=https://x]y[/link] here, said the minister "
    "in a long statement about the grid and the outage that hit the capital overnight.\n\n"
    "A click action [@click=app.quit]z appears, then more than 70 missiles were fired at the energy sites "
    "and the air defence intercepted many of them before dawn on Tuesday.\n"
)


def test_hostile_titles_in_a_story_render_literally(tmp_path):
    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / "a.txt").write_text(HOSTILE + "\n\n" + BODY, encoding="utf-8")
    (folder / "b.md").write_text(
        "---\ntitle: \"[/] other \x1b]0;pwn\x07 [link=https://x]title[/link]\"\n---\n\n" + BODY, encoding="utf-8"
    )
    app = BriefingApp(folder)

    async def test(pilot):
        articles = app.screen.query_one(ArticleList)
        row = articles.highlighted_row
        assert row is not None and row.is_story  # the two files are one story
        await pilot.press("right")
        shown = screen_text(app)
        assert HOSTILE in shown
        assert "[/] other" in shown and "[link=https://x]title[/link]" in shown
        assert "\x1b" not in shown and "\x07" not in shown
        await pilot.press("c")
        await settle(pilot)
        title = plain(app.screen.query_one("#compare-title"))
        assert HOSTILE in title and "[link=https://x]title[/link]" in title
        assert app.is_running

    drive(app, test, size=(160, 48))


def test_the_palette_runs_compare(seeds):
    app = BriefingApp(seeds)

    async def test(pilot):
        await on_story_row(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"Compare")
        await wait_until(pilot, lambda: palette_offers(app, "Compare"), what="the command")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        assert app.screen.ids == [REWRITE, ORIGINAL]

    drive(app, test, size=(160, 48))


def test_difference_colours_come_from_the_theme_or_fall_back_to_its_own_colours(seeds, isolated_dirs):
    from briefing.resources import builtin_themes
    from briefing.tui.widgets.comparison import KIND_STYLES

    names = {style.split("$")[1] for style in KIND_STYLES.values()}
    for path in builtin_themes().glob("*.yaml"):  # every built-in theme sets its own
        variables = yaml.safe_load(path.read_text(encoding="utf-8"))["variables"]
        assert names <= set(variables), path.name
    themes = isolated_dirs["config"] / "themes"
    themes.mkdir()
    (themes / "mine.yaml").write_text("name: mine\nprimary: \"#224488\"\nerror: \"#cc0000\"\n", encoding="utf-8")
    (isolated_dirs["config"] / "config.yaml").write_text("theme: mine\n", encoding="utf-8")
    app = BriefingApp(seeds)

    async def test(pilot):
        assert app.theme == "mine"
        variables = app.get_css_variables()
        assert names <= set(variables)
        generated = app.current_theme.to_color_system().generate()
        assert variables["story-number"] == generated["error"]  # the theme's error colour…
        assert variables["story-name"] == generated["primary"]  # …and its primary
        await on_story_row(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        assert app.screen.query_one(ComparisonView).lines_text()  # drawn with the fallback styles
        assert "marks: number" in screen_text(app)

    drive(app, test, size=(160, 48))


def test_progress_after_grouping_was_turned_off_is_ignored(seeds, isolated_dirs):
    from briefing.tui.messages import StoriesProgress

    (isolated_dirs["config"] / "config.yaml").write_text("group_stories: false\n", encoding="utf-8")
    app = BriefingApp(seeds)

    async def test(pilot):
        screen = app.screen
        assert screen.state.stories is None  # grouping off: never computed
        assert len([k for k in screen.query_one(ArticleList).listing() if k is not None]) == 5
        screen.post_message(StoriesProgress(screen.state.corpus, 5, 10))  # a worker's late message
        await settle(pilot)
        assert "grouping stories" not in screen_text(app)
        assert screen.state.stories_note == ""

    drive(app, test, size=(160, 48))


def test_a_large_corpus_is_grouped_by_a_child_with_the_analysts_dates(seeds, isolated_dirs, monkeypatch):
    """Past ``LARGE_CORPUS`` articles with no stories stored, the reader has a child
    process group them (with the dates the analyst set: the child stores what the
    reader then reads back) and shows the same story row."""
    from briefing.stories import child as story_child

    (seeds / "annotations.yaml").write_text(
        "articles:\n  004_6814731f4ee210d7.txt:\n    date: 2024-01-02\nversion: 2\n", encoding="utf-8")
    monkeypatch.setattr(story_child, "LARGE_CORPUS", 3)
    calls: list[bool | None] = []
    real = story_child.group_in_child

    sent: list[object] = []

    def recorded(*args, **kwargs):
        sent.append(args[1])
        calls.append(real(*args, **kwargs))
        return calls[-1]

    monkeypatch.setattr(story_child, "group_in_child", recorded)
    app = BriefingApp(seeds)

    async def test(pilot):
        screen = app.screen
        await wait_until(pilot, lambda: screen.state.stories is not None, what="the stories")
        assert calls == [True]
        assert sent == [{"004_6814731f4ee210d7.txt": (None, dt.date(2024, 1, 2))}]
        assert screen.state.stories.stats.from_cache  # read back: the child grouped what the reader shows
        await on_story_row(pilot)

    drive(app, test)
