"""The query language as SQL on the index's ``articles`` rows (aliased ``a``), for
articles the analyst has not annotated (no notes: a state, a tag, a date or a title
depends on the file alone). One translation serves the reader's index path
(:mod:`briefing.querylang.indexed`) and the CLI's streamed listing
(:mod:`briefing.listing.stream`).

Every node gets two conditions, as
:meth:`briefing.querylang.evaluate.Evaluation.bounds` gives two sets: ``sure``
(certainly matches) and ``maybe`` (may match; a superset). A word is FTS5 (every
token quoted; exact, or stemmed in the articles of a language whose words search
by stem); a phrase's ``maybe`` holds all its words and its ``sure`` is false;
``title:``/``source:``/``author:``, ``tag:`` and ``id:`` are small Python
functions registered on the connection (:meth:`Translation.register`), narrowed
by SQL where it can; dates and languages are SQL. A caller keeps the rows in
``maybe`` and decides those not in ``sure`` (a phrase's candidates) on the file's
text (:mod:`briefing.querylang.verify`).
"""

from __future__ import annotations

from typing import Any

from briefing.querylang.fts import fts_expression, stemmed_expression
from briefing.querylang.match import Facts, field_has, glob_matches, node_matches
from briefing.querylang.nodes import And, DateIn, IdGlob, IsState, Lang, Node, Not, Or, Phrase, Tag, Words

TRUE, FALSE = "(1)", "(0)"


class Translation:
    """SQL text and its positional parameters, in the order the text holds them;
    the nodes the Python functions test."""

    def __init__(self, schemas: list[str], langs: list[str]) -> None:
        self.schemas = schemas
        self.langs = langs  # the stemmed languages present in the corpus
        self.params: list[Any] = []
        self.nodes: list[Node] = []
        self.fts_queries = 0

    def fts(self, expr: str) -> str:
        selects = " UNION ALL ".join(f"SELECT rowid FROM {s}.search WHERE search MATCH ?" for s in self.schemas)
        self.params.extend([expr] * len(self.schemas))
        return f"(a.rowid IN ({selects}))"

    def call(self, fn: str, node: Node, column: str) -> str:
        self.nodes.append(node)
        return f"({fn}({len(self.nodes) - 1}, {column}) = 1)"

    def words(self, node: Words) -> str:
        self.fts_queries += 1
        parts = [self.fts(fts_expression(node.tokens, node.prefix))]
        for lang in ([] if node.exact else self.langs):
            expr = stemmed_expression(node.tokens, node.prefix, lang)
            if expr is not None:  # inflected forms, in the articles of that language only
                self.fts_queries += 1
                self.params.append(lang)
                parts.append(f"(a.lang IS ? AND {self.fts(expr)})")  # IS: a NULL language is false, not NULL (NOT NULL drops a row)
        return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"

    def condition(self, node: Node, want: str) -> str:
        """The ``want`` ("sure" or "maybe") condition on an unannotated row."""
        if isinstance(node, Words) and node.field is None:
            return self.words(node)
        if isinstance(node, Phrase) and node.field is None:
            if want == "sure":
                return FALSE
            self.fts_queries += 1
            return self.fts(fts_expression(node.tokens))
        if isinstance(node, (Words, Phrase)):  # title:, source:, author: on the row's column
            column = {"title": "a.title", "source": "a.source", "author": "a.author"}[node.field or "title"]
            parts = []
            if node.field == "title":  # a title word is a word of the indexed text: FTS5 narrows first
                parts.append(self.fts(fts_expression(node.tokens, isinstance(node, Words) and node.prefix)))
            letters = [t for t in node.tokens if t.isascii() and t.isalnum()]
            if letters:  # each word's letters in the column before a Python call per row (as for tags)
                self.params += [*letters, "*[^\x01-\x7f]*"]
                found = " AND ".join(f"instr(lower({column}), ?) > 0" for _ in letters)
                parts.append(f"(({found}) OR {column} GLOB ?)")
            parts.append(self.call("q_field", node, column))
            return "(" + " AND ".join(parts) + ")"
        if isinstance(node, And):  # cheap SQL first: SQLite stops at the first false term
            return "(" + " AND ".join(self.condition(c, want) for c in sorted(node.children, key=_cost)) + ")"
        if isinstance(node, Or):
            return "(" + " OR ".join(self.condition(c, want) for c in node.children) + ")"
        if isinstance(node, Not):
            return f"(NOT {self.condition(node.child, 'maybe' if want == 'sure' else 'sure')})"
        if isinstance(node, Tag):
            test = self.call("q_tag", node, "a.tags")
            if not (node.value.isascii() and node.value.strip() and not any(c.isspace() for c in node.value)):
                return test
            # the tag's letters in the row's tags (SQLite's lower() folds ASCII only: rows with other
            # letters are left to the test) before a Python call per row
            self.params += [node.value.casefold(), "*[^\x01-\x7f]*"]
            return f"((instr(lower(a.tags), ?) > 0 OR a.tags GLOB ?) AND {test})"
        if isinstance(node, IdGlob):
            return self.call("q_id", node, "a.id")
        if isinstance(node, IsState):
            return TRUE if node.state == "unread" else FALSE  # no notes: unread, nothing else
        if isinstance(node, Lang):
            self.params.append(node.code)
            return "(coalesce(nullif(a.lang, ''), 'und') = ?)"
        if isinstance(node, DateIn):
            parts = ["a.date IS NOT NULL"]
            if node.start is not None:
                parts.append("a.date >= ?")
                self.params.append(node.start.toordinal())
            if node.end is not None:
                parts.append("a.date <= ?")
                self.params.append(node.end.toordinal())
            return "(" + " AND ".join(parts) + ")"
        raise TypeError(f"not a query node: {node!r}")  # pragma: no cover

    def register(self, conn: Any) -> None:
        nodes = self.nodes

        def q_field(k: int, value: str | None) -> int:
            node = nodes[k]
            assert isinstance(node, (Words, Phrase))
            return int(bool(value) and field_has(value or "", node.tokens, isinstance(node, Words) and node.prefix,
                                                 isinstance(node, Phrase)))

        def q_tag(k: int, tags: str | None) -> int:
            return int(node_matches(nodes[k], Facts("", "", tags=tuple(tags.split("\n")) if tags else ())))

        def q_id(k: int, article_id: str) -> int:
            node = nodes[k]
            assert isinstance(node, IdGlob)
            return int(glob_matches(node.pattern, article_id))

        conn.create_function("q_field", 2, q_field, deterministic=True)
        conn.create_function("q_tag", 2, q_tag, deterministic=True)
        conn.create_function("q_id", 2, q_id, deterministic=True)


