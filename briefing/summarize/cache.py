"""Summaries kept for later: an in-memory LRU in front of a small SQLite file.

Plain Python (no Textual). A summary depends on the article's text, the
summarizer and the language whose stopwords and stems rank the sentences, so it is
keyed by ``(fingerprint, method, length, lang)`` (:func:`key`; ``lang`` is the
article's effective language, ``""`` when it is detected from the text) plus the
summarizer's own version (a hash of ``briefing/summarize``'s source): tuning the
ranker never serves an old result, and an analyst's language override is never
served a summary made for the detected language. The file lives in :func:`briefing.config.cache_dir`; it is only
a cache, so a damaged or unwritable one is dropped or ignored, never fatal.

Thread use: :meth:`SummaryCache.remembered` reads memory only (for the UI thread);
:meth:`SummaryCache.get` and :meth:`SummaryCache.put` may touch the disk and belong
in worker threads; each thread gets its own SQLite connection.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

from briefing.index.store import is_busy
from briefing.summarize import Summary

FILE_NAME = "summaries.sqlite3"
MEMORY_ITEMS = 512
BUSY_TIMEOUT_S = 5.0  # how long a worker waits for another writer before giving up

Key = tuple[str, str, int, str]  # (fingerprint, method, length, lang)

# the table of summaries by language; "summaries" (keyed without the language) is
# the one of earlier versions, dropped when the file is opened
_TABLE = "summaries_by_lang"
_SCHEMA = (
    f"CREATE TABLE IF NOT EXISTS {_TABLE} ("
    " fingerprint TEXT NOT NULL, method TEXT NOT NULL, length INTEGER NOT NULL, lang TEXT NOT NULL,"
    " version TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (fingerprint, method, length, lang, version)) WITHOUT ROWID"
)


def key(fingerprint: str, method: str, length: int, lang: str | None) -> Key:
    """The cache key of a summary of the text with ``fingerprint`` made by ``method``
    at ``length`` in language ``lang`` (None: detected from the text)."""
    return (fingerprint, method, length, lang or "")


@lru_cache(maxsize=1)
def summarizer_version() -> str:
    """A short hash of the summarizer's source files (changes whenever its code does)."""
    import briefing.summarize as package

    digest = hashlib.sha256()
    folder = Path(package.__file__).parent
    for path in sorted(folder.glob("*.py")):
        digest.update(path.name.encode())
        try:
            digest.update(path.read_bytes())
        except OSError:
            pass
    return digest.hexdigest()[:16]


def _encode(summary: Summary) -> str:
    return json.dumps(
        {"sentences": list(summary.sentences), "method": summary.method, "requested": summary.requested,
         "note": summary.note},
        ensure_ascii=False,
    )


def _decode(data: str) -> Summary | None:
    try:
        raw = json.loads(data)
        sentences = raw["sentences"]
        if not isinstance(sentences, list) or not all(isinstance(s, str) for s in sentences):
            return None
        note = raw.get("note")
        return Summary(sentences, str(raw["method"]), str(raw["requested"]), note if isinstance(note, str) else None)
    except (ValueError, KeyError, TypeError):
        return None


