"""Words as the comparison of story versions sees them: tokens, folding, the key two
words must share to count as the same word, and whether a text is written in mixed case."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from briefing.stories.stopwords import FUNCTION_WORDS

# Numbers keep their separators ("1,000", "3.5"); words keep inner apostrophes, dots and
# hyphens ("Ukraine's", "U.S", "co-ordinated"); digits and letters split ("with450").
TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:['’\-.][^\W\d_]+)*")


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Lower case without diacritics."""
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@lru_cache(maxsize=65536)
def word_key(word: str) -> str:
    """What two words must share to count as the same word: folded, without a
    possessive, inner punctuation or a regular ending (``Ukraine's`` → ``ukraine``,
    ``co-ordinated`` → ``coordinat``, ``1,000`` → ``1000``)."""
    f = fold(word)
    if f[:1].isdigit():
        return f.replace(",", "")
    f = f.replace("’", "'")
    f = f.removesuffix("'s")
    f = f.replace("'", "").replace("-", "").replace(".", "")
    return _stem(f)


def _stem(w: str) -> str:
    if len(w) <= 4:
        return w
    if w.endswith("ing") and len(w) > 5:
        return w[:-3]
    if w.endswith("ied"):
        return w[:-3] + "y"
    if w.endswith("ed"):
        return w[:-2]
    if w.endswith("ies"):
        return w[:-3] + "y"
    if w.endswith("s") and not w.endswith("ss"):
        return w[:-1]
    return w


STOP_KEYS = frozenset(word_key(w) for w in FUNCTION_WORDS) | FUNCTION_WORDS


def is_cased(text: str) -> bool:
    sample = text[:20000]
    upper = sum(1 for c in sample if c.isupper())
    lower = sum(1 for c in sample if c.islower())
    return upper > 0 and lower > 0 and upper < lower
