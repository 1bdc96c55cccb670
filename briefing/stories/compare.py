"""Line up the versions of a story sentence by sentence and mark what differs.

    >>> from briefing.stories.compare import compare, cite
    >>> result = compare([reference, other])          # briefing.model.Article values
    >>> for row in result.rows: ...                   # one cell per member, or None
    >>> for diff in result.differences: ...           # Difference(kind, texts, row, spans)
    >>> cite(result.differences[0], [reference, other])

How it works, in short:

1. Each member's body is split with the summarizer's sentence splitter
   (:func:`briefing.summarize.tokenize.sentence_spans`); section headings are left out.
2. Sentences are paired across members by the overlap of their content words
   (folded, lightly stemmed, function words left out), each word weighted by how rare
   it is among the story's sentences (a weighted Dice score). Pairs are taken best
   first, so a sentence moved to another place still finds its partner; a sentence
   without a partner above :data:`MIN_SIMILARITY` is a row of its own ("only" in the
   versions that have it). The first member is the reference: rows follow its order,
   and a sentence only another member has is placed after that member's previous one.
3. Inside a row, every other cell is compared word by word with the row's first cell
   (``difflib`` on the same folded words, so ``NATO``/``Nato``, ``U.S.``/``US``,
   ``co-ordinated``/``coordinated`` and straight/curly quotes are not differences).
   Numbers, dates and names are found in both sentences and compared as values:

   - numbers: ``1,000`` = ``1000``, ``minus 20C`` = ``-20C``, ``seven`` = ``7``; the
     qualifier counts: ``more than 70`` differs from ``70`` (a lower bound is not a
     count) but equals ``over 70``; ``about``/``around``/``some``/``nearly`` are one
     class (an estimate), ``only``/``just``/``exactly`` mean the plain number;
   - dates: ISO and numeric dates, month names with a day or year, weekdays
     (``last Tuesday`` = ``Tuesday``), and relative words (``yesterday``,
     ``overnight``, ``later this week``, ``at the weekend``, ``three days ago``); a
     4-digit year 1900-2099 counts as a date after ``in``/``since``/``by``… or at the
     end of a clause, else as a number;
   - names (people, places, organisations): runs of capitalised words in cased text.
     A capitalised first word of a sentence (or of a quotation) is part of a name only
     when the story writes it capitalised elsewhere too, or when another capitalised
     word follows it. Titles (``President``, ``Secretary-General``) and a possessive
     ``'s`` are ignored when comparing, and a shorter mention of the same name agrees
     with a longer one (``Zelensky`` = ``President Volodymyr Zelensky``).

   Every other changed run of words is a ``wording`` difference, the least important.

The result is frozen and holds everything a reader needs to draw it (offsets into
each cell's text). Work is bounded (see :data:`MAX_SENTENCES`, :data:`MAX_CHARS`,
:data:`MAX_WORDS`, :data:`MAX_MEMBERS`); when a bound cuts the input, ``note`` says so.
Text is treated as plain, untrusted content: nothing here interprets markup.
"""

from __future__ import annotations

import heapq
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import NamedTuple, Protocol

from briefing.stories.kinds import DATE, KINDS, NAME, NUMBER, ONLY, WORDING
from briefing.stories.stopwords import FUNCTION_WORDS, MONTHS, TITLE_WORDS, WEEKDAYS

_RANK = {kind: i for i, kind in enumerate(KINDS)}

MIN_SIMILARITY = 0.3  # weighted Dice score below which two sentences are not paired
MAX_MEMBERS = 16  # members compared (the others are named in the note)
MAX_CHARS = 200_000  # characters of a body compared
MAX_SENTENCES = 1_000  # sentences of a body compared
MAX_WORDS = 300  # words of one sentence compared word by word
COMMON_POSTING = 50  # a word in more sentences than this does not propose partners
VOTING_WORDS = 30  # the rarest words of a sentence that propose partners
CANDIDATES = 20  # partners scored per sentence


# --------------------------------------------------------------------------- results


class Mark(NamedTuple):
    """A marked run of a cell's text: ``text[start:end]`` differs, as ``kind``."""

    start: int
    end: int
    kind: str


@dataclass(frozen=True, slots=True)
class Cell:
    """One member's sentence in a row."""

    text: str  # the sentence exactly as it stands in the member's body
    sentence: int  # its position among the member's sentences (0-based)
    start: int  # offset of ``text`` in the member's body
    marks: tuple[Mark, ...] = ()  # sorted, never overlapping

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass(frozen=True, slots=True)
class Row:
    """Sentences of the members that say the same thing (one cell per member, None
    for a member without such a sentence)."""

    cells: tuple[Cell | None, ...]
    similarity: float  # lowest pairing score in the row (1.0 alone or identical words)
    kinds: tuple[str, ...] = ()  # kinds of difference in this row, most important first

    @property
    def differs(self) -> bool:
        return bool(self.kinds)


