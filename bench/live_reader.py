"""Time from a file written (or annotations.yaml changed by another program) to its
row on the reader's screen, headless (Textual's Pilot), with the real folder watcher.

    python bench/live_reader.py [--sizes 1000,100000] [--repeat 5] [--work DIR]

For each size a corpus is made by ``../shared/bench/make_corpus.py`` (in a temporary
folder, or under ``--work DIR`` to keep it and its index cache between runs: never
in the repository); config and data folders are temporary. The reader opens it (the index is
built or refreshed as at start), then ``--repeat`` times each:

- add: a new article file written -> its row is listed with its title;
- change: that file's title rewritten -> the row shows the new title;
- tag: another store (as ``briefing tag`` in another process would) adds a tag and
  saves -> the row shows the tag (the issue asks for 1 s);
- remove: the file deleted -> its row is gone.

The clock runs from just before the write to the first check that finds the row as
expected (checked every 5 ms between frames). Prints medians and the worst, the
load average and a CPU check (``bench/machine.py``: about 40 ms on this machine
when quiet).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

MAKE_CORPUS = Path(os.environ.get("BRIEFING_SHARED", HERE.parent.parent / "shared")) / "bench" / "make_corpus.py"
TIMEOUT_S = 60.0


def article(title: str, n: int) -> str:
    return f"---\ntitle: {title}\ndate: 2031-01-{1 + n % 28:02}\n---\nBody of live bench article {n}. About grain.\n"


async def until(pilot, check: Callable[[], bool], t0: float, timeout: float = TIMEOUT_S) -> float:
    """Seconds from ``t0`` until ``check()`` holds (between frames)."""
    deadline = t0 + timeout
    while not check():
        if time.perf_counter() > deadline:
            raise TimeoutError("the row did not show in time")
        await pilot.pause(0.005)
    return time.perf_counter() - t0


def bench_size(work: Path, size: int, repeat: int) -> tuple[dict[str, list[float]], float]:
    from briefing.annotations import open_store
    from briefing.tui.app import BriefingApp
    from briefing.tui.widgets.article_list import ArticleList

    root = work / f"corpus-{size}"
    if not root.is_dir():
        started = time.perf_counter()
        subprocess.run([sys.executable, str(MAKE_CORPUS), str(root), "--articles", str(size)], check=True,
                       stdout=subprocess.DEVNULL)
        print(f"# made {size:,} articles in {time.perf_counter() - started:.1f} s", flush=True)
    times: dict[str, list[float]] = {"add": [], "change": [], "tag": [], "remove": []}
    opened = 0.0
    app = BriefingApp(root)

    async def main() -> None:
        nonlocal opened
        app.animation_level = "none"
        t0 = time.perf_counter()
        async with app.run_test(size=(120, 40)) as pilot:
            screen = app.screen
            opened = await until(pilot, lambda: screen.live.watcher is not None and screen.store is not None, t0,
                                 timeout=1800)  # a cold build of 100k on a busy machine
            articles = screen.query_one(ArticleList)
            await pilot.pause(0.5)
            for r in range(repeat):
                run = f"{os.getpid()}x{r}"  # new names and tags each run (a kept corpus keeps its annotations)
                name, title, retitled, tag = f"zz-live-{run}.txt", f"Live bench {run}", f"Retitled {run}", f"else{run}"
                path = root / name

                def listed(name: str = name, title: str = title) -> bool:
                    return name in articles.shown_ids and title in articles.row_content(name).plain

                def shows(text: str, name: str = name) -> bool:
                    return text in articles.row_content(name).plain

                def gone(name: str = name) -> bool:
                    return name not in articles.shown_ids

                t0 = time.perf_counter()
                path.write_text(article(title, r), encoding="utf-8")
                times["add"].append(await until(pilot, listed, t0))
                t0 = time.perf_counter()
                path.write_text(article(retitled, r), encoding="utf-8")
                times["change"].append(await until(pilot, lambda retitled=retitled: shows(retitled), t0))
                other, _report = open_store(root)  # another program's store
                t0 = time.perf_counter()
                other.add_tags(name, [tag])
                times["tag"].append(await until(pilot, lambda tag=tag: shows(tag), t0))
                t0 = time.perf_counter()
                path.unlink()
                times["remove"].append(await until(pilot, gone, t0))
                await pilot.pause(0.3)  # the next round starts from a quiet folder
            await pilot.press("q")

    asyncio.run(main())
    return times, opened


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--work", help="where corpora are made and kept (default: a temporary folder)")
    args = parser.parse_args()
    from machine import cpu_check_ms

    temp = tempfile.TemporaryDirectory(prefix="briefing-live-bench-")
    home = Path(temp.name)
    work = Path(args.work) if args.work else home
    work.mkdir(parents=True, exist_ok=True)
    for name in ("CONFIG", "DATA"):
        os.environ[f"BRIEFING_{name}_DIR"] = str(home / name.lower())
    os.environ["BRIEFING_CACHE_DIR"] = str(work / "cache")  # with --work, the index is kept between runs
    try:
        print(f"{'articles':>9} {'operation':>10} {'median ms':>10} {'max ms':>9} {'n':>3} {'load 1m':>8} {'cpu ms':>7}")
        for size in [int(s) for s in args.sizes.split(",")]:
            cpu = cpu_check_ms()
            times, opened = bench_size(work, size, args.repeat)
            load = os.getloadavg()[0]
            print(f"{size:>9} {'open':>10} {opened * 1000:>10.0f} {'':>9} {1:>3} {load:>8.2f} {cpu:>7.0f}")
            for op, values in times.items():
                print(f"{size:>9} {op:>10} {statistics.median(values) * 1000:>10.0f} {max(values) * 1000:>9.0f}"
                      f" {len(values):>3} {load:>8.2f} {cpu:>7.0f}", flush=True)
    finally:
        temp.cleanup()


if __name__ == "__main__":
    main()
