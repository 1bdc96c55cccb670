#!/usr/bin/env python3
"""Memory and time of the reader's annotation reads on a large annotated corpus (issue 20):
tag counts (what ``t`` asks for) and searches, over an indexed corpus whose
annotations.yaml is large and indexed (its index kept: not the first open). Prints a table.

    python bench/annotations_memory.py --corpus /tmp/annmem/copies/corpus100k-ann100000 \\
        --cache /tmp/annmem/c100k --tree /tmp/base --tree .

``--corpus``: a corpus with a large annotations.yaml (``bench/reader_memory.py
--annotated N --copies DIR`` makes one); ``--cache``: its warm index cache folder;
each ``--tree`` is a source tree of briefing (PYTHONPATH), measured side by side in
one run, each in a fresh child process (after another that opened the store once: the
annotation index is kept per source tree): the store opened as the reader opens it
(its kept index), then the tag counts, three searches (the first, then two more), the
analyst's titles; RSS after each (``malloc_trim`` first: what the process keeps), the
time of each. The machine is shared: the load average is printed.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import subprocess
import sys
import time
from pathlib import Path

STEPS = ("open", "tag counts", "search obama", "search election -market", "search is:flagged storm", "titles")


def rss_mb() -> float:
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def child(corpus: Path) -> None:
    from briefing.annotations import AnnotationStore
    from briefing.corpus.view import known_articles
    from briefing.index import open_index
    from briefing.querylang import Evaluation, parse

    out: dict[str, tuple[float, float]] = {}
    index = open_index(corpus)
    articles = index.articles
    len(articles)
    base = rss_mb()
    out["before"] = (0.0, base)
    started = time.perf_counter()
    store = AnnotationStore.open(corpus, known_articles(index))  # as the reader: the index's id lookup
    out["open"] = (time.perf_counter() - started, rss_mb())
    started = time.perf_counter()
    store.tag_counts(articles)
    out["tag counts"] = (time.perf_counter() - started, rss_mb())
    for text in ("obama", "election -market", "is:flagged storm"):
        started = time.perf_counter()
        found = Evaluation(parse(text), index, store).ids()
        assert found is not None
        out[f"search {text}"] = (time.perf_counter() - started, rss_mb())
    started = time.perf_counter()
    store.analyst_titles() if hasattr(store, "analyst_titles") else {
        i: a.title for i, a in store.document.articles.items() if a.title is not None}
    out["titles"] = (time.perf_counter() - started, rss_mb())
    index.close()
    print(json.dumps(out))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", required=True, type=Path)
    parser.add_argument("--cache", required=True, type=Path)
    parser.add_argument("--tree", action="append", required=True, type=Path)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--warm", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.warm:  # the annotation index is kept per source tree: an open keeps it for the next
        from briefing.annotations import AnnotationStore

        AnnotationStore.open(args.corpus)
        return
    if args.child:
        child(args.corpus)
        return
    rows = []
    for tree in args.tree:
        env = dict(os.environ, BRIEFING_CACHE_DIR=str(args.cache), PYTHONPATH=str(tree.resolve()))
        subprocess.run([sys.executable, __file__, "--warm", "--corpus", str(args.corpus), "--cache", str(args.cache),
                        "--tree", str(tree)], env=env, check=True)
        load = Path("/proc/loadavg").read_text().split()[:3]
        done = subprocess.run([sys.executable, __file__, "--child", "--corpus", str(args.corpus), "--cache",
                               str(args.cache), "--tree", str(tree)], env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            print(done.stderr[-3000:], file=sys.stderr)
            continue
        rows.append((tree, json.loads(done.stdout.strip().splitlines()[-1]), " ".join(load)))
    print(f"annotation reads on {args.corpus}: seconds / RSS MB after (malloc_trim)")
    print(f"{'tree':<28} {'before':>7} " + " ".join(f"{s:>24}" for s in STEPS))
    for tree, out, load in rows:
        cells = " ".join(f"{out[s][0]:>11.2f} s {out[s][1]:>6.0f} MB" for s in STEPS)
        print(f"{str(tree)[-28:]:<28} {out['before'][1]:>7.0f} {cells}")
        print(f"{'':<28} load average {load}")


if __name__ == "__main__":
    main()