@dataclass(frozen=True, slots=True)
class Difference:
    """One thing the members say differently.

    ``texts[i]`` is what member ``i`` says at this point (its words, or its whole
    sentence for kind ``only``); None when member ``i`` has nothing there (no such
    sentence, or the item is missing from its sentence). ``spans[i]`` is where that
    text stands in member ``i``'s cell of ``row`` (None with the text).
    """

    kind: str
    texts: tuple[str | None, ...]
    row: int
    spans: tuple[tuple[int, int] | None, ...]


@dataclass(frozen=True, slots=True)
class Comparison:
    """The aligned members of a story and their differences."""

    ids: tuple[str, ...]  # the members compared, reference first
    rows: tuple[Row, ...]
    differences: tuple[Difference, ...]  # by row, then most important kind first
    note: str | None = None  # plain words when a bound cut the input

    def counts(self) -> dict[str, int]:
        """How many differences of each kind (every kind present, most important first)."""
        out = {kind: 0 for kind in KINDS}
        for diff in self.differences:
            out[diff.kind] += 1
        return out

    def to_json(self) -> dict:
        return {
            "ids": list(self.ids),
            "note": self.note,
            "counts": self.counts(),
            "rows": [
                {
                    "similarity": round(row.similarity, 3),
                    "kinds": list(row.kinds),
                    "cells": [
                        None
                        if cell is None
                        else {
                            "text": cell.text,
                            "sentence": cell.sentence,
                            "start": cell.start,
                            "marks": [list(m) for m in cell.marks],
                        }
                        for cell in row.cells
                    ],
                }
                for row in self.rows
            ],
            "differences": [
                {
                    "kind": d.kind,
                    "row": d.row,
                    "texts": list(d.texts),
                    "spans": [list(s) if s is not None else None for s in d.spans],
                }
                for d in self.differences
            ],
        }


class _Member(Protocol):
    @property
    def id(self) -> str: ...

    body: str
    headings: frozenset[str]


# --------------------------------------------------------------------------- words

# Numbers keep their separators ("1,000", "3.5"); words keep inner apostrophes, dots and
# hyphens ("Ukraine's", "U.S", "co-ordinated"); digits and letters split ("with450").
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:['’\-.][^\W\d_]+)*")


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


_STOP_KEYS = frozenset(word_key(w) for w in FUNCTION_WORDS) | FUNCTION_WORDS


def _is_cased(text: str) -> bool:
    sample = text[:20000]
    upper = sum(1 for c in sample if c.isupper())
    lower = sum(1 for c in sample if c.islower())
    return upper > 0 and lower > 0 and upper < lower


# --------------------------------------------------------------------------- mentions


class _Mention(NamedTuple):
    start: int
    end: int
    kind: str
    key: object  # what must be equal for two mentions to agree
    loose: object = None  # numbers: the value without its qualifier; names: key tokens


_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_ORD = r"\d{1,2}(?:st|nd|rd|th)?"
_PERIOD = r"(?:week|weekend|month|year|morning|afternoon|evening|night|spring|summer|autumn|fall|winter)"
_COUNT_WORD = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|few)"
_DATE = re.compile(
    r"(?P<iso>\b\d{4}-\d{1,2}-\d{1,2}\b)"
    r"|(?P<slash>\b\d{1,2}/\d{1,2}/\d{2,4}\b)"
    rf"|(?P<mdy>\b{_MONTH}\.?\s+{_ORD}(?:,?\s+\d{{4}})?\b)"
    rf"|(?P<dmy>\b{_ORD}\s+(?:of\s+)?{_MONTH}\.?(?:,?\s+\d{{4}})?\b)"
    rf"|(?P<my>\b{_MONTH}\.?,?\s+\d{{4}}\b)"
    rf"|(?P<wd>\b(?:(?:last|next|this|on|early|late|by|since|until)\s+)?{_WEEKDAY}"
    r"(?:\s+(?:morning|afternoon|evening|night))?\b)"
    rf"|(?P<rel>\b(?:(?:later|earlier|early|late)\s+)?(?:last|next|this)\s+{_PERIOD}\b"
    r"|\b(?:so\s+far\s+)?this\s+year\b|\bat\s+the\s+weekend\b"
    r"|\b(?:yesterday|today|tonight|tomorrow|overnight|midnight)\b"
    rf"|\b{_COUNT_WORD}\s+(?:days?|weeks?|months?|years?|hours?)\s+ago\b)"
    rf"|(?P<month>\b(?:january|february|march|april|june|july|august|september|october|november|december)\b)"
    r"|(?P<year>\b(?:19|20)\d{2}\b(?![,.]?\d))",
    re.IGNORECASE,
)
_YEAR_BEFORE = re.compile(r"(?:\b(?:in|since|of|from|until|till|by|during|before|after|early|late|mid|the|and|or|to)\s+|-)$", re.I)
_YEAR_AFTER = re.compile(r"^\s*(?:$|[.,;:!?)\]'\"’”])")

