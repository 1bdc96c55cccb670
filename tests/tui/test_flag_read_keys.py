"""`f` and `u` in the reader change only their own mark (annotations format version 2)."""

from __future__ import annotations

import yaml

from briefing.tui.app import BriefingApp
from briefing.tui.widgets.article_list import ArticleList

from .conftest import drive, settle


def _stored(root) -> dict:
    """annotations.yaml read with a safe loader (not with our code)."""
    return yaml.safe_load((root / "annotations.yaml").read_text(encoding="utf-8"))["articles"]


def test_f_then_u_keeps_the_flag_and_u_again_keeps_it_too(seeds):
    app = BriefingApp(seeds)

    async def test(pilot):
        articles = app.screen.query_one(ArticleList)
        articles.focus()
        first = articles.highlighted_id
        assert first is not None
        await pilot.press("f")  # flag the row in focus without opening it
        await settle(pilot)
        assert _stored(seeds)[first].get("flagged") is True and "read" not in _stored(seeds)[first]
        await pilot.press("u")  # unread -> read; the flag stays
        await settle(pilot)
        assert (_stored(seeds)[first].get("read"), _stored(seeds)[first].get("flagged")) == (True, True)
        await pilot.press("u")  # read -> unread; the flag stays
        await settle(pilot)
        assert "read" not in _stored(seeds)[first] and _stored(seeds)[first].get("flagged") is True
        assert app.marks.markers(first).flagged and app.marks.markers(first).unread

    drive(app, test)
