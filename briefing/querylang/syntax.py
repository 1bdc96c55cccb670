"""The query language's parser: what an analyst types -> a tree of :mod:`nodes`.

One pass over the text makes tokens (words, quoted phrases, ``field:value``,
``(``, ``)``, ``OR``, ``-``); a recursive descent turns them into an
:class:`~briefing.querylang.nodes.Query`. Every problem raises
:class:`QueryError` with the (start, end) of the part of the text at fault.
Nothing here touches SQLite: the evaluator quotes every token it sends to FTS5.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from briefing.humandates import HumanDateError, parse_range, parse_since, parse_until
from briefing.index.query import MIN_PREFIX, tokens
from briefing.lang.detect import check_code
from briefing.querylang.nodes import (
    IS_STATES,
    SORTS,
    TEXT_FIELDS,
    And,
    DateIn,
    IdGlob,
    IsState,
    Lang,
    Node,
    Not,
    Or,
    Phrase,
    Query,
    Tag,
    Words,
)

MAX_LENGTH = 1000  # characters; longer queries are refused with a message
MAX_TERMS = 48  # words, phrases and fields in one query

FIELDS = ("title", "source", "author", "tag", "id", "is", "date", "since", "until", "sort", "lang")
_FIELD = re.compile(r"([A-Za-z]+):")


class QueryError(ValueError):
    """A query that does not parse: ``message`` says why, ``start``/``end`` where
    (offsets in the text as typed; ``end`` > ``start``, except at the very end)."""

    def __init__(self, message: str, start: int, end: int) -> None:
        super().__init__(message)
        self.message = message
        self.start = start
        self.end = max(end, start)

    def __str__(self) -> str:
        return f"{self.message} (at {self.start + 1})"


@dataclass(frozen=True)
class _Tok:
    kind: str  # word | phrase | field | ( | ) | OR | AND | -
    start: int
    end: int
    text: str = ""  # word or phrase text; a field's value
    name: str = ""  # a field's name
    quoted: bool = False  # a field's value was quoted


def _clean(text: str) -> str:
    """Control and format characters become spaces (same length: positions hold)."""
    return "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in text)


def _lex(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif c in "()":
            out.append(_Tok(c, i, i + 1))
            i += 1
        elif c == "-":
            if i + 1 >= n or text[i + 1].isspace() or text[i + 1] in ")":
                raise QueryError("a lone '-' excludes nothing: put it right before a word, phrase or field (-word)",
                                 i, i + 1)
            out.append(_Tok("-", i, i + 1))
            i += 1
        elif c == '"':
            close = text.find('"', i + 1)
            if close == -1:
                raise QueryError('this quote is never closed: add the closing "', i, n)
            out.append(_Tok("phrase", i, close + 1, text[i + 1:close]))
            i = close + 1
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in '()"':
                j += 1
            chunk = text[i:j]
            m = _FIELD.match(chunk)
            if m is not None and (m.end() < len(chunk) or (j < n and text[j] == '"')):
                name = m.group(1).lower()
                if name not in FIELDS:
                    raise QueryError(f"unknown field '{m.group(1)}:' (fields: {', '.join(f + ':' for f in FIELDS)}); "
                                     'quote it to search the text ("…")', i, i + m.end())
                if m.end() < len(chunk):
                    out.append(_Tok("field", i, j, chunk[m.end():], name))
                    i = j
                else:  # name:"quoted value"
                    close = text.find('"', j + 1)
                    if close == -1:
                        raise QueryError('this quote is never closed: add the closing "', j, n)
                    out.append(_Tok("field", i, close + 1, text[j + 1:close], name, quoted=True))
                    i = close + 1
                continue
            if m is not None and m.end() == len(chunk) and m.group(1).lower() in FIELDS:
                raise QueryError(f"'{chunk}' needs a value right after the colon (e.g. {_example(m.group(1).lower())})",
                                 i, j)
            if chunk in ("OR", "AND"):
                out.append(_Tok(chunk, i, j))
            else:
                out.append(_Tok("word", i, j, chunk))
            i = j
    return out


def _example(name: str) -> str:
    return {
        "title": "title:ukraine", "source": 'source:"Kyiv Independent"', "author": "author:smith",
        "tag": "tag:energy", "id": "id:2024/*", "is": "is:unread", "date": "date:2024-03",
        "since": "since:7d", "until": "until:yesterday", "sort": "sort:oldest", "lang": "lang:uk",
    }[name]


class _Parser:
    def __init__(self, text: str, toks: list[_Tok], typing: bool, today: dt.date | None) -> None:
        self.text = text
        self.today = today
        self.toks = toks
        self.pos = 0
        self.sort = "newest"
        self.sort_tok: _Tok | None = None
        self.terms = 0
        self.typing = typing
        self.depth = 0

    def peek(self) -> _Tok | None:
        return self.toks[self.pos] if self.pos < len(self.toks) else None

    def parse(self) -> Query:
        node = self.or_expr()
        tok = self.peek()
        if tok is not None:  # only a ')' stops an or_expr early
            raise QueryError("this ')' closes nothing: remove it or add a '(' before", tok.start, tok.end)
        return Query(self.text, node, self.sort)

    def or_expr(self) -> Node | None:
        begin = self.pos
        parts: list[Node | None] = [self.and_expr()]
        while (tok := self.peek()) is not None and tok.kind == "OR":
            if self.pos == begin:  # nothing on the left
                raise QueryError("OR needs a word, phrase or field on both sides", tok.start, tok.end)
            self.pos += 1
            begin = self.pos
            parts.append(self.and_expr())
            if self.pos == begin:  # nothing on the right
                raise QueryError("OR needs a word, phrase or field on both sides", tok.start, tok.end)
        kept = [p for p in parts if p is not None]
        if not kept:
            return None
        return kept[0] if len(kept) == 1 else Or(tuple(kept))

    def _last_consumed_kind(self) -> str:
        return self.toks[self.pos - 1].kind if self.pos else ""

    def and_expr(self) -> Node | None:
        parts: list[Node] = []
        while (tok := self.peek()) is not None and tok.kind not in ("OR", ")"):
            if tok.kind == "AND":
                if not parts and self._last_consumed_kind() in ("", "(", "OR", "AND"):
                    raise QueryError("AND needs a word, phrase or field on both sides", tok.start, tok.end)
                self.pos += 1
                nxt = self.peek()
                if nxt is None or nxt.kind in ("OR", ")", "AND"):
                    raise QueryError("AND needs a word, phrase or field on both sides", tok.start, tok.end)
                continue
            node = self.unary()
            if node is not None:
                parts.append(node)
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def unary(self) -> Node | None:
        tok = self.toks[self.pos]
        if tok.kind == "-":
            self.pos += 1
            nxt = self.peek()
            if nxt is None or nxt.kind in ("OR", "AND", ")") or nxt.start != tok.end:
                raise QueryError("a lone '-' excludes nothing: put it right before a word, phrase or field (-word)",
                                 tok.start, tok.end)
            if nxt.kind == "field" and nxt.name == "sort":
                raise QueryError("sort: cannot be excluded", tok.start, nxt.end)
            inner = self.unary() if nxt.kind == "-" else self.atom(negated=True)
            return Not(inner) if inner is not None else None
        return self.atom(negated=False)

    def atom(self, negated: bool) -> Node | None:
        tok = self.toks[self.pos]
        self.pos += 1
        if tok.kind == "(":
            self.depth += 1
            inner = self.or_expr()
            close = self.peek()
            if close is None or close.kind != ")":
                raise QueryError("this '(' is never closed: add a ')'", tok.start, tok.end)
            self.pos += 1
            self.depth -= 1
            if inner is None and not self._inside_has_text(tok, close):
                raise QueryError("empty brackets: put words inside or remove them", tok.start, close.end)
            return inner
        self._count(tok)
        if tok.kind == "word":
            return self.word(tok, negated)
        if tok.kind == "phrase":
            found = tuple(tokens(tok.text))
            if not found:
                if not tok.text.strip():
                    raise QueryError("an empty phrase: put words between the quotes", tok.start, tok.end)
                return None
            if len(found) > 1:
                return Phrase(found, None, tok.start, tok.end)
            return Words(found, False, None, tok.start, tok.end, exact=True)
        assert tok.kind == "field", tok
        return self.field(tok)

    def _inside_has_text(self, open_tok: _Tok, close_tok: _Tok) -> bool:
        return bool(self.text[open_tok.end:close_tok.start].strip())

    def _count(self, tok: _Tok) -> None:
        self.terms += 1
        if self.terms > MAX_TERMS:
            raise QueryError(f"too many terms (at most {MAX_TERMS}): split the query", tok.start, len(self.text))

    def word(self, tok: _Tok, negated: bool) -> Node | None:
        text, prefix = tok.text, False
        if text.endswith("*"):
            text, prefix = text.rstrip("*"), True
            if not tokens(text):
                raise QueryError("a '*' needs the start of a word before it (e.g. sanct*)", tok.start, tok.end)
        found = tuple(tokens(text))
        if not found:
            return None  # punctuation only ("[/]", "&&"): nothing to look for
        if (not prefix and self.typing and not negated and tok.end == len(self.text) and tok is self.toks[-1]
                and len(found[-1]) >= MIN_PREFIX and (tokens(text[-1]) != [])):
            prefix = True  # the analyst is still typing this word
        return Words(found, prefix, None, tok.start, tok.end)

    def field(self, tok: _Tok) -> Node | None:
        name, value = tok.name, tok.text
        vstart = tok.end - len(value) - (1 if tok.quoted else 0)
        where = (vstart, tok.end)
        if not value.strip():
            raise QueryError(f"'{name}:' needs a value (e.g. {_example(name)})", tok.start, tok.end)
        if name in TEXT_FIELDS:
            prefix = not tok.quoted and value.endswith("*")
            found = tuple(tokens(value.rstrip("*") if prefix else value))
            if not found:
                raise QueryError(f"'{name}:' needs letters or digits to look for", *where)
            if tok.quoted and len(found) > 1:
                return Phrase(found, name, tok.start, tok.end)
            return Words(found, prefix, name, tok.start, tok.end)
        if name == "tag":
            prefix = not tok.quoted and value.endswith("*") and len(value) > 1
            tag = value.rstrip("*") if prefix else value
            return Tag(" ".join(tag.split()).casefold(), prefix)
        if name == "id":
            return IdGlob(value)
        if name == "lang":
            try:
                return Lang(check_code(value))
            except ValueError as err:
                raise QueryError(f"lang: {err}", *where) from None
        if name == "is":
            state = value.lower()
            if state not in IS_STATES:
                raise QueryError(f"is: takes one of {', '.join(IS_STATES)}, not '{value}'", *where)
            return IsState(state)
        if name == "sort":
            choice = value.lower()
            if choice not in SORTS:
                raise QueryError(f"sort: takes one of {', '.join(SORTS)}, not '{value}'", *where)
            if self.depth or self._negated_before(tok):
                raise QueryError("sort: applies to the whole query: put it outside brackets", tok.start, tok.end)
            if self.sort_tok is not None and self.sort != choice:
                raise QueryError(f"two different sort: orders ({self.sort}, {choice}): keep one", tok.start, tok.end)
            self.sort, self.sort_tok = choice, tok
            self.terms -= 1
            return None
        try:
            if name == "date":
                rng = parse_range(value, self.today)
                return DateIn(rng.start, rng.end)
            if name == "since":
                return DateIn(parse_since(value, self.today), None)
            return DateIn(None, parse_until(value, self.today))
        except HumanDateError as err:
            raise QueryError(f"{name}: {err}", *where) from None

    def _negated_before(self, tok: _Tok) -> bool:
        i = self.toks.index(tok)
        return i > 0 and self.toks[i - 1].kind == "-" and self.toks[i - 1].end == tok.start


def parse(text: str, *, typing: bool = False, today: dt.date | None = None) -> Query:
    """Parse ``text`` into a :class:`Query`; :class:`QueryError` when it does not parse.

    ``typing``: the text is being typed (the reader's ``/``): a plain last word that
    the text ends on also matches as a prefix (``gri`` finds ``grid``), as search
    always did. ``today``: the day relative dates (``7d``) count from (default: the
    clock's, as :mod:`briefing.humandates` does)."""
    if len(text) > MAX_LENGTH:
        raise QueryError(f"the query is too long ({len(text)} characters; at most {MAX_LENGTH})", MAX_LENGTH, len(text))
    clean = _clean(text)
    return _Parser(clean, _lex(clean), typing, today).parse()