def _cost(node: Node) -> int:
    """Dates, languages and states are SQL on the row; words an FTS5 set (read once);
    tags, ids and fields a Python call per row: last."""
    if isinstance(node, (DateIn, Lang, IsState)):
        return 0
    if isinstance(node, (Words, Phrase)) and node.field is None:
        return 1
    if isinstance(node, (And, Or)):
        return max(map(_cost, node.children))
    if isinstance(node, Not):
        return _cost(node.child)
    return 2


def has_phrase(node: Node | None) -> bool:
    if isinstance(node, Phrase):
        return node.field is None
    if isinstance(node, (And, Or)):
        return any(has_phrase(c) for c in node.children)
    if isinstance(node, Not):
        return has_phrase(node.child)
    return False


def text_words(node: Node | None) -> list[Words]:
    """The distinct words of the text (no field) in ``node``: their SQL conditions are
    exact on an unannotated row (``sure`` is ``maybe``), so a caller that selects
    them (:meth:`Translation.words`) can hand the answers to the per-article
    predicate (``Facts.known_words``) rather than have it read the text."""
    out: list[Words] = []
    stack = [node] if node is not None else []
    while stack:
        n = stack.pop()
        if isinstance(n, Words) and n.field is None and n not in out:
            out.append(n)
        elif isinstance(n, (And, Or)):
            stack.extend(reversed(n.children))
        elif isinstance(n, Not):
            stack.append(n.child)
    return out
