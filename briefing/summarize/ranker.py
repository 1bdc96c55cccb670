"""Our ranker for the ``default`` method (provisional: lead order)."""

from __future__ import annotations

from briefing.summarize.candidates import Document


def rank(doc: Document, count: int) -> list[int]:
    return list(range(min(count, len(doc.candidates))))
