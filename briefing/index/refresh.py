"""Bring the cache in line with the folder, touching only what changed.

A file is taken as unchanged when its size, mtime_ns, ctime_ns and inode all equal
the values stored when it was indexed, except when those timestamps were "racy":
within :data:`RACY_WINDOW_NS` of the moment the file was stat'ed, a later write in
the same timestamp tick could leave every stat field equal, so such a file is read
and its bytes hashed again on the next open (as git does for its index). A file whose
stat changed but whose size did not is hashed first: same bytes (``touch``, ``chmod``,
a copy with preserved times) only updates the stored stat; anything else is reparsed.

What cannot be detected: a change that keeps size, mtime_ns, ctime_ns and inode
while the stored timestamps are older than the racy window. On POSIX the ctime
cannot be set from user space (``os.utime`` itself moves it), so that needs a
file system with frozen or coarse (>2 s) timestamps, or a clock set backwards.

Renames are recognised by the fingerprint (sha256 of the clean body): a new file
whose fingerprint equals that of a vanished one takes over its row, so its full
text is not indexed again. The new file still has to be parsed to learn its
fingerprint; the pair is reported in :attr:`RefreshStats.renames`.

Memory: an open that finds nothing changed (the common case: a reader started on a
folder nobody touched) walks keeping only a digest of every file's stat, one folder's
entries at a time (:func:`briefing.index.scan.glance`); it ends there when the digest
equals the one the last complete refresh stored. Only otherwise is the folder walked
again, into a scratch table beside the cache that SQLite joins with the stored rows
(:mod:`briefing.index.compare`): what comes back to Python is the files found new,
changed or gone, so memory does not grow with the corpus either (it did, by about
1.3 kB a file, when both sides were held as dicts).
"""

from __future__ import annotations

import contextlib
import gc
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any

from briefing.corpus.discover import DirStat
from briefing.corpus.load import is_container
from briefing.corpus.problems import LoadProblem
from briefing.ids import article_id
from briefing.index.compare import RACY, ROWID, STAT, RowLookup, StoredRow, StoredRows, WalkTable, fingerprints
from briefing.index.extract import FileStat, Parsed, extract_many, hash_file
from briefing.index.scan import Glance, Scan, glance, newest, scan, scan_digest
from briefing.index.store import attach_shards, path_of, shard_path
from briefing.index.workers import parse_parallel
from briefing.index.writer import RowWriter
from briefing.model import ArticleMeta

RACY_WINDOW_NS = 3_000_000_000
FIRST_BATCH = 48  # parsed in-process at once, so a reader has something to show early
BATCH = 256  # files per worker task and per transaction
POOL_THRESHOLD = 400  # fewer files than this are parsed in-process (no worker start-up)
RECENT_FILES = 1000  # the newest files a quick check stats again (briefing.index.quick)

Progress = Callable[[int, int], None]
OnBatch = Callable[[list[ArticleMeta]], None]


@dataclass
class RefreshStats:
    """What one refresh found and did."""

    files: int = 0  # article files found by the walk
    new: int = 0
    changed: int = 0
    deleted: int = 0
    renamed: int = 0
    unchanged: int = 0
    rehashed: int = 0  # unchanged files whose bytes were read to be sure (racy or touched)
    problems: int = 0  # files refused by the parser (now, stored or new)
    rebuilt: bool = False  # the cache file was corrupt, stale or from another version
    stopped: bool = False  # should_stop() said so: batches committed so far are kept, nothing deleted
    seconds: float = 0.0
    scan_seconds: float = 0.0
    renames: list[tuple[str, str]] = field(default_factory=list)  # (old id, new id)

    def summary(self) -> str:
        parts = [
            f"{self.files} files",
            f"{self.new} new",
            f"{self.changed} changed",
            f"{self.deleted} deleted",
            f"{self.renamed} renamed",
            f"{self.unchanged} unchanged",
        ]
        if self.problems:
            parts.append(f"{self.problems} unreadable")
        return ", ".join(parts) + f" in {self.seconds:.2f} s"


