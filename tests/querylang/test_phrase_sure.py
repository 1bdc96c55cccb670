"""A phrase's "yes" from a file's bytes (briefing.querylang.phrasecheck.verdict,
True: no parse) only where the parser's clean body holds it: every rule of the
test has a case here that the body does not hold and that a weaker rule would
call "yes"."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.corpus.discover import kind_of
from briefing.querylang.phrasecheck import LONG, verdict

from .test_phrasecheck import LEAD, WORDS, body_holds

# words enough to make a line longer than LONG (no phrase, no sentence end)
FILL = " ".join(["several", "officials", "described", "the", "scene", "in", "some", "detail"] * 6)


def long_line(text: str) -> str:
    line = f"{text} {FILL}"
    assert len(line) > LONG
    return line


YES = [
    ("middle.txt", (LEAD + long_line("Aides at the White House said so") + "\n\nMore text follows here.\n").encode()),
    ("first.txt", (long_line("The White-House said so") + "\n\nMore text follows here.\n").encode()),
    ("last.txt", (LEAD + long_line("Then the white house") + "\n").encode()),
    ("crlf.txt", (LEAD + long_line("Aides at the white house said") + "\r\n\r\nMore.\r\n").replace("\n\n", "\r\n\r\n").encode()),
    ("accents.txt", (LEAD + "Caf\u00e9 na\u00efve.\n\n" + long_line("Aides at the white house said") + "\n").encode()),
    ("bom.txt", b"\xef\xbb\xbf" + (LEAD + long_line("Aides at the white house said") + "\n").encode()),
    ("heading.md", ("# Title\n\n" + LEAD + long_line("The white house") + "\n===\n\nMore text.\n").encode()),
    ("tabs.md", (LEAD + "\t" + long_line("The white\thouse said") + "  \n").encode()),
    # a date marker opening the text is cut off, a long rest stays (the generated corpus's shape)
    ("marker-first.txt", ("Headline\n\ndate 2024-01-05 " + long_line("White house aides said") + "\n\nMore.\n").encode()),
    ("marker-alone.txt", ("  date: 2024-01-05\t" + long_line("Aides at the white house said") + "\n").encode()),
    # further down the line is left whole: the rest is in it
    ("marker-later.txt", (LEAD + LEAD + "date 2024-01-05 " + long_line("White house aides said") + "\n").encode()),
    ("marker-later.md", (LEAD + LEAD + "date 2024-01-05 " + long_line("White house aides said") + "\n===\n\nMore.\n").encode()),
]


@pytest.mark.parametrize(("name", "data"), YES, ids=[n for n, _ in YES])
def test_a_long_line_that_the_body_keeps_settles_yes(name: str, data: bytes) -> None:
    assert body_holds(name, data)
    assert verdict(data, kind_of(name), WORDS) is True


def marker_line() -> str:
    # a date marker, then a headline of 198 characters: the head takes both, the line is long
    rest = "White house " + " ".join(["Abcdefghijklmnop"] * 11)
    return "date 2024-01-05 " + rest


NOT_YES = [
    # a line shorter than 200 characters is furniture when it reads as one
    ("furniture.txt", (LEAD + ("Click here for the white house " + FILL)[:199] + "\n\nMore text follows.\n").encode(), WORDS),
    # a web address longer than 200 characters opening (or closing) the text is its url
    ("url.txt", ("https://example.com/" + "the-white-house-" * 14 + "\n\n" + LEAD + "More.\n").encode(), WORDS),
    ("url-tail.txt", (LEAD + "More text.\n\nSource: https://example.com/" + "white-house-" * 18 + "\n").encode(), WORDS),
    # a date marker is cut off the line, the rest may be a headline
    ("marker.txt", (marker_line() + "\n\n" + LEAD + "More text follows here.\n").encode(), WORDS),
    # left whole further down (a line above a marker would be a headline: two paragraphs), the
    # marker's last digit runs into the phrase: no token start
    ("marker-glued.txt", (LEAD + LEAD + "date 2024-01-05" + long_line("White house aides said") + "\n").encode(), WORDS),
    # the rest after a marker is a headline of 198 characters (the head takes it) however long the line
    ("marker-short-rest.txt", ("date 2024-01-05" + " " * 40 + marker_line()[16:] + "\n\n" + LEAD + "More.\n").encode(),
     WORDS),
    # front matter is not body
    ("front.md", ("---\ntitle: " + long_line("The white house") + "\n---\n\n" + LEAD + "More.\n").encode(), WORDS),
    # a lone CR ends a line: the furniture before it is dropped
    ("cr.txt", (LEAD + "Click here for the white house tour\r" + FILL + "\n").encode(), WORDS),
    # an escape sequence may swallow the rest of the file
    ("osc.txt", (LEAD + "A title\x1b]0;\n\n" + long_line("The white house said") + "\n").encode(), WORDS),
    ("osc-bom.txt", b"\xef\xbb\xbf" + (LEAD + "A title\x1b]0;\n\n" + long_line("The white house said") + "\n").encode(), WORDS),
    # not UTF-8 and full of control bytes: refused as binary, no body
    ("binary.txt", (LEAD + long_line("The white house said") + "\n").encode() + b"\xff" + b"\x01\x02" * 60, WORDS),
    ("nul.txt", (LEAD + long_line("The white house said") + "\n").encode() + b"\x00\x01" * 100, WORDS),
    # a match inside a longer word before the line overlaps the line's match and hides it
    ("border.txt", (LEAD + "It was a long ago\n\n" + long_line("go go then") + "\n").encode(), ("go", "go")),
]


@pytest.mark.parametrize(("name", "data", "words"), NOT_YES, ids=[n for n, _, _ in NOT_YES])
def test_what_the_body_may_not_hold_is_never_yes(name: str, data: bytes, words: tuple[str, ...]) -> None:
    assert not body_holds(name, data, words)  # the case protects something: a weaker rule would say yes
    assert verdict(data, kind_of(name), words) is not True


FRAGMENTS = ["white", "house", "White", "HOUSE", "go", " ", "\n", "\n\n", "\r", "\r\n", "-", "#", "===", "---",
             "date 2024-01-02 ", "date 2024-01-02", "Date: 2024-1-2\t", "Share this article", "Click here", "By Anna Smith", "https://x.org/", "\x1b]",
             "\x00", "\xe9", "\u200b", "x", FILL, FILL[:120]]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=24), st.sampled_from(["a.txt", "a.md"]),
       st.sampled_from([("white", "house"), ("go", "go"), ("house",)]))
def test_generated_files_are_yes_only_when_the_body_holds(parts: list[str], name: str,
                                                         words: tuple[str, ...]) -> None:
    data = "".join(parts).encode("utf-8")
    if verdict(data, kind_of(name), words) is True:
        assert body_holds(name, data, words)
