"""One article against a query (the truth the evaluator's shortcuts must agree with),
and where a query's words and phrases stand in a text (for highlighting).

Text rules are :mod:`briefing.index.query`'s: tokens are runs of letters, digits and
combining marks, compared case-insensitively and without diacritics.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from briefing.index.query import _MARKS, TOKEN, fold, fold_like_index, tokens
from briefing.lang.stem import search_stem
from briefing.querylang.nodes import And, DateIn, IdGlob, IsState, Lang, Node, Not, Or, Phrase, Query, Tag, Words, walk


@lru_cache(maxsize=4096)
def _field_tokens(text: str) -> tuple[str, ...]:
    return tuple(tokens(text))


_MARK_RANGES = ((0x300, 0x36F), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x20D0, 0x20FF), (0xFE20, 0xFE2F))


@lru_cache(maxsize=1)
def _marks() -> re.Pattern[str]:
    """Every combining character of the BMP (and the blocks TOKEN counts as marks)."""
    codes = sorted({c for lo, hi in _MARK_RANGES for c in range(lo, hi + 1)}
                   | {c for c in range(0x300, 0x10000) if unicodedata.combining(chr(c))})
    ranges: list[tuple[int, int]] = []
    for c in codes:
        if ranges and c == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], c)
        else:
            ranges.append((c, c))
    return re.compile("[" + "".join(f"\\u{lo:04x}-\\u{hi:04x}" for lo, hi in ranges) + "]+")


def fold_text(text: str) -> str:
    """``text`` lower-cased without Latin diacritics, as a whole (tokens then compare
    with :func:`briefing.index.query.fold`'s: the same function)."""
    return fold_like_index(text)


def fold_for_tokens(text: str) -> str:
    """``text`` folded for :func:`find_tokens` with the patterns of :func:`_phrase_pattern`:
    the same tokens, with separators where the fold has them, as :func:`fold_text`
    (several times slower on long text) gives. When every token character that is not
    ASCII is a Latin letter (below U+0250, or Latin Extended Additional), and so no
    text holds a combining mark, each character folds alone (its decomposition's
    marks stripped, lower-cased: no context, no composition with its neighbours):
    those letters are replaced by their folds and the text lower-cased. Characters
    that are not tokens (quotes, dashes, spaces) stay what they are, not letters nor
    digits, where the fold may give another such character (U+2000 is U+2002 there).
    Not place for place: for deciding matches only, not for positions."""
    if text.isascii():
        return text.lower()
    residue = text.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES)
    letters = [c for c in set(residue.decode("utf-8", "surrogatepass")) if _is_token_char(c)]
    if not letters:
        return text.lower()
    if all(c < "\u0250" or "\u1e00" <= c <= "\u1eff" for c in letters):
        for c in letters:
            text = text.replace(c, fold(c))
        return text.lower()
    return fold_text(text)


_ASCII_BYTES = bytes(range(128))


@lru_cache(maxsize=4096)
def _is_token_char(char: str) -> bool:
    return TOKEN.match(char) is not None


def find_tokens(pattern: re.Pattern[str], folded: str) -> bool:
    """Does ``pattern`` (from :func:`_phrase_pattern`) match at a token start?"""
    for m in pattern.finditer(folded):
        at = m.start()
        if at == 0 or not folded[at - 1].isalnum():
            return True
    return False


@lru_cache(maxsize=1024)
def _phrase_pattern(words: tuple[str, ...], prefix: bool = False) -> re.Pattern[str]:
    """Tokens ``words`` one after the other (separated by anything not a token
    character) in folded text; with ``prefix`` the last one may go on."""
    tail = r"[^\W_]*" if prefix else ""
    joined = r"[\W_]+".join(re.escape(w) for w in words)
    return re.compile(rf"{joined}{tail}(?![^\W_])")  # the start is checked by find_tokens


