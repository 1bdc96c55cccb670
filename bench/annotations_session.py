#!/usr/bin/env python3
"""A long reading session on a large annotation file (issue 20): every annotated
article's annotations asked for, one after the other, as opening them in the reader
does. Prints a table.

    python bench/annotations_session.py [--entries 100000] --tree /tmp/base --tree .

The file comes from ``bench/annotations_gen.py`` (``--entries`` annotated articles),
written to a temporary folder with its own cache folder. Each ``--tree`` (a source
tree of briefing, put first on PYTHONPATH) is measured side by side in one run, in a
fresh child process, after another child that opened the store once (so the file's
index is kept, as on any day but the first): the store opened, then ``get`` for each
article with a read mark (85 % of the entries) in id order. RSS (``malloc_trim``
first: what the process keeps) after the open and after 1,000, 5,000, 10,000 and all
of them; the longest single ``get`` (a stall, were it on the reader's thread) and the
total time. The machine is shared: the load average is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
MARKS = (1000, 5000, 10000)


def child(root: Path, warm: bool) -> dict[str, float]:
    from annotations_memory import rss_mb  # (this folder: first on the path of a script run)

    from briefing.annotations import AnnotationStore

    store = AnnotationStore.open(root)
    if warm:
        return {}
    out = {"open MB": rss_mb()}
    ids = sorted(store.ids_with("read"))
    longest = 0.0
    started = time.perf_counter()
    for k, article_id in enumerate(ids, 1):
        t = time.perf_counter()
        store.get(article_id)
        longest = max(longest, time.perf_counter() - t)
        if k in MARKS:
            out[f"after {k:,} MB"] = rss_mb()
    out["total s"] = time.perf_counter() - started
    out[f"after all ({len(ids):,}) MB"] = rss_mb()
    out["longest get ms"] = longest * 1000
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--tree", action="append", type=Path)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--warm", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.warm)))
        return
    trees = args.tree or [HERE.parent]
    sys.path.insert(0, str(HERE))
    sys.path.insert(0, str(trees[0].resolve()))
    from annotations_gen import make_doc

    from briefing.annotations import yamlio

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "corpus"
        root.mkdir()
        (root / "annotations.yaml").write_bytes(yamlio.dumps_bytes(make_doc(args.entries)))
        for tree in trees:
            env = {**os.environ, "PYTHONPATH": str(tree.resolve()), "BRIEFING_CACHE_DIR": str(Path(tmp) / f"cache-{len(rows)}"),
                   "BRIEFING_CONFIG_DIR": str(Path(tmp) / "config"), "BRIEFING_DATA_DIR": str(Path(tmp) / "data")}
            for warm in (True, False):
                done = subprocess.run([sys.executable, __file__, "--child", str(root), *(["--warm"] if warm else [])],
                                      env=env, cwd=tree, check=True, capture_output=True, text=True)
            row = {"tree": str(tree), **json.loads(done.stdout.strip().splitlines()[-1])}
            rows.append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)
    columns = list(rows[0])
    print(" | ".join(columns))
    print("|".join("---" for _ in columns))
    for row in rows:
        print(" | ".join(v if isinstance(v, str) else f"{v:.0f}" if "MB" in k else f"{v:.2f}" for k, v in row.items()))
    print(f"load average {os.getloadavg()[0]:.1f}; {args.entries:,} entries")


if __name__ == "__main__":
    main()
