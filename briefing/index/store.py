"""The cache files: where they live, their schema, and how a bad one is thrown away.

One SQLite database per corpus folder, in ``cache_dir()/index/`` (or, when that
cannot be written, a temporary folder: :mod:`briefing.cachedir`), named from a hash
of the folder's absolute path, plus the full-text shards of its last cold build
(``<name>.fts0``, ``<name>.fts1``: written in parallel by worker processes, read-only
afterwards). WAL journal and a busy timeout let a second process read while the
first writes; an exclusive lock file (``<name>.lock``) serializes the writers (a
refresh), so two processes opening the same corpus never both rebuild.

A cold build writes ``<name>.build`` (and its shards) with no journal and no fsync,
then fsyncs and renames the shards and, last, the main file into place; the main
file and its shards carry the same random build mark. A crash leaves only temp
files, which the next build deletes.

The cache is trusted only when its schema version, its corpus root and its parser
fingerprint (a hash of the source of the modules that turn files into articles) all
match and its shards carry its build mark; anything else, or any
``sqlite3.DatabaseError`` while checking, deletes the files and starts again. It is
a cache: deleting it never loses anything. The full-text index stores no text.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from briefing.durable import fsync_dir, locked


def is_busy(exc: BaseException | None) -> bool:
    """SQLite's "database is locked"/"busy": another connection holds a lock. That is
    a reason to wait or try later, never to treat a cache file as damaged."""
    return isinstance(exc, sqlite3.OperationalError) and any(w in str(exc).lower() for w in ("locked", "busy"))

SCHEMA_VERSION = 10  # 6: canonical article ids (briefing.ids: odd names escaped, not cleaned); 7: url, many-article files;
# 8: lang, and dirs and recent (the quick freshness check of briefing.index.quick); articles_stats;
# 9 (scalecli, issue 20): articles_fingerprint on 16 hex digits of the fingerprint, not the whole text;
# 10 (phrase3, issue 20): articles_lang, so "which stemmed languages are present" is a few index seeks
APPLICATION_ID = 0x62726631  # "brf1": marks the file as ours

BUSY_TIMEOUT_MS = 30_000

SCHEMA = f"""
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);

-- One row per article file. rowid is the sort key: (date ordinal << 24) | seq, so
-- ORDER BY rowid DESC is newest first, undated (ordinal 0) last.
CREATE TABLE articles(
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL,               -- unique: see INDEXES
    path BLOB NOT NULL,             -- no affinity: TEXT, or os.fsencode bytes for a non-UTF-8 name
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    ctime_ns INTEGER NOT NULL,
    inode INTEGER NOT NULL,
    raw_hash TEXT NOT NULL,         -- blake2b of the file's bytes
    checked_ns INTEGER NOT NULL,    -- wall clock when the file was stat'ed and read
    title TEXT NOT NULL,
    title_derived INTEGER NOT NULL,
    date INTEGER,                   -- proleptic ordinal, NULL when undated
    author TEXT,
    source TEXT,
    tags TEXT NOT NULL,             -- "\\n"-joined
    fingerprint TEXT NOT NULL,
    words INTEGER NOT NULL,
    warnings TEXT NOT NULL,         -- "\\n"-joined
    url TEXT,                       -- the article's source address (http/https), NULL when unknown
    lang TEXT                       -- detected language, ISO 639-1 (briefing.lang.detect), NULL when unsure
);

-- A file of many articles (feed, JSON lines, mbox) has one row per item, id
-- "<file id>#<key>", each with the file's path, stat and raw_hash; so has each of
-- its items that could not be read, in problems.

-- Files that could not be read as articles, with the stat they had, so an
-- unchanged bad file is not parsed again on every open.
CREATE TABLE problems(
    id TEXT PRIMARY KEY,
    path BLOB NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    ctime_ns INTEGER NOT NULL,
    inode INTEGER NOT NULL,
    raw_hash TEXT NOT NULL,
    checked_ns INTEGER NOT NULL,
    message TEXT NOT NULL
);

