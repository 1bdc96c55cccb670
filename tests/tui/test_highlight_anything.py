"""Highlight anything (issue 15): the selection mode V (word, sentence, paragraph,
line and character moves, extend, save with a comment, escape), the list L (jump,
edit, delete, undo and redo), > / < jumps, a quote found twice, a changed text, and
a mouse selection snapped to word edges when saved with h.

Each test reads annotations.yaml back with an independent YAML reader (after the
save queue is flushed) or the reading pane back.
"""

from __future__ import annotations

import yaml

from briefing.tui.app import BriefingApp
from briefing.tui.screens.highlight import HighlightScreen
from briefing.tui.screens.highlights import HighlightsScreen
from briefing.tui.screens.main import MainScreen
from briefing.tui.widgets.article_body import ArticleBody
from briefing.tui.widgets.reader import CURSOR_MARK, QUOTE_MARK, SELECTION_MARK, Reader
from briefing.tui.widgets.selection_bar import SelectionBar

from .conftest import drive, flush_saves, plain, settle, wait_until

BODY = ("First sentence is here. Second one follows it.\n\n"
        "New paragraph starts. The grid again and the grid.\n\n"
        "Last paragraph: the grid once more.")
ID = "a.txt"


def _corpus(tmp_path, annotations: str | None = None):
    root = tmp_path / "corpus"
    root.mkdir()
    text = BODY.replace("First sentence", "date 2024-03-01 First sentence", 1)
    (root / ID).write_text("Headline here\n\n" + text + "\n", encoding="utf-8")
    if annotations is not None:
        (root / "annotations.yaml").write_text(annotations, encoding="utf-8")
    return root


def _stored(root) -> dict:
    """The article's entry in annotations.yaml (an independent YAML reader), without
    who made each highlight and when (version 3's ``by``/``at``, checked by the team tests)."""
    path = root / "annotations.yaml"
    entry = yaml.safe_load(path.read_text(encoding="utf-8"))["articles"].get(ID, {}) if path.exists() else {}
    if "highlights" in entry:
        entry["highlights"] = [{k: v for k, v in h.items() if k not in ("by", "at")} for h in entry["highlights"]]
    return entry


def _main(app) -> MainScreen:
    return next(s for s in app.screen_stack if isinstance(s, MainScreen))


def _at(app) -> str:
    """The text from the selection cursor on."""
    return BODY[_main(app).highlights.cursor:]


def _styled(app, style: str) -> list[tuple[int, str]]:
    """(paragraph, text) of every span drawn with ``style`` in the reading pane."""
    contents = _main(app).query_one(Reader).paragraph_contents()
    return [(i, c.plain[s.start:s.end]) for i, c in enumerate(contents) for s in c.spans if s.style == style]


async def _open(pilot):
    await pilot.press("enter")
    await settle(pilot)
    assert _main(pilot.app).query_one(Reader).article.body == BODY


def test_V_moves_by_word_sentence_paragraph_line_and_character(tmp_path):
    app = BriefingApp(_corpus(tmp_path))

    async def test(pilot):
        await _open(pilot)
        await pilot.press("V")
        assert isinstance(app.focused, SelectionBar)
        assert _at(app).startswith("First sentence")
        await pilot.press("w")
        assert _at(app).startswith("sentence is")
        await pilot.press("ctrl+right", "w")
        assert _at(app).startswith("here.")
        await pilot.press("b")
        assert _at(app).startswith("is here")
        await pilot.press("right_parenthesis")
        assert _at(app).startswith("Second one")
        await pilot.press("left_parenthesis", "left_parenthesis")
        assert _at(app).startswith("First sentence")
        await pilot.press("right_curly_bracket")
        assert _at(app).startswith("New paragraph")
        await pilot.press("right_curly_bracket")
        assert _at(app).startswith("Last paragraph")
        await pilot.press("left_curly_bracket")
        assert _at(app).startswith("New paragraph")
        await pilot.press("right", "right")
        assert _at(app).startswith("w paragraph")
        await pilot.press("left")
        assert _at(app).startswith("ew paragraph")
        await pilot.press("up")  # the line above (the first paragraph's one line), same column
        assert _at(app).startswith("irst sentence")
        await pilot.press("down")
        assert _at(app).startswith("ew paragraph")
        assert _styled(app, CURSOR_MARK) == [(1, "New")]  # the word under the cursor is drawn
        await pilot.press("k")  # k and j are ↑ and ↓ too
        assert _at(app).startswith("irst sentence")
        await pilot.press("j", "ctrl+left")
        assert _at(app).startswith("New paragraph")
        await pilot.press("space", "w")  # space starts extending, as v does
        assert _styled(app, SELECTION_MARK) == [(1, "New paragraph")]

    drive(app, test)


