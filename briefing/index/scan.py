"""Walk the corpus folder and stat every article file (no file is opened)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from briefing.corpus.discover import DirStat, discover, discover_stat
from briefing.corpus.problems import LoadProblem
from briefing.index.extract import stat_of


@dataclass
class Scan:
    """The folder as it is now: ``files[id] = (path, stat)`` and walk problems.

    ``stat`` is a plain ``(size, mtime_ns, ctime_ns, inode)`` tuple (it compares
    equal to a :class:`~briefing.index.extract.FileStat` with the same values;
    plain tuples are several times cheaper to make for 100k files)."""

    files: dict[str, tuple[str, tuple[int, int, int, int] | None]] = field(default_factory=dict)
    problems: list[LoadProblem] = field(default_factory=list)
    dirs: list[DirStat] = field(default_factory=list)  # every folder walked, stat'ed before it was listed


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
    result.files = {id: (path, stat_of(st)) for id, path, _kind, st in discover_stat(root, on_problem, dirs=result.dirs)}
    return result
