"""The sentences a summary may be made of.

Every method ranks the same candidates: the sentences of the text minus section
headings, very short fragments (a date marker, a byline, "Share this"), text
without letters, and near-copies of an earlier sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from briefing.summarize.tokenize import paragraph_spans, sentence_spans, words

MIN_WORDS = 4  # fewer words than this is a fragment, not a summary sentence
NEAR_COPY = 0.8  # token-set overlap (of the shorter sentence) that makes a near-copy

_BYLINE = re.compile(r"^\s*(?:by|written by|reporting by|from)\s+[\w.'’\- ]{2,60}$", re.IGNORECASE)
_FURNITURE = re.compile(
    r"^\s*(?:previous article|next article|share this|read more|related:|advertisement|"
    r"sign up|subscribe|click here|follow us|copyright|all rights reserved)",
    re.IGNORECASE,
)
_DATE_MARKER = re.compile(r"^\s*(?:date|published|updated)\s*:?\s*\d", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Candidate:
    index: int  # position among all sentences of the text
    start: int
    end: int
    text: str
    tokens: tuple[str, ...]  # lower-cased words


@dataclass(frozen=True, slots=True)
class Document:
    text: str
    spans: tuple[tuple[int, int], ...]  # every sentence of the text
    candidates: tuple[Candidate, ...]


def _normal(heading: str) -> str:
    return " ".join(heading.split()).casefold()


def _is_fragment(sentence: str, tokens: tuple[str, ...]) -> bool:
    if len(tokens) < MIN_WORDS:
        return True
    if not any(c.isalpha() for c in sentence):
        return True
    if _BYLINE.match(sentence) or _FURNITURE.match(sentence) or _DATE_MARKER.match(sentence):
        return True
    return False


def prepare(text: str, headings: Iterable[str] = ()) -> Document:
    """Split ``text`` into sentences and keep those a summary may use."""
    heads = {_normal(h) for h in headings if h and h.strip()}
    spans = sentence_spans(text)
    heading_ranges: list[tuple[int, int]] = []
    if heads:
        for s, e in paragraph_spans(text):
            if _normal(text[s:e]) in heads:
                heading_ranges.append((s, e))
    seen: list[frozenset[str]] = []
    exact: set[tuple[str, ...]] = set()
    out: list[Candidate] = []
    for i, (s, e) in enumerate(spans):
        sentence = text[s:e]
        if heads and (_normal(sentence) in heads or any(hs <= s and e <= he for hs, he in heading_ranges)):
            continue
        tokens = tuple(w.lower() for w in words(sentence))
        if _is_fragment(sentence, tokens):
            continue
        if tokens in exact:
            continue
        bag = frozenset(tokens)
        if _near_copy(bag, seen):
            continue
        exact.add(tokens)
        seen.append(bag)
        out.append(Candidate(i, s, e, sentence, tokens))
    return Document(text, tuple(spans), tuple(out))


def _near_copy(bag: frozenset[str], seen: list[frozenset[str]]) -> bool:
    n = len(bag)
    if n == 0:
        return False
    for other in seen:
        m = len(other)
        small = min(n, m)
        if small == 0 or small * 1.0 < NEAR_COPY * max(n, m) * 0.5:
            continue  # sizes too different for the shorter to be mostly inside the longer
        if len(bag & other) >= NEAR_COPY * small:
            return True
    return False
