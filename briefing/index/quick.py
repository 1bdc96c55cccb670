"""Know that the cache is fresh without a full stat walk of the folder.

A full refresh (:mod:`briefing.index.refresh`) stats every file: 15 s at a million
articles. The commands (``list``, ``list --query``, ``export``) call
:func:`quick_refresh` instead, which decides in this order:

1. **A running watcher vouches for the cache** (:func:`briefing.index.fresh.is_fresh`
   at the moment the command started): nothing is stat'ed at all. This covers every
   change, edits in place included, while any reader (or ``briefing watch``) runs.
2. **Folder modification times.** The last full refresh stored the stat of every
   folder it walked, taken *before* the folder was listed (table ``dirs``). Adding,
   removing or renaming a file changes its folder's mtime (so does an editor that
   saves through a temporary file and a rename: vim, emacs, most IDEs). Every stored
   folder is ``lstat``'ed (~100 at 1M articles in a year/month layout); only a folder
   whose (mtime, ctime, inode) moved, or whose stored stat was "racy" (taken within
   :data:`RACY_WINDOW_NS` of its own mtime), is listed again; the names that appeared
   or vanished in it, and the files whose stat differs from their row (a file
   replaced by a rename keeps its name, not its inode), are handed to
   :func:`briefing.index.incremental.apply_paths` (a new sub-folder is walked whole).
3. **A bounded recheck of recent files.** The :data:`~briefing.index.refresh.RECENT_FILES`
   files with the newest modification times (table ``recent``) are ``lstat``'ed and
   compared with their rows every time: appending to today's file is noticed.

Before step 2 the cache is validated (:func:`briefing.index.store.validate`: its
probe of the full text grows with the corpus, ~100 ms at a million articles), unless
its files (database, WAL, shards) have the size, times and inode they had when they
last passed with the same parser: a stamp beside the cache, ``<cache>.valid``, written
only when none of them changed within :data:`RACY_WINDOW_NS`. A recent file handed to
``apply_paths`` has its row stored again (its stat now), so a chmod or a racy stat
costs one comparison, not one per command until the next full refresh.

What this does **not** notice: an edit made *in place* (the same file rewritten
through the same inode, e.g. ``echo more >> old.txt``, ``sed -i`` excepted, which
renames) to a file that is not among the recent ones, while no watcher ran. Such an
edit is noticed by the next full refresh: ``briefing index`` (a full stat walk,
about 15 s at 1M articles) or the reader's open. ``briefing show ID`` always reads
its one file, so it shows the edit at once; ``list`` shows the indexed title/date
until then.

:func:`quick_refresh` returns None when it cannot decide (no cache, an untrusted
cache, no folder record yet, the corpus folder unreadable): the caller then runs
the full refresh, as before.
"""

from __future__ import annotations

import contextlib
import math
import os
import sqlite3
import stat as stat_mod
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefing.corpus.discover import IGNORED_NAMES, is_ignored, kind_of
from briefing.durable import locked
from briefing.ids import article_id
from briefing.index import fresh, store

if TYPE_CHECKING:
    from collections.abc import Sequence

    from briefing.index.incremental import PathsUpdate
    from briefing.index.indexed import CorpusIndex

# The racy window of briefing.index.refresh (a test holds them equal): repeated, so
# that a check which finds nothing changed never imports the parsers.
RACY_WINDOW_NS = 3_000_000_000


class IndexRef:
    """What :func:`quick_refresh` (and :func:`~briefing.index.incremental.apply_paths`)
    need of a :class:`~briefing.index.CorpusIndex`, without importing it and the
    parsers behind it: a command that finds nothing changed starts in less time."""

    def __init__(self, root: str | os.PathLike[str], *, workers: int | None = None) -> None:
        self.root = Path(os.path.abspath(os.fspath(root)))
        self.path = store.cache_path(self.root)
        self.workers = workers
        self._fingerprint = store.parser_fingerprint()


@dataclass
class QuickCheck:
    """What :func:`quick_refresh` did: ``how`` is ``"watcher"`` (a live watcher's
    stamp vouched; nothing stat'ed) or ``"folders"`` (folder stats and recent files)."""

    how: str
    folders: int = 0  # folders stat'ed
    listed: list[str] = field(default_factory=list)  # folders listed again (relative, "/"-terminated)
    recent: int = 0  # recent files stat'ed again
    paths: int = 0  # paths handed to apply_paths
    update: PathsUpdate | None = None
    seconds: float = 0.0


