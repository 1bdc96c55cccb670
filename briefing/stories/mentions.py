"""Numbers, dates and names found in a sentence, each with the key two mentions must
share to agree (see :mod:`briefing.stories.compare` for the rules)."""

from __future__ import annotations

import re
from typing import NamedTuple

from briefing.stories.kinds import DATE, NAME, NUMBER
from briefing.stories.stopwords import FUNCTION_WORDS, MONTHS, TITLE_WORDS, WEEKDAYS
from briefing.stories.words import fold


class Mention(NamedTuple):
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
_TENS_AND_ONES = {word: n for word, n in _NUMBER_WORDS.items() if isinstance(n, int)}  # "twenty-one"
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


def _number_value(m: re.Match[str]) -> object:
    if m.group("num") is not None:
        value: object = float(m.group("num").replace(",", ""))
    else:
        word = m.group("word").lower()
        if "-" in word:
            tens, ones = word.split("-")
            value = float(_TENS_AND_ONES[tens] + _TENS_AND_ONES[ones])
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
        weekday = next(w for w in words if w in WEEKDAYS)
        part = words[-1] if words[-1] in ("morning", "afternoon", "evening", "night") else ""
        return ("w", WEEKDAYS[weekday], part)
    return ("r", low.removeprefix("on ").removeprefix("at "))


def find_dates(text: str, cased: bool) -> list[Mention]:
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
        out.append(Mention(s, e, DATE, key))
    return out


def find_numbers(text: str, taken: list[tuple[int, int]]) -> list[Mention]:
    out = []
    for m in _NUMBER.finditer(text):
        s, e = m.span()
        if any(s < te and ts < e for ts, te in taken):
            continue  # part of a date
        qual = m.group("qual")
        qual_class = _QUALIFIERS[re.sub(r"\s+", " ", qual.lower())] if qual else ""
        value = _number_value(m)
        out.append(Mention(s, e, NUMBER, (value, qual_class), value))
    return out


OPENERS = ".!?:;\"“‘(—–[«"
_CONNECTORS = frozenset({"of", "de", "del", "der", "la", "le", "van", "von", "bin", "al", "da", "di", "du"})


def find_names(text: str, tokens: list[tuple[int, int]], known_caps: frozenset[str],
           known_lower: frozenset[str], dates: list[tuple[int, int]]) -> list[Mention]:
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
        initial = i == 0 or any(c in OPENERS for c in gap)
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
            out.append(Mention(tokens[i][0], tokens[j][1], NAME, tuple(keys), frozenset(keys)))
        i = j + 1
    return out


def _name_word(word: str) -> str:
    f = fold(word).replace("’", "'")
    f = f.removesuffix("'s")
    return f.replace(".", "")
