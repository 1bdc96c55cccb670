"""How the reader draws: the article text as one widget, the list's row cache, the page
keys, and the work a keypress does (bounded caches, one rebuild, nothing hashed at start)."""

from __future__ import annotations

import datetime as dt

from textual.geometry import Offset
from textual.selection import Selection

from briefing.tui.app import BriefingApp
from briefing.tui.widgets import article_body, list_draw
from briefing.tui.widgets.article_body import ArticleBody
from briefing.tui.widgets.article_list import ArticleList
from briefing.tui.widgets.reader import Reader

from .conftest import FakeCorpus, drive, meta, screen_strips, settle

HOSTILE = "[bold red]not bold[/] [@click=app.quit]click[/] [link=x]y[/link] [b"


def _pane_lines(app, widget) -> list[str]:
    region = widget.scrollable_content_region  # without the scrollbar
    strips = screen_strips(app)[region.y : region.bottom]
    return [s.crop(region.x, region.right).text.rstrip() for s in strips]


def test_the_body_draws_markup_like_text_literally_and_selects_it(tmp_path):
    body = "First line of text. " * 12 + "\n\n" + HOSTILE + "\n\nLast paragraph here."
    corpus = FakeCorpus(tmp_path, [meta("a.txt", "Title", dt.date(2024, 1, 2))], bodies={"a.txt": body})
    app = BriefingApp(tmp_path, loader=lambda root: corpus)

    async def test(pilot):
        await pilot.press("enter")
        await settle(pilot)
        reader = app.screen.query_one(Reader)
        text = "\n".join(_pane_lines(app, reader))
        assert HOSTILE in text  # as typed: no markup applied, nothing clickable
        assert app.is_running
        body_widget = reader.query_one(ArticleBody)
        row = body_widget.text().split("\n").index(HOSTILE)
        got = body_widget.get_selection(Selection(Offset(0, row), Offset(len(HOSTILE), row)))
        assert got is not None and got[0] == HOSTILE
        # the first paragraph wraps: its lines follow each other and hold all of it
        shown = [line.strip() for line in _pane_lines(app, reader)]
        start = next(i for i, line in enumerate(shown) if line.startswith("First line"))
        end = shown.index("", start)
        assert end - start > 1 and " ".join(shown[start:end]).split() == ("First line of text. " * 12).split()

    drive(app, test, size=(80, 30))


def test_the_body_keeps_a_bounded_number_of_drawn_paragraphs(tmp_path, monkeypatch):
    monkeypatch.setattr(article_body, "STRIPS_KEPT", 5)
    body = "\n\n".join(f"Paragraph {i} says something." for i in range(60))
    corpus = FakeCorpus(tmp_path, [meta("a.txt", "Title", None)], bodies={"a.txt": body})
    app = BriefingApp(tmp_path, loader=lambda root: corpus)

    async def test(pilot):
        await pilot.press("enter")
        await settle(pilot)
        reader = app.screen.query_one(Reader)
        widget = reader.query_one(ArticleBody)
        for _ in range(14):
            await pilot.press("space")  # page down through the text
            await pilot.pause()
        assert 0 < len(widget._strips) <= 5
        assert any("Paragraph 59" in line for line in _pane_lines(app, reader))

    drive(app, test, size=(80, 24))