@dataclass
class _Plan:
    """What a comparison found: the files to parse (jobs), those whose bytes proved
    unchanged (verified: id, path, stat, is a problem), the stored rows whose file is
    gone, and the walk to remember (digest, folders, newest files)."""

    stored: RowLookup
    stored_problems: RowLookup
    digest: str
    dirs: list[DirStat]
    newest: list[tuple[int, str, tuple[int, int, int, int]]]
    jobs: list[tuple[str, str, FileStat | None]] = field(default_factory=list)
    verified: list[tuple[str, str, tuple[int, int, int, int], bool]] = field(default_factory=list)
    vanished: list[str] = field(default_factory=list)
    vanished_problems: list[str] = field(default_factory=list)


_gc_lock = threading.Lock()
_gc_pauses = 0  # how many gc_paused() blocks are running, in any thread
_gc_was_enabled = True


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection in this process while the block runs.

    A cold build allocates several objects per article (rows, texts, the walk's
    table) and keeps the walk's for the whole build: every full collection would
    walk them all again. Nothing a build makes forms cycles that need collecting. Blocks
    may overlap (threads): the last one out restores the collector as the first
    one found it."""
    global _gc_pauses, _gc_was_enabled
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                gc.enable()


class Refresher(RowWriter):
    """One refresh of one cache. Call :meth:`run` with the writer lock held."""

    stats: RefreshStats

    def __init__(self, conn: sqlite3.Connection, root: str, *, workers: int | None = None,
                 bulk: bool = False, shard_base: Path | None = None) -> None:
        self.conn = conn
        self.root = root
        self.bulk = bulk  # a cold build into an empty database: no stored rows, no lookups
        # With bulk: where worker processes may write full-text shards (store.shard_path);
        # ``shards`` is how many they wrote (0: all full text is in the main file).
        self.shard_base = shard_base
        self.shards = 0
        self._bulk_seq: dict[str, int] = {}  # id -> number of its job, for bulk_rowid
        # The schemas holding full text (main and the shards of the last cold build).
        self._schemas = ["main"] if bulk else attach_shards(conn, path_of(conn))
        # Every rowid in use between ?1 and ?2: live articles and full-text entries, dead
        # ones included (see _rowid); built once, the schemas do not change.
        self._used_sql = " UNION ALL ".join(
            ["SELECT rowid AS r FROM articles WHERE rowid BETWEEN ?1 AND ?2"]
            + [f"SELECT id FROM {s}.search_docsize WHERE id BETWEEN ?1 AND ?2" for s in self._schemas]
        )
        self.workers = workers if workers is not None else min(2, os.cpu_count() or 1)
        self.stats = RefreshStats()
        self.scan: Scan | None = None
        self._next_seq: dict[int, int] = {}
        self._rows: list[tuple[Any, ...]] = []  # inserts of the current batch, written with executemany
        self._texts: list[tuple[Any, ...]] = []
        self._read_stats: dict[str, tuple[Any, ...]] = {}  # a cold build: id -> the stat its parse read
        self._report: Callable[[LoadProblem], None] | None = None
        # Many-article files: the stored rows (articles and problems) each one owns,
        # the file each such row belongs to, and what this refresh parsed of each.
        self._owned: dict[str, set[str]] = {}
        self._file_of: dict[str, str] = {}
        self._produced: dict[str, set[str]] = {}
        self._extra_seq = 0  # a cold build: rowid numbers for items, above every job's

    # -- reading the stored state ------------------------------------------------------

    def _stored(self) -> tuple[StoredRows, StoredRows]:
        """The stored articles and problems, each row read when asked (a refresh asks
        for the few it found new, changed or gone), after noting which rows belong to
        many-article files (:meth:`_note_owned`)."""
        self._note_owned(self.conn.execute(
            "SELECT id, path FROM articles INDEXED BY articles_id WHERE instr(id, '#') > 0"
            " UNION ALL SELECT id, path FROM problems"))
        return (StoredRows(self.conn, "articles", RACY_WINDOW_NS),
                StoredRows(self.conn, "problems", RACY_WINDOW_NS))

    def _nothing_changed(self, report: Callable[[LoadProblem], None] | None, started: float,
                         checked_ns: int) -> bool:
        """The common open: walk the folder keeping only a digest (:func:`glance`:
        no object per file stays alive, so a million files cost what one folder
        does) and, when it equals the digest the last complete refresh stored, record
        the walk and stop: True. False when there is no stored digest or it differs;
        the caller then walks again, keeping every file, and compares file by file
        (a second walk only when something changed, mostly from the kernel's caches)."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'scan'").fetchone()
        if row is None:
            return False
        seen: Glance = glance(self.root, RECENT_FILES)
        if seen.digest != row[0]:
            return False
        stats = self.stats
        stats.scan_seconds = time.perf_counter() - started
        stats.files = stats.unchanged = seen.files
        stats.problems = self.conn.execute("SELECT count(*) FROM problems").fetchone()[0]
        self.scan = Scan(problems=seen.problems, dirs=seen.dirs)
        if report is not None:
            for problem in seen.problems:
                report(problem)
        self._remember_walk(seen.dirs, seen.newest, checked_ns)
        stats.seconds = time.perf_counter() - started
        return True

    @staticmethod
    def _newest(found: Scan) -> list[tuple[int, str, tuple[int, int, int, int]]]:
        return newest(((path, st) for path, st in found.files.values() if st is not None), RECENT_FILES)

    # -- many-article files ---------------------------------------------------------------

    def _file_id(self, path: str) -> str:
        root_real = os.path.realpath(self.root)
        return article_id(os.path.relpath(path, root_real))

    def _note_owned(self, rows: Iterable[tuple[str, Any]]) -> None:
        """Record which stored rows belong to a many-article file (by their path)."""
        for id, path in rows:
            if path.__class__ is not str:
                path = os.fsdecode(path)
            if is_container(path):
                fid = self._file_id(path)
                self._file_of[id] = fid
                self._owned.setdefault(fid, set()).add(id)

    def _file_rec(self, fid: str, stored: RowLookup, problems: RowLookup) -> tuple[str, StoredRow] | None:
        """(one of its rows' id, that row) for a many-article file: every row of it
        carries the file's stat and raw hash."""
        for oid in sorted(self._owned.get(fid, ())):
            rec = stored.get(oid) or problems.get(oid)
            if rec is not None:
                return oid, rec
        return None

    def _expand(self, batch: list[Parsed]) -> list[Parsed]:
        """A parsed batch with each many-article file replaced by its items (articles
        and problems, each with the file's path, stat and raw hash)."""
        if not any(p.items is not None or (p.problem is not None and is_container(p.path)) for p in batch):
            return batch
        out: list[Parsed] = []
        for p in batch:
            if p.items is None:
                if p.problem is not None and p.stat is not None and is_container(p.path):
                    self._produced[p.id] = {p.id}  # the whole file is unreadable now
                out.append(p)
                continue
            produced = self._produced.setdefault(p.id, set())
            if self.bulk and p.stat is not None:
                self._read_stats[p.id] = p.stat
            for iid, row, body, problem in p.items:
                produced.add(iid)
                out.append(Parsed(iid, p.path, p.stat, p.raw_hash, row, body, problem))
        return out

    def _stale(self) -> list[str]:
        """Stored rows of re-parsed many-article files that the new parse did not make."""
        return [oid for fid, made in self._produced.items() for oid in self._owned.get(fid, ()) if oid not in made]

    def _raw_hash(self, id: str, is_problem: bool) -> str:
        table = "problems" if is_problem else "articles"
        row = self.conn.execute(f"SELECT raw_hash FROM {table} WHERE id = ?", (id,)).fetchone()
        return row[0] if row else ""

    # -- the refresh --------------------------------------------------------------------

    def run(self, progress: Progress | None = None, on_batch: OnBatch | None = None,
            report: Callable[[LoadProblem], None] | None = None,
            should_stop: Callable[[], bool] | None = None) -> RefreshStats:
        with gc_paused() if self.bulk else contextlib.nullcontext():
            return self._run(progress, on_batch, report, should_stop)

    def _run(self, progress: Progress | None, on_batch: OnBatch | None,
             report: Callable[[LoadProblem], None] | None,
             should_stop: Callable[[], bool] | None) -> RefreshStats:
        started = time.perf_counter()
        checked_ns = time.time_ns()
        stats = self.stats
        self._report = report
        found: Scan | None = None
        if self.bulk:
            # A cold build lists the files without a stat each: the workers' fstat of the
            # files they read serves instead (the walk is then a fifth of the time, and
            # it runs before any worker can start). The digest waits for those stats.
            self.scan = found = scan(self.root, report, stat=False)
            stats.scan_seconds = time.perf_counter() - started
            stats.files = len(found.files)
            plan = _Plan({}, {}, "", found.dirs, [])
            plan.jobs = [(id, path, None) for id, (path, _none) in found.files.items()]
            stats.new = len(plan.jobs)
        else:
            if self._nothing_changed(report, started, checked_ns):
                return stats
            compared = self._compare(report, started, checked_ns)
            if compared is None:
                return stats
            plan = compared
        stored, stored_problems, vanished, vanished_problems = (
            plan.stored, plan.stored_problems, plan.vanished, plan.vanished_problems)
        by_fingerprint: dict[str, list[str]] = {}
        for id, fingerprint in fingerprints(self.conn, vanished).items():
            by_fingerprint.setdefault(fingerprint, []).append(id)

        # Newest folders first: in a year/month layout the first batch is the top of the list.
        jobs = plan.jobs
        jobs.sort(key=itemgetter(0), reverse=True)
        if self.bulk:
            self._bulk_seq = {job[0]: seq for seq, job in enumerate(jobs, 1)}
            self._extra_seq = len(jobs)
        total = len(jobs)
        if progress is not None:
            progress(0, total)

        done = 0
        claimed: set[str] = set()
        parsed = self._parse(jobs)
        for batch in parsed:
            if should_stop is not None and should_stop():
                parsed.close()  # stops the workers; what is committed stays, the rest waits
                if self.shards:  # half-written shards are dropped, and the rows they index
                    self.conn.execute("DELETE FROM articles WHERE rowid NOT IN (SELECT id FROM search_docsize)")
                    self.shards = 0
                stats.stopped = True
                stats.seconds = time.perf_counter() - started
                return stats
            metas = self._apply(batch, stored, stored_problems, by_fingerprint, claimed, checked_ns,
                                on_batch is not None)
            done += len(batch)
            if progress is not None:
                progress(done, total)
            if on_batch is not None and metas:
                on_batch(metas)

        listed, listed_problems = set(vanished), set(vanished_problems)
        for oid in self._stale():
            if oid in listed or oid in listed_problems:
                continue
            if oid in stored:
                vanished.append(oid)
                listed.add(oid)
            elif oid in stored_problems:
                vanished_problems.append(oid)
                listed_problems.add(oid)
        self._finish(vanished, vanished_problems, claimed, stored, plan.verified, checked_ns)
        stats.deleted = len(vanished) - len(claimed)
        stats.renamed = len(claimed)
        stats.problems = self.conn.execute("SELECT count(*) FROM problems").fetchone()[0]
        if found is not None:
            # The walk as the next open will see it (same order, the stats read), minus
            # files gone before they could be examined: its digest is what that open
            # compares with.
            read = self._read_stats
            found.files = {id: (path, read[id]) for id, (path, _none) in found.files.items() if id in read}
            stats.files = len(found.files)
            plan.digest = scan_digest(found.files)
            plan.newest = self._newest(found)
        self._remember_scan(plan.digest)
        self._remember_walk(plan.dirs, plan.newest, checked_ns)
        stats.seconds = time.perf_counter() - started
        return stats

    def _compare(self, report: Callable[[LoadProblem], None] | None, started: float,
                 checked_ns: int) -> _Plan | None:
        """Walk the folder into a :class:`WalkTable` and compare it with the stored rows
        (memory: one folder's entries, and the files found new, changed or gone).
        None when the walk equals the one the last complete refresh stored (the folder
        changed back since :meth:`_nothing_changed` looked): nothing to do."""
        stats = self.stats
        walk = WalkTable(self.conn, self.root)
        try:
            seen = glance(self.root, RECENT_FILES, walk.add)
            walk.flush()
            self.scan = Scan(problems=seen.problems, dirs=seen.dirs)
            if report is not None:
                for problem in seen.problems:
                    report(problem)
            stats.scan_seconds = time.perf_counter() - started
            stats.files = seen.files
            row = self.conn.execute("SELECT value FROM meta WHERE key = 'scan'").fetchone()
            if row is not None and row[0] == seen.digest:
                # Every file has the stat the cache holds, and none was racy: nothing to do.
                stats.unchanged = stats.files
                stats.problems = self.conn.execute("SELECT count(*) FROM problems").fetchone()[0]
                self._remember_walk(seen.dirs, seen.newest, checked_ns)
                stats.seconds = time.perf_counter() - started
                return None
            self.conn.execute("DELETE FROM meta WHERE key = 'scan'")  # until this refresh completes
            stored, stored_problems = self._stored()
            plan = _Plan(stored, stored_problems, seen.digest, seen.dirs, seen.newest)
            vouched = stats.files  # files whose article row has their stat, not racy
            with contextlib.closing(walk.candidates(RACY_WINDOW_NS)) as candidates:
                for id, path, st, rec in candidates:
                    vouched -= 1
                    self._classify(plan, id, path, st, rec)
            stats.unchanged += vouched
            plan.vanished = [id for _rowid, id in walk.gone("articles", self._file_of)]
            plan.vanished_problems = [id for _none, id in walk.gone("problems", self._file_of)]
            return plan
        finally:
            walk.close()

    def _classify(self, plan: _Plan, id: str, path: str, st: tuple[int, int, int, int],
                  rec: StoredRow | None) -> None:
        """One walked file that its article row (``rec``, if any) does not vouch for:
        unchanged after all, new or changed (a job), or the same bytes (verified)."""
        stats = self.stats
        rep = id
        if rec is None and id in self._owned:
            found_rec = self._file_rec(id, plan.stored, plan.stored_problems)
            if found_rec is not None:
                rep, rec = found_rec
                if rec[STAT] == st and not rec[RACY]:
                    stats.unchanged += 1
                    return
        if rec is None:
            rec = plan.stored_problems.get(id)
        if rec is None:
            stats.new += 1
            plan.jobs.append((id, path, FileStat(*st)))
            return
        if rec[STAT] == st and not rec[RACY]:
            stats.unchanged += 1
            return
        # Racy timestamps, or the stat moved but the size did not: compare bytes.
        if rec[1] == st[0] and (raw := self._raw_hash(rep, rec[ROWID] is None)) and hash_file(path) == raw:
            stats.unchanged += 1
            stats.rehashed += 1
            plan.verified.append((id, path, st, rec[ROWID] is None))
            return
        stats.changed += 1
        plan.jobs.append((id, path, FileStat(*st)))

    def _parse(self, jobs: list[tuple[str, str, FileStat | None]]) -> Generator[list[Parsed], None, None]:
        """Parsed files in batches, in job order (a many-article file as its items)."""
        files = self._parse_files(jobs)
        try:
            for batch in files:
                yield self._expand(batch)
        finally:
            files.close()

    def _parse_files(self, jobs: list[tuple[str, str, FileStat | None]]) -> Generator[list[Parsed], None, None]:
        """Parsed files in batches, in job order: the first batch in-process, the rest
        in worker processes when there are enough of them to pay for the start-up."""
        if not jobs:
            return
        first, rest = jobs[:FIRST_BATCH], jobs[FIRST_BATCH:]
        chunks = [rest[i : i + BATCH] for i in range(0, len(rest), BATCH)]
        if len(rest) < POOL_THRESHOLD or self.workers < 2:
            yield extract_many(self.root, first)
            for chunk in chunks:
                yield extract_many(self.root, chunk)
            return
        if self.bulk and self.shard_base is not None:
            # Workers write the full text into shards in parallel; this process keeps
            # the last rowid lane for what it parses itself.
            self.shards = self.workers
            paths = [shard_path(self.shard_base, k) for k in range(self.workers)]
            yield from parse_parallel(self.root, chunks, self.workers, first, paths)
            return
        yield from parse_parallel(self.root, chunks, self.workers, first)

    def _remember_scan(self, digest: str) -> None:
        """Store the digest of the walk this refresh brought the cache in line with,
        unless a file is still racy (it must be hashed again on the next open)."""
        racy = f"checked_ns - max(mtime_ns, ctime_ns) < {RACY_WINDOW_NS}"
        pending = self.conn.execute(
            f"SELECT EXISTS(SELECT 1 FROM articles WHERE {racy}) OR EXISTS(SELECT 1 FROM problems WHERE {racy})"
        ).fetchone()[0]
        if not pending:
            self.conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('scan', ?)", (digest,))
