"""Bring the cache in line with a few named paths, without walking the folder.

The folder watcher (:mod:`briefing.watch`) knows which paths changed; a full
refresh (:mod:`briefing.index.refresh`) would stat all 100k files to find them
again. :func:`apply_paths` looks at the named paths only:

- a file is stat'ed (``lstat``: links are never followed, as the loader does) and
  compared with its row exactly as a refresh compares it (size, mtime_ns,
  ctime_ns, inode; racy timestamps and same-size changes are settled by the hash
  of the bytes); a new or changed file is parsed, in worker processes when there
  are many (a burst of 1,000 files);
- a path that no longer exists drops its row, and the rows of every file under it
  (it may have been a folder);
- a folder (added, or renamed into place: its files send no events of their own)
  is walked with the loader's rules, and rows under it that it no longer holds are
  dropped;
- a file that vanishes between its stat and its read is taken as removed, never
  as a problem;
- a new file whose body equals that of a file removed in the same call takes over
  its row (a rename), as in a refresh.

The corpus loader's rules decide what is an article (hidden names, swap and lock
files, ``annotations.yaml``, extensions); paths outside the corpus folder are left
alone. Changes are committed batch by batch under the cache's writer lock; the
stored walk digest is dropped, so the next full refresh compares file by file.
"""

from __future__ import annotations

import math
import os
import stat as stat_mod
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.corpus.discover import (
    discover_stat,
    error_reason,
    is_ignored,
    kind_of,
)
from briefing.corpus.items import CONTAINER_KINDS
from briefing.corpus.problems import LoadProblem
from briefing.durable import locked
from briefing.ids import article_id
from briefing.index import store
from briefing.index.compare import RACY, ROWID, STAT, fingerprints
from briefing.index.extract import FileStat, Parsed, hash_file, meta_from_row, stat_of
from briefing.index.refresh import RACY_WINDOW_NS, Refresher
from briefing.index.rows import ArticleRows
from briefing.model import ArticleMeta

if TYPE_CHECKING:
    from briefing.index.indexed import CorpusIndex, IndexedCorpus
    from briefing.index.quick import IndexRef

_CHUNK = 500  # ids per IN (...) query (SQLite's variable limit is far above)


class IndexUnavailable(Exception):
    """The cache cannot be updated in place (missing, damaged, from another version, or
    the corpus folder itself is gone): run a full refresh instead."""


@dataclass
class PathsUpdate:
    """What :func:`apply_paths` changed, for a list that updates its rows in place."""

    added: list[ArticleMeta] = field(default_factory=list)  # new articles (ids not listed before)
    changed: list[ArticleMeta] = field(default_factory=list)  # same id, new metadata (title, date...)
    removed: list[str] = field(default_factory=list)  # ids to drop from the list (gone or now unreadable)
    renamed: list[tuple[str, ArticleMeta]] = field(default_factory=list)  # (old id, the article under its new id)
    problems: list[LoadProblem] = field(default_factory=list)  # files refused now (parse or walk problems)
    cleared: list[str] = field(default_factory=list)  # ids of stored problems that are gone or readable now
    unchanged: int = 0  # named files whose bytes had not changed
    seconds: float = 0.0

    @property
    def empty(self) -> bool:
        """Nothing for the list to do."""
        return not (self.added or self.changed or self.removed or self.renamed or self.problems or self.cleared)

    def ids(self) -> set[str]:
        """Every article id this update touches (old and new ids of renames)."""
        found = {m.id for m in self.added} | {m.id for m in self.changed} | set(self.removed)
        for old, meta in self.renamed:
            found.update((old, meta.id))
        return found


def _rel(root_real: str, path: str) -> str | None:
    """``path`` relative to the corpus folder ("/"-separated), or None when outside it
    (or the folder itself)."""
    path = os.path.abspath(path)
    prefix = root_real.rstrip(os.sep) + os.sep
    if not path.startswith(prefix):
        return None
    rel = path[len(prefix):]
    return rel.replace(os.sep, "/") if rel else None


def _ignored(rel: str) -> bool:
    """Ignored by the loader: any part of the path hidden, swap, backup, lock or
    annotations (the loader never descends into an ignored folder)."""
    return any(is_ignored(part) for part in rel.split("/"))


# A stored row as Refresher._stored gives it: (rowid, or None for a problem, size,
# mtime_ns, ctime_ns, inode, racy as 0 or 1).
_Row = tuple[int | None, ...]


