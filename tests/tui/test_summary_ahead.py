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


def test_summary_workers_start_after_the_frame_that_shows_the_text(seeds, monkeypatch):
    # A summarizer thread started in the handler that opens an article takes the GIL
    # in turns with the UI thread while that frame is drawn: it starts after the frame.
    from briefing.tui.widgets.reader import Reader

    monkeypatch.setattr(summaries, "PREFETCH_DELAY_S", 600.0)
    app = BriefingApp(seeds)
    events: list[tuple[str, str]] = []  # ("shown", id), ("summary", id), ("next", id), ("frame", "")
    original_show = Reader.show_article

    def show_article(reader, article):
        events.append(("shown", article.id))
        original_show(reader, article)

    def recording(name, worker):
        def start(node, *args, **kwargs):
            events.append((name, args[0].article_id if name == "summary" else args[1][0].id))
            return worker(node, *args, **kwargs)
        return start

    monkeypatch.setattr(Reader, "show_article", show_article)
    monkeypatch.setattr(summaries, "summarize_worker", recording("summary", summaries.summarize_worker))
    monkeypatch.setattr(summaries, "next_worker", recording("next", summaries.next_worker))

    def frame_between(shown_id: str, worker: str) -> bool:
        """After the press: a frame drawn between the text shown and the worker started."""
        at = events.index(("shown", shown_id))
        later = events[at:]
        started = next(i for i, e in enumerate(later) if e[0] == worker)
        return ("frame", "") in later[:started]

    async def test(pilot):
        screen = app.screen
        display = app._display

        def counting(target, renderable):
            if renderable is not None:
                events.append(("frame", ""))
            return display(target, renderable)

        app._display = counting
        articles = screen.query_one(ArticleList)
        first = articles.neighbour(None, 0)
        second = articles.neighbour(first, 1)
        articles.focus()
        articles.highlight_id(first)
        await settle(pilot)
        screen.summaries.cache._memory.clear()  # not in memory: a worker summarizes it
        events.clear()
        await pilot.press("enter")
        await settle(pilot)
        assert screen.reader.summary_sentences  # the summary came
        assert frame_between(first, "summary")
        events.clear()
        await pilot.press("n")  # its summary was worked out ahead: shown at once, the next one asked for
        await settle(pilot)
        assert screen.state.current_id == second
        assert frame_between(second, "next")
        app._display = display

    drive(app, test, size=(160, 48))
