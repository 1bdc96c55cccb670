"""Words, sentences and paragraphs of an article's text, for the selection mode (V)
and for saving highlights. Pure functions over strings (no Textual).

Offsets are into the article's body (``Article.body``: paragraphs separated by blank
lines). A highlight's quote is the selected text with its whitespace made single
spaces (as the ``h`` key always kept it); it is found again in the body with any
whitespace between its words, and ``occurrence`` says which match it is when the
quote appears more than once (1 = the first).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

WORD = re.compile(r"\w+(?:['’\-]\w+)*")
# A sentence ends at . ! ? or … (closing quotes and brackets kept with it) followed by
# whitespace; a paragraph break ends one too.
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)|\n\s*\n")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def quote_of(text: str) -> str:
    """The quote kept for a selected passage: its words, single-spaced."""
    return " ".join(text.split())


def snap(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` widened to whole words (a selection ending in "…supplies. T"
    takes the whole "The") and narrowed to no leading or trailing whitespace.
    Punctuation selected stays; an empty or blank span gives ``(start, start)``."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    if end < start:
        start, end = end, start
    if start < end:
        for match in WORD.finditer(text, max(0, start - 200), min(len(text), end + 200)):
            if match.start() < start < match.end():
                start = match.start()
            if match.start() < end < match.end():
                end = match.end()
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def word_at(text: str, offset: int) -> tuple[int, int]:
    """The word holding ``offset`` (or starting there); ``(offset, offset + 1)`` on
    a space or a punctuation mark, ``(offset, offset)`` past the end."""
    if offset >= len(text):
        return len(text), len(text)
    for match in WORD.finditer(text, max(0, offset - 100), min(len(text), offset + 100)):
        if match.start() <= offset < match.end():
            return match.start(), match.end()
    return offset, offset + 1


def next_word(text: str, offset: int) -> int:
    """The start of the first word after ``offset`` (``offset`` when there is none)."""
    match = WORD.search(text, offset)
    while match is not None and match.start() <= offset:
        match = WORD.search(text, match.end())
    return match.start() if match is not None else offset


def previous_word(text: str, offset: int) -> int:
    """The start of the word before ``offset`` (of the word ``offset`` is inside)."""
    found = offset
    for match in WORD.finditer(text, max(0, offset - 400), offset):
        if match.start() < offset:
            found = match.start()
    if found == offset and offset > 400:  # a very long run without words: look further back
        for match in WORD.finditer(text, 0, offset):
            found = match.start()
    return found


def sentence_starts(text: str) -> list[int]:
    """Where each sentence of ``text`` starts (the first non-space character)."""
    starts: list[int] = []
    position = 0
    for match in _SENTENCE_END.finditer(text):
        _add_start(text, position, starts)
        position = match.end()
    _add_start(text, position, starts)
    return starts


def _add_start(text: str, position: int, starts: list[int]) -> None:
    while position < len(text) and text[position].isspace():
        position += 1
    if position < len(text) and (not starts or starts[-1] != position):
        starts.append(position)


def sentence_at(text: str, offset: int) -> tuple[int, int]:
    """The sentence holding ``offset`` as ``(start, end)``, its end trimmed of spaces."""
    starts = sentence_starts(text)
    start = 0
    following = len(text)
    for index, candidate in enumerate(starts):
        if candidate <= offset:
            start = candidate
            following = starts[index + 1] if index + 1 < len(starts) else len(text)
        else:
            break
    end = following
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def paragraph_starts(text: str) -> list[int]:
    """Where each paragraph (a block between blank lines) starts."""
    starts: list[int] = []
    position = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        _add_start(text, position, starts)
        position = match.end()
    _add_start(text, position, starts)
    return starts


def step_to(starts: Sequence[int], offset: int, step: int) -> int:
    """The next start after ``offset`` (step 1) or the previous one before it (step
    -1: the start of the block ``offset`` is inside, when it is not at that start);
    ``offset`` when there is none that way."""
    if step > 0:
        return next((s for s in starts if s > offset), offset)
    return next((s for s in reversed(starts) if s < offset), offset)


def _pattern(quote: str) -> re.Pattern[str] | None:
    words = quote.split()
    if not words:
        return None
    return re.compile(r"\s+".join(re.escape(w) for w in words))


def find_quote(body: str, quote: str, occurrence: int = 1) -> tuple[int, int] | None:
    """Where highlight ``quote`` stands in ``body`` (any whitespace between its
    words): its ``occurrence``-th match, or None when the text no longer holds it
    that many times (the article changed: the highlight is kept and listed as not found)."""
    pattern = _pattern(quote)
    if pattern is None or occurrence < 1:
        return None
    for count, match in enumerate(pattern.finditer(body), 1):
        if count == occurrence:
            return match.start(), match.end()
    return None


def occurrence_at(body: str, quote: str, start: int) -> int:
    """Which match of ``quote`` in ``body`` the one at ``start`` is (1 = the first);
    the match nearest ``start`` when none starts exactly there; 1 when none at all."""
    pattern = _pattern(quote)
    if pattern is None:
        return 1
    best, distance = 1, None
    for count, match in enumerate(pattern.finditer(body), 1):
        gap = abs(match.start() - start)
        if distance is None or gap < distance:
            best, distance = count, gap
        if match.start() >= start:
            break
    return best


@dataclass(frozen=True)
class Passage:
    """A passage chosen in the text: the quote to keep and which match of it it is."""

    quote: str
    occurrence: int
    start: int
    end: int


def passage(body: str, start: int, end: int) -> Passage | None:
    """The passage ``body[start:end]`` snapped to word edges (None when blank)."""
    start, end = snap(body, start, end)
    quote = quote_of(body[start:end])
    if not quote:
        return None
    return Passage(quote, occurrence_at(body, quote, start), start, end)