_QUALIFIERS = {
    "more than": ">", "over": ">", "above": ">", "upwards of": ">", "in excess of": ">",
    "less than": "<", "fewer than": "<", "under": "<", "below": "<",
    "at least": ">=", "at most": "<=", "up to": "<=", "as many as": "<=", "as much as": "<=",
    "no more than": "<=",
    "about": "~", "around": "~", "roughly": "~", "approximately": "~", "some": "~",
    "nearly": "~", "almost": "~", "close to": "~", "an estimated": "~", "estimated": "~",
    "only": "", "just": "", "exactly": "",
}
_NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100, "thousand": 1000, "dozen": 12,
    # vague plurals: equal only to themselves
    "dozens": "dozens", "hundreds": "hundreds", "thousands": "thousands",
    "millions": "millions", "billions": "billions",
}
_SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
           "bn": 1e9, "mn": 1e6, "m": 1e6, "k": 1e3}
_QUAL_RE = "|".join(sorted((q.replace(" ", r"\s+") for q in _QUALIFIERS), key=len, reverse=True))
_NUMWORD_RE = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four|five|six|seven|eight|nine))?"
    r"|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
    r"|sixteen|seventeen|eighteen|nineteen|dozens|dozen|hundreds|thousands|millions|billions)"
)
_NUMBER = re.compile(
    rf"(?:\b(?P<qual>{_QUAL_RE})\s+)?"
    r"(?P<sign>\bminus\s+|(?<![\w.,])[-−](?=[$£€¥]?\d))?"
    r"(?P<cur>[$£€¥])?"
    rf"(?:(?P<num>\d+(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)|\b(?P<word>{_NUMWORD_RE})\b)"
    r"(?:(?P<unit>%|°\s?[CF]?|[a-zA-Z]{1,3}(?![a-zA-Z]))"
    r"|(?P<scale>\s+(?:hundred|thousand|million|billion|trillion)\b))?"
    r"(?P<pct>\s*(?:per\s*cent|percent)\b)?",
    re.IGNORECASE,
)
_UNITS_AS_SCALE = {"bn", "mn", "m", "k"}


def _number_value(m: re.Match) -> object:
    if m.group("num") is not None:
        value: object = float(m.group("num").replace(",", ""))
    else:
        word = m.group("word").lower()
        if "-" in word:
            tens, ones = word.split("-")
            value = float(_NUMBER_WORDS[tens] + _NUMBER_WORDS[ones])
        else:
            v = _NUMBER_WORDS[word]
            value = float(v) if isinstance(v, int) else v
    unit = (m.group("unit") or "").lower().replace(" ", "")
    scale = (m.group("scale") or "").strip().lower()
    if unit in _UNITS_AS_SCALE and isinstance(value, float):
        value *= _SCALES[unit]
        unit = ""
    if scale and isinstance(value, float):
        value *= _SCALES[scale]
    if m.group("sign") and isinstance(value, float):
        value = -value
    if m.group("pct"):
        unit = "%"
    if unit.startswith("°"):
        unit = unit[1:] or "deg"
    return (value, (m.group("cur") or "") + unit)


def _date_key(kind: str, text: str) -> object:
    low = re.sub(r"\s+", " ", fold(text)).strip(" .,")
    if kind == "iso":
        y, mo, d = (int(p) for p in low.split("-"))
        return ("d", y, mo, d)
    if kind in ("mdy", "dmy", "my", "month"):
        words = re.findall(r"[a-z]+|\d+", low)
        month = next((MONTHS[w] for w in words if w in MONTHS), None)
        nums = [int(w) for w in words if w.isdigit()]
        year = next((n for n in nums if n >= 1000), None)
        day = next((n for n in nums if n < 1000), None)
        return ("d", year, month, day)
    if kind == "year":
        return ("d", int(low), None, None)
    if kind == "wd":
        words = low.split()
        day = next(w for w in words if w in WEEKDAYS)
        part = words[-1] if words[-1] in ("morning", "afternoon", "evening", "night") else ""
        return ("w", WEEKDAYS[day], part)
    return ("r", low.removeprefix("on ").removeprefix("at "))


def _dates(text: str, cased: bool) -> list[_Mention]:
    out = []
    for m in _DATE.finditer(text):
        kind = m.lastgroup or ""
        s, e = m.span()
        if kind == "year":
            if not (_YEAR_BEFORE.search(text[max(0, s - 12) : s]) or _YEAR_AFTER.match(text[e : e + 3])):
                continue  # a count ("2000 drones"), not a year
        elif kind == "month" and cased and not text[s].isupper():
            continue  # "march" the verb
        elif kind in ("mdy", "dmy", "my", "wd", "month") and cased:
            month_word = re.search(rf"{_MONTH}|{_WEEKDAY}", text[s:e], re.I)
            if month_word and not text[s + month_word.start()].isupper():
                continue  # "may 5" in cased text is not a date
        try:
            key = _date_key(kind, m.group())
        except (ValueError, StopIteration):
            continue
        out.append(_Mention(s, e, DATE, key))
    return out


