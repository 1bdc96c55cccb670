"""Quoted text of an annotation file read back from its line (briefing.annotations.quoted):
exactly what the writer (yamlsafe.quote) writes, read as a YAML parse reads it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing import yamlsafe
from briefing.annotations.quoted import unquote_written


@given(st.text())
@settings(max_examples=300, deadline=None)
def test_text_the_writer_quoted_is_read_back_from_its_line(text):
    """What an indexed annotation file's title lines are read by, without a parse."""
    assert unquote_written(yamlsafe.quote(text)[1:-1].encode("utf-8")) == text


_PIECES = st.sampled_from(['"', "\\", "\\\\", '\\"', "\\n", "\\t", "\\x41", "\\x07", "\\u2028", "\\uFEFF", "\\U0001F600",
                           "\\q", "\\", "\t", "\xa0", "\u2028", "\x85", "é", "a", " ", "\\0", "\\e", "\\N", "\\_"])


@given(st.lists(_PIECES, max_size=8))
@settings(max_examples=400, deadline=None)
def test_only_what_the_writer_writes_is_read_from_a_line_and_as_yaml_reads_it(pieces):
    body = "".join(pieces).encode("utf-8")
    got = unquote_written(body)
    if got is None:
        return
    assert yamlsafe.quote(got)[1:-1].encode("utf-8") == body  # exactly the writer's text for it
    assert yamlsafe.load_plain('a: "' + body.decode("utf-8") + '"\n') == {"a": got}  # as a parse reads it


@pytest.mark.parametrize("body", [b'a"b', b"a\\", b"a\\qb", b"a\\x41", b"tab\there", b"\xff", b"a\\\\\\", b"line\nbreak"])
def test_other_quoted_text_is_not_read_from_a_line(body):
    assert unquote_written(body) is None
