"""The status line's counts read easily at any size (thousands separated)."""

from __future__ import annotations

import asyncio

from textual.app import App

from briefing.tui.widgets.status_bar import StatusBar


def _status(**kwargs) -> str:
    class Host(App):
        def compose(self):
            yield StatusBar()

    async def main() -> str:
        app = Host()
        async with app.run_test(size=(120, 3)) as pilot:
            bar = app.query_one(StatusBar)
            bar.show("corpus100k", **kwargs)
            await pilot.pause()
            return str(bar.render())

    return asyncio.run(main())


def test_large_counts_have_thousands_separators():
    assert "100,000 articles" in _status(shown=None, total=100_000)
    assert "3,062/100,000 shown" in _status(shown=3062, total=100_000, query="police shot")


def test_small_counts_and_the_singular_stay_plain():
    assert "1 article" in _status(shown=None, total=1) and "articles" not in _status(shown=None, total=1)
    assert "3/5 shown" in _status(shown=3, total=5, query="x")
