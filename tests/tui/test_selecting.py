"""Words, sentences, paragraphs, snapping and quote lookup for the selection mode (pure functions)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from briefing.tui.selecting import (
    find_quote,
    next_word,
    occurrence_at,
    paragraph_starts,
    passage,
    previous_word,
    sentence_at,
    sentence_starts,
    snap,
    step_to,
    word_at,
)

BODY = (
    "Russia targeted the grid, causing disruptions to electricity and heat supplies. The ministry said so. "
    "It warned again!\n\n"
    "A second paragraph starts here. It has “quoted words.” Then the end.\n\n"
    "Third paragraph: the grid again."
)


def test_snap_widens_a_mouse_drag_to_whole_words():
    start = BODY.index("eat supplies")  # "…heat supplies. T" cut inside words at both ends
    end = BODY.index("The ministry") + 1
    s, e = snap(BODY, start, end)
    assert BODY[s:e] == "heat supplies. The"


def test_snap_trims_spaces_and_keeps_punctuation_selected():
    start = BODY.index(" The ministry") - 1  # ". The ministry said so. " with spaces around
    end = BODY.index("said so.") + len("said so.") + 1
    assert BODY[slice(*snap(BODY, start, end))] == ". The ministry said so."


def test_snap_of_blank_text_is_empty():
    at = BODY.index("\n\n")
    start, end = snap(BODY, at, at + 2)
    assert start == end and passage(BODY, at, at + 2) is None


@given(st.text(alphabet="ab .\n’-", max_size=40), st.integers(0, 45), st.integers(0, 45))
def test_snap_never_cuts_a_word_and_stays_inside_the_text(text, a, b):
    s, e = snap(text, a, b)
    assert 0 <= s <= e <= len(text)
    if s < e:
        assert not text[s].isspace() and not text[e - 1].isspace()
        assert not (s > 0 and text[s - 1].isalnum() and text[s].isalnum())
        assert not (e < len(text) and text[e - 1].isalnum() and text[e].isalnum())


def test_word_moves_go_from_word_start_to_word_start():
    at = BODY.index("grid")
    assert BODY[next_word(BODY, at):].startswith("causing")
    assert BODY[previous_word(BODY, at):].startswith("the grid")
    inside = BODY.index("rupt")
    assert BODY[previous_word(BODY, inside):].startswith("disruptions")  # to the start of its own word
    assert next_word(BODY, len(BODY) - 2) == len(BODY) - 2  # no word after: stays


def test_word_at_gives_the_word_or_one_character():
    at = BODY.index("ministry") + 3
    assert BODY[slice(*word_at(BODY, at))] == "ministry"
    comma = BODY.index(",")
    assert word_at(BODY, comma) == (comma, comma + 1)


def test_sentences_start_after_end_marks_and_paragraph_breaks():
    starts = [BODY[s:].split(" ")[0] for s in sentence_starts(BODY)]
    assert starts == ["Russia", "The", "It", "A", "It", "Then", "Third"]


def test_sentence_moves_and_the_sentence_under_the_cursor():
    starts = sentence_starts(BODY)
    middle = BODY.index("ministry")
    assert BODY[step_to(starts, middle, 1):].startswith("It warned")
    assert BODY[step_to(starts, middle, -1):].startswith("The ministry")  # its own start first
    assert BODY[step_to(starts, BODY.index("The ministry"), -1):].startswith("Russia")
    assert BODY[slice(*sentence_at(BODY, middle))] == "The ministry said so."
    assert BODY[slice(*sentence_at(BODY, BODY.index("quoted")))] == "It has “quoted words.”"


def test_paragraph_moves():
    starts = paragraph_starts(BODY)
    assert [BODY[s:s + 5] for s in starts] == ["Russi", "A sec", "Third"]
    assert step_to(starts, 3, 1) == starts[1]
    assert step_to(starts, starts[2] + 4, -1) == starts[2]
    assert step_to(starts, starts[2], 1) == starts[2]  # the last: stays


def test_a_quote_found_twice_keeps_its_occurrence():
    second = BODY.index("the grid", BODY.index("the grid") + 1)
    chosen = passage(BODY, second, second + len("the grid"))
    assert chosen is not None and (chosen.quote, chosen.occurrence) == ("the grid", 2)
    assert find_quote(BODY, "the grid", 2) == (second, second + len("the grid"))
    assert find_quote(BODY, "the grid", 1) == (BODY.index("the grid"), BODY.index("the grid") + 8)
    assert occurrence_at(BODY, "the grid", BODY.index("the grid")) == 1


def test_a_quote_across_a_line_break_is_found_and_a_missing_one_is_not():
    text = "one two\nthree four"
    assert find_quote(text, "two three") == (4, 13)
    assert find_quote(text, "two three", 2) is None  # the text holds it once only
    assert find_quote(text, "five") is None
    assert find_quote(text, "  ") is None
