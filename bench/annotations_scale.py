#!/usr/bin/env python3
"""Annotations at scale (issue 20): a table at 10,000 and 100,000 annotated articles.

    python bench/annotations_scale.py [--sizes 10000,100000] [--repeat 3]

Before/after: run it with ``PYTHONPATH`` and the working directory both set to each
tree (``tag`` is run as ``python -m briefing``, which imports from the working
directory first).

The annotation file comes from ``bench/annotations_gen.py`` (tags, notes, highlights,
read marks, corrections in realistic proportions). Every figure is measured in a fresh
child process (its own interpreter, private config/data/cache folders in a temporary
folder), the median of ``--repeat`` runs, wall time (CPU time beside it where the
machine is shared):

- load, first: ``AnnotationStore.open`` when the cache holds nothing for this file (a
  fresh clone of the team's repository) -- the file is parsed whole once and its
  index kept;
- first: tag: ``tag`` (below) with nothing kept for the file, the whole process;
- first: reader open: the reader's open (below) with nothing kept for the file (the
  file opened unverified, ``check_later=True``); first: checked: from the same start
  until the background check of the whole file is done (0 when there was none), and
  the peak RSS of the child process that made it;
- load: the same with the index kept (the usual case);
- after a pull: the file rewritten by another program (a new inode, as ``git pull``
  writes it) with about 1 % of its entries changed (1 in 100 re-tagged, 1 in 1,000
  removed, as many added), the cache holding the index of the version before:
  ``AnnotationStore.open``, ``tag`` (whole process) and reader open, each from that
  state (the file and the cache put back before every run);
- tag: ``python -m briefing tag ID bench --corpus ROOT``, the whole process;
- reader open: what the reader does with annotations when it opens (the store opened
  on every article's metadata, the list's rows worked out with the analyst's dates,
  titles and dismissals, the first article's annotations shown), in-process;
- save: one tag added (lock, re-read, splice, backup, atomic write with fsync, read
  back), synchronous;
- UI stall during a save: with a ``SaveQueue`` (the reader's way), the longest and
  the 95th-percentile time of a store call made on the caller's thread (an article
  opened: ``mark_read_later`` + ``get``; a tag added) while the queue's thread writes;
- peak RSS of the reader-open child.

The load average and ``bench/machine.py``'s CPU check are printed with each size.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from briefing.annotations.schema import AnnotationDoc

HERE = Path(__file__).resolve().parent


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ----------------------------------------------------------------------------- children


def child(what: str, root: Path, n: int) -> dict[str, float]:
    sys.path.insert(0, str(HERE))
    from annotations_gen import article_id

    from briefing.annotations import AnnotationStore, open_store

    if what == "open":
        t, c = time.perf_counter(), _cpu()
        store = AnnotationStore.open(root)
        assert not store.read_only, store.error
        return {"s": time.perf_counter() - t, "cpu": _cpu() - c, "rss": _rss_mb()}
    if what == "reader":
        import datetime as dt

        from briefing.annotations.filter import Filter
        from briefing.model import ArticleMeta
        from briefing.tui.state import listed_metas

        metas = [
            ArticleMeta(id=article_id(i), path=str(root / article_id(i)), title=f"Article {i}", title_derived=False,
                        date=dt.date(2019, 1, 1) + dt.timedelta(days=i % 2500), author=None, source=None, tags=(),
                        fingerprint=f"sha256:{i:064x}", words=500)
            for i in range(n)
        ]
        metas.sort(key=lambda m: (m.date, m.id), reverse=True)
        t, c = time.perf_counter(), _cpu()
        try:  # the reader's way: a file never seen before is checked in the background
            store, _report = open_store(root, metas, check_later=True)  # type: ignore[call-arg]
        except TypeError:  # a tree before the background check
            store, _report = open_store(root, metas)
        rows = listed_metas(metas, store, Filter())
        view = store.view(rows[0])
        assert view is not None and not store.read_only
        out = {"s": time.perf_counter() - t, "cpu": _cpu() - c, "rss": _rss_mb(), "checked": 0.0, "child_rss": 0.0}
        check = getattr(store, "check", None)
        if check is not None:  # how long until the check is done, and the child's peak memory
            assert store.wait_checked(300) == [] and not store.read_only, store.error
            out["checked"] = time.perf_counter() - t
            out["child_rss"] = check.outcome.child_rss_mb
        return out
    if what == "save":
        store = AnnotationStore.open(root)
        times = []
        for r in range(3):
            t = time.perf_counter()
            store.add_tags(article_id(r * 7 + 1), [f"bench-{r}-{time.time_ns()}"])
            times.append(time.perf_counter() - t)
        return {"s": statistics.median(times), "rss": _rss_mb()}
    if what == "stall":
        from briefing.annotations.savequeue import SaveQueue

        store = AnnotationStore.open(root)
        queue = SaveQueue(store)
        calls: list[float] = []
        saves: list[float] = []
        try:
            for r in range(3):
                started = time.perf_counter()
                store.add_tags(article_id(r * 11 + 2), [f"stall-{r}-{time.time_ns()}"])  # the save starts
                k = 0
                while queue.pending:
                    k += 1
                    t = time.perf_counter()
                    store.mark_read_later(article_id(1000 + k % 500))  # an article opened
                    store.get(article_id(2000 + k % 500))
                    if k % 20 == 0:
                        store.add_tags(article_id(3000 + k % 500), ["during"])  # a key that changes something
                    calls.append(time.perf_counter() - t)
                    time.sleep(0.002)  # keys arrive; the save thread runs meanwhile
                saves.append(time.perf_counter() - started)
            assert queue.flush(30)
        finally:
            queue.close()
        calls.sort()
        return {"max": calls[-1], "p95": calls[int(len(calls) * 0.95)], "calls": len(calls),
                "save": statistics.median(saves)}
    raise SystemExit(f"unknown child {what}")


# ----------------------------------------------------------------------------- driver


def run_child(env: dict[str, str], what: str, root: Path, n: int) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, "--child", what, str(root), str(n)], env=env,
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def timed_process(env: dict[str, str], args: list[str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run([sys.executable, *args], env=env, check=True, capture_output=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def pulled_doc(n: int) -> AnnotationDoc:
    """The generated document as a teammate's pull leaves it: about 1 % changed."""
    import dataclasses

    sys.path.insert(0, str(HERE))
    from annotations_gen import make_doc

    from briefing.annotations.schema import ArticleNotes

    doc = make_doc(n)
    ids = sorted(doc.articles)
    changes = {i: dataclasses.replace(doc.articles[i], tags=(*doc.articles[i].tags, "from-a-teammate")) for i in ids[::100]}
    changes.update({i: ArticleNotes() for i in ids[50::1000]})  # removed
    changes.update({f"{i}.pulled.txt": ArticleNotes(read=True, tags=("new",)) for i in ids[25::1000]})  # added
    return doc.updated(changes)


