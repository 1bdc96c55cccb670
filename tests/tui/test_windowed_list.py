"""The windowed article list (issue 20): rows read from the index a screen at a time.

Driven headless on a small indexed corpus: what it draws (day headings with their
counts, each article's title under its day), the cursor's moves (down, page, last,
first) and opening the highlighted article. The rows are compared with the corpus
as the index snapshot lists it, not with the widget's own reads.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

from textual.app import App, ComposeResult

from briefing.index.indexed import CorpusIndex
from briefing.index.window import WindowedListing
from briefing.tui.marks import MemoryMarks
from briefing.tui.rows import day_label
from briefing.tui.widgets.windowed_list import WindowedArticleList

DAY0 = dt.date(2024, 5, 1)


def make_corpus(root: Path, count: int) -> None:
    for n in range(count):
        day = None if n % 11 == 10 else DAY0 + dt.timedelta(days=n % 4)
        front = f'title: "Story number {n:02d}"' + (f"\ndate: {day.isoformat()}" if day else "")
        (root / f"s{n:02d}.md").write_text(f"---\n{front}\n---\n\nText of story {n}, officials said.\n",
                                            encoding="utf-8")


class ListApp(App[None]):
    def __init__(self, listing: WindowedListing) -> None:
        super().__init__()
        self.listing = listing
        self.opened: list[str] = []

    def compose(self) -> ComposeResult:
        yield WindowedArticleList()

    def on_mount(self) -> None:
        articles = self.query_one(WindowedArticleList)
        articles.show_listing(self.listing, MemoryMarks())
        articles.focus()

    def on_windowed_article_list_open(self, message: WindowedArticleList.Open) -> None:
        self.opened.append(message.article_id)


def screen_lines(widget: WindowedArticleList) -> list[str]:
    return [widget.render_line(y).text.rstrip() for y in range(widget.size.height)]


def test_the_windowed_list_draws_days_and_moves_its_cursor(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    make_corpus(root, 40)
    index = CorpusIndex(root, workers=1)
    index.refresh()
    corpus = index.snapshot()
    metas = list(corpus.articles)  # the reference: the snapshot's list order
    app = ListApp(WindowedListing(corpus))

    async def main() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            articles = app.query_one(WindowedArticleList)
            lines = screen_lines(articles)
            newest = [m for m in metas if m.date == metas[0].date]
            assert metas[0].date is not None
            assert lines[0] == f"{day_label(metas[0].date)}  ({len(newest)})"
            assert metas[0].title in lines[1]
            assert articles.highlighted_id == metas[0].id

            await pilot.press("down")
            assert articles.highlighted_id == metas[1].id

            await pilot.press("pagedown")
            per_page = articles.scrollable_content_region.height // 2 - 1
            assert articles.highlighted_id == metas[1 + per_page].id

            await pilot.press("end")
            await pilot.pause()
            assert articles.highlighted_id == metas[-1].id
            lines = screen_lines(articles)
            assert any(metas[-1].title in line for line in lines)  # scrolled to it
            undated = [m for m in metas if m.date is None]
            assert metas[-1].date is None and f"{day_label(None)}  ({len(undated)})" in lines

            await pilot.press("home")
            await pilot.press("enter")
            await pilot.pause()
            assert app.opened == [metas[0].id]

    asyncio.run(main())
    corpus.close()
