"""A phrase's test on a file's bytes (briefing.querylang.phrasecheck) never rejects a
file whose clean body holds the phrase; the lower-case shortcut of the fold
(match.fold_for_tokens) finds what the fold finds."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.corpus.discover import kind_of
from briefing.corpus.load import parse_body
from briefing.querylang.match import _phrase_pattern, find_tokens, fold_for_tokens, fold_text
from briefing.querylang.phrasecheck import FileText, may_hold

WORDS = ("white", "house")
LEAD = "The president spoke on Tuesday about several things of note in the capital.\n\n"


def body_holds(name: str, data: bytes, words: tuple[str, ...] = WORDS) -> bool:
    """The truth: the parser's clean body of the file, folded, holds the phrase."""
    try:
        body = parse_body(name, name, data)
    except Exception:  # noqa: BLE001 - not an article: no body
        return False
    return find_tokens(_phrase_pattern(words), fold_text(body))


# (file name, bytes): each one's clean body holds "white house"; the bytes must not be rejected
HOLDING = [
    ("case.txt", (LEAD + "Aides at the WHITE hOuSe said so.\n").encode()),
    ("dash.txt", (LEAD + "A white\u2014house debate; then white-house and white_house.\n").encode()),
    ("punct.txt", (LEAD + "It was white... (house) rules.\n").encode()),
    ("wrapped.txt", (LEAD + "the aides of the white\nhouse said on the record\nthat they were done.\n").encode()),
    ("crlf.txt", (LEAD.replace("\n", "\r\n") + "aides of the white\r\nhouse said\r\nthey were done.\r\n").encode()),
    ("cr.txt", (LEAD.replace("\n", "\r") + "aides of the white\rhouse said\rthey were done.\r").encode()),
    ("para.txt", (LEAD + "It was white.\n\nHouse rules applied.\n").encode()),
    ("furniture.txt", (LEAD + "He stood by the white\nShare this article\nhouse lawn today.\n").encode()),
    ("advert.txt", (LEAD + "They painted it white\n\nAdvertisement\n\nhouse by house.\n").encode()),
    ("accent.txt", (LEAD + "The Whíte Hôuse said so.\n").encode()),
    ("decomposed.txt", (LEAD + "The Whi\u0301te Ho\u0308use said so.\n").encode()),
    ("dotted.txt", (LEAD + "THE WH\u0130TE HOUSE SAID SO.\n").encode()),
    ("zero-width.txt", (LEAD + "The whi\u200bte ho\ufeffuse said so.\n").encode()),
    ("nbsp.txt", (LEAD + "The white\u00a0house said so.\n").encode()),
    ("quotes.txt", (LEAD + "The \u201cwhite\u201d \u2018house\u2019 said so.\n").encode()),
    ("cp1252.txt", (LEAD + "The whit\u00e9 house said so, \u201cquite\u201d.\n").encode("cp1252")),
    ("latin1.txt", (LEAD + "The wh\u00eete house said so.\n").encode("latin-1")),
    ("utf16.txt", (LEAD + "The white house said so.\n").encode("utf-16")),
    ("bom.txt", b"\xef\xbb\xbf" + (LEAD + "The white house said so.\n").encode()),
    ("escape.txt", (LEAD + "The white\x1b[0mhouse said so.\n").encode()),
    ("osc.txt", (LEAD + "The white\x1b]0;xyz\x07house said so.\n").encode()),
    # a byte-order mark: the sanitizer still runs (its escape sequence swallows the letters between)
    ("bom-osc.txt", b"\xef\xbb\xbf" + (LEAD + "The white\x1b]0;x\x07house said so.\n").encode()),
    ("control.txt", (LEAD + "The white\x07house said so.\n").encode()),
    ("marker.txt", b"date 2024-01-05white house aides said so on the day in question, at length.\n"),
    ("glued.md", ("# Heading\n\n" + LEAD + "## white ##\nhouse rules\n").encode()),
    ("emphasis.md", (LEAD + "The **white** _house_ said so.\n").encode()),
    ("front.md", ("---\ntitle: Something else\n---\n\n" + LEAD + "The white house said so.\n").encode()),
    ("entity.html", ("<html><body><h1>Title of it</h1><p>" + LEAD + "</p><p>The white&nbsp;house said so. "
                     "More words follow here to make a paragraph.</p></body></html>").encode()),
    ("numeric.html", ("<html><body><h1>Title of it</h1><p>" + LEAD + "</p><p>The &#119;hite ho&#x75;se said so. "
                      "More words follow here to make a paragraph.</p></body></html>").encode()),
    ("tags.html", ("<html><body><h1>Title of it</h1><p>" + LEAD + "</p><p>The <b>white</b><br>house said so. "
                   "More words follow here to make a paragraph.</p></body></html>").encode()),
]
# (A word split by a tag, "wh<i>ite</i>", is two words to the HTML parser: no body
# holds the phrase there. HTML is never judged by the byte test anyway.)


