"""Walk the corpus folder and stat every article file (no file is opened)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

from briefing.corpus.discover import discover
from briefing.corpus.problems import LoadProblem
from briefing.index.extract import FileStat


@dataclass
class Scan:
    """The folder as it is now: ``files[id] = (path, stat)`` and walk problems."""

    files: dict[str, tuple[str, FileStat]] = field(default_factory=dict)
    problems: list[LoadProblem] = field(default_factory=list)


def scan(root: str, report: Callable[[LoadProblem], None] | None = None) -> Scan:
    """Discover article files with the corpus rules and stat each one."""
    result = Scan()

    def on_problem(problem: LoadProblem) -> None:
        result.problems.append(problem)
        if report is not None:
            report(problem)

    for id, path, _kind in discover(root, on_problem):
        try:
            st = os.stat(path, follow_symlinks=False)
        except OSError as err:
            on_problem(LoadProblem(id, f"cannot be examined ({(err.strerror or type(err).__name__).lower()}); skipped"))
            continue
        result.files[id] = (path, FileStat(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
    return result