-- Full text of titles and clean bodies; rowid = articles.rowid. Contentless: the
-- text is not stored (a body is read from its file when shown), and detail=none
-- keeps no positions or columns, which makes building it several times faster,
-- at the price of phrase and column queries (not offered); highlighting is done in
-- Python. A contentless table cannot delete a row, so a changed or deleted
-- article leaves a dead entry behind: every query joins ``articles`` (which drops
-- it), rowids are never reused (see refresh.Refresher._rowid, which also looks at
-- search_docsize), and a cache with too many dead entries is rebuilt. One column,
-- the title, a newline and the body (see extract.fts_text): with no column queries
-- a second column only costs (5% more to build).
CREATE VIRTUAL TABLE search USING fts5(
    text,
    content = '',
    tokenize = 'unicode61 remove_diacritics 2',
    detail = none
);

-- Every folder of the last full walk, with its stat taken before it was listed
-- (briefing.index.quick: a folder whose stat still matches has had no file added,
-- removed or renamed in it since). rel: "/"-terminated relative path, "" for the root.
CREATE TABLE dirs(
    rel BLOB PRIMARY KEY,
    path BLOB NOT NULL,
    mtime_ns INTEGER NOT NULL,
    ctime_ns INTEGER NOT NULL,
    inode INTEGER NOT NULL,
    checked_ns INTEGER NOT NULL
);

-- The files with the newest modification times (a bounded number), stat'ed again by
-- every quick check: an edit in place to a recent file is noticed without a walk.
CREATE TABLE recent(
    path BLOB PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    ctime_ns INTEGER NOT NULL,
    inode INTEGER NOT NULL,
    checked_ns INTEGER NOT NULL
);

PRAGMA user_version = {SCHEMA_VERSION};
PRAGMA application_id = {APPLICATION_ID};
"""

# Created after a bulk load (building an index once is faster than keeping it
# sorted through 100k inserts); IF NOT EXISTS, so finishing twice is harmless.
INDEXES = """
-- The ids are unique; a UNIQUE column would keep an index sorted through the whole
-- bulk load (in rowid order, so at random places): twice the cost of the inserts.
CREATE UNIQUE INDEX IF NOT EXISTS articles_id ON articles(id);
-- Articles by body (an annotated file renamed: briefing.listing.stream.reconcile_subset)
-- on 16 hex digits of "sha256:<hex>", a third of the whole text's size (55 MB less at
-- 1M articles); a query names the same expression and compares the whole fingerprint.
CREATE INDEX IF NOT EXISTS articles_fingerprint ON articles(substr(fingerprint, 8, 16));
-- The list order (sort_key): newest first, undated (NULL sorts lowest) last, then id;
-- SQLite compares TEXT as UTF-8 bytes, which is code point order, as Python does.
CREATE INDEX IF NOT EXISTS articles_order ON articles(date DESC, id);
-- Counts by date, source and tags (briefing.stats, issue 23) read this index alone,
-- never the wide rows: 100k articles in tens of milliseconds.
CREATE INDEX IF NOT EXISTS articles_stats ON articles(date, source, tags, lang);
-- Which languages the corpus holds (a word search stems the words of some: briefing.listing.stream,
-- briefing.querylang.indexed) in a seek per language, not a scan of every row (0.1 s at 1M
-- articles, per query); SQLite keeps it as rows are written, so it is never stale.
CREATE INDEX IF NOT EXISTS articles_lang ON articles(lang);
"""

_REQUIRED_TABLES = {"meta", "articles", "problems", "search", "search_docsize", "dirs", "recent"}
_REQUIRED_INDEXES = {"articles_id", "articles_fingerprint", "articles_order", "articles_stats", "articles_lang"}

# Dead full-text entries (changed or deleted articles) tolerated before a rebuild.
MAX_DEAD = 2000
DEAD_RATIO = 0.5


# A shard: part of the full-text index of a cold build, written by one worker process
# in parallel with the others (see workers.py), then read-only for its whole life.
# Its ``build`` must equal the main file's, so a shard from another build (a crash
# between the renames of finish_build) is never trusted.
SHARD_SCHEMA = f"""
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE VIRTUAL TABLE search USING fts5(
    text,
    content = '',
    tokenize = 'unicode61 remove_diacritics 2',
    detail = none
);
PRAGMA application_id = {APPLICATION_ID};
"""

MAX_SHARDS = 8


def path_value(path: str) -> str | bytes:
    """A path for SQLite: TEXT when it is valid UTF-8 (almost always), else the raw bytes."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return os.fsencode(path)


def shard_path(path: Path, k: int) -> Path:
    """Shard ``k`` of the cache (or of the build) at ``path``."""
    return path.with_name(f"{path.name}.fts{k}")


