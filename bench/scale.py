#!/usr/bin/env python3
"""Scale benchmark for the corpus index (issue 7): one table, every figure measured
in the same run, per corpus size.

    python bench/scale.py                      # 1k and 10k
    python bench/scale.py --sizes 1k,10k,100k  # add 100k (slow: builds a 350 MB index)
    python bench/scale.py --sizes 1k,10k,100k --reader   # and the reader's table (bench/reader_scale.py)
    python bench/scale.py --sizes 10k --dir /tmp/corpus10k --out /work/notes/scale_table.txt

Corpora come from ../shared/bench/make_corpus.py (default seed); an existing folder
(``/tmp/corpus<size>`` by default, or ``--dir`` for a single size) is reused. The
corpus is left as found: the "few changed" step modifies five files, adds five and
deletes five, then puts everything back.

Every index figure is measured in a fresh child process (so peak RSS is that of one
open, and a "re-open" is a real new process), with a private cache folder that is
deleted before each cold build (three of them; the median is reported, each one's
time printed). Baselines (read every byte, grep -ril, walk+stat) run first, so every
figure is taken with the files in the page cache.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from machine import cpu_check_ms

HERE = Path(__file__).resolve().parent
MAKE_CORPUS = Path("/work/shared/bench/make_corpus.py")
SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000}
GREP_WORD = "police"
COLD_RUNS = 3  # cold builds per size; the median is reported

# Realistic analyst queries: single words (common and rare), pairs, and prefixes as
# typed (the last word cut short). Searched through the index with limit=50.
QUERIES = [
    "police", "obama", "climate", "football", "hospital", "election", "syria", "isis", "ebola", "hurricane",
    "earthquake", "refugees", "prison", "olympics", "bitcoin", "volcano", "kidnapped", "tornado", "the", "said",
    "president obama", "world cup", "manchester united", "white house", "health care", "prime minister",
    "police officer", "supreme court", "north korea", "human rights", "climate change", "oil price",
    "polic", "elect", "hosp", "manch", "foot", "chel", "ukr", "pres", "terr", "vacc",
    "police sho", "world c", "north kor", "prime min", "real madr", "new yo", "barack oba", "climate cha",
]


# --- child phases (run in a fresh interpreter) ---------------------------------------


def _rss_mb() -> dict:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"rss_mb": own.ru_maxrss / 1024, "worker_rss_mb": kids.ru_maxrss / 1024,
            "cpu_s": own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime,
            "main_cpu_s": own.ru_utime + own.ru_stime, "load_end": os.getloadavg()[0]}


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def child_cold(root: str) -> dict:
    from briefing.index import CorpusIndex

    load_start = os.getloadavg()[0]
    started = time.perf_counter()
    first: list[float] = []

    def on_batch(metas) -> None:
        if not first:
            first.append(time.perf_counter() - started)

    index = CorpusIndex(root)
    stats = index.refresh(on_batch=on_batch)
    corpus = index.snapshot()
    total = time.perf_counter() - started
    return {"build_s": total, "first_batch_s": first[0] if first else None, "articles": len(corpus.articles),
            "problems": len(corpus.problems), "new": stats.new, "load_start": load_start,
            "scan_s": stats.scan_seconds, **_rss_mb()}


def child_cached_list(root: str) -> dict:
    from briefing.index import CorpusIndex

    started = time.perf_counter()
    head = CorpusIndex(root).head(100)
    head_s = time.perf_counter() - started
    started = time.perf_counter()
    corpus = CorpusIndex(root).snapshot()
    return {"head_s": head_s, "cached_list_s": time.perf_counter() - started, "articles": len(corpus.articles),
            "head": len(head)}


def child_warm(root: str) -> dict:
    """A later open with nothing changed, as a reader does it: the cached first
    screen (head), then refresh (walk, stat, compare), then the full list (snapshot)."""
    from briefing.index import CorpusIndex

    load_start = os.getloadavg()[0]
    cpu0 = _cpu()
    started = time.perf_counter()
    index = CorpusIndex(root)
    head = index.head(100)
    head_s = time.perf_counter() - started
    stats = index.refresh()
    refresh_s = time.perf_counter() - started - head_s
    corpus = index.snapshot()
    opened = time.perf_counter() - started
    open_cpu = _cpu() - cpu0
    times, counts = [], []
    for query in QUERIES:
        corpus.search(query, limit=50)  # the same query twice: measure the second (warm SQLite pages)
    for query in QUERIES:
        t = time.perf_counter()
        hits = corpus.search(query, limit=50)
        times.append((time.perf_counter() - t) * 1000)
        counts.append(len(hits))
    return {"reopen_s": opened, "head_s": head_s, "head": len(head), "refresh_s": refresh_s,
            "snapshot_s": opened - head_s - refresh_s, "open_cpu_s": open_cpu, "stats": stats.summary(),
            "search_ms": times, "hits": counts, "load_start": load_start, **_rss_mb()}


def child_search_cold(root: str) -> dict:
    """Each query once, in a new process: no SQLite page cache of our own yet."""
    from briefing.index import open_index

    corpus = open_index(root)
    times = []
    for query in QUERIES:
        t = time.perf_counter()
        corpus.search(query, limit=50)
        times.append((time.perf_counter() - t) * 1000)
    return {"search_ms": times}


def child_changed(root: str) -> dict:
    from briefing.index import open_index

    started = time.perf_counter()
    corpus = open_index(root)
    return {"reopen_s": time.perf_counter() - started, "stats": corpus.stats.summary(),
            "new": corpus.stats.new, "changed": corpus.stats.changed, "deleted": corpus.stats.deleted,
            "unchanged": corpus.stats.unchanged}


CHILDREN = {"cold": child_cold, "cached": child_cached_list, "warm": child_warm, "search_cold": child_search_cold,
            "changed": child_changed}


def run_child(phase: str, root: Path, cache: Path) -> dict:
    env = dict(os.environ, BRIEFING_CACHE_DIR=str(cache))
    out = subprocess.run([sys.executable, __file__, "--child", phase, str(root)], env=env, capture_output=True,
                         text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"child {phase} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- baselines -----------------------------------------------------------------------


def files_of(root: Path) -> list[str]:
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        found.extend(os.path.join(dirpath, f) for f in filenames if not f.startswith("."))
    return found


def read_every_byte(root: Path) -> tuple[float, int, float]:
    """(wall seconds, bytes, CPU seconds of this process)."""
    cpu0 = time.process_time()
    started = time.perf_counter()
    total = 0
    for path in files_of(root):
        with open(path, "rb") as handle:
            total += len(handle.read())
    return time.perf_counter() - started, total, time.process_time() - cpu0


def walk_stat(root: Path) -> float:
    started = time.perf_counter()
    for path in files_of(root):
        os.stat(path)
    return time.perf_counter() - started


def grep_time(root: Path, word: str) -> tuple[float, int]:
    started = time.perf_counter()
    out = subprocess.run(["grep", "-ril", word, str(root)], capture_output=True, text=True, check=False)
    return time.perf_counter() - started, len(out.stdout.splitlines())


def best_of(n: int, fn, *args):
    results = [fn(*args) for _ in range(n)]
    return min(results, key=lambda r: r[0] if isinstance(r, tuple) else r)


# --- the few-files change ------------------------------------------------------------


def change_a_few(root: Path, stash: Path) -> callable:
    """Rewrite 5 files (same words, one appended), add 5, delete 5; return an undo."""
    files = sorted(files_of(root))
    step = max(1, len(files) // 20)
    picked = files[::step]
    modify, delete = picked[:5], picked[5:10]
    saved = {}
    for path in modify:
        st = os.stat(path)
        data = Path(path).read_bytes()
        saved[path] = (data, st.st_atime_ns, st.st_mtime_ns)
        Path(path).write_bytes(data + b"\nAppended for the benchmark.\n")
    moved = []
    for i, path in enumerate(delete):
        target = stash / f"deleted{i}"
        shutil.move(path, target)
        moved.append((target, path))
    added = []
    for i in range(5):
        path = root / f"bench_added_{i}.txt"
        path.write_text(f"Benchmark addition {i}\n\nA short article added by bench/scale.py about police and climate.\n")
        added.append(path)

    def undo() -> None:
        for path, (data, atime, mtime) in saved.items():
            Path(path).write_bytes(data)
            os.utime(path, ns=(atime, mtime))
        for target, path in moved:
            shutil.move(target, path)
        for path in added:
            path.unlink()

    return undo


# --- the table -----------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[k]


def measure(label: str, root: Path) -> dict:
    print(f"[{label}] baselines on {root}", file=sys.stderr)
    load_start = os.getloadavg()[0]
    cpu_check = cpu_check_ms()
    read_s, nbytes, read_cpu = best_of(3, read_every_byte, root)
    grep_s, grep_hits = best_of(3, grep_time, root, GREP_WORD)
    stat_s = best_of(3, walk_stat, root)
    nfiles = len(files_of(root))
    with tempfile.TemporaryDirectory(prefix=f"briefing-scale-{label}-") as tmp:
        cache = Path(tmp) / "cache"
        # The build is the figure that moves most with the machine (another tenant's
        # load shows in its CPU time): built COLD_RUNS times from nothing, the median
        # run is the one reported, every run's time is printed.
        builds = []
        for run in range(COLD_RUNS):
            print(f"[{label}] cold build {run + 1}/{COLD_RUNS}", file=sys.stderr)
            shutil.rmtree(cache, ignore_errors=True)
            builds.append(run_child("cold", root, cache))
        cold = sorted(builds, key=lambda b: b["build_s"])[len(builds) // 2]
        cold["runs_s"] = [b["build_s"] for b in builds]
        cache_mb = sum(p.stat().st_size for p in (cache / "index").glob("*.sqlite*")) / 1e6
        print(f"[{label}] re-opens and searches", file=sys.stderr)
        cached = run_child("cached", root, cache)
        warm = run_child("warm", root, cache)
        search_cold = run_child("search_cold", root, cache)
        stash = Path(tmp) / "stash"
        stash.mkdir()
        undo = change_a_few(root, stash)
        try:
            changed = run_child("changed", root, cache)
        finally:
            undo()
        restored = run_child("changed", root, cache)
    return {
        "label": label, "files": nfiles, "mb": nbytes / 1e6, "read_s": read_s, "read_cpu": read_cpu,
        "cpu_check_ms": cpu_check, "cpu_check_end_ms": cpu_check_ms(),
        "load_start": load_start, "grep_s": grep_s,
        "grep_hits": grep_hits, "stat_s": stat_s, "cold": cold, "cache_mb": cache_mb, "cached": cached,
        "warm": warm, "search_cold": search_cold, "changed": changed, "restored": restored,
    }


def table(results: list[dict]) -> str:
    def row(name: str, fn) -> str:
        cells = []
        for r in results:
            try:
                cells.append(fn(r))
            except (KeyError, TypeError, ZeroDivisionError):
                cells.append("-")
        return f"{name:<46}" + "".join(f"{c:>16}" for c in cells)

    ms = lambda s: f"{s * 1000:.0f} ms"  # noqa: E731
    sec = lambda s: f"{s:.2f} s"  # noqa: E731
    lines = [
        row("corpus", lambda r: r["label"]),
        row("article files", lambda r: f"{r['files']}"),
        row("bytes on disk (file contents)", lambda r: f"{r['mb']:.0f} MB"),
        row("load avg (1 min) at start of this size", lambda r: f"{r['load_start']:.1f}"),
        row("CPU check, start / end of this size (ms)", lambda r: f"{r['cpu_check_ms']:.0f} / {r['cpu_check_end_ms']:.0f}"),
        "-- limits (page cache warm; best of 3) --",
        row("read every byte (Python)", lambda r: sec(r["read_s"])),
        row("  its CPU time", lambda r: sec(r["read_cpu"])),
        row(f"grep -ril {GREP_WORD}", lambda r: sec(r["grep_s"])),
        row("walk + os.stat", lambda r: sec(r["stat_s"])),
        "-- index, first open (cold cache) --",
        row("first batch listed (on_batch)", lambda r: sec(r["cold"]["first_batch_s"])),
        row(f"full build: walk, parse, index (median of {COLD_RUNS})", lambda r: sec(r["cold"]["build_s"])),
        row("  each run", lambda r: " ".join(f"{t:.2f}" for t in r["cold"]["runs_s"])),
        row("  ratio to read every byte (goal <= 15x)", lambda r: f"{r['cold']['build_s'] / r['read_s']:.1f}x"),
        row("  load avg (1 min) at build start / end", lambda r: f"{r['cold']['load_start']:.1f} / {r['cold']['load_end']:.1f}"),
        row("  walk before parsing (one core; no stat)", lambda r: sec(r["cold"]["scan_s"])),
        row("  CPU time, main + workers (all cores)", lambda r: sec(r["cold"]["cpu_s"])),
        row("  CPU time, main process / workers", lambda r: f"{r['cold']['main_cpu_s']:.1f}/{r['cold']['cpu_s'] - r['cold']['main_cpu_s']:.1f} s"),
        row("  CPU per file", lambda r: f"{r['cold']['cpu_s'] / r['files'] * 1e6:.0f} us"),
        row(f"  CPU / {os.cpu_count()} cores, ratio to read every byte",
            lambda r: f"{r['cold']['cpu_s'] / (os.cpu_count() or 1) / r['read_s']:.1f}x"),
        row("  cache file size", lambda r: f"{r['cache_mb']:.0f} MB"),
        row("  peak RSS main / each worker", lambda r: f"{r['cold']['rss_mb']:.0f}/{r['cold']['worker_rss_mb']:.0f} MB"),
        "-- index, later opens (new process each) --",
        row("cached first 100 rows (CorpusIndex.head)", lambda r: ms(r["cached"]["head_s"])),
        row("cached full list, no walk (.snapshot)", lambda r: ms(r["cached"]["cached_list_s"])),
        row("re-open, nothing changed (head+refresh+list)", lambda r: ms(r["warm"]["reopen_s"])),
        row("  first screen: head(100) (goal < 1 s)", lambda r: ms(r["warm"]["head_s"])),
        row("  refresh: walk, stat, compare", lambda r: ms(r["warm"]["refresh_s"])),
        row("  full list: snapshot", lambda r: ms(r["warm"]["snapshot_s"])),
        row("  CPU time of the re-open", lambda r: ms(r["warm"]["open_cpu_s"])),
        row("  load avg (1 min) at its start", lambda r: f"{r['warm']['load_start']:.1f}"),
        row("re-open, 5 changed + 5 added + 5 deleted", lambda r: ms(r["changed"]["reopen_s"])),
        row("  found new/changed/deleted", lambda r: f"{r['changed']['new']}/{r['changed']['changed']}/{r['changed']['deleted']}"),
        row("re-open after undoing those changes", lambda r: ms(r["restored"]["reopen_s"])),
        row("  peak RSS (open + 50 searches)", lambda r: f"{r['warm']['rss_mb']:.0f} MB"),
        f"-- search, {len(QUERIES)} queries, limit 50, newest first --",
        row("search p50 (first run in a new process)", lambda r: f"{pct(r['search_cold']['search_ms'], .5):.1f} ms"),
        row("search p95 (first run in a new process)", lambda r: f"{pct(r['search_cold']['search_ms'], .95):.1f} ms"),
        row("search p50 (repeated)", lambda r: f"{pct(r['warm']['search_ms'], .5):.1f} ms"),
        row("search p95 (repeated)  goal < 100 ms", lambda r: f"{pct(r['warm']['search_ms'], .95):.1f} ms"),
        row("search max (repeated)", lambda r: f"{max(r['warm']['search_ms']):.1f} ms"),
        row("  grep -ril / search p95 (goal >= 5x)",
            lambda r: f"{r['grep_s'] * 1000 / pct(r['search_cold']['search_ms'], .95):.0f}x"),
        "-- reader: bench/reader_scale.py (with --reader: its table follows, same run and corpora) --",
    ]
    return "\n".join(lines)


def ensure_corpus(label: str, count: int, folder: Path) -> Path:
    if folder.is_dir() and any(folder.iterdir()):
        return folder
    print(f"[{label}] generating {count} articles in {folder}", file=sys.stderr)
    subprocess.run([sys.executable, str(MAKE_CORPUS), str(folder), "--articles", str(count)], check=True)
    return folder


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1k,10k", help="comma-separated, from: " + ", ".join(SIZES))
    ap.add_argument("--dir", type=Path, default=None, help="corpus folder to use (only with a single size)")
    ap.add_argument("--out", type=Path, default=None, help="also write the table to this file")
    ap.add_argument("--reader", action="store_true",
                    help="also measure the reader on the same corpora in the same run (bench/reader_scale.py's table)")
    ap.add_argument("--child", nargs=2, metavar=("PHASE", "ROOT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        phase, root = args.child
        print(json.dumps(CHILDREN[phase](root)))
        return
    labels = [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in labels if s not in SIZES]
    if unknown:
        ap.error(f"unknown size(s): {', '.join(unknown)}")
    if args.dir and len(labels) != 1:
        ap.error("--dir goes with a single --sizes value")
    load_before = os.getloadavg()
    started = time.time()
    results = []
    folders = []
    for label in labels:
        folder = ensure_corpus(label, SIZES[label], args.dir or Path(f"/tmp/corpus{label}"))
        folders.append((label, folder))
        results.append(measure(label, folder))
    reader_text = ""
    if args.reader:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import reader_scale

        reader_text = reader_scale.table([reader_scale.measure(label, folder) for label, folder in folders]) + "\n"
    load_after = os.getloadavg()
    import sqlite3

    header = (
        f"bench/scale.py  {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(started))}  "
        f"python {sys.version.split()[0]}  sqlite {sqlite3.sqlite_version}  cpus {os.cpu_count()}  "
        f"load avg before/after {load_before[0]:.1f}/{load_after[0]:.1f}"
    )
    text = header + "\n" + table(results) + "\n" + reader_text
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
