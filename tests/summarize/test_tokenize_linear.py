"""The sentence splitter does work proportional to the text, whatever its shape.

Abbreviation-dense text (``A b. A b. ...``, a list of names ``J. Smith, K. Jones``)
holds many full stops that end no sentence, so the current sentence start stays put
while the splitter moves on. Looking at the word before each stop by searching from
the sentence start made the splitter quadratic (80 KB took 12-15 s). The work is
counted, not timed: every regular expression of the module is wrapped to add up the
characters it may look at, and the backwards scan for the word before a stop adds
the characters it steps over.
"""

from __future__ import annotations

import re
from itertools import pairwise

import pytest

from briefing.summarize import tokenize


class _CountingPattern:
    """A compiled pattern that adds to ``counter[0]`` the characters each call may examine."""

    def __init__(self, pattern: re.Pattern, counter: list[int]) -> None:
        self._pattern = pattern
        self._counter = counter

    def _span(self, string: str, pos: int = 0, endpos: int | None = None) -> None:
        end = len(string) if endpos is None else min(endpos, len(string))
        self._counter[0] += max(end - pos, 0) + 1

    def search(self, string, pos=0, endpos=None):
        self._span(string, pos, endpos)
        return self._pattern.search(string, pos, len(string) if endpos is None else endpos)

    def finditer(self, string, pos=0, endpos=None):
        self._span(string, pos, endpos)
        return self._pattern.finditer(string, pos, len(string) if endpos is None else endpos)

    def findall(self, string, pos=0, endpos=None):
        self._span(string, pos, endpos)
        return self._pattern.findall(string, pos, len(string) if endpos is None else endpos)

    def match(self, string, pos=0, endpos=None):
        # An anchored match looks at what it consumes (and the character that stops it).
        m = self._pattern.match(string, pos, len(string) if endpos is None else endpos)
        self._counter[0] += (m.end() - pos if m else 0) + 1
        return m

    def __getattr__(self, name):
        return getattr(self._pattern, name)


def _count_work(monkeypatch, text: str) -> tuple[int, list]:
    counter = [0]
    for name, value in list(vars(tokenize).items()):
        if isinstance(value, re.Pattern):
            monkeypatch.setattr(tokenize, name, _CountingPattern(value, counter))
    scan = getattr(tokenize, "_word_before", None)
    if scan is not None:
        def counted(text: str, start: int, stop: int):
            found = scan(text, start, stop)
            counter[0] += (stop - found[0] if found else 1) + 1
            return found

        monkeypatch.setattr(tokenize, "_word_before", counted)
    spans = tokenize.sentence_spans(text)
    monkeypatch.undo()
    return counter[0], spans


def _names(n: int) -> str:
    first = "ABCDEFGHJKLMNPRSTW"
    last = ["Smith", "Jones", "Brown", "Kowalski", "Nguyen", "Okafor", "Silva", "Novak"]
    return ", ".join(f"{first[i % len(first)]}. {last[i % len(last)]}" for i in range(n)) + "."


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda k: "A b. " * k, id="A b. repeated"),
        pytest.param(_names, id="list of names with initials"),
        pytest.param(lambda k: "The U.S. and the U.K. met Mr. Li. " * (k // 4), id="dotted acronyms and titles"),
    ],
)
def test_splitter_work_grows_linearly_on_abbreviation_dense_text(monkeypatch, make):
    small, large = make(1000), make(4000)
    work_small, _ = _count_work(monkeypatch, small)
    work_large, spans = _count_work(monkeypatch, large)
    # Linear: a bounded number of characters looked at per character of text, and four
    # times the text costs about four times the work (a quadratic splitter: 16 times).
    assert work_large <= 30 * len(large), (work_large, len(large))
    assert work_large <= 5 * work_small, (work_small, work_large)
    # ... and the text is still split into sentences that cover it, in order.
    assert spans and spans[0][0] == 0 and spans[-1][1] == len(large.rstrip())
    assert all(a[1] <= b[0] for a, b in pairwise(spans))


def test_word_before_a_stop_is_found_as_before():
    # The abbreviation rules look at the word before the stop: same decisions as ever.
    assert tokenize.split_sentences("Ask J. Smith about it. Then leave.") == [
        "Ask J. Smith about it.", "Then leave."]
    assert tokenize.split_sentences("He met Gen. Milley. They talked.") == ["He met Gen. Milley.", "They talked."]
    assert tokenize.split_sentences("It ended at 5 p.m. The next day began.") == [
        "It ended at 5 p.m.", "The next day began."]
    assert tokenize.split_sentences("(Mr. Li) spoke. Then (e.g. here) more.") == [
        "(Mr. Li) spoke.", "Then (e.g. here) more."]