def fast_connect(path: Path, cache_mib: int = 64) -> sqlite3.Connection:
    """A connection for writing a new file that nobody reads until it is renamed:
    no journal, no fsync until the end, exclusive lock."""
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    conn.isolation_level = None
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA locking_mode = EXCLUSIVE")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute(f"PRAGMA cache_size = {-1024 * cache_mib}")
    return conn


# Pending full text a shard worker's FTS5 table keeps in memory before writing it out
# as a segment (SQLite's default is 1 MiB). Every segment costs merge work later; with
# this, and the large sorted batches of workers.SHARD_FLUSH, a shard is built with
# about 40% less CPU (bench: 130 -> 75 us per article at 8192 per batch).
SHARD_HASHSIZE = 64 * 1024 * 1024


def start_shard(path: Path) -> sqlite3.Connection:
    remove_files(path)
    conn = fast_connect(path, cache_mib=16)  # a worker's memory: the FTS index is written append-mostly
    conn.executescript(SHARD_SCHEMA)
    conn.execute("INSERT INTO search(search, rank) VALUES ('hashsize', ?)", (SHARD_HASHSIZE,))
    return conn


def finish_shard(conn: sqlite3.Connection) -> None:
    """A worker's last word on its shard (:func:`finish_build` marks and fsyncs it)."""
    conn.execute("BEGIN")
    conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('complete', '1')")
    conn.execute("COMMIT")
    conn.close()


def attach_shards(conn: sqlite3.Connection, path: Path) -> list[str]:
    """Attach the shards the main file at ``path`` names (read-only); return the
    schema names holding full text, ``"main"`` first. Raises :class:`CacheInvalid`
    when a shard is missing or from another build."""
    try:
        meta = dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('shards', 'build')").fetchall())
    except sqlite3.OperationalError:
        return ["main"]
    try:
        count = int(meta.get("shards", "0"))
    except ValueError:
        raise CacheInvalid("bad shard count") from None
    if not 0 <= count <= MAX_SHARDS:
        raise CacheInvalid("bad shard count")
    attached = {r[1] for r in conn.execute("PRAGMA database_list")}
    schemas = ["main"]
    for k in range(count):
        name = f"s{k}"
        if name not in attached:
            shard = shard_path(path, k)
            if not shard.exists():
                raise CacheInvalid(f"shard {k} missing")
            conn.execute("ATTACH DATABASE ? AS " + name, (f"{shard.as_uri()}?mode=ro",))
        build = conn.execute(f"SELECT value FROM {name}.meta WHERE key = 'build'").fetchone()
        complete = conn.execute(f"SELECT value FROM {name}.meta WHERE key = 'complete'").fetchone()
        if build is None or build[0] != meta.get("build") or complete is None or complete[0] != "1":
            raise CacheInvalid(f"shard {k} is from another build")
        schemas.append(name)
    return schemas


