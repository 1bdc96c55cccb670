"""How fast the query language answers on a big corpus (issue 16's figures).

    python bench/query_speed.py [/tmp/corpus100k] [--repeats 5] [--process-runs 3]

Make the corpus first (about a minute):
``python /work/shared/bench/make_corpus.py /tmp/corpus100k --articles 100000``.
The index cache goes to $BRIEFING_CACHE_DIR (set it to keep this off your own cache).

Prints, for each kind of query (words, fields, phrases, exclusions), the p50 and p95
of whole-corpus evaluations in-process on a warm index (every query run once to
warm, then ``--repeats`` times), with how many results and how many article texts
a phrase made us read; for words and fields also the reader's search
(:func:`briefing.tui.searching.find`): the p95 of what the list waits for
(evaluation, hits with their titles marked; no body in memory) and, once, the
snippets of the first 200 hits that follow (their files read and parsed); then ``briefing list --query WORD`` as a whole process beside
``grep -ril WORD`` on the same folder, alternating, medians of ``--process-runs``;
with the load average and a CPU check before and after (a shared machine).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.machine import cpu_check_ms  # noqa: E402
from briefing.index import open_index  # noqa: E402
from briefing.querylang import Evaluation, parse  # noqa: E402
from briefing.tui.searching import find, with_snippets  # noqa: E402

QUERIES = {
    "word": ["ukraine", "election", "hurricane", "manchester united", "police OR army", "sanct*", "kyiv grid",
             "obama putin", "(flood OR storm) damage", "zzzqx"],
    "field": ["title:ukraine", "title:election", "since:2024-01 ukraine", "date:2021-03 election",
              "id:2020/* police", "is:unread hurricane", "until:2019-06 -title:the", "title:\"world cup\""],
    "phrase": ['"real madrid"', '"prime minister"', '"white house"', '"islamic state"', '"climate change"',
               '"north korea" missile', '"human rights" -police', '"world cup" final', '"power grid"',
               '"supreme court" ruling'],
    "exclusion": ["ukraine -russia", "election -trump", "police -shooting", "football -england", "storm -flood",
                  '-"prime minister" labour', '-"white house" obama', "-is:read hurricane", "obama -\"white house\""],
}


PAGE = 200  # the reader's first page of hits (briefing.tui.searching.SNIPPET_HITS)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def in_process(root: Path, repeats: int) -> None:
    started = time.perf_counter()
    corpus = open_index(root)
    print(f"open_index (walk and check {len(corpus.articles)} files): {time.perf_counter() - started:.1f} s")
    print()
    print(f"{'kind':<10} {'query':<28} {'results':>8} {'texts read':>10} {'p50 ms':>8} {'p95 ms':>8} {'page p95':>9}"
          f" {'list p95':>9} {'snippets 1st':>12}")
    summary = {}
    for kind, queries in QUERIES.items():
        times: list[float] = []
        pages: list[float] = []
        readers: list[float] = []
        for text in queries:
            query = parse(text)
            first_reader = 0.0
            if kind in ("word", "field"):  # the reader's search: the hits for the list, then their snippets
                quick = find(corpus, query, snippet_body=lambda article_id: None) or {}
                t0 = time.perf_counter()
                with_snippets(corpus, query, quick)  # the first 200 hits' files read (first time)
                first_reader = (time.perf_counter() - t0) * 1000
            Evaluation(query, corpus).ids()  # warm: the rowid map, SQLite's pages, the bodies' pages
            mine = []
            for _ in range(repeats):
                t0 = time.perf_counter()
                ev = Evaluation(query, corpus)
                found = ev.ids() or []
                mine.append((time.perf_counter() - t0) * 1000)
            times += mine
            firsts = []
            for _ in range(repeats):  # the reader's first page (200 hits) of the same query
                t0 = time.perf_counter()
                Evaluation(query, corpus).first(PAGE)
                firsts.append((time.perf_counter() - t0) * 1000)
            pages += firsts
            again = []
            for _ in range(repeats if kind in ("word", "field") else 0):  # what the list waits for
                t0 = time.perf_counter()
                find(corpus, query, snippet_body=lambda article_id: None)
                again.append((time.perf_counter() - t0) * 1000)
            readers += again
            reader = f" {pct(again, 0.95):>9.1f} {first_reader:>12.1f}" if again else ""
            print(f"{kind:<10} {text[:28]:<28} {len(found):>8} {ev.stats.checked:>10} {statistics.median(mine):>8.1f}"
                  f" {pct(mine, 0.95):>8.1f} {pct(firsts, 0.95):>9.1f}{reader}")
        summary[kind] = (statistics.median(times), pct(times, 0.95), pct(pages, 0.95),
                         pct(readers, 0.95) if readers else None)
    print()
    for kind, (p50, p95, page95, reader95) in summary.items():
        target = 100 if kind in ("word", "field") else 300
        verdict = "ok" if p95 < target else "OVER"
        reader = f"; the reader's list (hits, titles marked) p95 {reader95:7.1f} ms" if reader95 is not None else ""
        print(f"{kind:<10} all queries: p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  (target p95 < {target} ms: {verdict});"
              f" first page of {PAGE} p95 {page95:7.1f} ms{reader}")
    corpus.close()


def whole_process(root: Path, runs: int, word: str) -> None:
    env = dict(os.environ)
    briefing = [sys.executable, "-m", "briefing", "list", "--corpus", str(root), "--query", word, "--json"]
    grep = ["grep", "-ril", word, str(root)]
    subprocess.run(briefing, env=env, capture_output=True, check=True)  # warm: the cache and the page cache
    subprocess.run(grep, capture_output=True)
    ours: list[float] = []
    theirs: list[float] = []
    counts = {}
    for _ in range(runs):
        for name, cmd, sink in (("briefing", briefing, ours), ("grep", grep, theirs)):
            t0 = time.perf_counter()
            done = subprocess.run(cmd, env=env, capture_output=True)
            sink.append(time.perf_counter() - t0)
            counts[name] = done.stdout.count(b'"id"') if name == "briefing" else len(done.stdout.splitlines())
    print()
    print(f"whole process, query {word!r}, median of {runs} (alternating):")
    print(f"  briefing list --query {word}: {statistics.median(ours):6.2f} s  ({counts['briefing']} articles listed)")
    print(f"  grep -ril {word}:            {statistics.median(theirs):6.2f} s  ({counts['grep']} files)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", nargs="?", default="/tmp/corpus100k", type=Path)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--process-runs", type=int, default=3)
    ap.add_argument("--word", default="hurricane")
    ap.add_argument("--skip-process", action="store_true")
    args = ap.parse_args()
    if not args.corpus.is_dir():
        sys.exit(f"no corpus at {args.corpus}: python /work/shared/bench/make_corpus.py {args.corpus} --articles 100000")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}, cpu check {cpu_check_ms():.0f} ms (~40 when quiet)")
    in_process(args.corpus, args.repeats)
    if not args.skip_process:
        whole_process(args.corpus, args.process_runs, args.word)
    print(f"\nafter: load average {os.getloadavg()[0]:.2f}, cpu check {cpu_check_ms():.0f} ms")


if __name__ == "__main__":
    main()
