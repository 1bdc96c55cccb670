"""The reading pane follows the article's language (issue 19): the search highlight
marks the inflected forms search finds (удар → ударів) in the article's language,
and after the analyst sets another language (``O``) the highlight and the summary
follow that one."""

from __future__ import annotations

import shutil

from briefing.tui.app import BriefingApp
from briefing.tui.rows import HIGHLIGHT
from briefing.tui.widgets.article_list import ArticleList
from briefing.tui.widgets.reader import Reader
from tests.lang.conftest import CORPUS

from .conftest import drive, settle, wait_until


def _marked(reader: Reader) -> list[str]:
    return [c.plain[s.start : s.end] for c in reader.paragraph_contents() for s in c.spans if str(s.style) == HIGHLIGHT]


def test_the_highlight_and_the_summary_follow_the_articles_language(tmp_path):
    root = tmp_path / "c"
    root.mkdir()
    for name in ("uk_01.txt", "en_01.txt"):
        shutil.copy(CORPUS / name, root / name)
    app = BriefingApp(root)

    async def test(pilot):
        screen = app.screen
        articles = screen.query_one(ArticleList)
        await wait_until(pilot, lambda: articles.highlighted_row is not None, what="rows listed")
        await pilot.press("slash", *"удари", "space")  # a finished word: only its stem reaches ударів and удар
        await settle(pilot)
        assert articles.shown_ids == ["uk_01.txt"]
        await pilot.press("enter", "enter")  # to the results, open the one found
        await settle(pilot)
        reader = screen.query_one(Reader)
        marked = _marked(reader)
        # the body's "завдали нових ударів" and "третій удар": marked by the Ukrainian stem
        assert marked == ["ударів", "удар"]
        assert screen.summaries.key().lang == "uk"

        store = screen.store
        screen.annotate.apply(lambda: store.set_lang("uk_01.txt", "en"), reorder=False)  # what O does
        await settle(pilot)
        assert screen.summaries.key().lang == "en"
        assert _marked(reader) == []  # English: the word (a prefix while typed) only, not in the body
        await wait_until(pilot, lambda: screen.summaries.cache.remembered(
            screen.summaries.cache_key(screen.state.corpus.get("uk_01.txt"), screen.state.method,
                                       screen.state.length)) is not None, what="the summary in English")
        assert screen.summaries.cache_key(screen.state.corpus.get("uk_01.txt"), "default", 3)[3] == "en"

    drive(app, test)
