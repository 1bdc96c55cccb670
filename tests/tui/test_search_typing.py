"""A search typed at a million articles (issue 20): it starts once the keys pause
(enter at once), a search typed over is stopped and never shown, and a list being
made for a text typed over stops."""

from __future__ import annotations

import threading
import time
from dataclasses import replace

import pytest

from briefing.index import open_index
from briefing.listing.window import ListingStopped, WindowedListing
from briefing.tui.app import BriefingApp
from briefing.tui.features import search as search_feature
from briefing.tui.searching import find as real_find
from briefing.tui.state import Listing, ReaderState
from briefing.tui.widgets.article_list import ArticleList

from ..index.conftest import make_corpus
from .conftest import drive, wait_until


def _recording_find(monkeypatch) -> list[str]:
    """``find`` as the search worker calls it, the texts it was asked for recorded."""
    asked: list[str] = []

    def recording(corpus, text, **kwargs):
        asked.append(getattr(text, "text", text))
        return real_find(corpus, text, **kwargs)

    monkeypatch.setattr(search_feature, "find", recording)
    return asked


def _shows(app, text: str) -> bool:
    state = app.screen.state
    return state.query_text == text and state.hits is not None and not app.screen.query_one(ArticleList).laying_out


def _mentions(app, word: str) -> set[str]:
    corpus = app.screen.state.corpus
    return {m.id for m in corpus.articles if word in (m.title + corpus.article(m.id).body).lower()}


def _searching(app) -> bool:
    return any(w.group == "search" and not w.is_finished for w in app.workers)


def test_enter_searches_what_was_typed_at_once_and_only_that(seeds, monkeypatch):
    """Keys typed faster than the pause: no prefix is searched; enter starts the
    search of the whole text without waiting out the pause."""
    monkeypatch.setattr(search_feature, "TYPING_PAUSE_S", 60.0)  # (only enter can start it within the test)
    asked = _recording_find(monkeypatch)
    app = BriefingApp(seeds)

    async def test(pilot):
        await pilot.press("slash", *"kharkiv")
        assert asked == []  # every prefix waits for the keys to pause
        started = time.monotonic()
        await pilot.press("enter")
        await wait_until(pilot, lambda: _shows(app, "kharkiv"), timeout=20, what="the results of enter")
        assert time.monotonic() - started < 30  # not after the pause
        assert asked == ["kharkiv"]
        articles = app.screen.query_one(ArticleList)
        assert set(articles.shown_ids) == _mentions(app, "kharkiv") != set()
        # the prefixes' workers were called off, not left waiting out their pause
        await wait_until(pilot, lambda: not _searching(app), timeout=20, what="no search left waiting")

    drive(app, test)


def test_typing_then_pausing_searches_the_final_text(seeds, monkeypatch):
    """Without enter the search still runs, once the keys pause, for the text as it ends."""
    asked = _recording_find(monkeypatch)
    app = BriefingApp(seeds)

    async def test(pilot):
        await pilot.press("slash", *"plummet")
        await wait_until(pilot, lambda: _shows(app, "plummet"), timeout=20, what="the results once typing paused")
        assert asked and asked[-1] == "plummet"
        assert set(app.screen.query_one(ArticleList).shown_ids) == _mentions(app, "plummet") != set()

    drive(app, test)


def test_a_search_typed_over_is_stopped_and_never_shown(seeds, monkeypatch):
    """A search still running when its text is typed over is told to stop (the stand-in
    runs until told), the newer text's results are shown, the older's never."""
    monkeypatch.setattr(search_feature, "TYPING_PAUSE_S", 0.0)
    running = threading.Event()
    stopped = threading.Event()
    shown_queries: list[str] = []

    def slow_for_kharkiv(corpus, text, *, should_stop=lambda: False, **kwargs):
        if getattr(text, "text", text) != "kharkiv":
            return real_find(corpus, text, should_stop=should_stop, **kwargs)
        running.set()
        deadline = time.monotonic() + 30
        while not should_stop():  # a long statement, interrupted when typed over
            assert time.monotonic() < deadline, "the search typed over was never told to stop"
            time.sleep(0.005)
        stopped.set()
        return None

    monkeypatch.setattr(search_feature, "find", slow_for_kharkiv)
    app = BriefingApp(seeds)

    async def test(pilot):
        done = app.screen.search.done

        def recording(message):
            shown_queries.append(message.query)
            done(message)

        app.screen.search.done = recording
        await pilot.press("slash", *"kharkiv")
        await wait_until(pilot, running.is_set, timeout=20, what="the search for kharkiv running")
        await pilot.press(*["backspace"] * 7, *"plummet", "enter")
        await wait_until(pilot, lambda: _shows(app, "plummet"), timeout=20, what="the newer text's results")
        await wait_until(pilot, stopped.is_set, timeout=20, what="the older search stopped")
        assert "kharkiv" not in shown_queries
        assert set(app.screen.query_one(ArticleList).shown_ids) == _mentions(app, "plummet")

    drive(app, test)


# --- the list's making stopped -------------------------------------------------------


@pytest.fixture
def indexed(tmp_path):
    root = tmp_path / "corpus"
    make_corpus(root, 24, seed=3)
    return open_index(root, workers=1)


def test_a_list_being_made_stops_for_another_list_and_goes_on_for_the_same(indexed, tmp_path):
    every = [m.id for m in indexed.articles]
    with pytest.raises(ListingStopped):
        WindowedListing(indexed, None, None, set(every[:10]), should_stop=lambda: True)
    assert len(WindowedListing(indexed, None, None, set(every[:10]), should_stop=lambda: False)) == 10

    from briefing.tui.searching import Hits

    hits = Hits.of({i: _hit(i) for i in every[:5]})
    with_snippets = hits.with_first_page(dict(hits.first_page()))  # the same search's second answer
    listing = Listing()
    first = ReaderState(tmp_path, "default", 3, corpus=indexed, query_text="x", hits=hits)
    second = replace(first, hits=with_snippets)  # (as the screen's state is copied for a worker)
    other = ReaderState(tmp_path, "default", 3, corpus=indexed, query_text="y",
                        hits=Hits.of({every[7]: _hit(every[7])}))
    listing.want(other, None)  # a different list asked for since: the making stops
    with pytest.raises(ListingStopped):
        listing.listing(first, None, should_stop=lambda: True)
    listing.want(second, None)  # the same list asked for again: it goes on, and serves the newer request
    made = listing.listing(first, None, should_stop=lambda: True)
    assert len(made) == 5
    assert listing.listing(second, None) is made


def _hit(article_id: str):
    from briefing.index.query import SearchHit

    return SearchHit(article_id, "")
