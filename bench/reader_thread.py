#!/usr/bin/env python3
"""What the reader's own thread does with a large annotation file (issue 20): the calls
its screen makes when the corpus is loaded and after a save, timed. Prints a table.

    python bench/reader_thread.py --corpus /tmp/corpus100k --cache /tmp/NAME-cache100k \
        [--annotated 100000] --tree /tmp/base --tree .

The corpus is hard-link copied into a temporary folder and given an annotations.yaml
of ``--annotated`` entries keyed by its own first ids (``bench/reader_memory.py``'s
``annotated_copy``: the proportions of ``bench/annotations_gen.py``); the cache
folder's index of the corpus is copied for it (build it first with
``BRIEFING_CACHE_DIR=DIR briefing index --corpus CORPUS``). Each ``--tree`` (a source
tree of briefing, put first on PYTHONPATH) gets its own copy of that cache and a
first child process that opens the index and the store (an index built by another
version is rebuilt there, and the annotation file's index is kept, as on any day but
the first); then a second child times, in the order the reader makes them:

- reconcile: ``store.reconcile(index.by_id)``, what the screen does once the whole
  corpus is loaded (the annotated ids checked against the index);
- corrections: the first ``store.corrections(id)`` of an article with the analyst's
  title, what the list's first layout asks (the ids with a title or a date, and
  their values, read from the file);
- authors: ``store.several_authors()``, asked by the article pane for every article
  shown, and counted again after each save;
- authors after a save: the same after one tag added (a save through the store).

Medians of ``--repeat`` children per tree, the trees alternating. The machine is
shared: the load average is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def child(root: Path, warm: bool) -> dict[str, float]:
    from briefing.annotations import open_store
    from briefing.index import open_index

    index = open_index(root)
    if warm:
        open_store(root)
        return {}
    store, _report = open_store(root)
    out: dict[str, float] = {}
    t = time.perf_counter()
    report = store.reconcile(index.by_id)
    out["reconcile s"] = time.perf_counter() - t
    assert not report.moved
    t = time.perf_counter()
    titled = sorted(store.ids_with("title"))
    store.corrections(titled[0])
    out["corrections s"] = time.perf_counter() - t
    t = time.perf_counter()
    store.several_authors()
    out["authors s"] = time.perf_counter() - t
    first = next(m.id for m in index.articles)
    store.add_tags([first], [f"bench-{time.time_ns()}"])
    t = time.perf_counter()
    store.several_authors()
    out["authors after a save s"] = time.perf_counter() - t
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--cache", type=Path)
    parser.add_argument("--annotated", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--tree", action="append", type=Path)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--warm", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.warm)))
        return
    if args.corpus is None or args.cache is None:
        parser.error("--corpus and --cache are needed")
    trees = [t.resolve() for t in (args.tree or [HERE.parent])]
    sys.path.insert(0, str(HERE))
    sys.path.insert(0, str(trees[0]))
    from reader_memory import annotated_copy

    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="reader-thread-") as tmp:
        cache = Path(tmp) / "cache"
        shutil.copytree(args.cache, cache, ignore=shutil.ignore_patterns("*.lock", "*-shm", "*-wal", "annotations"))
        made = time.perf_counter()
        copy = annotated_copy(args.corpus.resolve(), cache, args.annotated, Path(tmp))
        print(f"{args.annotated:,} annotated in a copy, {time.perf_counter() - made:.0f} s", file=sys.stderr)
        original = (copy / "annotations.yaml").read_bytes()
        runs: dict[Path, list[dict[str, float]]] = {tree: [] for tree in trees}
        for k in range(len(trees)):  # each tree's own cache: an index another version wrote is rebuilt
            shutil.copytree(cache, Path(tmp) / f"cache-{k}")
        for _ in range(args.repeat):
            for k, tree in enumerate(trees):
                env = {**os.environ, "PYTHONPATH": str(tree), "BRIEFING_CACHE_DIR": str(Path(tmp) / f"cache-{k}"),
                       "BRIEFING_CONFIG_DIR": str(Path(tmp) / "config"), "BRIEFING_DATA_DIR": str(Path(tmp) / "data"),
                       "BRIEFING_STATE_DIR": str(Path(tmp) / "state")}
                fresh = copy / ".annotations.yaml.bench"
                fresh.write_bytes(original)  # every child starts from the same file (a save changed it)
                os.replace(fresh, copy / "annotations.yaml")
                for warm in (True, False):
                    done = subprocess.run([sys.executable, __file__, "--child", str(copy), *(["--warm"] if warm else [])],
                                          env=env, cwd=tree, capture_output=True, text=True)
                    if done.returncode:
                        sys.exit(f"{tree}: the child failed:\n{done.stderr}")
                runs[tree].append(json.loads(done.stdout.strip().splitlines()[-1]))
    columns = list(runs[trees[0]][0])
    print("tree | " + " | ".join(columns))
    print("|".join("---" for _ in range(len(columns) + 1)))
    for tree in trees:
        print(f"{tree} | " + " | ".join(f"{statistics.median(r[c] for r in runs[tree]):.3f}" for c in columns))
    print(f"load average {load_before[0]:.1f} -> {os.getloadavg()[0]:.1f}; {args.annotated:,} annotated; "
          f"medians of {args.repeat}")


if __name__ == "__main__":
    main()
