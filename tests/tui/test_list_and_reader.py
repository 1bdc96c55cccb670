"""The article list (order, day headings, markers) and the reading pane."""

from __future__ import annotations

import datetime as dt
import time

from briefing.corpus import open_corpus
from briefing.tui.app import BriefingApp
from briefing.tui.messages import SummaryKey, SummaryReady
from briefing.tui.widgets.article_list import ArticleList
from briefing.tui.widgets.reader import CURRENT_MARK, Reader

from .conftest import (
    FakeCorpus,
    drive,
    meta,
    plain,
    screen_strips,
    screen_text,
    settle,
    wait_until,
)


def _options(app) -> list[tuple[str | None, bool, str]]:
    """(id, is heading, text) for every entry of the list, in order."""
    articles = app.screen.query_one(ArticleList)
    headings = iter(articles.headings())
    return [
        (i, i is None, next(headings) if i is None else articles.row_content(i).plain) for i in articles.listing()
    ]


def test_list_groups_by_day_newest_first_undated_last(tmp_path):
    d1, d2 = dt.date(2024, 4, 24), dt.date(2023, 11, 6)
    corpus = FakeCorpus(
        tmp_path,
        [
            meta("b.txt", "Second on the newest day", d1),
            meta("a.txt", "First on the newest day", d1),
            meta("c.txt", "Older", d2, derived=True, source="BBC", author="Ann Writer"),
            meta("u.txt", "No date at all", None),
        ],
    )
    app = BriefingApp(tmp_path, loader=lambda root: corpus)

    async def test(pilot):
        options = _options(app)
        assert [o[0] for o in options] == [None, "b.txt", "a.txt", None, "c.txt", None, "u.txt"]
        headings = [o[2] for o in options if o[1]]
        assert headings[0].startswith("Wednesday 24 April 2024") and "(2)" in headings[0]
        assert headings[1].startswith("Monday 6 November 2023")
        assert headings[2].startswith("Undated")
        rows = {o[0]: o[2] for o in options if o[0]}
        assert rows["c.txt"].startswith("●  ~ Older")  # unread marker, derived-title marker
        assert "BBC · Ann Writer" in rows["c.txt"]
        assert rows["a.txt"].startswith("●  First")  # not derived: no "~"
        assert "4 articles" in screen_text(app)

    drive(app, test)


def test_navigate_open_marks_read_and_next_previous(seeds):
    ids = [m.id for m in open_corpus(seeds).articles]
    app = BriefingApp(seeds)

    async def test(pilot):
        articles = app.screen.query_one(ArticleList)
        reader = app.screen.query_one(Reader)
        assert articles.shown_ids == ids  # the corpus order, whatever the loader decides
        assert app.screen.focused is articles
        assert articles.highlighted_id == ids[0]
        await pilot.press("j", "j")
        assert articles.highlighted_id == ids[2]
        await pilot.press("k")
        assert articles.highlighted_id == ids[1]
        assert app.marks.markers(ids[1]).unread
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.state.current_id == ids[1]
        assert not app.marks.markers(ids[1]).unread
        assert articles.row_content(ids[1]).plain.startswith("  ")  # unread dot gone
        assert app.screen.focused is reader  # opening moves to the text
        title = app.screen.state.corpus.get(ids[1]).title
        assert title[:30] in plain(reader.query_one("#reader-meta"))
        # n / p open the neighbours without leaving the text
        await pilot.press("n")
        await settle(pilot)
        assert app.screen.state.current_id == ids[2] and app.screen.focused is reader
        assert articles.highlighted_id == ids[2]
        await pilot.press("p", "p")
        await settle(pilot)
        assert app.screen.state.current_id == ids[0]
        assert not app.marks.markers(ids[0]).unread
        await pilot.press("p")  # nothing before the first: stays
        await settle(pilot)
        assert app.screen.state.current_id == ids[0]
        # l opens too, from the list
        await pilot.press("tab")
        assert app.screen.focused is articles
        await pilot.press("j", "j", "j", "l")
        await settle(pilot)
        assert app.screen.state.current_id == ids[3]

    drive(app, test)


