#!/usr/bin/env python3
"""A phrase query's candidates over an indexed corpus (issue 20): how many there are,
how many the byte test settles without a parse, and what checking them costs.

    python bench/phrase_check.py /tmp/corpus1m --cache /tmp/cache1m
    python bench/phrase_check.py /tmp/corpus100k --cache /tmp/cache100k --query '"white house" -obama'

The candidates are the rows the SQL leaves open (every word of the phrase present,
the rest of the query decided by SQL), as ``briefing list --query`` reads them. One
table, medians of ``--runs`` in one process (CPU seconds beside wall ones):

- every candidate parsed and folded, the check as it was before the byte test;
- the byte test first (:mod:`briefing.querylang.phrasecheck`), a parse for those it
  passes (:func:`briefing.querylang.verify.check`): the same verdicts (asserted);
- ``briefing list --query`` as a whole process (a fresh interpreter, imports
  included), with its worker process (:func:`briefing.querylang.verify.decided`),
  and the time to its first row.

The cache is only read. The machine's load is printed: figures under load are slower.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))


def candidates(corpus: Path, cache: Path, query: str) -> tuple[Any, list[Any]]:
    """(the query's root, the metas of its open rows in list order)."""
    from briefing.index import store
    from briefing.listing.stream import COLUMNS, connect, meta_of, schemas_of
    from briefing.querylang import parse
    from briefing.querylang.sql import TRUE, Translation, has_phrase

    os.environ["BRIEFING_CACHE_DIR"] = str(cache)
    conn = connect(store.cache_path(corpus))
    root = parse(query).root
    assert root is not None, "an empty query"
    t = Translation(schemas_of(conn), [])
    sure = t.condition(root, "sure") if has_phrase(root) else TRUE
    maybe = t.condition(root, "maybe")
    t.register(conn)
    rows = conn.execute(f"SELECT {COLUMNS}, {sure} FROM articles AS a WHERE {maybe} ORDER BY a.date DESC, a.id", t.params)
    return root, [meta_of(r[:-1]) for r in rows if not r[-1]]


def parse_every(root: Any, metas: list[Any]) -> list[bool]:
    """The check without the byte test: every candidate's body parsed and folded."""
    from briefing.corpus.load import parse_body, read_bytes
    from briefing.querylang.match import Facts, facts_from, fold_text, node_matches

    class Before(Facts):
        def folded_body(self) -> str:  # the fold of the whole text, as before the shortcut
            if self._folded is None:
                self._folded = fold_text(self.body() if callable(self.body) else self.body)
            return self._folded

    out = []
    for meta in metas:
        def body(meta: Any = meta) -> str:
            try:
                return parse_body(meta.id, meta.path, read_bytes(meta.path))
            except Exception:  # noqa: BLE001 - unreadable: no body
                return ""
        facts = facts_from(meta, None, body)
        facts.__class__ = Before  # the same fields, the whole-text fold
        out.append(node_matches(root, facts))
    return out


def timed(runs: int, fn: Any, *args: Any) -> tuple[float, float, Any]:
    walls, cpus, result = [], [], None
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        result = fn(*args)
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return statistics.median(walls), statistics.median(cpus), result


def whole_process(corpus: Path, cache: Path, query: str, runs: int) -> tuple[float, float, float]:
    """(median wall seconds, median CPU seconds of it and its worker, median seconds to the first row)."""
    env = {**os.environ, "BRIEFING_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT),
           "PYTHONPYCACHEPREFIX": str(Path(tempfile.gettempdir()) / "briefing-bench-pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    walls, cpus, firsts = [], [], []
    for _ in range(runs + 1):  # the first warms the caches
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "briefing", "list", "--query", query, "--corpus", str(corpus)],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
        assert proc.stdout is not None
        first = None
        for _line in proc.stdout:
            if first is None:
                first = time.perf_counter() - started
        _pid, _status, usage = os.wait4(proc.pid, 0)
        walls.append(time.perf_counter() - started)
        cpus.append(usage.ru_utime + usage.ru_stime)
        firsts.append(first if first is not None else float("nan"))
    return statistics.median(walls[1:]), statistics.median(cpus[1:]), statistics.median(firsts[1:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--cache", type=Path, required=True, help="BRIEFING_CACHE_DIR of an index of the corpus (read only)")
    parser.add_argument("--query", default='"white house" -obama')
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from briefing.querylang.verify import check

    print(f"{args.corpus}: query {args.query!r}; load average {os.getloadavg()[0]:.2f}")
    root, metas = candidates(args.corpus.resolve(), args.cache, args.query)
    before_wall, before_cpu, before = timed(args.runs, parse_every, root, metas)
    after_wall, after_cpu, after = timed(args.runs, check, root, metas)
    assert before == after, "the byte test changed a verdict"
    matched = sum(after)

    from briefing.querylang.nodes import Phrase, walk
    from briefing.querylang.phrasecheck import FileText

    phrases = [n.tokens for n, _neg in walk(root) if isinstance(n, Phrase) and n.field is None]
    passed = sum(1 for m in metas if all(FileText(m.id, m.path).probe(p) for p in phrases))
    wall, cpu, first = whole_process(args.corpus, args.cache, args.query, args.runs)
    print("| candidates | matches | passed the byte test (parsed) | check, every one parsed s (CPU) "
          "| check, byte test first s (CPU) | ratio (CPU) | `list --query` whole process s (CPU incl. worker) | first row s |")
    print("|---|---|---|---|---|---|---|---|")
    print(f"| {len(metas)} | {matched} | {passed} | {before_wall:.2f} ({before_cpu:.2f}) | {after_wall:.2f} ({after_cpu:.2f}) "
          f"| {before_wall / max(after_wall, 1e-9):.1f}x ({before_cpu / max(after_cpu, 1e-9):.1f}x) | {wall:.2f} ({cpu:.2f}) | {first:.2f} |")
    print(f"load average at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
