"""A query over a whole corpus: the matching article ids, in the query's order.

How it is decided (the full-text table is contentless with ``detail=none``: it
knows which articles hold a word, not where):

1. every node gets two sets of ids, ``sure`` (certainly matching) and ``maybe``
   (possibly matching, a superset): a word (``Words`` without a field) is one FTS5
   query per full-text table, every token quoted, so both sets are its answer; a
   phrase's ``maybe`` is the articles holding all its words (FTS5) and its ``sure``
   is empty; metadata fields (``title:``, ``source:``, ``tag:``, ``is:``, dates …)
   are decided exactly from the index rows and the annotations; ``And``/``Or``
   intersect/unite both sets; ``Not`` swaps them against the whole corpus;
2. the articles in ``maybe`` but not in ``sure`` are checked one by one with the
   per-article predicate (:func:`briefing.querylang.match.matches`) on their clean
   text, read from the file: only those a phrase (or an analyst's title) leaves
   undecided, after every other condition narrowed them.

Without an index (a corpus read into memory) every article is checked by the
predicate: the same answer, slower.

**An index read by window** (``IndexedCorpus.articles`` is rowids, issue 20) is not
answered by :class:`MemoryEvaluation`, whose per-snapshot tables hold every
article (gigabytes at a million), but by :mod:`briefing.querylang.indexed`: the
same ``sure``/``maybe`` conditions said in SQL for the unannotated rows, the
analyst's overlay decided per annotated article; :class:`Evaluation` chooses.

Metadata conditions over many articles (``tag:``, dates, ``id:``, languages, the
list order) are answered from per-snapshot tables (:mod:`briefing.querylang.snapshot`),
never by a walk of every article per query.

**How phrases are verified (decided by measurement, issue 16).** A phrase's
candidates (the articles holding all its words) are checked on their clean text,
lazily: the reader asks :meth:`Evaluation.first` for the first page (200 hits, in
list order, checking candidates only until the page is full) and shows it, then the
same worker goes on with :meth:`Evaluation.ids` for the whole answer and the count.
Measured at 100k articles (``bench/query_speed.py``, 2 cores shared, loads of 14
to 24, the CPU check 3 to 5 times its quiet time): the first page's p95 over the
phrase queries 306 to 451 ms, the whole answers' p95 3.8 to 4.6 s
(``"world cup" final``: 3,870 candidates read). The alternative, a table of word pairs beside the
full-text index, was measured too big: a sample of 300 generated articles holds
527 distinct word pairs per article against 282 distinct words, and the words'
FTS5 postings already take 705 B per article, so pairs would add about 1.3 KB per
article, over issue 20's whole budget of 1.06 KB. Reading bodies from a compact
store would duplicate the corpus's text in the cache for the same reason.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from itertools import chain
from operator import attrgetter, itemgetter
from typing import Any

from briefing.lang.stem import SEARCH_STEMMED
from briefing.querylang.fts import Stats as Stats  # re-exported (the package and the CLI import them from here)
from briefing.querylang.fts import fts_expression as fts_expression
from briefing.querylang.fts import stemmed_expression as stemmed_expression
from briefing.querylang.match import Facts, _field_tokens, facts_from, field_has, glob_matches, node_matches, state_holds
from briefing.querylang.nodes import And, DateIn, IdGlob, IsState, Lang, Node, Not, Or, Phrase, Query, Tag, Words
from briefing.querylang.snapshot import snapshot
from briefing.sanitize import clean_line


def notes_of(annotations: Any) -> Mapping[str, Any]:
    """Article id -> ArticleNotes from an AnnotationStore, an AnnotationDoc or a mapping."""
    if annotations is None:
        return {}
    doc = getattr(annotations, "document", annotations)
    found: Mapping[str, Any] = getattr(doc, "articles", doc)
    return found


class _Index:
    """The FTS5 side of an :class:`~briefing.index.IndexedCorpus` (its per-thread
    connection and the full-text shards it attached). Full-text rowids are mapped to
    article ids once per corpus snapshot (ids of rows written since, and dead entries
    of changed files, are not in the snapshot and are dropped, as the list drops them)."""

    def __init__(self, corpus: Any, by_id: Mapping[str, Any]) -> None:
        self.corpus = corpus
        corpus._query("SELECT 1", ())  # connects (rebuilds a damaged cache) and attaches the shards
        self.schemas = list(corpus._local.schemas)
        self._ids: dict[str, frozenset[str]] = {}
        key = id(corpus.articles)
        cached = _ROWIDS.get(key)
        if cached is None or cached[0] is not corpus.articles or cached[1] != len(by_id):
            rows = corpus._query("SELECT rowid, id FROM articles", ())
            # rowid -> the snapshot's meta (None: not in it), built without a Python loop
            metas = map(by_id.get, map(itemgetter(1), rows))
            cached = (corpus.articles, len(by_id), dict(zip(map(itemgetter(0), rows), metas, strict=True)))
            _ROWIDS.clear()  # one corpus at a time: the newest snapshot
            _ROWIDS[key] = cached
        self.rowid_to_meta: dict[int, Any] = cached[2]

    def ids(self, expr: str) -> frozenset[str]:
        cached = self._ids.get(expr)
        if cached is not None:
            return cached
        to_meta, id_of = self.rowid_to_meta.get, attrgetter("id")
        out: set[str] = set()
        for schema in self.schemas:
            rows = self.corpus._query(f"SELECT rowid FROM {schema}.search WHERE search MATCH ?", (expr,))
            # rowid -> id without a Python loop; rows not in this snapshot (written since, dead entries) dropped
            out.update(map(id_of, filter(None, map(to_meta, chain.from_iterable(rows)))))
        found = frozenset(out)
        self._ids[expr] = found
        return found

    def doc_frequency(self, term: str) -> int:
        """How many indexed articles hold ``term`` (FTS5's vocabulary; dead entries of
        changed files count too, a few at most)."""
        total = 0
        for schema in self.schemas:
            vocab = f"querylang_vocab_{schema}"
            self.corpus._query(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{vocab} USING fts5vocab({schema}, search, row)", ())
            rows = self.corpus._query(f"SELECT doc FROM temp.{vocab} WHERE term = ?", (term,))
            total += rows[0][0] if rows else 0
        return total


FIELD_SCAN = 5000  # above this many articles left, a title: word is narrowed by FTS5 before titles are read

_ROWIDS: dict[int, tuple[Any, int, dict[int, Any]]] = {}


def _index_of(corpus: Any, by_id: Mapping[str, Any]) -> _Index | None:
    if getattr(corpus, "_offline", False):
        return None
    if not callable(getattr(corpus, "_query", None)) or not callable(getattr(corpus, "match_ids", None)):
        return None
    return _Index(corpus, by_id)


class Evaluation:
    """One query over one corpus: through SQLite for an index read by window
    (:mod:`briefing.querylang.indexed`: nothing kept per article), else over the
    snapshot's tables (:class:`MemoryEvaluation`). ``ids()``, ``id_set()``,
    ``first(count)`` and ``stats`` as :class:`MemoryEvaluation`'s."""

    def __init__(self, query: Query, corpus: Any, annotations: Any = None, *,
                 body: Callable[[str], str] | None = None, should_stop: Callable[[], bool] | None = None) -> None:
        from briefing.querylang import indexed

        self.impl: MemoryEvaluation | indexed.IndexEvaluation
        if indexed.applies(query, corpus):
            self.impl = indexed.IndexEvaluation(query, corpus, notes_of(annotations), body=body,
                                                should_stop=should_stop)
        else:
            self.impl = MemoryEvaluation(query, corpus, annotations, body=body, should_stop=should_stop)
        self.stats = self.impl.stats

    def ids(self) -> list[str] | None:
        """The matching ids in the query's order (None when stopped)."""
        return self.impl.ids()

    def id_set(self) -> set[str] | frozenset[str] | None:
        """The matching ids, in no order (a count: watchlists); None when stopped."""
        return self.impl.id_set()

    def first(self, count: int) -> tuple[list[str], bool] | None:
        """The first ``count`` matching ids in the query's order: ``(ids, complete)``
        (see :meth:`MemoryEvaluation.first`); None when stopped."""
        return self.impl.first(count)


