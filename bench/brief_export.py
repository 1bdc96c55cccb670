"""How long a composed briefing of 500 items takes to export, per format (issue 17).

    python bench/brief_export.py [--corpus /tmp/corpus1k] [--items 500] [--no-stories] [--repeats 3]

Opens the corpus (a folder of articles, e.g. /tmp/corpus1k; make one with
/work/shared/bench/make_corpus.py), builds a briefing document in memory with the
first N articles (newest first) in five sections, a "why it matters" line on every
tenth item and three judgments citing items, and composes it once (summaries of every
item, stories of near-duplicates, numbered sources): the compose time.

Then renders it in every format of ``briefing.export.FORMATS``, each in a fresh Python
process (the composed briefing handed over as a pickle), so that a format's first
render pays for its own library imports (fpdf2, python-docx, jinja2) as
``briefing brief export`` does (what compose has loaded before, the summarizer and
numpy, is loaded first and not counted): "cold" is that first render, "warm" the median of the
next ``--repeats`` renders in the same process (the reader exporting again), "cpu" the
CPU seconds of the cold render (less disturbed by other load than wall time). The
last column is compose + cold render: the time the command spends after loading.
Goals: render ≤ 1 s, compose + render < 5 s. The load average is printed with the
figures. Nothing is written into the corpus folder (the annotations store is opened,
not saved); the pickle goes to a temporary folder removed at the end.

Compose is timed twice: cold (an empty summary cache: every summary computed, in a
process pool when many) and warm (the same cache, read back from its file by a fresh
cache object, as a second ``brief export`` would); the summaries' share of each is
shown. The cache lives in a temporary folder (``--cache-dir`` to keep one), never
in the user's cache folder. The last columns add the cold render to compose cold and warm.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.machine import cpu_check_ms  # noqa: E402

_CHILD = """
import json, pickle, sys, time
from briefing import export
import briefing.brief.build
from briefing.summarize import summarize_detail
summarize_detail("What compose loads first. The summarizer and numpy. Then the render.", 1, "default")
briefing = pickle.load(open(sys.argv[1], "rb"))
fmt, repeats = sys.argv[2], int(sys.argv[3])
cpu, wall = time.process_time(), time.perf_counter()
data = export.render(briefing, fmt)
cold, cold_cpu = time.perf_counter() - wall, time.process_time() - cpu
warm = []
for _ in range(repeats):
    wall = time.perf_counter()
    export.render(briefing, fmt)
    warm.append(time.perf_counter() - wall)
print(json.dumps({"cold": cold, "cold_cpu": cold_cpu, "warm": warm, "bytes": len(data)}))
"""


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?"


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
    parser.add_argument("--repeats", type=int, default=3, help="Warm renders per format (median reported).")
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

    print(f"load average {load()}; cpu check: {cpu_check_ms():.0f} ms (about 40 ms when the machine is quiet)")
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
            load_now = f.read().split()[0]
        cpu = _cpu()
        started = time.perf_counter()
        briefing = compose(corpus, store, doc, options, stories=not args.no_stories)
        composed = times[run] = time.perf_counter() - started
        cpu = tuple(b - a for a, b in zip(cpu, _cpu(), strict=True))
        stories = sum(1 for item in briefing.items if item.story_summary)
        print(f"compose {run}: {composed:.2f} s, of which summaries {spent[0]:.2f} s; CPU {cpu[0]:.2f} s here + "
              f"{cpu[1]:.2f} s in worker processes (load {load_now}; {briefing.item_count} items, "
              f"{len(briefing.cited)} sources, {stories} story summaries)")
    composed = times["cold"]
    print()
    print(f"{'format':<8}{'cold s':>9}{'warm s':>9}{'cpu s':>8}{'+compose cold':>15}{'+compose warm':>15}{'bytes':>10}")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p))
    with tempfile.TemporaryDirectory(prefix="brief-export-bench-") as folder:
        pickled = Path(folder) / "briefing.pickle"
        pickled.write_bytes(pickle.dumps(briefing))
        for fmt in export.FORMATS:
            done = subprocess.run([sys.executable, "-c", _CHILD, str(pickled), fmt, str(args.repeats)],
                                  check=True, capture_output=True, text=True, env=env, cwd=folder)
            got = json.loads(done.stdout.strip().splitlines()[-1])
            warm = statistics.median(got["warm"]) if got["warm"] else float("nan")
            total = composed + got["cold"]
            marks = [note for bad, note in ((got["cold"] > 1.0, "render over 1 s"), (total >= 5, "over the 5 s goal")) if bad]
            mark = f"  ({'; '.join(marks)})" if marks else ""
            print(f"{fmt:<8}{got['cold']:>9.2f}{warm:>9.2f}{got['cold_cpu']:>8.2f}{total:>15.2f}{times['warm'] + got['cold']:>15.2f}{got['bytes']:>10}{mark}")
    print(f"\nload average {load()}")


if __name__ == "__main__":
    main()
