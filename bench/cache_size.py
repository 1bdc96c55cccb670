#!/usr/bin/env python3
"""The index cache on disk per article (issue 20), for one or more source trees: a table.

    python bench/cache_size.py --corpus /tmp/corpus1m [--tree OLD --tree NEW] [--work DIR]

For each tree (default: this one), in a cache folder of its own (under ``--work``,
else a temporary folder; emptied first): ``python -m briefing index --corpus CORPUS``,
then ``python -m briefing stories --json`` (which signs every body and stores the
signatures and the groups in the same cache), each a fresh process with private
config and data folders and that tree first on ``sys.path``. Printed: the cache
folder's bytes after each (every file in it, as ``du -sb`` counts them), per article,
and each command's wall time and peak RSS (the trees run one after the other: on a
shared machine compare sizes, not times).

The issue asks for a cache no larger per article than the code it was filed on
(``6ea7d6f``): run that tree beside this one (``git worktree add /tmp/old 6ea7d6f``).
A corpus with an annotations.yaml of a newer format makes the old code say so and
read it only: neither command writes it.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def folder_bytes(folder: Path) -> int:
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def articles_in(cache: Path) -> int:
    import sqlite3

    best = 0
    for db in (cache / "index").glob("*.sqlite"):
        conn = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
        try:
            best = max(best, conn.execute("SELECT count(*) FROM articles").fetchone()[0])
        finally:
            conn.close()
    return best


def timed(args: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and the child's own peak RSS (MB) of one command."""
    started = time.perf_counter()
    proc = subprocess.Popen(args, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args[1:4])} failed ({proc.returncode}) in {cwd}")
    return time.perf_counter() - started, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", required=True, type=Path)
    parser.add_argument("--tree", action="append", type=Path, default=[], help="source tree (repeatable)")
    parser.add_argument("--work", type=Path, help="folder for the caches (kept), else a temporary one")
    args = parser.parse_args()
    trees = args.tree or [HERE.parent]
    rows = []
    with tempfile.TemporaryDirectory(prefix="cache-size-") as tmp:
        work = args.work or Path(tmp)
        for n, tree in enumerate(trees):
            base = work / f"tree{n}"
            subprocess.run(["rm", "-rf", str(base)], check=True)
            cache = base / "cache"
            for sub in ("cache", "config", "data"):
                (base / sub).mkdir(parents=True)
            env = dict(os.environ, BRIEFING_CACHE_DIR=str(cache), BRIEFING_CONFIG_DIR=str(base / "config"),
                       BRIEFING_DATA_DIR=str(base / "data"), PYTHONPATH=str(tree))
            index_s, index_mb = timed([sys.executable, "-m", "briefing", "index", "--corpus", str(args.corpus)],
                                      env, tree)
            built = folder_bytes(cache)
            count = articles_in(cache)
            stories_s, stories_mb = timed([sys.executable, "-m", "briefing", "stories", "--json", "--corpus",
                                           str(args.corpus)], env, tree)
            signed = folder_bytes(cache)
            rows.append((str(tree), count, built, signed, index_s, index_mb, stories_s, stories_mb))
    print(f"index cache on disk, {args.corpus}")
    print(f"{'tree':<28} {'articles':>10} {'built B/art':>12} {'+stories B/art':>15} "
          f"{'index s / MB':>14} {'stories s / MB':>16}")
    for tree, count, built, signed, index_s, index_mb, stories_s, stories_mb in rows:
        per = max(count, 1)
        print(f"{tree[-28:]:<28} {count:>10,} {built / per:>12,.0f} {signed / per:>15,.0f} "
              f"{index_s:>7.0f} / {index_mb:<5.0f} {stories_s:>8.0f} / {stories_mb:<6.0f}")


if __name__ == "__main__":
    main()
