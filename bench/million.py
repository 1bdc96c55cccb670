#!/usr/bin/env python3
"""Whole-process times of the commands on a big corpus (issue 20): the commands do
not re-walk the folder, `list` streams.

    python bench/million.py /tmp/corpus100k
    python bench/million.py /tmp/corpus1m --cache /tmp/bench-1m-cache --word obama

Every figure is a fresh ``python -m briefing ...`` process (imports included), the
median of ``--runs`` (3), with its peak RSS (``resource.getrusage`` of the child).
``list --json`` also gives the time to its first row (the first line of output
after ``[``). ``grep -rli WORD`` is the baseline for a search. The cache folder is
reused (``--cache``; ``briefing index`` is run first and its time reported: a first
build when the cache is empty). ``tag`` writes annotations.yaml, so it runs on a
small copy (one folder of the corpus, or ``--tag-corpus``): the corpus is never
annotated in place. The machine's load (1-minute
load average and a fixed CPU check, bench/machine.py) is printed with the table:
the machine is shared, figures taken under load are slower.
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

from machine import cpu_check_ms

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def run(args: list[str], env: dict[str, str], first_line_after: str | None = None) -> tuple[float, float | None, int]:
    """(seconds, seconds to the first row or None, lines of output) of one process."""
    started = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    first: float | None = None
    lines = 0
    assert proc.stdout is not None
    for line in proc.stdout:
        lines += 1
        if first is None and (first_line_after is None or line.strip() not in (first_line_after.encode(), b"")):
            first = time.perf_counter() - started
    proc.wait()
    return time.perf_counter() - started, first, lines


def rss(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(peak RSS in MB, CPU seconds) of ``args`` alone, through a helper that runs it
    and reports its own RUSAGE_CHILDREN (a fresh process, so the figures are this
    command's; CPU time is what a quiet machine would take, about, when wall time is
    inflated by other tenants' load)."""
    code = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, "
            "stderr=subprocess.DEVNULL); r = resource.getrusage(resource.RUSAGE_CHILDREN); "
            "print(r.ru_maxrss, r.ru_utime + r.ru_stime)")
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, check=True)
    kb, cpu = out.stdout.split()
    return int(kb) / 1024, float(cpu)


def median_of(runs: int, args: list[str], env: dict[str, str], first_after: str | None = None) -> dict[str, float]:
    times, firsts, lines = [], [], 0
    for _ in range(runs):
        t, f, lines = run(args, env, first_after)
        times.append(t)
        if f is not None:
            firsts.append(f)
    mb, cpu = rss(args, env)
    return {"s": statistics.median(times), "first": statistics.median(firsts) if firsts else float("nan"),
            "mb": mb, "cpu": cpu, "lines": lines}


def grep_time(word: str, corpus: Path, runs: int) -> tuple[float, int]:
    times, count = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        out = subprocess.run(["grep", "-rli", "--exclude=annotations.yaml*", word, str(corpus)], capture_output=True)
        times.append(time.perf_counter() - started)
        count = out.stdout.count(b"\n")
    return statistics.median(times), count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--cache", type=Path, default=None, help="BRIEFING_CACHE_DIR to (re)use (default: a temp folder)")
    parser.add_argument("--word", default="obama")
    parser.add_argument("--query", default='"white house" -obama', help="a --query for list (phrase and exclusion)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tag-corpus", type=Path, default=None,
                        help="a small copy to run `tag` on (default: a temp copy of one folder of the corpus)")
    args = parser.parse_args()

    corpus = args.corpus.resolve()
    cache = args.cache or Path(tempfile.mkdtemp(prefix="briefing-million-"))
    env = {**os.environ, "BRIEFING_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT),
           # compiled once, as an installed package is (this machine's shells set DONTWRITEBYTECODE)
           "PYTHONPYCACHEPREFIX": str(Path(tempfile.gettempdir()) / "briefing-bench-pycache")}
    env.pop("BRIEFING_CORPUS", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    py = [sys.executable, "-m", "briefing"]
    print(f"corpus {corpus}; cache {cache}; load average {os.getloadavg()[0]:.2f}; "
          f"cpu check {cpu_check_ms():.0f} ms (about 40 when quiet)")

    started = time.perf_counter()
    subprocess.run([*py, "index", "--corpus", str(corpus)], env=env, check=True, stdout=subprocess.DEVNULL)
    print(f"briefing index (first build when the cache was empty, else a full stat walk): "
          f"{time.perf_counter() - started:.1f} s")

    listing = subprocess.run([*py, "list", "--corpus", str(corpus)], env=env, capture_output=True, check=True)
    first_id = listing.stdout.split(b"\t", 1)[0].decode("utf-8", "surrogateescape")

    rows: list[tuple[str, dict[str, float]]] = []
    plan: list[tuple[str, list[str], str | None]] = [
        ("list --tag none-such (index unchanged: open + quick check)", ["list", "--tag", "none-such-tag"], None),
        ("list --json", ["list", "--json"], "["),
        ("list (tab-separated, to a pipe)", ["list"], None),
        (f"list --search {args.word} --json", ["list", "--search", args.word, "--json"], "["),
        (f"list --query '{args.query}'", ["list", "--query", args.query], None),
        (f"list --query 'title:{args.word}'", ["list", "--query", f"title:{args.word}"], None),
        ("show ID", ["show", first_id], None),
        ("export --format json --all --since 7d", ["export", "--format", "json", "--all", "--since", "7d"], None),
    ]
    for label, cmd, first_after in plan:
        rows.append((label, median_of(args.runs, [*py, *cmd, "--corpus", str(corpus)], env, first_after)))

    # tag: on a small copy (the corpus is never annotated in place)
    tag_root = args.tag_corpus
    made = None
    if tag_root is None:
        made = Path(tempfile.mkdtemp(prefix="briefing-tag-"))
        tag_root = made / "corpus"
        folder = next(p for p in sorted(corpus.rglob("*")) if p.is_file() and p.suffix == ".txt").parent
        shutil.copytree(folder, tag_root)
        subprocess.run([*py, "index", "--corpus", str(tag_root)], env=env, check=True, stdout=subprocess.DEVNULL)
    one = next(p for p in sorted(tag_root.rglob("*.txt"))).relative_to(tag_root).as_posix()
    rows.append((f"tag ID bench (a copy: {tag_root})", median_of(args.runs, [*py, "tag", one, "bench", "--corpus", str(tag_root)], env)))
    if made is not None:
        shutil.rmtree(made, ignore_errors=True)

    grep_s, grep_n = grep_time(args.word, corpus, args.runs)
    print(f"\n| command (whole process, median of {args.runs}) | s | CPU s | first row s | peak MB | lines out |")
    print("|---|---|---|---|---|---|")
    for label, r in rows:
        print(f"| {label} | {r['s']:.2f} | {r['cpu']:.2f} | {r['first']:.2f} | {r['mb']:.0f} | {int(r['lines'])} |")
    print(f"| grep -rli {args.word} | {grep_s:.2f} | | | | {grep_n} files |")
    search = next(r for label, r in rows if label.startswith(f"list --search {args.word}"))
    print(f"\nsearch vs grep: {grep_s / search['s']:.1f}x faster; load average now {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
