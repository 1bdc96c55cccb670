"""Highlighting reads only what it needs (it stops after the snippet, it skips an
ASCII text holding no term): the spans and snippets equal those of tokenizing the
whole text, computed here independently."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.querylang import highlight_terms, parse, snippet
from briefing.querylang.match import SNIPPET_WIDTH

PIECES = ["grid", "Grid", "power", "POWER", "powerful", "kyiv", "café", "cafe", "naïve", "e-mail", "2023", "x",
          " ", "  ", ", ", ".\n\n", "-", "_", "é", "\u2019", "\u2014", "\u201cgrid\u201d", "\u0130"]


def ref_tokens(text: str) -> list[tuple[int, int, str]]:
    """Every token with its place, folded as the index folds (ASCII and Latin accents)."""
    out = []
    for m in re.finditer(r"(?:[^\W_]|[\u0300-\u036f])+", text):
        plain = "".join(c for c in unicodedata.normalize("NFD", m.group()) if not unicodedata.combining(c))
        out.append((m.start(), m.end(), unicodedata.normalize("NFC", plain).lower()))
    return out


def ref_spans(text: str, words: set[str], prefixes: list[str], phrases: list[tuple[str, ...]]) -> list[tuple[int, int]]:
    toks = ref_tokens(text)
    found = [(s, e) for s, e, t in toks if t in words or any(t.startswith(p) for p in prefixes)]
    folded = [t for _, _, t in toks]
    for phrase in phrases:
        for i in range(len(folded) - len(phrase) + 1):
            if tuple(folded[i:i + len(phrase)]) == phrase:
                found.append((toks[i][0], toks[i + len(phrase) - 1][1]))
    merged: list[tuple[int, int]] = []
    for s, e in sorted(found):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def ref_snippet(body: str, spans: list[tuple[int, int]]) -> tuple[str, tuple[tuple[int, int], ...]]:
    if not spans:
        return "", ()
    first = spans[0]
    start = max(0, first[0] - SNIPPET_WIDTH // 3)
    if start > 0:
        space = body.find(" ", start, first[0])
        if space != -1:
            start = space + 1
    end = min(len(body), max(start + SNIPPET_WIDTH, first[1]))
    lead, tail = ("…" if start > 0 else ""), ("…" if end < len(body) else "")
    text = lead + body[start:end].replace("\n", " ").replace("\t", " ") + tail
    shift = len(lead) - start
    return text, tuple((max(s, start) + shift, min(e, end) + shift) for s, e in spans if s < end and e > start)


QUERIES = [("grid", {"grid"}, [], []), ("powe*", set(), ["powe"], []), ('"grid power"', set(), [], [("grid", "power")]),
           ('kyiv "power grid" cafe', {"kyiv", "cafe"}, [], [("power", "grid")]),
           ('"grid grid" grid', {"grid"}, [], [("grid", "grid")]), ("naive 2023 -grid", {"naive", "2023"}, [], [])]


@settings(max_examples=80, deadline=None)
@given(pieces=st.lists(st.sampled_from(PIECES), max_size=120), which=st.integers(0, len(QUERIES) - 1))
def test_spans_and_snippets_equal_a_whole_text_scan(pieces, which):
    text = " ".join(pieces)
    q, words, prefixes, phrases = QUERIES[which]
    marks = highlight_terms(parse(q))
    expected = ref_spans(text, words, prefixes, phrases)
    assert marks.spans(text) == expected
    assert snippet(text, marks) == ref_snippet(text, expected)


def test_a_match_far_into_a_long_text_and_a_long_phrase():
    body = "filler words here. " * 400 + "the Power  Grid failed; power grid again " + "tail " * 50
    marks = highlight_terms(parse('"power grid" failed'))
    expected = ref_spans(body, {"failed"}, [], [("power", "grid")])
    assert expected and marks.spans(body) == expected
    assert snippet(body, marks) == ref_snippet(body, expected)
    assert snippet("nothing to see", marks) == ("", ())