def _fs(value: Any) -> str:
    return value if value.__class__ is str else os.fsdecode(value)


def _candidate(name: str, is_dir: bool) -> bool:
    """A directory entry the loader would look at (an article file or a folder)."""
    if is_ignored(name) or name.lower() in IGNORED_NAMES:
        return False
    return is_dir or kind_of(name) is not None


def _stored_children(conn: sqlite3.Connection, rel: str, dirpath: str) -> dict[str, tuple[int, ...]]:
    """The stored rows (articles and problems) directly in the folder ``rel``: path ->
    (size, mtime_ns, ctime_ns, inode, racy as 0 or 1)."""
    params: tuple[str, ...]
    if rel:
        lo = article_id(rel.rstrip("/")) + "/"
        where, params = "id >= ? AND id < ?", (lo, lo[:-1] + "0")
    else:
        # The corpus folder (listed again after every `briefing tag`: annotations.yaml
        # lives there): the ids with no "/" before their first "#" (a file's own name
        # may hold "#", an item's key "/"), found by a scan of the id index, not of
        # every row (6.5 s at 1M articles, against 0.7 s).
        where, params = ("rowid IN (SELECT rowid FROM {table} WHERE instr(id, '/') = 0"
                         " OR (instr(id, '#') > 0 AND instr(id, '/') > instr(id, '#')))"), ()
    racy = f"checked_ns - max(mtime_ns, ctime_ns) < {RACY_WINDOW_NS}"
    found: dict[str, tuple[int, ...]] = {}
    for table in ("articles", "problems"):
        sql = f"SELECT path, size, mtime_ns, ctime_ns, inode, {racy} FROM {table} WHERE {where.format(table=table)}"
        for path, *st in conn.execute(sql, params):
            path = _fs(path)
            if os.path.dirname(path) == dirpath:
                found[path] = tuple(st)
    return found


def _new_dirs(top: str, rel: str, checked_ns: int) -> list[tuple[str, str, int, int, int, int]]:
    """The stat of ``top`` (a new folder) and of every folder under it, each taken
    before it is listed, with the loader's rules (hidden and ignored names, no links)."""
    out = []
    stack = [(top, rel)]
    while stack:
        path, r = stack.pop()
        try:
            st = os.lstat(path)
            out.append((r, path, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, checked_ns))
            with os.scandir(path) as it:
                for e in it:
                    if e.is_dir(follow_symlinks=False) and _candidate(e.name, True):
                        stack.append((e.path, r + e.name + "/"))
        except OSError:
            continue
    return out


def _cache_files(path: Path) -> tuple[str, int]:
    """The stat of the cache's files (the database, its WAL when it holds anything,
    its full-text shards), one line each, in a fixed order ("" when one cannot be
    stat'ed), and the newest mtime or ctime among them."""
    lines = []
    newest = 0
    folder, name = os.path.split(path)
    try:
        with os.scandir(folder) as it:
            entries = sorted((e.name, e.stat(follow_symlinks=False)) for e in it
                             if e.name in (name, name + "-wal") or e.name.startswith(name + ".fts"))
    except OSError:
        return "", 0
    for entry, st in entries:
        if entry.endswith("-wal") and st.st_size == 0:
            continue  # an empty WAL holds nothing: as if absent
        lines.append(f"{entry} {st.st_size} {st.st_mtime_ns} {st.st_ctime_ns} {st.st_ino}")
        newest = max(newest, st.st_mtime_ns, st.st_ctime_ns)
    return "\n".join(lines), newest


