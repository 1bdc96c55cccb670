"""How long the palette's ``Open: …`` search takes (issue 15), at 1k/10k/100k titles.

    python bench/palette_titles.py [--sizes 1000,10000,100000] [--repeat 5]

Titles are made from a 400-word vocabulary (5-12 words each, fixed seed), so common
words occur in many titles. Prints the build time of the finder (once per corpus,
in a thread when the palette opens) and the median time of one search (one
keypress; also in a thread) for a few kinds of query: a rare word, two common
words, five words, a prefix letter, letters in order (no title has the words) and
nothing found.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from briefing.corpus.titles import TitleFinder

QUERIES = ["zanzibar", "kyiv power", "minister election vote court bank", "p", "pwrgrd", "qqqq"]


def titles(count: int) -> list[tuple[str, str]]:
    rng = random.Random(15)
    vocabulary = [f"w{i}" for i in range(392)] + ["kyiv", "power", "minister", "election", "vote", "court", "bank",
                                                  "grid"]
    out = []
    for i in range(count):
        words = [rng.choice(vocabulary) for _ in range(rng.randint(5, 12))]
        if i == count // 2:
            words.append("zanzibar")
        out.append((f"{i:06d}.txt", " ".join(words).capitalize()))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"{'titles':>8} {'build ms':>9} " + " ".join(f"{q[:14]:>15}" for q in QUERIES))
    for size in (int(s) for s in args.sizes.split(",")):
        pairs = titles(size)
        started = time.perf_counter()
        finder = TitleFinder(pairs)
        build = (time.perf_counter() - started) * 1000
        cells = []
        for query in QUERIES:
            times = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                found = finder.find(query)
                times.append((time.perf_counter() - started) * 1000)
            cells.append(f"{statistics.median(times):7.1f} ms ({len(found):>2})")
        print(f"{size:>8} {build:9.0f} " + " ".join(f"{c:>15}" for c in cells))


if __name__ == "__main__":
    main()