def _numbers(text: str, taken: list[tuple[int, int]]) -> list[_Mention]:
    out = []
    for m in _NUMBER.finditer(text):
        s, e = m.span()
        if any(s < te and ts < e for ts, te in taken):
            continue  # part of a date
        qual = m.group("qual")
        qual_class = _QUALIFIERS[re.sub(r"\s+", " ", qual.lower())] if qual else ""
        value = _number_value(m)
        out.append(_Mention(s, e, NUMBER, (value, qual_class), value))
    return out


_OPENERS = ".!?:;\"“‘(—–[«"
_CONNECTORS = frozenset({"of", "de", "del", "der", "la", "le", "van", "von", "bin", "al", "da", "di", "du"})


def _names(text: str, tokens: list[tuple[int, int]], known_caps: frozenset[str],
           known_lower: frozenset[str], dates: list[tuple[int, int]]) -> list[_Mention]:
    """Runs of capitalised words (see the module docstring for the rules)."""
    n = len(tokens)
    words = [text[s:e] for s, e in tokens]
    name_like = [False] * n
    for i, w in enumerate(words):
        if not w[:1].isupper() or w[:1].isdigit():
            continue
        s, e = tokens[i]
        if any(s < de and ds < e for ds, de in dates):
            continue
        f = fold(w)
        if f in ("i",):
            continue
        gap = text[tokens[i - 1][1] : s] if i else ""
        initial = i == 0 or any(c in _OPENERS for c in gap)
        if not initial:
            name_like[i] = f not in FUNCTION_WORDS or f in known_caps
            continue
        if f in known_caps:
            name_like[i] = True
        elif f not in known_lower and f not in FUNCTION_WORDS and i + 1 < n:
            nxt = words[i + 1]
            between = text[e : tokens[i + 1][0]]
            name_like[i] = nxt[:1].isupper() and between.strip() == "" and fold(nxt) not in FUNCTION_WORDS
    out = []
    i = 0
    while i < n:
        if not name_like[i]:
            i += 1
            continue
        j = i
        while True:
            if j + 1 < n and name_like[j + 1] and text[tokens[j][1] : tokens[j + 1][0]].strip() == "":
                j += 1
            elif (j + 2 < n and fold(words[j + 1]) in _CONNECTORS and name_like[j + 2]
                  and text[tokens[j][1] : tokens[j + 2][0]].replace(words[j + 1], "", 1).strip() == ""):
                j += 2
            else:
                break
        keys = [_name_word(words[k]) for k in range(i, j + 1)]
        while keys and keys[0] in TITLE_WORDS:
            keys.pop(0)
        keys = [k for k in keys if k not in _CONNECTORS]
        if keys:
            out.append(_Mention(tokens[i][0], tokens[j][1], NAME, tuple(keys), frozenset(keys)))
        i = j + 1
    return out


def _name_word(word: str) -> str:
    f = fold(word).replace("’", "'")
    f = f.removesuffix("'s")
    return f.replace(".", "")


# --------------------------------------------------------------------------- sentences


class _Sentence:
    __slots__ = ("member", "index", "text", "start", "tokens", "keys", "content", "mentions", "cut")

    def __init__(self, member: int, index: int, text: str, start: int) -> None:
        self.member = member
        self.index = index
        self.text = text
        self.start = start
        spans = [m.span() for m in _TOKEN.finditer(text)]
        self.cut = len(spans) > MAX_WORDS
        self.tokens = spans[:MAX_WORDS]
        self.keys = [word_key(text[s:e]) for s, e in self.tokens]
        self.content = frozenset(k for k in self.keys if k not in _STOP_KEYS)
        self.mentions: list[_Mention] | None = None


def _sentences(member: int, article: _Member, notes: list[str]) -> list[_Sentence]:
    from briefing.summarize.tokenize import sentence_spans

    body = article.body or ""
    if len(body) > MAX_CHARS:
        notes.append(f"compared the first {MAX_CHARS:,} characters of {article.id} (of {len(body):,})")
        body = body[:MAX_CHARS]
    headings = article.headings or frozenset()
    spans = [(s, e) for s, e in sentence_spans(body) if body[s:e] not in headings]
    if len(spans) > MAX_SENTENCES:
        notes.append(f"compared the first {MAX_SENTENCES:,} sentences of {article.id} (of {len(spans):,})")
        spans = spans[:MAX_SENTENCES]
    return [_Sentence(member, i, body[s:e], s) for i, (s, e) in enumerate(spans)]


def _mentions(sent: _Sentence, cased: bool, known_caps: frozenset[str], known_lower: frozenset[str]) -> list[_Mention]:
    if sent.mentions is None:
        limit = sent.tokens[-1][1] if sent.tokens else 0
        text = sent.text[:limit]
        dates = _dates(text, cased)
        spans = [(m.start, m.end) for m in dates]
        found = dates + _numbers(text, spans)
        if cased:
            found += _names(text, sent.tokens, known_caps, known_lower, spans)
        sent.mentions = found
    return sent.mentions


