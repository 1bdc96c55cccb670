"""``briefing list`` as a stream of rows from the index, never every row in memory.

The list order is the effective date (the analyst's correction, else the file's),
newest first, undated last, then the id. Two sorted streams are merged:

- the rows of articles **without annotations**, straight from an SQL cursor in
  ``ORDER BY date DESC, id`` (the ``articles_order`` index): the filters that can be
  said in SQL are (``--since``/``--until`` on ``date``, ``--tag`` narrowed with
  ``instr``, ``--query`` through :mod:`briefing.querylang.sql`, a phrase's candidates
  decided on their files by :mod:`briefing.querylang.verify`), and each row is
  still checked by the same test :func:`briefing.annotations.query.filter_articles`
  applies;
- the **annotated** articles (a few, next to a corpus: the ids in annotations.yaml),
  read by id, each checked by the query language's per-article predicate and the
  filter, then sorted by their effective date (a date correction moves an article
  anywhere in the list: this is where it is merged back in).

A query with ``sort:oldest`` or ``sort:relevance`` is not streamed (:func:`rows`
returns None): the caller lists it the old way.
"""

from __future__ import annotations

import datetime as dt
import heapq
import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from briefing.model import ArticleMeta

if TYPE_CHECKING:
    from briefing.annotations.filter import Filter
    from briefing.annotations.store import AnnotationStore

COLUMNS = "a.id, a.path, a.title, a.title_derived, a.date, a.author, a.source, a.tags, a.fingerprint, a.words, a.warnings, a.url, a.lang"
_CHUNK = 500

SortKey = tuple[bool, int, str]


def reads_from_index(corpus: object) -> bool:
    """``corpus`` reads its articles a window at a time from its index (an
    :class:`~briefing.index.indexed.IndexedCorpus` opened so), holding no meta per
    article: what is asked of every article is then asked of the index in SQL."""
    from briefing.index.rows import ArticleRows

    return isinstance(getattr(corpus, "articles", None), ArticleRows)


def meta_of(r: Iterable[Any]) -> ArticleMeta:
    """An :class:`ArticleMeta` from a row of :data:`COLUMNS` (as the index loads them)."""
    (id_, path, title, derived, date, author, source, tags, fingerprint, words, warnings, url, lang) = r
    return ArticleMeta(
        id_, path if path.__class__ is str else os.fsdecode(path), title, derived == 1,
        dt.date.fromordinal(date) if date is not None else None,
        author, source, tuple(tags.split("\n")) if tags else (), fingerprint, words,
        tuple(warnings.split("\n")) if warnings else (), url, lang,
    )


def connect(cache: os.PathLike[str] | str) -> sqlite3.Connection:
    """A read connection to the index cache at ``cache`` with its full-text shards."""
    from pathlib import Path

    from briefing.index import store

    path = Path(cache)
    conn = store.connect(path, readonly=True)
    try:
        store.attach_shards(conn, path)
    except store.CacheInvalid as err:
        conn.close()
        raise sqlite3.DatabaseError(f"cache: {err}") from err
    return conn


def schemas_of(conn: sqlite3.Connection) -> list[str]:
    return ["main"] + sorted(r[1] for r in conn.execute("PRAGMA database_list") if r[1].startswith("s") and r[1][1:].isdigit())


def rows_by_id(conn: sqlite3.Connection, select: str, ids: Iterable[str]) -> Iterator[tuple[Any, ...]]:
    """The rows of ``select`` (``SELECT ... FROM articles AS a``) whose id is one of
    ``ids`` (unknown ids are left out), :data:`_CHUNK` ids a query."""
    wanted = sorted(set(ids))
    for i in range(0, len(wanted), _CHUNK):
        chunk = wanted[i:i + _CHUNK]
        yield from conn.execute(f"{select} WHERE a.id IN ({','.join('?' * len(chunk))})", chunk)


def metas_by_id(conn: sqlite3.Connection, ids: Iterable[str]) -> list[ArticleMeta]:
    """The indexed articles with these ids (unknown ids are left out)."""
    return [meta_of(r) for r in rows_by_id(conn, f"SELECT {COLUMNS} FROM articles AS a", ids)]


def reconcile_subset(conn: sqlite3.Connection, doc: Any) -> list[ArticleMeta]:
    """The articles :meth:`AnnotationStore.reconcile` needs to follow renamed files
    exactly as with every article: the annotated ones that exist, and every article
    whose fingerprint an orphan (an annotated id with no article) recorded."""
    annotated = metas_by_id(conn, doc.articles)
    known = {m.id for m in annotated}
    fingerprints = sorted({doc.get(i).fingerprint for i in doc.articles if i not in known and doc.get(i).fingerprint})
    extra: list[ArticleMeta] = []
    for i in range(0, len(fingerprints), _CHUNK):
        chunk = fingerprints[i:i + _CHUNK]
        marks = ",".join("?" * len(chunk))
        sql = (f"SELECT {COLUMNS} FROM articles AS a WHERE substr(a.fingerprint, 8, 16) IN ({marks})"  # the index's expression
               f" AND a.fingerprint IN ({marks})")
        extra += [meta_of(r) for r in conn.execute(sql, [fp[7:23] for fp in chunk] + chunk)]
    return annotated + [m for m in extra if m.id not in known]


