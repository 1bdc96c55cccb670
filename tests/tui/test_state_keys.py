"""The reader's state keys (issue 14): ``u`` changes read only, ``f`` the flag only
(on a story row, on every version, each its own field); ``D`` dismisses (hidden,
undoable, says how many) and ``H`` shows or hides dismissed articles; ``s``/``+``/``-``
while reading store the article's summary choice, which the reader uses when the
article is opened again. Everything is checked in annotations.yaml (read with a safe
loader) and on screen.

Sample corpus: 002… is a rewrite of 003…, the only story (both undated)."""

from __future__ import annotations

import yaml

from briefing.corpus import open_corpus
from briefing.summarize import METHODS
from briefing.tui.app import BriefingApp
from briefing.tui.keys import key_entries
from briefing.tui.stories import story_key
from briefing.tui.widgets.article_list import ArticleList
from briefing.tui.widgets.reader import Reader

from .conftest import drive, flush_saves, plain, settle, wait_until

REWRITE = "002_779c45f11c9e3794.txt"
ORIGINAL = "003_dd4f2a093bc6ca5d.txt"
STORY = story_key(REWRITE)


def stored(root, app=None) -> dict:
    """annotations.yaml as plain data, once ``app``'s queued saves are on disk."""
    if app is not None:
        flush_saves(app)
    path = root / "annotations.yaml"
    if not path.exists():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")).get("articles") or {}


def on(root, article_id: str, app=None) -> set[str]:
    entry = stored(root, app).get(article_id, {})
    return {name for name in ("read", "flagged", "dismissed") if entry.get(name) is True}


def toasts(app) -> str:
    return "\n".join(plain(t) for t in app.screen.query("Toast"))


def listed(articles: ArticleList) -> list[str]:
    return [k for k in articles.listing() if k is not None]


def test_u_and_f_on_a_story_row_change_only_their_own_field_on_every_version(seeds):
    app = BriefingApp(seeds)

    async def test(pilot):
        articles = app.screen.query_one(ArticleList)
        await wait_until(pilot, lambda: STORY in articles.listing(), what="the story row")
        articles.focus()
        articles.highlight_id(REWRITE)
        await pilot.pause()
        assert articles.highlighted_row.key == STORY
        await pilot.press("f")
        await settle(pilot)
        assert on(seeds, REWRITE, app) == on(seeds, ORIGINAL, app) == {"flagged"}  # flagged, still unread
        assert articles.row_content(STORY).plain.startswith("●⚑ ")  # the unread mark stays
        await pilot.press("u")
        await settle(pilot)
        assert on(seeds, REWRITE, app) == on(seeds, ORIGINAL, app) == {"read", "flagged"}  # the flag stays
        assert articles.row_content(STORY).plain.startswith(" ⚑ ")
        await pilot.press("f")
        await settle(pilot)
        assert on(seeds, REWRITE, app) == on(seeds, ORIGINAL, app) == {"read"}  # read stays
        await pilot.press("u")
        await settle(pilot)
        assert on(seeds, REWRITE, app) == on(seeds, ORIGINAL, app) == set()

    drive(app, test)


def test_one_version_flagged_and_u_on_the_story_keeps_that_flag(seeds):
    app = BriefingApp(seeds)

    async def test(pilot):
        articles = app.screen.query_one(ArticleList)
        await wait_until(pilot, lambda: STORY in articles.listing(), what="the story row")
        articles.focus()
        articles.highlight_id(REWRITE)
        await pilot.press("right")  # expand: each version has its row
        articles.highlight_id(ORIGINAL)
        await pilot.pause()
        await pilot.press("f")
        await settle(pilot)
        articles.highlight_id(STORY)  # (applied when the rows relaid out by the flag arrive)
        await wait_until(pilot, lambda: articles.highlighted_row.key == STORY, what="the cursor on the story row")
        await pilot.press("u")
        await settle(pilot)
        assert on(seeds, ORIGINAL, app) == {"read", "flagged"} and on(seeds, REWRITE, app) == {"read"}

    drive(app, test)


