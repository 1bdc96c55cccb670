"""The corpus as seen through its index: the same surface as ``Corpus``, plus search."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import briefing.cachedir  # noqa: F401 - store.cache_path needs it; imported with the index, not at the first open
import briefing.config  # noqa: F401 - (through cachedir) likewise
from briefing import heap
from briefing.corpus import parse_bytes, read_bytes
from briefing.corpus.load import is_container, read_item
from briefing.corpus.problems import LoadProblem
from briefing.index import store
from briefing.index.extract import SEQ_BITS, SEQ_MAX
from briefing.index.query import Query, SearchHit, snippet
from briefing.index.refresh import OnBatch, Progress, Refresher, RefreshStats
from briefing.index.rows import ArticleRows, IdLookup
from briefing.index.workers import ShardFailed
from briefing.model import Article, ArticleMeta

# One query per full-text table (the main file's and each shard's); the results are
# merged newest first. The join drops dead entries (changed or deleted articles).
_MATCH_SQL = (
    "SELECT search.rowid, a.id, a.title FROM {schema}.search JOIN articles AS a ON a.rowid = search.rowid"
    " WHERE search MATCH ?1 ORDER BY search.rowid DESC LIMIT ?2"
)
# Every match of one date (the last date a LIMIT reached, whose rows must be put in
# id order before cutting: a row added later to a date has a higher rowid).
_MATCH_DATE_SQL = (
    "SELECT search.rowid, a.id, a.title FROM {schema}.search JOIN articles AS a ON a.rowid = search.rowid"
    " WHERE search MATCH ?1 AND search.rowid BETWEEN ?2 AND ?3"
)


BODY_CACHE = 1024  # clean bodies kept for snippets (a few MB)
# SQLite's page cache of each thread's connection (KiB). A listing or a grouping reads
# every row of the order index once, which filled the 32 MiB of store.connect on each
# of the reader's worker threads (up to 80 MB at 100k articles, never given back); the
# operating system caches the file anyway, and a few MiB hold the b-trees' inner pages.
READER_CACHE_KIB = 4096

# A prefix query (the last word as typed) makes FTS5 merge the whole posting list of
# every term with that prefix before it can return the newest rows: ``the*`` in a
# 100k-article index reads every posting of the, they, then, there... (tens of ms).
# With a limit, the terms are looked up first in the table's vocabulary and the
# prefix is replaced by ``("t1" OR "t2" ...)``, which FTS5 merges lazily, newest
# first, and stops after ``limit`` rows: the same rows, several times faster. Above
# this many terms the plain prefix query is used.
MAX_EXPANSION = 1000


class CorpusIndex:
    """The cache of one corpus folder: opens (or rebuilds) it and refreshes it.

    A front end that wants its first screen early runs, in a worker thread::

        index = CorpusIndex(root)
        stats = index.refresh(progress=on_progress, on_batch=on_batch)
        corpus = index.snapshot()

    ``on_batch(metas)`` is called after each committed batch with the articles it
    added (the first one after ~50 files, well under a second); ``progress(done,
    total)`` counts files parsed out of those that need it. ``index.snapshot()`` may
    also be called before ``refresh`` to show what the cache held last time (fast,
    possibly stale) while the folder is being checked.
    """

    def __init__(self, root: str | os.PathLike[str], *, workers: int | None = None) -> None:
        self.root = Path(os.path.abspath(os.fspath(root)))
        self.path = store.cache_path(self.root)
        self.workers = workers
        self.rebuilt = False
        self._fingerprint = store.parser_fingerprint()
        self._scan_problems: list[LoadProblem] = []
        self._stats: RefreshStats | None = None

    def refresh(self, progress: Progress | None = None, on_batch: OnBatch | None = None,
                on_problem: Callable[[LoadProblem], None] | None = None,
                should_stop: Callable[[], bool] | None = None) -> RefreshStats:
        """Walk the folder and update the cache; safe against a concurrent process.

        Without a trusted cache this is a cold build, written to a temp file beside
        the cache and renamed into place when done (or when ``should_stop()`` says
        so: what was parsed stays, the next refresh carries on from there); a crash
        mid-build leaves the temp file, never a half cache.

        ``should_stop()`` is polled between batches (a reader cancelling its worker).
        """
        if on_batch is not None:  # a build redone after a failure must not list an article twice
            sent: set[str] = set()
            caller_on_batch = on_batch

            def on_batch(metas: list[ArticleMeta]) -> None:
                fresh = [m for m in metas if m.id not in sent]
                sent.update(m.id for m in fresh)
                if fresh:
                    caller_on_batch(fresh)

        with store.writer_lock(self.path):
            use_shards = True
            for attempt in (1, 2, 3):
                opened, thrown_away = store.open_valid(self.path, str(self.root), self._fingerprint)
                bulk = opened is None
                if opened is None:
                    self.rebuilt = self.rebuilt or thrown_away
                    conn = store.start_build(self.path, str(self.root), self._fingerprint)
                else:
                    conn = opened
                try:
                    refresher = Refresher(conn, str(self.root), workers=self.workers, bulk=bulk,
                                          shard_base=store.build_path(self.path) if use_shards else None)
                    stats = refresher.run(progress, on_batch, on_problem, should_stop)
                    if bulk:
                        store.finish_build(conn, self.path, refresher.shards)
                    break
                except ShardFailed:
                    # A worker writing a shard died: redo the build without shards.
                    store.abandon_build(conn, self.path)
                    use_shards = False
                    if attempt == 3:
                        raise
                except sqlite3.DatabaseError:
                    # Damaged under us (e.g. a page went bad): throw it away once and redo.
                    if bulk:
                        store.abandon_build(conn, self.path)
                    else:
                        conn.close()
                        store.remove_files(self.path)
                    self.rebuilt = True
                    if attempt == 3:
                        raise
                except BaseException:
                    if bulk:
                        store.abandon_build(conn, self.path)
                    raise
                finally:
                    conn.close()
        stats.rebuilt = self.rebuilt
        self._scan_problems = refresher.scan.problems if refresher.scan else []
        self._stats = stats
        return stats

    def cache_files(self) -> list[Path]:
        """The files the cache is made of now: the main database, its WAL and its
        full-text shards (for a size report; any may be missing)."""
        names = [self.path, Path(f"{self.path}-wal")]
        if self.path.parent.is_dir():
            prefix = self.path.name + ".fts"
            names += sorted(Path(e.path) for e in os.scandir(self.path.parent) if e.name.startswith(prefix))
        return [p for p in names if p.exists()]

    def parse_problems(self, corpus: IndexedCorpus) -> list[LoadProblem]:
        """The problems of ``corpus`` that the last walk did not report (files the
        parser refused), for a caller that printed walk problems as they came."""
        walk = set(self._scan_problems)
        return [p for p in corpus.problems if p not in walk]

    def clear(self) -> None:
        """Delete the cache file (waits for a running refresh); the next refresh rebuilds."""
        with store.writer_lock(self.path):
            store.remove_files(self.path)
        self.rebuilt = True

    def rebuild(self, progress: Progress | None = None) -> RefreshStats:
        """Delete the cache and index the folder from scratch."""
        self.clear()
        return self.refresh(progress)

    def snapshot(self) -> IndexedCorpus:
        """The articles and problems the cache holds now (no file is read)."""
        for attempt in (1, 2):
            try:
                conn = store.connect(self.path, create=False)
                try:
                    store.validate(conn, str(self.root), self._fingerprint)
                    return self._load(conn)
                finally:
                    conn.close()
            except (sqlite3.DatabaseError, store.CacheInvalid):
                if attempt == 2:
                    raise
                self.refresh()
        raise AssertionError("unreachable")

    def _load(self, conn: sqlite3.Connection) -> IndexedCorpus:
        problems = list(self._scan_problems)
        problems += [LoadProblem(r[0], r[1]) for r in conn.execute("SELECT id, message FROM problems")]
        problems.sort(key=lambda p: p.id)
        return IndexedCorpus(self, None, problems, self._stats)

    def head(self, limit: int = 100) -> list[ArticleMeta]:
        """The first ``limit`` articles of the list as the cache holds them, in
        milliseconds whatever the corpus size: a reader's first screen before
        :meth:`refresh` has checked the folder. Possibly stale; ``[]`` when there is no
        usable cache. Never creates, repairs or waits for the cache."""
        if not self.path.exists():
            return []
        try:
            conn = store.connect(self.path, create=False)
            try:
                store.validate(conn, str(self.root), self._fingerprint)
                return _metas(conn.execute(_META_SQL + " ORDER BY date DESC, id LIMIT ?", (limit,)))
            finally:
                conn.close()
        except (sqlite3.DatabaseError, store.CacheInvalid):
            return []


_META_SQL = "SELECT id, path, title, title_derived, date, author, source, tags, fingerprint, words, warnings, url, lang FROM articles"


def _metas(rows: Iterable[tuple[Any, ...]]) -> list[ArticleMeta]:
    """ArticleMeta for each row of :data:`_META_SQL` (100k of them on every open of a
    big corpus: positional arguments, no helper calls for the common empty values)."""
    fromordinal = dt.date.fromordinal
    fsdecode = os.fsdecode
    meta = ArticleMeta
    return [
        meta(
            r[0], r[1] if r[1].__class__ is str else fsdecode(r[1]), r[2], r[3] == 1,
            fromordinal(r[4]) if r[4] is not None else None,
            r[5], r[6], tuple(r[7].split("\n")) if r[7] else (), r[8], r[9],
            tuple(r[10].split("\n")) if r[10] else (), r[11], r[12],
        )
        for r in rows
    ]


class IndexedCorpus:
    """A corpus loaded from its index: ``root``, ``articles`` (newest first, undated
    last), ``problems``, ``get``, ``article`` like :class:`briefing.corpus.Corpus`,
    plus :meth:`search` over titles and full text.

    Bodies are not in memory, nor in the index: :meth:`article` reads and parses the
    file (the truth), :meth:`body` returns its clean body (and search snippets come
    from the files too, through a small cache of recent bodies). :meth:`search` may be
    called from any thread (each thread gets its own SQLite connection).
    """

    def __init__(self, index: CorpusIndex, articles: list[ArticleMeta] | None, problems: list[LoadProblem],
                 stats: RefreshStats | None) -> None:
        """``articles`` None: read from the index by window (:class:`ArticleRows`,
        a few bytes an article); a list: those (an offline corpus, tests)."""
        self._index = index
        self.root = index.root
        self.problems = problems
        self.stats = stats
        self._local = threading.local()
        heap.on_give_back(self.release_memory)
        self.articles: Sequence[ArticleMeta]
        self.by_id: Mapping[str, ArticleMeta]
        if articles is None:
            rows = ArticleRows(self._conn, _META_SQL, _metas,
                               connect_once=lambda: store.connect(index.path, create=False))
            self.articles, self.by_id = rows, IdLookup(rows)
        else:
            self.articles, self.by_id = articles, {meta.id: meta for meta in articles}
        self._bodies: OrderedDict[str, tuple[tuple[int, int, int], str]] = OrderedDict()
        self._bodies_lock = threading.Lock()
        self._offline = False  # True when the folder was missing: nothing to query

    def __len__(self) -> int:
        return len(self.articles)

    def get(self, article_id: str) -> ArticleMeta:
        return self.by_id[article_id]

    def article(self, article_id: str) -> Article:
        """Read and parse one article's file (bodies are read on demand).

        KeyError for an unknown id; :class:`~briefing.corpus.ArticleError` when the
        file can no longer be read as an article.
        """
        meta = self.get(article_id)
        if is_container(meta.path):  # an item: the file's parse is kept for its other items
            return read_item(meta.id, meta.path)
        return parse_bytes(meta.id, meta.path, read_bytes(meta.path))

    # -- queries on the cache -----------------------------------------------------------

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = store.connect(self._index.path, create=False)
            conn.execute(f"PRAGMA cache_size = {-READER_CACHE_KIB}")
            try:
                self._local.schemas = store.attach_shards(conn, self._index.path)
            except store.CacheInvalid as err:
                conn.close()
                raise sqlite3.DatabaseError(f"cache: {err}") from err
            self._local.conn = conn
            self._local.vocab = set()  # the temp fts5vocab tables made on this connection
        return conn

    def release_memory(self) -> None:
        """Empty the page cache of this thread's connection (a worker's, after its job)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("PRAGMA shrink_memory")

    def _drop_conn(self) -> None:
        conn = getattr(self._local, "conn", None)
        self._local.conn = None
        if conn is not None:
            try:
                conn.close()
            except sqlite3.Error:
                pass

    def _query(self, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        """Run a read query; a damaged cache is rebuilt once and the query retried."""
        try:
            return self._conn().execute(sql, params).fetchall()
        except sqlite3.DatabaseError as err:
            if str(err).startswith("fts5:") or store.is_busy(err):
                raise  # the query, or another writer: not damage
            self._drop_conn()
            self._index.rebuild()
            return self._conn().execute(sql, params).fetchall()

    def _prefix_terms(self, schema: str, prefix: str) -> list[str] | None:
        """The terms of ``schema``'s full-text table that start with ``prefix``, or None
        when there are too many, or the prefix is not ASCII (folded by Python, it
        might not be what the tokenizer's own folding makes of it)."""
        if not (prefix.isascii() and prefix.isalnum()):
            return None
        vocab = f"vocab_{schema}"
        made = self._local.vocab
        if vocab not in made:
            self._query(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{vocab} USING fts5vocab({schema}, search, row)", ())
            made.add(vocab)
        end = prefix[:-1] + chr(ord(prefix[-1]) + 1)  # every term with the prefix is below it
        rows = self._query(f"SELECT term FROM temp.{vocab} WHERE term >= ?1 AND term < ?2 LIMIT ?3",
                           (prefix, end, MAX_EXPANSION + 1))
        if len(rows) > MAX_EXPANSION:
            return None
        return [r[0] for r in rows]

    def _matches(self, parsed: Query, limit: int | None) -> list[tuple[Any, ...]]:
        """(rowid, id, title) of the live articles matching ``parsed``, newest first."""
        rows: list[tuple[Any, ...]] = []
        expr = parsed.match_expression()
        self._query("SELECT 1", ())  # connects (or rebuilds a damaged cache) and attaches the shards
        for schema in list(self._local.schemas):
            schema_expr = expr
            if limit is not None and parsed.prefix is not None:
                terms = self._prefix_terms(schema, parsed.prefix)
                if terms is not None:
                    if not terms:
                        continue  # no word of this table has the prefix
                    schema_expr = parsed.match_expression(terms)
            found = self._query(_MATCH_SQL.format(schema=schema), (schema_expr, -1 if limit is None else limit))
            if limit is not None and len(found) == limit:
                base = found[-1][0] >> SEQ_BITS << SEQ_BITS
                found = [r for r in found if r[0] >= base + SEQ_MAX + 1]
                found += self._query(_MATCH_DATE_SQL.format(schema=schema), (schema_expr, base, base + SEQ_MAX))
            rows += found
        # The list's order: date (the rowid's high bits) descending, then id.
        rows.sort(key=lambda r: (-(r[0] >> SEQ_BITS), r[1]))
        return rows if limit is None else rows[:limit]

    def search(self, query: str, limit: int | None = 50) -> list[SearchHit]:
        """Articles whose title or text contains every word of ``query``, newest first.

        See :mod:`briefing.index.query` for the rules. Never raises on what a user
        types; an empty query (or one without letters or digits) finds nothing.
        """
        parsed = Query.parse(query)
        expr = parsed.match_expression()
        if expr is None or (limit is not None and limit <= 0) or self._offline:
            return []
        try:
            rows = self._matches(parsed, limit)
        except sqlite3.OperationalError:  # a token FTS5 splits otherwise; never seen, never fatal
            return []
        hits = []
        for _rowid, id, title in rows:
            meta = self.by_id.get(id)
            if meta is None:
                continue  # indexed by another process after this snapshot was taken
            text, spans = snippet(self._file_body(meta), parsed)
            hits.append(SearchHit(id, title, tuple(parsed.spans(title)), text, spans))
        return hits

    def _file_body(self, meta: ArticleMeta) -> str:
        """The clean body read from the file (the index stores none); "" when the file
        can no longer be read as an article.

        The last :data:`BODY_CACHE` bodies are kept, keyed by the file's size and
        mtime: a search typed letter by letter finds the same newest articles again
        and again, and parsing them is most of the cost of a search."""
        try:
            st = os.stat(meta.path)
        except OSError:
            return ""
        key = (st.st_size, st.st_mtime_ns, st.st_ino)
        with self._bodies_lock:
            cached = self._bodies.get(meta.id)  # by id: a many-article file has many bodies
            if cached is not None and cached[0] == key:
                self._bodies.move_to_end(meta.id)
                return cached[1]
        try:
            body = (read_item(meta.id, meta.path) if is_container(meta.path)
                    else parse_bytes(meta.id, meta.path, read_bytes(meta.path))).body
        except Exception:  # noqa: BLE001 - a snippet is optional; the hit still shows
            return ""
        with self._bodies_lock:
            self._bodies[meta.id] = (key, body)
            if len(self._bodies) > BODY_CACHE:
                self._bodies.popitem(last=False)
        return body

    def match_ids(self, query: str) -> list[str]:
        """The ids of every article matching ``query``, newest first (no snippets)."""
        parsed = Query.parse(query)
        if parsed.empty or self._offline:
            return []
        try:
            rows = self._matches(parsed, None)
        except sqlite3.OperationalError:
            return []
        if isinstance(self.articles, ArticleRows):
            return [r[1] for r in rows]  # (the join with the articles table kept live rows only)
        return [r[1] for r in rows if r[1] in self.by_id]

    def count(self, query: str) -> int:
        """How many articles match ``query`` (slower than :meth:`search` for common words)."""
        expr = Query.parse(query).match_expression()
        if expr is None or self._offline:
            return 0
        try:
            self._query("SELECT 1", ())
            return sum(
                self._query(
                    f"SELECT count(*) FROM {schema}.search JOIN articles AS a ON a.rowid = search.rowid"
                    " WHERE search MATCH ?",
                    (expr,),
                )[0][0]
                for schema in list(self._local.schemas)
            )
        except sqlite3.OperationalError:
            return 0

    @property
    def has_languages(self) -> bool:
        """The index holds a language per article (a ``lang`` column, issue 19)."""
        if self._offline:
            return False
        try:
            return any(r[1] == "lang" for r in self._query("PRAGMA table_info(articles)", ()))
        except sqlite3.Error:
            return False

    def stats_groups(self, since: dt.date | None = None, until: dt.date | None = None
                     ) -> list[tuple[dt.date | None, str | None, tuple[str, ...], str | None, int]]:
        """SQL aggregates for :func:`briefing.stats.count_view`: ``(date, source, tags,
        lang, count)`` groups of the indexed articles with a file date within
        ``since``/``until`` (inclusive; undated left out when either is given), or of
        all. Only articles of this snapshot's folder; the annotations are not applied."""
        if self._offline:
            return []
        from briefing.index.statsql import groups_of, stats_sql

        sql, params = stats_sql(since, until, self.has_languages)
        return groups_of(self._query(sql, tuple(params)))

    def body(self, article_id: str) -> str:
        """The clean body of an indexed article, read from its file (the index stores
        no text); KeyError when not indexed, "" when the file can no longer be read."""
        return self._file_body(self.get(article_id))

    def close(self) -> None:
        self._drop_conn()


def open_index(root: str | os.PathLike[str], progress: Progress | None = None, on_batch: OnBatch | None = None,
               on_problem: Callable[[LoadProblem], None] | None = None, *,
               workers: int | None = None) -> IndexedCorpus:
    """Open ``root`` through its index: refresh the cache, then load it.

    The drop-in for :func:`briefing.corpus.open_corpus` on big folders: the same
    articles (same order, same metadata) and the same problems. Every problem goes to
    ``on_problem`` too: those of the walk as they happen, files the parser refused
    (now or at an earlier refresh, if still unchanged) after the refresh.
    A missing folder gives an empty corpus with one problem and leaves the cache alone
    (an unmounted share must not wipe a 100k-article index).
    """
    index = CorpusIndex(root, workers=workers)
    if not os.path.isdir(index.root):
        problem = LoadProblem(".", f"corpus folder not found or not a folder: {os.fspath(root)}")
        if on_problem is not None:
            on_problem(problem)
        corpus = IndexedCorpus(index, [], [problem], None)
        corpus._offline = True
        return corpus
    index.refresh(progress, on_batch, on_problem)
    corpus = index.snapshot()
    if on_problem is not None:
        for problem in index.parse_problems(corpus):
            on_problem(problem)
    return corpus