def _prefix_range(rel: str) -> tuple[str, str]:
    """Ids under the folder ``rel``: ``lo <= id < hi`` (``0`` follows ``/``)."""
    prefix = article_id(rel) + "/"
    return prefix, prefix[:-1] + "0"


class _PathRefresher(Refresher):
    """A :class:`Refresher` fed with named paths instead of a walk."""

    def run_paths(self, paths: Iterable[str | os.PathLike[str]]) -> PathsUpdate:
        started = time.perf_counter()
        update = PathsUpdate()
        checked_ns = time.time_ns()
        root_real = os.path.realpath(self.root)
        found: dict[str, tuple[str, tuple[int, int, int, int]]] = {}  # id -> (path, stat) of article files now
        gone_exact: set[str] = set()  # ids whose path is no longer an article file
        gone_prefixes: list[tuple[str, str, set[str]]] = []  # (lo, hi, ids still there) of folders

        root_abs = os.path.abspath(self.root)
        for raw in paths:
            path = os.fsdecode(os.fspath(raw))
            rel = _rel(root_real, path)
            if rel is None and root_abs != root_real:  # named through a linked corpus folder
                rel = _rel(root_abs, path)
            if rel is None or _ignored(rel):
                continue
            path = os.path.join(root_real, rel.replace("/", os.sep))
            id_ = article_id(rel)
            try:
                # A folder on the way that is a link (the loader never follows one) or
                # is gone: nothing is at this path for the loader.
                parent = os.path.dirname(path)
                st = os.lstat(path) if os.path.realpath(parent) == parent else None
            except FileNotFoundError:
                st = None
            except OSError as err:
                update.problems.append(LoadProblem(id_, f"cannot be examined ({error_reason(err)}); skipped"))
                gone_exact.add(id_)
                continue
            if st is None:
                gone_exact.add(id_)
                gone_prefixes.append((*_prefix_range(rel), set()))
            elif stat_mod.S_ISDIR(st.st_mode):
                gone_exact.add(id_)
                kept: set[str] = set()
                def walk_problem(problem: LoadProblem, base: str = article_id(rel) + "/") -> None:
                    update.problems.append(LoadProblem(base + problem.id if problem.id != "." else base[:-1],
                                                       problem.message))

                for _sub_id, file, _kind, fst in discover_stat(path, walk_problem):
                    sub_rel = _rel(root_real, file)
                    if sub_rel is None:
                        continue
                    sub_id = article_id(sub_rel)
                    found[sub_id] = (file, stat_of(fst))
                    kept.add(sub_id)
                gone_prefixes.append((*_prefix_range(rel), kept))
            elif stat_mod.S_ISREG(st.st_mode) and kind_of(os.path.basename(path)):
                found[id_] = (path, stat_of(st))
            else:
                gone_exact.add(id_)
                if kind_of(os.path.basename(path)):
                    why = ("symbolic link; not followed" if stat_mod.S_ISLNK(st.st_mode)
                           else "not a regular file (a pipe, socket or device); skipped")
                    update.problems.append(LoadProblem(id_, why))

        stored, stored_problems = self._stored_for(found.keys() | gone_exact, gone_prefixes)
        file_of = self._file_of
        for lo, hi, kept in gone_prefixes:
            for id_ in list(stored) + list(stored_problems):
                if lo <= id_ < hi and file_of.get(id_, id_) not in kept:
                    gone_exact.add(id_)
        gone_exact -= found.keys()
        for fid in list(gone_exact):  # a many-article file gone: all its rows with it
            gone_exact.update(self._owned.get(fid, ()))

        jobs: list[tuple[str, str, FileStat | None]] = []
        verified: list[tuple[str, str, tuple[int, int, int, int], bool]] = []
        for id_, (path, key) in sorted(found.items(), reverse=True):
            rec = stored.get(id_) or stored_problems.get(id_)
            rep = id_
            if id_ in self._owned:
                found_rec = self._file_rec(id_, stored, stored_problems)
                if found_rec is not None:
                    rep, rec = found_rec
            if rec is not None and rec[STAT] == key:
                if not rec[RACY]:
                    update.unchanged += 1
                    continue
                digest = self._raw_hash(rep, rec[ROWID] is None)
                if digest and hash_file(path) == digest:
                    update.unchanged += 1
                    verified.append((id_, path, FileStat(*key), rec[ROWID] is None))
                    continue
            elif rec is not None and rec[1] == key[0]:
                digest = self._raw_hash(rep, rec[ROWID] is None)
                if digest and hash_file(path) == digest:  # touched, chmod'ed, copied with its times
                    update.unchanged += 1
                    verified.append((id_, path, FileStat(*key), rec[ROWID] is None))
                    continue
            jobs.append((id_, path, None))  # None: the stat comes from the read (fstat)

        vanished = [id_ for id_ in gone_exact if id_ in stored]
        vanished_problems = [id_ for id_ in gone_exact if id_ in stored_problems]
        if not jobs and not vanished and not vanished_problems and not verified:
            update.seconds = time.perf_counter() - started
            return update
        self.conn.execute("DELETE FROM meta WHERE key = 'scan'")  # the walk it describes is gone

        by_fingerprint: dict[str, list[str]] = {}
        for id_, fingerprint in fingerprints(self.conn, vanished).items():
            by_fingerprint.setdefault(fingerprint, []).append(id_)
        claimed: set[str] = set()
        before = len(self.stats.renames)
        lost: list[str] = []
        for batch in self._parse(jobs):
            kept_batch: list[Parsed] = []
            for p in batch:
                if p.stat is None:  # gone between the stat and the read: removed, not a problem
                    lost.append(p.id)
                    continue
                kept_batch.append(p)
            self._apply(kept_batch, stored, stored_problems, by_fingerprint, claimed, checked_ns, False)
            for p in kept_batch:
                if p.row is None:
                    update.problems.append(LoadProblem(p.id, p.problem or "cannot be read"))
                    if p.id in stored:
                        update.removed.append(p.id)
                    continue
                if p.id in stored_problems:
                    update.cleared.append(p.id)
                meta = meta_from_row(p.id, p.path, p.row)
                if p.id in stored:
                    update.changed.append(meta)
                else:
                    update.added.append(meta)
        renames = {new: old for old, new in self.stats.renames[before:]}
        if renames:
            moved = [m for m in update.added if m.id in renames]
            update.added = [m for m in update.added if m.id not in renames]
            update.renamed = [(renames[m.id], m) for m in moved]
        for fid in lost:  # a many-article file gone between the stat and the read
            lost.extend(oid for oid in sorted(self._owned.get(fid, ())) if oid not in lost)
        stale = self._stale()
        lost += [oid for oid in stale if oid not in lost]
        vanished += [id_ for id_ in lost if id_ in stored and id_ not in vanished]
        vanished_problems += [id_ for id_ in lost if id_ in stored_problems and id_ not in vanished_problems]
        self._finish(vanished, vanished_problems, claimed, stored, verified, checked_ns)
        update.removed += [id_ for id_ in vanished if id_ not in claimed]
        update.cleared += vanished_problems
        update.seconds = time.perf_counter() - started
        return update

    def _stored_for(self, ids: Iterable[str],
                    prefixes: list[tuple[str, str, set[str]]]) -> tuple[dict[str, _Row], dict[str, _Row]]:
        """The stored rows (as :meth:`Refresher._stored` gives them) of ``ids`` and of
        every id in the ``prefixes`` ranges."""
        racy = f"checked_ns - max(mtime_ns, ctime_ns) < {RACY_WINDOW_NS}"
        result: list[dict[str, _Row]] = []
        ids = sorted(set(ids))
        for table, rowid in (("articles", "rowid"), ("problems", "NULL")):
            rows: dict[str, _Row] = {}
            sql = f"SELECT id, {rowid}, size, mtime_ns, ctime_ns, inode, {racy} FROM {table}"
            for i in range(0, len(ids), _CHUNK):
                chunk = ids[i : i + _CHUNK]
                marks = ",".join("?" * len(chunk))
                for r in self.conn.execute(f"{sql} WHERE id IN ({marks})", chunk):
                    rows[r[0]] = r[1:]
            for lo, hi, _kept in prefixes:
                for r in self.conn.execute(f"{sql} WHERE id >= ? AND id < ?", (lo, hi)):
                    rows[r[0]] = r[1:]
            for fid in ids:  # the items of many-article files: "<file id>#<key>"
                if kind_of(fid.rsplit("/", 1)[-1]) in CONTAINER_KINDS:
                    for r in self.conn.execute(f"{sql} WHERE id >= ? AND id < ?", (fid + "#", fid + "$")):
                        rows[r[0]] = r[1:]
            result.append(rows)
        owned_ids = [id_ for id_ in list(result[0]) + list(result[1])
                     if "#" in id_ or kind_of(id_.rsplit("/", 1)[-1]) in CONTAINER_KINDS]
        for i in range(0, len(owned_ids), _CHUNK):
            chunk = owned_ids[i : i + _CHUNK]
            marks = ",".join("?" * len(chunk))
            self._note_owned(self.conn.execute(
                f"SELECT id, path FROM articles WHERE id IN ({marks}) UNION ALL SELECT id, path FROM problems WHERE id IN ({marks})",
                chunk + chunk))
        return result[0], result[1]


