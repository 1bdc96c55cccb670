"""Turn what a user types into a safe FTS5 query, and FTS5 output into spans.

Query semantics (the same as a brute-force scan would give with these rules):

- the text is split on whitespace into words; words without a letter or digit are
  dropped; at most :data:`MAX_WORDS` words are used;
- each word is matched as a phrase of its tokens (``e-mail`` = ``e`` then ``mail``),
  case-insensitively and ignoring diacritics (``cafe`` finds ``Café``), in the title
  or in the body;
- an article matches when every word matches (AND);
- the last word also matches as a prefix (``gri`` finds ``grid``) unless the text
  ends with whitespace, so results follow the user as they type.

Every word is quoted for FTS5, so ``"``, ``*``, ``-``, ``OR``, ``NEAR(``, ``:`` or
parentheses typed by a user are plain text and never raise.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_WORDS = 16
HIGHLIGHT_OPEN = "\x02"  # control bytes never survive the sanitizer, so they cannot
HIGHLIGHT_CLOSE = "\x03"  # occur in stored text and are safe as markers


@dataclass(frozen=True)
class SearchHit:
    """One matching article.

    ``title_spans`` are (start, end) offsets of the matched words in ``title``;
    ``snippet`` is one line of the body around the best match (empty when only the
    title matched) and ``snippet_spans`` are offsets in ``snippet``. The field names
    follow :class:`briefing.corpus.search.SearchHit`, plus ``title``.
    """

    id: str
    title: str
    title_spans: tuple[tuple[int, int], ...] = ()
    snippet: str = ""
    snippet_spans: tuple[tuple[int, int], ...] = ()


def _has_token(word: str) -> bool:
    return any(ch.isalnum() for ch in word)


def query_words(text: str) -> tuple[list[str], bool]:
    """The words that count, and whether the last one is a prefix."""
    words = [w for w in text.split() if _has_token(w)][:MAX_WORDS]
    prefix = bool(words) and not text[-1:].isspace()
    return words, prefix


def match_expression(text: str) -> str | None:
    """An FTS5 MATCH expression for ``text``, or None when nothing can match."""
    words, prefix = query_words(text)
    if not words:
        return None
    phrases = ['"' + w.replace('"', '""') + '"' for w in words]
    if prefix:
        phrases[-1] += " *"
    return " ".join(phrases)


def strip_marks(marked: str, *, one_line: bool = False) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Remove highlight markers from FTS5 output; return the text and the marked spans.

    With ``one_line`` every run of whitespace becomes one space (a snippet is shown
    on one line), and the spans are computed on that text.
    """
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    start = -1
    length = 0
    in_space = one_line  # drop leading whitespace on one line
    for ch in marked:
        if ch == HIGHLIGHT_OPEN:
            start = length
            continue
        if ch == HIGHLIGHT_CLOSE:
            if start >= 0 and length > start:
                spans.append((start, length))
            start = -1
            continue
        if one_line and ch.isspace():
            if in_space:
                continue
            in_space = True
            ch = " "
        else:
            in_space = False
        out.append(ch)
        length += 1
    text = "".join(out)
    return (text.rstrip() if one_line else text), tuple(spans)