def _facts(meta: ArticleMeta, notes: Any) -> Any:
    """What :meth:`briefing.querylang.evaluate.Evaluation.facts` makes of an article."""
    from briefing.querylang.match import facts_from
    from briefing.querylang.phrasecheck import FileText
    from briefing.sanitize import clean_line

    shown = meta
    if notes is not None and (notes.title is not None or notes.date is not None or notes.tags
                              or getattr(notes, "auto_tags", ())):
        shown = replace(meta, title=clean_line(notes.title) if notes.title is not None else meta.title,
                        date=notes.date or meta.date, tags=tuple(meta.tags) + tuple(notes.tags))
    text = FileText(meta.id, meta.path)  # read once: a phrase's test on the bytes, else the body
    facts = facts_from(shown, notes, text.body, file_meta=meta if shown is not meta else None)
    facts.phrase_probe = text.probe
    facts.phrase_sure = text.sure
    return facts


def rows(conn: sqlite3.Connection, store: AnnotationStore, flt: Filter, *,
         annotated_only: bool = False) -> Iterator[ArticleMeta] | None:
    """The articles ``briefing list`` shows for ``flt`` (file metas, not yet corrected:
    apply ``store.effective_meta``), in list order, streamed; None when the filter's
    query asks for another order (the caller then lists the old way).
    ``annotated_only``: only articles with an entry in the annotations (an export
    that takes the worked-on articles: no row of the others is read)."""
    from briefing.querylang import parse

    query = parse(flt.search) if flt.search is not None else None
    if query is not None and query.sort != "newest":
        return None
    if flt.watchlist_ids is not None:
        return None
    root = query.root if query is not None else None
    if flt.lang is not None or _names_language(root):
        return None  # languages (issue 19): the full path stems words per article and reads overrides
    check = _LanguageCheck(conn, root) if _has_words(root) else None
    try:
        return _rows(conn, store, flt, root, flt.show_dismissed or (query is not None and query.asks_dismissed),
                     annotated_only, gate=check.gate if check is not None else None)
    except _Stemmed:
        return None
    finally:
        if check is not None:
            check.gate(raising=False)  # joined however _rows ended


def _nodes(node: Any) -> Iterator[Any]:
    yield node
    for child in (getattr(node, "children", None) or ((node.child,) if hasattr(node, "child") else ())):
        yield from _nodes(child)


def _names_language(root: Any) -> bool:
    from briefing.querylang.nodes import Lang

    return root is not None and any(isinstance(n, Lang) for n in _nodes(root))


def _has_words(root: Any) -> bool:
    from briefing.querylang.nodes import Words

    return root is not None and any(isinstance(n, Words) for n in _nodes(root))


def _needs_languages(conn: sqlite3.Connection, root: Any) -> bool:
    """The query names a language, or searches words in a corpus that holds articles
    in languages whose words are stemmed (the SQL path matches words exactly)."""
    if _names_language(root):
        return True
    return _has_words(root) and _holds_stemmed(conn)


def _holds_stemmed(conn: sqlite3.Connection) -> bool:
    """The index holds an article in a language whose words search by stem (a scan of
    an index: a tenth of a second at a million articles)."""
    from briefing.lang.stem import SEARCH_STEMMED

    marks = ",".join("?" * len(SEARCH_STEMMED))
    return conn.execute(f"SELECT 1 FROM articles WHERE lang IN ({marks}) LIMIT 1", SEARCH_STEMMED).fetchone() is not None


class _Stemmed(Exception):
    """The corpus holds articles in stemmed languages: the words need the full path."""


class _LanguageCheck:
    """:func:`_needs_languages` on a connection of its own, in a thread, while the
    list's statement takes its first step on the caller's (SQLite works without the
    interpreter's lock: two cores); :meth:`gate` waits for the answer. Without a
    file to open a second connection on, it answers on the caller's connection."""

    def __init__(self, conn: sqlite3.Connection, root: Any) -> None:
        import threading

        self.root = root
        self.answer: bool | None = None
        self.failed = False
        path = next((r[2] for r in conn.execute("PRAGMA database_list") if r[1] == "main"), "")
        self.thread: threading.Thread | None = None
        if not path:
            self.answer = _needs_languages(conn, root)
            return
        self.thread = threading.Thread(target=self._run, args=(path,), name="briefing-languages", daemon=True)
        self.thread.start()

    def _run(self, path: str) -> None:
        from pathlib import Path

        from briefing.index import store

        try:
            own = store.connect(Path(path), readonly=True)
            try:
                self.answer = _needs_languages(own, self.root)
            finally:
                own.close()
        except sqlite3.Error:
            self.failed = True

    def gate(self, raising: bool = True) -> None:
        """Wait for the answer; raise :class:`_Stemmed` when the corpus holds stemmed
        languages (or the check failed: the full path is always right)."""
        if self.thread is not None:
            self.thread.join()
            self.thread = None
        if raising and (self.failed or self.answer):
            raise _Stemmed


