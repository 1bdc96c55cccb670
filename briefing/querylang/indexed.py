"""A query over an indexed corpus without an object per article (issue 20).

:class:`~briefing.querylang.evaluate.MemoryEvaluation` answers from per-snapshot
tables of every article (a list of metas, a dict by id, sets of ids): at a million
articles that is gigabytes in the reader. When the corpus is an index whose
``articles`` are rowids read by window (:class:`briefing.index.rows.ArticleRows`),
this module answers the same query from SQLite instead, as ``briefing list`` does:

- the articles **without annotations**: one SQL statement on the ``articles`` rows
  in the list's order (``ORDER BY date DESC, id``: the ``articles_order`` index).
  Every node gets two conditions (:mod:`briefing.querylang.sql`, the translation
  the CLI's list uses too), ``sure`` and ``maybe`` (as ``bounds`` gives two
  sets): a word is FTS5 (exact, or stemmed in the articles of a language whose
  words search by stem), a phrase's ``maybe`` holds all its words and its ``sure``
  is false, ``title:``/``source:``/``author:``, ``tag:`` and ``id:`` are small
  Python functions on the row's columns, dates and languages are SQL. The rows in
  ``maybe`` but not ``sure`` (a phrase's candidates) are checked with the
  per-article predicate on their clean text, one at a time, only as far as the
  caller reads (a first page checks only until it is full), each phrase first
  tested on the file's bytes (:mod:`briefing.querylang.phrasecheck`);
- the **annotated** articles whose annotations change what the query sees of them
  (the analyst's title, date or language; tags for a ``tag:``; those with the
  state an ``is:`` asks, :func:`overriding`): each one decided in Python with three-valued logic (a word from
  FTS5 restricted to them, a retitled article's word from its title too, every
  other condition from its facts; a phrase the index finds left open and then
  checked on its text), then merged
  into the stream by its effective date.

The answer holds one id per match; nothing per article of the corpus is kept
(the snapshot's rowids, sorted once, tell which index rows the list holds).
``sort:oldest`` reorders the answer by the keys the stream carries. ``sort:relevance``
and corpora that are lists go through the in-memory evaluator: same semantics, more
memory.
"""

from __future__ import annotations

import heapq
from array import array
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from typing import Any

import numpy as np

from briefing.lang.stem import SEARCH_STEMMED
from briefing.querylang.fts import Stats, fts_expression, stemmed_expression
from briefing.querylang.match import Facts, facts_from, node_matches, state_holds, text_has_words
from briefing.querylang.nodes import And, IsState, Node, Not, Or, Phrase, Query, Tag, Words, walk
from briefing.querylang.phrasecheck import FileText
from briefing.querylang.sql import TRUE, Translation, has_phrase, text_words
from briefing.sanitize import clean_line

SortKey = tuple[bool, int, str]
_CHUNK = 500


def applies(query: Query, corpus: Any) -> bool:
    """The query can be answered by this module for ``corpus``: an index read by
    window (rowids), online, sorted newest or oldest first."""
    rows = getattr(corpus, "articles", None)
    return (query.sort in ("newest", "oldest") and query.root is not None and isinstance(getattr(rows, "rowids", None), array)
            and callable(getattr(rows, "fetch", None)) and callable(getattr(corpus, "_query", None))
            and not getattr(corpus, "_offline", False))


# The snapshot's rowids, sorted (which index rows the list holds), for the newest list.
_SORTED: list[tuple[Any, int, np.ndarray]] = []
# The stemmed languages present, for the newest list.
_LANGS: list[tuple[Any, int, list[str]]] = []


