#!/usr/bin/env python3
"""Hostile annotation files given to the recognition of a never-seen file
(``briefing.annotations.fastcheck``, issue 20): its time and peak memory per case.

    python bench/fastcheck_hostile.py [--tree /tmp/base --tree .]

A written file of 2,100 entries with one entry made hostile: a quoted title of 2.5
million escapes (closed, and left open), one of 120,000 (240 KB, just under
``fastcheck.GREEDY_MAX_ENTRY``: what an older Python still recognises, with ordinary
repeats), a title block of 20,000 long lines, a quoted value of 5 million blanks
left open, a tag of 3 million blanks. Each case runs in a
fresh child process per ``--tree`` (a source tree of briefing, first on PYTHONPATH),
so the peak RSS is the case's own; the file is made in the child. The whole parse
(``yamlio.load``) is measured beside for scale in the same way.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

CASES = {
    "escapes, closed": b'    title: "' + b"\\n" * 2_500_000 + b'"\n',
    "escapes, left open": b'    title: "' + b"\\n" * 2_500_000 + b"\n",
    # just under the bound on a Python without reliable possessive repeats (briefing.repeats):
    # recognised there with ordinary repeats, the engine keeping state per repetition
    "escapes, 240 KB": b'    title: "' + b"\\n" * 120_000 + b'"\n',
    "a long block": b"    title: |-\n" + (b"      " + b"a " * 200 + b"b\n") * 20000,
    "blanks, left open": b'    title: "' + b" " * 5_000_000 + b"\n",
    "a blank tag": b'    tags:\n      - "' + b" " * 3_000_000 + b'"\n',
}


def child(case: str, whole: bool) -> dict[str, object]:
    from briefing.annotations import fastcheck, yamlio
    from briefing.annotations.schema import AnnotationDoc, ArticleNotes, SchemaError

    base = yamlio.dumps_bytes(AnnotationDoc({f"{i:05}.txt": ArticleNotes(read=True) for i in range(2100)}))
    entry = b'  "01000.txt":\n    read: true\n'
    data = base.replace(entry, entry + CASES[case])
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    if whole:
        try:
            yamlio.load(data)
            verdict = "valid"
        except SchemaError:
            verdict = "refused"
    else:
        verdict = "recognised" if fastcheck.canonical_index(data) is not None else "left to the parse"
    return {"s": time.perf_counter() - started, "verdict": verdict,
            "peak MB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "before MB": before}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tree", action="append", type=Path)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--whole", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.whole)))
        return
    trees = args.tree or [Path(__file__).resolve().parent.parent]
    print("case | " + " | ".join(f"{t}: s, peak MB" for t in trees) + " | whole parse: s, peak MB")
    print("|".join("---" for _ in range(len(trees) + 2)))
    for case in CASES:
        cells = []
        for tree, whole in [*((t, False) for t in trees), (trees[-1], True)]:
            env = {**os.environ, "PYTHONPATH": str(tree.resolve())}
            done = subprocess.run([sys.executable, __file__, "--child", case, *(["--whole"] if whole else [])],
                                  env=env, cwd=tree, check=True, capture_output=True, text=True)
            r = json.loads(done.stdout.strip().splitlines()[-1])
            cells.append(f"{r['s']:.2f}, {r['peak MB']:.0f} ({r['verdict']})")
        print(f"{case} | " + " | ".join(cells))
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
