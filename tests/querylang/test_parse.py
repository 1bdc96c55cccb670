"""The query language's parser: every operator, field, precedence, quoting, and errors with positions."""

from __future__ import annotations

import datetime as dt

import pytest

from briefing.querylang import MAX_LENGTH, QueryError, parse
from briefing.querylang.nodes import And, DateIn, IdGlob, IsState, Not, Or, Phrase, Tag, Words

TODAY = dt.date(2024, 3, 20)


def root(text: str, **kw):
    return parse(text, today=TODAY, **kw).root


def words(*tokens: str, prefix: bool = False, field: str | None = None):
    return lambda node: isinstance(node, Words) and node.tokens == tokens and node.prefix == prefix and node.field == field


def test_words_are_all_of_them():
    node = root("Kyiv  GRID")
    assert isinstance(node, And) and [c.tokens for c in node.children] == [("kyiv",), ("grid",)]
    assert not any(c.prefix for c in node.children)


def test_phrase_keeps_order_and_folds():
    node = root('"Power Grid café"')
    assert isinstance(node, Phrase) and node.tokens == ("power", "grid", "cafe") and node.field is None


def test_one_word_phrase_is_a_word():
    assert words("grid")(root('"grid"'))


def test_or_binds_looser_than_juxtaposition():
    node = root("a b OR c")
    assert isinstance(node, Or)
    left, right = node.children
    assert isinstance(left, And) and [c.tokens for c in left.children] == [("a",), ("b",)]
    assert words("c")(right)


def test_brackets_group():
    node = root("(a OR b) c")
    assert isinstance(node, And)
    assert isinstance(node.children[0], Or) and words("c")(node.children[1])


def test_exclusions():
    node = root('-russia -"air raid" -tag:Done -(a OR b)')
    assert isinstance(node, And) and all(isinstance(c, Not) for c in node.children)
    kids = [c.child for c in node.children]
    assert words("russia")(kids[0])
    assert isinstance(kids[1], Phrase) and kids[1].tokens == ("air", "raid")
    assert kids[2] == Tag("done")
    assert isinstance(kids[3], Or)


def test_prefix_star():
    assert words("sanct", prefix=True)(root("sanct*"))
    assert words("e", "ma", prefix=True)(root("e-ma*"))


def test_last_word_is_a_prefix_only_while_typing():
    assert words("gri", prefix=True)(root("gri", typing=True))
    assert words("gri")(root("gri"))
    assert words("gri")(root("gri ", typing=True))  # a space ends the word
    assert words("g")(root("g", typing=True))  # too short to be a prefix
    node = root("-gri", typing=True)
    assert isinstance(node, Not) and not node.child.prefix  # an exclusion never widens while typing
    assert isinstance(root('"power gri"', typing=True), Phrase)


def test_text_fields_take_words_phrases_and_prefixes():
    node = root('title:grid source:"Kyiv Independent" author:smi*')
    a, b, c = node.children
    assert words("grid", field="title")(a)
    assert isinstance(b, Phrase) and b.tokens == ("kyiv", "independent") and b.field == "source"
    assert words("smi", prefix=True, field="author")(c)


def test_tags_compare_without_case():
    assert root("tag:Energy") == Tag("energy")
    assert root('tag:"Power  Grid"') == Tag("power grid")
    assert root("tag:ener*") == Tag("ener", prefix=True)


def test_id_and_states():
    assert root("id:2024/*.txt") == IdGlob("2024/*.txt")
    for state in ("unread", "read", "flagged", "dismissed", "annotated", "noted", "highlighted"):
        assert root(f"is:{state.upper()}") == IsState(state)


def test_dates_are_human_dates():
    assert root("date:2024-03") == DateIn(dt.date(2024, 3, 1), dt.date(2024, 3, 31))
    assert root("since:7d") == DateIn(dt.date(2024, 3, 13), None)
    assert root('until:"last week"') == DateIn(None, dt.date(2024, 3, 17))
    assert root("date:2024-01..2024-02") == DateIn(dt.date(2024, 1, 1), dt.date(2024, 2, 29))


def test_sort():
    assert parse("grid").sort == "newest"
    assert parse("grid sort:oldest").sort == "oldest"
    q = parse("sort:relevance grid")
    assert q.sort == "relevance" and words("grid")(q.root)
    assert parse("sort:oldest").empty


def test_and_keyword_is_a_space():
    node = root("a AND b")
    assert isinstance(node, And) and [c.tokens for c in node.children] == [("a",), ("b",)]


def test_punctuation_and_markup_are_plain_text():
    assert parse("[/]").empty and parse("&& ||").empty
    assert words("bold", "x")(root("[bold]x[/]"))
    node = root("a\x1b[31mb\x00c")  # control bytes separate, never reach anything
    assert isinstance(node, And) and [c.tokens for c in node.children] == [("a",), ("31mb",), ("c",)]
    assert parse('NEAR(a b) "x" ^ :').root is not None  # FTS5 syntax is text


def test_asks_dismissed():
    assert parse("is:dismissed").asks_dismissed
    assert not parse("-is:dismissed").asks_dismissed
    assert not parse("grid").asks_dismissed


@pytest.mark.parametrize(
    ("text", "where", "says"),
    [
        ('grid "power', (5, 11), "never closed"),
        ('source:"Kyiv', (7, 12), "never closed"),
        ("(a OR b", (0, 1), "'(' is never closed"),
        ("a b)", (3, 4), "')' closes nothing"),
        ("()", (0, 2), "empty brackets"),
        ("-", (0, 1), "lone '-'"),
        ("a - b", (2, 3), "lone '-'"),
        ("a -", (2, 3), "lone '-'"),
        ("OR OR", (0, 2), "OR needs"),
        ("a OR OR b", (2, 4), "OR needs"),
        ("a OR", (2, 4), "OR needs"),
        ("(OR a)", (1, 3), "OR needs"),
        ("a AND", (2, 5), "AND needs"),
        ("tag:", (0, 4), "needs a value"),
        ("grid tag: x", (5, 9), "needs a value"),
        ('tag:""', (0, 6), "needs a value"),
        ("title:!!", (6, 8), "letters or digits"),
        ("foo:bar", (0, 4), "unknown field"),
        ("is:maybe", (3, 8), "is: takes one of"),
        ("sort:best", (5, 9), "sort: takes one of"),
        ("(a sort:oldest)", (3, 14), "whole query"),
        ("sort:oldest sort:newest", (12, 23), "two different sort"),
        ("-sort:oldest", (0, 12), "cannot be excluded"),
        ("date:someday", (5, 12), "not understood"),
        ("since:2024-02-30", (6, 16), "29"),
        ('""', (0, 2), "empty phrase"),
        ("*", (0, 1), "'*' needs"),
    ],
)
def test_errors_say_where_and_why(text, where, says):
    with pytest.raises(QueryError) as caught:
        parse(text, today=TODAY)
    err = caught.value
    assert (err.start, err.end) == where
    assert says in err.message
    assert isinstance(err, ValueError)


def test_a_very_long_query_is_refused_with_a_message():
    with pytest.raises(QueryError) as caught:
        parse("word " * 2000)
    assert caught.value.start == MAX_LENGTH and caught.value.end == 10_000
    assert "too long" in caught.value.message


def test_too_many_terms():
    with pytest.raises(QueryError) as caught:
        parse(" ".join(f"w{i}" for i in range(60)))
    assert "too many terms" in caught.value.message


def test_error_positions_survive_control_bytes():
    with pytest.raises(QueryError) as caught:
        parse('\x07\x1b "open')
    assert caught.value.start == 3
