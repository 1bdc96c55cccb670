#!/usr/bin/env python3
"""Corpus loading speed: discover, read, decode+parse, open_corpus, at 1k and 10k articles.

    python bench/corpus.py                       # generates 1k and 10k corpora (temp dirs)
    python bench/corpus.py --sizes 1000 100000   # other sizes
    python bench/corpus.py --corpus DIR          # measure an existing folder

Corpora are generated with ../shared/bench/make_corpus.py (override with --generator).
Each figure is the best of --repeat runs, with a warm page cache; "µs/file" is wall time
divided by the number of article files found, "cpu µs/file" the same for process CPU
time (the fairer figure on a busy machine). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from briefing.corpus import open_corpus, parse_bytes, read_bytes  # noqa: E402
from briefing.corpus.discover import discover  # noqa: E402
from briefing.corpus.items import CONTAINER_KINDS  # noqa: E402
from briefing.corpus.load import parse_items  # noqa: E402


def parse_any(id: str, path: str, data: bytes, kind: str) -> object:
    """One file parsed: an article, or the items of a feed / JSON lines / mbox (see bench/formats.py
    for the time per article of each format)."""
    if kind in CONTAINER_KINDS:
        return parse_items(id, path, data, kind)
    return parse_bytes(id, path, data, kind)

DEFAULT_GENERATOR = REPO.parent / "shared" / "bench" / "make_corpus.py"


def best_of(repeat: int, fn) -> tuple[float, float]:
    """Best wall time and best CPU time (process_time) over ``repeat`` runs."""
    wall = cpu = float("inf")
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        fn()
        wall = min(wall, time.perf_counter() - w)
        cpu = min(cpu, time.process_time() - c)
    return wall, cpu


def measure(root: Path, repeat: int) -> list[tuple[str, int, tuple[float, float]]]:
    files = discover(root)
    n = len(files)
    datas = [(i, p, read_bytes(p), k) for i, p, k in files]  # also warms the page cache
    rows = [
        ("discover (walk)", n, best_of(repeat, lambda: discover(root))),
        ("read bytes", n, best_of(repeat, lambda: [read_bytes(p) for _i, p, _k in files])),
        ("decode+parse", n, best_of(repeat, lambda: [parse_any(i, p, d, k) for i, p, d, k in datas])),
        ("read+decode+parse", n, best_of(repeat, lambda: [parse_any(i, p, read_bytes(p), k) for i, p, _d, k in datas])),
        ("open_corpus (all)", n, best_of(repeat, lambda: open_corpus(root))),
    ]
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, help="measure this folder instead of generating corpora")
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--generator", type=Path, default=DEFAULT_GENERATOR)
    args = ap.parse_args()

    targets: list[tuple[str, Path]] = []
    tmp = None
    if args.corpus:
        targets.append((str(args.corpus), args.corpus))
    else:
        tmp = tempfile.TemporaryDirectory(prefix="briefing-bench-")
        for size in args.sizes:
            out = Path(tmp.name) / f"c{size}"
            subprocess.run([sys.executable, str(args.generator), str(out), "--articles", str(size)],
                           check=True, stdout=subprocess.DEVNULL)
            targets.append((f"{size} articles", out))

    print(f"python {sys.version.split()[0]}, best of {args.repeat}, warm cache\n")
    print("| corpus | step | files | wall s | files/s | µs/file | cpu µs/file |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for label, root in targets:
        for step, n, (secs, cpu) in measure(root, args.repeat):
            rate = n / secs if secs else float("inf")
            per = 1e6 / max(n, 1)
            print(f"| {label} | {step} | {n} | {secs:.3f} | {rate:,.0f} | {secs * per:.1f} | {cpu * per:.1f} |")
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