def _fsync(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


class CacheInvalid(Exception):
    """The cache file cannot be trusted; it will be deleted and rebuilt."""


def cache_path(root: str | os.PathLike[str]) -> Path:
    """The cache file for the corpus folder ``root`` (which need not be cached yet)."""
    from briefing.cachedir import cache_folder  # here: a worker process never needs the config

    key = os.path.abspath(os.fspath(root)).encode("utf-8", "surrogateescape")
    digest = hashlib.sha256(key).hexdigest()[:24]
    return cache_folder("index") / f"{digest}.sqlite"  # a temporary folder when the cache folder is unusable


def fingerprint_files() -> list[Path]:
    """The source files :func:`parser_fingerprint` hashes: every module whose code
    decides what a stored row holds, in a fixed order."""
    package = Path(__file__).parent.parent  # briefing/ (the parsers are not imported for this)
    corpus_dir = package / "corpus"
    files = sorted(p for p in corpus_dir.glob("*.py") if p.name != "search.py")
    files += [package / "model.py", package / "sanitize.py"]
    # Outside briefing/corpus, what the parsers call that decides a row: the article
    # ids (and item keys), the front matter's YAML, the detected language (``lang``).
    files += [package / "ids.py", package / "yamlsafe.py", package / "lang" / "detect.py"]
    # This package: how rows are written (not quick.py, which only decides which files
    # to hand to incremental.py, nor fresh.py, the watcher's stamp, nor child.py, the
    # process a reader's first build runs in, nor rows.py, which reads rows back).
    files += sorted(p for p in Path(__file__).parent.glob("*.py") if p.name not in ("quick.py", "fresh.py", "child.py", "rows.py"))
    return files


def parser_fingerprint() -> str:
    """A hash of the code that turns files into articles, of this package and of the schema
    (the files of :func:`fingerprint_files`).

    A cache written by another version of that code may hold different titles,
    dates, bodies or languages, so it is rebuilt rather than trusted.
    """
    h = hashlib.sha256(f"schema {SCHEMA_VERSION}\n".encode())
    for path in fingerprint_files():
        h.update(path.name.encode() + b"\0")
        try:
            h.update(path.read_bytes())
        except OSError:
            h.update(b"<missing>")
    return h.hexdigest()


def connect(path: Path, *, readonly: bool = False, create: bool = True) -> sqlite3.Connection:
    """A connection to the cache at ``path`` with the pragmas every user of it needs.

    By default a refresher's: creates a missing file and sets the WAL journal. With
    ``create=False`` a reader's: never creates a missing database and leaves the
    journal alone (``mode=rw``, since a WAL reader writes the shared-memory file).
    With ``readonly=True``: ``mode=ro``.
    """
    mode = "ro" if readonly else "rwc" if create else "rw"
    conn = sqlite3.connect(f"{path.as_uri()}?mode={mode}", uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
                           check_same_thread=False)
    conn.isolation_level = None  # explicit BEGIN/COMMIT
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if mode == "rwc":
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA cache_size = -32768")  # 32 MiB
    return conn


def validate(conn: sqlite3.Connection, root: str, fingerprint: str, *, writing: bool = False) -> None:
    """Raise :class:`CacheInvalid` unless ``conn`` is a complete cache of ``root``.

    ``writing``: also when it holds too many dead full-text entries (harmless to a
    reader, so only a refresh, about to write, throws such a cache away)."""
    if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
        raise CacheInvalid("not a briefing index")
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version != SCHEMA_VERSION:
        raise CacheInvalid(f"schema version {version}, expected {SCHEMA_VERSION}")
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not _REQUIRED_TABLES <= tables:
        raise CacheInvalid("tables missing")
    indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    if not _REQUIRED_INDEXES <= indexes:
        raise CacheInvalid("indexes missing")
    meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    if meta.get("root") != root:
        raise CacheInvalid("written for another folder")
    if meta.get("parser") != fingerprint:
        raise CacheInvalid("written by another parser version")
    if meta.get("complete") != "1":
        raise CacheInvalid("schema never finished")
    _probe(conn, attach_shards(conn, path_of(conn)), writing)


def path_of(conn: sqlite3.Connection) -> Path:
    """The file of the main database of ``conn``."""
    for _seq, name, file in conn.execute("PRAGMA database_list"):
        if name == "main":
            return Path(file)
    raise CacheInvalid("no main database")  # pragma: no cover


def _probe(conn: sqlite3.Connection, schemas: list[str], writing: bool) -> None:
    """Cheap checks that the full-text index agrees with the article rows: every
    article has an entry (dead entries of changed or deleted articles may be more,
    up to :data:`MAX_DEAD` or :data:`DEAD_RATIO` of the articles), and the first,
    middle and last articles are found by a word of their title. (A full
    ``integrity-check`` reads the whole index: too slow for every open.)"""
    from briefing.index.query import Query

    articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    indexed = sum(conn.execute(f"SELECT count(*) FROM {s}.search_docsize").fetchone()[0] for s in schemas)
    if indexed < articles:
        raise CacheInvalid(f"{articles} articles but {indexed} indexed")
    if writing and indexed - articles > max(MAX_DEAD, DEAD_RATIO * articles):
        raise CacheInvalid(f"{indexed - articles} dead full-text entries")
    if not articles:
        return
    rows = conn.execute(
        "SELECT rowid, title FROM articles WHERE rowid IN ("
        " (SELECT min(rowid) FROM articles), (SELECT max(rowid) FROM articles),"
        " (SELECT rowid FROM articles LIMIT 1 OFFSET ?))",
        (articles // 2,),
    ).fetchall()
    for rowid, title in rows:
        expr = Query.parse(title + " ").match_expression()
        if expr is None:
            continue
        found = any(
            conn.execute(f"SELECT rowid FROM {s}.search WHERE search MATCH ? AND rowid = ?", (expr, rowid)).fetchall()
            for s in schemas
        )
        if not found:
            raise CacheInvalid("full-text index does not find an indexed title")


def create(conn: sqlite3.Connection, root: str, fingerprint: str, *, complete: bool = True) -> None:
    """Write an empty schema into a fresh database (``complete=False`` for a bulk
    build: no secondary indexes, and not trusted until :func:`finish_build`)."""
    conn.executescript(SCHEMA)
    if complete:
        conn.executescript(INDEXES)
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO meta(key, value) VALUES (?, ?)",
        [("root", root), ("parser", fingerprint), ("complete", "1" if complete else "0")],
    )
    conn.execute("COMMIT")


def build_path(path: Path) -> Path:
    """Where a cold build writes before it is renamed into place."""
    return path.with_name(path.name + ".build")


def start_build(path: Path, root: str, fingerprint: str) -> sqlite3.Connection:
    """A fresh database beside ``path`` for a cold build, written as fast as SQLite
    can (no journal, no fsync, exclusive lock): a crash leaves only that temp file,
    which the next build deletes; the cache at ``path`` is never half written.
    Call with :func:`writer_lock` held."""
    tmp = build_path(path)
    remove_files(tmp)
    conn = fast_connect(tmp)
    create(conn, root, fingerprint, complete=False)
    return conn


def finish_build(conn: sqlite3.Connection, path: Path, shards: int = 0) -> None:
    """Index, mark complete, fsync and atomically move a cold build to ``path``.

    ``shards`` full-text shards were written beside the build (by worker processes,
    already fsync'ed); they are renamed into place first, the main file last, and
    carry the same random ``build`` mark: after a crash between the renames the
    main file (old or missing) does not match them, so nothing half-built is trusted.
    """
    build = os.urandom(12).hex()
    conn.executescript(INDEXES)
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
        [("complete", "1"), ("shards", str(shards)), ("build", build)],
    )
    conn.execute("COMMIT")
    tmp = build_path(path)
    for k in range(shards):  # the workers closed them; mark them as this build's
        shard = sqlite3.connect(shard_path(tmp, k))
        try:
            shard.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('build', ?)", (build,))
            shard.commit()
        finally:
            shard.close()
        _fsync(shard_path(tmp, k))
    conn.close()
    _fsync(tmp)
    remove_files(path)
    for k in range(shards):
        os.replace(shard_path(tmp, k), shard_path(path, k))
    os.replace(tmp, path)
    remove_files(tmp)  # shards of a stopped build that were not kept
    with contextlib.suppress(OSError):
        fsync_dir(path.parent)


