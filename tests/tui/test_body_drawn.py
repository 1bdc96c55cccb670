"""What waits for an article's text to be on screen (the summary's worker) is called
back by the text itself: after the frame that first draws it, after the layout that
leaves it out of view, at once when the pane is hidden; never for text shown since."""

from __future__ import annotations

import asyncio

from textual.app import App
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from briefing.tui.marking import Paragraph
from briefing.tui.widgets.article_body import ArticleBody
from briefing.tui.widgets.reader import Reader

from .conftest import quick_idle_checks, wait_until


class BodyApp(App):
    """An article body below ``above`` rows of something else, in a scrolling pane."""

    def __init__(self, above: int) -> None:
        super().__init__()
        self.above = above
        self.frames = 0

    def compose(self):
        with VerticalScroll():
            if self.above:
                yield Static("\n".join(["filler"] * self.above))
            yield ArticleBody()

    def _display(self, screen, renderable) -> None:
        if renderable is not None:
            self.frames += 1
        super()._display(screen, renderable)


def run(app: App, test) -> None:
    async def main() -> None:
        async with app.run_test(size=(60, 20)) as pilot:
            await pilot.pause()
            await test(pilot)

    with quick_idle_checks():
        asyncio.run(main())


def styler(p: Paragraph) -> Content:
    return Content(p.text)


def test_a_callback_runs_after_the_frame_that_first_draws_the_text():
    app = BodyApp(above=0)
    calls: list[tuple[str, bool, int]] = []

    async def test(pilot):
        body = app.query_one(ArticleBody)
        body.show([Paragraph("First text.", 0)], styler)
        body.when_drawn(lambda: calls.append(("first", body.drawn, app.frames)))
        frames = app.frames
        assert not calls  # not in the handler that showed the text
        await wait_until(pilot, lambda: calls, what="the callback")
        assert len(calls) == 1 and calls[0][1]  # the text was drawn by then...
        assert calls[0][2] > frames  # ...in a frame sent out before the call
        # other text shown before it is drawn: the earlier text's callback never runs
        body.show([Paragraph("Second text.", 0)], styler)
        body.when_drawn(lambda: calls.append(("second", body.drawn, app.frames)))
        body.show([Paragraph("Third text.", 0)], styler)
        body.when_drawn(lambda: calls.append(("third", body.drawn, app.frames)))
        await wait_until(pilot, lambda: len(calls) == 2, what="the third text's callback")
        await pilot.pause()
        assert [c[0] for c in calls] == ["first", "third"]

    run(app, test)


def test_text_below_the_fold_calls_back_after_the_layout_that_placed_it():
    app = BodyApp(above=200)  # the body starts far below the 20 rows on screen
    calls: list[bool] = []

    async def test(pilot):
        body = app.query_one(ArticleBody)
        body.show([Paragraph("Out of sight.", 0)], styler)
        body.when_drawn(lambda: calls.append(body.drawn))
        await wait_until(pilot, lambda: calls, what="the callback without a frame drawing the text")
        assert calls == [False]  # never drawn, still called (once)

    run(app, test)


class ReaderApp(App):
    def compose(self):
        yield Reader()


def test_a_hidden_reading_pane_calls_back_at_once():
    app = ReaderApp()
    calls: list[str] = []

    async def test(pilot):
        reader = app.query_one(Reader)
        reader.show_message("")  # new (empty) text: not drawn yet
        reader.display = False
        reader.when_text_drawn(lambda: calls.append("hidden"))
        assert calls == ["hidden"]  # no layout or frame will draw the text: no wait
        reader.display = True
        await pilot.pause()
        reader.show_message("Some text")
        reader.when_text_drawn(lambda: calls.append("shown"))
        assert calls == ["hidden"]  # shown: waits for the frame
        await wait_until(pilot, lambda: len(calls) == 2, what="the shown pane's callback")

    run(app, test)