def _case_evidence(sentences: list[_Sentence]) -> tuple[frozenset[str], frozenset[str]]:
    """Words written capitalised inside a sentence, and words written in lower case."""
    caps: set[str] = set()
    lower: set[str] = set()
    for sent in sentences:
        text = sent.text
        prev_end = None
        for s, e in sent.tokens:
            w = text[s:e]
            if w[:1].islower():
                lower.add(fold(w))
            elif w[:1].isupper() and prev_end is not None and not any(c in _OPENERS for c in text[prev_end:s]):
                caps.add(fold(w))
            prev_end = e
    return frozenset(caps), frozenset(lower)


# --------------------------------------------------------------------------- alignment


def _weights(sentences: list[_Sentence]) -> dict[str, float]:
    df: dict[str, int] = {}
    for sent in sentences:
        for k in sent.content:
            df[k] = df.get(k, 0) + 1
    total = len(sentences) + 1
    return {k: 1.0 + math.log(total / n) for k, n in df.items()}


def _align(placed: list[_Sentence], incoming: list[_Sentence], weights: dict[str, float]) -> dict[int, tuple[_Sentence, float]]:
    """Pair sentences of ``incoming`` with sentences of ``placed`` (weighted Dice on
    content words, best pairs first, each sentence used once); returns
    ``{incoming index: (placed sentence, score)}``."""
    postings: dict[str, list[int]] = {}
    for p, sent in enumerate(placed):
        for k in sent.content:
            postings.setdefault(k, []).append(p)
    mass_placed = [sum(weights[k] for k in s.content) for s in placed]
    candidates = []
    n_in = max(1, len(incoming))
    n_pl = max(1, len(placed))
    for q, sent in enumerate(incoming):
        # Partners are proposed by the sentence's rarest words (bounded work however
        # long or repetitive the text), then scored on all their words.
        votes: dict[int, float] = {}
        rare = sorted(sent.content, key=lambda k: (len(postings.get(k, ())), k))[:VOTING_WORDS]
        for k in rare:
            plist = postings.get(k)
            if not plist or len(plist) > COMMON_POSTING:
                continue
            w = weights[k]
            for p in plist:
                votes[p] = votes.get(p, 0.0) + w
        if not votes:
            continue
        best = heapq.nlargest(CANDIDATES, votes, key=lambda p: (votes[p], -p))
        mass = sum(weights[k] for k in sent.content)
        few = len(sent.content) <= 2
        for p in best:
            both = sent.content & placed[p].content
            count = len(both)
            if count < 2 and not (few or len(placed[p].content) <= 2):
                continue
            shared = sum(weights[k] for k in both)
            # Dice, blended with containment so that a sentence merged into a longer
            # one (or split in two) still finds its partner. Containment counts only
            # with three shared words or more: a short sentence must not pair with any
            # long one that happens to name the same country.
            score = 2 * shared / (mass + mass_placed[p])
            if count >= 3:
                score = (score + shared / min(mass, mass_placed[p])) / 2
            if score >= MIN_SIMILARITY:
                drift = abs(q / n_in - placed[p].index / n_pl)
                candidates.append((-score, drift, q, p))
    candidates.sort()
    used_p: set[int] = set()
    out: dict[int, tuple[_Sentence, float]] = {}
    for neg, _drift, q, p in candidates:
        if q in out or p in used_p:
            continue
        out[q] = (placed[p], -neg)
        used_p.add(p)
    return out


# --------------------------------------------------------------------------- diffs


class _Pair:
    """Word-by-word comparison of a row's first cell (a) with another cell (b)."""

    def __init__(self, a: _Sentence, b: _Sentence) -> None:
        self.a = a
        self.b = b
        self.ops = SequenceMatcher(None, a.keys, b.keys, autojunk=False).get_opcodes()

    def region(self, side: str, i1: int, i2: int) -> tuple[int, int] | None:
        toks = (self.a if side == "a" else self.b).tokens
        if i2 <= i1:
            return None
        return (toks[i1][0], toks[i2 - 1][1])

    def counterpart(self, side: str, span: tuple[int, int]) -> tuple[tuple[int, int] | None, bool]:
        """The other side's words facing ``span`` of ``side``: (their span or None,
        whether ``span`` touches a changed run at all).

        Only a changed run about the size of the mention counts as its counterpart
        ("Reports indicated that" for "President Zelensky"); a mention inside a long
        rewritten clause has none (the clause is marked as wording)."""
        toks = (self.a if side == "a" else self.b).tokens
        idx = [i for i, (s, e) in enumerate(toks) if s < span[1] and span[0] < e]
        if not idx:
            return None, False
        lo, hi = idx[0], idx[-1] + 1
        own_lo, own_hi = lo, hi
        other_lo = other_hi = None
        touched = False
        for tag, i1, i2, j1, j2 in self.ops:
            if side == "b":
                i1, i2, j1, j2 = j1, j2, i1, i2
            overlaps = i1 < hi and lo < i2 if i2 > i1 else i1 >= lo and i1 <= hi
            if tag == "equal" or not overlaps:
                continue
            touched = True
            own_lo, own_hi = min(own_lo, i1), max(own_hi, i2)
            if j2 > j1:
                other_lo = j1 if other_lo is None else min(other_lo, j1)
                other_hi = j2 if other_hi is None else max(other_hi, j2)
        if other_lo is None or other_hi is None:
            return None, touched
        size = hi - lo
        if 2 * size < own_hi - own_lo or other_hi - other_lo > max(3, 2 * size):
            return None, touched
        return self.region("b" if side == "a" else "a", other_lo, other_hi), touched

    def mapped(self, span: tuple[int, int]) -> tuple[int, int] | None:
        """``span`` of a as it stands in b, when every word of it is unchanged."""
        toks = self.a.tokens
        idx = [i for i, (s, e) in enumerate(toks) if s < span[1] and span[0] < e]
        if not idx:
            return None
        lo, hi = idx[0], idx[-1]
        for tag, i1, i2, j1, _j2 in self.ops:
            if tag == "equal" and i1 <= lo and hi < i2:
                return (self.b.tokens[j1 + lo - i1][0], self.b.tokens[j1 + hi - i1][1])
        return None


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