@dataclass
class Facts:
    """What a query can ask of one article. ``title`` is the title shown (the
    analyst's when set), ``file_title`` the file's; ``tags`` every tag (the file's,
    the analyst's, automatic ones); ``date`` the effective date; ``notes`` the
    article's annotations (an ``ArticleNotes``; None: none). ``body`` is the clean
    body, or a callable that reads it (called at most once, only when needed)."""

    id: str
    title: str
    body: str | Callable[[], str] = ""
    file_title: str | None = None
    source: str | None = None
    author: str | None = None
    tags: tuple[str, ...] = ()
    date: dt.date | None = None
    notes: Any = None
    lang: str | None = None  # the effective language (the analyst's override, else detected)
    # A cheap test of the body for a phrase's tokens before it is read and folded:
    # False when the body certainly does not hold them (briefing.querylang.phrasecheck).
    phrase_probe: Callable[[tuple[str, ...]], bool] | None = field(default=None, repr=False)
    # True when the body certainly holds a phrase's tokens (the same test's "yes")
    phrase_sure: Callable[[tuple[str, ...]], bool] | None = field(default=None, repr=False)
    # The answers the index gave for words of the text (Words without a field) on
    # this article, when the caller has them: the same the text would give
    # (briefing.querylang.sql: a word is exact in SQL), without reading it.
    known_words: Mapping[Any, bool] | None = field(default=None, repr=False)
    _folded: str | None = field(default=None, repr=False)

    def folded_body(self) -> str:
        """The body as the token patterns compare it: its fold, or its lower case when
        that has the same tokens and separators (:func:`fold_for_tokens`)."""
        if self._folded is None:
            body = self.body() if callable(self.body) else self.body
            self._folded = fold_for_tokens(body)
        return self._folded

    def titles(self) -> list[tuple[str, ...]]:
        out = [_field_tokens(self.title)]
        if self.file_title is not None and self.file_title != self.title:
            out.append(_field_tokens(self.file_title))
        return out

    def field(self, name: str) -> list[tuple[str, ...]]:
        if name == "title":
            return [_field_tokens(self.title)]
        value = self.source if name == "source" else self.author
        return [_field_tokens(value)] if value else []


def facts_from(meta: Any, notes: Any = None, body: str | Callable[[], str] = "", *,
               file_meta: Any = None, extra_tags: tuple[str, ...] = ()) -> Facts:
    """Facts from an (effective) ``ArticleMeta``, its ``ArticleNotes`` and its body.
    ``file_meta``: the file's meta when ``meta`` carries the analyst's corrections
    (its title matches too). Automatic tags (``notes.auto_tags``, when annotations
    have them) count as tags."""
    auto = tuple(getattr(notes, "auto_tags", ()) or ())
    override = getattr(notes, "lang", None)
    return Facts(
        id=meta.id, title=meta.title, body=body,
        file_title=file_meta.title if file_meta is not None else None,
        source=meta.source, author=meta.author,
        tags=tuple(meta.tags) + auto + tuple(extra_tags), date=meta.date, notes=notes,
        lang=override or getattr(meta, "lang", None),
    )


def _has_words(seqs: list[tuple[str, ...]], words: tuple[str, ...], prefix: bool) -> bool:
    whole = words[:-1] if prefix else words
    for w in whole:
        if not any(w in seq for seq in seqs):
            return False
    if prefix:
        last = words[-1]
        return any(t.startswith(last) for seq in seqs for t in seq)
    return True


def _has_phrase(seqs: list[tuple[str, ...]], words: tuple[str, ...]) -> bool:
    n = len(words)
    first = words[0]
    for seq in seqs:
        i = -1
        try:
            while True:
                i = seq.index(first, i + 1)
                if seq[i:i + n] == words:
                    return True
        except ValueError:
            continue
    return False


@lru_cache(maxsize=256)
def _glob(pattern: str) -> re.Pattern[str]:
    return re.compile(fnmatch.translate(pattern))


def glob_matches(pattern: str, article_id: str) -> bool:
    if not any(c in pattern for c in "*?["):
        folder = pattern.rstrip("/")
        return article_id == pattern or article_id.startswith(folder + "/")
    return _glob(pattern).match(article_id) is not None


def field_has(value: str, words: tuple[str, ...], prefix: bool = False, phrase: bool = False,
              folded: str | None = None) -> bool:
    """A short field (title, source, author) holds the words (all, any order) or the
    phrase: one regex each on its folded text (no tokenizing; ``folded``: that text,
    when the caller keeps it)."""
    if folded is None:
        folded = fold_text(value)
    if phrase:
        return find_tokens(_phrase_pattern(words), folded)
    return all(find_tokens(_phrase_pattern((w,), prefix and i == len(words) - 1), folded) for i, w in enumerate(words))


def state_holds(notes: Any, state: str) -> bool:
    if notes is None:
        return state == "unread"
    if state == "unread":
        return not notes.read
    if state in ("read", "flagged", "dismissed"):
        return bool(getattr(notes, state))
    if state == "annotated":
        return bool(notes.is_annotated())
    if state == "noted":
        return bool(notes.notes)
    return bool(notes.highlights)  # highlighted