def test_dismiss_hides_says_how_many_undoes_and_h_shows_them(seeds):
    ids = [m.id for m in open_corpus(seeds).articles]
    loners = [i for i in ids if i not in (REWRITE, ORIGINAL)]
    app = BriefingApp(seeds)

    async def test(pilot):
        articles = app.screen.query_one(ArticleList)
        articles.focus()
        articles.highlight_id(loners[0])
        await pilot.press("m")  # mark two articles
        articles.highlight_id(loners[1])
        await pilot.press("m")
        await pilot.press("D")
        await settle(pilot)
        assert on(seeds, loners[0], app) == on(seeds, loners[1], app) == {"dismissed"}  # nothing else changed
        assert loners[0] not in listed(articles) and loners[1] not in listed(articles)
        assert "Dismissed 2 articles" in toasts(app)
        await pilot.press("H")  # show the dismissed ones, struck through
        await settle(pilot)
        assert loners[0] in listed(articles) and loners[1] in listed(articles)
        row = articles.row_content(loners[0])
        assert any("strike" in str(span.style) for span in row.spans)
        await pilot.press("H")
        await settle(pilot)
        assert loners[0] not in listed(articles)
        await pilot.press("ctrl+z")  # one undo step brings both back
        await settle(pilot)
        assert on(seeds, loners[0], app) == on(seeds, loners[1], app) == set()
        assert loners[0] in listed(articles) and loners[1] in listed(articles)

    drive(app, test)


def test_dismissing_keeps_the_cursor_where_the_row_was_not_at_the_top(seeds):
    app = BriefingApp(seeds)

    async def test(pilot):
        articles = app.screen.query_one(ArticleList)
        articles.focus()
        rows = listed(articles)  # (a story's row has a key of its own)
        assert len(rows) >= 4 and not rows[2].startswith("\0")
        articles.highlight_id(rows[2])
        await settle(pilot)
        await pilot.press("D")
        await settle(pilot)
        assert listed(articles) == [*rows[:2], *rows[3:]]
        assert articles.highlighted_row.key == rows[3]  # the row that took its place, where triage goes on

    drive(app, test)


def test_dismiss_and_show_dismissed_are_listed_for_help_footer_and_palette():
    found = {entry.id: entry for entry in key_entries({})}
    assert "D" in found["dismiss"].keys and "H" in found["show-dismissed"].keys


def test_summary_choice_while_reading_is_stored_and_used_when_the_article_is_opened_again(seeds):
    ids = [m.id for m in open_corpus(seeds).articles]
    first, second = ids[0], ids[1]
    app = BriefingApp(seeds)

    def shown_method() -> str:
        return plain(app.screen.query_one(Reader).query_one("#reader-summary"))

    async def test(pilot):
        articles = app.screen.query_one(ArticleList)
        articles.focus()
        articles.highlight_id(first)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("s", "plus")  # the next method, one sentence more, for this article
        await settle(pilot)
        chosen = METHODS[1]
        assert stored(seeds, app)[first]["summary"] == {"method": chosen, "length": 4}
        assert f"Summary · {chosen} · 4 sentences" in shown_method()
        # the preference follows (config.yaml), so another article opens with it too
        app.screen.state.method, app.screen.state.length = "default", 2  # as if changed on another article
        articles.focus()
        articles.highlight_id(second)
        await pilot.press("enter")
        await settle(pilot)
        assert "Summary · default · 2 sentences" in shown_method()
        assert "summary" not in stored(seeds, app).get(second, {})
        articles.focus()
        articles.highlight_id(first)  # back: its own choice, not the preference
        await pilot.press("enter")
        await settle(pilot)
        assert f"Summary · {chosen} · 4 sentences" in shown_method()

    drive(app, test)


def test_dismissing_a_story_row_dismisses_every_version_and_says_it_once(seeds):
    app = BriefingApp(seeds)

    async def test(pilot):
        articles = app.screen.query_one(ArticleList)
        await wait_until(pilot, lambda: STORY in articles.listing(), what="the story row")
        articles.focus()
        articles.highlight_id(REWRITE)
        await pilot.pause()
        await pilot.press("D")
        await settle(pilot)
        assert on(seeds, REWRITE, app) == on(seeds, ORIGINAL, app) == {"dismissed"}
        assert STORY not in articles.listing()
        said = toasts(app)
        assert said.count("Dismissed 2 articles") == 1 and "H shows dismissed" in said

    drive(app, test)
