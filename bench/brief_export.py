"""How long a composed briefing of 500 items takes to export, per format (issue 17).

    python bench/brief_export.py [--corpus /tmp/corpus1k] [--items 500] [--no-stories]

Opens the corpus (a folder of articles, e.g. /tmp/corpus1k; make one with
/work/shared/bench/make_corpus.py), builds a briefing document in memory with the
first N articles (newest first) in five sections, a "why it matters" line on every
tenth item and three judgments citing items, composes it once (summaries of every
item, stories of near-duplicates, numbered sources) and renders it in every format
the renderer dispatcher offers (``briefing.export.FORMATS``: md, json, html, docx,
and pdf once the formats branch provides it). Prints a table of seconds: the
compose step once, then each format's render, and compose + render per format
(the time ``briefing brief export`` spends after loading). Goal: < 5 s per format.
Nothing is written into the corpus folder (the annotations store is opened, not saved).

Compose is timed twice: cold (an empty summary cache: every summary computed, in a
process pool when many) and warm (the same cache, read back from its file by a fresh
cache object, as a second ``brief export`` would); the summaries' share of each is
shown. The cache lives in a temporary folder (``--cache-dir`` to keep one), never
in the user's cache folder. The load average is printed with the figures.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.machine import cpu_check_ms  # noqa: E402


def _cpu() -> tuple[float, float]:
    """CPU seconds of this process and of its finished worker processes."""
    import resource

    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, kids.ru_utime + kids.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default="/tmp/corpus1k")
    parser.add_argument("--items", type=int, default=500)
    parser.add_argument("--no-stories", action="store_true", help="Skip grouping stories (summaries across versions).")
    parser.add_argument("--cache-dir", help="The cache folder (BRIEFING_CACHE_DIR); default: a new temporary one (cold).")
    args = parser.parse_args()
    if args.cache_dir:
        os.environ["BRIEFING_CACHE_DIR"] = args.cache_dir
    else:  # a cold cache of our own, removed at the end
        temporary = tempfile.TemporaryDirectory(prefix="brief-export-bench-")
        os.environ["BRIEFING_CACHE_DIR"] = temporary.name

    from briefing import export
    from briefing.annotations import open_store
    from briefing.brief.build import compose
    from briefing.brief.model import BriefDoc, Judgment
    from briefing.corpus import open_corpus
    from briefing.export import BriefingOptions

    print(f"cpu check: {cpu_check_ms():.0f} ms (about 40 ms when the machine is quiet)")
    started = time.perf_counter()
    corpus = open_corpus(Path(args.corpus))
    store, _ = open_store(Path(args.corpus), corpus.articles)
    ids = [m.id for m in corpus.articles][: args.items]
    print(f"opened {len(corpus.articles)} articles in {time.perf_counter() - started:.2f} s; briefing of {len(ids)} items")
    doc = BriefDoc(name="bench", title="Bench briefing", marking="BENCH - NOT FOR RELEASE", analyst="Bench", bluf="Bottom line.")
    per = max(1, len(ids) // 5)
    for k in range(0, len(ids), per):
        doc.add(ids[k : k + per], section=f"Section {k // per + 1}")
    for k, article_id in enumerate(ids):
        if k % 10 == 0:
            doc.set_why(article_id, f"Why item {k + 1} matters.")
    for k in range(3):
        doc.add_judgment(Judgment(f"Judgment {k + 1}.", "likely / probable", ids[k :: 50][:5]))
    options = BriefingOptions(produced=None)
    from briefing.export import summaries

    spent = [0.0]
    prefetch = summaries.prefetch

    def timed(*a, **k):  # type: ignore[no-untyped-def]
        begun = time.perf_counter()
        try:
            return prefetch(*a, **k)
        finally:
            spent[0] += time.perf_counter() - begun

    summaries.prefetch = timed  # type: ignore[assignment]
    times = {}
    for run in ("cold", "warm"):
        summaries._cache = None  # a fresh cache object: the warm run reads the file, not this process's memory
        spent[0] = 0.0
        with open("/proc/loadavg") as f:
            load = f.read().split()[0]
        cpu = _cpu()
        started = time.perf_counter()
        briefing = compose(corpus, store, doc, options, stories=not args.no_stories)
        composed = times[run] = time.perf_counter() - started
        cpu = tuple(b - a for a, b in zip(cpu, _cpu(), strict=True))
        stories = sum(1 for item in briefing.items if item.story_summary)
        print(f"compose {run}: {composed:.2f} s, of which summaries {spent[0]:.2f} s; CPU {cpu[0]:.2f} s here + "
              f"{cpu[1]:.2f} s in worker processes (load {load}; {briefing.item_count} items, "
              f"{len(briefing.cited)} sources, {stories} story summaries)")
    composed = times["cold"]
    print()
    print(f"{'format':<8}{'render s':>10}{'+compose cold':>15}{'+compose warm':>15}{'bytes':>12}")
    for fmt in export.FORMATS:
        started = time.perf_counter()
        data = export.render(briefing, fmt)
        took = time.perf_counter() - started
        mark = "" if composed + took < 5 else "  (over the 5 s goal)"
        print(f"{fmt:<8}{took:>10.2f}{composed + took:>15.2f}{times['warm'] + took:>15.2f}{len(data):>12}{mark}")
    with open("/proc/loadavg") as f:
        print(f"load average at the end: {f.read().split()[0]}")


if __name__ == "__main__":
    main()
