"""Turn what a user types into a safe FTS5 query, and find what to highlight.

Query semantics (the test suite checks them against a brute-force scan):

- the text is cut into tokens the way SQLite's ``unicode61`` tokenizer cuts it:
  runs of letters, digits and combining marks; everything else separates
  (``e-mail`` is ``e`` and ``mail``); at most :data:`MAX_TOKENS` tokens are used;
- tokens compare case-insensitively and without diacritics (``cafe`` finds ``Café``);
- an article matches when every token occurs in its title or its body (AND; the
  order and adjacency of tokens are not checked: the index keeps no positions);
- the last token also matches as a prefix (``gri`` finds ``grid``) when it has at
  least :data:`MIN_PREFIX` characters and the text does not end with whitespace, so
  results follow the user as they type.

Every token is quoted for FTS5, so ``"``, ``*``, ``-``, ``OR``, ``NEAR(``, ``:`` or
parentheses typed by a user are plain text and never raise.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

MAX_TOKENS = 16
MIN_PREFIX = 2
SNIPPET_WIDTH = 100  # characters of body shown around the first match

_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
# Runs of letters/digits or of marks, repeated: the same tokens as (?:[^\W_]|[marks])+,
# with one alternation per run instead of per character (several times faster).
TOKEN = re.compile(rf"(?:[^\W_]+|[{_MARKS}]+)+")


@dataclass(frozen=True)
class SearchHit:
    """One matching article.

    ``title_spans`` are (start, end) offsets of the matched words in ``title``;
    ``snippet`` is one line of the body around the first match (empty when only the
    title matched) and ``snippet_spans`` are offsets in ``snippet``.
    """

    id: str
    title: str
    title_spans: tuple[tuple[int, int], ...] = ()
    snippet: str = ""
    snippet_spans: tuple[tuple[int, int], ...] = ()


def _quoted(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


# Combining marks that follow a plain Latin letter once decomposed (é = e + ́).
_LATIN_MARKS = re.compile(rf"(?<=[A-Za-z])[{_MARKS}]+")


def fold_like_index(text: str) -> str:
    """Lower case with the diacritics of Latin letters removed, as SQLite's
    ``unicode61 remove_diacritics 2`` does (``Café`` -> ``cafe``). Letters of other
    scripts keep theirs, as they do in the index: Ukrainian ``ї``/``й``, Russian
    ``ё`` are letters of their own there (an NFKD fold made ``Київ`` ``киів``,
    which the index never holds, so a Cyrillic word with one found nothing)."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFD", text)
    stripped = _LATIN_MARKS.sub("", decomposed)
    return unicodedata.normalize("NFC", stripped).lower()


@lru_cache(maxsize=65536)
def fold(token: str) -> str:
    """Lower case without (Latin) diacritics, for comparing tokens: see
    :func:`fold_like_index`."""
    return fold_like_index(token)


def tokens(text: str) -> list[str]:
    """The folded tokens of ``text`` (a fold that yields a separator splits again)."""
    out = []
    for raw in TOKEN.findall(text):
        folded = fold(raw)
        if TOKEN.fullmatch(folded):
            out.append(folded)
        else:
            out.extend(TOKEN.findall(folded))
    return out


