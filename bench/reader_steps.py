#!/usr/bin/env python3
"""The reader's resident memory after each step of a fixed sequence (issue 20): a table.

    python bench/reader_steps.py --corpus /tmp/corpus100k --cache /tmp/NAME-cache100k \
        [--annotated 100000 --copies DIR] [--tree OLD --tree NEW] [--rounds 2]

Where ``bench/reader_memory.py`` samples a loop of mixed use (its highest sample is
what it reports), this one runs the same steps in the same order every time and
prints the memory after each, split as the kernel counts it: ``RssAnon`` (the
process's own heap) and ``RssFile`` (pages of files it maps: a large annotation
file's snapshot, ``briefing.annotations.snapshot``). The steps: the list shown;
idle (every worker done, a file never seen checked); each of three filters (unread,
flagged, since a date) set, browsed (page down, end, home, enter) and cleared; the
tag counts (what ``t`` asks for); stories grouped and ungrouped (``g`` twice);
``--opens N`` articles opened one after the other (``j``, ``enter``, the focus back to
the list: 100 by default); and last, ``gc.collect()`` and ``briefing.heap.give_back()`` (what is left when nothing
more can be handed back).

Each run is a fresh child process (``BriefingApp`` headless, ``App.run_test()`` at
160x48) with private config and data folders and the index cache folder given;
``--annotated N`` makes (or reuses, with ``--copies``) the hard-link copy with N
annotated articles that ``bench/reader_memory.py`` makes. ``--tree`` (repeatable):
run the child with that source tree first on ``sys.path`` (the code before and after
a change, alternating, ``--rounds`` times each). The index cache is used as found: a
fresh clone is measured by emptying it first (the reader builds the index).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def memory() -> tuple[int, int, int]:
    """(VmRSS, RssAnon, RssFile) in MB."""
    got: dict[str, int] = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            name = line.split(":", 1)[0]
            if name in ("VmRSS", "RssAnon", "RssFile"):
                got[name] = int(line.split()[1]) // 1024
    return got.get("VmRSS", -1), got.get("RssAnon", -1), got.get("RssFile", -1)


async def drive(root: Path, opens: int) -> list[tuple[str, tuple[int, int, int]]]:
    from briefing import heap
    from briefing.annotations.filter import Filter
    from briefing.tui.app import BriefingApp
    sys.path.insert(0, str(HERE))
    from reader_memory import _until, settle, until_listed

    steps: list[tuple[str, tuple[int, int, int]]] = []
    app = BriefingApp(root)
    app.animation_level = "none"
    async with app.run_test(size=(160, 48)) as pilot:
        screen: Any
        screen, articles = await until_listed(app, pilot)
        steps.append(("listed", memory()))
        await _until(lambda: not any(w.is_running for w in app.workers) and not screen.store.checking, pilot)
        steps.append(("idle", memory()))
        for name, flt in (("unread", Filter(statuses=("unread",))), ("flagged", Filter(statuses=("flagged",))),
                          ("since", Filter(since=dt.date(2024, 1, 1)))):
            screen.search.set_filter(flt)
            await settle(app)
            await pilot.pause()
            if articles.display:
                articles.focus()
                for key in ("pagedown", "end", "home", "enter"):
                    await pilot.press(key)
                    await pilot.pause()
            screen.search.set_filter(Filter())
            await settle(app)
            await pilot.pause()
            articles.focus()
            steps.append((f"filter {name}", memory()))
        screen.store.tag_counts(screen.state.corpus.articles)
        steps.append(("tag counts", memory()))
        for name in ("grouped", "ungrouped"):
            await pilot.press("g")
            await settle(app)
            await pilot.pause()
            steps.append((name, memory()))
        articles.focus()
        for _ in range(opens):  # j, enter (the text takes the focus), back to the list
            await pilot.press("j")
            wanted = articles.highlighted_id
            await pilot.press("enter")
            await _until(lambda wanted=wanted: screen.state.current_id == wanted
                         and screen.state.current_article is not None, pilot, 30)
            articles.focus()
            await pilot.pause()
        await settle(app)
        steps.append((f"{opens} opened", memory()))
        gc.collect()
        heap.give_back()
        steps.append(("given back", memory()))
        app.exit()
    return steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", required=True, type=Path)
    parser.add_argument("--cache", required=True, type=Path, help="the index cache folder")
    parser.add_argument("--annotated", type=int, default=0, metavar="N")
    parser.add_argument("--copies", type=Path, metavar="DIR")
    parser.add_argument("--tree", action="append", type=Path, default=[], help="source tree to run (repeatable)")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--opens", type=int, default=100, help="articles opened one after the other (j, enter) last")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(asyncio.run(drive(args.corpus, args.opens))))
        return
    trees = args.tree or [HERE.parent]
    results: list[tuple[str, list[tuple[str, list[int]]], str]] = []
    with tempfile.TemporaryDirectory(prefix="reader-steps-") as home:
        corpus = args.corpus
        if args.annotated:
            sys.path.insert(0, str(HERE))
            from reader_memory import annotated_copy

            corpus = annotated_copy(corpus, args.cache, args.annotated, args.copies or Path(home))
        for _ in range(args.rounds):
            for tree in trees:
                with tempfile.TemporaryDirectory(prefix="reader-steps-run-") as run:
                    env = dict(os.environ, BRIEFING_CACHE_DIR=str(args.cache), HOME=run,
                               XDG_CONFIG_HOME=f"{run}/config", XDG_DATA_HOME=f"{run}/data",
                               XDG_STATE_HOME=f"{run}/state", PYTHONPATH=str(tree))
                    env.pop("BRIEFING_CONFIG_DIR", None)
                    env.pop("BRIEFING_DATA_DIR", None)
                    load = os.getloadavg()[0]
                    started = time.perf_counter()
                    done = subprocess.run([sys.executable, __file__, "--child", "--corpus", str(corpus),
                                           "--cache", str(args.cache), "--opens", str(args.opens)], env=env, cwd=tree, capture_output=True,
                                          text=True, check=False)
                    if done.returncode != 0:
                        print(done.stderr[-3000:], file=sys.stderr)
                        continue
                    steps = json.loads(done.stdout.strip().splitlines()[-1])
                    results.append((str(tree), steps,
                                    f"load {load:.2f}, {time.perf_counter() - started:.0f} s"))
    names = [name for name, _ in results[0][1]] if results else []
    print(f"reader memory after each step, MB: VmRSS (RssAnon + RssFile); {corpus.name}")
    print(f"{'step':<14}" + "".join(f"{Path(t).name[:18]:>20}" for t, _, _ in results))
    for i, name in enumerate(names):
        row = "".join(f"{f'{s[i][1][0]} ({s[i][1][1]}+{s[i][1][2]})':>20}" for _, s, _ in results)
        print(f"{name:<14}{row}")
    print(f"{'':<14}" + "".join(f"{note:>20}" for _, _, note in results))


if __name__ == "__main__":
    main()
