#!/usr/bin/env python3
"""The reader's first grouping into stories on a cache without signatures (issue 20):
resident memory and keypress times while it signs every body. Prints a table.

    BRIEFING_CACHE_DIR=/tmp/NAME-c100k briefing index --corpus /tmp/corpus100k
    python bench/stories_first.py --corpus /tmp/corpus100k --cache /tmp/NAME-c100k \\
        --tree OLD_CHECKOUT --tree NEW_CHECKOUT

``--cache``: an index cache folder holding the corpus's index but no story
signatures (build the index only; never group with it). For each ``--tree`` (a
checkout whose ``briefing`` is imported: compare old and new in one run) the cache
folder is copied into a temporary folder (the given one is never written) and a
child process drives ``BriefingApp`` headless (``App.run_test()`` at 160x48, private
config and data folders). Once the whole corpus is listed the reader starts grouping
(its default); until the stories are shown, ``j`` is pressed (``home`` every 100th)
and timed from the press until the app is idle with the frame drawn
(``pilot.pause()``), and resident memory (``VmRSS``) sampled after each press.

Columns: RSS once listed, the highest RSS while grouping, the reader's ``ru_maxrss``
(its peak, the load included), the grouping's seconds (from the list shown to the
stories shown), the key's p50/p95/max over the presses while grouping, and over as
many presses (at most 200) once the stories are shown (the load of the machine alone).
The machine is shared: the load average is printed beside the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from reader_memory import pct, rss_mb  # (bench/ is on the path of a bench run)


async def drive(root: Path, timeout: float) -> dict:
    from briefing.tui.app import BriefingApp
    from briefing.tui.loading import HeadCorpus
    from briefing.tui.widgets.article_list import ArticleList

    out: dict = {}
    app = BriefingApp(root)
    app.animation_level = "none"
    async with app.run_test(size=(160, 48)) as pilot:
        started = time.monotonic()

        def full() -> bool:
            corpus = getattr(getattr(app.screen, "state", None), "corpus", None)
            return corpus is not None and not isinstance(corpus, HeadCorpus)

        while not full():
            if time.monotonic() - started > timeout:
                raise TimeoutError("the corpus was not listed in time")
            await pilot.pause(0.05)
        screen = app.screen
        articles = screen.query_one(ArticleList)
        while not (articles.display and articles.highlighted_id is not None):
            await pilot.pause(0.05)
        listed = time.perf_counter()
        out["articles"] = len(screen.state.corpus.articles)
        out["rss_listed_mb"] = rss_mb()
        articles.focus()
        times: list[float] = []
        samples: list[float] = []
        presses = 0
        while screen.state.stories is None:
            if time.perf_counter() - listed > timeout:
                raise TimeoutError("no stories in time")
            key = "home" if presses % 100 == 99 else "j"
            before = time.perf_counter()
            await pilot.press(key)
            await pilot.pause()
            times.append((time.perf_counter() - before) * 1000)
            samples.append(rss_mb())
            presses += 1
        out["group_s"] = time.perf_counter() - listed
        out["stories"] = len(screen.state.stories)
        out["signed"] = screen.state.stories.stats.signed
        out["presses"] = len(times)
        out["key_ms"] = (pct(times, 0.5), pct(times, 0.95), max(times) if times else float("nan"))
        out["rss_grouping_mb"] = max(samples) if samples else float("nan")
        after: list[float] = []  # the same key once the stories are shown (the machine's own noise)
        for k in range(min(len(times), 200)):
            before = time.perf_counter()
            await pilot.press("home" if k % 100 == 99 else "j")
            await pilot.pause()
            after.append((time.perf_counter() - before) * 1000)
        out["after_ms"] = (pct(after, 0.5), pct(after, 0.95), max(after) if after else float("nan"))
        out["rss_end_mb"] = rss_mb()
        app.exit()
    out["ru_maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", required=True, type=Path)
    parser.add_argument("--cache", required=True, type=Path, help="index cache folder without story signatures")
    parser.add_argument("--tree", action="append", type=Path, help="a checkout to import briefing from (repeat)")
    parser.add_argument("--timeout", type=float, default=1800.0)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(asyncio.run(drive(args.corpus, args.timeout))))
        return
    rows = []
    for tree in args.tree or [Path(__file__).resolve().parents[1]]:
        with tempfile.TemporaryDirectory(prefix="stories-first-") as home:
            cache = Path(home) / "cache"
            shutil.copytree(args.cache, cache)
            env = dict(os.environ, BRIEFING_CACHE_DIR=str(cache), HOME=home, XDG_CONFIG_HOME=f"{home}/config",
                       XDG_DATA_HOME=f"{home}/data", XDG_STATE_HOME=f"{home}/state", PYTHONPATH=str(tree))
            load_before = Path("/proc/loadavg").read_text().split()[:3]
            done = subprocess.run([sys.executable, __file__, "--child", "--corpus", str(args.corpus),
                                   "--cache", str(cache), "--timeout", str(args.timeout)],
                                  env=env, capture_output=True, text=True, check=False)
            load_after = Path("/proc/loadavg").read_text().split()[:3]
            if done.returncode != 0:
                print(f"{tree}: failed\n{done.stderr[-3000:]}", file=sys.stderr)
                continue
            result = json.loads(done.stdout.strip().splitlines()[-1])
            result["tree"], result["load"] = str(tree), f"{' '.join(load_before)} -> {' '.join(load_after)}"
            rows.append(result)
    print(f"first grouping in the reader ({args.corpus.name}, no signatures cached); RSS in MB; "
          "j pressed while it runs")
    print(f"{'tree':<20} {'articles':>9} {'signed':>8} {'RSS listed':>10} {'RSS grouping':>12} {'maxrss':>7} "
          f"{'group s':>8} {'presses':>7} {'j p50/p95/max ms':>22} {'after: j p50/p95/max':>22}")
    for r in rows:
        p50, p95, worst = r["key_ms"]
        a50, a95, aworst = r["after_ms"]
        print(f"{r['tree']:<20} {r['articles']:>9,} {r['signed']:>8,} {r['rss_listed_mb']:>10.0f} "
              f"{r['rss_grouping_mb']:>12.0f} {r['ru_maxrss_mb']:>7.0f} {r['group_s']:>8.1f} {r['presses']:>7} "
              f"{p50:>7.1f}/{p95:>6.1f}/{worst:>7.1f} {a50:>7.1f}/{a95:>6.1f}/{aworst:>7.1f}")
        print(f"{'':<20} load average {r['load']}")


if __name__ == "__main__":
    main()
