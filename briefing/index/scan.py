"""Walk the corpus folder and stat every article file (no file is opened)."""

from __future__ import annotations

import hashlib
import heapq
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from briefing.corpus.discover import DirStat, discover, walk_stat
from briefing.corpus.problems import LoadProblem

FileStat4 = tuple[int, int, int, int]  # (size, mtime_ns, ctime_ns, inode)


@dataclass
class Scan:
    """The folder as it is now: ``files[id] = (path, stat)`` and walk problems.
    ``files`` is held only by a cold build's walk (every file is new then); a refresh
    keeps problems and folders here and compares the files through
    :mod:`briefing.index.compare`, without holding them.

    ``stat`` is a plain ``(size, mtime_ns, ctime_ns, inode)`` tuple (it compares
    equal to a :class:`~briefing.index.extract.FileStat` with the same values;
    plain tuples are several times cheaper to make for 100k files)."""

    files: dict[str, tuple[str, FileStat4 | None]] = field(default_factory=dict)
    problems: list[LoadProblem] = field(default_factory=list)
    dirs: list[DirStat] = field(default_factory=list)  # every folder walked, stat'ed before it was listed


class WalkDigest:
    """A digest of a walk, fed one file at a time: every id, path and (size,
    mtime_ns, ctime_ns, inode), in walk order.

    Equal digests mean equal walks (each file is written as its fields separated by
    NUL, which no id or path holds, the text encoded without loss), so a later open
    whose walk has the digest stored by the last complete refresh can skip the
    comparison file by file; a different digest only means the slow, exact path."""

    CHUNK = 2048  # files joined per update of the hash

    def __init__(self) -> None:
        self._hash = hashlib.blake2b(digest_size=16)
        self._parts: list[str] = []
        self.count = 0

    def add(self, id: str, path: str, st: Iterable[int]) -> None:
        size, mtime, ctime, inode = st
        self._parts.append(f"{id}\0{path}\0{size}\0{mtime}\0{ctime}\0{inode}\n")
        self.count += 1
        if len(self._parts) >= self.CHUNK:
            self._flush()

    def _flush(self) -> None:
        self._hash.update("".join(self._parts).encode("utf-8", "surrogatepass"))
        self._parts = []

    def hexdigest(self) -> str:
        self._flush()
        return "w1:" + self._hash.hexdigest()


def scan_digest(files: dict[str, tuple[str, Any]]) -> str:
    """The :class:`WalkDigest` of a walk held whole (``Scan.files``)."""
    digest = WalkDigest()
    for id, (path, st) in files.items():
        digest.add(id, path, st)
    return digest.hexdigest()


def newest(files: Iterable[tuple[str, FileStat4]], count: int) -> list[tuple[int, str, FileStat4]]:
    """The ``count`` files with the newest mtimes, as ``(mtime_ns, path, stat)``."""
    return heapq.nlargest(count, ((st[1], path, st) for path, st in files))


@dataclass
class Glance:
    """A walk that kept no file: its digest, file count, walk problems, folders and
    the newest files (what a refresh that finds nothing changed stores)."""

    digest: str
    files: int
    problems: list[LoadProblem]
    dirs: list[DirStat]
    newest: list[tuple[int, str, FileStat4]]


def glance(root: str, recent: int, each: Callable[[str, str, FileStat4], None] | None = None) -> Glance:
    """Walk ``root`` as :func:`scan` does, keeping only a :class:`Glance`: memory is
    one folder's entries and ``recent`` files, however big the corpus. Problems are
    collected, not reported (the caller reports them if it trusts this walk).
    ``each(id, path, stat)``, when given, is called for every file in walk order
    (the refresh's comparison stores them: briefing.index.compare.WalkTable)."""
    problems: list[LoadProblem] = []
    dirs: list[DirStat] = []
    digest = WalkDigest()
    top: list[tuple[int, str, FileStat4]] = []
    push, pushpop = heapq.heappush, heapq.heappushpop
    for id, path, _kind, st in walk_stat(root, problems.append, dirs=dirs):
        plain = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
        digest.add(id, path, plain)
        if each is not None:
            each(id, path, plain)
        item = (plain[1], path, plain)
        if len(top) < recent:
            push(top, item)
        elif item > top[0]:
            pushpop(top, item)
    top.sort(reverse=True)
    return Glance(digest.hexdigest(), digest.count, problems, dirs, top)


def scan(root: str, report: Callable[[LoadProblem], None] | None = None, *, stat: bool = True) -> Scan:
    """Discover article files with the corpus rules and stat each one (with
    ``stat=False``, list them only: each stat is None, for the caller to fill in)."""
    result = Scan()

    def on_problem(problem: LoadProblem) -> None:
        result.problems.append(problem)
        if report is not None:
            report(problem)

    if not stat:
        result.files = {id: (path, None) for id, path, _kind in discover(root, on_problem, dirs=result.dirs)}
        return result
    # One file's stat result at a time (a list of a million of them was ~1 GB).
    result.files = {id: (path, (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
                    for id, path, _kind, st in walk_stat(root, on_problem, dirs=result.dirs)}
    return result
