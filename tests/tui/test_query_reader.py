"""The query language in the reader: errors under the field while typing, matches
marked in the reading pane (read back from the screen), ] / [ and the first match."""

from __future__ import annotations

from briefing.tui.app import BriefingApp
from briefing.tui.rows import HIGHLIGHT
from briefing.tui.widgets.article_list import ArticleList
from briefing.tui.widgets.reader import CURRENT_MATCH, Reader

from .conftest import drive, screen_strips, screen_text, settle, wait_until


def _marked(content) -> list[str]:
    return [content.plain[s.start : s.end] for s in content.spans if str(s.style) == HIGHLIGHT]


def test_a_query_that_does_not_parse_shows_where_and_why_and_keeps_the_list(seeds):
    app = BriefingApp(seeds)

    async def test(pilot):
        articles = app.screen.query_one(ArticleList)
        error = app.screen.query_one("#search-error")
        await pilot.press("slash", *"kharkiv ")
        await settle(pilot)
        before = list(articles.shown_ids)
        assert before and not error.display
        await pilot.press(*'"without')
        await settle(pilot)
        assert error.display
        lines = screen_text(app).splitlines()
        bar_row = next(i for i, line in enumerate(lines) if 'kharkiv "without' in line)
        column = lines[bar_row].index('"without')
        below = lines[bar_row + 1]
        assert below[column:column + 9] == "^" * 8 + " " and below[:column].strip() == ""  # under the quote and what follows
        wrapped = " ".join(line.split("▕")[0].strip() for line in lines[bar_row + 1:bar_row + 4])
        assert "this quote is never closed" in wrapped  # the message wraps in the list pane
        assert articles.shown_ids == before  # the last good result stays
        await pilot.press(*' heating"')  # closed: parses again, the error goes, the list follows
        await settle(pilot)
        assert not error.display
        assert set(articles.shown_ids) < set(before)

    drive(app, test)


def test_bad_input_in_the_field_never_breaks_the_reader(seeds):
    app = BriefingApp(seeds)

    async def test(pilot):
        error = app.screen.query_one("#search-error")
        articles = app.screen.query_one(ArticleList)
        for text, says in (("-", "lone"), ("OR OR", "OR needs"), ("tag:", "needs a value"), ("((a)", "never closed"),
                           ("[bold]x[/] )", "closes nothing")):
            await pilot.press("escape", "slash", *text)
            await settle(pilot)
            assert error.display, text
            assert says in screen_text(app), text
        await pilot.press("escape", "slash")
        app.screen.query_one("#search").value = "x" * 10_000
        await settle(pilot)
        assert "too long" in screen_text(app)
        app.screen.query_one("#search").value = "\x1bkharkiv\x07\x00"
        await settle(pilot)
        assert not error.display and len(articles.shown_ids) == 3  # control bytes separate words, nothing more
        app.screen.query_one("#search").value = "kharkiv\x1b[31m"
        await settle(pilot)
        assert not error.display and articles.shown_ids == []  # "31m" is a word no article has
        assert "\x1b" not in screen_text(app)

    drive(app, test)


def test_matches_are_marked_in_title_summary_and_text_on_screen(seeds):
    app = BriefingApp(seeds)

    async def test(pilot):
        await pilot.press("slash", *'"power plant" kharkiv', "enter", "enter")
        await settle(pilot)
        reader = app.screen.query_one(Reader)
        marked = [m.lower() for c in reader.paragraph_contents() for m in _marked(c)]
        assert "power plant" in marked and "kharkiv" in marked
        assert "power" not in marked  # the phrase is marked as one, not its words alone
        # read back from the screen: the phrase is drawn as one styled run
        runs = [seg for strip in screen_strips(app) for seg in strip if seg.text.lower() == "power plant"]
        assert runs and all(seg.style is not None and seg.style.bgcolor is not None for seg in runs)

    drive(app, test, size=(120, 50))


def test_title_match_is_marked_in_the_details(seeds):
    app = BriefingApp(seeds)

    async def test(pilot):
        articles = app.screen.query_one(ArticleList)
        await pilot.press("slash", *"title:energy", "enter", "enter")
        await settle(pilot)
        assert articles.shown_ids
        meta = app.screen.query_one("#reader-meta").render()
        assert [m.lower() for m in _marked(meta)] == ["energy"]

    drive(app, test)


def _long_article(root) -> None:
    filler = "\n\n".join(f"Paragraph {n} says nothing of note about anything at all today." for n in range(40))
    (root / "long.txt").write_text(
        "A long report\n\ndate 2030-01-01 " + filler + "\n\nThe zanzibar clause came late.\n\n"
        + filler + "\n\nA second zanzibar mention.\n\nAnd a third Zanzibar here.\n", encoding="utf-8")


