#!/usr/bin/env python3
"""Watchlist figures (issue 16): counts of 20 watchlists at open, then the cost per
newly arrived file.

    python bench/watchlists.py [--corpus /tmp/corpus100k] [--repeat 5] [--new 20]

The corpus comes from ``../shared/bench/make_corpus.py`` (``--articles 100000``); it
is only read: no watchlists file, no annotation and no article is written into it.
The index lives in a private cache folder (``--cache``, default
``/tmp/briefing-watchlists-bench-cache``; built on the first run, reused after).

- **counts at open**: :func:`briefing.watchlists.run.match_all` (every watchlist over
  the whole corpus, through the index) plus the unread counts from the annotations,
  for 20 watchlists (plain words, two-word queries, ``tag:`` queries): what the
  reader's count worker does. The first run (cold SQLite pages) and the median of
  the others are printed.
- **per new file**: what the reader's arrival worker does for one file the watcher
  just indexed: read and parse it, and check it against the 20 watchlists
  (:func:`briefing.watchlists.run.matches_of`). One file is parsed first, untimed:
  the parser's first call in a process loads its models (seconds; in the reader,
  the watcher's indexing did that long before). The new files are written in a
  temporary folder outside the corpus. The index update itself is the watcher's
  (``bench/watch_latency.py`` measures it).

Prints medians, the worst, the load average and a CPU check (``bench/machine.py``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

QUERIES = [
    "labour", "police", "government", "court", "football", "president", "minister", "hospital",
    "children school", "prime minister", "world cup", "oil prices", "climate", "election", "syria",
    "tag:energy", "tag:energy police", "bank", "army soldiers", "space nasa",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default="/tmp/corpus100k")
    parser.add_argument("--cache", default="/tmp/briefing-watchlists-bench-cache")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--new", type=int, default=20)
    args = parser.parse_args()
    os.environ["BRIEFING_CACHE_DIR"] = args.cache

    from machine import cpu_check_ms

    from briefing.annotations import AnnotationStore
    from briefing.corpus.load import parse_bytes, read_bytes
    from briefing.index import open_index
    from briefing.watchlists.model import make
    from briefing.watchlists.run import counts, match_all, matches_of

    root = Path(args.corpus)
    if not root.is_dir():
        sys.exit(f"no corpus at {root}: python ../shared/bench/make_corpus.py {root} --articles 100000")
    started = time.perf_counter()
    corpus = open_index(root)
    print(f"corpus: {len(corpus.articles):,} articles in {root} (index opened/refreshed in "
          f"{time.perf_counter() - started:.1f} s, not part of the figures)")
    store = AnnotationStore.open(root, corpus.articles)
    lists = [make(f"w{i:02d}", q) for i, q in enumerate(QUERIES)]
    print(f"load average before: {os.getloadavg()[0]:.2f}; cpu check {cpu_check_ms():.0f} ms (about 40 ms when quiet)")

    times = []
    for _ in range(args.repeat + 1):
        started = time.perf_counter()
        found = counts(match_all(lists, corpus, store), store)
        times.append(time.perf_counter() - started)
    total = sum(c.total for c in found.values())
    print(f"\ncounts at open, {len(lists)} watchlists ({total:,} matches in all):")
    print(f"  first {times[0] * 1000:.0f} ms; median of the next {args.repeat}: "
          f"{statistics.median(times[1:]) * 1000:.0f} ms; worst {max(times[1:]) * 1000:.0f} ms  (target < 1000 ms)")

    words = "labour police government court football president minister hospital climate election bank".split()
    per_file = []
    with tempfile.TemporaryDirectory() as tmp:
        warm = Path(tmp) / "warm.txt"  # the parser's first call loads its models (seconds): the watcher's, not ours
        warm.write_text("Warm up\n\nThe parser loads what it needs once. " * 5, encoding="utf-8")
        parse_bytes(warm.name, str(warm), read_bytes(warm))
        for n in range(args.new):
            path = Path(tmp) / f"new_{n:03d}.txt"
            body = " ".join(words[(n + k) % len(words)] for k in range(4))
            path.write_text(f"New article {n} on {body}\n\ndate 2026-11-0{1 + n % 9} " + (
                f"The {body} story continues with more detail. " * 40) + "\n", encoding="utf-8")
            started = time.perf_counter()
            article = parse_bytes(path.name, str(path), read_bytes(path))
            matches_of(lists, article.meta, article.body, store)
            per_file.append(time.perf_counter() - started)
    print(f"\nper new file ({args.new} files, read + parse + {len(lists)} watchlists checked):")
    print(f"  median {statistics.median(per_file) * 1000:.1f} ms; worst {max(per_file) * 1000:.1f} ms  (target < 50 ms)")
    print(f"\nload average after: {os.getloadavg()[0]:.2f}; cpu check {cpu_check_ms():.0f} ms")


if __name__ == "__main__":
    main()
