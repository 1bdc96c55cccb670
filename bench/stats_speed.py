"""How fast the statistics of a view are counted on a big corpus (issue 23's figure:
under 100 ms for a change of search or filter at 100k articles).

    python bench/stats_speed.py [/tmp/corpus100k] [--cache DIR] [--repeats 5]
    python bench/stats_speed.py /tmp/corpus1m --cache /tmp/cache1m --streamed

``--streamed`` (a million articles): no list of every article is loaded; the counts
of the whole corpus and of date ranges come from the cache as ``briefing stats``
takes them (:class:`briefing.listing.view.IndexView`, read-only on the cache
itself), then ``briefing stats --json`` and ``--by source`` run as whole processes;
each figure with the peak RSS of its process (this one's before and after counting,
the command's as a child).

Uses an existing index cache without rebuilding it: the cache of ``--cache`` (as
$BRIEFING_CACHE_DIR would hold it, default /tmp/briefing-preview-bench/100k) is
copied into a temporary folder, given this branch's ``articles_stats`` index, and
opened there (a read of the copy: the shared cache is never changed). Prints, for
each kind of view, the count's min and median in milliseconds (the count only: a
search's own time is the query language's, see query_speed.py), with the load
average before and after (a shared machine).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", default="/tmp/corpus100k")
    parser.add_argument("--cache", default="/tmp/briefing-preview-bench/100k")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--streamed", action="store_true", help="never load every article (a million)")
    args = parser.parse_args()
    os.environ["BRIEFING_CACHE_DIR"] = args.cache
    if args.streamed:
        streamed(args.corpus, args.repeats)
        return
    from briefing.index import store
    from briefing.index.indexed import _META_SQL, CorpusIndex, IndexedCorpus, _metas

    index = CorpusIndex(args.corpus)
    source = index.path
    if not source.exists():
        sys.exit(f"no cache for {args.corpus} in {args.cache}")
    tmp = Path(tempfile.mkdtemp(prefix="stats-bench-"))
    try:
        copy = tmp / source.name
        for path in [source, *sorted(source.parent.glob(source.name + ".fts*"))]:
            shutil.copy(path, tmp / path.name)
        conn = sqlite3.connect(copy)
        if "lang" not in {row[1] for row in conn.execute("PRAGMA table_info(articles)")}:
            conn.execute("ALTER TABLE articles ADD COLUMN lang TEXT")  # a cache made before languages (issue 19)
        started = time.perf_counter()
        conn.execute("CREATE INDEX IF NOT EXISTS articles_stats ON articles(date, source, tags, lang)")
        conn.commit()
        print(f"articles_stats index built on the copy in {1000 * (time.perf_counter() - started):.0f} ms")
        metas = _metas(conn.execute(_META_SQL + " ORDER BY date DESC, id"))
        conn.close()
        index.path = copy
        corpus = IndexedCorpus(index, metas, [], None)
        run(corpus, args.repeats)
        corpus.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    _ = store


def timed(fn, repeats: int) -> tuple[float, float, object]:
    fn()  # warm
    times = []
    result = None
    for _ in range(repeats):
        started = time.perf_counter()
        result = fn()
        times.append(1000 * (time.perf_counter() - started))
    return min(times), statistics.median(times), result


def run(corpus, repeats: int) -> None:
    from bench.machine import cpu_check_ms
    from briefing.querylang import evaluate, parse
    from briefing.stats import count_view

    print(f"{len(corpus.articles):,} articles; load average {os.getloadavg()[0]:.2f}; "
          f"CPU check {cpu_check_ms():.0f} ms (about 40 when quiet)")
    last = max(m.date for m in corpus.articles if m.date is not None)
    views = {
        "whole corpus (SQL)": lambda: count_view(corpus, {}),
        "last 30 days (SQL)": lambda: count_view(corpus, {}, since=last - dt.timedelta(days=30), until=last),
        "last year (SQL)": lambda: count_view(corpus, {}, since=last - dt.timedelta(days=365), until=last),
        "whole corpus (Python, for comparison)": lambda: count_view(corpus, {}, use_index=False),
    }
    for word in ("ukraine", "police", "the"):
        ids = evaluate(parse(word), corpus)
        views[f"search {word!r}: {len(ids):,} ids"] = lambda ids=ids: count_view(corpus, {}, ids)
    everything = [m.id for m in corpus.articles]
    views[f"every id listed: {len(everything):,}"] = lambda: count_view(corpus, {}, everything)
    print(f"{'view':45} {'min ms':>8} {'median ms':>10} {'total':>9}")
    for name, fn in views.items():
        low, mid, counts = timed(fn, repeats)
        print(f"{name:45} {low:8.1f} {mid:10.1f} {counts.total:9,}")
    print(f"load average after {os.getloadavg()[0]:.2f}; CPU check {cpu_check_ms():.0f} ms")


def _rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def streamed(root: str, repeats: int) -> None:
    """The counts a command takes on a big corpus, with the memory they cost."""
    import resource
    import subprocess

    from bench.machine import cpu_check_ms
    from briefing.index import store
    from briefing.listing.stream import connect
    from briefing.listing.view import IndexView
    from briefing.stats import count_view

    path = store.cache_path(Path(root).resolve())
    if not path.exists():
        sys.exit(f"no cache for {root} in {os.environ['BRIEFING_CACHE_DIR']}")
    print(f"load average {os.getloadavg()[0]:.2f}; CPU check {cpu_check_ms():.0f} ms (about 40 when quiet); "
          f"peak RSS before counting {_rss_mb():.0f} MB")
    conn = connect(path)
    (articles,) = conn.execute("SELECT count(*) FROM articles").fetchone()
    (last,) = conn.execute("SELECT max(date) FROM articles").fetchone()
    last_day = dt.date.fromordinal(last)
    corpus = IndexView(conn)
    views = {
        "whole corpus": lambda: count_view(corpus, {}),
        "last 30 days": lambda: count_view(corpus, {}, since=last_day - dt.timedelta(days=30), until=last_day),
        "last year": lambda: count_view(corpus, {}, since=last_day - dt.timedelta(days=365), until=last_day),
    }
    print(f"{articles:,} articles in the cache")
    print(f"{'view (in this process, IndexView)':45} {'min ms':>8} {'median ms':>10} {'total':>9} {'groups':>8}")
    for name, fn in views.items():
        low, mid, counts = timed(fn, repeats)
        since = None if name == "whole corpus" else (last_day - dt.timedelta(days=30 if "30" in name else 365))
        groups = len(corpus.stats_groups(since, last_day if since else None))
        print(f"{name:45} {low:8.1f} {mid:10.1f} {counts.total:9,} {groups:8,}")
    conn.close()
    print(f"peak RSS of this process after counting: {_rss_mb():.0f} MB")
    print(f"{'briefing stats (a new process each)':45} {'min s':>8} {'median s':>10} {'peak RSS':>9}")
    for extra in ([], ["--by", "source"]):
        times, rss = [], []
        for _ in range(3):
            before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "briefing", "stats", "--corpus", root, "--json", *extra], check=True,
                           capture_output=True, cwd=Path(__file__).resolve().parents[1])
            times.append(time.perf_counter() - started)
            rss.append(max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024)
        print(f"{'stats --json ' + ' '.join(extra):45} {min(times):8.2f} {statistics.median(times):10.2f} "
              f"{max(rss):7.0f} MB")
    print(f"load average after {os.getloadavg()[0]:.2f}; CPU check {cpu_check_ms():.0f} ms")


if __name__ == "__main__":
    main()
