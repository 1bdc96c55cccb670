"""The fast paths of snippet highlighting (str.find on the lower-cased text) find what
the general paths (a case-insensitive regex, then token by token) find."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.index.query import _MARKS, TOKEN, Query, _pattern, fold, snippet

# Letters that tokenize, separators (including "_", which is not a token character),
# and digits: enough to hit every boundary case of a short text.
ASCII_TEXT = st.text(alphabet="abAB1 -_.'\n", max_size=40)
QUERY_TEXT = st.text(alphabet="abAB1 _-", min_size=1, max_size=10)


# Letters whose case folds are odd (dotless i, long s, dotted capital I, Kelvin sign,
# sharp s, sigmas), a combining mark, accents and separators.
ODD_TEXT = st.text(alphabet="aBeé\u0301 _-.\u017f\u0131\u0130\u212a\u00df1\u2028\u03a3\u03c2sik", max_size=30)
SLOW_TOKEN = re.compile(rf"(?:[^\W_]|[{_MARKS}])+")  # TOKEN as first written, one character at a time


def general_first_span(query: Query, text: str):
    """The first-span rule as the general path states it: the case-insensitive regex,
    then (for non-ASCII text) the first token that folds to a match."""
    m = _pattern(query.words, query.prefix).search(text)
    if m:
        return m.span()
    if text.isascii():
        return None
    found = [m.span() for m in SLOW_TOKEN.finditer(text) if query.matches_token(fold(m.group()))]
    return found[0] if found else None


def general_spans(query: Query, text: str, start: int, end: int):
    return [m.span() for m in TOKEN.finditer(text, start, end) if query.matches_token(fold(m.group()))]


@settings(max_examples=150, deadline=None)
@given(ASCII_TEXT, QUERY_TEXT, st.data())
def test_fast_paths_agree_with_the_general_ones(text, typed, data):
    query = Query.parse(typed)
    if query.empty:
        return
    assert query.ascii
    assert query.first_span(text) == general_first_span(query, text)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert query.spans(text, start, end) == general_spans(query, text, start, end)


def test_fast_path_examples():
    query = Query.parse("grid pow")
    text = "Gridlock. The POWER grid, powerful; grid_x gridx 3grid power"
    assert query.first_span(text) == (14, 19)  # "POWER": "Gridlock" is not the word "grid"
    assert [text[s:e] for s, e in query.spans(text)] == ["POWER", "grid", "powerful", "grid", "power"]
    assert [text[s:e] for s, e in query.spans(text, 16)] == ["grid", "powerful", "grid", "power"]  # "WER" is cut
    assert query.first_span("no match here") is None
    text, spans = snippet("x " * 60 + "the grid is down", Query.parse("grid"))
    assert [text[s:e] for s, e in spans] == ["grid"]


def test_non_ascii_text_or_query_takes_the_general_path():
    assert Query.parse("ıstanbul ").ascii is False  # dotless i: folded, still not ASCII
    query = Query.parse("cafe ")
    assert query.ascii
    text = "Le Café de Flore, café crème"
    assert query.first_span(text) == (3, 7)
    assert [text[s:e] for s, e in query.spans(text)] == ["Café", "café"]


@settings(max_examples=150, deadline=None)
@given(ODD_TEXT, st.text(alphabet="abeABEsik1 _", min_size=1, max_size=8))
def test_find_path_on_non_ascii_text_agrees_with_the_regex(text, typed):
    query = Query.parse(typed)
    if query.empty:
        return
    assert query.first_span(text) == general_first_span(query, text)


@settings(max_examples=150, deadline=None)
@given(ODD_TEXT, st.data())
def test_token_runs_are_the_tokens_of_one_character_at_a_time(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert [m.span() for m in TOKEN.finditer(text, start, end)] == [m.span() for m in SLOW_TOKEN.finditer(text, start, end)]


def test_odd_case_letters_take_the_regex_path():
    """A long s matches "s" case-insensitively (as the regex has always done), and a
    dotted capital I lower-cases to two characters: both leave str.find aside."""
    assert Query.parse("sun ").first_span("the \u017fun rises") == (4, 7)
    assert Query.parse("is ").first_span("\u0130stanbul is") == (9, 11)
    assert Query.parse("kilo ").first_span("a \u212ailo") == (2, 6)  # Kelvin sign: lower() is "k"