def apply_paths(index: CorpusIndex | IndexRef, paths: Iterable[str | os.PathLike[str]], *, lock_timeout: float = math.inf,
                workers: int | None = None) -> PathsUpdate:
    """Update the cache of ``index`` (a :class:`~briefing.index.CorpusIndex`) for the
    files and folders at ``paths`` (absolute, or relative to the corpus folder), and
    say what changed for the list. See the module docstring for the rules.

    Waits up to ``lock_timeout`` seconds for the cache's writer lock (a refresh by
    another process holds it); :class:`briefing.durable.LockTimeout` past that, with
    nothing changed. :class:`IndexUnavailable` when the cache cannot be updated in
    place (missing, damaged, from another parser version) or the corpus folder is
    gone: a full refresh is the way then (a vanished folder must not empty the cache).
    """
    root = os.fspath(index.root)
    paths = [p if os.path.isabs(os.fspath(p)) else os.path.join(root, os.fspath(p)) for p in paths]
    if not os.path.isdir(root):
        raise IndexUnavailable(f"the corpus folder {root} is gone")
    if not paths:
        return PathsUpdate()
    index.path.parent.mkdir(parents=True, exist_ok=True)
    with locked(Path(f"{index.path}.lock"), timeout=lock_timeout):
        if not index.path.exists():
            raise IndexUnavailable("no index cache yet")
        conn, _thrown_away = store.open_valid(index.path, root, index._fingerprint)
        if conn is None:
            raise IndexUnavailable("the index cache could not be trusted and was removed")
        try:
            refresher = _PathRefresher(conn, root, workers=index.workers if workers is None else workers)
            return refresher.run_paths(paths)
        finally:
            conn.close()


