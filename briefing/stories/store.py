"""Stories in the index cache: signatures by fingerprint, and the last grouping.

Three tables of our own in the corpus's index file
(:func:`briefing.index.store.cache_path`), created here and used by nobody else:

``story_meta(key, value)``
    ``schema`` (:data:`SCHEMA`), ``params`` (the signature settings the stored
    signatures were made with) and ``groups`` (a digest of everything the stored
    grouping was computed from: the articles' ids, fingerprints and dates, the
    signature settings, threshold, date window and LSH settings).
``story_signatures(fingerprint, size, sig)``
    One MinHash signature per clean body, keyed by its fingerprint (sha256 of the
    body): an unchanged article is never read again, an edited one is signed again,
    and copies with one body share a row.
``story_members(article_id, story_id, position, score)``
    The last grouping: each grouped article, its story and its place in it, and its
    estimated similarity to the story's lead.

It is a cache inside a cache. A missing index file means nothing is stored (the
grouping is computed in memory); a rebuilt index (a new file renamed over the old
one) has no story tables and they are recreated; tables from another schema, rows
that do not decode, or any SQLite error on our tables drop them and start again.
The index's own tables are never written.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from briefing.index.store import is_busy

SCHEMA = "1"
BUSY_TIMEOUT_MS = 30_000

_TABLES = {
    "story_meta": "CREATE TABLE story_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
    "story_signatures": (
        "CREATE TABLE story_signatures(fingerprint TEXT PRIMARY KEY, size INTEGER NOT NULL, sig BLOB NOT NULL)"
        " WITHOUT ROWID"
    ),
    "story_members": (
        "CREATE TABLE story_members(article_id TEXT PRIMARY KEY, story_id TEXT NOT NULL,"
        " position INTEGER NOT NULL, score REAL NOT NULL) WITHOUT ROWID"
    ),
}
_COLUMNS = {
    "story_meta": ["key", "value"],
    "story_signatures": ["fingerprint", "size", "sig"],
    "story_members": ["article_id", "story_id", "position", "score"],
}

Member = tuple[str, str, int, float]  # (article_id, story_id, position, score)


class StoryStore:
    """The story tables of one index file. Every method swallows SQLite trouble:
    reads then return nothing, writes are skipped (the caller recomputes)."""

    def __init__(self, path: Path, params: str) -> None:
        self.path = path
        self.params = params
        self.dropped = False  # tables were found bad and recreated (for tests and stats)
        self._conn: sqlite3.Connection | None = None
        self._last_error: BaseException | None = None  # of the last failed _write

    # -- connection ---------------------------------------------------------------

    def open(self) -> bool:
        """Connect (never creating the index file) and make sure our tables are sound.
        False when there is no index file or it cannot be used."""
        if self._conn is not None:
            return True
        if not self.path.exists():
            return False
        try:
            conn = sqlite3.connect(f"{self.path.as_uri()}?mode=rw", uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
                                   check_same_thread=False)
        except sqlite3.Error:
            return False
        conn.isolation_level = None
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA synchronous = NORMAL")  # a cache: WAL without a sync per commit
            self._conn = conn
            self._prepare()
            return True
        except sqlite3.Error:
            self.close()
            return False

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(sqlite3.Error):
                conn.close()

    def __enter__(self) -> StoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _prepare(self) -> None:
        conn = self._conn
        assert conn is not None
        if self._sound():
            meta = self._meta()
            if meta.get("schema") == SCHEMA and meta.get("params") == self.params:
                return
            if meta.get("schema") == SCHEMA:  # other signature settings: signatures and groups go
                self._write(lambda c: (c.execute("DELETE FROM story_signatures"), c.execute("DELETE FROM story_members"),
                                       c.execute("DELETE FROM story_meta"),
                                       c.executemany("INSERT INTO story_meta VALUES (?, ?)",
                                                     [("schema", SCHEMA), ("params", self.params)])))
                return
        self._recreate()

    def _sound(self) -> bool:
        """Our three tables exist with the expected columns."""
        conn = self._conn
        if conn is None:
            return False
        try:
            for table, columns in _COLUMNS.items():
                found = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
                if found != columns:
                    return False
            return True
        except sqlite3.Error:
            return False

    def _recreate(self) -> None:
        """Drop whatever is under our table names and create them afresh."""
        self.dropped = True

        def run(conn: sqlite3.Connection) -> None:
            for table in _TABLES:
                kind = conn.execute("SELECT type FROM sqlite_master WHERE name = ?", (table,)).fetchone()
                if kind is not None:
                    conn.execute(f"DROP {'VIEW' if kind[0] == 'view' else 'TABLE'} IF EXISTS {table}")
            for sql in _TABLES.values():
                conn.execute(sql)
            conn.executemany("INSERT INTO story_meta VALUES (?, ?)", [("schema", SCHEMA), ("params", self.params)])

        self._write(run)

    def _write(self, action: Callable[[sqlite3.Connection], object]) -> bool:
        conn = self._conn
        if conn is None:
            return False
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                action(conn)
                conn.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                raise
            return True
        except sqlite3.Error as exc:
            self._last_error = exc
            return False

    def _meta(self) -> dict[str, str]:
        if self._conn is None:
            return {}
        try:
            return {str(k): str(v) for k, v in self._conn.execute("SELECT key, value FROM story_meta")}
        except sqlite3.Error:
            return {}

    # -- signatures ---------------------------------------------------------------

    def signatures(self, fingerprints: Iterable[str], bins: int) -> dict[str, tuple[int, bytes]]:
        """The stored ``(size, signature bytes)`` of each of ``fingerprints`` that has a
        sound row (a row of the wrong shape is ignored, and replaced when re-signed)."""
        if self._conn is None:
            return {}
        wanted = set(fingerprints)
        width = bins * 2
        found: dict[str, tuple[int, bytes]] = {}
        try:
            rows: Iterable[Any]
            if len(wanted) > 2000:
                rows = self._conn.execute("SELECT fingerprint, size, sig FROM story_signatures")
            else:
                rows = (
                    r
                    for fp in wanted
                    for r in self._conn.execute("SELECT fingerprint, size, sig FROM story_signatures WHERE fingerprint = ?", (fp,))
                )
            for fp, size, sig in rows:
                if fp in wanted and isinstance(sig, bytes) and len(sig) == width and isinstance(size, int) and size >= 0:
                    found[fp] = (size, sig)
        except sqlite3.Error as exc:
            self._reset_after_error(exc)
            return {}
        return found

    def put_signatures(self, rows: list[tuple[str, int, bytes]]) -> bool:
        """Store ``(fingerprint, size, signature bytes)`` rows (one transaction)."""
        if not rows:
            return True
        ok = self._write(lambda c: c.executemany("INSERT OR REPLACE INTO story_signatures VALUES (?, ?, ?)", rows))
        if not ok:
            self._reset_after_error(self._last_error)
        return ok

    def prune_signatures(self, keep: set[str]) -> None:
        """Delete the signatures of bodies no article has any more."""
        if self._conn is None:
            return
        try:
            stored = [r[0] for r in self._conn.execute("SELECT fingerprint FROM story_signatures")]
        except sqlite3.Error as exc:
            self._reset_after_error(exc)
            return
        gone = [(fp,) for fp in stored if fp not in keep]
        if gone:
            self._write(lambda c: c.executemany("DELETE FROM story_signatures WHERE fingerprint = ?", gone))

    # -- groups -------------------------------------------------------------------

    def groups(self, digest: str) -> list[Member] | None:
        """The stored grouping if it was computed from ``digest``; else None."""
        if self._conn is None or self._meta().get("groups") != digest:
            return None
        try:
            rows = self._conn.execute(
                "SELECT article_id, story_id, position, score FROM story_members ORDER BY story_id, position"
            ).fetchall()
        except sqlite3.Error as exc:
            self._reset_after_error(exc)
            return None
        members: list[Member] = []
        for row in rows:
            article_id, story_id, position, score = row
            if not (isinstance(article_id, str) and isinstance(story_id, str) and isinstance(position, int)
                    and isinstance(score, float)):
                return None
            members.append((article_id, story_id, position, score))
        return members

    def put_groups(self, digest: str, members: list[Member]) -> bool:
        def run(conn: sqlite3.Connection) -> None:
            conn.execute("DELETE FROM story_members")
            conn.executemany("INSERT INTO story_members VALUES (?, ?, ?, ?)", members)
            conn.execute("INSERT OR REPLACE INTO story_meta VALUES ('groups', ?)", (digest,))

        ok = self._write(run)
        if not ok:
            self._reset_after_error(self._last_error)
        return ok

    def _reset_after_error(self, exc: BaseException | None) -> None:
        """A read or write on our tables failed: try once to start them again, unless
        another process only held a lock (its refresh ends; the signatures stay)."""
        if self._conn is None or is_busy(exc):
            return
        try:
            self._recreate()
        except sqlite3.Error:
            self.close()