@dataclass(frozen=True)
class Query:
    """A parsed query: whole tokens, and an optional last token matched as a prefix."""

    words: tuple[str, ...]
    prefix: str | None

    @classmethod
    def parse(cls, text: str) -> Query:
        found = [t for t in tokens(text) if t][:MAX_TOKENS]
        if not found:
            return cls((), None)
        ends_open = bool(text) and not text[-1].isspace() and bool(TOKEN.search(text[-1]))
        if ends_open and len(found[-1]) >= MIN_PREFIX:
            return cls(tuple(dict.fromkeys(found[:-1])), found[-1])
        return cls(tuple(dict.fromkeys(found)), None)

    @property
    def empty(self) -> bool:
        return not self.words and self.prefix is None

    def match_expression(self, prefix_terms: list[str] | None = None) -> str | None:
        """The FTS5 MATCH expression, every token quoted.

        ``prefix_terms``: every term of the index that starts with the prefix (a
        non-empty list); they replace the prefix query by ``("t1" OR "t2" ...)``, which
        matches the same rows."""
        if self.empty:
            return None
        parts = [_quoted(w) for w in self.words]
        if self.prefix is not None:
            if prefix_terms:
                parts.append("(" + " OR ".join(_quoted(t) for t in prefix_terms) + ")")
                return " AND ".join(parts)
            parts.append(_quoted(self.prefix) + " *")
        return " ".join(parts)

    def matches_token(self, folded: str) -> bool:
        return folded in self.words or (self.prefix is not None and folded.startswith(self.prefix))

    @property
    def ascii(self) -> bool:
        """Every word (and the prefix) is ASCII: on ASCII text, matching is then plain
        lower-case comparison, which the fast paths below rely on."""
        return all(w.isascii() for w in self.words) and (self.prefix is None or self.prefix.isascii())

    def matches_text(self, *texts: str) -> bool:
        """Brute force: does the union of the tokens of ``texts`` satisfy the query?"""
        have = set()
        for text in texts:
            have.update(tokens(text))
        if any(w not in have for w in self.words):
            return False
        return self.prefix is None or any(t.startswith(self.prefix) for t in have)

    def spans(self, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
        """(start, end) of every token of ``text[start:end]`` that the query matches."""
        end = len(text) if end is None else end
        if text.isascii() and self.ascii:  # the same tokens (runs of [A-Za-z0-9]), folded by lower()
            words, prefix = frozenset(self.words), self.prefix
            return [
                m.span()
                for m in _ASCII_TOKEN.finditer(text, start, end)
                if (t := m.group().lower()) in words or (prefix is not None and t.startswith(prefix))
            ]
        found = []
        words, prefix = frozenset(self.words), self.prefix
        for m in TOKEN.finditer(text, start, end):
            folded = fold(m.group())
            if folded in words or (prefix is not None and folded.startswith(prefix)):
                found.append(m.span())
        return found

    def first_span(self, text: str) -> tuple[int, int] | None:
        """The first token of ``text`` that the case-insensitive regex of :func:`_pattern`
        matches; failing that (diacritics, odd case folds), the first matched token."""
        if self.ascii:
            low = _plain_lower(text)
            if low is not None:  # the regex's answer by str.find, several times faster
                found = _first_by_find(text, low, self.words, self.prefix)
                if found is not None or text.isascii():
                    return found
                spans = self.spans(text)
                return spans[0] if spans else None
        pattern = _pattern(self.words, self.prefix)
        m = pattern.search(text)
        if m is not None:
            return m.span()
        if text.isascii():
            return None
        spans = self.spans(text)  # diacritics or odd case folds: compare token by token
        return spans[0] if spans else None


_ASCII_TOKEN = re.compile(r"[A-Za-z0-9]+")  # TOKEN, on ASCII text
_MARK = re.compile(rf"[{_MARKS}]")
# Characters that a case-insensitive regex matches to an ASCII letter although their
# lower case is not that letter (re._casefix): with them, str.find would differ.
_ODD_CASE = ("\u017f", "\u0131")


def _plain_lower(text: str) -> str | None:
    """``text.lower()`` when it maps every character to one character and no
    character matches an ASCII letter case-insensitively in any other way, so that
    comparing ASCII words with it is what a case-insensitive regex does; else None."""
    low = text.lower()
    if text.isascii():
        return low
    if len(low) != len(text) or any(c in text for c in _ODD_CASE):
        return None
    return low


def _is_token_char(c: str) -> bool:
    return c.isalnum() or _MARK.match(c) is not None


def _first_by_find(text: str, low: str, words: tuple[str, ...], prefix: str | None) -> tuple[int, int] | None:
    """The first token of ``text`` (``low`` is its lower case, same length) that equals
    an (ASCII) word or starts with ``prefix``, by ``str.find``: what :func:`_pattern`
    finds with its look-arounds, without running a case-insensitive regex over every
    position."""
    best: tuple[int, int] | None = None
    n = len(low)
    tc = str.isalnum if text.isascii() else _is_token_char
    for word, whole in [(w, True) for w in words] + ([(prefix, False)] if prefix is not None else []):
        i = low.find(word)
        while i != -1 and (best is None or i < best[0]):
            j = i + len(word)
            if i == 0 or not tc(text[i - 1]):
                if not whole:
                    while j < n and tc(text[j]):
                        j += 1
                    best = (i, j)
                    break
                if j == n or not tc(text[j]):
                    best = (i, j)
                    break
            i = low.find(word, i + 1)
    return best


@lru_cache(maxsize=256)
def _pattern(words: tuple[str, ...], prefix: str | None) -> re.Pattern[str]:
    alternatives = [re.escape(w) for w in sorted(words, key=len, reverse=True)]
    if prefix is not None:
        alternatives.append(re.escape(prefix) + rf"(?:[^\W_]|[{_MARKS}])*")
    tokenchar = rf"(?:[^\W_]|[{_MARKS}])"
    return re.compile(rf"(?<!{tokenchar})(?:{'|'.join(alternatives)})(?!{tokenchar})", re.IGNORECASE)


def match_expression(text: str) -> str | None:
    """An FTS5 MATCH expression for what a user typed, or None when nothing can match."""
    return Query.parse(text).match_expression()


def snippet(body: str, query: Query) -> tuple[str, tuple[tuple[int, int], ...]]:
    """One line of ``body`` around the first match, and the matches inside it."""
    first = query.first_span(body)
    if first is None:
        return "", ()
    start = max(0, first[0] - SNIPPET_WIDTH // 3)
    if start > 0:  # open on a word boundary
        space = body.find(" ", start, first[0])
        if space != -1:
            start = space + 1
    end = min(len(body), max(start + SNIPPET_WIDTH, first[1]))
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(body) else ""
    text = prefix + body[start:end].replace("\n", " ").replace("\t", " ") + suffix
    shift = len(prefix) - start
    spans = tuple((s + shift, e + shift) for s, e in query.spans(body, start, end))
    return text, spans
