"""The offline sentence and word tokenizer."""

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.summarize import split_sentences
from briefing.summarize.tokenize import Tokenizer, sentence_spans, words


@pytest.mark.parametrize(
    "text, expected",
    [
        # abbreviations that never end a sentence
        (
            "Mr. Smith went to Washington. He arrived late.",
            ["Mr. Smith went to Washington.", "He arrived late."],
        ),
        (
            "Gen. Mark Milley spoke on Tuesday. Officials listened.",
            ["Gen. Mark Milley spoke on Tuesday.", "Officials listened."],
        ),
        (
            "Dr. Jones and Mrs. Brown met Sen. Warren. They talked.",
            ["Dr. Jones and Mrs. Brown met Sen. Warren.", "They talked."],
        ),
        # a dotted acronym inside a sentence and at its end
        (
            "The U.S. military said it would respond. It did not say how.",
            ["The U.S. military said it would respond.", "It did not say how."],
        ),
        (
            "Aid was sent by the U.S. The shipment arrived on Monday.",
            ["Aid was sent by the U.S.", "The shipment arrived on Monday."],
        ),
        # "no." ends a sentence unless a number follows; "Jr." may end one
        (
            "The answer was no. The minister left No. 10 by car.",
            ["The answer was no.", "The minister left No. 10 by car."],
        ),
        (
            "A speech by Martin Luther King Jr. The crowd was silent.",
            ["A speech by Martin Luther King Jr.", "The crowd was silent."],
        ),
        # months before a number
        (
            "The talks began on Jan. 5 in Geneva. They ended a week later.",
            ["The talks began on Jan. 5 in Geneva.", "They ended a week later."],
        ),
        # initials
        (
            "The Lord of the Rings was written by J. R. R. Tolkien in England. It sold well.",
            ["The Lord of the Rings was written by J. R. R. Tolkien in England.", "It sold well."],
        ),
        (
            "President George W. Bush spoke first. Then others followed.",
            ["President George W. Bush spoke first.", "Then others followed."],
        ),
        # decimals
        (
            "Growth was 3.5 percent last year. Inflation was 2.1 percent.",
            ["Growth was 3.5 percent last year.", "Inflation was 2.1 percent."],
        ),
        # quotes and brackets after the full stop
        (
            'He said: "We will win." Then he left the stage.',
            ['He said: "We will win."', "Then he left the stage."],
        ),
        (
            "She wrote: “The war must end.” The letter was published.",
            ["She wrote: “The war must end.”", "The letter was published."],
        ),
        (
            "The plan was approved (by a narrow margin.) Critics objected.",
            ["The plan was approved (by a narrow margin.)", "Critics objected."],
        ),
        (
            "“Is it safe?” she asked the officer. He nodded.",
            ["“Is it safe?” she asked the officer.", "He nodded."],
        ),
        # ellipses: inside a sentence, and before a new one
        (
            "He paused... and then went on speaking. The crowd cheered.",
            ["He paused... and then went on speaking.", "The crowd cheered."],
        ),
        (
            "We waited… The train never came.",
            ["We waited…", "The train never came."],
        ),
        # Latin abbreviations
        (
            "Some fuels, e.g. coal, are dirtier. Others are cleaner.",
            ["Some fuels, e.g. coal, are dirtier.", "Others are cleaner."],
        ),
        # question and exclamation marks
        ("Why now? Nobody knows! The end.", ["Why now?", "Nobody knows!", "The end."]),
        # blank lines always end a sentence; a short unpunctuated line is a heading
        (
            "The Belarus factor\nMinsk has denied the claim. It says so often.\n\nNext paragraph here",
            ["The Belarus factor", "Minsk has denied the claim.", "It says so often.", "Next paragraph here"],
        ),
        # wrapped lines inside a sentence stay together
        (
            "This sentence is wrapped across\ntwo lines of text, like an e-mail would be. Done.",
            ["This sentence is wrapped across\ntwo lines of text, like an e-mail would be.", "Done."],
        ),
    ],
)
def test_cased_sentences(text, expected):
    assert split_sentences(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # the evaluation data is lower-cased: capitals cannot be relied upon
        (
            "mr. smith met gen. jones in the u.s. capital. the meeting was short.",
            ["mr. smith met gen. jones in the u.s. capital.", "the meeting was short."],
        ),
        (
            "aid was sent by the u.s. the shipment arrived on jan. 5 at noon.",
            ["aid was sent by the u.s.", "the shipment arrived on jan. 5 at noon."],
        ),
        (
            'the book is by j. r. r. tolkien. "it is great." he said it costs 3.5 dollars.',
            ["the book is by j. r. r. tolkien.", '"it is great."', "he said it costs 3.5 dollars."],
        ),
        ("prices rose. wages fell. (cnn) reported it.", ["prices rose.", "wages fell.", "(cnn) reported it."]),
    ],
)
def test_lower_cased_sentences(text, expected):
    assert split_sentences(text) == expected


def test_spans_are_trimmed_and_ordered():
    text = "  First one.   Second one.\n\n\n  Third one.  "
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == ["First one.", "Second one.", "Third one."]
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


def test_words():
    assert words("Ukraine’s 3.5% rise, don't re-elect U.S. forces!") == [
        "Ukraine’s", "3.5", "rise", "don't", "re-elect", "U.S", "forces",
    ]
    assert words("!!! ... ---") == []


def test_tokenizer_object_for_sumy():
    tok = Tokenizer()
    assert tok.to_sentences("One here. Two there.") == ("One here.", "Two there.")
    assert tok.to_words("Two there.") == ("Two", "there")


def test_empty_and_blank():
    assert split_sentences("") == []
    assert split_sentences(" \n\n \t ") == []


_alphabet = st.sampled_from(list("ab Z.?!\"'”)(\n…3") + ["Mr.", "U.S.", " e.g. ", "\n\n", "J. "])


@settings(max_examples=150, deadline=None)
@given(st.lists(_alphabet, max_size=60).map("".join))
def test_sentences_are_exact_ordered_substrings(text):
    spans = sentence_spans(text)
    pos = 0
    for s, e in spans:
        assert pos <= s < e <= len(text)
        piece = text[s:e]
        assert piece == piece.strip() and piece
        pos = e
    # nothing but white space is lost between sentences
    covered = "".join(text[s:e] for s, e in spans)
    assert covered == "".join(
        text[a:b] for a, b in spans
    ) and len("".join(covered.split())) == len("".join(text.split()))
