"""The sentences a summary may be made of.

Every method ranks the same candidates: the sentences of the text minus section
headings, very short fragments (a date marker, a byline, "Share this"), text
without letters, and near-copies of an earlier sentence.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain

from briefing.summarize.tokenize import paragraph_spans, sentence_spans, words

MIN_WORDS = 4  # fewer words than this is a fragment, not a summary sentence
NEAR_COPY = 0.8  # token-set overlap (of the shorter sentence) that makes a near-copy

_BYLINE = re.compile(r"^\s*(?:by|written by|reporting by|from)\s+[\w.'’\- ]{2,60}$", re.IGNORECASE)
_FURNITURE = re.compile(
    r"^\s*(?:previous article|next article|share this|read more|related:|advertisement|"
    r"sign up|subscribe|click here|scroll down|follow us|copyright|all rights reserved)",
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
    eligible: int = 0  # sentences found that are neither headings nor fragments
    complete: bool = True  # False when ``prepare`` stopped at its limit before the end of the text
    lang: str | None = None  # the text's language (ISO 639-1): its stopwords and stems rank the sentences


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


def prepare(text: str, headings: Iterable[str] = (), limit: int | None = None) -> Document:
    """Split ``text`` into sentences and keep those a summary may use.

    With ``limit``, stop after that many candidates (the rest of the text is not
    searched for near-copies); ``Document.eligible`` still counts every sentence that
    is not a heading or a fragment.
    """
    heads = {_normal(h) for h in headings if h and h.strip()}
    spans = sentence_spans(text)
    heading_ranges: list[tuple[int, int]] = []
    if heads:
        for s, e in paragraph_spans(text):
            if _normal(text[s:e]) in heads:
                heading_ranges.append((s, e))
    rows: list[tuple[int, int, int, str, tuple[str, ...]]] = []
    # With a limit, only the start of a long text is examined: twice the limit in
    # eligible sentences is plenty unless half of them are near-copies (then go on).
    enough = None if limit is None else 2 * limit
    scanned = 0
    keep: list[int] = []
    while True:
        for i in range(scanned, len(spans)):
            s, e = spans[i]
            scanned = i + 1
            sentence = text[s:e]
            if heads and (_normal(sentence) in heads or any(hs <= s and e <= he for hs, he in heading_ranges)):
                continue
            tokens = tuple(words(sentence.lower()))
            if _is_fragment(sentence, tokens):
                continue
            rows.append((i, s, e, sentence, tokens))
            if enough is not None and len(rows) >= enough:
                break
        keep = _drop_near_copies([frozenset(r[4]) for r in rows], limit)
        if limit is None or len(keep) >= limit or scanned >= len(spans):
            break
        enough = None  # too many near-copies: examine the whole text
    out = [Candidate(*rows[k]) for k in keep]
    # stopped at the limit with sentences left unexamined?
    complete = not (limit is not None and len(keep) >= limit and (keep[-1] < len(rows) - 1 or scanned < len(spans)))
    return Document(text, tuple(spans), tuple(out), len(rows), complete)


def _drop_near_copies(bags: list[frozenset[str]], limit: int | None = None) -> list[int]:
    """Positions of the bags to keep: each that is not a near-copy of an earlier kept one
    (at most ``limit`` of them).

    Two sentences are near-copies when the shared words make up at least NEAR_COPY of
    the smaller one's words. Prefix filtering keeps this close to linear: if the
    overlap reaches NEAR_COPY of the smaller bag, any ``len - ceil(NEAR_COPY * len) + 1``
    of that bag's words include one of the other bag; taking the rarest ones (within
    the text) keeps the lists to probe short. Words found in one sentence only are
    never shared, so they are neither indexed nor probed.
    """
    df = Counter(chain.from_iterable(bags))
    all_index: dict[str, list[int]] = {}  # word -> kept bags holding it
    prefix_index: dict[str, list[int]] = {}  # word -> kept bags with it among their rarest
    keep: list[int] = []
    for k, bag in enumerate(bags):
        if limit is not None and len(keep) >= limit:
            break
        n = len(bag)
        shared = [t for t in bag if df[t] > 1]
        if not shared:
            keep.append(k)
            continue
        shared.sort(key=df.__getitem__)
        # words with df == 1 are the rarest of all: they come first in the prefix
        size = n - math.ceil(NEAR_COPY * n) + 1 - (n - len(shared))
        prefix = shared[: max(0, size)]
        probe: set[int] = set()
        for t in prefix:
            hit = all_index.get(t)
            if hit:
                probe.update(hit)
        for t in shared:
            hit = prefix_index.get(t)
            if hit:
                probe.update(hit)
        if probe and any(len(bag & bags[j]) >= NEAR_COPY * min(n, len(bags[j])) for j in probe):
            continue
        keep.append(k)
        for t in shared:
            all_index.setdefault(t, []).append(k)
        for t in prefix:
            prefix_index.setdefault(t, []).append(k)
    return keep