def _many(tmp_path, n: int) -> FakeCorpus:
    day = dt.date(2024, 5, 1)
    return FakeCorpus(tmp_path, [meta(f"a{i:03}.txt", f"Article {i:03}", day - dt.timedelta(days=i // 3)) for i in range(n)])


def test_page_keys_move_a_screenful_in_one_step(tmp_path):
    corpus = _many(tmp_path, 120)
    app = BriefingApp(tmp_path, loader=lambda root: corpus)
    moves: list[str] = []

    async def test(pilot):
        articles = app.screen.query_one(ArticleList)
        articles.focus()
        await pilot.pause()
        original = articles._move_cursor

        def counting(index, *, scroll=True):
            moves.append(articles.row_key(index))
            original(index, scroll=scroll)

        articles._move_cursor = counting
        ids = articles.shown_ids
        page = max(1, articles.scrollable_content_region.height // 2 - 1)
        await pilot.press("pagedown")
        assert articles.highlighted_id == ids[page] and moves == [ids[page]]  # one move, not one per row
        await pilot.press("pagedown", "pageup")
        assert articles.highlighted_id == ids[page]
        for _ in range(20):
            await pilot.press("pagedown")
        assert articles.highlighted_id == ids[-1]  # stops at the last article
        await pilot.press("pageup")
        assert articles.highlighted_id == ids[-1 - page]

    drive(app, test, size=(100, 30))


def test_the_list_row_cache_is_bounded_and_moving_redraws_the_two_rows(tmp_path, monkeypatch):
    monkeypatch.setattr(list_draw, "ROWS_KEPT", 10)
    corpus = _many(tmp_path, 200)
    app = BriefingApp(tmp_path, loader=lambda root: corpus)

    async def test(pilot):
        articles = app.screen.query_one(ArticleList)
        articles.focus()
        for _ in range(8):
            await pilot.press("pagedown")
            await pilot.pause()
        assert 0 < len(articles._drawn.strips) <= 10
        await pilot.press("end")
        await pilot.pause()
        dirty: list = []
        original = articles.refresh

        def spy(*regions, **kwargs):
            dirty.append(regions)
            return original(*regions, **kwargs)

        articles.refresh = spy
        await pilot.press("k")  # no scroll needed: only the old and the new cursor rows
        assert dirty and all(regions and all(r.height <= 3 for r in regions) for regions in dirty)

    drive(app, test, size=(100, 30))


def test_escape_rebuilds_the_list_once_and_searches_keep_the_sorted_list(seeds):
    app = BriefingApp(seeds)

    async def test(pilot):
        screen = app.screen
        articles = screen.query_one(ArticleList)
        first = screen.listed_metas()
        assert screen.listed_metas() is first  # not sorted again
        await pilot.press("slash", *"energy")
        await settle(pilot)
        assert screen.listed_metas() is first
        calls = []
        original = articles.show_articles
        articles.show_articles = lambda *a, **k: (calls.append(1), original(*a, **k))
        await pilot.press("escape")
        await settle(pilot)
        assert len(calls) == 1 and articles.shown_count == len(screen.state.corpus.articles)
        # an analyst's date moves a row: the kept list is dropped
        screen.after_change([], reorder=False)
        assert screen.listed_metas() is not first

    drive(app, test)


def test_the_reader_keeps_a_bounded_number_of_bodies(tmp_path, monkeypatch):
    from briefing.tui.features import search

    monkeypatch.setattr(search, "BODIES_KEPT", 3)
    corpus = _many(tmp_path, 10)
    app = BriefingApp(tmp_path, loader=lambda root: corpus)

    async def test(pilot):
        screen = app.screen
        for _ in range(6):
            await pilot.press("n")
            await settle(pilot)
        bodies = screen.search.bodies
        assert len(bodies) == 3 and screen.state.current_id in bodies
        assert bodies.of(screen.state.corpus, "a000.txt") == corpus.article("a000.txt").body
        assert len(bodies) == 3

    drive(app, test)


def test_the_summary_cache_does_not_hash_the_summarizer_when_made(tmp_path, monkeypatch):
    from briefing.summarize import Summary
    from briefing.summarize import cache as summary_cache

    calls = []
    monkeypatch.setattr(summary_cache, "summarizer_version", lambda: calls.append(1) or "v1")
    cache = summary_cache.SummaryCache(tmp_path / "s.sqlite3")
    key = ("sha256:x", "default", 3, "")
    cache.remember(key, Summary(["A."], "default", "default", None))
    assert cache.remembered(key) is not None and calls == []  # memory only: no hash yet
    cache.put(key, Summary(["B."], "default", "default", None))
    assert calls  # the disk needs the version
    assert summary_cache.SummaryCache(tmp_path / "s.sqlite3").get(key).sentences == ["B."]