def _validate(conn: sqlite3.Connection, index: CorpusIndex | IndexRef, now_ns: int) -> None:
    """:func:`briefing.index.store.validate` (raises when the cache cannot be trusted),
    skipped when the cache's files are exactly as they were when it last passed with
    the same parser and folder (a stamp beside the cache, ``<cache>.valid``: their
    size, times and inode, taken before that validation). The validation's probe of
    the full text (counts of every row and searches for three titles) grows with the
    corpus: ~15 ms at 100k articles, ~100 ms at a million, on every command.

    A stamp is written only when no file was changed within :data:`RACY_WINDOW_NS` of
    the moment its stat was taken (a write in the same timestamp tick could leave the
    stat equal); a cache being written is validated every time."""
    stamp = Path(f"{index.path}.valid")
    before, newest_ns = _cache_files(index.path)
    expected = f"{index._fingerprint}\n{os.fspath(index.root)}\n{before}"
    if before:
        try:
            if stamp.read_text(encoding="utf-8", errors="surrogateescape") == expected:
                return
        except OSError:
            pass
    store.validate(conn, str(index.root), index._fingerprint)
    if before and now_ns - newest_ns >= RACY_WINDOW_NS:
        from briefing.durable import atomic_write

        with contextlib.suppress(OSError):  # (a hint: without it the next command validates)
            atomic_write(stamp, expected.encode("utf-8", "surrogateescape"), sync_dir=False, fsync=False)


def quick_refresh(index: CorpusIndex | IndexRef, *, at_ns: int | None = None, lock_timeout: float = math.inf) -> QuickCheck | None:
    """Bring the cache of ``index`` up to date without a full walk (see the module
    docstring for exactly what is noticed); None when the caller must run
    ``index.refresh()``. ``at_ns``: when the command started (default now)."""
    started = time.perf_counter()
    now_ns = time.time_ns() if at_ns is None else at_ns
    root = os.fspath(index.root)
    if not index.path.exists() or not os.path.isdir(root):
        return None
    if fresh.is_fresh(index.root, now_ns):
        return QuickCheck("watcher", seconds=time.perf_counter() - started)
    try:
        conn = store.connect(index.path, create=False)
    except sqlite3.Error:
        return None
    check = QuickCheck("folders")
    paths: set[str] = set()
    record: list[tuple[str, str, int, int, int, int]] = []  # folder rows to store after the update
    gone_dirs: list[str] = []
    restamp: list[str] = []  # recent files handed to apply_paths: their row is stored again after it
    try:
        try:
            _validate(conn, index, now_ns)
            dirs = [(_fs(r), _fs(p), m, c, i, k) for r, p, m, c, i, k in
                    conn.execute("SELECT rel, path, mtime_ns, ctime_ns, inode, checked_ns FROM dirs")]
            recent = [(_fs(p), tuple(rest)) for p, *rest in
                      conn.execute("SELECT path, size, mtime_ns, ctime_ns, inode, checked_ns FROM recent")]
        except (sqlite3.DatabaseError, store.CacheInvalid):
            return None
        if not dirs:
            return None
        known = {rel for rel, *_rest in dirs}
        for rel, path, mtime, ctime, inode, checked in dirs:
            check.folders += 1
            try:
                st = os.lstat(path)
            except FileNotFoundError:
                st = None
            except OSError:
                return None
            if st is None or not stat_mod.S_ISDIR(st.st_mode):
                if not rel:
                    return None  # the corpus folder itself: a full refresh decides
                paths.add(path)  # gone (or replaced by a file): apply_paths drops what was under it
                gone_dirs.append(rel)
                continue
            same = (st.st_mtime_ns, st.st_ctime_ns, st.st_ino) == (mtime, ctime, inode)
            # Racy: stat'ed within the window of its own mtime, a later change in the same
            # timestamp tick would leave it equal. (Adding, removing or renaming moves the
            # mtime; a ctime alone moves with chmod or utime, and is compared above.)
            if same and checked - mtime >= RACY_WINDOW_NS:
                continue
            record.append((rel, path, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, now_ns))
            check.listed.append(rel)
            try:
                with os.scandir(path) as it:
                    entries = [(e.name, e.path, e.is_dir(follow_symlinks=False)) for e in it]
            except OSError:
                return None
            now = set()
            for name, epath, is_dir in entries:
                if not _candidate(name, is_dir):
                    continue
                if is_dir:
                    sub = rel + name + "/"
                    if sub not in known:
                        paths.add(epath)  # a new folder: walked whole by apply_paths
                        record.extend(_new_dirs(epath, sub, now_ns))
                    continue
                now.add(epath)
            stored = _stored_children(conn, rel, path)
            paths.update(now ^ stored.keys())  # appeared, or vanished (renames are both)
            for epath in now & stored.keys():  # a name kept: replaced by a rename (an editor's save)?
                size, mtime, ctime, inode, racy = stored[epath]
                try:
                    st = os.lstat(epath)
                except OSError:
                    paths.add(epath)
                    continue
                if racy or (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino) != (size, mtime, ctime, inode):
                    paths.add(epath)
        check.recent = len(recent)
        for path, (size, mtime, ctime, inode, checked) in recent:
            try:
                st = os.lstat(path)
            except OSError:
                paths.add(path)  # gone: its folder changed too; apply_paths drops its rows
                restamp.append(path)
                continue
            if ((st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino) != (size, mtime, ctime, inode)
                    or checked - max(mtime, ctime) < RACY_WINDOW_NS):
                paths.add(path)  # changed, or racy: apply_paths compares it with its row (hashing if racy)
                restamp.append(path)
    finally:
        conn.close()
    check.paths = len(paths)
    read_ns = time.time_ns()  # before apply_paths reads a file: the recent rows' check time
    if paths:
        from briefing.index.incremental import IndexUnavailable, apply_paths  # the parsers: only now

        try:
            check.update = apply_paths(index, sorted(paths), lock_timeout=lock_timeout)
        except IndexUnavailable:
            return None
    if (record or gone_dirs or restamp
            or (check.update is not None and (check.update.added or check.update.changed or check.update.renamed))):
        _remember(index, record, gone_dirs, check.update, lock_timeout, read_ns, restamp)
    check.seconds = time.perf_counter() - started
    return check