class IndexEvaluation:
    """One query over one indexed corpus (see the module docstring); the interface
    of :class:`~briefing.querylang.evaluate.Evaluation`."""

    def __init__(self, query: Query, corpus: Any, notes: Mapping[str, Any], *,
                 body: Callable[[str], str] | None = None, should_stop: Callable[[], bool] | None = None) -> None:
        self.query = query
        self.corpus = corpus
        # A large indexed annotation file gives what a query asks of each entry from its
        # bytes, not by parsing (and keeping) them all (briefing.annotations.querynotes).
        view = getattr(notes, "query_view", None)
        self.notes = view() if callable(view) else notes
        # The annotated articles decided one by one (the others are rows like any other).
        asked = [node for node, _ in walk(query.root)]
        self.own = overriding(self.notes, tags=any(isinstance(node, Tag) for node in asked),
                              states=frozenset(node.state for node in asked if isinstance(node, IsState)))
        self.stats = Stats()
        self._body = body
        self.should_stop = should_stop or (lambda: False)
        self.rows = corpus.articles

    # --- the snapshot ----------------------------------------------------------------

    def _sorted_rowids(self) -> np.ndarray:
        rowids = self.rows.rowids
        if _SORTED and _SORTED[0][0] is rowids and _SORTED[0][1] == len(rowids):
            return _SORTED[0][2]
        found = np.sort(np.frombuffer(rowids, dtype=np.int64)) if len(rowids) else np.zeros(0, dtype=np.int64)
        _SORTED[:] = [(rowids, len(rowids), found)]
        return found

    def _listed(self, rowid: int) -> bool:
        kept = self._sorted_rowids()
        i = int(np.searchsorted(kept, rowid))
        return i < len(kept) and int(kept[i]) == rowid

    def _langs(self) -> list[str]:
        rowids = self.rows.rowids
        if _LANGS and _LANGS[0][0] is rowids and _LANGS[0][1] == len(rowids):
            return _LANGS[0][2]
        # a seek per language (articles_lang), not a walk of every entry of one present
        found = [lang for lang in SEARCH_STEMMED
                 if self.corpus._query("SELECT 1 FROM articles WHERE lang = ? LIMIT 1", (lang,))]
        _LANGS[:] = [(rowids, len(rowids), sorted(found))]
        return _LANGS[0][2]

    def _schemas(self) -> list[str]:
        self.corpus._query("SELECT 1", ())  # connects (rebuilds a damaged cache) and attaches the shards
        return list(self.corpus._local.schemas)

    # --- facts -----------------------------------------------------------------------

    def body(self, article_id: str) -> str:
        if self._body is not None:
            return self._body(article_id)
        try:
            return str(self.corpus.body(article_id))
        except Exception:  # noqa: BLE001 - an unreadable file: only its metadata can match
            return ""

    def facts(self, meta: Any, notes: Any) -> Facts:
        """What :meth:`MemoryEvaluation.facts` makes of an article (the analyst's
        title, date, tags and language over the file's)."""
        shown = meta
        lang = getattr(notes, "lang", None)
        if notes is not None and (notes.title is not None or notes.date is not None or notes.tags
                                  or getattr(notes, "auto_tags", ()) or lang is not None):
            shown = replace(meta, title=clean_line(notes.title) if notes.title is not None else meta.title,
                            date=notes.date or meta.date, tags=tuple(meta.tags) + tuple(notes.tags),
                            lang=lang or meta.lang)
        facts = facts_from(shown, notes, lambda: self.body(meta.id), file_meta=meta if shown is not meta else None)
        if self._body is None and isinstance(getattr(meta, "path", None), str):
            # a phrase is first tested on the file's bytes: most candidates need no parse
            text = FileText(meta.id, meta.path)
            facts.phrase_probe, facts.phrase_sure = text.probe, text.sure
        return facts

    # --- the annotated articles --------------------------------------------------------

    def _annotated(self, root: Node) -> list[tuple[SortKey, str, Any]]:
        """The annotated articles the list holds that may match: (key, id, facts when
        still undecided else None), in the list's order by their effective dates."""
        ids = sorted(self.own)
        rowid_of: dict[str, int] = {}
        for i in range(0, len(ids), _CHUNK):
            part = ids[i:i + _CHUNK]
            rowid_of.update((r[1], r[0]) for r in self.corpus._query(
                f"SELECT rowid, id FROM articles WHERE id IN ({','.join('?' * len(part))})", tuple(part)))
        rowids = [r for r in rowid_of.values() if self._listed(r)]
        if not rowids:
            return []
        fts = _AnnotatedFts(self, rowids)
        out: list[tuple[SortKey, str, Any]] = []
        # A chunk of rows at a time: 100,000 annotated articles are not all in memory at once.
        metas = (meta for i in range(0, len(rowids), _CHUNK) for meta in self.rows.fetch(rowids[i:i + _CHUNK], keep=False))
        for meta in metas:
            notes = self.notes.get(meta.id)
            facts = self.facts(meta, notes)
            verdict = _decide(root, facts, rowid_of[meta.id], notes is not None and notes.title is not None, fts)
            if verdict is False:
                continue
            d = facts.date
            out.append(((d is None, -(d.toordinal() if d else 0), meta.id), meta.id, None if verdict else facts))
        out.sort(key=lambda item: item[0])
        return out

    # --- the stream ------------------------------------------------------------------

    def _unannotated(self, root: Node) -> Iterator[tuple[SortKey, str, Any]]:
        """The unannotated rows in ``maybe``, in the list's order: (key, id, None when
        decided, else the rowid, or ``(rowid, the words' answers)`` for a phrase's
        candidate)."""
        sql = Translation(self._schemas(), self._langs())
        phrased = has_phrase(root)
        sure = sql.condition(root, "sure") if phrased else TRUE
        # a phrase's candidates: the words of the text as the index answers them (the
        # conditions ``sure`` trusts), so that their check need not read the text for them
        words = text_words(root) if phrased else []
        sure = ", ".join([sure] + [sql.words(w) for w in words])
        maybe = sql.condition(root, "maybe")
        self.stats.fts_queries += sql.fts_queries
        conn = self.corpus._conn()
        sql.register(conn)
        cursor = conn.execute(f"SELECT a.rowid, a.id, a.date, {sure} FROM articles AS a WHERE {maybe}"
                              " ORDER BY a.date DESC, a.id", sql.params)
        own = self.own
        kept = self._sorted_rowids()
        while chunk := cursor.fetchmany(2000):
            rowids = np.fromiter((r[0] for r in chunk), dtype=np.int64, count=len(chunk))
            at = np.searchsorted(kept, rowids)
            listed = (at < len(kept)) & (kept[np.minimum(at, len(kept) - 1)] == rowids) if len(kept) else at < 0
            for r, ok in zip(chunk, listed.tolist(), strict=True):
                rowid, aid, date, decided = r[:4]
                if ok and aid not in own:
                    open_: Any = None
                    if not decided:
                        open_ = (rowid, dict(zip(words, map(bool, r[4:]), strict=True))) if words else rowid
                    yield (date is None, -(date or 0), aid), aid, open_

    def _stream(self) -> Iterator[tuple[SortKey, str]]:
        """The matches (their sort keys and ids) in the list's order, each undecided
        one checked as it comes (:class:`_Stopped` raised when stopped)."""
        root = self.query.root
        assert root is not None
        annotated = self._annotated(root) if self.own else []
        merged = heapq.merge(self._unannotated(root), annotated, key=lambda item: item[0])
        return self._checked(root, merged)

    def _checked(self, root: Node, merged: Iterator[tuple[SortKey, str, Any]]) -> Iterator[tuple[SortKey, str]]:
        for key, aid, open_ in merged:
            if open_ is not None:
                if self.should_stop():
                    raise _Stopped
                self.stats.checked += 1
                facts = open_ if isinstance(open_, Facts) else self._row_facts(*(
                    open_ if isinstance(open_, tuple) else (open_, None)))
                if facts is None or not node_matches(root, facts):
                    continue
            yield key, aid

    def _row_facts(self, rowid: int, known: Mapping[Any, bool] | None = None) -> Facts | None:
        """The facts of an unannotated row; ``known``: the index's answers for the
        query's words of the text on it (``Facts.known_words``)."""
        found = self.rows.fetch([rowid], keep=False)
        if not found:
            return None
        facts = self.facts(found[0], None)
        facts.known_words = known
        return facts

    # --- the answer (Evaluation's interface) -------------------------------------------

    def ids(self) -> list[str] | None:
        try:
            if self.query.sort != "oldest":
                return [aid for _key, aid in self._stream()]  # no key kept: a million matches are a million ids
            found = list(self._stream())
        except _Stopped:
            return None
        # the dated ones oldest first (a day's in id order), undated last
        dated = sorted((key for key, _aid in found if not key[0]), key=lambda key: (-key[1], key[2]))
        return [key[2] for key in dated] + [aid for key, aid in found if key[0]]

    def id_set(self) -> set[str] | None:
        try:
            return {aid for _key, aid in self._stream()}  # no order: no list beside the set
        except _Stopped:
            return None

    def first(self, count: int) -> tuple[list[str], bool] | None:
        if self.query.sort != "newest":
            whole = self.ids()
            return None if whole is None else (whole[:count], len(whole) <= count)
        out: list[str] = []
        try:
            for _key, aid in self._stream():
                if len(out) == count:
                    return out, False
                out.append(aid)
        except _Stopped:
            return None
        return out, True


