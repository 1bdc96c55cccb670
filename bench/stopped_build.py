#!/usr/bin/env python3
"""A large folder's first build stopped by quitting the reader, then the next open
(issue 20): where the rest of the build runs, and what it costs the reader. Prints a table.

    python bench/stopped_build.py --corpus /tmp/corpus100k --stop-after 4 --tree /tmp/base --tree .

For each ``--tree`` (a source tree of briefing, first on PYTHONPATH), with an empty
cache folder of its own: a child process runs the reader's loader
(``briefing.tui.loading.load_with_index``, what the reader's loading worker runs)
and stops it after ``--stop-after`` seconds, as ``q`` does; a second child runs the
loader again to the end, as the next open does. For each: the seconds taken, the
loader process's peak RSS (``ru_maxrss``) and the peak RSS of the processes it
waited for (the child build and its workers, ``RUSAGE_CHILDREN``), whether the
cache folder holds a mark of an unfinished build afterwards, and the articles
listed at the end. The machine is shared: the load average is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def child(corpus: Path, stop_after: float | None) -> dict[str, object]:
    from briefing.tui.loading import load_with_index

    started = time.monotonic()

    def should_stop() -> bool:
        return stop_after is not None and time.monotonic() - started > stop_after

    loaded = load_with_index(corpus, lambda message: None, should_stop)
    seconds = time.monotonic() - started
    listed = 0
    if loaded is not None:
        listed = len(loaded.corpus.articles)
        if loaded.watcher is not None:
            loaded.watcher.stop()
    cache = Path(os.environ["BRIEFING_CACHE_DIR"])
    return {
        "s": seconds,
        "loader peak MB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "children peak MB": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "mark": any(cache.rglob("*.unfinished")),
        "listed": listed,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", required=True, type=Path)
    parser.add_argument("--stop-after", type=float, default=4.0)
    parser.add_argument("--tree", action="append", type=Path)
    parser.add_argument("--child", choices=("stop", "reopen"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.corpus, args.stop_after if args.child == "stop" else None)))
        return
    trees = args.tree or [Path(__file__).resolve().parent.parent]
    print("tree | step | s | loader peak MB | children peak MB | mark left | listed")
    print("---|---|---|---|---|---|---")
    with tempfile.TemporaryDirectory() as tmp:
        for n, tree in enumerate(trees):
            env = {**os.environ, "PYTHONPATH": str(tree.resolve())}
            for name in ("CONFIG", "DATA", "CACHE", "STATE"):
                env[f"BRIEFING_{name}_DIR"] = str(Path(tmp) / f"{n}-{name.lower()}")
            for step in ("stop", "reopen"):
                done = subprocess.run([sys.executable, __file__, "--child", step, "--corpus", str(args.corpus),
                                       "--stop-after", str(args.stop_after)],
                                      env=env, cwd=tree, check=True, capture_output=True, text=True)
                r = json.loads(done.stdout.strip().splitlines()[-1])
                print(f"{tree} | {step} | {r['s']:.1f} | {r['loader peak MB']:.0f} | {r['children peak MB']:.0f} | "
                      f"{'yes' if r['mark'] else 'no'} | {r['listed']:,}", flush=True)
    print(f"load average {os.getloadavg()[0]:.1f}; {args.corpus}, stopped after {args.stop_after:g} s")


if __name__ == "__main__":
    main()
