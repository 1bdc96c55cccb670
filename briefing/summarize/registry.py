"""Method name → ranking function.

A ranking function takes the prepared candidates and a count and returns the
positions (into ``doc.candidates``) of the chosen sentences. sumy's methods run
through our tokenizer, with sumy's own stemmer (NLTK's Snowball code, which needs
no data files) and sumy's English stop words (shipped inside the sumy package).
sumy and numpy are imported only when a method runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from briefing.summarize.candidates import Document
from briefing.summarize.ranker import WINDOW

Ranker = Callable[[Document, int], list[int]]


@dataclass(frozen=True, slots=True)
class Method:
    name: str
    label: str  # human name, for notes and help
    rank: Ranker
    cap: int | None  # at most this many candidate sentences (and WORD_CAP words) are ranked


def _lead(doc: Document, count: int) -> list[int]:
    return list(range(min(count, len(doc.candidates))))


def _default(doc: Document, count: int) -> list[int]:
    from briefing.summarize.ranker import rank

    return rank(doc, count)


# --- sumy ---------------------------------------------------------------------------

# Edmundson's cue method: words that mark important sentences (bonus), unimportant
# ones (stigma), and words that carry no cue either way (null). News-oriented.
BONUS_WORDS = (
    "announced said says confirmed according report reported officials government president "
    "minister police killed died dead injured arrested charged court ruled decision agreed "
    "deal vote election war attack crisis first new major million billion percent found "
    "revealed warned urged plans launched ordered"
).split()
STIGMA_WORDS = (
    "click subscribe share follow photo photos video caption advertisement copyright "
    "newsletter comments comment related read also perhaps maybe hardly meanwhile anyway "
    "incidentally lol email"
).split()


def _other_language(lang: str | None) -> str | None:
    """``lang`` when it is a supported language other than English (else None: the
    English stemmer and stop words, as for any text before issue 19)."""
    from briefing.lang.stopwords import SUPPORTED

    return lang if lang is not None and lang != "en" and lang in SUPPORTED else None


@lru_cache(maxsize=16)
def _stemmer(lang: str | None = None) -> Callable[[str], str]:
    other = _other_language(lang)
    if other is not None:
        from briefing.lang.stem import stemmer

        found = stemmer(other)
        if found is not None:
            return lambda word: found(word.lower())
    from sumy.nlp.stemmers import Stemmer

    stem: Callable[[str], str] = Stemmer("english")
    return stem


@lru_cache(maxsize=16)
def _stop_words(lang: str | None = None) -> frozenset[str]:
    other = _other_language(lang)
    if other is not None:
        from briefing.lang.stopwords import stopwords

        return stopwords(other)
    from sumy.utils import get_stop_words

    return frozenset(get_stop_words("english"))


def _sumy_summarizer(name: str, lang: str | None = None) -> Any:
    stemmer = _stemmer(lang)
    if name == "lexrank":
        from sumy.summarizers.lex_rank import LexRankSummarizer as cls
    elif name == "lsa":
        from sumy.summarizers.lsa import LsaSummarizer as cls
    elif name == "textrank":
        from sumy.summarizers.text_rank import TextRankSummarizer as cls
    elif name == "luhn":
        from sumy.summarizers.luhn import LuhnSummarizer as cls
    elif name == "kl":
        from sumy.summarizers.kl import KLSummarizer as cls
    elif name == "sumbasic":
        from sumy.summarizers.sum_basic import SumBasicSummarizer as cls
    elif name == "reduction":
        from sumy.summarizers.reduction import ReductionSummarizer as cls
    elif name == "edmundson":
        from sumy.summarizers.edmundson import EdmundsonSummarizer

        s = EdmundsonSummarizer(stemmer)
        s.bonus_words = BONUS_WORDS
        s.stigma_words = STIGMA_WORDS
        s.null_words = sorted(_stop_words(lang))
        return s
    else:  # pragma: no cover - guarded by METHODS
        raise KeyError(name)
    s = cls(stemmer)
    s.stop_words = _stop_words(lang)
    return s


def _sumy(name: str) -> Ranker:
    def rank(doc: Document, count: int) -> list[int]:
        from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence

        from briefing.summarize.tokenize import tokenizer

        tok = tokenizer()
        objects = [Sentence(c.text, tok) for c in doc.candidates]
        where = {id(o): i for i, o in enumerate(objects)}
        model = ObjectDocumentModel([Paragraph(objects)])
        chosen = _sumy_summarizer(name, doc.lang)(model, count)
        return sorted(where[id(s)] for s in chosen if id(s) in where)

    return rank


_METHODS = (
    Method("default", "Default", _default, WINDOW),
    Method("lead", "Lead", _lead, None),
    Method("lexrank", "LexRank", _sumy("lexrank"), 300),
    Method("lsa", "LSA", _sumy("lsa"), 400),
    Method("textrank", "TextRank", _sumy("textrank"), 300),
    Method("luhn", "Luhn", _sumy("luhn"), 600),
    Method("edmundson", "Edmundson", _sumy("edmundson"), 600),
    Method("kl", "KL-Sum", _sumy("kl"), 120),
    Method("sumbasic", "SumBasic", _sumy("sumbasic"), 300),
    Method("reduction", "Reduction", _sumy("reduction"), 300),
)

REGISTRY: dict[str, Method] = {m.name: m for m in _METHODS}
METHODS: tuple[str, ...] = tuple(m.name for m in _METHODS)


def get(name: str) -> Method:
    try:
        return REGISTRY[name]
    except KeyError:
        raise ValueError(f"unknown summary method {name!r}; choose one of: {', '.join(METHODS)}") from None
