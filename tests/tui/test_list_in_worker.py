"""A long list is made and laid out in a worker (issue 20: keys never wait for it).

The size above which that happens is lowered to nothing here, so a small corpus
takes the path a million-article one takes; the worker is held at a gate to see
what the list shows meanwhile (the previous rows, "listing…" in the status line,
keys moving on them).
"""

from __future__ import annotations

import datetime as dt
import threading

from briefing.tui.app import BriefingApp
from briefing.tui.widgets import list_pending
from briefing.tui.widgets.article_list import ArticleList
from briefing.tui.widgets.status_bar import StatusBar

from .conftest import FakeCorpus, drive, meta, plain, record_notifications, wait_until


def test_long_list_laid_out_in_worker_keeps_rows_and_keys_meanwhile(tmp_path, monkeypatch):
    monkeypatch.setattr(list_pending, "LAY_OUT_IN_WORKER_ABOVE", -1)
    gate = threading.Event()
    gate.set()
    real = list_pending.lay_out

    def held(*args, **kwargs):
        assert gate.wait(10), "the test never opened the gate"
        return real(*args, **kwargs)

    monkeypatch.setattr(list_pending, "lay_out", held)
    days = [dt.date(2024, 5, 20) - dt.timedelta(days=n // 3) for n in range(12)]
    corpus = FakeCorpus(tmp_path, [meta(f"a{n:02}.txt", f"Article number {n}", day) for n, day in enumerate(days)])
    app = BriefingApp(tmp_path, loader=lambda root: corpus)

    async def test(pilot):
        articles = app.screen.query_one(ArticleList)
        await wait_until(pilot, lambda: articles.shown_count == 12 and not articles.laying_out, what="first rows")
        articles.focus()
        await pilot.pause()
        first = articles.highlighted_id
        assert first == "a00.txt"
        gate.clear()
        await pilot.press("D")  # dismiss: the list is made again, without it
        await wait_until(pilot, lambda: articles.laying_out, what="a layout asked for")
        await pilot.pause()
        assert "listing…" in plain(app.screen.query_one(StatusBar))
        assert articles.shown_count == 12 and "a00.txt" in articles.shown_ids  # the previous rows stay
        await pilot.press("j", "j")  # keys move on them meanwhile
        assert articles.highlighted_id == "a02.txt"
        gate.set()
        await wait_until(pilot, lambda: not articles.laying_out, what="the new rows")
        assert articles.shown_count == 11 and "a00.txt" not in articles.shown_ids
        assert articles.highlighted_id == "a02.txt"  # the cursor stays on its article
        await wait_until(pilot, lambda: "listing…" not in plain(app.screen.query_one(StatusBar)), what="status")
        gate.clear()
        await pilot.press("H")  # dismissed shown again: a00 is listed in the rows to come, not in these
        await wait_until(pilot, lambda: articles.laying_out, what="a layout asked for")
        articles.highlight_id("a00.txt")  # (as the session puts the cursor back at start-up)
        assert articles.highlighted_id == "a02.txt"
        gate.set()
        await wait_until(pilot, lambda: not articles.laying_out, what="the new rows")
        assert articles.shown_count == 12 and articles.highlighted_id == "a00.txt"

    drive(app, test)


def test_newer_layout_request_wins_and_a_failed_one_keeps_the_rows(tmp_path, monkeypatch):
    """Two layouts asked for in a row (compact on, then off): only the last is shown.
    A layout that fails leaves the rows shown as they were, and says so."""
    monkeypatch.setattr(list_pending, "LAY_OUT_IN_WORKER_ABOVE", -1)
    corpus = FakeCorpus(tmp_path, [meta(f"b{n}.txt", f"Item {n}", dt.date(2024, 1, 1 + n)) for n in range(5)])
    app = BriefingApp(tmp_path, loader=lambda root: corpus)

    async def test(pilot):
        articles = app.screen.query_one(ArticleList)
        await wait_until(pilot, lambda: articles.shown_count == 5 and not articles.laying_out, what="first rows")
        tall = articles.virtual_size.height
        # The first request (compact) is held until the second (not compact) is shown:
        # its late answer must be dropped, not drawn over the newer one.
        real, held, calls, finished = list_pending.lay_out, threading.Event(), [], []

        def first_held(*args, **kwargs):
            calls.append(args)
            if len(calls) == 1:
                assert held.wait(10), "the test never let the first layout go"
            try:
                return real(*args, **kwargs)
            finally:
                finished.append(len(calls))

        monkeypatch.setattr(list_pending, "lay_out", first_held)
        articles.set_compact(True)
        await wait_until(pilot, lambda: len(calls) == 1, what="the first layout started")
        articles.set_compact(False)
        await wait_until(pilot, lambda: len(finished) == 1 and not articles.laying_out, what="the second layout shown")
        held.set()
        await wait_until(pilot, lambda: len(finished) == 2, what="the first layout's late answer")
        await pilot.pause()
        await pilot.pause()
        assert articles.virtual_size.height == tall  # headings and two lines a row, as asked last
        assert len(articles.headings()) == 5

        def broken(*args, **kwargs):
            raise OSError("disk gone")

        monkeypatch.setattr(list_pending, "lay_out", broken)
        notes = record_notifications(app)
        articles.focus()
        await pilot.press("D")
        await wait_until(pilot, lambda: any("Listing failed: disk gone" in n for n in notes), what="the failure said")
        await wait_until(pilot, lambda: not articles.laying_out, what="nothing pending")
        assert articles.shown_count == 5 and len(articles.headings()) == 5

    drive(app, test)


def test_a_short_list_made_in_the_worker_hands_freed_memory_back(tmp_path, monkeypatch):
    """On a large corpus every list is made in the worker, and making even a short one
    (a filter keeping a few rows) walks the whole corpus: what that freed goes back to
    the system after each layout, whatever the number of rows listed."""
    monkeypatch.setattr(list_pending, "LAY_OUT_IN_WORKER_ABOVE", 5)  # six articles: a "large" corpus
    given_back: list[int] = []
    monkeypatch.setattr(list_pending, "give_back", lambda: given_back.append(threading.get_ident()))
    corpus = FakeCorpus(tmp_path, [meta(f"c{n}.txt", f"Item {n}", dt.date(2024, 1, 1 + n)) for n in range(6)])
    app = BriefingApp(tmp_path, loader=lambda root: corpus)

    async def test(pilot):
        articles = app.screen.query_one(ArticleList)
        await wait_until(pilot, lambda: articles.shown_count == 6 and not articles.laying_out, what="first rows")
        before = len(given_back)
        assert before >= 1  # the first list, laid out in the worker
        articles.focus()
        await pilot.press("D")  # dismissed: a list of five (not "long"), made again in the worker
        await wait_until(pilot, lambda: articles.shown_count == 5 and not articles.laying_out, what="five rows")
        assert len(given_back) == before + 1
        assert threading.get_ident() not in given_back  # in the worker, never on the screen's thread

    drive(app, test)
