"""Checking a phrase on an article's file without parsing it when the bytes say no.

The index keeps no word positions, so a phrase's candidates (every word present)
are decided on the clean body (:func:`briefing.corpus.load.parse_body`), which costs
a parse and a fold of the whole text per file. Most candidates of a phrase of
common words do not hold it: :func:`may_hold` looks at the file's raw bytes first
and answers False only when no clean body made from those bytes can hold the
phrase; anything else ("maybe") goes to the exact check as before. A wrong False
would change a query's answer, so the test is built from what the parser can do
to the text between the bytes and the body (:mod:`briefing.corpus.parse`,
:func:`briefing.sanitize.clean_text`, :mod:`briefing.corpus.decode`), and falls
back to "maybe" wherever that is more than it models:

- only plain text and Markdown files (``.txt``, ``.md``) are judged; HTML (tags,
  entities, markup a word may be split by), documents, mail and many-article files
  always go to the exact check; so does a phrase with a word that is not ASCII;
- a file with a NUL byte or a UTF-16/32 byte-order mark (a byte is not a
  character there), or an ESC byte (the sanitizer swallows an escape sequence,
  letters included) always goes to the exact check;
- ASCII bytes are the same characters in every encoding the decoder picks
  (UTF-8, Windows-1252, Latin-1); a line of the body is a piece of a line of the
  text, stripped, and lines are joined with a space or a blank line, so within a
  line two words of the body stand in the bytes with only other characters than
  ASCII letters and digits between them. Whole lines are dropped (site furniture,
  a byline, a date line, a headline) and a prefix of a line may be (a date marker,
  ``#`` of a heading): a phrase can then join two lines that were far apart, so a
  file where a word of the phrase (not the last) ends a line is a "maybe";
- characters that are not ASCII: when every one of them is punctuation or a space
  (no letter, digit or combining mark, none the sanitizer deletes), they separate
  words as they do in the body, and the test above is exact about the words. Else
  (accented letters fold to ASCII ones: ``Whíte`` is ``white``; a zero-width space
  inside a word is deleted; Windows-1252 bytes) any run of non-ASCII bytes may
  stand for a letter or for nothing, inside a word as well as around it.

Case: ASCII letters are compared lower-cased (``bytes.lower``); the fold of other
letters is covered by the wildcard. Where the words are found as they need to be,
the answer is "maybe" and the exact check decides, unless :func:`surely_holds`
says "yes".

**Yes without a parse** (:func:`verdict`). Most files that hold a phrase hold it
in a long paragraph line, which the parser passes to the body unchanged. A line
``L`` of a ``.txt`` or ``.md`` file settles "yes" when all of these hold, each for
the parser's reason given:

1. the file: no NUL byte, no ESC byte, no UTF-16/32 byte-order mark, valid UTF-8
   after at most one UTF-8 byte-order mark (:func:`~briefing.corpus.decode.decode_bytes`
   then decodes it as UTF-8, never refuses it as binary nor guesses another
   encoding; :func:`~briefing.sanitize.clean_text` has no escape sequence to
   swallow lines with), and its text does not open with ``---`` after its
   byte-order marks (no front matter is split off);
2. ``L`` (the bytes between two LF, or the file's ends, less one CR before the LF)
   is printable ASCII and tabs only: the same characters after any decoding, left
   alone by the sanitizer (it deletes or replaces no ASCII letter, digit, space or
   punctuation; a CR before an LF goes with it, so ``L`` is a line of the clean
   text with or without the sanitizer);
3. ``L`` stripped is longer than :data:`LONG` characters (200: the parser's
   furniture and rule lines are shorter than 200 (:func:`briefing.corpus.parse._blocks`),
   a byline, date or ``Key: value`` line is at most ``MAX_META_LINE`` (160), a
   headline, a Markdown heading it reads as one, a title above a date marker at
   most ``MAX_HEADLINE`` (200)), it is not a line of a web address
   (``_URL_LINE``/``_URL_META_LINE``, the only longer lines the head or the tail
   consume) and it does not open with a date marker (``DATE_MARKER``: the head
   cuts it off): so no step drops or cuts ``L``. A line that opens with a date
   marker, a space and a rest ``R``: the head cuts the marker off the text's first
   line only (``R`` takes its place and goes through the head's tests again) and
   leaves every other such line whole; so when ``R`` (lstripped) passes the tests
   above for ``L``, ``R`` is in the body either way, and a match at its start is a
   token start either way (a space before it, or the line's start). The generated
   1M corpus opens its first paragraph so ("date 2025-10-14 (cnn) ..."), where a
   phrase often stands. Paragraphs are whole lines,
   joined by a space (a hard-wrapped block) or a blank line; a Markdown setext
   underline puts ``# `` before ``L``, which a heading longer than
   ``MAX_HEADLINE`` keeps. ``L`` is in the body, between the body's ends, spaces
   and newlines;
4. the phrase is found in ``L`` lower-cased by the exact check's own pattern and
   token-start test (:func:`briefing.querylang.match.find_tokens`): the fold of
   ASCII is lower case whatever else the body holds, and the characters around
   ``L`` in the body are spaces, newlines or ``#``, no token character, so the
   same match stands in the folded body;
5. the phrase has no word sequence that is both a proper prefix and a suffix of
   it (``go go``, ``a b a``): ``find_tokens`` takes matches left to right without
   overlap, and only such a phrase can have a match starting earlier (inside a
   longer word, so rejected) that overlaps, and hides, the one in ``L``.

Anything else ("maybe") goes to the exact check.
"""

