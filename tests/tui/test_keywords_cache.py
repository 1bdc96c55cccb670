"""The reader's keywords line for two wire copies with one body and two headlines:
each shows its own keywords, not those worked out for the other (they used to be
cached by the body's fingerprint alone)."""

from __future__ import annotations

from briefing.tui.app import BriefingApp
from briefing.tui.widgets.article_list import ArticleList
from briefing.tui.widgets.reader import Reader

from ..stories.test_keywords_key import BODY, TITLE_A, TITLE_B
from .conftest import drive, plain, settle


def test_two_headlines_over_one_body_show_their_own_keywords(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "a.txt").write_text(f"{TITLE_A}\n\n{BODY}", encoding="utf-8")
    (root / "b.txt").write_text(f"{TITLE_B}\n\n{BODY}", encoding="utf-8")
    app = BriefingApp(root)
    lines = {}

    async def test(pilot):
        articles = app.screen.query_one(ArticleList)
        articles.focus()
        await pilot.press("g")  # one body: the copies are a story; list them one by one
        await settle(pilot)
        for article_id in ("a.txt", "b.txt", "a.txt"):
            articles.focus()
            articles.highlight_id(article_id)
            await pilot.press("enter")
            await settle(pilot)
            line = ""
            for _ in range(200):  # the keywords worker starts a moment after the article opens
                line = plain(app.screen.query_one(Reader).query_one("#reader-keywords"))
                if line.startswith("Keywords ") and "…" not in line:
                    break
                await pilot.pause(0.05)
                await settle(pilot)
            assert line.startswith("Keywords ") and "…" not in line, line
            assert app.screen.state.current_id == article_id
            lines.setdefault(article_id, []).append(line)

    drive(app, test, size=(160, 48))
    assert "corridor" in lines["a.txt"][0] and "guarantees" not in lines["a.txt"][0]
    assert "guarantees" in lines["b.txt"][0] and "corridor" not in lines["b.txt"][0]
    assert lines["a.txt"][1] == lines["a.txt"][0]