def _rows(conn: sqlite3.Connection, store: AnnotationStore, flt: Filter, root: Any,
          show_dismissed: bool, annotated_only: bool, gate: Any = None) -> Iterator[ArticleMeta]:
    """The rows (see :func:`rows`). The unannotated rows' statement is run here, at
    once (its first step: SQLite's work), then ``gate`` is called (the language
    check that ran meanwhile: it raises to take the full path); the rest when read."""
    from briefing.annotations.query import article_filter

    keep = article_filter(store, tag=list(flt.tags) or None, status=flt.statuses, since=flt.since, until=flt.until,
                          show_dismissed=show_dismissed)
    annotated = set(store.document.articles)
    cursor: sqlite3.Cursor | None = None
    words: list[Any] = []
    if not (annotated_only or any(s in ("read", "flagged", "dismissed", "annotated") for s in flt.statuses)):
        # (else: an article without notes is unread, and nothing else)
        cursor, words = _unannotated_cursor(conn, flt, root)
    if gate is not None:
        gate()
    return _merged(conn, store, root, keep, annotated, cursor, words)


def _unannotated_cursor(conn: sqlite3.Connection, flt: Filter, root: Any) -> tuple[sqlite3.Cursor, list[Any]]:
    """The statement of the unannotated rows, run (its first row ready), and the
    words of the text whose answers follow its ``sure`` column."""
    from briefing.querylang.nodes import DateIn
    from briefing.querylang.sql import TRUE, Translation, has_phrase, text_words

    t = Translation(schemas_of(conn), [])  # exact words: a corpus with stemmed languages is not streamed
    # the text's order is the parameters' order: the select list's conditions first
    phrased = root is not None and has_phrase(root)
    sure = t.condition(root, "sure") if phrased else TRUE  # the rest is exact in SQL
    # a phrase's candidates: the words of the text as the index answers them (exact), so that
    # the check reads no file for them (a phrase's byte test may settle it without a parse)
    words = text_words(root) if phrased else []
    sure = ", ".join([sure] + [t.words(w) for w in words])
    where = ["1"]
    tagged = []
    for tag in flt.tags:
        wanted = tag.casefold()
        if wanted.isascii():  # SQLite's lower() folds ASCII only: rows with other letters are checked in Python
            tagged.append("(instr(lower(tags), ?) > 0 OR tags GLOB ?)")
            t.params += [wanted, "*[^\x01-\x7f]*"]
    if tagged:  # as a set of rowids from the articles_stats index (it holds the tags): the list order
        # would otherwise visit every row through articles_order (15 s at 1M articles, against 0.4 s)
        where.append(f"a.rowid IN (SELECT rowid FROM articles WHERE {' AND '.join(tagged)})")
    if flt.since is not None or flt.until is not None:  # the file's date: no correction without notes
        where.append(t.condition(DateIn(flt.since, flt.until), "maybe"))
    if root is not None:
        where.append(t.condition(root, "maybe"))
        t.register(conn)
    sql = f"SELECT {COLUMNS}, {sure} FROM articles AS a WHERE {' AND '.join(where)} ORDER BY a.date DESC, a.id"
    return conn.execute(sql, t.params), words


def _merged(conn: sqlite3.Connection, store: AnnotationStore, root: Any, keep: Any, annotated: set[str],
            cursor: sqlite3.Cursor | None, words: list[Any]) -> Iterator[ArticleMeta]:
    from briefing.querylang.match import node_matches

    notes_by_id = store.document.articles

    def key(meta: ArticleMeta, date: dt.date | None) -> SortKey:
        return (date is None, -(date.toordinal() if date else 0), meta.id)

    chosen: list[tuple[SortKey, ArticleMeta]] = []
    for meta in metas_by_id(conn, annotated):
        notes = notes_by_id.get(meta.id)
        if root is not None and not node_matches(root, _facts(meta, notes)):
            continue
        if keep(meta):
            chosen.append((key(meta, store.effective_date(meta)), meta))
    chosen.sort(key=lambda pair: pair[0])

    def candidates() -> Iterator[tuple[tuple[SortKey, ArticleMeta], Any]]:
        width = len(words) + 1  # the sure condition and the words' answers, after the columns
        for r in cursor or ():
            if r[0] in annotated:
                continue
            meta = meta_of(r[:-width])
            if keep(meta):
                open_: Any = None  # decided by SQL
                if not r[-width]:
                    open_ = (meta, dict(zip(words, map(bool, r[1 - width:]), strict=True))) if words else meta
                yield ((r[4] is None, -(r[4] or 0), r[0]), meta), open_

    def unannotated() -> Iterator[tuple[SortKey, ArticleMeta]]:
        if root is None:  # no query: nothing to decide (the verifier and the parsers it imports are not needed)
            yield from (row for row, _open in candidates())
            return
        from briefing.querylang.verify import decided

        yield from decided(root, candidates())

    for _key, meta in heapq.merge(unannotated(), chosen, key=lambda pair: pair[0]):
        yield meta
