"""Our own sentence and word tokenizer: offline, no NLTK data.

sumy's stock tokenizer needs NLTK's ``punkt`` model, downloaded from the internet.
This module does the same job with rules, and returns sentences as exact
substrings of the text (as ``(start, end)`` spans), so that a summary sentence can
be found and marked where it stands.

Rules, in short:

- Blank lines end a sentence (paragraph boundary). A single line break ends one
  when the line before it is short and has no closing punctuation (a headline,
  a heading, a byline); otherwise it is taken as wrapping.
- ``. ! ? …`` followed by optional closing quotes or brackets and then white space
  end a sentence, unless the word before the full stop is a known abbreviation
  (``Mr.``, ``Gen.``, ``e.g.``), an initial (``J. R. R. Tolkien``), a month
  followed by a number (``Jan. 5``), or a dotted acronym (``U.S.``) that is not
  followed by a word that typically opens a sentence.
- In cased text, a lower-case word after the stop means the sentence goes on.
  The evaluation data is lower-cased, so capitals are only a hint when present.

Other languages (issue 19): the lists below also hold the abbreviations of Russian,
Ukrainian, German, French, Spanish, Polish, Italian and Portuguese news text
(``г.``, ``ст.``, ``т.е.``, ``и т.д.``; ``z.B.``, ``Nr.``; ``M.``, ``Mme``; ``Sr.``,
``np.``...), and the words that open their sentences. One splitter serves every
language: the abbreviations of one language are not words of another, so no
language needs to be known first. A German ordinal date (``am 3. März``) does not
end a sentence; a French closing guillemet after a space (``pas. »``) stays with
its sentence; ``¿ ¡ « „`` open the next one. Nothing splits inside a number
(``3.5``) or a URL: a stop ends a sentence only before white space.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Words after which a full stop never ends the sentence: titles and Latin forms.
TITLES = frozenset(
    """
    mr mrs ms messrs mme mlle dr prof rev fr st mt gen col lt sgt capt cmdr
    cdr adm maj brig cpl pvt gov sen rep reps sens atty supt insp det hon pres
    approx dept vs v cf viz al
    mmes mm sra srta sres dña dn ud uds sig sigg dott ing avv dra exmo hr hrn
    им ул вул пр просп пл акад проф ген полк св пос ім див тов
    gen płk ks mgr inż ul al
    """.split()
)
# Abbreviations that do not end a sentence when a number follows (No. 10, Art. 5).
NUMBERED = frozenset("no nos vol vols fig figs art ch sec pp p para ft nr abs kap bd s núm pág pag ст ч п рис табл гл".split())
# Abbreviations that usually do not end a sentence but may (then a sentence
# starter or a capital must follow).
MAYBE_END = frozenset(
    """
    etc inc ltd co corp bros llc plc jr sr ave blvd rd univ assn intl govt
    a.m p.m u.s u.k u.n e.u u.s.a d.c n.y l.a
    usw etc ecc itd itp тощо гг ok
    """.split()
)
LATIN = frozenset({
    "e.g", "i.e", "eg", "ie", "viz", "cf", "approx", "ca",
    # German, French, Polish, Russian and Ukrainian forms that never end a sentence
    "z.b", "d.h", "u.a", "v.a", "o.ä", "bzw", "ggf", "vgl", "inkl", "evtl", "sog", "zzgl",
    "env", "p.ex", "np", "tj", "tzw", "m.in", "t.j",
    "т.е", "т.к", "т.н", "т.ч", "напр", "см", "ср", "т.зв", "зокр",
})
MONTHS = frozenset("jan feb mar apr jun jul aug sep sept oct nov dec".split())
# Amounts and units after a number ("3,5 Mio. Euro", "5 тыс. человек"): the sentence
# ends there only when a word that opens sentences follows.
AMOUNTS = frozenset("mio mrd tsd mln mld tys млн млрд тыс тис грн руб долл км".split())
# A German ordinal date: "am 3. März" (a day number, its stop, a month name).
ORDINAL_MONTHS = frozenset(
    """
    januar jänner februar märz april mai juni juli august september oktober november dezember
    jan feb mär mrz apr jun jul aug sep sept okt nov dez
    """.split()
)

# Words that commonly open a sentence; after an ambiguous abbreviation such a word
# means a new sentence has begun (works in lower-cased text too).
STARTERS = frozenset(
    """
    the a an he she it they we i you his her its their our this that these those
    there here but and so yet however meanwhile in on at for after before when while
    if as since although though despite during one two three many some most all
    no not mr mrs ms dr officials police authorities what who why how where
    в во на по это но однако а и как при за он она они мы для с со из у так также после когда
    він вона вони ми це але та й із з після коли також тому проте
    der die das er sie es wir ich aber und doch auch dann am im in
    le la les il elle ils nous mais et pour selon
    el los las ella ellos pero y según
    w we to ale jak po od do z ze jednak według
    lo gli lui ma secondo o os ele eles mas segundo
    """.split()
)

CLOSERS = "\"'”’»“‘›)]}"
_BOUNDARY = re.compile(
    # Latin: space must follow; a French closing guillemet may stand after a space
    r"(?:\.{2,}|…|[.!?]+)((?:[ \u00a0\u202f]»)?[" + re.escape(CLOSERS) + r"]*)(?=\s)"
    r"|[。！？]+[」』”’）)]*"  # CJK full stops: no space follows
)
_PARA = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*", re.UNICODE)
_TERMINAL_LINE = re.compile(r"[.!?…:;,\"'”’)\]]\s*$")


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _PARA.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    return spans


def _is_cased(text: str) -> bool:
    """True when capitals carry information (not an all-lower or all-upper text)."""
    sample = text[:20000]
    upper = sum(map(str.isupper, sample))  # map over a builtin: a quarter of a generator's time
    lower = sum(map(str.islower, sample))
    return upper > 0 and lower > 0 and upper < lower


_NEXT_WORD = re.compile(r"\s*[\"'“‘(\[«„‚‹¿¡—–-]*\s*([^\W_]+)?")


def _next_word(text: str, pos: int) -> str:
    m = _NEXT_WORD.match(text, pos)
    return (m.group(1) or "") if m else ""


def _word_before(text: str, start: int, stop: int) -> tuple[int, int] | None:
    """``(begin, end)`` of the run of non-space characters that ends at ``stop`` (not
    before ``start``), or None. A line break right before ``stop`` is stepped over,
    as a regular expression's ``$`` would.

    Scans backwards from ``stop``, so it costs the length of the word whatever the
    distance to ``start``: the sentence start stays put through a run of stops that
    end nothing (``J. Smith, K. Jones, ...``), and a search forward from it made the
    splitter quadratic on such text."""
    end = stop - 1 if stop > start and text[stop - 1] == "\n" else stop
    begin = end
    while begin > start and not text[begin - 1].isspace():
        begin -= 1
    return (begin, end) if begin < end else None


def _ends_sentence(text: str, start: int, stop: int, after: int, cased: bool) -> bool:
    """Whether the stop at ``text[stop]`` (the first char of the terminal run) ends a sentence."""
    terminal = text[stop:after].rstrip(CLOSERS + "」』） \u00a0\u202f")
    if terminal[:1] in "。！？":
        return True
    nxt = _next_word(text, after)
    if not nxt:
        # End of text or only punctuation follows: a boundary unless nothing follows at all.
        return True
    nxt_lower = nxt.lower()
    starts_upper = nxt[0].isupper()
    starts_digit = nxt[0].isdigit()
    if cased and nxt[0].islower():
        # "what?" he asked / "e.g. the" / "U.S. officials": the sentence goes on.
        return False
    if terminal in ("?", "!", "?!", "!?") or set(terminal) <= {"?", "!"}:
        return True
    if terminal.startswith("..") or terminal == "…":
        # An ellipsis ends a sentence only when a new one visibly starts.
        return starts_upper if cased else nxt_lower in STARTERS
    if terminal != ".":
        return True
    found = _word_before(text, start, stop)
    if found is None:
        return True
    word = text[found[0] : found[1]].lstrip("\"'“‘([{").lower()
    if not word:
        return True
    bare = word.rstrip(".")
    if bare in LATIN:
        return False
    if bare in TITLES:
        return False
    if len(bare) == 1 and bare.isalpha():
        # An initial: J. R. R. Tolkien, George W. Bush. (A lone "plan B." is rarer.)
        return cased and starts_upper and nxt_lower in STARTERS
    if bare in MONTHS or bare in NUMBERED:
        return not starts_digit
    if bare.isdigit() and len(bare) <= 2 and nxt_lower in ORDINAL_MONTHS:
        return False  # "am 3. März": a German ordinal date
    if bare == "sr" or bare in AMOUNTS:
        return nxt_lower in STARTERS  # "Sr. García" (Spanish), "Smith Sr. The" (English)
    if "." in bare and all(len(p) <= 2 for p in bare.split(".")):
        # A dotted acronym such as U.S. or a.m.
        return nxt_lower in STARTERS and (not cased or starts_upper)
    if bare in MAYBE_END:
        return nxt_lower in STARTERS or (cased and starts_upper)
    return True


def _split_line_breaks(text: str, start: int, end: int, cased: bool) -> list[tuple[int, int]]:
    """Split a paragraph at single line breaks that follow a title-like line.

    A line is title-like when it is short and has no closing punctuation, and (in
    cased text) the next line does not go on in lower case.
    """
    spans: list[tuple[int, int]] = []
    pos = start
    i = text.find("\n", start, end)
    while i != -1:
        line = text[pos:i]
        words = len(line.split())
        nxt = _next_word(text, i + 1)
        goes_on = cased and nxt[:1].islower()
        if line.strip() and not _TERMINAL_LINE.search(line) and words <= 14 and not goes_on:
            spans.append((pos, i))
            pos = i + 1
        elif _TERMINAL_LINE.search(line) and i + 1 < end and text[i + 1] in "-*•–—":
            spans.append((pos, i))  # a list item starts on the next line
            pos = i + 1
        i = text.find("\n", i + 1, end)
    spans.append((pos, end))
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every sentence of ``text``, in order, trimmed of white space."""
    cased = _is_cased(text)
    out: list[tuple[int, int]] = []
    for p_start, p_end in _paragraph_spans(text):
        for l_start, l_end in _split_line_breaks(text, p_start, p_end, cased):
            pos = l_start
            for m in _BOUNDARY.finditer(text, l_start, l_end):
                if m.end() >= l_end:
                    break
                if _ends_sentence(text, pos, m.start(), m.end(), cased):
                    s, e = _trim(text, pos, m.end())
                    if s < e:
                        out.append((s, e))
                    pos = m.end()
            s, e = _trim(text, pos, l_end)
            if s < e:
                out.append((s, e))
    return out


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every non-empty paragraph (blank-line separated), trimmed."""
    out = []
    for s, e in _paragraph_spans(text):
        s, e = _trim(text, s, e)
        if s < e:
            out.append((s, e))
    return out


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text``, each exactly a substring of it, in order."""
    return [text[s:e] for s, e in sentence_spans(text)]


def words(text: str) -> list[str]:
    """The words of ``text`` (letters and digits; inner apostrophes, dots and hyphens kept)."""
    return _WORD.findall(text)


class Tokenizer:
    """A sumy-compatible tokenizer (``to_sentences`` and ``to_words``) needing no NLTK data."""

    language = "english"

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return tuple(split_sentences(paragraph))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(words(sentence))


@lru_cache(maxsize=1)
def tokenizer() -> Tokenizer:
    return Tokenizer()