class _Found(NamedTuple):
    kind: str
    a: tuple[int, int] | None  # span in the first cell
    b: tuple[int, int] | None  # span in the other cell


def _names_agree(x: _Mention, y: _Mention) -> bool:
    kx, ky = x.loose, y.loose
    return kx <= ky or ky <= kx or x.key[-1] == y.key[-1]


def _match_mentions(kind: str, ma: list[_Mention], mb: list[_Mention]) -> tuple[list[tuple[_Mention, _Mention]], list[_Mention], list[_Mention]]:
    """Pairs that disagree, and the mentions of each side left without a partner."""
    left_a = list(ma)
    left_b = list(mb)
    for x in list(left_a):  # same value: agree
        for y in left_b:
            if x.key == y.key or (kind == NAME and _names_agree(x, y)):
                left_a.remove(x)
                left_b.remove(y)
                break
    differing = []
    if kind == NUMBER:  # same number, another qualifier ("more than 70" vs "70")
        for x in list(left_a):
            for y in left_b:
                if x.loose == y.loose:
                    differing.append((x, y))
                    left_a.remove(x)
                    left_b.remove(y)
                    break
    return differing, left_a, left_b


def _diff_pair(pair: _Pair, cased: bool, caps: frozenset[str], lower: frozenset[str]) -> list[_Found]:
    """What differs between the two sentences of ``pair``."""
    if pair.a.keys == pair.b.keys:
        return []
    found: list[_Found] = []
    men_a = _mentions(pair.a, cased, caps, lower)
    men_b = _mentions(pair.b, cased, caps, lower)
    for kind in (DATE, NUMBER, NAME):
        ka = [m for m in men_a if m.kind == kind]
        kb = [m for m in men_b if m.kind == kind]
        if not ka and not kb:
            continue
        differing, left_a, left_b = _match_mentions(kind, ka, kb)
        for x, y in differing:
            found.append(_Found(kind, (x.start, x.end), (y.start, y.end)))
        for x in left_a:
            other, touched = pair.counterpart("a", (x.start, x.end))
            if not touched:
                continue
            partner = next((y for y in left_b if other is not None and _overlap((y.start, y.end), other)), None)
            if partner is not None:
                left_b.remove(partner)
                found.append(_Found(kind, (x.start, x.end), (partner.start, partner.end)))
            else:
                found.append(_Found(kind, (x.start, x.end), other))
        for y in left_b:
            other, touched = pair.counterpart("b", (y.start, y.end))
            if touched:
                found.append(_Found(kind, other, (y.start, y.end)))
    # Changed runs that hold no number, date or name difference: wording.
    for tag, i1, i2, j1, j2 in pair.ops:
        if tag == "equal":
            continue
        ra, rb = pair.region("a", i1, i2), pair.region("b", j1, j2)
        if any((ra and f.a and _overlap(ra, f.a)) or (rb and f.b and _overlap(rb, f.b)) for f in found):
            continue
        found.append(_Found(WORDING, ra, rb))
    return found


def _leftover_wording(pair: _Pair, side: str, covered: list[tuple[int, int]]) -> list[Mark]:
    """Wording marks for changed words of ``side`` not inside another mark."""
    marks = []
    toks = (pair.a if side == "a" else pair.b).tokens
    for tag, i1, i2, j1, j2 in pair.ops:
        if tag == "equal":
            continue
        lo, hi = (i1, i2) if side == "a" else (j1, j2)
        run_start = run_end = -1
        for k in range(lo, hi + 1):
            tok = toks[k] if k < hi else None
            if tok is not None and not any(_overlap(tok, c) for c in covered):
                if run_start < 0:
                    run_start = tok[0]
                run_end = tok[1]
            elif run_start >= 0:
                marks.append(Mark(run_start, run_end, WORDING))
                run_start = -1
    return marks