def test_first_match_in_view_and_brackets_move(seeds):
    _long_article(seeds)
    app = BriefingApp(seeds)

    async def test(pilot):
        await pilot.press("slash", *"zanzibar", "enter", "enter")
        await settle(pilot)
        reader = app.screen.query_one(Reader)
        matches = reader.match_spans()
        assert len(matches) == 3

        def in_view(match) -> bool:
            body = reader.query_one("#reader-body")
            row = body.virtual_region.y + body.row_of(match[0], match[1])
            return reader.scroll_offset.y <= row < reader.scroll_offset.y + reader.size.height

        await wait_until(pilot, lambda: reader.scroll_offset.y > 0, what="the first match scrolled to")
        assert reader.current_match == matches[0] and in_view(matches[0])
        await pilot.press("right_square_bracket")
        await wait_until(pilot, lambda: in_view(matches[1]), what="the second match")
        assert reader.current_match == matches[1]
        p, s, e = matches[1]
        current = [reader.paragraph_contents()[p].plain[sp.start:sp.end] for sp in reader.paragraph_contents()[p].spans
                   if str(sp.style) == CURRENT_MATCH]
        assert current == ["zanzibar"]
        await pilot.press("right_square_bracket", "right_square_bracket")  # past the last: back to the first
        await wait_until(pilot, lambda: in_view(matches[0]), what="wrapped to the first")
        assert reader.current_match == matches[0]
        await pilot.press("left_square_bracket")  # before the first: the last
        await wait_until(pilot, lambda: in_view(matches[2]), what="the last match")
        assert reader.current_match == matches[2]

    drive(app, test)


def test_brackets_without_a_search_ring_the_bell(seeds):
    app = BriefingApp(seeds)
    bells = []

    async def test(pilot):
        app.bell = lambda: bells.append(1)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("right_square_bracket")
        assert bells and app.screen.query_one(Reader).current_match is None

    drive(app, test)


def test_a_phrase_search_gives_its_first_page_first(seeds):
    from briefing.index import open_index
    from briefing.querylang import parse
    from briefing.tui import searching

    corpus = open_index(seeds)
    query = parse('"power plant"', typing=True)
    assert searching.needs_texts(query) and not searching.needs_texts(parse("power plant"))
    whole = searching.find(corpus, query)
    assert len(whole) >= 2
    page, complete = searching.first_page(corpus, query, 1)
    assert list(page) == list(whole)[:1] and not complete
    assert page[list(page)[0]] == whole[list(page)[0]]  # the same hit: title, snippet, spans
    page, complete = searching.first_page(corpus, query, 50)
    assert list(page) == list(whole) and complete


def test_hits_come_before_the_snippets_of_unread_files(seeds):
    """The list gets its hits without waiting for files: snippets only from bodies in
    memory, then the others read; the result is the whole search's, hit for hit."""
    from briefing.index import open_index
    from briefing.querylang import parse
    from briefing.tui import searching

    corpus = open_index(seeds)
    query = parse("power", typing=True)
    whole = searching.find(corpus, query)
    assert len(whole) >= 3 and any(hit.snippet for hit in whole.values())
    kept = {aid: corpus.body(aid) for aid in list(whole)[:1]}
    quick = searching.find(corpus, query, snippet_body=kept.get)
    assert list(quick) == list(whole) and searching.missing_snippets(quick)
    first = list(whole)[0]
    assert quick[first] == whole[first]  # its body was at hand
    assert all(not hit.snippet for aid, hit in quick.items() if aid != first)
    done = searching.with_snippets(corpus, query, quick)
    assert done == whole and not searching.missing_snippets(done)
    assert searching.with_snippets(corpus, query, quick, should_stop=lambda: True) is None


def test_hits_past_the_snippets_mark_their_titles_when_read(seeds, monkeypatch):
    from briefing.index import open_index
    from briefing.querylang import highlight_terms, parse
    from briefing.tui import searching

    corpus = open_index(seeds)
    query = parse("energy OR port* OR power", typing=True)
    eager = searching.find(corpus, query)
    monkeypatch.setattr(searching, "SNIPPET_HITS", 1)
    lazy = searching.find(corpus, query)
    assert list(lazy) == list(eager) and len(lazy) >= 3
    marked = 0
    for aid, hit in list(lazy.items())[1:]:
        expected = tuple(highlight_terms(query, corpus.get(aid).lang).spans(hit.title, "title"))
        assert (hit.id, hit.title, hit.snippet, hit.snippet_spans) == (aid, eager[aid].title, "", ())
        assert hit.title_spans == expected == eager[aid].title_spans
        marked += bool(expected)
    assert marked  # some titles do hold a match
