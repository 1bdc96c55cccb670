"""`!` lists the annotation file's open conflicts; `o`/`t` settle one from the
keyboard; the choice lands in annotations.yaml (read back with a safe loader)."""

from __future__ import annotations

import yaml

from briefing.annotations import yamlio
from briefing.annotations.schema import AnnotationDoc, ArticleNotes, Conflict
from briefing.corpus import open_corpus
from briefing.tui.app import BriefingApp
from briefing.tui.screens.conflicts import ConflictsScreen
from briefing.tui.screens.main import MainScreen
from briefing.tui.widgets.status_bar import StatusBar

from .conftest import drive, flush_saves, plain, settle, wait_until


def dialog_text(app) -> str:
    """The conflicts dialog's title, rows and message, as plain text."""
    from textual.widgets import OptionList, Static

    screen = app.screen
    listing = screen.query_one(OptionList)
    rows = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
    return "\n".join([*(plain(s) for s in screen.query(Static)), *rows])


async def open_dialog(pilot, app, count: int) -> str:
    """``!`` once the status line counts ``count`` conflicts; the dialog's text."""
    await wait_until(pilot, lambda: f"{count} conflicts (!)" in plain(app.screen.query_one(StatusBar)),
                     what="the status line")
    await pilot.press("exclamation_mark")
    await settle(pilot)
    assert isinstance(app.screen, ConflictsScreen)
    return dialog_text(app)


def test_conflicts_are_listed_and_settled_from_the_keyboard(seeds):
    first, second = sorted(m.id for m in open_corpus(seeds).articles)[:2]  # rows come in id order
    doc = AnnotationDoc({
        first: ArticleNotes(title="Bob's [bold]title[/]", conflicts=(
            Conflict("title", "Bob's [bold]title[/]", "Ann's title", "2026-12-05T10:00:00Z", None, "Bob", "Ann", "Bob"),)),
        second: ArticleNotes(flagged=True, conflicts=(Conflict("flagged", "true", "false", "", "false", "Bob", "Ann"),)),
    })
    (seeds / "annotations.yaml").write_bytes(yamlio.dumps_bytes(doc))
    app = BriefingApp(seeds)

    async def test(pilot):
        text = await open_dialog(pilot, app, 2)
        assert "2 open conflicts" in text and 'kept "Bob\'s [bold]title[/]" by Bob' in text and 'other "Ann\'s title" by Ann' in text
        await pilot.press("t")  # the first row: take Ann's title
        await settle(pilot)
        flush_saves(app)
        entries = yaml.safe_load((seeds / "annotations.yaml").read_text(encoding="utf-8"))["articles"]
        assert entries[first]["title"] == "Ann's title" and "conflicts" not in entries[first]
        assert entries[second]["conflicts"][0]["field"] == "flagged"
        assert "1 open conflict" in dialog_text(app)
        await pilot.press("o")  # the remaining row: keep the kept value (flagged)
        await settle(pilot)
        flush_saves(app)
        entries = yaml.safe_load((seeds / "annotations.yaml").read_text(encoding="utf-8"))["articles"]
        assert entries[second]["flagged"] is True and "conflicts" not in entries[second]
        assert isinstance(app.screen, MainScreen)  # the last one settled: the dialog closed itself
        assert "No open conflicts left" in "\n".join(plain(t) for t in app.screen.query("Toast"))
        assert "conflict" not in plain(app.screen.query_one(StatusBar))

    drive(app, test, size=(160, 30))


def test_the_status_line_counts_conflicts_and_q_closes_the_dialog(seeds):
    first = sorted(m.id for m in open_corpus(seeds).articles)[0]
    doc = AnnotationDoc({first: ArticleNotes(title="Ours", date=None, conflicts=(
        Conflict("title", "Ours", "Theirs", "", None, "Bob", "Ann"),
        Conflict("lang", "de", "fr", "", None, "Bob", "Ann")))})
    (seeds / "annotations.yaml").write_bytes(yamlio.dumps_bytes(doc))
    app = BriefingApp(seeds)

    async def test(pilot):
        assert "2 open conflicts" in await open_dialog(pilot, app, 2)  # two on one article: two, as ! lists them
        await pilot.press("q")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)

    drive(app, test, size=(160, 30))


def test_the_key_says_so_when_there_is_nothing_to_settle(seeds):
    app = BriefingApp(seeds)

    async def test(pilot):
        await pilot.press("exclamation_mark")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert "no open conflicts" in "\n".join(plain(t) for t in app.screen.query("Toast"))

    drive(app, test)