def overriding(notes: Mapping[str, Any], *, tags: bool, states: frozenset[str] = frozenset()) -> set[str]:
    """The ids of ``notes`` whose annotations change what the query sees of the
    article: the analyst's title, date or language; with ``tags``, tags (the
    analyst's or automatic); for each ``is:`` state asked, the articles where it
    holds otherwise than for an article without annotations. The others match as
    their rows do. (A superset is only slower.)"""
    pick = getattr(notes, "overriding", None)
    if callable(pick):
        return set(pick(tags=tags, states=states))
    return {aid for aid, a in notes.items()
            if a.title is not None or a.date is not None or getattr(a, "lang", None)
            or (tags and (a.tags or getattr(a, "auto_tags", ())))
            or any(state_holds(a, state) != (state == "unread") for state in states)}


class _Stopped(Exception):
    pass


class _AnnotatedFts:
    """FTS5 answers restricted to the annotated articles (their rowids).

    An expression is matched once over the whole index, its rowids read a chunk at a
    time and only the annotated ones kept: a ``rowid IN (…)`` restriction does not
    narrow an FTS5 match (each chunk of 500 rowids cost a whole match: a minute for a
    word over 100,000 annotated articles). A few annotated articles take the one
    restricted query instead."""

    def __init__(self, ev: IndexEvaluation, rowids: list[int]) -> None:
        self.ev = ev
        self.rowids = rowids
        self._sorted = np.sort(np.asarray(rowids, dtype=np.int64))
        self._found: dict[str, frozenset[int]] = {}

    def holds(self, expr: str, rowid: int) -> bool:
        found = self._found.get(expr)
        if found is None:
            found = self._found[expr] = self._match(expr)
        return rowid in found

    def _match(self, expr: str) -> frozenset[int]:
        out: set[int] = set()
        for schema in self.ev._schemas():
            if len(self.rowids) <= _CHUNK:
                out.update(r[0] for r in self.ev.corpus._query(
                    f"SELECT rowid FROM {schema}.search WHERE search MATCH ? AND rowid IN ({','.join('?' * len(self.rowids))})",
                    (expr, *self.rowids)))
                continue
            cursor = self.ev.corpus._conn().execute(f"SELECT rowid FROM {schema}.search WHERE search MATCH ?", (expr,))
            while chunk := cursor.fetchmany(20000):
                got = np.fromiter((r[0] for r in chunk), dtype=np.int64, count=len(chunk))
                out.update(got[np.isin(got, self._sorted, assume_unique=True)].tolist())
        return frozenset(out)