def _remember(index: CorpusIndex | IndexRef, record: list[tuple[str, str, int, int, int, int]], gone_dirs: list[str],
              update: PathsUpdate | None, lock_timeout: float, read_ns: int, restamp: Sequence[str] = ()) -> None:
    """Store the folders listed again (their stat from before the listing), drop the
    vanished ones, and add the files just (re)indexed to the recent ones.

    ``restamp``: recent files that did not match their row (a new stat with the same
    bytes: chmod, touch, a copy; or racy; or gone), which ``apply_paths`` has just
    compared with the index: their row takes the stat they have now (a vanished one
    is dropped), else every later check would hand them to ``apply_paths`` again
    (1,000 files and the parsers' imports: 70 ms per command at 100k) until the next
    full refresh.

    ``read_ns``: the time before ``apply_paths`` read the files, stored as each recent
    row's check time: a change made since then (however long ``apply_paths`` took)
    has a newer mtime or ctime, so the row is racy and the next check compares the
    file again."""
    from briefing.index.refresh import RECENT_FILES

    fresh_files: list[tuple[Any, ...]] = []
    gone_files: list[tuple[str | bytes]] = []
    metas = [] if update is None else [*update.added, *update.changed, *(m for _old, m in update.renamed)]
    for path in dict.fromkeys([*(os.fspath(m.path) for m in metas), *restamp]):
        try:
            st = os.lstat(path)
        except OSError:
            gone_files.append((store.path_value(path),))
            continue
        fresh_files.append((store.path_value(path), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, read_ns))
    with locked(Path(f"{index.path}.lock"), timeout=lock_timeout):
        conn = store.connect(index.path, create=False)
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                for rel in gone_dirs:
                    conn.execute("DELETE FROM dirs WHERE rel >= ? AND rel < ?", (store.path_value(rel), store.path_value(rel[:-1] + "0")))
                conn.executemany(
                    "INSERT OR REPLACE INTO dirs(rel, path, mtime_ns, ctime_ns, inode, checked_ns) VALUES (?,?,?,?,?,?)",
                    [(store.path_value(r), store.path_value(p), m, c, i, k) for r, p, m, c, i, k in record],
                )
                conn.executemany("DELETE FROM recent WHERE path = ?", gone_files)
                if fresh_files:
                    conn.executemany("INSERT OR REPLACE INTO recent(path, size, mtime_ns, ctime_ns, inode, checked_ns)"
                                     " VALUES (?,?,?,?,?,?)", fresh_files)
                    conn.execute("DELETE FROM recent WHERE path NOT IN"
                                 " (SELECT path FROM recent ORDER BY mtime_ns DESC LIMIT ?)", (RECENT_FILES,))
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        finally:
            conn.close()
