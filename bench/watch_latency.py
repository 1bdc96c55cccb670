"""Time from a file written to its change applied in the index, through the folder watcher.

    python bench/watch_latency.py [--sizes 1000,100000] [--modes native,polling] [--repeat 7]

For each corpus size, a corpus made by ``../shared/bench/make_corpus.py`` (in a
temporary folder, or under ``--work DIR`` to keep it between runs: never in the
repository) is indexed, a :class:`briefing.watch.CorpusWatcher` with the index is
started and synced, and then, ``--repeat`` times each: an article added, one
rewritten, one renamed, one removed; and once a burst of 1,000 articles. The time
runs from just before the write to the moment the watcher's callback receives the
batch whose index update names the article (the update is committed by then: the
list could show it). The callback runs on the watcher's thread, as in the reader.

Prints medians (and the worst) per operation, the load average and a CPU check
(``bench/machine.py``: about 40 ms on this machine when quiet).
"""

from __future__ import annotations

import argparse
import os
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from briefing.index.incremental import PathsUpdate
    from briefing.watch.watcher import WatchBatch

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

MAKE_CORPUS = Path(os.environ.get("BRIEFING_SHARED", HERE.parent.parent / "shared")) / "bench" / "make_corpus.py"


# (articles, mode, operation, median ms, worst ms, n); for the burst, the worst is the writing time
Row = tuple[int, str, str, float, float, int]


def article(n: int) -> str:
    return f"Watch bench headline {n}\n\ndate 2026-11-0{1 + n % 9} Body of bench article {n} about grain exports.\n"


class Waiter:
    """Collects the watcher's batches; ``until(pred)`` waits for the first that satisfies it."""

    def __init__(self) -> None:
        self.queue: queue.Queue[tuple[float, WatchBatch]] = queue.Queue()

    def __call__(self, batch: WatchBatch) -> None:
        self.queue.put((time.perf_counter(), batch))

    def until(self, pred: Callable[[PathsUpdate], bool], timeout: float = 60.0) -> float:
        deadline = time.perf_counter() + timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError("no batch")
            try:
                at, batch = self.queue.get(timeout=left)
            except queue.Empty:
                continue
            if batch.update is not None and pred(batch.update):
                return at

    def drain(self) -> None:
        while not self.queue.empty():
            self.queue.get_nowait()


def ids_of(update: PathsUpdate) -> set[str]:
    return {m.id for m in update.added} | {m.id for m in update.changed} | set(update.removed) | {
        m.id for _old, m in update.renamed
    }


# Predicates on a batch's index update, each bound to its article id when made.
def added(id_: str) -> Callable[[PathsUpdate], bool]:
    return lambda u: id_ in {m.id for m in u.added}


def changed(id_: str) -> Callable[[PathsUpdate], bool]:
    return lambda u: id_ in {m.id for m in u.changed}


def named(id_: str) -> Callable[[PathsUpdate], bool]:
    return lambda u: id_ in ids_of(u)


def removed(id_: str) -> Callable[[PathsUpdate], bool]:
    return lambda u: id_ in u.removed


