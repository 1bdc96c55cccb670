#!/usr/bin/env python3
"""The windowed listing (briefing/index/window.py, issue 20) on a warm index: prints
its build time and resident memory, and the time of the reads a list makes per key.

    BRIEFING_CACHE_DIR=/tmp/briefing-preview-bench/100k python bench/window_listing.py /tmp/corpus100k

``--tui``: then the windowed list widget (``WindowedArticleList``, not yet the
reader's list) in a headless Textual app at 160x48 over the listing of every article:
resident memory after it shows, and the p50/p95 of keys from the key event until the
cursor is on its new row (j, pagedown, end/home), and resident memory after them.

Resident memory (``/proc/self/statm``) is measured in this process before and after
each listing is built (the listing kept alive), never the snapshot of every article:
the index is opened with :meth:`CorpusIndex` and an :class:`IndexedCorpus` holding
no article (the windowed listing reads them from the index). Times are wall clock,
the median and worst of the repetitions.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path


def resident_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def timed(fn, repeat: int = 30) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), max(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("root", type=Path)
    ap.add_argument("--word", default="obama")
    ap.add_argument("--tui", action="store_true", help="also drive the windowed list widget headless")
    args = ap.parse_args()

    from briefing.annotations import AnnotationStore
    from briefing.annotations.filter import Filter
    from briefing.index.indexed import CorpusIndex, IndexedCorpus
    from briefing.index.window import LineLayout, WindowedListing

    start_mb = resident_mb()
    index = CorpusIndex(args.root)
    corpus = IndexedCorpus(index, [], [], None)  # no article held: the listing reads the index
    store = AnnotationStore.open(args.root)
    print(f"python {sys.version.split()[0]}  load avg {os.getloadavg()[0]:.1f}  {args.root}")
    print(f"resident at start (imports, annotations store): {start_mb:.0f} MB -> {resident_mb():.0f} MB")
    kept = []
    for name, make in (
        ("every article (annotations in)", lambda: WindowedListing(corpus, store)),
        ("filter: unread", lambda: WindowedListing(corpus, store, Filter(statuses=("unread",)))),
        (f"search {args.word!r} (FTS5 ids)", lambda: WindowedListing(corpus, store, Filter(), ids=set(corpus.match_ids(args.word, known_only=False)))),
    ):
        before = resident_mb()
        t = time.perf_counter()
        listing = make()
        built = time.perf_counter() - t
        kept.append(listing)
        print(f"{name:<34} {len(listing):>9,} rows  built in {built:6.2f} s  resident +{resident_mb() - before:5.1f} MB"
              f"  (now {resident_mb():.0f} MB)")
    listing = kept[0]
    n = len(listing)
    import random

    rng = random.Random(7)
    rows = 30  # a screenful
    before = resident_mb()
    t = time.perf_counter()
    lines = LineLayout(listing)
    print(f"line layout: {lines.height:,} lines, made in {time.perf_counter() - t:.2f} s, resident +{resident_mb() - before:.1f} MB")
    print(f"{'read per key (listing of every article)':<44}{'median':>10}{'worst':>10}")
    for name, fn in (
        ("window at a random place (cold cache)", lambda: listing.window(rng.randrange(max(1, n - rows)), rows)),
        ("window one row down (cached)", lambda: listing.window(n // 2 + 1, rows)),
        ("window at the end", lambda: listing.window(n - rows, rows)),
        ("headings of a window", lambda: listing.headings(rng.randrange(max(1, n - rows)), rows)),
        ("position of an id (open an article)", lambda: listing.position(listing.window(rng.randrange(n), 1)[0].id)),
        ("place at a line (scroll), + its top", lambda: lines.top(lines.at_line(rng.randrange(lines.height))[0])),
    ):
        med, worst = timed(fn)
        print(f"{name:<44}{med:>8.2f} ms{worst:>8.2f} ms")
    print(f"resident at the end: {resident_mb():.0f} MB")
    if args.tui:
        import asyncio

        from briefing.tui.marks import MemoryMarks

        asyncio.run(drive_list(listing, MemoryMarks()))


async def drive_list(listing, marks) -> None:
    import asyncio

    from textual import events
    from textual.app import App, ComposeResult

    from briefing.tui.widgets.windowed_list import WindowedArticleList

    class ListApp(App[None]):
        def compose(self) -> ComposeResult:
            yield WindowedArticleList()

    app = ListApp()
    async with app.run_test(size=(160, 48)) as pilot:
        articles = app.query_one(WindowedArticleList)
        articles.show_listing(listing, marks)
        articles.focus()
        await pilot.pause()
        print(f"windowed list shown: resident {resident_mb():.0f} MB")

        async def press(key: str) -> float:
            await pilot.pause()
            before = articles.cursor_place
            t = time.perf_counter()
            app._driver.send_message(events.Key(key, None))
            while articles.cursor_place == before:
                await asyncio.sleep(0.0005)
            return (time.perf_counter() - t) * 1000

        for keys in (["j"] * 40, ["pagedown"] * 40, ["end", "home"] * 10):
            times = sorted([await press(k) for k in keys])
            print(f"{'/'.join(sorted(set(keys))):<20} p50 {times[len(times) // 2]:6.1f} ms  p95 {times[int(0.95 * (len(times) - 1))]:6.1f} ms")
        await pilot.pause()
        print(f"after the keys: resident {resident_mb():.0f} MB")


if __name__ == "__main__":
    main()
