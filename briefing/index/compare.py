"""The file-by-file comparison of a walk with the cache, in memory that does not grow
with the corpus.

A refresh that finds the folder changed (its walk digest differs from the stored
one) must learn which files are new, changed or gone. Holding the walk and the
stored rows as two dicts cost about 1.3 kB a file (1 GB at a million files). Here
the walk goes, as it is made, into a scratch SQLite file beside the cache
(:class:`WalkTable`, attached to the cache's connection, with its own small page
cache; deleted when the comparison is done), and SQLite joins it with the stored
rows by id: only the files whose stat differs from their row's (or whose row is
missing or racy) and the rows whose file is gone come back to Python, a few for a
few changes. The stored rows of those few are looked up one id at a time when
asked (:class:`StoredRows`), as the dicts were used.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Generator, Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol

from briefing.index.store import path_of, path_value

# A stored row, as SQLite returns it (no object per row): (rowid or None for a problem,
# size, mtime_ns, ctime_ns, inode, racy), racy meaning stat'ed within the racy window
# of its own timestamps (computed by SQLite). The hashes are looked up only for the
# few files that need them.
StoredRow = tuple[Any, ...]
ROWID, STAT, RACY = 0, slice(1, 5), 5
_CHUNK = 500  # ids per IN (...) query


def racy_sql(window_ns: int, table: str = "") -> str:
    """SQL true for a row stat'ed within ``window_ns`` of its own timestamps."""
    t = f"{table}." if table else ""
    return f"{t}checked_ns - max({t}mtime_ns, {t}ctime_ns) < {int(window_ns)}"


class RowLookup(Protocol):
    """What the refresh asks of the stored rows of one table: a dict, or :class:`StoredRows`."""

    def get(self, id: str, /) -> StoredRow | None: ...
    def __contains__(self, id: object, /) -> bool: ...
    def __getitem__(self, id: str, /) -> StoredRow: ...


class StoredRows:
    """The stored rows of ``table`` (``articles`` or ``problems``) by id, each read
    when asked, as ``(rowid or None, size, mtime_ns, ctime_ns, inode, racy)``.

    A refresh asks only for the files it found new, changed or gone, and for rows it
    has not written yet in this refresh, so a read now gives what a copy taken at
    its start would have."""

    def __init__(self, conn: sqlite3.Connection, table: str, window_ns: int) -> None:
        assert table in ("articles", "problems")
        rowid = "rowid" if table == "articles" else "NULL"
        self._conn = conn
        self._sql = f"SELECT {rowid}, size, mtime_ns, ctime_ns, inode, {racy_sql(window_ns)} FROM {table} WHERE id = ?"

    def get(self, id: str, default: StoredRow | None = None) -> StoredRow | None:
        row = self._conn.execute(self._sql, (id,)).fetchone()
        return default if row is None else row

    def __contains__(self, id: object) -> bool:
        return isinstance(id, str) and self.get(id) is not None

    def __getitem__(self, id: str) -> StoredRow:
        row = self.get(id)
        if row is None:
            raise KeyError(id)
        return row


class WalkFailed(OSError):
    """The scratch walk table could not be made, written or read (a full disk, a
    failed attach). Not a :class:`sqlite3.DatabaseError`: the cache itself is not
    damaged, and must not be thrown away and rebuilt for it; the refresh fails with
    this message and the next one tries again."""


@contextlib.contextmanager
def _scratch(path: Path) -> Iterator[None]:
    try:
        yield
    except sqlite3.Error as exc:
        raise WalkFailed(f"could not compare the folder with its index (scratch file {path}): {exc}") from exc


