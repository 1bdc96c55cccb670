#!/usr/bin/env python3
"""The commands that read stories or every article's annotations at scale (issue 20),
old and new code side by side: prints a table.

    python bench/story_commands.py COPY --cache DIR --tree OLD=/path/a --tree NEW=/path/b [--runs 3]

COPY is a copy of a big corpus (``cp -al``): a briefing ``bench-story-commands`` is
written into its ``briefings/`` folder (and removed after), so the shared corpus is
never written. The cache folder must hold COPY's index with the stories grouped once
(``briefing stories --corpus COPY``), so that every tree reads them back; the trees
must share the index's fingerprint (a tree whose parsers differ would rebuild it).

For each command, each tree's process runs ``--runs`` times, the trees alternating
(same load for both); the median wall time, the CPU time and the peak RSS (one more
run through a helper reading ``RUSAGE_CHILDREN``) are printed:

- ``stories --json`` and ``stories`` (text), to a pipe;
- ``keywords ID`` (the newest article);
- ``brief export bench-story-commands --format md``: a briefing of the three newest
  articles (with the stories their members are in);
- ``watch list`` with one watchlist (a word of the newest title).

The machine is shared: the 1-minute load average is printed with the table.
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
from million import rss as peak

NAME = "bench-story-commands"


def timed(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("copy", type=Path)
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--tree", action="append", required=True, metavar="LABEL=PATH")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    trees = [t.split("=", 1) for t in args.tree]
    copy = args.copy.resolve()
    private = Path(tempfile.mkdtemp(prefix="briefing-bench-"))  # config and data: never the user's
    env0 = {**os.environ, "BRIEFING_CACHE_DIR": str(args.cache), "BRIEFING_CONFIG_DIR": str(private / "config"),
            "BRIEFING_DATA_DIR": str(private / "data")}
    env0.pop("PYTHONDONTWRITEBYTECODE", None)

    def env(path: str) -> dict[str, str]:
        return {**env0, "PYTHONPATH": path}

    py = [sys.executable, "-m", "briefing"]
    first = trees[0][1]
    listing = subprocess.run([*py, "list", "--corpus", str(copy)], env=env(first), capture_output=True, check=True)
    rows = [line.split(b"\t") for line in listing.stdout.splitlines()[:3]]
    ids = [r[0].decode("utf-8", "surrogateescape") for r in rows]
    word = next((w for w in rows[0][3].decode().lower().split() if len(w) > 5 and w.isalpha()), "minister")
    briefings = copy / "briefings"
    made_folder = not briefings.exists()
    watch_file = copy / "watchlists.yaml"
    had_watch = watch_file.exists()
    saved_watch = watch_file.read_bytes() if had_watch else None
    try:
        subprocess.run([*py, "brief", "new", NAME, "--corpus", str(copy)], env=env(first), check=True, stdout=subprocess.DEVNULL)
        subprocess.run([*py, "brief", "add", NAME, *ids, "--corpus", str(copy)], env=env(first), check=True, stdout=subprocess.DEVNULL)
        subprocess.run([*py, "watch", "add", "bench", word, "--corpus", str(copy)], env=env(first), check=True,
                       stdout=subprocess.DEVNULL)
        plan = [
            ("stories --json", ["stories", "--json"]),
            ("stories (text)", ["stories"]),
            ("keywords ID", ["keywords", ids[0]]),
            ("brief export (3 items, md)", ["brief", "export", NAME, "--format", "md"]),
            (f"watch list (1 watchlist: {word})", ["watch", "list"]),
        ]
        load = os.getloadavg()[0]
        print(f"bench/story_commands.py  {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}  {copy}  "
              f"load {load:.1f}  CPU check {cpu_check_ms():.0f} ms")
        print(f"{'command':40} " + "  ".join(f"{label + ' s / CPU s / MB':>30}" for label, _ in trees))
        for label, cmd in plan:
            full = [*py, *cmd, "--corpus", str(copy)]
            times: dict[str, list[float]] = {t[0]: [] for t in trees}
            for _ in range(args.runs):
                for tree_label, path in trees:
                    times[tree_label].append(timed(full, env(path)))
            cells = []
            for tree_label, path in trees:
                mb, cpu = peak(full, env(path))
                cells.append(f"{statistics.median(times[tree_label]):.2f} / {cpu:.2f} / {mb:.0f}")
            print(f"{label:40} " + "  ".join(f"{c:>30}" for c in cells), flush=True)
        print(f"load average at the end {os.getloadavg()[0]:.1f}")
    finally:
        (briefings / f"{NAME}.yaml").unlink(missing_ok=True)
        if made_folder:
            shutil.rmtree(briefings, ignore_errors=True)
        if saved_watch is not None:
            watch_file.write_bytes(saved_watch)
        else:
            watch_file.unlink(missing_ok=True)
        shutil.rmtree(private, ignore_errors=True)


if __name__ == "__main__":
    main()