def text_has_words(facts: Facts, words: tuple[str, ...], prefix: bool, exact: bool = False) -> bool:
    """Every word in a title or the text; a whole word (not the one being typed)
    also matches any word that starts with its stem in the article's language
    (``удар`` finds ``ударів`` in a Ukrainian article, see :func:`search_stem`)."""
    titles = facts.titles()
    for i, word in enumerate(words):
        last = prefix and i == len(words) - 1
        if _has_words(titles, (word,), last):
            continue
        if find_tokens(_phrase_pattern((word,), last), facts.folded_body()):
            continue
        stem = None if last or exact else search_stem(word, facts.lang)
        if stem is not None and (_has_words(titles, (stem,), True)
                                 or find_tokens(_phrase_pattern((stem,), True), facts.folded_body())):
            continue
        return False
    return True


def node_matches(node: Node, facts: Facts) -> bool:
    if isinstance(node, Words):
        if node.field is None:
            known = facts.known_words
            if known is not None and node in known:
                return known[node]
            return text_has_words(facts, node.tokens, node.prefix, node.exact)
        return _has_words(facts.field(node.field), node.tokens, node.prefix)
    if isinstance(node, Phrase):
        if node.field is None:
            if _has_phrase(facts.titles(), node.tokens):
                return True
            if facts.phrase_probe is not None and not facts.phrase_probe(node.tokens):
                return False  # the file's bytes cannot hold it: no parse
            if facts.phrase_sure is not None and facts.phrase_sure(node.tokens):
                return True  # a line of the file the body keeps holds it: no parse
            return find_tokens(_phrase_pattern(node.tokens), facts.folded_body())
        return _has_phrase(facts.field(node.field), node.tokens)
    if isinstance(node, And):
        return all(node_matches(c, facts) for c in _cheap_first(node.children))
    if isinstance(node, Or):
        return any(node_matches(c, facts) for c in _cheap_first(node.children))
    if isinstance(node, Not):
        return not node_matches(node.child, facts)
    if isinstance(node, Tag):
        wanted = node.value
        have = [" ".join(t.split()).casefold() for t in facts.tags]
        return any(t.startswith(wanted) for t in have) if node.prefix else wanted in have
    if isinstance(node, IdGlob):
        return glob_matches(node.pattern, facts.id)
    if isinstance(node, IsState):
        return state_holds(facts.notes, node.state)
    if isinstance(node, DateIn):
        d = facts.date
        return d is not None and (node.start is None or d >= node.start) and (node.end is None or d <= node.end)
    if isinstance(node, Lang):
        return (facts.lang or "und") == node.code
    raise TypeError(f"not a query node: {node!r}")  # pragma: no cover


def _cost(node: Node) -> int:
    """What deciding ``node`` may take: the metadata (0), a phrase (1: its bytes may
    decide without a parse), the text (2)."""
    if isinstance(node, (Words, Phrase)) and node.field is None:
        return 1 if isinstance(node, Phrase) else 2
    if isinstance(node, (And, Or)):
        return max(map(_cost, node.children))
    if isinstance(node, Not):
        return _cost(node.child)
    return 0


@lru_cache(maxsize=1024)
def _cheap_first(children: tuple[Node, ...]) -> tuple[Node, ...]:
    """The operands of an AND or OR in the order that reads the least (the answer
    does not depend on it: every operand is a pure test)."""
    return tuple(sorted(children, key=_cost))


def matches(query: Query, facts: Facts) -> bool:
    """Does the article described by ``facts`` match ``query``? (An empty query
    matches everything.) The per-article predicate for incremental use."""
    return query.root is None or node_matches(query.root, facts)


# --- where the matches are: highlighting ---------------------------------------------------