class WalkTable:
    """The files of one walk (id, path, stat), kept in a scratch database file beside
    the cache and attached to ``conn`` as ``walk``; :meth:`close` detaches and deletes
    it (one left by a refresh that was killed is deleted by the next: the refresh
    holds the cache's writer lock, so no other uses it). A path that is the root's real path joined with the id (nearly every file)
    is stored as NULL and made again when read."""

    CHUNK = 8192  # rows per insert (and per transaction of the scratch file)
    CACHE_KIB = 8192  # the scratch file's page cache

    def __init__(self, conn: sqlite3.Connection, root: str) -> None:
        self.conn = conn
        main = path_of(conn)
        for left in main.parent.glob(main.name + ".walk-*"):  # of a refresh killed mid-way
            with contextlib.suppress(OSError):
                left.unlink()
        fd, name = tempfile.mkstemp(prefix=main.name + ".walk-", dir=main.parent)
        os.close(fd)
        self.path = Path(name)
        self._prefix = os.path.realpath(root).rstrip(os.sep) + os.sep
        self._prefix_len = len(self._prefix)
        self._pending: list[tuple[Any, ...]] = []
        self.count = 0
        try:
            with _scratch(self.path):
                conn.execute("ATTACH DATABASE ? AS walk", (name,))
                for pragma in ("journal_mode = OFF", "synchronous = OFF", f"cache_size = {-self.CACHE_KIB}"):
                    conn.execute(f"PRAGMA walk.{pragma}").fetchall()
                conn.execute("CREATE TABLE walk.files(id TEXT PRIMARY KEY, path BLOB, size INTEGER NOT NULL,"
                             " mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL, inode INTEGER NOT NULL) WITHOUT ROWID")
        except BaseException:
            self.close()
            raise

    # -- filling -------------------------------------------------------------------------

    def add(self, id: str, path: str, st: tuple[int, int, int, int]) -> None:
        """One walked file (the walk's order; ids are unique: a repeated id replaces)."""
        if os.sep == "/":  # the root's real path + id, told without making that string
            plain = len(path) == self._prefix_len + len(id) and path.endswith(id) and path.startswith(self._prefix)
        else:
            plain = path == self._prefix + id.replace("/", os.sep)
        self._pending.append((id, None if plain else path_value(path), *st))
        if len(self._pending) >= self.CHUNK:
            self.flush()

    def flush(self) -> None:
        if not self._pending:
            return
        conn = self.conn
        with _scratch(self.path):
            conn.execute("BEGIN")
            try:
                conn.executemany("INSERT OR REPLACE INTO walk.files VALUES (?,?,?,?,?,?)", self._pending)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        self.count += len(self._pending)
        self._pending = []

    def _path(self, id: str, stored: Any) -> str:
        if stored is None:
            return self._prefix + (id if os.sep == "/" else id.replace("/", os.sep))
        return stored if stored.__class__ is str else os.fsdecode(stored)

    # -- comparing -----------------------------------------------------------------------

    def candidates(self, window_ns: int) -> Generator[tuple[str, str, tuple[int, int, int, int], StoredRow | None], None, None]:
        """Walked files that a stored article row does not vouch for, by id:
        ``(id, path, stat, article row or None)``; the row (as :class:`StoredRows`
        gives it) when there is one whose stat differs or is racy. Every file not
        given here has an article row with its stat, not racy."""
        self.flush()
        racy = racy_sql(window_ns, "a")
        with _scratch(self.path):
            yield from self._candidates(racy)

    def _candidates(self, racy: str) -> Generator[tuple[str, str, tuple[int, int, int, int], StoredRow | None], None, None]:
        cursor = self.conn.execute(
            "SELECT w.id, w.path, w.size, w.mtime_ns, w.ctime_ns, w.inode,"
            f" a.rowid, a.size, a.mtime_ns, a.ctime_ns, a.inode, {racy}"
            " FROM walk.files AS w LEFT JOIN main.articles AS a ON a.id = w.id"
            " WHERE a.rowid IS NULL OR a.size != w.size OR a.mtime_ns != w.mtime_ns"
            f" OR a.ctime_ns != w.ctime_ns OR a.inode != w.inode OR {racy}")
        try:
            for id, path, size, mtime, ctime, inode, rowid, *rest in cursor:
                rec = None if rowid is None else (rowid, *rest)
                yield id, self._path(id, path), (size, mtime, ctime, inode), rec
        finally:
            cursor.close()

    def has(self, id: str) -> bool:
        self.flush()
        with _scratch(self.path):
            return self.conn.execute("SELECT 1 FROM walk.files WHERE id = ?", (id,)).fetchone() is not None

    def gone(self, table: str, file_of: dict[str, str]) -> list[tuple[Any, str]]:
        """Stored rows of ``table`` whose file the walk did not find, as ``(rowid or
        None, id)``: a row of a many-article file (``file_of``: row id -> file id) by
        its file's id, any other by its own; articles in rowid order."""
        assert table in ("articles", "problems")
        self.flush()
        rowid = "rowid" if table == "articles" else "NULL"
        with _scratch(self.path):
            cursor = self.conn.execute(
                f"SELECT {rowid}, id FROM main.{table} AS s WHERE NOT EXISTS (SELECT 1 FROM walk.files AS w WHERE w.id = s.id)")
            try:
                gone = [(r, id) for r, id in cursor if id not in file_of]
            finally:
                cursor.close()
        present: dict[str, bool] = {}  # file id -> walked
        owned = []
        for id, fid in file_of.items():
            if fid not in present:
                present[fid] = self.has(fid)
            if not present[fid]:
                owned.append(id)
        gone += self._rows_of(table, owned)
        if table == "articles":
            gone.sort()
        return gone

    def _rows_of(self, table: str, ids: list[str]) -> list[tuple[Any, str]]:
        rowid = "rowid" if table == "articles" else "NULL"
        found: list[tuple[Any, str]] = []
        for i in range(0, len(ids), _CHUNK):
            chunk = ids[i : i + _CHUNK]
            marks = ",".join("?" * len(chunk))
            found += self.conn.execute(f"SELECT {rowid}, id FROM main.{table} WHERE id IN ({marks})", chunk).fetchall()
        return found

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.execute("DETACH DATABASE walk")
        with contextlib.suppress(OSError):
            self.path.unlink()


def fingerprints(conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, str]:
    """``{id: fingerprint}`` of the stored articles among ``ids``, in the order of ``ids``."""
    ids = list(ids)
    found: dict[str, str] = {}
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i : i + _CHUNK]
        marks = ",".join("?" * len(chunk))
        found.update(conn.execute(f"SELECT id, fingerprint FROM articles WHERE id IN ({marks})", chunk))
    return {id: found[id] for id in ids if id in found}
