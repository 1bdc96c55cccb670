"""The parsed query: a small tree of frozen values (see :mod:`briefing.querylang.syntax`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

TEXT_FIELDS = ("title", "source", "author")
IS_STATES = ("unread", "read", "flagged", "dismissed", "annotated", "noted", "highlighted")
SORTS = ("newest", "oldest", "relevance")


@dataclass(frozen=True)
class Words:
    """Every token present (in any order) in ``field`` (None: the titles and the
    text); with ``prefix``, the last token matches any token it starts."""

    tokens: tuple[str, ...]
    prefix: bool
    field: str | None
    start: int = 0
    end: int = 0
    exact: bool = False  # quoted ("удар"): the word itself only, never its inflected forms


@dataclass(frozen=True)
class Phrase:
    """The tokens one after the other in ``field`` (None: a title or the text)."""

    tokens: tuple[str, ...]
    field: str | None
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class Tag:
    """A tag of the article (the file's, the analyst's, automatic ones), compared
    case-insensitively; with ``prefix``, any tag that starts with ``value``."""

    value: str
    prefix: bool = False


@dataclass(frozen=True)
class IdGlob:
    """The article id matches the glob (``*``, ``?``, ``[...]``); a value without
    wildcards is the id itself or a folder (``id:2024`` = ``2024/…``)."""

    pattern: str


@dataclass(frozen=True)
class IsState:
    state: str  # one of IS_STATES


@dataclass(frozen=True)
class DateIn:
    """The effective date (the analyst's, else the file's) from ``start`` to ``end``
    inclusive (None: open); an undated article never matches."""

    start: dt.date | None
    end: dt.date | None


@dataclass(frozen=True)
class Lang:
    """The article's language (the analyst's override, else the detected one) is
    ``code`` (ISO 639-1); ``und`` matches an article whose language is unknown."""

    code: str


@dataclass(frozen=True)
class Not:
    child: Node


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


Node = Words | Phrase | Tag | IdGlob | IsState | DateIn | Not | And | Or | Lang


@dataclass(frozen=True)
class Query:
    """A parsed query: ``root`` (None: no condition) and the ``sort`` order."""

    text: str
    root: Node | None
    sort: str = "newest"

    @property
    def empty(self) -> bool:
        """No condition at all (the text was blank, or punctuation, or only ``sort:``)."""
        return self.root is None

    @property
    def asks_dismissed(self) -> bool:
        """``is:dismissed`` appears un-negated: dismissed articles are wanted."""
        return _asks_dismissed(self.root, False)


def _asks_dismissed(node: Node | None, negated: bool) -> bool:
    if isinstance(node, IsState):
        return node.state == "dismissed" and not negated
    if isinstance(node, Not):
        return _asks_dismissed(node.child, not negated)
    if isinstance(node, (And, Or)):
        return any(_asks_dismissed(c, negated) for c in node.children)
    return False


def walk(node: Node | None, negated: bool = False) -> Iterator[tuple[Node, bool]]:
    """Every node below ``node`` with whether an odd number of ``-`` covers it."""
    if node is None:
        return
    yield node, negated
    if isinstance(node, Not):
        yield from walk(node.child, not negated)
    elif isinstance(node, (And, Or)):
        for child in node.children:
            yield from walk(child, negated)
