"""The sentences of the versions being compared: each with its tokens, word keys,
content words and (computed on demand) its mentions."""

from __future__ import annotations

from typing import Protocol

from briefing.stories.mentions import OPENERS, Mention, find_dates, find_names, find_numbers
from briefing.stories.words import STOP_KEYS, TOKEN, fold, word_key


class Member(Protocol):
    """What :func:`~briefing.stories.compare.compare` needs of a version (an ``Article``)."""

    @property
    def id(self) -> str: ...

    @property
    def body(self) -> str: ...

    @property
    def headings(self) -> frozenset[str]: ...


class Sentence:
    """One sentence of member ``member``: its text and offset, tokens (at most
    ``max_words``; ``cut`` when there were more), word keys and content words."""

    __slots__ = ("member", "index", "text", "start", "tokens", "keys", "content", "mentions", "cut")

    def __init__(self, member: int, index: int, text: str, start: int, max_words: int) -> None:
        self.member = member
        self.index = index
        self.text = text
        self.start = start
        spans = [m.span() for m in TOKEN.finditer(text)]
        self.cut = len(spans) > max_words
        self.tokens = spans[:max_words]
        self.keys = [word_key(text[s:e]) for s, e in self.tokens]
        self.content = frozenset(k for k in self.keys if k not in STOP_KEYS)
        self.mentions: list[Mention] | None = None


def member_sentences(
    member: int, article: Member, notes: list[str], *, max_chars: int, max_sentences: int, max_words: int
) -> list[Sentence]:
    """The sentences of ``article`` (member ``member``), headings left out, within the
    bounds; a note in ``notes`` for each bound that cut the input."""
    from briefing.summarize.tokenize import sentence_spans

    body = article.body or ""
    if len(body) > max_chars:
        notes.append(f"compared the first {max_chars:,} characters of {article.id} (of {len(body):,})")
        body = body[:max_chars]
    headings = article.headings or frozenset()
    spans = [(s, e) for s, e in sentence_spans(body) if body[s:e] not in headings]
    if len(spans) > max_sentences:
        notes.append(f"compared the first {max_sentences:,} sentences of {article.id} (of {len(spans):,})")
        spans = spans[:max_sentences]
    return [Sentence(member, i, body[s:e], s, max_words) for i, (s, e) in enumerate(spans)]


def mentions_of(sent: Sentence, cased: bool, known_caps: frozenset[str], known_lower: frozenset[str]) -> list[Mention]:
    if sent.mentions is None:
        limit = sent.tokens[-1][1] if sent.tokens else 0
        text = sent.text[:limit]
        dates = find_dates(text, cased)
        spans = [(m.start, m.end) for m in dates]
        found = dates + find_numbers(text, spans)
        if cased:
            found += find_names(text, sent.tokens, known_caps, known_lower, spans)
        sent.mentions = found
    return sent.mentions


def case_evidence(sentences: list[Sentence]) -> tuple[frozenset[str], frozenset[str]]:
    """Words written capitalised inside a sentence, and words written in lower case."""
    caps: set[str] = set()
    lower: set[str] = set()
    for sent in sentences:
        text = sent.text
        prev_end = None
        for s, e in sent.tokens:
            w = text[s:e]
            if w[:1].islower():
                lower.add(fold(w))
            elif w[:1].isupper() and prev_end is not None and not any(c in OPENERS for c in text[prev_end:s]):
                caps.add(fold(w))
            prev_end = e
    return frozenset(caps), frozenset(lower)