class MemoryEvaluation:
    """One query over one corpus snapshot (see the module docstring)."""

    def __init__(self, query: Query, corpus: Any, annotations: Any = None, *,
                 body: Callable[[str], str] | None = None, should_stop: Callable[[], bool] | None = None) -> None:
        self.query = query
        self.corpus = corpus
        self.notes = notes_of(annotations)
        self.snap = snapshot(corpus)
        self.metas, self.by_id, self.universe = self.snap.metas, self.snap.by_id, self.snap.universe
        self.stats = Stats()
        self._body = body
        self.should_stop = should_stop or (lambda: False)
        self.index = _index_of(corpus, self.by_id)
        # Articles whose title the analyst changed: a word may be in that title only.
        self.retitled = frozenset(aid for aid, a in self.notes.items() if a.title is not None and aid in self.by_id)
        self.redated = frozenset(aid for aid, a in self.notes.items() if a.date is not None)
        self._by_lang: dict[str, frozenset[str]] | None = None
        self._overrides = {aid: a.lang for aid, a in self.notes.items() if getattr(a, "lang", None) and aid in self.by_id}

    # --- facts ---------------------------------------------------------------------------

    def effective(self, meta: Any) -> Any:
        a = self.notes.get(meta.id)
        lang = getattr(a, "lang", None)
        if a is None or (a.title is None and a.date is None and not a.tags and not getattr(a, "auto_tags", ())
                         and lang is None):
            return meta
        return replace(meta, title=clean_line(a.title) if a.title is not None else meta.title,
                       date=a.date or meta.date, tags=tuple(meta.tags) + tuple(a.tags), lang=lang or meta.lang)

    def body(self, article_id: str) -> str:
        if self._body is not None:
            return self._body(article_id)
        reader = getattr(self.corpus, "body", None)
        try:
            if callable(reader):
                return str(reader(article_id))
            return str(self.corpus.article(article_id).body)
        except Exception:  # noqa: BLE001 - an unreadable file: only its metadata can match
            return ""

    def facts(self, article_id: str) -> Facts:
        meta = self.by_id[article_id]
        shown = self.effective(meta)
        return facts_from(shown, self.notes.get(article_id), lambda: self.body(article_id),
                          file_meta=meta if shown is not meta else None)

    # --- bounds --------------------------------------------------------------------------

    def _exact(self, within: frozenset[str], test: Callable[[Any], bool]) -> tuple[frozenset[str], frozenset[str]]:
        by_id = self.by_id
        found = frozenset(aid for aid in within if test(by_id[aid]))
        return found, found

    def bounds(self, node: Node, within: frozenset[str] | None = None) -> tuple[frozenset[str], frozenset[str]]:
        """(sure, maybe) for ``node`` among the ids ``within`` (default: all)."""
        w = self.universe if within is None else within
        if isinstance(node, (Words, Phrase)) and node.field is not None:
            name = node.field
            if name == "title" and self.index is not None and len(w) > FIELD_SCAN:
                # a title word is a word of the text: FTS5 narrows a large set first
                self.stats.fts_queries += 1
                w = w & (self.index.ids(fts_expression(node.tokens, isinstance(node, Words) and node.prefix))
                         | self.retitled)
            phrase = isinstance(node, Phrase)
            prefix = isinstance(node, Words) and node.prefix

            folded_of = self.snap.folded

            def field_test(m: Any) -> bool:
                value = self._title(m) if name == "title" else getattr(m, name)
                if not value:
                    return False
                kept = folded_of(value) if value is getattr(m, name) else None  # the file's own field, folded once
                return field_has(value, node.tokens, prefix, phrase, kept)
            return self._exact(w, field_test)
        if isinstance(node, Words):
            if self.index is None:
                return frozenset(), w
            self.stats.fts_queries += 1
            found = frozenset(self.index.ids(fts_expression(node.tokens, node.prefix)))
            for lang, ids in ({} if node.exact else self.by_lang()).items():
                expr = stemmed_expression(node.tokens, node.prefix, lang) if ids & w else None
                if expr is not None:  # inflected forms, in the articles of that language only
                    self.stats.fts_queries += 1
                    found |= self.index.ids(expr) & ids
            if not self.retitled:
                within = found if w is self.universe else found & w  # the index's ids are the snapshot's
                return within, within
            return (found - self.retitled) & w, (found | self.retitled) & w
        if isinstance(node, Phrase):
            if self.index is None:
                return frozenset(), w
            self.stats.fts_queries += 1
            found = frozenset(self.index.ids(fts_expression(node.tokens)))
            return frozenset(), (found | self.retitled) & w
        if isinstance(node, And):
            sure, maybe = w, w
            for child in sorted(node.children, key=_cost):
                s, m = self.bounds(child, maybe)  # each condition looks only where the others left
                sure, maybe = sure & s, m
            return sure, maybe
        if isinstance(node, Or):
            sure, maybe = frozenset(), frozenset()
            for child in node.children:
                s, m = self.bounds(child, w)
                sure, maybe = sure | s, maybe | m
            return sure, maybe
        if isinstance(node, Not):
            s, m = self.bounds(node.child, w)
            return w - m, w - s
        if isinstance(node, Tag):
            def tag_test(m: Any) -> bool:
                return node_matches(node, Facts(m.id, "", tags=self._tags(m)))
            if len(w) <= FIELD_SCAN:
                return self._exact(w, tag_test)
            # the file's tags from the snapshot's table; the analyst's (only added) per article
            tagged = self.snap.tagged(node.value, node.prefix)
            extra = frozenset(aid for aid, a in self.notes.items()
                              if (a.tags or getattr(a, "auto_tags", ())) and aid in w and aid not in tagged
                              and tag_test(self.by_id[aid]))
            found = (tagged & w) | extra
            return found, found
        if isinstance(node, IdGlob):
            if len(w) <= FIELD_SCAN:
                return self._exact(w, lambda m: glob_matches(node.pattern, m.id))
            found = self.snap.glob(node.pattern, lambda i: glob_matches(node.pattern, i)) & w
            return found, found
        if isinstance(node, IsState):
            notes = self.notes
            if node.state == "unread":
                read = frozenset(aid for aid, a in notes.items() if a.read)
                return w - read, w - read
            return self._exact(w & frozenset(notes), lambda m: state_holds(notes.get(m.id), node.state))
        if isinstance(node, Lang):
            return self._exact(w, lambda m: (self._lang(m) or "und") == node.code)
        if isinstance(node, DateIn):
            start, end = node.start, node.end
            date_of = self._date

            def in_range(m: Any) -> bool:
                d = date_of(m)
                return d is not None and (start is None or d >= start) and (end is None or d <= end)
            between = self.snap.dated_between(start, end) if len(w) > FIELD_SCAN else None
            if between is None:
                return self._exact(w, in_range)
            # the file dates by bisection; the analyst's dates, a few, one by one
            redated = self.redated & w
            found = ((between & w) - redated) | frozenset(a for a in redated if in_range(self.by_id[a]))
            return found, found
        raise TypeError(f"not a query node: {node!r}")  # pragma: no cover

    def _title(self, meta: Any) -> str:
        a = self.notes.get(meta.id)
        return clean_line(a.title) if a is not None and a.title is not None else meta.title

    def _tags(self, meta: Any) -> tuple[str, ...]:
        a = self.notes.get(meta.id)
        if a is None:
            return tuple(meta.tags)
        return tuple(meta.tags) + tuple(a.tags) + tuple(getattr(a, "auto_tags", ()) or ())

    def _lang(self, meta: Any) -> str | None:
        a = self.notes.get(meta.id)
        override = getattr(a, "lang", None) if a is not None else None
        return override or getattr(meta, "lang", None)

    def by_lang(self) -> dict[str, frozenset[str]]:
        """The ids of the articles in each language whose words search by stem (the
        file's language from the snapshot, the analyst's overrides on top)."""
        if self._by_lang is None:
            found = {lang: self.snap.lang_ids(lang) for lang in self.snap.langs() if lang in SEARCH_STEMMED}
            if self._overrides:
                moved = frozenset(self._overrides)
                groups = {lang: set(ids - moved) for lang, ids in found.items()}
                for aid, lang in self._overrides.items():
                    if lang in SEARCH_STEMMED:
                        groups.setdefault(lang, set()).add(aid)
                found = {lang: frozenset(ids) for lang, ids in groups.items() if ids}
            self._by_lang = found
        return self._by_lang

    def _date(self, meta: Any) -> Any:
        if meta.id in self.redated:
            return self.notes[meta.id].date
        return meta.date

    # --- the answer ----------------------------------------------------------------------

    def ids(self) -> list[str] | None:
        """The matching ids in the query's order (None when stopped)."""
        chosen = self.id_set()
        return None if chosen is None else self._order(chosen)

    def id_set(self) -> set[str] | frozenset[str] | None:
        """The matching ids, in no order (a count: watchlists); None when stopped."""
        root = self.query.root
        if root is None:
            return self.universe
        sure, maybe = self.bounds(root)
        if maybe is sure or maybe == sure:
            return sure
        chosen = set(sure)
        for article_id in self._in_order(maybe - sure):
            if self.should_stop():
                return None
            self.stats.checked += 1
            if node_matches(root, self.facts(article_id)):
                chosen.add(article_id)
        return chosen

    def first(self, count: int) -> tuple[list[str], bool] | None:
        """The first ``count`` matching ids in the query's order, checking texts only
        until they are found: ``(ids, complete)``, ``complete`` when they are all the
        matches (None when stopped). For a first page while :meth:`ids` finishes: a
        phrase with thousands of candidates is checked a page at a time. With
        ``sort:relevance`` every match is needed first: this is :meth:`ids`."""
        root = self.query.root
        if root is None or self.query.sort == "relevance":
            found = self.ids()
            return None if found is None else (found, True)
        sure, maybe = self.bounds(root)
        if maybe == sure:
            ordered = self._order(sure)
            return ordered[:count], len(ordered) <= count
        out: list[str] = []
        for article_id in self._order(maybe):
            if len(out) == count:
                return out, False
            if article_id not in sure:
                if self.should_stop():
                    return None
                self.stats.checked += 1
                if not node_matches(root, self.facts(article_id)):
                    continue
            out.append(article_id)
        return out, True

    def _in_order(self, ids: frozenset[str]) -> list[str]:
        return self.snap.in_order(ids)

    def _order(self, chosen: set[str] | frozenset[str]) -> list[str]:
        redated = any(a.date is not None for aid, a in self.notes.items() if aid in chosen)
        if redated:
            def key(aid: str) -> tuple[bool, int, str]:
                d = self._date(self.by_id[aid])
                return (d is None, -(d.toordinal() if d else 0), aid)
            newest = sorted(chosen, key=key)
        else:
            newest = self.snap.in_order(chosen)  # the corpus's own order is the list's
        sort = self.query.sort
        if sort == "oldest":
            dated = [aid for aid in newest if self._date(self.by_id[aid]) is not None]
            undated = [aid for aid in newest if self._date(self.by_id[aid]) is None]
            dated.reverse()  # oldest first; ties (same day) stay in id order
            return _stable_days(dated, lambda aid: self._date(self.by_id[aid])) + undated
        if sort == "relevance":
            return self._by_relevance(newest)
        return newest

    def _by_relevance(self, newest: list[str]) -> list[str]:
        """BM25 over the query's positive words (FTS5's own ``bm25()`` has no term
        frequencies to work with in a ``detail=none`` table: it returns 0 for every
        row, measured). Document frequencies come from FTS5's vocabulary, document
        lengths from the index rows; a term counts once in the text and once more
        when it is also in the title (tf 1 or 2). Ties keep the newest-first order."""
        terms: list[str] = []
        for n, negated in _positive_text(self.query.root):
            if not negated:
                terms.extend(t for t in (n.tokens[:-1] if getattr(n, "prefix", False) else n.tokens) if t not in terms)
        if not terms or not newest or self.index is None:
            return newest
        lengths = [max(1, getattr(self.by_id[aid], "words", 0) or 1) for aid in newest]
        average = sum(lengths) / len(lengths)
        total = max(len(self.metas), 1)
        k1, b = 1.2, 0.75
        score = dict.fromkeys(newest, 0.0)
        for term in terms:
            df = self.index.doc_frequency(term)
            idf = math.log(1 + (total - df + 0.5) / (df + 0.5))
            holding = self.index.ids(fts_expression((term,)))
            for aid, length in zip(newest, lengths, strict=True):
                tf = (aid in holding) + (term in _field_tokens(self.effective(self.by_id[aid]).title))
                if tf:
                    score[aid] += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * length / average))
        position = {aid: i for i, aid in enumerate(newest)}
        return sorted(newest, key=lambda aid: (-score[aid], position[aid]))