from __future__ import annotations

import codecs
import re
from functools import lru_cache

from briefing.corpus.dates import DATE_MARKER
from briefing.corpus.discover import kind_of
from briefing.corpus.parse import _URL_LINE, _URL_META_LINE, MAX_HEADLINE, MAX_META_LINE
from briefing.index.query import fold_like_index
from briefing.querylang.match import _phrase_pattern, find_tokens

_JUDGED_KINDS = ("text", "markdown")
_ASCII = bytes(range(128))
# Characters the sanitizer deletes (briefing.sanitize._BIDI): a word may close up around them.
_DELETED = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u2060\ufeff")
_WORD = re.compile(r"[a-z0-9]+")
# A line longer than this is neither furniture (< 200 in _blocks), a meta line, a
# headline nor a heading to the parser (see the module docstring, 3).
LONG = max(199, MAX_META_LINE, MAX_HEADLINE)
_PRINTABLE = bytes(range(0x20, 0x7f)) + b"\t"


@lru_cache(maxsize=4096)
def _folded_char(char: str) -> bytes | None:
    """What a character that is not ASCII becomes in the bytes the test reads: its
    fold when that is ASCII (``é`` -> ``e``, ``K`` (Kelvin) -> ``k``), else b"" (kept
    as it is: a separator, or a letter of another script, which no ASCII word holds);
    None when the test cannot model it (a combining mark, which the fold removes
    after a Latin letter and keeps elsewhere; a character the sanitizer deletes)."""
    import unicodedata

    if char in _DELETED or unicodedata.category(char).startswith("M"):
        return None
    folded = fold_like_index(char)
    return folded.encode("ascii") if folded.isascii() else b""


def _ascii_view(data: bytes) -> bytes | None:
    """``data`` with each character that is not ASCII replaced by its fold where that
    is ASCII (:func:`_folded_char`); None when the bytes are not UTF-8 (decoded as
    Windows-1252 or Latin-1: left to the exact check) or hold a character the test
    does not model. Valid UTF-8 is self-synchronising: a character's bytes are
    never found inside another's, so replacing them is replacing the character."""
    residue = data.translate(None, _ASCII)
    if not residue:
        return data
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    for char in set(residue.decode("utf-8")):
        folded = _folded_char(char)
        if folded is None:
            return None
        if folded:
            data = data.replace(char.encode("utf-8"), folded)
    return data


@lru_cache(maxsize=256)
def _patterns(words: tuple[str, ...]) -> tuple[re.Pattern[bytes], re.Pattern[bytes] | None]:
    """(the words in order with separators between them; a word but the last at the
    end of a line), on lower-cased bytes."""
    parts = [re.escape(w.encode("ascii")) for w in words]
    joined = re.compile(rb"[^a-z0-9]+".join(parts))
    ends = re.compile(rb"(?:" + rb"|".join(parts[:-1]) + rb")[^a-z0-9\r\n]*[\r\n]") if len(parts) > 1 else None
    return joined, ends


@lru_cache(maxsize=256)
def judged(words: tuple[str, ...]) -> bool:
    """:func:`may_hold` can say no for this phrase (its words are ASCII letters and digits)."""
    return bool(words) and all(_WORD.fullmatch(w) for w in words)


def may_hold(data: bytes, kind: str | None, words: tuple[str, ...]) -> bool:
    """False only when the clean body parsed from ``data`` (a file of ``kind``, see
    :func:`briefing.corpus.discover.kind_of`) certainly does not hold the folded tokens
    ``words`` one after the other (see the module docstring); True: maybe."""
    return verdict(data, kind, words) is not False


def surely_holds(data: bytes, kind: str | None, words: tuple[str, ...]) -> bool:
    """True only when the clean body parsed from ``data`` certainly holds the phrase
    (see the module docstring, "Yes without a parse"); False: maybe or no."""
    return verdict(data, kind, words) is True


