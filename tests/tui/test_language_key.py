"""`O` in the reader (issue 19): the analyst's language for the article in focus,
saved like a title correction; the list row marks an article not in English."""

from __future__ import annotations

import shutil

from briefing.tui.app import BriefingApp
from briefing.tui.screens.language import LanguageScreen
from briefing.tui.widgets.article_list import ArticleList
from tests.lang.conftest import CORPUS

from .conftest import drive, settle, wait_until


def test_o_sets_the_language_and_the_row_shows_it(tmp_path):
    root = tmp_path / "c"
    root.mkdir()
    for name in ("uk_01.txt", "en_01.txt", "translit_01.txt"):
        shutil.copy(CORPUS / name, root / name)
    app = BriefingApp(root)

    async def test(pilot):
        articles = app.screen.query_one(ArticleList)
        await wait_until(pilot, lambda: articles.highlighted_row is not None, what="rows listed")
        await settle(pilot)
        assert app.screen.state.corpus.get("uk_01.txt").lang == "uk"
        articles.focus()
        articles.highlight_id("translit_01.txt")
        await pilot.pause()
        await pilot.press("O")
        assert isinstance(app.screen, LanguageScreen)
        await pilot.press("ctrl+a", "ctrl+k", *"xyz", "enter")  # refused: not a code, the dialog stays
        assert isinstance(app.screen, LanguageScreen)
        await pilot.press("ctrl+a", "ctrl+k", *"uk", "enter")
        await wait_until(pilot, lambda: 'lang: "uk"' in ((root / "annotations.yaml").read_text(encoding="utf-8")
                                                          if (root / "annotations.yaml").exists() else ""),
                         what="the language saved")
        assert app.screen.store.effective_meta(app.screen.state.corpus.get("translit_01.txt")).lang == "uk"

    drive(app, test)
