"""The reading pane names who wrote a note or highlight, and who last changed the
status, only when the annotation file records more than one author."""

from __future__ import annotations

from briefing.annotations import yamlio
from briefing.annotations.schema import AnnotationDoc, ArticleNotes, Highlight, Note, Stamp
from briefing.corpus import open_corpus
from briefing.tui.app import BriefingApp
from briefing.tui.widgets.article_list import ArticleList

from .conftest import drive, plain, settle


def _notes_text(seeds, authors):
    first = open_corpus(seeds).articles[0].id
    a = ArticleNotes(
        notes=(Note("check figures", "2026-12-01T10:00:00Z", authors[0]),),
        highlights=(Highlight("a quote", "", authors[-1], "2026-12-01T10:05:00Z"),),
        flagged=True, changed=(Stamp("status", authors[-1], "2026-12-01T10:06:00Z"),),
    )
    (seeds / "annotations.yaml").write_bytes(yamlio.dumps_bytes(AnnotationDoc({first: a})))
    app = BriefingApp(seeds)
    seen = {}

    async def test(pilot):
        articles = app.screen.query_one(ArticleList)
        articles.focus()
        articles.highlight_id(first)
        await pilot.press("enter")
        await settle(pilot)
        seen["text"] = plain(app.screen.query_one("#reader-notes"))
        details = app.screen.query_one("#reader").details()
        seen["details"] = details.plain if details is not None else ""

    drive(app, test)
    return seen["text"], seen["details"]


def test_two_authors_in_the_file_are_named(seeds):
    text, details = _notes_text(seeds, ["Ann", "Bob"])
    assert "Authors    Ann, Bob" in details  # and in the details (i)
    assert "Note 1 · 2026-12-01T10:00:00Z · Ann" in text
    assert "Highlight 1 · Bob" in text
    assert "last changed: status by Bob" in text


def test_a_single_author_is_not_named(seeds):
    text, details = _notes_text(seeds, ["Ann"])
    assert "Authors" not in details
    assert "check figures" in text and "Ann" not in text
