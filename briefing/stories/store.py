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
``story_groups(ord, members, scores)``
    The last grouping, one row per story in list order (``ord`` from 0): its
    members' ids, UTF-8 joined by NUL bytes, lead first; and each member's
    estimated similarity to the lead, float64 little-endian. Reading 100k stories
    back is one scan and a split per row, no per-article row.

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

import numpy as np

from briefing.index.store import is_busy

SCHEMA = "2"  # 2: story_groups (one row per story) replaces story_members (one per article)
BUSY_TIMEOUT_MS = 30_000

_TABLES = {
    "story_meta": "CREATE TABLE story_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
    "story_signatures": (
        "CREATE TABLE story_signatures(fingerprint TEXT PRIMARY KEY, size INTEGER NOT NULL, sig BLOB NOT NULL)"
        " WITHOUT ROWID"
    ),
    "story_groups": "CREATE TABLE story_groups(ord INTEGER PRIMARY KEY, members BLOB NOT NULL, scores BLOB NOT NULL)",
}
_LEGACY = ("story_members",)  # tables of older schemas, dropped when met
_COLUMNS = {
    "story_meta": ["key", "value"],
    "story_signatures": ["fingerprint", "size", "sig"],
    "story_groups": ["ord", "members", "scores"],
}

LOAD_CHUNK = 8192  # signatures copied into the array at once

Group = tuple[tuple[str, ...], tuple[float, ...]]  # a story's members (lead first) and their scores


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
                self._write(lambda c: (c.execute("DELETE FROM story_signatures"), c.execute("DELETE FROM story_groups"),
                                       c.execute("DELETE FROM story_meta"),
                                       c.executemany("INSERT INTO story_meta VALUES (?, ?)",
                                                     [("schema", SCHEMA), ("params", self.params)])))
                return
        keep = self._sound(("story_signatures",)) and self._meta().get("params") == self.params
        self._recreate(keep_signatures=keep)

    def _sound(self, tables: tuple[str, ...] = tuple(_COLUMNS)) -> bool:
        """Our tables (or ``tables`` of them) exist with the expected columns."""
        conn = self._conn
        if conn is None:
            return False
        try:
            for table in tables:
                columns = _COLUMNS[table]
                found = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
                if found != columns:
                    return False
            return True
        except sqlite3.Error:
            return False

    def _recreate(self, keep_signatures: bool = False) -> None:
        """Drop whatever is under our table names and create them afresh (but keep
        sound signatures made with our settings: another story schema only changes
        how groups are stored)."""
        self.dropped = True

        def run(conn: sqlite3.Connection) -> None:
            for table in (*_TABLES, *_LEGACY):
                if keep_signatures and table == "story_signatures":
                    continue
                kind = conn.execute("SELECT type FROM sqlite_master WHERE name = ?", (table,)).fetchone()
                if kind is not None:
                    conn.execute(f"DROP {'VIEW' if kind[0] == 'view' else 'TABLE'} IF EXISTS {table}")
            for table, sql in _TABLES.items():
                if not (keep_signatures and table == "story_signatures"):
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

    def load_signatures(self, rows: dict[str, int], sigs: np.ndarray, sizes: np.ndarray) -> np.ndarray:
        """Fill ``sigs[k]`` and ``sizes[k]`` for each fingerprint ``rows`` maps to ``k``
        that has a sound stored row (a row of the wrong shape is ignored, and replaced
        when re-signed). Returns which rows were filled (a bool array). Signatures are
        copied in chunks: never a Python bytes object per row held at once."""
        found = np.zeros(len(sigs), dtype=bool)
        if self._conn is None or not rows:
            return found
        width = sigs.shape[1] * 2
        try:
            if len(rows) > 2000:
                cursor: Iterable[Any] = self._conn.execute("SELECT fingerprint, size, sig FROM story_signatures")
            else:
                cursor = (
                    r
                    for fp in rows
                    for r in self._conn.execute("SELECT fingerprint, size, sig FROM story_signatures WHERE fingerprint = ?", (fp,))
                )
            at: list[int] = []
            chunk: list[bytes] = []
            for fp, size, sig in cursor:
                k = rows.get(fp)
                if k is None or not (isinstance(sig, bytes) and len(sig) == width and isinstance(size, int) and size >= 0):
                    continue
                at.append(k)
                chunk.append(sig)
                sizes[k] = size
                if len(at) >= LOAD_CHUNK:
                    _fill(sigs, found, at, chunk)
                    at, chunk = [], []
            _fill(sigs, found, at, chunk)
        except sqlite3.Error as exc:
            self._reset_after_error(exc)
            sizes[:] = 0
            return np.zeros(len(sigs), dtype=bool)
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

    def groups(self, digest: str) -> list[Group] | None:
        """The stored grouping, stories in list order, if it was computed from
        ``digest``; else None (also when a row does not decode)."""
        if self._conn is None or self._meta().get("groups") != digest:
            return None
        out: list[Group] = []
        try:
            for _, members, scores in self._conn.execute("SELECT ord, members, scores FROM story_groups ORDER BY ord"):
                if not (isinstance(members, bytes) and isinstance(scores, bytes)):
                    return None
                ids = tuple(members.decode("utf-8", "surrogatepass").split("\0"))
                if len(ids) < 2 or len(scores) != 8 * len(ids):
                    return None
                out.append((ids, tuple(np.frombuffer(scores, dtype="<f8").tolist())))
        except UnicodeDecodeError:
            return None
        except sqlite3.Error as exc:
            self._reset_after_error(exc)
            return None
        return out

    def put_groups(self, digest: str, groups: Iterable[Group]) -> bool:
        """Store a grouping (stories in list order). Not stored (False) when an id
        holds a NUL, which the row format cannot carry."""
        rows = []
        for k, (ids, scores) in enumerate(groups):
            if any("\0" in i for i in ids):
                return False
            rows.append((k, b"\0".join(i.encode("utf-8", "surrogatepass") for i in ids),
                         np.asarray(scores, dtype="<f8").tobytes()))

        def run(conn: sqlite3.Connection) -> None:
            conn.execute("DELETE FROM story_groups")
            conn.executemany("INSERT INTO story_groups VALUES (?, ?, ?)", rows)
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


def _fill(sigs: np.ndarray, found: np.ndarray, at: list[int], chunk: list[bytes]) -> None:
    if at:
        sigs[at] = np.frombuffer(b"".join(chunk), dtype="<u2").reshape(len(at), sigs.shape[1])
        found[at] = True
