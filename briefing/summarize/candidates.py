"""The sentences a summary may be made of.

Every method ranks the same candidates: the sentences of the text minus section
headings, very short fragments (a date marker, a byline, "Share this"), text
without letters, and near-copies of an earlier sentence.
"""

from __future__ import annotations

import math
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


_UNSPACED = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def word_count(sentence: str, tokens: tuple[str, ...]) -> int:
    """Words in a sentence; in scripts written without spaces (Chinese, Japanese, Thai),
    about one word per two characters."""
    if _UNSPACED.search(sentence):
        unspaced = len(_UNSPACED.findall(sentence))
        return unspaced // 2 + sum(1 for t in tokens if not _UNSPACED.search(t))
    return len(tokens)


def _is_fragment(sentence: str, tokens: tuple[str, ...]) -> bool:
    if len(tokens) < MIN_WORDS and word_count(sentence, tokens) < MIN_WORDS:
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
    rows: list[tuple[int, int, int, str, tuple[str, ...]]] = []
    for i, (s, e) in enumerate(spans):
        sentence = text[s:e]
        if heads and (_normal(sentence) in heads or any(hs <= s and e <= he for hs, he in heading_ranges)):
            continue
        tokens = tuple(w.lower() for w in words(sentence))
        if _is_fragment(sentence, tokens):
            continue
        rows.append((i, s, e, sentence, tokens))
    keep = _drop_near_copies([frozenset(r[4]) for r in rows])
    out = [Candidate(*rows[k]) for k in keep]
    return Document(text, tuple(spans), tuple(out))


def _drop_near_copies(bags: list[frozenset[str]]) -> list[int]:
    """Positions of the bags to keep: each that is not a near-copy of an earlier kept one.

    Two sentences are near-copies when the shared words make up at least NEAR_COPY of
    the smaller one's words. Prefix filtering keeps this close to linear: words are
    ordered rarest first (within the text); if the overlap reaches NEAR_COPY of the
    smaller bag, that bag's ``len - ceil(NEAR_COPY * len) + 1`` rarest words cannot all
    be missing from the other bag.
    """
    df: dict[str, int] = {}
    for bag in bags:
        for t in bag:
            df[t] = df.get(t, 0) + 1
    all_index: dict[str, list[int]] = {}  # word -> kept bags holding it
    prefix_index: dict[str, list[int]] = {}  # word -> kept bags with it among their rarest
    keep: list[int] = []
    for k, bag in enumerate(bags):
        n = len(bag)
        if n == 0:
            keep.append(k)
            continue
        ordered = sorted(bag, key=lambda t: (df[t], t))
        prefix = ordered[: n - math.ceil(NEAR_COPY * n) + 1]
        probe: set[int] = set()
        for t in prefix:
            probe.update(all_index.get(t, ()))
        for t in bag:
            probe.update(prefix_index.get(t, ()))
        if any(len(bag & bags[j]) >= NEAR_COPY * min(n, len(bags[j])) for j in probe):
            continue
        keep.append(k)
        for t in bag:
            all_index.setdefault(t, []).append(k)
        for t in prefix:
            prefix_index.setdefault(t, []).append(k)
    return keep