def update_corpus(corpus: IndexedCorpus, update: PathsUpdate) -> None:
    """Apply ``update`` to an open :class:`~briefing.index.IndexedCorpus` in place:
    its ``articles`` (kept in list order: newest first, undated last, then id) and
    its id lookup (so :meth:`get`, :meth:`article` and search hits know the new ids).
    Problems are updated too. Call it on the thread that owns ``corpus`` (the
    reader's UI thread); it costs one pass over the list (about 30 ms at 100k)."""
    if update.empty:
        return

    fresh = [*update.added, *update.changed, *(meta for _old, meta in update.renamed)]
    drop = set(update.removed) | {old for old, _meta in update.renamed} | {m.id for m in fresh}
    rows = corpus.articles
    if isinstance(rows, ArticleRows):  # read by window from the index: its order read again
        rows.cache.forget(drop)
        rows.reload()
    else:
        _update_list(corpus, fresh, drop)
    touched = {p.id for p in update.problems} | set(update.cleared) | {m.id for m in fresh}
    problems = [p for p in corpus.problems if p.id not in touched]
    problems.extend(update.problems)
    problems.sort(key=lambda p: p.id)
    corpus.problems[:] = problems


def _update_list(corpus: IndexedCorpus, fresh: list[ArticleMeta], drop: set[str]) -> None:
    from briefing.corpus import sort_key

    articles = [m for m in corpus.articles if m.id not in drop]
    articles.extend(sorted(fresh, key=sort_key))
    articles.sort(key=sort_key)  # two sorted runs: merged in one pass
    corpus.articles[:] = articles  # type: ignore[index]  # a list here
    by_id = corpus.by_id
    assert isinstance(by_id, dict)
    for id_ in drop:
        by_id.pop(id_, None)
    for meta in fresh:
        by_id[meta.id] = meta