def test_summary_sentences_are_marked_in_the_text_and_jumpable(seeds):
    app = BriefingApp(seeds)

    async def test(pilot):
        await pilot.press("enter")
        await settle(pilot)
        reader = app.screen.query_one(Reader)
        sentences = reader.summary_sentences
        assert len(sentences) == 3
        summary = plain(reader.query_one("#reader-summary"))
        assert "Summary · default · 3 sentences" in summary
        for sentence in sentences:
            assert sentence in summary
        marked = []
        for content in reader.paragraph_contents():
            for span in content.spans:
                if "underline" in str(span.style):
                    marked.append(content.plain[span.start : span.end])
        assert "".join(marked).replace(" ", "") == "".join(sentences).replace(" ", "")
        assert reader.mark_count == 3

        def current() -> str:
            found = []
            for content in reader.paragraph_contents():
                found += [content.plain[s.start : s.end] for s in content.spans if str(s.style) == CURRENT_MARK]
            return " ".join(found)

        assert current() == ""
        await pilot.press("full_stop")
        assert current() == sentences[0]
        holding = [i for i, c in enumerate(reader.paragraph_contents()) if sentences[0][:20] in c.plain]
        assert reader.current_paragraph == holding[0]
        await pilot.pause()
        assert "▌" + reader.paragraph_contents()[holding[0]].plain[:20] in screen_text(app)  # the bar, drawn
        await pilot.press("full_stop")
        assert current() == sentences[1]
        await pilot.press("comma", "comma")
        assert current() == sentences[2]  # wraps round backwards

    drive(app, test)


def test_headings_are_styled_as_headings(tmp_path):
    from briefing.model import Article

    corpus = FakeCorpus(tmp_path, [meta("a.txt", "Title", None)])
    body = "First paragraph is here. It says things.\n\nThe Belarus factor\n\nSecond paragraph follows. More text."

    class WithHeadings(FakeCorpus):
        def article(self, article_id):
            return Article(self.get(article_id), body, frozenset({"The Belarus factor"}))

    corpus = WithHeadings(tmp_path, corpus.articles)
    app = BriefingApp(tmp_path, loader=lambda root: corpus)

    async def test(pilot):
        await pilot.press("enter")
        await settle(pilot)
        region = app.screen.query_one(Reader).region
        strips = [s.crop(region.x, region.right) for s in screen_strips(app)[region.y : region.bottom]]
        rows = {strip.text.strip(): strip for strip in strips}
        heading = rows["The Belarus factor"]
        paragraph = next(strip for text, strip in rows.items() if text.startswith("First paragraph"))
        assert [seg.style.bold for seg in heading if seg.text.strip()] == [True]
        assert not any(seg.style.bold for seg in paragraph if seg.text.strip())
        assert heading != paragraph and str(next(s for s in heading if s.text.strip()).style.color) != str(
            next(s for s in paragraph if s.text.strip()).style.color
        )  # in the heading colour

    drive(app, test)


def test_stale_summary_results_are_ignored(seeds):
    app = BriefingApp(seeds)

    async def test(pilot):
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        reader = screen.query_one(Reader)
        before = reader.summary_sentences
        from briefing.summarize import Summary

        stale = SummaryKey("some-other.txt", "sha256:x", "default", 3)
        screen.post_message(SummaryReady(stale, Summary(["Injected stale sentence."], "default", "default")))
        await settle(pilot)
        assert reader.summary_sentences == before
        # a result for the same article but an older length is stale too
        old_length = SummaryKey(screen.state.current_id, screen.state.current_article.fingerprint, "default", 7)
        screen.post_message(SummaryReady(old_length, Summary(["Old length."], "default", "default")))
        await settle(pilot)
        assert reader.summary_sentences == before

    drive(app, test)


