"""A query of the query language as one SQL condition on the index's ``articles``
rows, for articles the analyst has not annotated (their notes are empty, so a state,
a tag or a date depends on the file alone).

:func:`condition` gives two conditions per node, as
:meth:`briefing.querylang.evaluate.Evaluation.bounds` gives two sets: ``sure``
(certainly matches) and ``maybe`` (may match; a superset). Words are FTS5 lookups
(every token quoted; exact: the index holds the title and the clean body); a phrase's
``maybe`` holds all its words, its ``sure`` is false; fields, tags and ids are tested
by small Python functions registered on the connection; dates are SQL on ``date``.
The caller keeps rows that satisfy ``maybe AND (sure OR verify(row))``, ``verify``
being the per-article predicate (:func:`briefing.querylang.match.node_matches`) on
the file's clean text: SQLite evaluates it only for rows the other conditions leave
undecided (a phrase's candidates), so a phrase query reads only the files holding
all its words.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from briefing.querylang.evaluate import fts_expression
from briefing.querylang.match import Facts, field_has, glob_matches, node_matches
from briefing.querylang.nodes import And, DateIn, IdGlob, IsState, Node, Not, Or, Phrase, Tag, Words


@dataclass
class Translation:
    """SQL text for ``sure`` and ``maybe`` with their parameters (positional ``?``,
    in the order the text holds them), and the nodes the Python functions test."""

    schemas: list[str]
    params: list[Any] = field(default_factory=list)
    nodes: list[Node] = field(default_factory=list)

    def fts(self, expr: str) -> str:
        selects = " UNION ALL ".join(f"SELECT rowid FROM {s}.search WHERE search MATCH ?" for s in self.schemas)
        self.params.extend([expr] * len(self.schemas))
        return f"(a.rowid IN ({selects}))"

    def node_call(self, fn: str, node: Node, column: str) -> str:
        self.nodes.append(node)
        return f"({fn}({len(self.nodes) - 1}, {column}) = 1)"


TRUE, FALSE = "(1)", "(0)"


def condition(node: Node, t: Translation, want: str) -> str:
    """The ``want`` ("sure" or "maybe") condition for ``node``, its parameters appended
    to ``t.params`` in the order they appear in the returned text."""
    if isinstance(node, Words) and node.field is None:
        return t.fts(fts_expression(node.tokens, node.prefix))
    if isinstance(node, Phrase) and node.field is None:
        if want == "sure":
            return FALSE
        return t.fts(fts_expression(node.tokens))
    if isinstance(node, (Words, Phrase)):  # title:, source:, author: (exact, small fields)
        column = {"title": "a.title", "source": "a.source", "author": "a.author"}[node.field or "title"]
        test = t.node_call("q_field", node, column)
        if node.field == "title":  # a title word is a word of the indexed text: FTS5 narrows first
            tokens = node.tokens
            return f"({t.fts(fts_expression(tokens, isinstance(node, Words) and node.prefix))} AND {test})"
        return test
    if isinstance(node, And):
        return "(" + " AND ".join(condition(c, t, want) for c in node.children) + ")"
    if isinstance(node, Or):
        return "(" + " OR ".join(condition(c, t, want) for c in node.children) + ")"
    if isinstance(node, Not):
        return f"(NOT {condition(node.child, t, 'maybe' if want == 'sure' else 'sure')})"
    if isinstance(node, Tag):
        return t.node_call("q_tag", node, "a.tags")
    if isinstance(node, IdGlob):
        return t.node_call("q_id", node, "a.id")
    if isinstance(node, IsState):
        return TRUE if node.state == "unread" else FALSE  # no notes: unread, nothing else
    if isinstance(node, DateIn):
        parts = ["a.date IS NOT NULL"]
        if node.start is not None:
            parts.append("a.date >= ?")
            t.params.append(node.start.toordinal())
        if node.end is not None:
            parts.append("a.date <= ?")
            t.params.append(node.end.toordinal())
        return "(" + " AND ".join(parts) + ")"
    raise TypeError(f"not a query node: {node!r}")  # pragma: no cover


def register(conn: sqlite3.Connection, t: Translation) -> None:
    """The Python tests :func:`condition` refers to, for the nodes in ``t``."""
    nodes = t.nodes

    def q_field(k: int, value: str | None) -> int:
        node = nodes[k]
        assert isinstance(node, (Words, Phrase))
        return int(bool(value) and field_has(value or "", node.tokens, isinstance(node, Words) and node.prefix,
                                             isinstance(node, Phrase)))

    def q_tag(k: int, tags: str) -> int:
        return int(node_matches(nodes[k], Facts("", "", tags=tuple(tags.split("\n")) if tags else ())))

    def q_id(k: int, article_id: str) -> int:
        node = nodes[k]
        assert isinstance(node, IdGlob)
        return int(glob_matches(node.pattern, article_id))

    conn.create_function("q_field", 2, q_field, deterministic=True)
    conn.create_function("q_tag", 2, q_tag, deterministic=True)
    conn.create_function("q_id", 2, q_id, deterministic=True)