@pytest.mark.parametrize(("name", "data"), HOLDING, ids=[n for n, _ in HOLDING])
def test_a_body_that_holds_the_phrase_is_never_rejected(name: str, data: bytes) -> None:
    assert body_holds(name, data)  # the case protects something: its clean body holds the phrase
    assert may_hold(data, kind_of(name), WORDS)


def test_most_edge_cases_do_hold_the_phrase() -> None:
    # the cases above test something: the parser does join these words
    holding = [name for name, data in HOLDING if body_holds(name, data)]
    assert len(holding) >= len(HOLDING) - 4, sorted({n for n, _ in HOLDING} - set(holding))


@pytest.mark.parametrize(("name", "text"), [
    ("apart.txt", LEAD + "The white paint dried. The house was sold.\n"),
    ("glued.txt", LEAD + "The whitehouse domain and a house.\n"),
    ("accent-apart.txt", LEAD + "The whíte paint dried; the café had a hôuse wine.\n"),
    ("letters.txt", LEAD + "The white cat house.\n"),
    ("md.md", LEAD + "The *white* paint; the house.\n"),
])
def test_bytes_without_the_phrase_are_rejected(name: str, text: str) -> None:
    data = text.encode()
    assert not body_holds(name, data)
    assert not may_hold(data, kind_of(name), WORDS)


def test_what_it_does_not_judge_is_maybe() -> None:
    apart = (LEAD + "The white paint dried. The house was sold.\n").encode()
    assert may_hold(apart, "html", WORDS)  # markup and entities: the exact check
    assert may_hold(apart, "pdf", WORDS)
    assert may_hold(apart, None, WORDS)
    assert may_hold(apart, "text", ("whíte", "house"))  # a word that is not ASCII
    assert may_hold(apart, "text", ())


def test_a_word_that_ends_a_line_may_join_a_later_one() -> None:
    # whole lines between may be dropped (furniture, a byline): not rejected
    data = (LEAD + "the paint was white\nsomething else entirely\nhouse prices rose\n").encode()
    assert may_hold(data, "text", WORDS)


def test_file_text_reads_once_and_parses_only_when_asked(tmp_path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes((LEAD + "The white paint dried. The house was sold.\n").encode())
    text = FileText("a.txt", str(path))
    assert text.probe(WORDS) is False
    assert "white paint" in text.body()
    assert text.probe(WORDS) is True  # parsed: the exact check decides
    gone = FileText("gone.txt", str(tmp_path / "gone.txt"))
    assert gone.probe(WORDS) is False and gone.body() == ""


FRAGMENTS = ["white", "house", "White", "HOUSE", "whíte", "hôuse", "Whi\u0301te", "whi\u200bte", "white\u00a0",
             " ", "  ", "\n", "\n\n", "\r\n", "-", "\u2014", "_", ".", "'", "\u201c", "\x07", "\x1b[1m", "#",
             "Share this article", "Advertisement", "date 2024-01-02", "By Anna Smith", "the", "cat", "é", "Ж",
             "\u0610", "\u03a3", "ö", "\u00a0", "<b>", "&amp;", "1"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=30), st.sampled_from(["a.txt", "a.md"]),
       st.sampled_from(["utf-8", "cp1252"]))
def test_generated_files_holding_the_phrase_pass(parts: list[str], name: str, encoding: str) -> None:
    text = LEAD + "".join(parts) + "\n"
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    if body_holds(name, data):
        assert may_hold(data, kind_of(name), WORDS)


TEXT_PARTS = ["white", "House", "café", "CAFÉ", "naïve", "Straße", "İstanbul", "Київ", "ΣΟΦΟΣ", "e\u0301",
              "\u0301", " ", "\n", "\u2014", "\u201c", "-", "_", "ǅ", "ﬁ", "\u2000", "\u037e", "ſ", "K"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(TEXT_PARTS), min_size=1, max_size=20),
       st.sampled_from([("white", "house"), ("cafe",), ("naive",), ("strasse",), ("straße",), ("istanbul",),
                        ("київ",), ("σοφος",), ("σοφοσ",), ("e",), ("k",), ("fi",)]))
def test_the_lower_case_shortcut_finds_what_the_fold_finds(parts: list[str], words: tuple[str, ...]) -> None:
    text = "".join(parts)
    pattern = _phrase_pattern(words)
    assert find_tokens(pattern, fold_for_tokens(text)) == find_tokens(pattern, fold_text(text))
