"""Search as you type: results, highlights, no-results message, escape."""

from __future__ import annotations

from briefing.tui.app import BriefingApp
from briefing.tui.rows import HIGHLIGHT
from briefing.tui.widgets.article_list import ArticleList
from briefing.tui.widgets.reader import Reader
from briefing.tui.widgets.search_bar import SearchBar

from .conftest import drive, plain, screen_text, settle


def _highlighted(content) -> list[str]:
    return [content.plain[s.start : s.end] for s in content.spans if str(s.style) == HIGHLIGHT]


def test_search_as_you_type_filters_and_highlights(seeds):
    app = BriefingApp(seeds)

    async def test(pilot):
        await pilot.press("slash")
        bar = app.screen.query_one(SearchBar)
        assert bar.display and bar.has_focus
        await pilot.press(*"kharkiv")
        await settle(pilot)
        articles = app.screen.query_one(ArticleList)
        shown = articles.shown_ids
        # every shown article mentions Kharkiv; every other one does not
        for meta in app.screen.state.corpus.articles:
            text = (meta.title + app.screen.state.corpus.article(meta.id).body).lower()
            assert (meta.id in shown) == ("kharkiv" in text)
        assert 0 < len(shown) < len(app.screen.state.corpus.articles)
        assert f"{len(shown)}/{len(app.screen.state.corpus.articles)} shown" in screen_text(app)
        prompt = articles.row_content(shown[0])
        assert [h.lower() for h in _highlighted(prompt)] == ["kharkiv"]
        # narrowing as more is typed: results follow the latest text
        await pilot.press("backspace", "backspace", "backspace", "backspace", "backspace", "backspace", "backspace")
        await pilot.press(*"plummet")
        await settle(pilot)
        assert len(articles.shown_ids) == 1
        # open a result: the match is highlighted in the text too
        await pilot.press("enter")  # from the field to the results
        assert articles.has_focus
        await pilot.press("enter")
        await settle(pilot)
        reader = app.screen.query_one(Reader)
        marked = [c for c in reader.paragraph_contents() if _highlighted(c)]
        assert marked and _highlighted(marked[0])[0].lower() == "plummet"
        # escape clears the search and shows everything again
        await pilot.press("tab", "escape")
        await settle(pilot)
        assert len(articles.shown_ids) == len(app.screen.state.corpus.articles)
        assert not app.screen.query_one(SearchBar).display
        assert not any(_highlighted(c) for c in reader.paragraph_contents())

    drive(app, test)


def test_no_results_says_so(seeds):
    app = BriefingApp(seeds)

    async def test(pilot):
        await pilot.press("slash", *"zzqx")
        await settle(pilot)
        message = app.screen.query_one("#list-message")
        assert message.display
        assert "No articles match “zzqx”" in plain(message)
        assert not app.screen.query_one(ArticleList).display
        assert "0/5 shown" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.query_one(ArticleList).display
        assert not message.display

    drive(app, test)


def test_typing_in_the_search_field_does_not_trigger_keys(seeds):
    """q, n, s and space typed into the field are text, not quit/next/method/page."""
    app = BriefingApp(seeds)

    async def test(pilot):
        await pilot.press("slash", "q", "n", "space", "s")
        await settle(pilot)
        assert app.is_running
        assert app.screen.query_one(SearchBar).value == "qn s"
        assert app.screen.state.method == "default"

    drive(app, test)
