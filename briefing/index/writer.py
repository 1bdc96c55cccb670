"""Writing a refresh's rows into the cache: fresh rowids, inserts in batches, renames,
problems, deletions and the walk remembered (:class:`RowWriter`, the half of
:class:`briefing.index.refresh.Refresher` that writes)."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from briefing.corpus.discover import DirStat
from briefing.corpus.problems import LoadProblem
from briefing.index.compare import ROWID, RowLookup
from briefing.index.extract import (
    ROW_DATE,
    ROW_FINGERPRINT,
    ROW_TITLE,
    SEQ_BITS,
    SEQ_MAX,
    Parsed,
    bulk_rowid,
    fts_text,
    meta_from_row,
    utf8,
)
from briefing.index.scan import Scan
from briefing.index.store import path_value
from briefing.model import ArticleMeta


class RowWriter:
    """The writes of one refresh (see :class:`briefing.index.refresh.Refresher`)."""

    conn: sqlite3.Connection
    bulk: bool
    stats: Any  # RefreshStats
    scan: Scan | None
    _used_sql: str
    _next_seq: dict[int, int]
    _rows: list[tuple[Any, ...]]
    _texts: list[tuple[Any, ...]]
    _read_stats: dict[str, tuple[Any, ...]]
    _bulk_seq: dict[str, int]
    _extra_seq: int
    _report: Callable[[LoadProblem], None] | None
    _owned: dict[str, set[str]]

    def _rowid(self, id: str, row: tuple[Any, ...]) -> int:
        """A fresh rowid for ``row``'s date, never used before in this cache (not even
        by a dead full-text entry, whose words would otherwise match the new row)."""
        ordinal = row[ROW_DATE] or 0
        base = ordinal << SEQ_BITS
        seq = self._next_seq.get(ordinal)
        used_sql = self._used_sql
        if seq is None:
            top = self.conn.execute(f"SELECT max(r) FROM ({used_sql})", (base, base + SEQ_MAX)).fetchone()[0]
            seq = (top - base + 1) if top is not None else 1
        if seq > SEQ_MAX:  # practically unreachable: 16.7M rows of one date; find a hole
            used = {r[0] - base for r in self.conn.execute(used_sql, (base, base + SEQ_MAX))}
            seq = next(n for n in range(1, SEQ_MAX + 1) if n not in used)
            self._next_seq[ordinal] = SEQ_MAX + 1
        else:
            self._next_seq[ordinal] = seq + 1
        return base + seq

    def _delete_article(self, rowid: int) -> None:
        # The full-text entry stays, dead: a contentless table cannot delete without
        # the old text. Queries join articles, so it never shows.
        self.conn.execute("DELETE FROM articles WHERE rowid = ?", (rowid,))

    def _insert_article(self, p: Parsed, checked_ns: int) -> None:
        """Queue ``p``'s row and full text under a fresh rowid (an incremental refresh;
        a cold build's rows go through :meth:`_apply_bulk`)."""
        row, stat = p.row, p.stat
        assert row is not None and stat is not None  # an article, with the walk's stat
        rowid = self._rowid(p.id, row)
        self._rows.append((rowid, p.id, path_value(p.path), *stat, p.raw_hash, checked_ns, *row))
        self._texts.append((rowid, fts_text(row[ROW_TITLE], p.body)))

    def _flush_inserts(self) -> None:
        if self._rows:
            self._rows.sort()
            self.conn.executemany(
                "INSERT INTO articles(rowid, id, path, size, mtime_ns, ctime_ns, inode, raw_hash, checked_ns,"
                " title, title_derived, date, author, source, tags, fingerprint, words, warnings, url, lang)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                self._rows,
            )
        if self._texts:
            self._texts.sort()  # ascending rowids, or FTS5 flushes a tiny segment at every step down
            self.conn.executemany("INSERT INTO search(rowid, text) VALUES (?, ?)", self._texts)
        self._rows, self._texts = [], []

    def _take_rename(self, p: Parsed, stored: RowLookup,
                     by_fingerprint: dict[str, list[str]], claimed: set[str], checked_ns: int) -> bool:
        """Move a vanished row with the same fingerprint to ``p``; True when done."""
        new, stat = p.row, p.stat
        assert new is not None and stat is not None  # an article, with the walk's stat
        candidates = by_fingerprint.get(new[ROW_FINGERPRINT])
        if not candidates:
            return False
        old_id = candidates.pop()
        claimed.add(old_id)
        self.stats.renames.append((old_id, p.id))
        old_rowid = stored[old_id][ROWID]
        row = self.conn.execute("SELECT date, title FROM articles WHERE rowid = ?", (old_rowid,)).fetchone()
        if row is None or row[0] != new[ROW_DATE] or row[1] != new[ROW_TITLE]:
            # The sort key or the indexed title moves: a fresh row and full-text entry.
            self._delete_article(old_rowid)
            self._insert_article(p, checked_ns)
            return True
        # Same date, title and body (the fingerprint): the full-text entry still holds.
        self.conn.execute(
            "UPDATE articles SET id=?, path=?, size=?, mtime_ns=?, ctime_ns=?, inode=?, raw_hash=?, checked_ns=?,"
            " title=?, title_derived=?, date=?, author=?, source=?, tags=?, fingerprint=?, words=?, warnings=?,"
            " url=?, lang=? WHERE rowid=?",
            (p.id, path_value(p.path), *stat, p.raw_hash, checked_ns, *new, old_rowid),
        )
        return True

    def _apply(self, batch: list[Parsed], stored: RowLookup, stored_problems: RowLookup,
               by_fingerprint: dict[str, list[str]], claimed: set[str], checked_ns: int,
               want_metas: bool) -> list[ArticleMeta]:
        if self.bulk:
            return self._apply_bulk(batch, checked_ns, want_metas)
        metas: list[ArticleMeta] = []
        conn = self.conn
        with self._batch():
            for p in batch:
                old = stored.get(p.id)
                if old is not None:
                    self._delete_article(old[ROWID])
                if p.id in stored_problems:
                    conn.execute("DELETE FROM problems WHERE id = ?", (p.id,))
                if p.row is None:
                    assert p.stat is not None  # the walk's stat (only a cold build's jobs have none)
                    conn.execute(
                        "INSERT OR REPLACE INTO problems(id, path, size, mtime_ns, ctime_ns, inode, raw_hash,"
                        " checked_ns, message) VALUES (?,?,?,?,?,?,?,?,?)",
                        (p.id, path_value(p.path), *p.stat, p.raw_hash, checked_ns,
                         utf8(p.problem or "cannot be read")),
                    )
                    continue
                if want_metas:
                    metas.append(meta_from_row(p.id, p.path, p.row))
                if old is None and self._take_rename(p, stored, by_fingerprint, claimed, checked_ns):
                    continue
                self._insert_article(p, checked_ns)
        return metas

    def _apply_bulk(self, batch: list[Parsed], checked_ns: int, want_metas: bool) -> list[ArticleMeta]:
        """:meth:`_apply` for a cold build, kept short (it runs 100k times while the
        workers need the cores): every file is new, nothing is renamed, and no
        ArticleMeta is made unless ``want_metas`` (a reader's ``on_batch``)."""
        metas: list[ArticleMeta] = []
        problems: list[tuple[Any, ...]] = []
        rows, texts, read_stats = self._rows, self._texts, self._read_stats
        for id, path, stat, digest, row, body, problem, rowid, _items in batch:
            if stat is None:  # gone (or unreachable) since the walk listed it
                self._lost(LoadProblem(id, problem or "cannot be examined; skipped"))
                continue
            read_stats[id] = stat
            if row is None:
                problems.append((id, path_value(path), *stat, digest, checked_ns, utf8(problem or "cannot be read")))
                continue
            if rowid is None:  # parsed in this process (or an item): its full text goes to the main file
                seq = self._bulk_seq.get(id)
                if seq is None:  # an item of a many-article file: numbers above every job's
                    self._extra_seq += 1
                    seq = self._extra_seq
                rowid = bulk_rowid(row[ROW_DATE] or 0, seq)
                texts.append((rowid, fts_text(row[ROW_TITLE], body)))
            rows.append((rowid, id, path_value(path), *stat, digest, checked_ns, *row))
            if want_metas:
                metas.append(meta_from_row(id, path, row))
        with self._batch():
            if problems:
                self.conn.executemany(
                    "INSERT INTO problems(id, path, size, mtime_ns, ctime_ns, inode, raw_hash, checked_ns, message)"
                    " VALUES (?,?,?,?,?,?,?,?,?)",
                    problems,
                )
        return metas

    @contextlib.contextmanager
    def _batch(self) -> Iterator[None]:
        """One batch's transaction: the block's writes, then the queued inserts
        (:meth:`_flush_inserts`), committed together; on any error none of them."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
            self._flush_inserts()
            self.conn.execute("COMMIT")
        except BaseException:
            self._rows, self._texts = [], []
            self.conn.execute("ROLLBACK")
            raise

    def _lost(self, problem: LoadProblem) -> None:
        """A listed file that a cold build could not even stat: a walk problem, as a
        walk that stats would have reported it."""
        self.stats.new -= 1
        if self.scan is not None:
            self.scan.problems.append(problem)
        if self._report is not None:
            self._report(problem)

    def _remember_walk(self, dirs: list[DirStat], newest: list[tuple[int, str, tuple[int, int, int, int]]],
                       checked_ns: int) -> None:
        """Store the folders of this complete walk (each one's stat from before it was
        listed) and the :data:`RECENT_FILES` newest files (``newest``), for the quick
        check of :mod:`briefing.index.quick`."""
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("DELETE FROM dirs")
            conn.executemany(
                "INSERT OR REPLACE INTO dirs(rel, path, mtime_ns, ctime_ns, inode, checked_ns) VALUES (?,?,?,?,?,?)",
                [(path_value(rel), path_value(path), m, c, ino, checked_ns) for rel, path, m, c, ino in dirs],
            )
            conn.execute("DELETE FROM recent")
            conn.executemany("INSERT OR REPLACE INTO recent(path, size, mtime_ns, ctime_ns, inode, checked_ns)"
                             " VALUES (?,?,?,?,?,?)", [(path_value(path), *st, checked_ns) for _m, path, st in newest])
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def _finish(self, vanished: Iterable[str], vanished_problems: Iterable[str], claimed: set[str],
                stored: RowLookup, verified: list[tuple[str, str, tuple[int, int, int, int], bool]], checked_ns: int) -> None:
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            for id in vanished:
                if id not in claimed:
                    self._delete_article(stored[id][ROWID])
            conn.executemany("DELETE FROM problems WHERE id = ?", [(id,) for id in vanished_problems])
            for id, path, st, is_problem in verified:
                owned = self._owned.get(id)
                for oid, table in ([(o, t) for o in sorted(owned) for t in ("articles", "problems")] if owned
                                   else [(id, "problems" if is_problem else "articles")]):
                    conn.execute(
                        f"UPDATE {table} SET path=?, size=?, mtime_ns=?, ctime_ns=?, inode=?, checked_ns=? WHERE id=?",
                        (path_value(path), *st, checked_ns, oid),
                    )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

