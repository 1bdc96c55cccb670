"""Languages: which one an article is in (offline detection), and the per-language
word tools the summaries, search, keywords and stories use (stems, stopwords).

Plain Python: never imports Textual. ::

    detect(text) -> "uk" | "de" | ... | None       # None: unsure (too short, or mixed)
    check_code(value) -> "uk"                       # an analyst's code, checked (ValueError)
    stem(word, lang) -> str;  stemmer(lang) -> callable | None
    search_stem(folded_token, lang) -> str | None   # the prefix a search also accepts
    stopwords(lang) -> frozenset[str]               # lower case; empty when none
    NAMES: code -> English name of the languages we name
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from briefing.lang.detect import CODE, check_code, detect
from briefing.lang.stem import SEARCH_STEMMED, search_stem, stem, stemmer
from briefing.lang.stopwords import SUPPORTED, stopwords

NAMES = {
    "en": "English", "ru": "Russian", "uk": "Ukrainian", "de": "German", "fr": "French", "es": "Spanish",
    "pl": "Polish", "it": "Italian", "pt": "Portuguese", "und": "undetermined",
}


def name(code: str | None) -> str:
    """A display name for ``code`` ("Ukrainian (uk)"; "unknown" for None)."""
    if not code:
        return "unknown"
    full = NAMES.get(code)
    return f"{full} ({code})" if full else code


def mark(code: str | None) -> str:
    """The compact mark of a list row or header: the code (``uk``) of an article not
    in English; blank for English (most of a corpus, left unmarked) and unknown."""
    return code if code and code != "en" else ""


def in_language(metas: Iterable[Any], code: str) -> list[Any]:
    """The metas (effective: the analyst's language applied) in language ``code``;
    ``und`` picks those whose language is unknown."""
    return [m for m in metas if (m.lang or "und") == code]


__all__ = ["in_language", "mark", "CODE", "NAMES", "SEARCH_STEMMED", "SUPPORTED", "check_code", "detect", "name", "search_stem",
           "stem", "stemmer", "stopwords"]
