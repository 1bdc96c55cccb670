"""Any bytes in, either an Article with clean, well-formed text or an ArticleError out."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.corpus import ArticleError, parse_bytes

UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f]")

pieces = st.sampled_from([
    "date 2023-11-06 ", "Published: 14 March 2025", "By Jane Doe", "Previous article", "Next article",
    "Share this article", "# ", "## Heading", "---", "title: x", "\n", "\n\n", "\r\n", "\r", " ", "\t",
    "\x1b[31m", "\x1b]0;t\x07", "\x00", "\x85", "\u202e", "\ufeff", "“", "’", "[bold]", "[/]", ".", "?",
    "November 3, 2025", "KYIV, March 3, 2025 (Reuters) — ", "Word", "words here", "A", "a", "é", "記",
])
texts = st.lists(st.one_of(pieces, st.text(max_size=12)), max_size=40).map("".join)


def check(article) -> None:
    m = article.meta
    for s in (m.title, article.body, m.author or "", m.source or "", *m.tags, *article.headings):
        assert not UNSAFE.search(s), repr(s)
    assert article.body and article.body == article.body.strip()
    assert "\n\n\n" not in article.body
    assert article.headings <= set(article.paragraphs())
    assert "\n" not in m.title
    assert m.fingerprint.startswith("sha256:") and len(m.fingerprint) == 71


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, st.sampled_from(["a.txt", "a.md"]), st.sampled_from(["utf-8", "utf-16", "cp1252"]))
def test_any_text_parses_cleanly_or_is_refused(text, name, codec):
    data = text.encode(codec, "replace")
    try:
        article = parse_bytes(name, "/x/" + name, data)
    except ArticleError as err:
        assert err.message and err.id == name
        return
    check(article)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_parse_cleanly_or_are_refused(data):
    try:
        article = parse_bytes("b.txt", "/x/b.txt", data)
    except ArticleError as err:
        assert err.message
        return
    check(article)
