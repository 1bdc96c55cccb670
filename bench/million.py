#!/usr/bin/env python3
"""Whole-process times of the commands on a big corpus (issue 20): the commands do
not re-walk the folder, `list` streams.

    python bench/million.py /tmp/corpus100k
    python bench/million.py /tmp/corpus1m --cache /tmp/bench-1m-cache --word obama
    python bench/million.py /tmp/corpus100k /tmp/corpus1m --cache /tmp/c100k --cache /tmp/c1m --stories

Several corpora give one table with a column group each (same run, same load).

Every figure is a fresh ``python -m briefing ...`` process (imports included), the
median of ``--runs`` (3), with its peak RSS (``resource.getrusage`` of the child).
``list --json`` also gives the time to its first row (the first line of output
after ``[``). ``grep -rli WORD`` is the baseline for a search. The cache folder is
reused (``--cache``; ``briefing index`` is run first and its time reported: a first
build when the cache is empty). ``tag`` writes annotations.yaml, so it runs on a
small copy (one folder of the corpus, or ``--tag-corpus``): the corpus is never
annotated in place; its annotations.yaml holds ``--annotations`` entries
(bench/annotations_gen.py: 100,000 by default), the scale of issue 20. The first
``tag`` after that file is written parses it whole (and keeps its index in the
cache): timed apart from the median of the others. ``stats``,
``export --query`` and, with ``--stories``, ``stories --json`` and ``stories`` (once
each: their grouping read back is bench/stories_scale.py's) and ``keywords ID`` are
whole-process commands too. ``--cold`` first drops
the page cache (``/proc/sys/vm/drop_caches``, root only) and times reading every
byte from a cold disk, then from a warm one, then a first build into an empty cache
folder from a cold disk: the ratios of issue 20. The machine's load (1-minute load
average and a fixed CPU check, bench/machine.py) is printed with the table: the
machine is shared, figures taken under load are slower; CPU seconds are beside.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sqlite3
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


def resource_children_cpu() -> float:
    """CPU seconds of every child process waited for so far."""
    import resource

    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


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


def read_every_byte(corpus: Path) -> tuple[float, float]:
    """(seconds, CPU seconds) to read every file of ``corpus`` (a child process)."""
    code = ("import os, sys, resource\nfor d, subs, names in os.walk(sys.argv[1]):\n    subs.sort()\n"
            "    for n in names:\n        open(os.path.join(d, n), 'rb').read()\n"
            "r = resource.getrusage(resource.RUSAGE_SELF); print(r.ru_utime + r.ru_stime)")
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code, str(corpus)], capture_output=True, text=True, check=True)
    return time.perf_counter() - started, float(out.stdout)


def drop_page_cache() -> bool:
    """Empty the page cache (root only); False when refused (a container may refuse)."""
    try:
        subprocess.run(["sync"], check=True)
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def cold_section(corpus: Path, cache: Path, py: list[str], env: dict[str, str]) -> None:
    """Reading every byte cold and warm, and a first build from a cold disk (issue 20's
    ratios): into ``cache`` when it holds no index yet (kept for the commands), else
    into a temporary folder."""
    if not drop_page_cache():
        print("  (--cold: the page cache could not be dropped here; skipped)")
        return
    cold, cold_cpu = read_every_byte(corpus)
    warm, warm_cpu = read_every_byte(corpus)
    keep = not any((cache / "index").glob("*.sqlite"))
    target = cache if keep else Path(tempfile.mkdtemp(prefix="briefing-million-build-"))
    try:
        drop_page_cache()
        load = os.getloadavg()[0]
        mb, cpu, build = rss_timed([*py, "index", "--corpus", str(corpus)], {**env, "BRIEFING_CACHE_DIR": str(target)})
        size = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
    finally:
        if not keep:
            shutil.rmtree(target, ignore_errors=True)
    print(f"  read every byte, cold disk: {cold:.1f} s (CPU {cold_cpu:.1f} s); warm: {warm:.1f} s (CPU {warm_cpu:.1f} s)", flush=True)
    print(f"  first build from a cold disk: {build:.1f} s (CPU of the largest process tree {cpu:.1f} s, peak {mb:.0f} MB;"
          f" load {load:.1f} at start): {build / cold:.2f}x the cold read (goal <= 1.5x), {build / warm:.1f}x the warm"
          f" read (goal <= 15x); cache {size / 1e6:.0f} MB")


def rss_timed(args: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """(peak RSS MB, CPU seconds of it and its children, wall seconds) of one run."""
    started = time.perf_counter()
    mb, cpu = rss(args, env)
    return mb, cpu, time.perf_counter() - started


def write_annotations(root: Path, n: int) -> None:
    """An annotations.yaml of ``n`` realistic entries (bench/annotations_gen.py) in ``root``."""
    if n <= 0:
        return
    sys.path.insert(0, str(ROOT))
    from annotations_gen import make_doc

    from briefing.annotations import yamlio

    (root / "annotations.yaml").write_bytes(yamlio.dumps_bytes(make_doc(n)))


def bench_corpus(corpus: Path, cache: Path, args: argparse.Namespace, py: list[str]) -> dict[str, dict[str, float]]:
    env = {**os.environ, "BRIEFING_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT),
           # compiled once, as an installed package is (this machine's shells set DONTWRITEBYTECODE)
           "PYTHONPYCACHEPREFIX": str(Path(tempfile.gettempdir()) / "briefing-bench-pycache")}
    env.pop("BRIEFING_CORPUS", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    print(f"\n{corpus}: cache {cache}; load average {os.getloadavg()[0]:.2f}; "
          f"cpu check {cpu_check_ms():.0f} ms (about 40 when quiet)")
    if args.cold:
        cold_section(corpus, cache, py, env)
    started = time.perf_counter()
    subprocess.run([*py, "index", "--corpus", str(corpus)], env=env, check=True, stdout=subprocess.DEVNULL)
    print(f"  briefing index (first build when the cache was empty, else a full stat walk): "
          f"{time.perf_counter() - started:.1f} s", flush=True)
    files = [p for p in (cache / "index").glob("*.sqlite*") if p.suffix != ".lock"]
    biggest = max((p for p in files if p.name.endswith(".sqlite")), key=lambda p: p.stat().st_size, default=None)
    if biggest is not None:
        size = sum(p.stat().st_size for p in files if p.name.startswith(biggest.name))
        with contextlib.closing(sqlite3.connect(f"file:{biggest}?mode=ro", uri=True)) as conn:
            count = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        print(f"  index cache on disk: {size / 1e6:.0f} MB, {size / max(1, count):.0f} bytes per article "
              f"(issue 20's table: 1.06 GB / 1M = 1060 bytes)")

    listing = subprocess.run([*py, "list", "--corpus", str(corpus)], env=env, capture_output=True, check=True)
    first_id = listing.stdout.split(b"\t", 1)[0].decode("utf-8", "surrogateescape")
    prefix = first_id.rsplit("/", 1)[-1].split("_", 1)[-1][:8]  # a piece of the hash part: unique, typed by hand

    out: dict[str, dict[str, float]] = {}
    plan: list[tuple[str, list[str], str | None, int]] = [
        ("list --tag none-such (open + quick check)", ["list", "--tag", "none-such-tag"], None, args.runs),
        ("list --json", ["list", "--json"], "[", args.runs),
        ("list (tab-separated, to a pipe)", ["list"], None, args.runs),
        (f"list --search {args.word} --json", ["list", "--search", args.word, "--json"], "[", args.runs),
        (f"list --query '{args.query}'", ["list", "--query", args.query], None, args.runs),
        (f"list --query 'title:{args.word}'", ["list", "--query", f"title:{args.word}"], None, args.runs),
        ("show ID", ["show", first_id], None, args.runs),
        ("show PREFIX (8 characters of an id)", ["show", prefix], None, args.runs),
        ("export --format json --all --since 7d", ["export", "--format", "json", "--all", "--since", "7d"], None, args.runs),
        (f"export --query {args.word} (annotated only)", ["export", "--query", args.word], None, args.runs),
        ("stats --json", ["stats", "--json"], None, args.runs),
        (f"stats --by source --query {args.word} --json", ["stats", "--by", "source", "--query", args.word, "--json"], None, args.runs),
    ]
    if args.stories:
        plan.append(("stories --json (once)", ["stories", "--json"], None, 1))
        plan.append(("stories, text to a pipe (once)", ["stories"], None, 1))
        plan.append(("keywords ID (its keywords and suggested tags)", ["keywords", first_id], None, args.runs))
    for label, cmd, first_after, runs in plan:
        out[label] = r = median_of(runs, [*py, *cmd, "--corpus", str(corpus)], env, first_after)
        print(f"  {label}: {r['s']:.2f} s, CPU {r['cpu']:.2f} s, first row {r['first']:.2f} s, {r['mb']:.0f} MB, "
              f"{int(r['lines'])} lines; load {os.getloadavg()[0]:.1f}", flush=True)

    # tag: on a small copy (the corpus is never annotated in place), with --annotations entries
    tag_root = args.tag_corpus
    made = None
    if tag_root is None:
        made = Path(tempfile.mkdtemp(prefix="briefing-tag-"))
        tag_root = made / "corpus"
        folder = Path(first_id and str(corpus / first_id)).parent
        shutil.copytree(folder, tag_root)
        write_annotations(tag_root, args.annotations)
        subprocess.run([*py, "index", "--corpus", str(tag_root)], env=env, check=True, stdout=subprocess.DEVNULL)
    one = next(p for p in sorted(tag_root.rglob("*.txt"))).relative_to(tag_root).as_posix()
    # The first command after annotations.yaml was written by another program (here the
    # generator; for a team, a git pull) parses it whole and keeps its index in the cache;
    # the next ones read that index. Timed apart: the median of the runs is the usual case.
    first = f"tag ID, the first after annotations.yaml was written elsewhere ({args.annotations:,} entries: a whole parse)"
    started = time.perf_counter()
    cpu_before = resource_children_cpu()
    subprocess.run([*py, "tag", one, "bench-first", "--corpus", str(tag_root)], env=env, check=True, stdout=subprocess.DEVNULL)
    out[first] = {"s": time.perf_counter() - started, "cpu": resource_children_cpu() - cpu_before,
                  "first": float("nan"), "mb": float("nan"), "lines": 1}
    print(f"  {first}: {out[first]['s']:.2f} s, CPU {out[first]['cpu']:.2f} s", flush=True)
    label = f"tag ID bench (a copy of one folder, {args.annotations:,} annotation entries; its index cached)"
    out[label] = r = median_of(args.runs, [*py, "tag", one, "bench", "--corpus", str(tag_root)], env)
    print(f"  {label}: {r['s']:.2f} s, CPU {r['cpu']:.2f} s, {r['mb']:.0f} MB", flush=True)
    if made is not None:
        shutil.rmtree(made, ignore_errors=True)

    grep_s, grep_n = grep_time(args.word, corpus, args.runs)
    out[f"grep -rli {args.word}"] = {"s": grep_s, "lines": grep_n, "cpu": float("nan"), "first": float("nan"), "mb": float("nan")}
    search = out[f"list --search {args.word} --json"]
    print(f"  search vs grep: {grep_s / search['s']:.1f}x faster (goal >= 10x); load average now {os.getloadavg()[0]:.2f}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, nargs="+")
    parser.add_argument("--cache", type=Path, action="append", default=None,
                        help="BRIEFING_CACHE_DIR to (re)use, one per corpus in order (default: a temp folder)")
    parser.add_argument("--word", default="obama")
    parser.add_argument("--query", default='"white house" -obama', help="a --query for list (phrase and exclusion)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--annotations", type=int, default=100_000, help="entries in the tag copy's annotations.yaml")
    parser.add_argument("--stories", action="store_true", help="also `stories --json` (once; slow on a big corpus)")
    parser.add_argument("--cold", action="store_true", help="drop the page cache; cold and warm read, cold build")
    parser.add_argument("--tag-corpus", type=Path, default=None,
                        help="a small copy to run `tag` on (default: a temp copy of one folder of the corpus)")
    args = parser.parse_args()

    py = [sys.executable, "-m", "briefing"]
    caches = list(args.cache or [])
    results: list[tuple[str, dict[str, dict[str, float]]]] = []
    for k, corpus in enumerate(args.corpus):
        cache = caches[k] if k < len(caches) else Path(tempfile.mkdtemp(prefix="briefing-million-"))
        results.append((corpus.name, bench_corpus(corpus.resolve(), cache, args, py)))

    names = [name for name, _ in results]
    print(f"\n| command (whole process, median of {args.runs}) | " + " | ".join(
        f"{n} s | {n} CPU s | {n} first row s | {n} peak MB | {n} lines" for n in names) + " |")
    print("|---|" + "---|---|---|---|---|" * len(names))
    labels = list(dict.fromkeys(label for _, r in results for label in r))

    def cell(value: float, fmt: str) -> str:
        return "" if value != value else format(value, fmt)  # NaN: not measured

    for label in labels:
        cells = []
        for _, r in results:
            row = r.get(label)
            if row is None:
                cells.append(" | | | | ")
                continue
            cells.append(f"{cell(row['s'], '.2f')} | {cell(row['cpu'], '.2f')} | {cell(row['first'], '.2f')} | "
                         f"{cell(row['mb'], '.0f')} | {int(row['lines'])}")
        print(f"| {label} | " + " | ".join(cells) + " |")
    print(f"\nload average at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
