"""When the reader works out an article's keywords: not while keys are coming (the
frames they ask for come first), and a worker still counting for the article the
analyst left gives up when the next one opens (on a million articles its look-ups of
document frequencies take hundreds of milliseconds, beside the next article's frame)."""

from __future__ import annotations

import threading
import time

from briefing.tui.app import BriefingApp
from briefing.tui.widgets.article_list import ArticleList
from briefing.tui.widgets.reader import Reader

from .conftest import drive, plain, wait_until


def _keywords_line(app) -> str:
    return plain(app.screen.query_one(Reader).query_one("#reader-keywords"))


def _keywords_workers(app) -> list:
    return [w for w in app.workers if w.group == "keywords" and not w.is_finished]


def test_keywords_wait_for_a_pause_in_the_keys(seeds):
    app = BriefingApp(seeds)

    async def test(pilot):
        articles = app.screen.query_one(ArticleList)
        articles.focus()
        last_key = [time.monotonic() + 60]  # "keys keep coming"
        asked = [0]

        def last_key_time() -> float:  # what the screen's keywords read (the app's key clock)
            asked[0] += 1
            return last_key[0]

        app.screen.keywords._last_key_time = last_key_time
        await pilot.press("j", "enter")  # an article whose keywords were not worked out yet
        await wait_until(pilot, lambda: asked[0] >= 2, what="the keywords' start put off twice")
        assert "…" in _keywords_line(app) and not _keywords_workers(app)
        last_key[0] = 0.0  # the keys stopped
        await wait_until(pilot, lambda: "…" not in _keywords_line(app) and "Keywords" in _keywords_line(app),
                         what="the keywords, once the keys paused")

    drive(app, test, size=(160, 48))


class _SlowStats:
    """Document frequencies whose first look-up once ``armed`` runs until it is
    interrupted (a million-article index's look-up, as long as needed); the others
    answer at once."""

    documents = 1000

    def __init__(self) -> None:
        self.armed = False
        self.calls = 0
        self.interrupts = 0
        self.running = threading.Event()
        self._release = threading.Event()

    def frequencies(self, terms):
        from briefing.stories.keywords import Interrupted

        if not self.armed:
            return dict.fromkeys(terms, 1)
        self.calls += 1
        if self.calls == 1:
            self.running.set()
            if not self._release.wait(20):
                raise AssertionError("the look-up for the article left was never interrupted")
            raise Interrupted()
        return dict.fromkeys(terms, 1)

    def interrupt(self) -> None:
        self.interrupts += 1
        self._release.set()


def test_opening_the_next_article_stops_the_keywords_of_the_one_before(seeds, monkeypatch):
    import briefing.stories.keywords as keywords

    slow = _SlowStats()
    monkeypatch.setattr(keywords, "document_stats", lambda corpus: slow)
    app = BriefingApp(seeds)

    async def test(pilot):
        articles = app.screen.query_one(ArticleList)
        articles.focus()
        await wait_until(pilot, lambda: "…" not in _keywords_line(app), what="the first article's keywords")
        slow.armed = True
        await pilot.press("j", "enter")  # an article whose keywords were not worked out yet
        first = app.screen.state.current_id
        await wait_until(pilot, slow.running.is_set, what="the first article's look-up, running")
        articles.focus()
        await pilot.press("j", "enter")
        assert app.screen.state.current_id not in (None, first)
        await wait_until(pilot, lambda: slow.interrupts >= 1, timeout=5, what="the first look-up interrupted")
        await wait_until(pilot, lambda: "…" not in _keywords_line(app) and "Keywords" in _keywords_line(app),
                         what="the second article's keywords")
        await wait_until(pilot, lambda: not _keywords_workers(app), what="no keywords worker left running")
        assert slow.calls == 2  # the first gave up (not retried: another article was open), the second counted
        assert app.screen.state.current_id != first

    drive(app, test, size=(160, 48))
