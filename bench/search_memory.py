#!/usr/bin/env python3
"""The reader's search alone on a big index: resident memory after each search (issue 20).

    python bench/search_memory.py --corpus /tmp/corpus1m --cache /tmp/NAME-cache1m

The index snapshot is opened as the CLI opens it (``CorpusIndex(root).snapshot()``:
no walk of the folder, so no walk's peak hides the search's), then each query is
run as the reader's search worker runs it (:func:`briefing.tui.searching.find`,
typed text, snippets of the first 200 hits; a phrase's first page first), and the
resident memory (``VmRSS``) is printed after each, with the hits and the time; the
peak (``ru_maxrss``) and the load average at the end. ``bench/reader_memory.py``
measures the same inside the whole reader, where at a million articles under load
its half-minute of use may not reach the searches.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

QUERIES = ("obama", "election", "market", "storm", "minister", '"white house" -obama', "title:election", "-obama")


def rss_mb() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) // 1024
    return -1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", required=True, type=Path)
    parser.add_argument("--cache", required=True, type=Path, help="index cache folder (built: briefing index)")
    args = parser.parse_args()
    os.environ["BRIEFING_CACHE_DIR"] = str(args.cache)
    from briefing.index.indexed import CorpusIndex
    from briefing.querylang import parse
    from briefing.tui.searching import find, first_page, needs_texts

    load_before = Path("/proc/loadavg").read_text().split()[:3]
    corpus = CorpusIndex(args.corpus).snapshot()
    print(f"{args.corpus.name}: {len(corpus.articles):,} articles; RSS after opening {rss_mb()} MB")
    print(f"{'query':<26} {'hits':>9} {'first page s':>12} {'find s':>7} {'RSS MB':>7}")
    for text in QUERIES:
        query = parse(text, typing=True)
        started = time.perf_counter()
        page = first_page(corpus, query, 200) if needs_texts(query) else None
        paged = time.perf_counter()
        hits = find(corpus, query)
        done = time.perf_counter()
        first = f"{paged - started:12.2f}" if page is not None else f"{'':>12}"
        print(f"{text:<26} {len(hits or ()):>9,} {first} {done - paged:7.2f} {rss_mb():>7}")
        del hits, page
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    load_after = Path("/proc/loadavg").read_text().split()[:3]
    print(f"peak (ru_maxrss) {peak} MB; load average {' '.join(load_before)} -> {' '.join(load_after)}")
    corpus.close()


if __name__ == "__main__":
    main()
