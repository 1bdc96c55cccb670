"""FTS5 expressions for the query language's words (every token quoted), and the
counts an evaluation keeps: shared by :mod:`briefing.querylang.evaluate` and
:mod:`briefing.querylang.indexed`."""

from __future__ import annotations

from dataclasses import dataclass

from briefing.lang.stem import search_stem


def _quoted(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def fts_expression(tokens: tuple[str, ...], prefix: bool = False) -> str:
    """An FTS5 MATCH expression: every token present, each one quoted (so nothing
    the analyst typed is read as FTS5 syntax); the last one as a prefix."""
    parts = [_quoted(t) for t in tokens]
    if prefix:
        parts[-1] += " *"
    return " AND ".join(parts)


def stemmed_expression(tokens: tuple[str, ...], prefix: bool, lang: str) -> str | None:
    """Like :func:`fts_expression`, each whole token also accepted as a prefix of its
    stem in ``lang`` (``("удари" OR "удар" *)``); None when no token has a stem."""
    parts = []
    changed = False
    for i, token in enumerate(tokens):
        last = prefix and i == len(tokens) - 1
        stem = None if last else search_stem(token, lang)
        if stem is None:
            parts.append(_quoted(token) + (" *" if last else ""))
        else:
            changed = True
            parts.append(f"({_quoted(token)} OR {_quoted(stem)} *)")
    return " AND ".join(parts) if changed else None


@dataclass
class Stats:
    """What one evaluation did (for the bench and the tests)."""

    fts_queries: int = 0
    checked: int = 0  # articles whose text was read to decide
