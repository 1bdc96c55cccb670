"""Summaries worked out ahead: the next article in the direction n/p travel is
summarized at once (no pause needed), so holding n shows each summary with its text."""

from __future__ import annotations

import briefing.tui.features.summaries as summaries
from briefing.tui.app import BriefingApp
from briefing.tui.widgets.article_list import ArticleList

from .conftest import drive, settle


def _cached(screen, article_id: str) -> bool:
    meta = screen.state.corpus.get(article_id)
    return screen.summaries.cache.remembered(screen.summaries.cache_key(meta, screen.state.method, screen.state.length)) is not None


def test_n_and_p_summarize_the_next_article_their_way_without_a_pause(seeds, monkeypatch):
    # The pause-based look-ahead never fires here: only the immediate one can cache.
    monkeypatch.setattr(summaries, "PREFETCH_DELAY_S", 600.0)
    app = BriefingApp(seeds)

    async def test(pilot):
        screen = app.screen
        articles = screen.query_one(ArticleList)
        first = articles.neighbour(None, 0)
        articles.focus()
        articles.highlight_id(first)
        await pilot.press("enter")
        await settle(pilot)
        second = articles.neighbour(first, 1)
        third = articles.neighbour(second, 1)
        assert _cached(screen, second)  # the next one down, before any n
        assert not _cached(screen, third)
        await pilot.press("n")
        await settle(pilot)
        assert screen.state.current_id == second
        assert _cached(screen, third)
        fourth = articles.neighbour(third, 1)
        await pilot.press("n")
        await settle(pilot)
        assert _cached(screen, fourth)
        # p turns round: the article above is the next one now
        screen.summaries.cache._memory.clear()
        await pilot.press("p")
        await settle(pilot)
        assert screen.state.current_id == second
        assert _cached(screen, first)
        assert not _cached(screen, fourth)

    drive(app, test, size=(160, 48))