class SummaryCache:
    """Summaries by (fingerprint, method, length, lang); ``path=None`` keeps them in memory only."""

    def __init__(self, path: Path | None, *, memory_items: int = MEMORY_ITEMS) -> None:
        self.path = path
        self.memory_items = memory_items
        self._memory: OrderedDict[Key, Summary] = OrderedDict()
        self._lock = threading.Lock()
        self._local = threading.local()
        self._opened: list[sqlite3.Connection] = []  # every thread's connection, for close_all
        self._disabled = path is None

    @property
    def version(self) -> str:
        """The summarizer's version, hashed on first use: by the first disk access, in
        a worker thread, not while the reader starts (it reads every summarizer file)."""
        return summarizer_version()

    # --- memory (any thread; never blocks on the disk) ----------------------------

    def remembered(self, key: Key) -> Summary | None:
        with self._lock:
            summary = self._memory.get(key)
            if summary is not None:
                self._memory.move_to_end(key)
            return summary

    def remember(self, key: Key, summary: Summary) -> None:
        with self._lock:
            self._memory[key] = summary
            self._memory.move_to_end(key)
            while len(self._memory) > self.memory_items:
                self._memory.popitem(last=False)

    # --- disk (worker threads) --------------------------------------------------------

    def _conn(self) -> sqlite3.Connection | None:
        if self._disabled:
            return None
        conn = getattr(self._local, "conn", None)
        if conn is None:
            assert self.path is not None
            conn = None
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, check_same_thread=False)
                if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                    conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
                conn.execute(_SCHEMA)
                conn.execute("DROP TABLE IF EXISTS summaries")  # keyed without the language
                conn.commit()
            except (sqlite3.Error, OSError) as exc:
                if conn is not None:
                    conn.close()
                if not is_busy(exc):  # another thread or reader holding a lock is not damage
                    self._drop_damaged()
                return None
            self._local.conn = conn
            with self._lock:
                self._opened.append(conn)
        return conn

    def _drop_damaged(self) -> None:
        """A cache file that cannot be opened is deleted once; if that fails too, the
        disk cache is switched off for this session (summaries still work)."""
        if getattr(self, "_dropped", False) or self.path is None:
            self._disabled = True
            return
        self._dropped = True
        for suffix in ("", "-wal", "-shm"):
            try:
                Path(str(self.path) + suffix).unlink()
            except OSError:
                pass

    def get(self, key: Key) -> Summary | None:
        """Memory first, then the file (the hit is remembered)."""
        summary = self.remembered(key)
        if summary is not None:
            return summary
        conn = self._conn()
        if conn is None:
            return None
        try:
            row = conn.execute(
                f"SELECT data FROM {_TABLE} WHERE fingerprint = ? AND method = ? AND length = ? AND lang = ?"
                " AND version = ?",
                (*key, self.version),
            ).fetchone()
        except sqlite3.Error:
            return None
        summary = _decode(row[0]) if row else None
        if summary is not None:
            self.remember(key, summary)
        return summary

    def put(self, key: Key, summary: Summary) -> None:
        self.remember(key, summary)
        conn = self._conn()
        if conn is None:
            return
        try:
            conn.execute(
                f"INSERT OR REPLACE INTO {_TABLE} (fingerprint, method, length, lang, version, data)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (*key, self.version, _encode(summary)),
            )
            conn.commit()
        except sqlite3.Error:
            pass

    def put_many(self, items: list[tuple[Key, Summary]]) -> None:
        """:meth:`put` for many summaries, in one transaction (an export's misses)."""
        for k, summary in items:
            self.remember(k, summary)
        conn = self._conn()
        if conn is None or not items:
            return
        try:
            conn.executemany(
                f"INSERT OR REPLACE INTO {_TABLE} (fingerprint, method, length, lang, version, data)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [(*k, self.version, _encode(summary)) for k, summary in items],
            )
            conn.commit()
        except sqlite3.Error:
            pass

    def close(self) -> None:
        """Close this thread's connection (another thread's stays open)."""
        conn = getattr(self._local, "conn", None)
        self._local.conn = None
        if conn is not None:
            with self._lock:
                if conn in self._opened:
                    self._opened.remove(conn)
            _close(conn)

    def close_all(self) -> None:
        """Close every thread's connection and stop using the file (the object is
        being replaced; a thread still holding it keeps its memory, not the disk)."""
        with self._lock:
            opened, self._opened = self._opened, []
            self._disabled = True
        for conn in opened:
            _close(conn)


def _close(conn: sqlite3.Connection) -> None:
    try:
        conn.close()
    except sqlite3.Error:
        pass


def default_cache() -> SummaryCache:
    """The cache in the user's cache folder (BRIEFING_CACHE_DIR in tests)."""
    from briefing.cachedir import cache_root

    return SummaryCache(Path(cache_root()) / FILE_NAME)
