"""Which language an article is written in, offline.

The model is py3langid's (a naive Bayes over byte n-grams, 97 languages), shipped
inside its wheel: nothing is downloaded. It is loaded once per process, on the
first call (about 0.3 s), and a call costs about a millisecond on the
:data:`SAMPLE` characters it looks at (measured by ``bench/languages.py``). Plain
ASCII text full of English function words is English without the model.

The answer is an ISO 639-1 code (``"uk"``, ``"de"``) or None when unsure: too few
letters to judge, or a best guess below :data:`MIN_CONFIDENCE`. Ukrainian and
Russian share most letters; the letters only one of them has (``і ї є ґ`` /
``ы э ъ ё``) settle a guess between the two that the n-grams leave close.
"""

from __future__ import annotations

import contextlib
import contextvars
import re
import threading
from collections.abc import Iterator
from typing import Any

SAMPLE = 300  # characters from the start of the text: the title and the first sentence or two
ENGLISH_SAMPLE = 500  # characters the English shortcut looks at
MIN_LETTERS = 12  # fewer letters than this: no guess
MIN_CONFIDENCE = 0.5  # the model's normalised probability of its best guess

# A code is two lower-case ASCII letters (ISO 639-1); "und" is accepted from the
# analyst as "undetermined".
CODE = re.compile(r"^(?:[a-z]{2}|und)$")

_UK_ONLY = frozenset("іїєґІЇЄҐ")
_RU_ONLY = frozenset("ыэъёЫЭЪЁ")
_LETTER = re.compile(r"[^\W\d_]")

_lock = threading.Lock()
_identifier: Any = None
_unneeded = contextvars.ContextVar("language_unneeded", default=False)


@contextlib.contextmanager
def language_unneeded() -> Iterator[None]:
    """Within: :func:`detect` says None without looking (a command that reads an
    article only for its id, fingerprint and tags, as ``tag`` and ``note`` do, need not
    load the identifier's model: about 0.4 s for a text that is not plainly English)."""
    token = _unneeded.set(True)
    try:
        yield
    finally:
        _unneeded.reset(token)


def _model() -> Any:
    global _identifier
    if _identifier is None:
        with _lock:
            if _identifier is None:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return _identifier


def _slavic(sample: str, guess: str) -> str:
    """Settle Ukrainian against Russian by the letters only one of them writes."""
    uk = sum(1 for c in sample if c in _UK_ONLY)
    ru = sum(1 for c in sample if c in _RU_ONLY)
    if uk > ru:
        return "uk"
    if ru > uk:
        return "ru"
    return guess


# English function words: text in ASCII letters holding several of them (one being a
# word no other language writes) is English without asking the model (most of an
# English corpus: the model costs about a millisecond per article, this a few
# microseconds).
_ENGLISH = frozenset(
    "the of and to is was that with for said says by from are were has have had this which its he she they "
    "been but not will would their there who after in on at as an be his her it into than also could can "
    "more over when we you our them what about up out new or if".split()
)
ENGLISH_MIN = 6  # distinct function words at least, one of them only English's
_ONLY_ENGLISH = frozenset("the and that with said which would their".split())  # never Dutch, German, French...


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


# English naming people and places in their own spelling (José, Zürich, Gonçalves):
# a few accented Latin letters are still English without the model when the function
# words leave no doubt. Without this, one English article in two hundred went to the
# model, and every index worker paid the model's load (about a second) for it.
ACCENTED_MIN = 10  # distinct function words, at least ACCENTED_ONLY of them only English's
ACCENTED_ONLY = 2
ACCENTED_SHARE = 0.02  # accented letters at most this share of the sample's letters


def _latin_accent(char: str) -> bool:
    return "\u00c0" <= char <= "\u024f"  # Latin-1 Supplement to Latin Extended-B (a letter: the caller checked)


def _plainly_english(sample: str) -> bool:
    """Letters all ASCII (curly quotes and dashes allowed) and at least
    :data:`ENGLISH_MIN` distinct English function words, one of them "the", "and"...;
    or a few accented Latin letters (at most :data:`ACCENTED_SHARE` of the letters)
    and at least :data:`ACCENTED_MIN` function words, :data:`ACCENTED_ONLY` of them
    only English's. Set operations in C: a few microseconds (a loop over the words
    cost a third of parsing the article)."""
    accented = 0
    if not sample.isascii():
        for m in _NON_ASCII.finditer(sample):
            char = m.group()
            if char.isalpha():
                if not _latin_accent(char):
                    return False
                accented += 1
    found = _ENGLISH.intersection(sample.lower().split())
    if not accented:
        return len(found) >= ENGLISH_MIN and not found.isdisjoint(_ONLY_ENGLISH)
    return (len(found) >= ACCENTED_MIN and len(found & _ONLY_ENGLISH) >= ACCENTED_ONLY
            and accented <= ACCENTED_SHARE * len(_LETTER.findall(sample)))


def detect(text: str) -> str | None:
    """The language of ``text`` as an ISO 639-1 code, or None when unsure (or
    within :func:`language_unneeded`)."""
    if _unneeded.get():
        return None
    if _plainly_english(text[:ENGLISH_SAMPLE]):
        return "en"
    sample = text[:SAMPLE]
    letters = len(_LETTER.findall(sample))
    if letters < MIN_LETTERS:
        return None
    lang, confidence = _model().classify(sample)
    if lang in ("ru", "uk", "be", "bg", "mk", "sr"):
        settled = _slavic(sample, lang)
        if settled != lang:
            return settled
    if confidence < MIN_CONFIDENCE:
        return None
    return str(lang) if CODE.match(str(lang)) else None


def check_code(value: str) -> str:
    """An analyst's language code, checked: two letters (any case, stored lower) or
    ``und``; ValueError otherwise."""
    code = value.strip().lower()
    if not CODE.match(code):
        raise ValueError(f"a language is a two-letter ISO 639-1 code such as uk, ru, de or und, not {value!r}")
    return code
