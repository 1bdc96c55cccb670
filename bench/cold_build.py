#!/usr/bin/env python3
"""A first index build from a cold disk against reading every byte (issue 20's
ratios), for one or more code trees side by side in the same run.

    python bench/cold_build.py /tmp/corpus100k
    python bench/cold_build.py /tmp/corpus100k --tree /work/main --tree . --rounds 3

Each round: drop the page cache and read every byte of the corpus (one process,
one file after another: the cold read), read it all again (the warm read), then
for each tree in turn drop the page cache and run ``briefing index`` from that
tree into an empty cache folder (``PYTHONPATH`` = the tree). Trees alternate
within a round, so a change of the machine's load reaches both. The table gives
the median over the rounds of the build's wall time, its CPU (the process and its
workers), its peak RSS (largest process), and the ratios of the goal (cold build
<= 1.5x the cold read, <= 15x the warm read), each ratio taken within a round.
Dropping the page cache needs root (``/proc/sys/vm/drop_caches``). The 1-minute
load average is printed with every figure: the machine is shared.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

READ = ("import os, sys, resource\nfor d, subs, names in os.walk(sys.argv[1]):\n    subs.sort()\n"
        "    for n in names:\n        open(os.path.join(d, n), 'rb').read()\n")

RUN = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, "
       "stderr=subprocess.DEVNULL, check=True); r = resource.getrusage(resource.RUSAGE_CHILDREN); "
       "print(r.ru_maxrss, r.ru_utime + r.ru_stime)")


def drop_page_cache() -> None:
    subprocess.run(["sync"], check=True)
    Path("/proc/sys/vm/drop_caches").write_text("3\n")


def read_every_byte(corpus: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", READ, str(corpus)], check=True)
    return time.perf_counter() - started


def build(tree: Path, corpus: Path) -> dict[str, float]:
    """One cold build from ``tree`` into a fresh cache folder: wall s, CPU s, peak MB, cache MB."""
    cache = Path(tempfile.mkdtemp(prefix="briefing-cold-build-"))
    env = {**os.environ, "BRIEFING_CACHE_DIR": str(cache), "PYTHONPATH": str(tree)}
    env.pop("BRIEFING_CORPUS", None)
    try:
        drop_page_cache()
        load = os.getloadavg()[0]
        started = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", RUN, sys.executable, "-m", "briefing", "index", "--corpus",
                              str(corpus)], capture_output=True, text=True, env=env, check=True)
        wall = time.perf_counter() - started
        kb, cpu = out.stdout.split()
        size = sum(p.stat().st_size for p in cache.rglob("*") if p.is_file())
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    return {"wall": wall, "cpu": float(cpu), "mb": int(kb) / 1024, "cache_mb": size / 1e6, "load": load}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--tree", type=Path, action="append", default=None,
                        help="a source tree to build with (repeatable; default: this one)")
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    trees = [t.resolve() for t in (args.tree or [HERE.parent])]
    corpus = args.corpus.resolve()
    results: dict[Path, list[dict[str, float]]] = {t: [] for t in trees}
    for round_ in range(args.rounds):
        drop_page_cache()
        cold_load = os.getloadavg()[0]
        cold = read_every_byte(corpus)
        warm = read_every_byte(corpus)
        print(f"round {round_ + 1}: read every byte cold {cold:.1f} s (load {cold_load:.1f}), warm {warm:.1f} s",
              flush=True)
        order = trees if round_ % 2 == 0 else list(reversed(trees))
        for tree in order:
            r = build(tree, corpus)
            r.update(cold=cold, warm=warm, x_cold=r["wall"] / cold, x_warm=r["wall"] / warm)
            results[tree].append(r)
            print(f"  {tree}: build {r['wall']:.1f} s, CPU {r['cpu']:.1f} s, peak {r['mb']:.0f} MB, "
                  f"{r['x_cold']:.2f}x cold, {r['x_warm']:.1f}x warm (load {r['load']:.1f} at start, "
                  f"{os.getloadavg()[0]:.1f} at end)", flush=True)
    print(f"\n{corpus}, median of {args.rounds} round(s)")
    print("| tree | build s | CPU s | peak MB | cache MB | x cold read (goal <= 1.5) | x warm read (goal <= 15) | load at start |")
    print("|---|---|---|---|---|---|---|---|")
    for tree, rs in results.items():
        def med(key: str, rs: list[dict[str, float]] = rs) -> float:
            return statistics.median(r[key] for r in rs)
        print(f"| {tree} | {med('wall'):.1f} | {med('cpu'):.1f} | {med('mb'):.0f} | {med('cache_mb'):.0f} | "
              f"{med('x_cold'):.2f} | {med('x_warm'):.1f} | {med('load'):.1f} |")


if __name__ == "__main__":
    main()