def _paint(length: int, marks: list[Mark]) -> tuple[Mark, ...]:
    """Non-overlapping marks: where marks overlap, the more important kind wins."""
    if not marks:
        return ()
    if len(marks) == 1:
        m = marks[0]
        return (Mark(max(0, m.start), min(length, m.end), m.kind),)
    canvas: list[int | None] = [None] * length
    for m in sorted(marks, key=lambda m: -_RANK[m.kind]):  # least important first
        rank = _RANK[m.kind]
        for i in range(max(0, m.start), min(length, m.end)):
            canvas[i] = rank
    out: list[Mark] = []
    i = 0
    while i < length:
        r = canvas[i]
        if r is None:
            i += 1
            continue
        j = i
        while j < length and canvas[j] == r:
            j += 1
        out.append(Mark(i, j, KINDS[r]))
        i = j
    return tuple(out)


# --------------------------------------------------------------------------- compare


def compare(members: Sequence[_Member]) -> Comparison:
    """Align the sentences of ``members`` (the first is the reference) and find what
    differs. ``members`` are :class:`briefing.model.Article` values (anything with
    ``id``, ``body`` and ``headings``)."""
    notes: list[str] = []
    members = list(members)
    if len(members) > MAX_MEMBERS:
        notes.append(f"compared the first {MAX_MEMBERS} of {len(members)} versions")
        members = members[:MAX_MEMBERS]
    n = len(members)
    per_member = [_sentences(i, m, notes) for i, m in enumerate(members)]
    every = [s for sents in per_member for s in sents]
    cased = _is_cased(" ".join(s.text for s in every[:400]))
    caps, lower = _case_evidence(every) if cased else (frozenset(), frozenset())
    weights = _weights(every)

    # rows: list of dicts member -> sentence, plus the lowest pairing score
    rows: list[dict[int, _Sentence]] = [{0: s} for s in per_member[0]] if n else []
    scores: list[float] = [1.0] * len(rows)
    row_of: dict[int, int] = {id(s): r for r, s in enumerate(per_member[0])} if n else {}
    for j in range(1, n):
        placed = [s for row in rows for s in row.values()]
        matched = _align(placed, per_member[j], weights) if placed else {}
        # where each sentence of member j goes: an existing row, or a new row after its
        # previous sentence's row
        anchor_row: int | None = None
        additions: dict[int | None, list[_Sentence]] = {}
        for q, sent in enumerate(per_member[j]):
            hit = matched.get(q)
            if hit is not None:
                r = row_of[id(hit[0])]
                if j not in rows[r]:
                    rows[r][j] = sent
                    scores[r] = min(scores[r], hit[1])
                    anchor_row = r
                    continue
            additions.setdefault(anchor_row, []).append(sent)
        if additions:
            # Sentences before member j's first paired one go just before its row (at
            # the end when none paired); the others just after their predecessor's row.
            first_hit = next((row_of[id(matched[q][0])] for q in sorted(matched)), None)
            new_rows: list[dict[int, _Sentence]] = []
            new_scores: list[float] = []
            for r, row in enumerate(rows):
                if r == first_hit:
                    for sent in additions.get(None, []):
                        new_rows.append({j: sent})
                        new_scores.append(1.0)
                new_rows.append(row)
                new_scores.append(scores[r])
                for sent in additions.get(r, []):
                    new_rows.append({j: sent})
                    new_scores.append(1.0)
            if first_hit is None:
                for sent in additions.get(None, []):
                    new_rows.append({j: sent})
                    new_scores.append(1.0)
            rows, scores = new_rows, new_scores
        row_of = {id(s): r for r, row in enumerate(rows) for s in row.values()}

    out_rows: list[Row] = []
    differences: list[Difference] = []
    cut_sentences = 0
    for r, row in enumerate(rows):
        present = sorted(row)
        marks: dict[int, list[Mark]] = {i: [] for i in present}
        row_diffs: list[Difference] = []
        if len(present) < n:
            texts = tuple(row[i].text if i in row else None for i in range(n))
            spans = tuple((0, len(row[i].text)) if i in row else None for i in range(n))
            row_diffs.append(Difference(ONLY, texts, r, spans))
            if len(present) == 1:
                i = present[0]
                marks[i].append(Mark(0, len(row[i].text), ONLY))
        first = present[0]
        a = row[first]
        pairs = {k: _Pair(a, row[k]) for k in present[1:]}
        grouped: dict[tuple, dict[int, tuple[int, int] | None]] = {}
        order: list[tuple] = []
        for k, pair in pairs.items():
            if pair.a.cut or pair.b.cut:
                cut_sentences += 1
            found = _diff_pair(pair, cased, caps, lower)
            covered_a = [f.a for f in found if f.a is not None and f.kind != WORDING]
            covered_b = [f.b for f in found if f.b is not None and f.kind != WORDING]
            for f in found:
                if f.a is not None:
                    marks[first].append(Mark(*f.a, f.kind))
                if f.b is not None:
                    marks[k].append(Mark(*f.b, f.kind))
                key = (f.kind, f.a) if f.a is not None else (f.kind, None, k, f.b)
                if key not in grouped:
                    grouped[key] = {first: f.a}
                    order.append(key)
                grouped[key][k] = f.b
            marks[first].extend(_leftover_wording(pair, "a", covered_a))
            marks[k].extend(_leftover_wording(pair, "b", covered_b))
        for key in order:
            got = grouped[key]
            kind = key[0]
            spans_l: list[tuple[int, int] | None] = []
            for i in range(n):
                if i in got:
                    spans_l.append(got[i])
                elif i in row and i != first and key[1] is not None:
                    spans_l.append(pairs[i].mapped(key[1]))
                else:
                    spans_l.append(None)
            if key[1] is None:
                spans_l[first] = None
            texts_l = tuple(row[i].text[s[0] : s[1]] if s is not None else None for i, s in enumerate(spans_l))
            row_diffs.append(Difference(kind, texts_l, r, tuple(spans_l)))
        row_diffs.sort(key=lambda d: (_RANK[d.kind], _first_start(d)))
        differences.extend(row_diffs)
        kinds = tuple(k for k in KINDS if any(d.kind == k for d in row_diffs))
        cells = tuple(
            Cell(row[i].text, row[i].index, row[i].start, _paint(len(row[i].text), marks[i])) if i in row else None
            for i in range(n)
        )
        identical = all(row[k].keys == a.keys for k in present[1:])
        similarity = 1.0 if identical else round(scores[r], 4)
        out_rows.append(Row(cells, similarity, kinds))
    if cut_sentences:
        notes.append(f"compared only the first {MAX_WORDS} words of {cut_sentences} very long sentence"
                     + ("s" if cut_sentences != 1 else "") + " word by word")
    note = "; ".join(notes) if notes else None
    if note:
        note = note[0].upper() + note[1:] + "."
    return Comparison(tuple(m.id for m in members), tuple(out_rows), tuple(differences), note)


