"""Stems per language: Snowball's (PyStemmer, C) where Snowball has the language,
our light Ukrainian stemmer otherwise; None for a language with neither (Thai,
Chinese, Arabic script outside Snowball's list...), which callers treat as "compare
whole words"."""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import lru_cache

from briefing.lang import ukrainian

# ISO 639-1 -> Snowball algorithm name.
SNOWBALL = {
    "en": "english", "ru": "russian", "de": "german", "fr": "french", "es": "spanish", "pl": "polish",
    "it": "italian", "pt": "portuguese", "nl": "dutch", "sv": "swedish", "da": "danish", "no": "norwegian",
    "fi": "finnish", "hu": "hungarian", "ro": "romanian", "tr": "turkish", "cs": "czech", "el": "greek",
    "ca": "catalan", "lt": "lithuanian", "et": "estonian", "ar": "arabic",
}
# The languages the reader summarises and searches with stems (issue 19 names them;
# English keeps its exact-word search, as before).
SEARCH_STEMMED = ("ru", "uk", "de", "fr", "es", "pl", "it", "pt")
MIN_SEARCH_STEM = 4  # a shorter stem would find too many unrelated words

_local = threading.local()  # a PyStemmer object is not safe to share between threads


def _snowball(algorithm: str) -> Callable[[str], str]:
    def run(word: str) -> str:
        cache = getattr(_local, "stemmers", None)
        if cache is None:
            cache = _local.stemmers = {}
        found = cache.get(algorithm)
        if found is None:
            import Stemmer

            found = cache[algorithm] = Stemmer.Stemmer(algorithm, 0)
        return str(found.stemWord(word))
    return run


@lru_cache(maxsize=64)
def stemmer(lang: str | None) -> Callable[[str], str] | None:
    """A function from a lower-case word to its stem in ``lang``, or None when the
    language has no stemmer here."""
    if lang == "uk":
        return ukrainian.stem
    algorithm = SNOWBALL.get(lang or "")
    return _snowball(algorithm) if algorithm else None


def stem(word: str, lang: str | None) -> str:
    """``word`` (lower-cased) stemmed in ``lang``; the lower-cased word when ``lang``
    has no stemmer."""
    run = stemmer(lang)
    low = word.lower()
    return run(low) if run is not None else low


def search_stem(token: str, lang: str | None) -> str | None:
    """The prefix a search for ``token`` (a folded query token) also accepts in an
    article in ``lang``: its stem, when ``lang`` is one of :data:`SEARCH_STEMMED`
    and the stem keeps at least :data:`MIN_SEARCH_STEM` letters; None otherwise
    (the token then matches whole words only)."""
    if lang not in SEARCH_STEMMED or not token.isalpha():
        return None
    found = stem(token, lang)
    if len(found) < MIN_SEARCH_STEM or not token.startswith(found):
        return None
    return found
