"""A light Ukrainian stemmer: strips one inflectional ending, keeping at least
three letters of stem. Snowball has no Ukrainian algorithm; this covers the noun,
adjective and verb endings of news text well enough that a search for ``удар``
finds ``удари``, ``ударів`` and ``ударами`` (it is not a morphological analyser:
alternations such as ``і``/``о`` in ``ніч``/``ночі`` are not undone)."""

from __future__ import annotations

from functools import lru_cache

# Longest first, so "ами" is tried before "и".
_ENDINGS = tuple(sorted(set(
    """
    ями ами ові еві ові ого ому ими іми их іх ій ий ої ою ею єю ах ях ам ям ом ем ів їв ей
    ує ють ать ять ити ати іти увати ювати ував ували увала ування ання ення іння
    ться тись лися ися вся ся сь
    ий ій а я о е є у ю і ї и ь
    """.split()), key=len, reverse=True))
_MIN_STEM = 3
_VOWELS = frozenset("аеєиіїоуюяь")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The stem of a lower-case Ukrainian word (the word itself when nothing fits)."""
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM:
            rest = word[: len(word) - len(ending)]
            if any(c not in _VOWELS for c in rest):
                return rest
    return word
