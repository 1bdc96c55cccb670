"""A realistic annotation file for scale benchmarks (issue 20): N annotated articles.

Proportions, per annotated article (a team's archive after a few years of triage;
every entry has the fingerprint recorded when it was first touched):

======================  =====  ==========================================
read                    85 %   with a ``changed: status`` stamp on 60 %
flagged                  8 %
dismissed                5 %
tags                    40 %   1-4 from a vocabulary of 300 (some odd: ``no``, ``1e3``)
automatic tags          10 %   1-2 watchlist names
notes                   15 %   1-3, a third of them on several lines
highlights              10 %   1-3 quotes of 80-250 characters, half with a comment
summary choice           5 %
date correction          2 %
title correction         2 %   some with quotes, accents, a colon
conflict                 0.2 %
======================  =====  ==========================================

Ids look like the corpora of ``make_corpus.py`` (``2021/03/012345_ab12cd34ef.txt``).
Deterministic for a given ``n`` and ``seed``. Used by ``bench/annotations_scale.py``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random

from briefing.annotations.schema import AnnotationDoc, ArticleNotes, Conflict, Highlight, Note, Stamp

_WORDS = (
    "grid outage ministry ceasefire talks port strike flood dam inspection rates bank "
    "election turnout pipeline gas supply drone attack border crossing refugees aid "
    "convoy sanctions export wheat harvest drought court ruling protest police budget "
    "deficit inflation minister resigned parliament vote coalition energy kyiv moscow"
).split()
_ODD_TAGS = ("no", "1e3", "on", "2023-11-06", "null", "Ünïcode", "tag: colon", "#hash", "quote\"d")
_AUTHORS = ("ana", "bo", "chen", "dara", "eli", "fatima", "gus")


def _vocabulary(rng: random.Random) -> list[str]:
    tags = list(_ODD_TAGS)
    while len(tags) < 300:
        tags.append("-".join(rng.sample(_WORDS, rng.choice((1, 1, 2)))))
    return list(dict.fromkeys(tags))


def _sentence(rng: random.Random, low: int, high: int) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def _stamp(rng: random.Random, day: dt.date) -> str:
    return f"{day.isoformat()}T{rng.randint(0, 23):02}:{rng.randint(0, 59):02}:{rng.randint(0, 59):02}Z"


def article_id(n: int) -> str:
    """The id of the n-th annotated article (the same whatever the seed)."""
    year = 2019 + n % 7
    month = 1 + (n // 7) % 12
    return f"{year}/{month:02}/{n:06}_{hashlib.blake2b(str(n).encode(), digest_size=5).hexdigest()}.txt"


def make_entry(rng: random.Random, vocab: list[str]) -> ArticleNotes:
    day = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(2000))
    r = rng.random
    kw: dict[str, object] = {"fingerprint": f"sha256:{rng.getrandbits(256):064x}"}
    kw["read"] = r() < 0.85
    kw["flagged"] = r() < 0.08
    kw["dismissed"] = r() < 0.05
    stamps = []
    if kw["read"] and r() < 0.6:
        stamps.append(Stamp("status", rng.choice(_AUTHORS), _stamp(rng, day)))
    if r() < 0.40:
        kw["tags"] = tuple(rng.sample(vocab, rng.randint(1, 4)))
    if r() < 0.10:
        kw["auto_tags"] = tuple(f"watch-{rng.choice(_WORDS)}" for _ in range(rng.randint(1, 2)))
    if r() < 0.15:
        notes = []
        for _ in range(rng.randint(1, 3)):
            text = _sentence(rng, 5, 25)
            if r() < 0.33:
                text += "\n" + _sentence(rng, 3, 15) + "\n\n- " + _sentence(rng, 2, 6)
            notes.append(Note(text=text, at=_stamp(rng, day), by=rng.choice(_AUTHORS)))
        kw["notes"] = tuple(notes)
    if r() < 0.10:
        highlights = []
        for _ in range(rng.randint(1, 3)):
            quote = _sentence(rng, 12, 40)[:250]
            note = _sentence(rng, 3, 12) if r() < 0.5 else ""
            highlights.append(Highlight(quote=quote, note=note, by=rng.choice(_AUTHORS), at=_stamp(rng, day),
                                        occurrence=1 if r() < 0.95 else 2))
        kw["highlights"] = tuple(highlights)
    if r() < 0.05:
        kw["summary"] = (rng.choice(("lexrank", "lead", "textrank")), rng.randint(2, 8))
    if r() < 0.02:
        kw["date"] = day
        stamps.append(Stamp("date", rng.choice(_AUTHORS), _stamp(rng, day)))
    if r() < 0.02:
        kw["title"] = rng.choice(('Minister: "no comment" on ', "Énergie : ", "")) + _sentence(rng, 4, 10)
        stamps.append(Stamp("title", rng.choice(_AUTHORS), _stamp(rng, day)))
    if r() < 0.002:
        kw["conflicts"] = (Conflict("title", "ours", "theirs", _stamp(rng, day), None, "ana", "bo", "chen"),)
    kw["changed"] = tuple(stamps)
    entry = ArticleNotes(**kw)  # type: ignore[arg-type]
    if entry.is_empty():  # a fingerprint alone is dropped: keep it read
        entry = ArticleNotes(**{**kw, "read": True})  # type: ignore[arg-type]
    return entry


def make_doc(n: int, seed: int = 20) -> AnnotationDoc:
    """N annotated articles in the proportions above."""
    rng = random.Random(seed)
    vocab = _vocabulary(rng)
    return AnnotationDoc({article_id(i): make_entry(rng, vocab) for i in range(n)})
