"""briefing.jsontext: the streamed JSON text is exactly json.dumps(..., indent=2) of
the whole list, escaped for the terminal, however the values nest."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.jsontext import json_array_chunks, to_json_text

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text())
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                      st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                      max_leaves=20)


@settings(max_examples=100, deadline=None)
@given(items=st.lists(values, max_size=5), size=st.sampled_from([1, 64, 1 << 16]))
def test_chunks_join_to_the_whole_text(items, size):
    joined = "".join(json_array_chunks(items, size=size))
    assert joined == to_json_text(items)
    assert json.loads(joined) == items


def test_controls_and_bidi_are_escaped_and_the_first_row_comes_alone():
    items = [{"t": "a\u202eb\x85c\u2028"}, {"t": "x"}]
    chunks = list(json_array_chunks(items))
    assert "\u202e" not in "".join(chunks) and "\\u202e" in chunks[0]
    assert json.loads(chunks[0] + "\n]") == items[:1]  # the first row was written before the second was known