def test_V_extends_and_enter_saves_with_a_comment(tmp_path):
    root = _corpus(tmp_path)
    app = BriefingApp(root)

    async def test(pilot):
        await _open(pilot)
        await pilot.press("V", "w", "w", "v", "right_parenthesis")
        assert _styled(app, SELECTION_MARK) == [(0, "is here. Second")]
        assert "“is here. Second”" in plain(app.screen.query_one("#select-hint"))
        await pilot.press("enter")
        assert isinstance(app.screen, HighlightScreen)
        await pilot.press(*"why it matters", "enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen) and not app.screen.query(SelectionBar)
        flush_saves(app)
        assert _stored(root)["highlights"] == [{"quote": "is here. Second", "note": "why it matters"}]
        assert _styled(app, SELECTION_MARK) == [] and _styled(app, CURSOR_MARK) == []
        assert (0, "is here. Second") in _styled(app, QUOTE_MARK)
        await pilot.press("ctrl+z")  # the highlight saved from the mode is one undo step
        await settle(pilot)
        flush_saves(app)
        assert "highlights" not in _stored(root) and (0, "is here. Second") not in _styled(app, QUOTE_MARK)
        await pilot.press("ctrl+y")
        await settle(pilot)
        flush_saves(app)
        assert _stored(root)["highlights"] == [{"quote": "is here. Second", "note": "why it matters"}]

    drive(app, test)


def test_enter_without_a_selection_keeps_the_sentence_and_s_selects_one(tmp_path):
    root = _corpus(tmp_path)
    app = BriefingApp(root)

    async def test(pilot):
        await _open(pilot)
        await pilot.press("V", "right_curly_bracket", "w", "enter", "enter")  # no comment
        await settle(pilot)
        await pilot.press("V", "right_curly_bracket", "right_parenthesis", "s")
        assert _styled(app, SELECTION_MARK) == [(1, "The grid again and the grid.")]
        await pilot.press("enter", "enter")
        await settle(pilot)
        flush_saves(app)
        assert [h["quote"] for h in _stored(root)["highlights"]] == ["New paragraph starts.",
                                                                     "The grid again and the grid."]

    drive(app, test)


def test_escape_leaves_the_mode_without_saving(tmp_path):
    root = _corpus(tmp_path)
    app = BriefingApp(root)

    async def test(pilot):
        await _open(pilot)
        await pilot.press("V", "v", "w", "escape")
        await settle(pilot)
        assert not app.screen.query(SelectionBar) and isinstance(app.focused, Reader)
        assert _styled(app, SELECTION_MARK) == [] and _styled(app, CURSOR_MARK) == []
        assert not (root / "annotations.yaml").exists() or "highlights" not in _stored(root)
        await pilot.press("t")  # the main screen's keys work again
        assert app.screen.__class__.__name__ == "TagScreen"

    drive(app, test)


def test_a_quote_found_twice_keeps_the_occurrence_chosen_and_is_drawn_there(tmp_path):
    root = _corpus(tmp_path)
    app = BriefingApp(root)

    async def test(pilot):
        await _open(pilot)
        # "the grid" stands at the end of the second paragraph and in the third: take the third's.
        await pilot.press("V", "right_curly_bracket", "right_curly_bracket", "w", "w", "v", "w", "enter", "enter")
        await settle(pilot)
        flush_saves(app)
        assert _stored(root)["highlights"] == [{"quote": "the grid", "occurrence": 2}]
        assert _styled(app, QUOTE_MARK) == [(2, "the grid")]

    drive(app, test)


HIGHLIGHTS = """articles:
  "a.txt":
    highlights:
      - quote: "Second one follows it."
        note: "keep"
      - quote: "a sentence the text no longer has"
        note: "old"
      - quote: "the grid"
        occurrence: 2
version: 4
"""


def test_L_lists_the_highlights_with_comments_and_one_not_found(tmp_path):
    app = BriefingApp(_corpus(tmp_path, HIGHLIGHTS))

    async def test(pilot):
        await _open(pilot)
        assert [t for _, t in _styled(app, QUOTE_MARK)] == ["Second one follows it.", "the grid"]
        await pilot.press("L")
        assert isinstance(app.screen, HighlightsScreen)
        options = app.screen.query_one("#highlight-list")
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert "Second one follows it." in prompts[0] and "— keep" in prompts[0]
        assert "not found in the text" in prompts[1] and "— old" in prompts[1]
        assert "occurrence 2" in prompts[2] and "not found" not in prompts[2]
        await pilot.press("down", "down", "enter")  # jump to the third
        await settle(pilot)
        assert isinstance(app.screen, MainScreen) and _main(app).highlights.current == 2
        await pilot.press("L", "down", "enter")  # the one not found: said, nothing lost
        await settle(pilot)
        assert _main(app).highlights.current == 2
        assert "not in the text any more" in "\n".join(plain(t) for t in app.screen.query("Toast"))

    drive(app, test)


def test_edit_and_delete_from_the_list_are_undoable_and_redoable(tmp_path):
    root = _corpus(tmp_path, HIGHLIGHTS)
    app = BriefingApp(root)

    async def test(pilot):
        await _open(pilot)
        await pilot.press("L", "e")
        assert isinstance(app.screen, HighlightScreen) and app.screen.query_one("#comment").value == "keep"
        await pilot.press("end", *" this", "enter")
        await settle(pilot)
        assert isinstance(app.screen, HighlightsScreen)  # back in the list
        flush_saves(app)
        assert _stored(root)["highlights"][0] == {"quote": "Second one follows it.", "note": "keep this"}
        await pilot.press("down", "d")
        await settle(pilot)
        flush_saves(app)
        assert [h["quote"] for h in _stored(root)["highlights"]] == ["Second one follows it.", "the grid"]
        await pilot.press("escape", "ctrl+z")
        await settle(pilot)
        flush_saves(app)
        assert len(_stored(root)["highlights"]) == 3
        await pilot.press("ctrl+z")  # the edit
        await settle(pilot)
        flush_saves(app)
        assert _stored(root)["highlights"][0]["note"] == "keep"
        await pilot.press("ctrl+y", "ctrl+y")
        await settle(pilot)
        flush_saves(app)
        assert _stored(root)["highlights"] == [{"quote": "Second one follows it.", "note": "keep this"},
                                               {"quote": "the grid", "occurrence": 2}]

    drive(app, test)


def test_greater_and_less_than_jump_between_highlights_in_text_order(tmp_path):
    app = BriefingApp(_corpus(tmp_path, HIGHLIGHTS))

    async def test(pilot):
        await _open(pilot)
        highlights = _main(app).highlights
        await pilot.press("greater_than_sign")
        assert highlights.current == 0
        await pilot.press("greater_than_sign")  # the one not found is skipped
        assert highlights.current == 2
        await pilot.press("greater_than_sign")
        assert highlights.current == 0
        await pilot.press("less_than_sign")
        assert highlights.current == 2
        assert "Highlight 3 of 3" in "\n".join(plain(t) for t in app.screen.query("Toast"))

    drive(app, test)


def test_a_mouse_selection_is_snapped_to_word_edges_when_saved_with_h(tmp_path):
    root = _corpus(tmp_path)
    app = BriefingApp(root)

    async def test(pilot):
        await _open(pilot)
        body = app.screen.query_one(ArticleBody)
        line = BODY.split("\n")[0]
        # a mouse drag in the text from inside "sentence" to inside "Second"
        start, end = line.index("ntence"), line.index("Second") + 2
        await pilot.mouse_down(body, offset=(start, 0))
        await pilot.hover(body, offset=(end, 0))
        await pilot.mouse_up(body, offset=(end, 0))
        await pilot.pause()
        assert app.screen.query_one(Reader).selected_text() == "ntence is here. Sec"  # as dragged: cut words
        await pilot.press("h")
        assert isinstance(app.screen, HighlightScreen)
        await pilot.press("enter")
        await settle(pilot)
        flush_saves(app)
        assert _stored(root)["highlights"] == [{"quote": "sentence is here. Second"}]

    drive(app, test)


def test_other_keys_do_nothing_in_the_mode_and_a_cancelled_comment_returns_to_it(tmp_path):
    root = _corpus(tmp_path)
    app = BriefingApp(root)

    async def test(pilot):
        await _open(pilot)
        await pilot.press("V", "t", "n", "f", "x")  # tag, next article, flag, export: not in the mode
        await settle(pilot)
        assert isinstance(app.screen, MainScreen) and isinstance(app.focused, SelectionBar)
        assert not (root / "annotations.yaml").exists() or "flagged" not in _stored(root)
        await pilot.press("w", "enter")
        assert isinstance(app.screen, HighlightScreen)
        await pilot.press("escape")  # no comment, no highlight: back in the mode where it was
        await settle(pilot)
        assert isinstance(app.focused, SelectionBar) and _at(app).startswith("sentence is")
        await pilot.press("tab")  # the screen's keys stay off while the mode is on
        assert isinstance(app.focused, SelectionBar)
        await pilot.click("#articles")  # focus elsewhere ends the mode
        await settle(pilot)
        assert not app.screen.query(SelectionBar) and _styled(app, CURSOR_MARK) == []

    drive(app, test)


def test_V_refuses_without_an_open_article(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()  # nothing to list, so nothing shown (the first screen previews the first article otherwise)
    app = BriefingApp(empty)

    async def test(pilot):
        await settle(pilot)
        assert _main(app).query_one(Reader).article is None
        await pilot.press("V")
        await wait_until(pilot, lambda: app.screen.query("Toast"), what="a message")
        assert isinstance(app.screen, MainScreen)
        assert "Open an article first" in "\n".join(plain(t) for t in app.screen.query("Toast"))

    drive(app, test)


def test_the_mode_ends_when_the_article_shown_changes_under_it(tmp_path):
    from dataclasses import replace

    app = BriefingApp(_corpus(tmp_path))

    async def test(pilot):
        await _open(pilot)
        await pilot.press("V", "v", "w")
        reader = _main(app).query_one(Reader)
        reader.show_article(replace(reader.article, body="A different text now."))  # e.g. the file was rewritten
        await pilot.press("w")
        await settle(pilot)
        assert not app.screen.query(SelectionBar) and _main(app).highlights.active is False
        assert "selection mode ended" in "\n".join(plain(t) for t in app.screen.query("Toast"))

    drive(app, test)
