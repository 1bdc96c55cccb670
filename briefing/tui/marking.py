"""Where summary sentences and search matches stand in an article's paragraphs.

Pure functions over strings (no Textual): the reader turns the spans into styles.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


@dataclass
class Paragraph:
    """One paragraph of a body, its offset in the body and the spans to mark in it."""

    text: str
    start: int  # offset of the paragraph's first character in the body
    heading: bool = False
    summary_spans: list[tuple[int, int, int]] = field(default_factory=list)  # (start, end, sentence index)
    marks: list[int] = field(default_factory=list)  # indexes of the summary sentences starting here


def split_paragraphs(body: str, headings: Iterable[str] = ()) -> list[Paragraph]:
    """Paragraphs of ``body`` (separated by blank lines) with their body offsets."""
    heads = {h.strip() for h in headings}
    paragraphs: list[Paragraph] = []
    pos = 0
    for chunk in body.split("\n\n"):
        stripped = chunk.strip()
        if stripped:
            lead = len(chunk) - len(chunk.lstrip())
            paragraphs.append(Paragraph(stripped, pos + lead, heading=stripped in heads))
        pos += len(chunk) + 2
    return paragraphs


def locate_sentences(body: str, sentences: Sequence[str]) -> list[tuple[int, int] | None]:
    """(start, end) in ``body`` of each sentence, searched in document order.

    A sentence not found after the previous one is searched from the start; one not
    found at all gives ``None`` (it is still listed in the summary, just not marked).
    """
    found: list[tuple[int, int] | None] = []
    cursor = 0
    for sentence in sentences:
        needle = sentence.strip()
        if not needle:
            found.append(None)
            continue
        at = body.find(needle, cursor)
        if at == -1:
            at = body.find(needle)
        if at == -1:
            found.append(None)
            continue
        found.append((at, at + len(needle)))
        cursor = at + len(needle)
    return found


def mark_summary(paragraphs: list[Paragraph], spans: Sequence[tuple[int, int] | None]) -> None:
    """Attach each sentence span to the paragraphs it covers (a sentence may span two)."""
    for p in paragraphs:
        p.summary_spans.clear()
        p.marks.clear()
    for index, span in enumerate(spans):
        if span is None:
            continue
        start, end = span
        first = True
        for p in paragraphs:
            p_end = p.start + len(p.text)
            if p_end <= start or p.start >= end:
                continue
            p.summary_spans.append((max(start, p.start) - p.start, min(end, p_end) - p.start, index))
            if first:
                p.marks.append(index)
                first = False