@dataclass(frozen=True)
class Highlighter:
    """The positive words, prefixes and phrases of a query, to find in a text.
    ``spans(text, where)``: sorted, non-overlapping (start, end) of the matches in
    ``text``; ``where`` is ``"text"`` (summary, body, snippet) or ``"title"``, which
    also takes ``title:`` terms."""

    words: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    title_words: frozenset[str] = frozenset()
    title_prefixes: tuple[str, ...] = ()
    title_phrases: tuple[tuple[str, ...], ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.words or self.prefixes or self.phrases or self.title_words or self.title_prefixes
                    or self.title_phrases)

    def _terms(self, where: str) -> tuple[frozenset[str], tuple[str, ...], tuple[tuple[str, ...], ...]]:
        if where == "title":
            return (self.words | self.title_words, self.prefixes + self.title_prefixes,
                    self.phrases + self.title_phrases)
        return self.words, self.prefixes, self.phrases

    def spans(self, text: str, where: str = "text") -> list[tuple[int, int]]:
        words, prefixes, phrases = self._terms(where)
        if not (words or prefixes or phrases) or not text:
            return []
        found = _regex_spans(text, words, prefixes, phrases)
        return found if found is not None else _merge(list(_matches(text, 0, words, prefixes, phrases)))

    def window(self, text: str, width: int) -> tuple[int, int, list[tuple[int, int]]] | None:
        """The snippet's window of ``text`` (start, end) around the first match, and
        the matches inside it (merged, clipped), as :meth:`spans` would give them,
        tokenizing only from the first place a term may start to the window's end."""
        words, prefixes, phrases = self.words, self.prefixes, self.phrases
        if not (words or prefixes or phrases) or not text:
            return None
        begin = _first_candidate(text, words, prefixes, phrases)
        if begin is None:
            return None
        whole = _regex_spans(text, words, prefixes, phrases)
        found = iter(whole) if whole is not None else _matches(text, begin, words, prefixes, phrases)
        first = next(found, None)
        if first is None:
            return None
        inside = [first]
        first_end = first[1]
        for s, e in found:  # the first span as merged: every match overlapping it
            inside.append((s, e))
            if s > first_end:
                break
            first_end = max(first_end, e)
        start = max(0, first[0] - width // 3)
        if start > 0:  # open on a word boundary
            space = text.find(" ", start, first[0])
            if space != -1:
                start = space + 1
        end = min(len(text), max(start + width, first_end))
        if inside[-1][0] < end:
            for s, e in found:
                if s >= end:
                    break
                inside.append((s, e))
        return start, end, [(max(s, start), min(e, end)) for s, e in _merge(inside) if s < end]


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_TC = rf"(?:[^\W_]|[{_MARKS}])"  # a token character (TOKEN's)
_SEP = rf"(?:_|[^\w{_MARKS}])+"  # what separates two tokens


def _ascii_tokens(text: str) -> bool:
    """Every token of ``text`` is ASCII (its other characters are punctuation, quotes,
    dashes, spaces): its tokens are the runs of ``[A-Za-z0-9]`` and fold by ``lower()``."""
    return text.isascii() or not any(TOKEN.match(c) for c in _NON_ASCII.findall(text))


def _lower_folds(text: str, low: str) -> bool:
    """``low`` (``text.lower()``) is ``text`` folded, place for place: every token of
    ``text`` folds to the same piece of ``low`` (no Latin accent to strip; no Greek
    capital sigma, whose lower case depends on what follows)."""
    return len(low) == len(text) and (_ascii_tokens(text) or ("\u03a3" not in text and fold_like_index(text) == low))


@lru_cache(maxsize=64)
def _patterns(words: frozenset[str], prefixes: tuple[str, ...], phrases: tuple[tuple[str, ...], ...]
              ) -> tuple[re.Pattern[str] | None, list[re.Pattern[str]]]:
    """For folded text: one regex for the words and prefixes, one per phrase (a
    look-ahead, so that overlapping occurrences are all found)."""
    alts = [re.escape(w) for w in sorted(words, key=len, reverse=True)]
    alts += [re.escape(p) + f"{_TC}*" for p in prefixes]
    single = re.compile(rf"(?<!{_TC})(?:{'|'.join(alts)})(?!{_TC})") if alts else None
    multi = [re.compile(rf"(?<!{_TC})(?=({_SEP.join(re.escape(w) for w in phrase)})(?!{_TC}))") for phrase in phrases]
    return single, multi


def _regex_spans(text: str, words: frozenset[str], prefixes: tuple[str, ...],
                 phrases: tuple[tuple[str, ...], ...]) -> list[tuple[int, int]] | None:
    """:meth:`Highlighter.spans` by regular expressions on ``text.lower()`` when that
    is the text folded place for place (:func:`_lower_folds`); else None."""
    if _first_candidate(text, words, prefixes, phrases) is None:
        return []  # no term anywhere in the text
    low = text.lower()
    if not _lower_folds(text, low):
        return None
    single, multi = _patterns(words, prefixes, phrases)
    found = [m.span() for m in single.finditer(low)] if single is not None else []
    for pattern in multi:
        found += [m.span(1) for m in pattern.finditer(low)]
    return _merge(found)


def _first_candidate(text: str, words: frozenset[str], prefixes: tuple[str, ...],
                     phrases: tuple[tuple[str, ...], ...]) -> int | None:
    """Where the first match may start: in ASCII text (whose tokens fold by ``lower()``),
    the start of the token holding the first place any term's first word occurs as
    plain text, None when none does; in other text, 0 (or None when no term is in
    its fold)."""
    if not _ascii_tokens(text):
        # Other text: when no term is anywhere in the folded text, there is no match
        # (a token's fold is a piece of the text's fold; not so for a Greek final
        # sigma, whose form depends on what follows: then, and for a term of marks
        # only, every token is read).
        terms = (*words, *prefixes, *(p[0] for p in phrases))
        if "\u03a3" in text or not all(any(c.isalnum() for c in t) for t in terms):
            return 0
        folded = fold_like_index(text)
        return 0 if any(t in folded for t in terms) else None
    low = text.lower()
    best = -1
    for term in (*words, *prefixes, *(p[0] for p in phrases)):
        if not term.isascii():
            continue  # never equal to (or a prefix of) an ASCII token
        at = low.find(term)
        if at != -1 and (best == -1 or at < best):
            best = at
    if best == -1:
        return None
    while best > 0 and low[best - 1].isalnum():
        best -= 1
    return best


def _matches(text: str, begin: int, words: frozenset[str], prefixes: tuple[str, ...],
             phrases: tuple[tuple[str, ...], ...]) -> Iterator[tuple[int, int]]:
    """Every match of the terms in ``text`` from ``begin`` (a token start), in the
    order of their starts, tokenizing lazily (a phrase looks a few tokens ahead)."""
    ahead = max((len(p) for p in phrases), default=1)
    toks: list[tuple[int, int, str]] = []
    stream = TOKEN.finditer(text, begin)
    done = False
    i = 0
    while True:
        while not done and len(toks) - i < ahead:
            m = next(stream, None)
            if m is None:
                done = True
            else:
                toks.append((m.start(), m.end(), fold(m.group())))
        if i >= len(toks):
            return
        s, e, t = toks[i]
        if t in words or any(t.startswith(p) for p in prefixes):
            yield s, e
        for phrase in phrases:
            n = len(phrase)
            if t == phrase[0] and i + n <= len(toks) and all(toks[i + k][2] == phrase[k] for k in range(1, n)):
                yield s, toks[i + n - 1][1]
        i += 1
        if i > 64:  # forget what is behind
            del toks[:i]
            i = 0


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    spans.sort()
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def highlight_terms(query: Query, lang: str | None = None) -> Highlighter:
    """What to highlight for ``query``: its words, prefixes and phrases that are not
    excluded (``-word`` is not shown); ``title:`` terms only in titles. ``lang``: the
    article's language, whose stems of the words are highlighted too (as search
    finds them: ``удар`` marks ``ударів``)."""
    words: set[str] = set()
    prefixes: list[str] = []
    phrases: list[tuple[str, ...]] = []
    t_words: set[str] = set()
    t_prefixes: list[str] = []
    t_phrases: list[tuple[str, ...]] = []
    for node, negated in walk(query.root):
        if negated or not isinstance(node, (Words, Phrase)) or node.field not in (None, "title"):
            continue
        in_title = node.field == "title"
        if isinstance(node, Phrase):
            (t_phrases if in_title else phrases).append(node.tokens)
            continue
        whole = node.tokens[:-1] if node.prefix else node.tokens
        (t_words if in_title else words).update(whole)
        if not in_title and lang is not None and not node.exact:
            prefixes.extend(stem for stem in (search_stem(w, lang) for w in whole) if stem is not None)
        if node.prefix:
            (t_prefixes if in_title else prefixes).append(node.tokens[-1])
    return Highlighter(frozenset(words), tuple(dict.fromkeys(prefixes)), tuple(dict.fromkeys(phrases)),
                       frozenset(t_words), tuple(dict.fromkeys(t_prefixes)), tuple(dict.fromkeys(t_phrases)))


SNIPPET_WIDTH = 100


def snippet(body: str, highlighter: Highlighter) -> tuple[str, tuple[tuple[int, int], ...]]:
    """One line of ``body`` around its first match, and the matches inside it
    (``("", ())`` when nothing in the body matches)."""
    found = highlighter.window(body, SNIPPET_WIDTH)
    if found is None:
        return "", ()
    start, end, spans = found
    lead = "…" if start > 0 else ""
    tail = "…" if end < len(body) else ""
    text = lead + body[start:end].replace("\n", " ").replace("\t", " ") + tail
    shift = len(lead) - start
    return text, tuple((s + shift, e + shift) for s, e in spans)