def _stable_days(ids: list[str], date_of: Callable[[str], Any]) -> list[str]:
    """Reversed newest-first order puts a day's ids in reverse id order: put them back."""
    out: list[str] = []
    i = 0
    while i < len(ids):
        j = i
        day = date_of(ids[i])
        while j < len(ids) and date_of(ids[j]) == day:
            j += 1
        out.extend(sorted(ids[i:j]))
        i = j
    return out


def _positive_text(node: Node | None) -> Iterator[tuple[Words | Phrase, bool]]:
    from briefing.querylang.nodes import walk

    for n, negated in walk(node):
        if isinstance(n, (Words, Phrase)) and n.field is None:
            yield n, negated


def _cost(node: Node) -> int:
    """Words first (one FTS5 query narrows the most), then metadata (looked up only
    among what is left), phrases and exclusions last (the order never changes the
    answer, only the work)."""
    if isinstance(node, Words) and node.field is None:
        return 0
    if isinstance(node, (Phrase, Not, Or)):
        return 2
    return 1


def evaluate(query: Query, corpus: Any, annotations: Any = None, *, body: Callable[[str], str] | None = None,
             should_stop: Callable[[], bool] | None = None) -> list[str]:
    """The ids of ``corpus``'s articles matching ``query``, in its order (newest
    first unless ``sort:`` says otherwise). ``annotations``: an AnnotationStore, an
    AnnotationDoc or a mapping id -> ArticleNotes (the analyst's titles, dates, tags
    and states). ``body``: a reader of clean bodies by id (default: the corpus's).
    An FTS5 error is not the analyst's fault and never reaches them: it raises
    ``sqlite3.Error`` for the caller to report."""
    found = Evaluation(query, corpus, annotations, body=body, should_stop=should_stop).ids()
    return found if found is not None else []


