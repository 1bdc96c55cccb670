"""Pure helpers of the reader: themes from YAML, locating summary sentences, row text."""

from __future__ import annotations

import datetime as dt

import pytest

from briefing.resources import builtin_themes
from briefing.tui import rows
from briefing.tui.marking import locate_sentences, mark_summary, split_paragraphs
from briefing.tui.marks import Markers, MemoryMarks
from briefing.tui.themes import ThemeError, load_themes, theme_from_mapping

from .conftest import meta


def test_builtin_themes_dark_light_high_contrast():
    loaded = load_themes(builtin_themes())
    assert loaded.problems == []
    by_name = {t.name: t for t in loaded.themes}
    assert by_name["briefing-dark"].dark and not by_name["briefing-light"].dark
    assert by_name["briefing-high-contrast"].background == "#000000"


@pytest.mark.parametrize(
    "data, message",
    [
        ({"name": "x"}, "primary"),
        ({"primary": "nope"}, "bad colour"),
        ({"primary": "#fff", "dark": "maybe"}, "dark"),
        ({"primary": "#fff", "colour": "#000"}, "unknown field"),
        ({"primary": "#fff", "variables": ["a"]}, "variables"),
        (["primary"], "mapping"),
    ],
)
def test_bad_theme_data_is_rejected_with_a_reason(data, message):
    with pytest.raises(ThemeError, match=message):
        theme_from_mapping(data, "file")


def test_theme_name_defaults_to_file_name_and_later_folders_win(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    (a / "mine.yaml").write_text("primary: '#112233'\n")
    (b / "other.yaml").write_text("name: mine\nprimary: '#445566'\n")
    (b / "bad.yaml").write_text(":\n  - [\n")
    loaded = load_themes(a, b)
    assert [t.name for t in loaded.themes] == ["mine"] and loaded.themes[0].primary == "#445566"
    assert len(loaded.problems) == 1 and "bad.yaml" in loaded.problems[0]


def test_sentences_are_located_across_paragraphs_in_document_order():
    body = "Heading\n\nOne two. Three four.\n\nFive six. One two."
    paragraphs = split_paragraphs(body, {"Heading"})
    assert [p.heading for p in paragraphs] == [True, False, False]
    spans = locate_sentences(body, ["Three four.", "One two.", "Missing one."])
    assert spans[0] == (18, 29) and body[spans[1][0] : spans[1][1]] == "One two."
    assert spans[1][0] > spans[0][0]  # the later "One two.", in document order
    assert spans[2] is None
    mark_summary(paragraphs, spans)
    assert paragraphs[1].summary_spans == [(9, 20, 0)]
    assert paragraphs[2].summary_spans == [(10, 18, 1)] and paragraphs[2].marks == [1]


def test_a_sentence_spanning_paragraphs_is_marked_in_both():
    body = "Start here\n\nand end."
    paragraphs = split_paragraphs(body)
    mark_summary(paragraphs, locate_sentences(body, [body]))
    assert paragraphs[0].summary_spans == [(0, 10, 0)] and paragraphs[1].summary_spans == [(0, 8, 0)]
    assert paragraphs[0].marks == [0] and paragraphs[1].marks == []


def test_rows_show_markers_and_plain_text():
    m = meta("x[/].txt", "[b]Title[/b]", dt.date(2024, 1, 2), derived=True)
    marks = MemoryMarks()
    row = rows.article_row(m, marks.markers(m.id))
    assert row.plain.splitlines()[0] == "●  ~ [b]Title[/b]"  # unread cell, flag cell, space
    assert row.plain.splitlines()[1] == "  x[/].txt"  # no source or author: the file
    marks.mark_read(m.id)
    assert rows.article_row(m, marks.markers(m.id)).plain.startswith("   ~ ")
    tagged = rows.article_row(m, Markers(unread=False, flagged=True, tags=("kyiv",), notes=2)).plain
    assert tagged.startswith(" ⚑ ") and "#kyiv" in tagged and "✎2" in tagged
    both = rows.article_row(m, Markers(unread=True, flagged=True)).plain
    assert both.startswith("●⚑ ")  # a flagged row keeps its unread mark
    assert rows.day_label(dt.date(2024, 1, 2)) == "Tuesday 2 January 2024"
    assert rows.day_label(None) == "Undated"