def _decide(node: Node, facts: Facts, rowid: int, retitled: bool, fts: _AnnotatedFts) -> bool | None:
    """Does the annotated article match ``node``? None: undecided without its text
    (a phrase the index finds in it)."""
    if isinstance(node, Words) and node.field is None:
        if not retitled:
            return _indexed_words(node.tokens, node.prefix, node.exact, facts.lang, rowid, fts)
        # each word in the analyst's title (read as the text check reads a title) or,
        # by the index, in the file's title or text
        title = _title_only(facts)
        last = len(node.tokens) - 1
        return all(text_has_words(title, (word,), node.prefix and i == last, node.exact)
                   or _indexed_words((word,), node.prefix and i == last, node.exact, facts.lang, rowid, fts)
                   for i, word in enumerate(node.tokens))
    if isinstance(node, Phrase) and node.field is None:
        if fts.holds(fts_expression(node.tokens), rowid):
            return None
        return node_matches(node, _title_only(facts)) if retitled else False
    if isinstance(node, And):
        verdicts = [_decide(c, facts, rowid, retitled, fts) for c in node.children]
        return False if False in verdicts else (None if None in verdicts else True)
    if isinstance(node, Or):
        verdicts = [_decide(c, facts, rowid, retitled, fts) for c in node.children]
        return True if True in verdicts else (None if None in verdicts else False)
    if isinstance(node, Not):
        verdict = _decide(node.child, facts, rowid, retitled, fts)
        return None if verdict is None else not verdict
    return node_matches(node, facts)  # metadata: the facts decide without the text


def _indexed_words(tokens: tuple[str, ...], prefix: bool, exact: bool, lang: str | None, rowid: int,
                   fts: _AnnotatedFts) -> bool:
    """The words in the file's title or text, as the index answers (stemmed in a
    language whose words search by stem)."""
    if fts.holds(fts_expression(tokens, prefix), rowid):
        return True
    if not exact and lang in SEARCH_STEMMED:
        expr = stemmed_expression(tokens, prefix, lang)
        if expr is not None and fts.holds(expr, rowid):
            return True
    return False


def _title_only(facts: Facts) -> Facts:
    """The article as its shown title alone (no text, no file title)."""
    return Facts(id=facts.id, title=facts.title, lang=facts.lang)
