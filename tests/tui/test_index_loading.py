"""The reader over the index: first page before the refresh ends, the full list after,
search through FTS, summaries cached across sessions, stale results dropped, quit
during a refresh."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
import time

import pytest
from textual.widgets import ProgressBar

import briefing.summarize
from briefing.index import CorpusIndex
from briefing.index.query import SearchHit
from briefing.tui import loading, searching
from briefing.tui.app import BriefingApp
from briefing.tui.messages import CorpusHead, IndexProgress, SearchDone, SummaryKey, SummaryReady
from briefing.tui.rows import HIGHLIGHT
from briefing.tui.widgets.article_list import ArticleList
from briefing.tui.widgets.reader import Reader
from tests.answers import answers

from .conftest import FakeCorpus, drive, meta, screen_text, settle, wait_until


def _metas():
    day = dt.date(2024, 3, 1)
    return [meta(f"a{i}.txt", f"Article number {i}", day - dt.timedelta(days=i)) for i in range(6)]


class SlowIndex:
    """A CorpusIndex stand-in whose refresh waits for the test (or for should_stop)."""

    def __init__(self, root, metas, *, cold: bool = False) -> None:
        self.root = root
        self.metas = metas
        self.cold = cold
        self.release = threading.Event()
        self.stopped = False
        self.returned = False

    def head(self, limit: int):
        return [] if self.cold else self.metas[:2]

    def refresh(self, progress=None, on_batch=None, should_stop=None):
        try:
            if self.cold:
                on_batch(list(reversed(self.metas[:3])))  # a batch comes in file order
            progress(1, len(self.metas))
            while not self.release.wait(0.01):
                if should_stop():
                    self.stopped = True
                    return None
            progress(len(self.metas), len(self.metas))
        finally:
            self.returned = True

    def snapshot(self):
        return FakeCorpus(self.root, list(self.metas))


async def _until(predicate, timeout: float = 10.0) -> None:
    started = time.monotonic()
    while not predicate():
        assert time.monotonic() - started < timeout, "timed out"
        await asyncio.sleep(0.01)


def _run(app, test) -> None:
    async def main() -> None:
        app.animation_level = "none"
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            await test(pilot)

    asyncio.run(main())


@pytest.mark.parametrize("cold", [False, True])
def test_first_page_shows_before_the_refresh_ends_then_the_full_list_keeps_the_cursor(seeds, monkeypatch, cold):
    metas = _metas()
    index = SlowIndex(seeds, metas, cold=cold)
    monkeypatch.setattr(loading, "make_index", lambda root: index)
    app = BriefingApp(seeds)

    async def test(pilot):
        articles = app.screen.query_one(ArticleList)
        await _until(lambda: articles.display and articles.shown_ids)
        await pilot.pause()
        first = 2 if not cold else 3
        assert articles.shown_ids == [m.id for m in metas[:first]]  # newest first, whatever the batch order
        assert not index.returned
        bar = app.screen.query_one("#index-progress", ProgressBar)
        await _until(lambda: bar.display and bar.progress == 1)  # the refresh's first report, from its thread
        assert bar.total == len(metas)
        assert "first page only · indexing 1/6 files" in screen_text(app)
        await pilot.press("j")  # the user moves while the rest indexes
        assert articles.highlighted_id == metas[1].id
        index.release.set()
        await _until(lambda: len(articles.shown_ids) == len(metas))
        await settle(pilot)
        assert articles.highlighted_id == metas[1].id  # same article under the cursor
        assert articles.has_focus
        assert not bar.display and "indexing" not in screen_text(app)
        assert "6 articles" in screen_text(app)

    _run(app, test)


def test_quit_during_the_refresh_stops_it_and_exits(seeds, monkeypatch):
    index = SlowIndex(seeds, _metas())
    monkeypatch.setattr(loading, "make_index", lambda root: index)
    app = BriefingApp(seeds)

    async def test(pilot):
        articles = app.screen.query_one(ArticleList)
        await _until(lambda: articles.display and articles.shown_ids)
        await pilot.press("q")

    started = time.monotonic()
    _run(app, test)
    assert index.stopped and index.returned  # should_stop was honoured, not the release
    assert time.monotonic() - started < 8
    assert app.return_code in (0, None)


def test_an_article_opened_from_the_first_page_stays_open_after_the_refresh(seeds, monkeypatch):
    real = CorpusIndex(seeds)
    real.refresh()
    metas = real.snapshot().articles
    index = SlowIndex(seeds, metas)
    index.snapshot = real.snapshot
    monkeypatch.setattr(loading, "make_index", lambda root: index)
    app = BriefingApp(seeds)

    async def test(pilot):
        articles = app.screen.query_one(ArticleList)
        await _until(lambda: articles.display and articles.shown_ids)
        app.screen.open_article(metas[0].id)
        await _until(lambda: app.screen.state.current_article is not None)
        index.release.set()
        await _until(lambda: len(articles.shown_ids) == len(metas))
        await settle(pilot)
        assert app.screen.state.current_id == metas[0].id
        assert app.screen.query_one(Reader)._article.id == metas[0].id

    _run(app, test)


def test_search_goes_through_the_index_and_highlights(seeds, monkeypatch):
    def no_scan(*args, **kwargs):
        raise AssertionError("the brute-force scan ran although the index was ready")

    monkeypatch.setattr(searching, "_scan", no_scan)
    app = BriefingApp(seeds)

    async def test(pilot):
        corpus = app.screen.state.corpus
        assert searching.has_index(corpus)
        await pilot.press("slash", *"kharkiv")
        await settle(pilot)
        articles = app.screen.query_one(ArticleList)
        expected = corpus.match_ids("kharkiv")
        assert expected and sorted(articles.shown_ids) == sorted(expected)
        assert all(isinstance(h, SearchHit) and h.title for h in app.screen.state.hits.values())
        row = articles.row_content(articles.shown_ids[0])
        marked = [row.plain[s.start : s.end].lower() for s in row.spans if str(s.style) == HIGHLIGHT]
        assert marked and set(marked) == {"kharkiv"}
        await pilot.press("enter", "enter")
        await settle(pilot)
        reader = app.screen.query_one(Reader)
        shown = reader.paragraph_contents()
        found = [c.plain[s.start : s.end].lower() for c in shown for s in c.spans if str(s.style) == HIGHLIGHT]
        assert "kharkiv" in found

    drive(app, test)


def test_the_scan_before_the_index_finds_what_the_index_finds(seeds):
    corpus = CorpusIndex(seeds)
    corpus.refresh()
    indexed = corpus.snapshot()
    plain = FakeCorpus(seeds, indexed.articles)
    plain.article = indexed.article  # bodies from the files
    for text in ("kharkiv", "power gr", "Zelensky said", "zzqx"):
        scanned = searching.find(plain, text)
        through = searching.find(indexed, text)
        assert sorted(scanned) == sorted(through), text
        for article_id, hit in scanned.items():
            assert hit.title_spans == through[article_id].title_spans


def test_summaries_come_from_the_cache_on_reopen_without_summarizing(seeds, monkeypatch):
    first_id = {}
    sentences = {}

    async def first(pilot):
        articles = app1.screen.query_one(ArticleList)
        first_id["id"] = articles.highlighted_id
        await pilot.press("enter")
        await settle(pilot)
        sentences["s"] = app1.screen.query_one(Reader).summary_sentences
        assert sentences["s"]

    app1 = BriefingApp(seeds)
    drive(app1, first)

    body = CorpusIndex(seeds).snapshot().article(first_id["id"]).body
    real = briefing.summarize.summarize_detail
    calls = []

    def counting(text, *args, **kwargs):
        calls.append(text)
        return real(text, *args, **kwargs)

    monkeypatch.setattr(briefing.summarize, "summarize_detail", counting)
    app2 = BriefingApp(seeds)

    async def second(pilot):
        screen = app2.screen
        state = screen.state

        def remembered() -> bool:  # the cursor rests on the first row: its summary is read from the file cache
            meta = state.corpus.get(first_id["id"])
            return screen.summaries.cache.remembered(screen.summaries.cache_key(meta, state.method, state.length)) is not None

        await wait_until(pilot, remembered, what="the summary from the file cache")
        await settle(pilot)
        screen.open_article(first_id["id"])
        # shown in the same call: no worker, no "summarizing…"
        assert screen.query_one(Reader).summary_sentences == sentences["s"]
        await settle(pilot)
        assert screen.query_one(Reader).summary_sentences == sentences["s"]
        assert body not in calls  # read from the summary cache, not summarized again

    drive(app2, second)


def test_a_summary_for_another_article_or_setting_is_dropped(seeds):
    app = BriefingApp(seeds)

    async def test(pilot):
        screen = app.screen
        ids = screen.query_one(ArticleList).shown_ids
        screen.open_article(ids[0])
        await settle(pilot)
        reader = screen.query_one(Reader)
        shown = reader.summary_sentences
        assert shown
        current = screen.summaries.key()
        other = SummaryKey(ids[1], "sha256:other", current.method, current.length)
        longer = SummaryKey(current.article_id, current.fingerprint, current.method, current.length + 1)
        fake = briefing.summarize.Summary(["Not this article's sentence."], current.method, current.method)
        for key in (other, longer):
            screen.post_message(SummaryReady(key, fake))
            await settle(pilot)
            assert reader.summary_sentences == shown

    drive(app, test)


def test_stale_search_results_are_dropped(seeds):
    app = BriefingApp(seeds)

    async def test(pilot):
        screen = app.screen
        articles = screen.query_one(ArticleList)
        await pilot.press("slash", *"kharkiv")
        await settle(pilot)
        shown = articles.shown_ids
        ids = [m.id for m in screen.state.corpus.articles]
        # a result for a query typed before
        screen.post_message(SearchDone("khar", {i: SearchHit(i, "t") for i in ids}, screen.state.corpus))
        await settle(pilot)
        assert articles.shown_ids == shown
        # a result for the same text but over a list since replaced (the first page)
        screen.post_message(SearchDone("kharkiv", {i: SearchHit(i, "t") for i in ids}, object()))
        await settle(pilot)
        assert articles.shown_ids == shown

    drive(app, test)


def test_the_loader_hands_back_what_the_refresh_freed_once_it_is_done(seeds, monkeypatch):
    """After the refresh (a walk; on a first open, the build) the loader's thread hands the
    memory it freed back to the system, once, after the refresh returned; a refresh
    stopped (the reader quitting) returns nothing and hands nothing back."""
    events: list[str] = []

    class Index(SlowIndex):
        def refresh(self, progress=None, on_batch=None, should_stop=None):
            on_batch(list(self.metas[:3]))
            events.append("refreshed")

    monkeypatch.setattr(loading, "give_back", lambda: events.append("given back"))
    monkeypatch.setattr(loading, "make_index", lambda root: Index(root, _metas(), cold=True))
    posted: list[object] = []
    loaded = loading.load_with_index(seeds, posted.append, lambda: False)
    assert loaded is not None and len(loaded.corpus.articles) == 6
    assert events == ["refreshed", "given back"]
    events.clear()
    assert loading.load_with_index(seeds, posted.append, lambda: True) is None
    assert events == ["refreshed"]


def children_built(monkeypatch) -> list[bool | None]:
    """What each build handed to a child process answered (True: finished), in order."""
    from briefing.index import child

    return answers(monkeypatch, child, "build_in_child")


def test_a_large_folder_never_indexed_is_built_by_a_child_then_listed_whole(tmp_path, monkeypatch):
    """A folder past ``LARGE_FOLDER`` entries with no index yet: the reader's loader has
    a child process build it (the first rows and the progress come from there), then
    lists every article; a folder with an index, or a small one, is refreshed in-process."""
    from briefing.index import child

    from .test_density import many_days

    root = many_days(tmp_path / "c", 12)
    monkeypatch.setattr(child, "LARGE_FOLDER", 5)
    built = children_built(monkeypatch)
    posted: list[object] = []
    loaded = loading.load_with_index(root, posted.append, lambda: False)
    assert loaded is not None
    try:
        assert built == [True]
        assert len(loaded.corpus.articles) == 12
        assert any(isinstance(m, IndexProgress) and m.done == m.total == 12 for m in posted)
        assert any(isinstance(m, CorpusHead) for m in posted)
    finally:
        if loaded.watcher is not None:
            loaded.watcher.stop()
    loaded = loading.load_with_index(root, posted.append, lambda: False)  # the index is there now
    assert loaded is not None
    if loaded.watcher is not None:
        loaded.watcher.stop()
    assert built == [True]
    monkeypatch.setattr(child, "LARGE_FOLDER", 50)
    other = many_days(tmp_path / "d", 12)  # small: built in-process
    loaded = loading.load_with_index(other, posted.append, lambda: False)
    assert loaded is not None and len(loaded.corpus.articles) == 12
    if loaded.watcher is not None:
        loaded.watcher.stop()
    assert built == [True]


def test_a_large_folders_first_build_stopped_is_marked_and_finished_by_a_child_next_time(tmp_path, monkeypatch):
    """Quitting the reader during a large folder's first build leaves a mark beside the
    cache; the next open hands the rest of the build to a child again (not to its own
    process, which cannot otherwise tell a half-built folder from one with a few new
    files), and a build that went through takes the mark away."""
    from briefing.index import child

    from .test_density import many_days

    monkeypatch.setattr(child, "LARGE_FOLDER", 5)
    built = children_built(monkeypatch)
    root = many_days(tmp_path / "c", 12)
    index = CorpusIndex(root)
    assert loading.load_with_index(root, [].append, lambda: True) is None  # quit at once
    assert built == [False] and child.unfinished(index.path)

    # What a stop leaves (part of the rows, the mark): half the folder indexed, then
    # the other half added.
    other = many_days(tmp_path / "d", 12)
    for extra in sorted(other.glob("*.md"))[6:]:
        extra.unlink()
    root = tmp_path / "d"
    index = CorpusIndex(root)
    index.refresh()
    many_days(root, 12)
    child.note_unfinished(index.path, stopped=True)
    posted: list[object] = []
    loaded = loading.load_with_index(root, posted.append, lambda: False)
    assert loaded is not None
    try:
        assert built == [False, True] and len(loaded.corpus.articles) == 12
        assert not child.unfinished(index.path)
    finally:
        if loaded.watcher is not None:
            loaded.watcher.stop()
    loaded = loading.load_with_index(root, posted.append, lambda: False)  # an index, no mark: in-process
    assert loaded is not None
    if loaded.watcher is not None:
        loaded.watcher.stop()
    assert built == [False, True]