def bench_size(work: Path, size: int, modes: list[str], repeat: int) -> list[Row]:
    from briefing.index.indexed import CorpusIndex
    from briefing.watch import CorpusWatcher

    root = work / f"corpus-{size}"
    if not root.is_dir():
        started = time.perf_counter()
        subprocess.run([sys.executable, str(MAKE_CORPUS), str(root), "--articles", str(size)], check=True,
                       stdout=subprocess.DEVNULL)
        print(f"# made {size} articles in {time.perf_counter() - started:.1f} s", flush=True)
    index = CorpusIndex(root)
    started = time.perf_counter()
    index.refresh()
    print(f"# indexed {size} articles in {time.perf_counter() - started:.1f} s", flush=True)
    rows: list[Row] = []
    bench = root / "zz-watch-bench"
    for mode in modes:
        shutil.rmtree(bench, ignore_errors=True)
        bench.mkdir()
        waiter = Waiter()
        watcher = CorpusWatcher(root, waiter, index=index, mode=mode)
        began = time.perf_counter()
        watcher.start()
        start_s = time.perf_counter() - began
        watcher.refresh_index()
        waiter.drain()
        times: dict[str, list[float]] = {"add": [], "change": [], "rename": [], "remove": []}
        try:
            for r in range(repeat):
                name = f"zz-watch-bench/{mode}-{r}.txt"
                path = root / name
                t0 = time.perf_counter()
                path.write_text(article(r))
                times["add"].append(waiter.until(added(name)) - t0)
                t0 = time.perf_counter()
                path.write_text(article(r + 100) + "A second paragraph, so the body changes.\n")
                times["change"].append(waiter.until(changed(name)) - t0)
                moved = name.replace(".txt", "-moved.txt")
                t0 = time.perf_counter()
                os.rename(path, root / moved)
                times["rename"].append(waiter.until(named(moved)) - t0)
                t0 = time.perf_counter()
                os.unlink(root / moved)
                times["remove"].append(waiter.until(removed(moved)) - t0)
            burst = bench / f"burst-{mode}"
            burst.mkdir()
            wanted = {f"zz-watch-bench/burst-{mode}/{n:04d}.txt" for n in range(1000)}
            seen: set[str] = set()
            t0 = time.perf_counter()
            for n in range(1000):
                (burst / f"{n:04d}.txt").write_text(article(n))
            written = time.perf_counter() - t0

            # seen and wanted bound when defined (B023), as the predicates above bind their ids
            def all_seen(update: PathsUpdate, seen: set[str] = seen, wanted: set[str] = wanted) -> bool:
                seen.update(m.id for m in update.added)
                return wanted <= seen

            burst_s = waiter.until(all_seen, timeout=300) - t0
        finally:
            watcher.stop()
        for op, values in times.items():
            rows.append((size, mode, op, statistics.median(values) * 1000, max(values) * 1000, len(values)))
        rows.append((size, mode, "burst 1,000", burst_s * 1000, written * 1000, 1))
        rows.append((size, mode, "start()", start_s * 1000, start_s * 1000, 1))
        shutil.rmtree(bench, ignore_errors=True)
        index.refresh()  # the cache as the folder is again, for the next mode
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000")
    parser.add_argument("--modes", default="native,polling")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--work", help="where corpora are made and kept (default: a temporary folder)")
    args = parser.parse_args()
    from machine import cpu_check_ms

    temp = None
    if args.work:
        work = Path(args.work)
        work.mkdir(parents=True, exist_ok=True)
    else:
        temp = tempfile.TemporaryDirectory(prefix="briefing-watch-bench-")
        work = Path(temp.name)
    os.environ["BRIEFING_CACHE_DIR"] = str(work / "cache")
    try:
        modes = [m.strip() for m in args.modes.split(",") if m.strip()]
        print(f"{'articles':>9} {'mode':>8} {'operation':>12} {'median ms':>10} {'max ms':>9} {'n':>3}"
              f" {'load 1m':>8} {'cpu ms':>7}")
        for size in [int(s) for s in args.sizes.split(",")]:
            cpu = cpu_check_ms()
            for row in bench_size(work, size, modes, args.repeat):
                load = os.getloadavg()[0]
                size_, mode, op, median, worst, n = row
                if op == "burst 1,000":
                    note = f"   (writing took {worst:.0f} ms)"
                    print(f"{size_:>9} {mode:>8} {op:>12} {median:>10.0f} {'':>9} {n:>3} {load:>8.2f} {cpu:>7.0f}{note}")
                else:
                    print(f"{size_:>9} {mode:>8} {op:>12} {median:>10.0f} {worst:>9.0f} {n:>3} {load:>8.2f} {cpu:>7.0f}")
    finally:
        if temp is not None:
            temp.cleanup()


if __name__ == "__main__":
    main()
