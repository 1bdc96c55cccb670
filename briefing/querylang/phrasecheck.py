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
the answer is "maybe" and the exact check decides.
"""

from __future__ import annotations

import codecs
import re
from functools import lru_cache

from briefing.corpus.discover import kind_of
from briefing.index.query import fold_like_index

_JUDGED_KINDS = ("text", "markdown")
_ASCII = bytes(range(128))
# Characters the sanitizer deletes (briefing.sanitize._BIDI): a word may close up around them.
_DELETED = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u2060\ufeff")
_WORD = re.compile(r"[a-z0-9]+")


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


def judged(words: tuple[str, ...]) -> bool:
    """:func:`may_hold` can say no for this phrase (its words are ASCII letters and digits)."""
    return bool(words) and all(_WORD.fullmatch(w) for w in words)


def may_hold(data: bytes, kind: str | None, words: tuple[str, ...]) -> bool:
    """False only when the clean body parsed from ``data`` (a file of ``kind``, see
    :func:`briefing.corpus.discover.kind_of`) certainly does not hold the folded tokens
    ``words`` one after the other (see the module docstring); True: maybe."""
    if kind not in _JUDGED_KINDS or not judged(words):
        return True
    if data[:3] == codecs.BOM_UTF8:
        data = data[3:]
    elif data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) or b"\x00" in data or b"\x1b" in data:
        return True
    view = _ascii_view(data)
    if view is None:
        return True
    low = view.lower()
    joined, ends = _patterns(words)
    return joined.search(low) is not None or (ends is not None and ends.search(low) is not None)


class FileText:
    """One article's file, read at most once: :meth:`probe` (a phrase's test on the
    bytes, :func:`may_hold`) and :meth:`body` (the clean body parsed from the same
    bytes) for :class:`briefing.querylang.match.Facts`. A file that cannot be read as
    an article has an empty body (as :meth:`Evaluation.body`): only its metadata can
    match."""

    __slots__ = ("id", "path", "kind", "_data", "_body")

    def __init__(self, article_id: str, path: str) -> None:
        self.id = article_id
        self.path = path
        self.kind = kind_of(path)
        self._data: bytes | None = None
        self._body: str | None = None

    def _bytes(self) -> bytes:
        if self._data is None:
            from briefing.corpus.load import kind_max_bytes, read_with_stat

            try:  # read_bytes, its size limit from the kind known here
                self._data = read_with_stat(self.path, kind_max_bytes(self.kind))[0]
            except Exception:  # noqa: BLE001 - unreadable: no body
                self._data = b""
        return self._data

    def probe(self, words: tuple[str, ...]) -> bool:
        if self._body is not None or self.kind not in _JUDGED_KINDS or not judged(words):
            return True  # parsed already, or not judged by its bytes: the exact check
        return may_hold(self._bytes(), self.kind, words)

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