def verdict(data: bytes, kind: str | None, words: tuple[str, ...]) -> bool | None:
    """Does the clean body parsed from ``data`` hold the phrase ``words``? False:
    certainly not; True: certainly; None: the exact check decides."""
    if kind not in _JUDGED_KINDS or not judged(words):
        return None
    if data[:3] == codecs.BOM_UTF8:
        data = data[3:]
    elif data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return None
    if b"\x00" in data or b"\x1b" in data:  # with or without a byte-order mark
        return None
    joined, ends = _patterns(words)
    ascii_ = data.isascii()
    if not ascii_:  # a long line of ASCII may say yes before the fold of the rest
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return None
        if _no_border(words) and _in_a_long_line(data, data.lower(), joined, words):
            return True
    view = data if ascii_ else _ascii_view(data)
    if view is None:
        return None
    low = view.lower()
    found = joined.search(low)
    if found is None:
        return None if ends is not None and ends.search(low) is not None else False
    # here the bytes are ASCII, without NUL nor ESC
    if ascii_ and _no_border(words) and _in_a_long_line(data, low, joined, words):
        return True
    return None


@lru_cache(maxsize=256)
def _no_border(words: tuple[str, ...]) -> bool:
    n = len(words)
    return not any(words[:n - d] == words[d:] for d in range(1, n))


def _in_a_long_line(data: bytes, low: bytes, joined: re.Pattern[bytes], words: tuple[str, ...]) -> bool:
    """A line of ``data`` where the phrase is found settles it (module docstring,
    1-4; the bytes are UTF-8 without NUL nor ESC, a first byte-order mark removed).
    ``low``: ``data`` lower-cased (ASCII letters only: same length, same lines)."""
    if data.lstrip(codecs.BOM_UTF8)[:3] == b"---":  # lstrip takes any of EF, BB, BF: at least the marks
        return False
    found = joined.search(low)
    if found is None:
        return False
    start = found.start()
    pattern = _phrase_pattern(words)
    while True:
        begin = data.rfind(b"\n", 0, start) + 1
        end = data.find(b"\n", start)
        if end < 0:
            end = len(data)
        raw = data[begin:end - 1] if end > begin and data[end - 1:end] == b"\r" else data[begin:end]
        if not raw.translate(None, _PRINTABLE) and _line_settles(raw.decode("ascii").strip(), pattern):
            return True
        found = joined.search(low, end)
        if found is None:
            return False
        start = found.start()


def _line_settles(line: str, pattern: re.Pattern[str]) -> bool:
    """The stripped printable ASCII ``line`` (or, after a date marker, what follows
    it) is kept whole in the body and holds the phrase (module docstring, 3 and 4)."""
    marker = DATE_MARKER.match(line)
    if marker is not None:
        # the head may cut the marker off (and nothing else of the line: the rest stays in
        # the body's first line), or leave the whole line; a space before the rest keeps a
        # match at its start a token start either way
        rest = line[marker.end():].lstrip()
        if not line[:len(line) - len(rest)][-1:].isspace():
            return False
        line = rest
        if DATE_MARKER.match(line):
            return False
    return (len(line) > LONG and not _URL_LINE.fullmatch(line) and not _URL_META_LINE.fullmatch(line)
            and find_tokens(pattern, line.lower()))


class FileText:
    """One article's file, read at most once: :meth:`probe` and :meth:`sure` (a
    phrase's test on the bytes, :func:`verdict`) and :meth:`body` (the clean body
    parsed from the same bytes) for :class:`briefing.querylang.match.Facts`. A file
    that cannot be read as an article has an empty body (as :meth:`Evaluation.body`):
    only its metadata can match."""

    __slots__ = ("id", "path", "kind", "_data", "_body", "_verdicts")

    def __init__(self, article_id: str, path: str) -> None:
        self.id = article_id
        self.path = path
        self.kind = kind_of(path)
        self._data: bytes | None = None
        self._body: str | None = None
        self._verdicts: dict[tuple[str, ...], bool | None] = {}

    def _bytes(self) -> bytes:
        if self._data is None:
            from briefing.corpus.load import kind_max_bytes, read_with_stat

            try:  # read_bytes, its size limit from the kind known here
                self._data = read_with_stat(self.path, kind_max_bytes(self.kind))[0]
            except Exception:  # noqa: BLE001 - unreadable: no body
                self._data = b""
        return self._data

    def _verdict(self, words: tuple[str, ...]) -> bool | None:
        if self._body is not None or self.kind not in _JUDGED_KINDS or not judged(words):
            return None  # parsed already, or not judged by its bytes: the exact check
        if words not in self._verdicts:
            self._verdicts[words] = verdict(self._bytes(), self.kind, words)
        return self._verdicts[words]

    def probe(self, words: tuple[str, ...]) -> bool:
        """False: the body certainly does not hold the phrase."""
        return self._verdict(words) is not False

    def sure(self, words: tuple[str, ...]) -> bool:
        """True: the body certainly holds the phrase."""
        return self._verdict(words) is True

    def body(self) -> str:
        if self._body is None:
            from briefing.corpus.items import CONTAINER_KINDS
            from briefing.corpus.load import parse_body, read_item

            try:
                if self.kind in CONTAINER_KINDS:
                    self._body = read_item(self.id, self.path).body
                else:
                    self._body = parse_body(self.id, self.path, self._bytes()) if self._bytes() else ""
            except Exception:  # noqa: BLE001 - an unreadable file: only its metadata can match
                self._body = ""
            self._data = None
        return self._body
