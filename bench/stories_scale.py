#!/usr/bin/env python3
"""Stories at scale (issue 20): grouping from cached signatures, reading groups back,
and the memory it takes, on a corpus whose index already holds the signatures.

    python bench/stories_scale.py CORPUS CACHE_DIR [CORPUS CACHE_DIR ...] [--repeat 3]

Each CORPUS/CACHE_DIR pair (a cache folder as ``BRIEFING_CACHE_DIR``, whose index of
CORPUS was built and whose stories were grouped once, so every signature is in it) runs
in fresh child processes, ``--repeat`` times; medians are printed:

- open: ``open_index(CORPUS)`` (the reader's corpus view; a freshness check included;
  with ``--snapshot`` the index as it is, no walk: a 1M walk takes minutes here);
- read back: ``group_stories`` with the threshold the cache was grouped with (nothing
  changed: the groups are read back from the cache);
- regroup: ``group_stories`` with another threshold each run (signatures from the
  cache, LSH candidates, verification, grouping redone and saved); ``signed`` says how
  many bodies had to be read (0 when every signature was cached);
- RSS: resident memory after opening (the reader's own share), after reading back
  (and the peak so far), and the peak after regrouping (``ru_maxrss``), in MB;
  ``held``: after reading back less after opening (the Stories the reader holds);
  ``growth``: the regroup's peak less the RSS after reading back (what grouping adds
  to a reader that holds its corpus and stories).

``--core N`` instead times the grouping core alone at N articles: every signature of
the first CACHE_DIR's index, tiled to N rows (copies of the corpus's bodies, as a
bigger sample of the same texts would be), each with a fresh random date in the
corpus's span (45% undated); the stars, LSH and verification are then those of an
N-article corpus of those texts. ``python bench/stories_scale.py CORPUS CACHE --core
1000000``.

Work on a copy of a shared cache: regrouping writes the new groups into it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time


def _rss_now_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return 0.0


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def child(corpus_path: str, threshold: float, snapshot: bool = False) -> dict[str, float]:
    from briefing.index import CorpusIndex, open_index
    from briefing.stories import group_stories

    t = time.perf_counter()
    corpus = CorpusIndex(corpus_path).snapshot() if snapshot else open_index(corpus_path)
    open_s = time.perf_counter() - t
    rss_open = _rss_now_mb()
    t, c = time.perf_counter(), _cpu()
    back = group_stories(corpus, threshold=0.2)
    back_s, back_cpu = time.perf_counter() - t, _cpu() - c
    rss_back = _rss_now_mb()
    peak_back = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t, c = time.perf_counter(), _cpu()
    regrouped = group_stories(corpus, threshold=threshold)
    regroup_s, regroup_cpu = time.perf_counter() - t, _cpu() - c
    rss_end, peak = _rss_now_mb(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    group_stories(corpus, threshold=0.2)  # (untimed) the cache holds the 0.2 grouping again for the next run
    return {"articles": len(corpus.articles), "open_s": open_s, "back_s": back_s, "back_cpu": back_cpu,
            "regroup_cpu": regroup_cpu,
            "from_cache": float(bool(back.stats.from_cache)), "regroup_s": regroup_s,
            "signed": regrouped.stats.signed, "stories": len(regrouped), "rss_open": rss_open, "rss_back": rss_back, "peak_back": peak_back,
            "rss_now": rss_end, "rss_peak": peak, "held": rss_back - rss_open, "growth": peak - rss_back,
            "load": os.getloadavg()[0]}


def core(corpus_path: str, n: int) -> None:
    """Time the grouping core on ``n`` rows tiled from the cache's signatures."""
    import numpy as np

    from briefing.index.store import cache_path
    from briefing.stories import cluster
    from briefing.stories.signature import BINS, PARAMS
    from briefing.stories.store import StoryStore

    store = StoryStore(cache_path(corpus_path), PARAMS)
    if not store.open() or store.connection is None:
        raise SystemExit("no index cache with story tables for that corpus")
    packs = list(store._packs(BINS))
    store.close()
    base = np.concatenate([p[2] for p in packs])
    base = base[np.concatenate([p[1] for p in packs]) > 0]
    rng = np.random.default_rng(7)
    rows = np.resize(np.arange(len(base)), n)
    rng.shuffle(rows)
    sigs = base[rows]
    days = np.where(rng.random(n) < 0.55, 737060 + rng.integers(0, 2500, n), cluster.NO_DATE).astype(np.int64)
    print(f"core: {n} rows tiled from {len(base)} stored signatures ({sigs.nbytes / 2**20:.0f} MB); "
          f"load {os.getloadavg()[0]:.1f}", flush=True)
    for threshold in (0.2, 0.3):
        t, c = time.perf_counter(), _cpu()
        class_of, first = cluster.signature_classes(sigs)
        classes_s = time.perf_counter() - t
        counts = cluster.Counts()
        lead, _ = cluster.group_classes(sigs[first], class_of, days, threshold, 7, counts)
        total = time.perf_counter() - t
        print(f"  threshold {threshold}: {total:.2f} s (cpu {_cpu() - c:.2f}; classes {classes_s:.2f} s) "
              f"classes {counts.classes} candidates {counts.candidates} verified {counts.verified} "
              f"grouped {len(lead)}; peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB; "
              f"load {os.getloadavg()[0]:.1f}", flush=True)


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "_child":
        print(json.dumps(child(sys.argv[2], float(sys.argv[3]), sys.argv[4] == "snapshot")))
        return
    if len(sys.argv) == 5 and sys.argv[3] == "--core":
        os.environ["BRIEFING_CACHE_DIR"] = sys.argv[2]
        core(sys.argv[1], int(sys.argv[4]))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("pairs", nargs="+", help="CORPUS CACHE_DIR pairs")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--snapshot", action="store_true",
                        help="open the index as it is (CorpusIndex.snapshot), without the refresh walk")
    args = parser.parse_args()
    if len(args.pairs) % 2:
        raise SystemExit("give CORPUS CACHE_DIR pairs")
    print(f"{'corpus':>18} {'articles':>8} {'open s':>7} {'read back s (cpu)':>17} {'cached':>6} {'regroup s (cpu)':>15} "
          f"{'signed':>6} {'stories':>7} {'RSS open':>8} {'back':>5} {'peak':>5} {'RSS end':>7} {'peak':>6} {'held':>5} {'growth':>6} "
          f"{'load':>5}")
    for corpus, cache in zip(args.pairs[::2], args.pairs[1::2], strict=True):
        env = dict(os.environ, BRIEFING_CACHE_DIR=cache)
        runs = []
        for r in range(args.repeat):
            threshold = 0.2 + 0.01 * (r + 1)  # a new threshold each run: grouping redone
            out = subprocess.run([sys.executable, __file__, "_child", corpus, f"{threshold:.2f}",
                                  "snapshot" if args.snapshot else "open"], env=env,
                                 check=True, capture_output=True, text=True).stdout
            runs.append(json.loads(out.strip().splitlines()[-1]))

        def med(key: str, runs: list = runs) -> float:
            return statistics.median(r[key] for r in runs)

        print(f"{corpus:>18} {int(med('articles')):>8} {med('open_s'):>7.2f} {med('back_s'):>10.2f} ({med('back_cpu'):>4.2f}) "
              f"{min(r['from_cache'] for r in runs):>6.0f} {med('regroup_s'):>8.2f} ({med('regroup_cpu'):>4.1f}) {int(max(r['signed'] for r in runs)):>6} "
              f"{int(med('stories')):>7} {med('rss_open'):>8.0f} {med('rss_back'):>5.0f} {med('peak_back'):>5.0f} "
              f"{med('rss_now'):>7.0f} {med('rss_peak'):>6.0f} {med('held'):>5.0f} {med('growth'):>6.0f} "
              f"{med('load'):>5.1f}", flush=True)
    print(f"medians of {args.repeat}; cached: 1 when every read back came from the cache; signed: bodies read "
          "(most of any run); RSS in MB: after open_index, after read back and its peak, after regrouping "
          "and the peak; held: RSS back less RSS open; growth: the regroup's peak less RSS back; load: 1-minute load average.")


if __name__ == "__main__":
    main()
