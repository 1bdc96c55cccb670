"""The ASCII fast paths of snippet highlighting find what the general paths find."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.index.query import TOKEN, Query, _pattern, fold, snippet

# Letters that tokenize, separators (including "_", which is not a token character),
# and digits: enough to hit every boundary case of a short text.
ASCII_TEXT = st.text(alphabet="abAB1 -_.'\n", max_size=40)
QUERY_TEXT = st.text(alphabet="abAB1 _-", min_size=1, max_size=10)


def general_first_span(query: Query, text: str):
    """The first-span rule as the general path states it: the case-insensitive regex."""
    m = _pattern(query.words, query.prefix).search(text)
    return m.span() if m else None


def general_spans(query: Query, text: str, start: int, end: int):
    return [m.span() for m in TOKEN.finditer(text, start, end) if query.matches_token(fold(m.group()))]


@settings(max_examples=400, deadline=None)
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