def abandon_build(conn: sqlite3.Connection, path: Path) -> None:
    """Throw a failed cold build away."""
    with contextlib.suppress(sqlite3.Error):
        conn.close()
    remove_files(build_path(path))


def remove_files(path: Path) -> None:
    """Delete the database, its WAL/SHM companions and its shards (the lock file stays)."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{path}{suffix}")
    if path.parent.is_dir():
        prefix = path.name + ".fts"
        for entry in os.scandir(path.parent):
            if entry.name.startswith(prefix):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(entry.path)


@contextlib.contextmanager
def writer_lock(path: Path) -> Iterator[None]:
    """Hold the exclusive lock beside the cache (``<name>.lock``) while writing it.

    A second process that wants to refresh the same cache waits here, as long as it
    takes (a cold build of a big folder takes a while); SQLite's own locking (WAL,
    busy timeout) still protects every transaction. The lock is
    :func:`briefing.durable.locked`, the one the annotation files use.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with locked(Path(f"{path}.lock"), timeout=math.inf):
        yield


def open_valid(path: Path, root: str, fingerprint: str) -> tuple[sqlite3.Connection | None, bool]:
    """Open the cache at ``path`` if it can be trusted: ``(conn, False)``. Else delete
    it and return ``(None, existed)`` (the caller then builds a new one with
    :func:`start_build`; ``existed`` says a cache was thrown away).

    Call with :func:`writer_lock` held. Never raises for a bad cache file.
    """
    existed = path.exists()
    if existed:
        conn = None
        try:
            conn = connect(path)
            validate(conn, root, fingerprint, writing=True)
            return conn, False
        except (sqlite3.DatabaseError, CacheInvalid, OSError):
            if conn is not None:
                with contextlib.suppress(sqlite3.Error):
                    conn.close()
    remove_files(path)  # a bad cache, or stray -wal/-shm without a database
    return None, existed