def _first_start(d: Difference) -> int:
    return next((s[0] for s in d.spans if s is not None), 0)


# --------------------------------------------------------------------------- citing

_KIND_LABEL = {NUMBER: "Number", DATE: "Date", NAME: "Name", WORDING: "Wording"}
QUOTE_MAX = 160
TITLE_MAX = 80


class _Source(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def date(self): ...


def _short(text: str, limit: int) -> str:
    from briefing.sanitize import shorten

    return shorten(text, limit)


def _source(member: _Source) -> str:
    date = member.date.isoformat() if member.date else "undated"
    return f'"{_short(member.title, TITLE_MAX)}" ({date}, {_short(member.id, TITLE_MAX)})'


def _quoted(text: str | None) -> str:
    return f'"{_short(text, QUOTE_MAX)}"' if text else "(not mentioned)"


def cite(difference: Difference, members: Sequence[_Source], own: int = 0) -> str:
    """The one line of plain text that goes into member ``own``'s notes when the analyst
    cites ``difference``: the other sources by title, date and id, and what each says.

    Two members::

        Number differs from "<title>" (2024-01-02, <id>): "more than 70" vs "70"
        Only here, not in "<title>" (undated, <id>): "<sentence>"
        Not here; only in "<title>" (undated, <id>): "<sentence>"

    More members: ``Number differs: here "70"; "<title>" (<date>, <id>): "80"; …``.
    ``members`` are the compared articles (or their ``ArticleMeta``), in the order
    given to :func:`compare`.
    """
    count = len(difference.texts)
    if len(members) < count:
        raise ValueError(f"cite needs the {count} compared members, got {len(members)}")
    if not 0 <= own < count:
        raise ValueError(f"no member {own} in a comparison of {count}")
    others = [i for i in range(count) if i != own]
    mine = difference.texts[own]
    if difference.kind == ONLY:
        if mine is not None:
            missing = [i for i in others if difference.texts[i] is None]
            names = " or ".join(_source(members[i]) for i in missing) or "every other version"
            return f"Only here, not in {names}: {_quoted(mine)}"
        having = [i for i in others if difference.texts[i] is not None]
        first = having[0] if having else others[0]
        names = " and ".join(_source(members[i]) for i in having) or _source(members[first])
        return f"Not here; only in {names}: {_quoted(difference.texts[first])}"
    label = _KIND_LABEL.get(difference.kind, difference.kind.capitalize())
    if count == 2:
        other = others[0]
        return f"{label} differs from {_source(members[other])}: {_quoted(mine)} vs {_quoted(difference.texts[other])}"
    parts = [f"here {_quoted(mine)}"] + [f"{_source(members[i])}: {_quoted(difference.texts[i])}" for i in others]
    return f"{label} differs: " + "; ".join(parts)