def test_space_and_b_page_the_text(seeds):
    app = BriefingApp(seeds)

    async def test(pilot):
        await pilot.press("j", "j", "enter")  # the longest seed article
        await settle(pilot)
        reader = app.screen.query_one(Reader)
        articles = app.screen.query_one(ArticleList)
        opened = app.screen.state.current_id
        await pilot.press("tab")  # in the list, space marks the row instead of paging
        assert app.screen.focused is articles
        await pilot.press("space")
        await settle(pilot)
        await pilot.wait_for_scheduled_animations()
        assert articles.marked_ids == [opened] and reader.scroll_y == 0
        await pilot.press("tab", "space")  # back in the text, space pages it
        await wait_until(pilot, lambda: reader.scroll_y > 0, what="a page down")
        down = reader.scroll_y
        await pilot.press("b")
        await wait_until(pilot, lambda: reader.scroll_y < down, what="a page up")
        # the mouse wheel scrolls the text too
        from textual import events

        before = reader.scroll_y
        for _ in range(3):
            reader.post_message(events.MouseScrollDown(reader, 5, 5, 0, 1, 0, False, False, False))
        await wait_until(pilot, lambda: reader.scroll_y > before, what="the wheel's scroll")

    drive(app, test, size=(100, 24))


def test_mouse_click_opens_an_article(seeds):
    ids = [m.id for m in open_corpus(seeds).articles]
    app = BriefingApp(seeds)

    async def test(pilot):
        app.screen.query_one(ArticleList)  # the list is there
        # row 0 is the first day heading, rows 1-2 the first article
        await pilot.click(ArticleList, offset=(4, 1))
        await settle(pilot)
        assert app.screen.state.current_id == ids[0]

    drive(app, test)


def test_full_garbage_collections_wait_for_a_pause_between_keys(seeds, monkeypatch):
    import gc

    import briefing.tui.features.idle as idle
    import briefing.tui.screens.main as main_screen

    monkeypatch.setattr(main_screen, "IDLE_GC_CHECK_S", 0.1)
    monkeypatch.setattr(idle, "IDLE_GC_CHECK_S", 0.1)
    before = gc.get_threshold()
    app = BriefingApp(seeds)

    async def test(pilot):
        assert gc.get_threshold()[2] == idle.GC_FULL_EVERY  # full collections rarely on their own
        gc.collect(1)  # something reached the old generation
        assert gc.get_count()[2] > 0
        app.last_key_time = time.monotonic() + 60  # "a key was just pressed": not now
        await pilot.pause(0.35)
        assert gc.get_count()[2] > 0
        app.last_key_time = 0.0
        await wait_until(pilot, lambda: gc.get_count()[2] == 0, what="a full collection")  # in the pause

    try:
        drive(app, test)
        assert gc.get_threshold() == before  # put back as the reader closes
    finally:
        gc.set_threshold(*before)


def test_the_text_is_replaced_from_one_article_to_the_next(seeds):
    from briefing.tui.marking import split_paragraphs
    from briefing.tui.widgets.article_body import ArticleBody

    corpus = open_corpus(seeds)
    ids = [m.id for m in corpus.articles]
    sizes = {i: len(split_paragraphs(corpus.article(i).body, corpus.article(i).headings)) for i in ids}
    longest = max(ids, key=sizes.get)
    shortest = min(ids, key=sizes.get)
    assert sizes[longest] > sizes[shortest]
    app = BriefingApp(seeds)

    async def test(pilot):
        reader = app.screen.query_one(Reader)
        articles = app.screen.query_one(ArticleList)
        for article_id in (longest, shortest, longest):
            articles.focus()
            articles.highlight_id(article_id)
            await pilot.press("enter")
            await settle(pilot)
            if article_id == longest:
                await pilot.press("full_stop")  # the bar of the current sentence must not stay for the next
                await pilot.pause()
            article = corpus.article(article_id)
            expected = [p.text for p in split_paragraphs(article.body, article.headings)]
            assert [c.plain for c in reader.paragraph_contents()] == expected
            assert (reader.current_paragraph >= 0) == (article_id == longest)
            region = reader.region
            shown = [s.crop(region.x, region.right).text.strip() for s in screen_strips(app)[region.y : region.bottom]]
            assert any(line.startswith("▌") for line in shown) == (article_id == longest)  # the bar is drawn only there
            assert any(line.startswith(expected[0][:30]) or line.startswith("▌" + expected[0][:30]) for line in shown)
        assert len(reader.query(ArticleBody)) == 1 and not reader.query("#reader-body > *")  # one widget, no children

    drive(app, test, size=(160, 48))
