"""Extractive summaries, offline.

    >>> from briefing.summarize import summarize
    >>> summarize(article.body, 3, headings=article.headings)

Every method returns sentences exactly as they stand in the text, in document order,
never a section heading, a fragment (date marker, byline, furniture) or a near-copy
of a sentence already chosen. ``summarize_detail`` also says which method ran and,
in plain words, whether the input was bounded or the method fell back.

sumy and numpy are imported only when a summary is computed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from briefing.summarize.registry import METHODS
from briefing.summarize.tokenize import split_sentences

if TYPE_CHECKING:
    from briefing.summarize.candidates import Document
    from briefing.summarize.registry import Method

__all__ = ["METHODS", "MAX_SENTENCES", "Summary", "summarize", "summarize_detail", "split_sentences"]

MAX_SENTENCES = 10
DEFAULT_METHOD = "default"
# Ranking more words than this takes seconds in sumy's methods (and memory in ours):
# a bounded method ranks the first sentences up to this many words.
WORD_CAP = 20_000
AUTO = "auto"  # summarize's ``lang``: detect the language from the text


@dataclass(frozen=True, slots=True)
class Summary:
    """A summary: the chosen sentences and how they were chosen."""

    sentences: list[str]
    method: str  # the method that actually produced the sentences
    requested: str  # the method asked for
    note: str | None = None  # plain words: bounded input, fallback, nothing to summarize


def summarize(
    text: str,
    sentences: int = 3,
    method: str = DEFAULT_METHOD,
    *,
    headings: Iterable[str] = (),
    lang: str | None = AUTO,
) -> list[str]:
    """The ``sentences`` best sentences of ``text`` by ``method``, in document order.

    Each returned string is exactly a substring of ``text``. ``headings`` are paragraphs
    of the text that are section headings; they are never chosen.
    """
    return summarize_detail(text, sentences, method, headings=headings, lang=lang).sentences


def _fmt(n: int) -> str:
    return f"{n:,}"


def summarize_detail(
    text: str,
    sentences: int = 3,
    method: str = DEFAULT_METHOD,
    *,
    headings: Iterable[str] = (),
    lang: str | None = AUTO,
) -> Summary:
    """Like :func:`summarize`, with the method used and a note about bounds and fallbacks.

    ``lang``: the text's language (ISO 639-1; an analyst's override), whose
    stopwords and stems rank the sentences (:data:`briefing.lang.SUPPORTED`); by
    default it is detected from the text (the same text always gets the same
    summary). A language without support (or unknown) is ranked as English text
    is: by position and centrality over its words, never an error."""
    from briefing.summarize import registry
    from briefing.summarize.candidates import Document, prepare

    chosen_method = registry.get(method)  # ValueError with the list of methods
    if not isinstance(sentences, int) or isinstance(sentences, bool):
        raise TypeError("sentences must be an int")
    count = max(1, min(MAX_SENTENCES, sentences))
    if not isinstance(text, str):
        raise TypeError("text must be a str")

    if lang == AUTO:
        from briefing.lang.detect import detect

        lang = detect(text)
    doc = replace(prepare(text, headings, limit=_scan_limit(chosen_method, count)), lang=lang)
    cands = doc.candidates
    note: str | None
    if not cands:
        if not text.strip():
            note = "the text is empty"
        elif not any(ch.isalpha() for ch in text):
            note = "nothing to summarize: the text has no words"
        else:
            note = "nothing to summarize: no sentence with enough words"
        return Summary([], method, method, note)
    if len(cands) <= count:
        note = None
        if len(cands) < count:
            note = f"the text has only {len(cands)} sentence{'s' if len(cands) != 1 else ''} to choose from"
        return Summary([c.text for c in cands], method, method, note)

    notes: list[str] = []
    limit = chosen_method.cap
    if limit is not None:
        # bound by sentences, then by words (a few huge sentences are as slow as many)
        total = 0
        cut = 0
        for c in cands[:limit]:
            total += len(c.tokens)
            if total > WORD_CAP and cut >= count:
                break
            cut += 1
        if cut < len(cands) or not doc.complete:
            # the whole text was not examined: count all its sentences
            of = doc.eligible if doc.complete else len(doc.spans)
            notes.append(f"{chosen_method.label} on the first {_fmt(cut)} of {_fmt(of)} sentences")
            doc = Document(doc.text, doc.spans, cands[:cut], doc.eligible, False, lang)
    used = method
    try:
        picks = _run(chosen_method, doc, count)
    except Exception as exc:  # a third-party method failing must not break the reader
        fallback = registry.get("lead" if method == DEFAULT_METHOD else DEFAULT_METHOD)
        notes = [f"{chosen_method.label} failed ({type(exc).__name__}); used {fallback.label} instead"]
        doc = replace(prepare(text, headings, limit=_scan_limit(fallback, count)), lang=lang)
        try:
            picks = _run(fallback, doc, count)
        except Exception:  # pragma: no cover - the lead method cannot fail
            picks = list(range(count))
        used = fallback.name
    picks = sorted(set(p for p in picks if 0 <= p < len(doc.candidates)))[:count]
    if len(picks) < count:
        # a method may return fewer sentences than asked (e.g. LSA on a low-rank text)
        missing = count - len(picks)
        extra = [i for i in range(len(doc.candidates)) if i not in picks][:missing]
        if extra:
            notes.append(f"{registry.get(used).label} chose {len(picks)}; the first sentences fill the rest")
            picks = sorted(picks + extra)
    return Summary([doc.candidates[p].text for p in picks], used, method, "; ".join(notes) or None)


def _scan_limit(method: Method, count: int) -> int | None:
    """How many candidates ``prepare`` needs to find for ``method``."""
    if method.cap is not None:
        return method.cap
    return count if method.name == "lead" else None


def _run(method: Method, doc: Document, count: int) -> list[int]:
    if method.name in ("lead",):
        return method.rank(doc, count)
    import numpy as np

    # a division by zero or an invalid value means NaN ratings: fall back instead
    # (underflow of tiny probabilities is harmless and stays silent)
    with np.errstate(divide="raise", invalid="raise", over="raise", under="ignore"):
        return method.rank(doc, count)