def put_back(path: Path, data: bytes, cache: Path, kept: Path) -> None:
    """The pulled file (written beside, then renamed: a new inode) and the cache as it
    was before the pull."""
    import shutil

    shutil.rmtree(cache, ignore_errors=True)
    shutil.copytree(kept, cache)
    tmp = path.with_name(".pulled.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def bench_size(n: int, repeat: int, tmp: Path) -> dict[str, str]:
    sys.path.insert(0, str(HERE))
    from annotations_gen import article_id, make_doc
    from machine import cpu_check_ms

    from briefing.annotations import yamlio

    env = {**os.environ}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: compiled bytecode
    env["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
    for name in ("CONFIG", "DATA", "CACHE"):
        env[f"BRIEFING_{name}_DIR"] = str(tmp / f"{name.lower()}-{n}")
    root = tmp / f"corpus-{n}"
    root.mkdir()
    data = yamlio.dumps_bytes(make_doc(n))
    path = root / "annotations.yaml"
    path.write_bytes(data)
    for r in range(repeat + 1):  # `tag` looks up only the file it is given
        target = root / article_id(r * 13 + 5)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"Headline {r}\n\nThe body of article {r}, one sentence.\n")
    cache = tmp / f"cache-{n}"
    load = os.getloadavg()[0]
    check = cpu_check_ms()

    def median(what: str, key: str = "s") -> tuple[float, float]:
        runs = [run_child(env, what, root, n) for _ in range(repeat)]
        return statistics.median(r[key] for r in runs), statistics.median(r.get("cpu", 0.0) for r in runs)

    first, first_cpu, first_reader, first_tag = [], [], [], []
    for _ in range(repeat):  # nothing kept for this file: a fresh clone brought it
        import shutil

        shutil.rmtree(cache, ignore_errors=True)
        r = run_child(env, "open", root, n)
        first.append(r["s"])
        first_cpu.append(r["cpu"])
        shutil.rmtree(cache, ignore_errors=True)
        first_reader.append(run_child(env, "reader", root, n))
        shutil.rmtree(cache, ignore_errors=True)
        first_tag.append(timed_process(env, ["-m", "briefing", "tag", article_id(5), "bench", "--corpus", str(root)]))
        path.write_bytes(data)  # (as it was: the runs below start from the same file)
    warm, warm_cpu = median("open")
    import shutil

    kept = tmp / f"kept-{n}"  # the cache with the index of the file before the pull
    shutil.copytree(cache, kept)
    pulled = yamlio.dumps_bytes(pulled_doc(n))
    pull_open, pull_tag, pull_reader = [], [], []
    for r in range(repeat):
        put_back(path, pulled, cache, kept)
        pull_open.append(run_child(env, "open", root, n))
        put_back(path, pulled, cache, kept)
        pull_tag.append(timed_process(env, ["-m", "briefing", "tag", article_id(r * 13 + 5), "bench", "--corpus", str(root)]))
        put_back(path, pulled, cache, kept)
        pull_reader.append(run_child(env, "reader", root, n))
    tags = [timed_process(env, ["-m", "briefing", "tag", article_id(r * 13 + 5), "bench", "--corpus", str(root)])
            for r in range(1, repeat + 1)]
    reader = [run_child(env, "reader", root, n) for _ in range(repeat)]
    save, _ = median("save")
    stall = run_child(env, "stall", root, n)
    return {
        "entries": f"{n:,}",
        "file MB": f"{len(data) / 1e6:.1f}",
        "load first s (cpu)": f"{statistics.median(first):.2f} ({statistics.median(first_cpu):.2f})",
        "first: reader open s (cpu)": f"{statistics.median(r['s'] for r in first_reader):.2f} "
                                      f"({statistics.median(r['cpu'] for r in first_reader):.2f})",
        "first: tag s (cpu)": f"{statistics.median(t for t, _ in first_tag):.2f} ({statistics.median(c for _, c in first_tag):.2f})",
        "first: checked s": f"{statistics.median(r.get('checked', 0.0) for r in first_reader):.2f}",
        "check child RSS MB": f"{statistics.median(r.get('child_rss', 0.0) for r in first_reader):.0f}",
        "load s (cpu)": f"{warm:.3f} ({warm_cpu:.3f})",
        "pull: load s (cpu)": f"{statistics.median(r['s'] for r in pull_open):.2f} "
                                      f"({statistics.median(r['cpu'] for r in pull_open):.2f})",
        "pull: tag s (cpu)": f"{statistics.median(t for t, _ in pull_tag):.2f} ({statistics.median(c for _, c in pull_tag):.2f})",
        "pull: reader open s (cpu)": f"{statistics.median(r['s'] for r in pull_reader):.2f} "
                                     f"({statistics.median(r['cpu'] for r in pull_reader):.2f})",
        "tag s (cpu)": f"{statistics.median(t for t, _ in tags):.3f} ({statistics.median(c for _, c in tags):.3f})",
        "reader open s (cpu)": f"{statistics.median(r['s'] for r in reader):.2f} "
                               f"({statistics.median(r['cpu'] for r in reader):.2f})",
        "save s": f"{save:.3f}",
        "stall max/p95 ms": f"{stall['max'] * 1000:.0f}/{stall['p95'] * 1000:.1f}",
        "queued save s": f"{stall['save']:.2f}",
        "reader RSS MB": f"{statistics.median(r['rss'] for r in reader):.0f}",
        "load avg": f"{load:.1f}",
        "cpu check ms": f"{check:.0f}",
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", nargs=3, metavar=("WHAT", "ROOT", "N"))
    args = parser.parse_args()
    if args.child:
        what, root, n = args.child
        print(json.dumps(child(what, Path(root), int(n))))
        return
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in [int(x) for x in args.sizes.split(",")]:
            rows.append(bench_size(n, args.repeat, Path(tmp)))
            print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    columns = list(rows[0])
    widths = [max(len(c), *(len(r[c]) for r in rows)) for c in columns]
    print(" | ".join(c.rjust(w) for c, w in zip(columns, widths, strict=True)))
    print("-|-".join("-" * w for w in widths))
    for r in rows:
        print(" | ".join(r[c].rjust(w) for c, w in zip(columns, widths, strict=True)))
    print(f"medians of {args.repeat}; load avg = 1-minute load average before the size; "
          "cpu check = bench/machine.py (about 40 ms when quiet)")


if __name__ == "__main__":
    main()
