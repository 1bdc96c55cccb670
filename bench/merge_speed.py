"""How long the git merge driver takes on large annotation files.

    python bench/merge_speed.py [--articles 10000] [--repeat 5]

Generates a base annotation file of N annotated articles (a fingerprint, read, two
tags, one note with its author), then two sides: "ours" changes 10% of the
articles (a tag, a note, a flag) and adds 5% new ones; "theirs" changes another
10%, corrects the date of 5%, and sets a different title than ours on 1% (true
conflicts). Times ``merge_file`` (what ``briefing merge-file`` runs: read the
three files, parse, merge, write, parse back, atomic replace of OURS) over several
runs; prints the median, the best, the file size, the conflicts found, and the
machine's load average and a CPU check (see bench/machine.py). Issue 21 asks for
under 1 s at 10,000 articles.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.machine import cpu_check_ms  # noqa: E402
from briefing.annotations import yamlio  # noqa: E402
from briefing.annotations.schema import AnnotationDoc, ArticleNotes, Note  # noqa: E402
from briefing.team.mergefile import merge_file  # noqa: E402


def make_sides(n: int) -> tuple[AnnotationDoc, AnnotationDoc, AnnotationDoc]:
    base = {
        f"{i:06d}_article.txt": ArticleNotes(
            fingerprint=f"sha256:{i:064x}", read=True, tags=("energy", f"t{i % 50}"),
            notes=(Note(f"note on article {i}\nsecond line", "2026-11-01T10:00:00Z", "Lead"),),
        )
        for i in range(n)
    }
    ours, theirs = dict(base), dict(base)
    ids = list(base)
    for i in range(0, n, 10):  # ours: 10% changed
        a = ours[ids[i]]
        ours[ids[i]] = ArticleNotes(**{**_fields(a), "tags": (*a.tags, "ours"), "flagged": True,
                                       "notes": (*a.notes, Note("ours", "2026-12-01T10:00:00Z", "Ann"))})
    for i in range(n, n + n // 20):  # ours: 5% new
        ours[f"{i:06d}_article.txt"] = ArticleNotes(tags=("new",), notes=(Note("new", "2026-12-01T10:00:00Z", "Ann"),))
    for i in range(5, n, 10):  # theirs: another 10% changed
        a = theirs[ids[i]]
        theirs[ids[i]] = ArticleNotes(**{**_fields(a), "tags": (*a.tags, "theirs"), "dismissed": True})
    for i in range(3, n, 20):  # theirs: 5% dated
        theirs[ids[i]] = ArticleNotes(**{**_fields(theirs[ids[i]]), "date": dt.date(2024, 1, 1 + i % 28)})
    for i in range(0, n, 100):  # 1%: both set a different title
        ours[ids[i]] = ArticleNotes(**{**_fields(ours[ids[i]]), "title": f"ours {i}"})
        theirs[ids[i]] = ArticleNotes(**{**_fields(theirs[ids[i]]), "title": f"theirs {i}"})
    return AnnotationDoc(base), AnnotationDoc(ours), AnnotationDoc(theirs)


def _fields(a: ArticleNotes) -> dict:
    return {name: getattr(a, name) for name in ArticleNotes.__dataclass_fields__}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    base, ours, theirs = make_sides(args.articles)
    data = [yamlio.dumps_bytes(d) for d in (base, ours, theirs)]
    times, cpu, conflicts = [], [], 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ.setdefault("BRIEFING_CONFIG_DIR", str(folder / "config"))
        for name, blob in zip(("base", "theirs"), (data[0], data[2]), strict=True):
            (folder / name).write_bytes(blob)
        for _ in range(args.repeat):
            (folder / "ours").write_bytes(data[1])  # git hands the driver a fresh OURS each time
            started, started_cpu = time.perf_counter(), time.process_time()
            result = merge_file(folder / "base", folder / "ours", folder / "theirs", "annotations.yaml", "2026-12-05T00:00:00Z", "Bench")
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
            conflicts = len(result.conflicts)
        merged = yamlio.load((folder / "ours").read_bytes())
    from briefing.annotations.merge import merge_docs

    expected, _ = merge_docs(base, ours, theirs, "2026-12-05T00:00:00Z", "Bench")  # the whole-file merge, untimed
    assert merged == expected, "the entry-by-entry merge differs from the whole-file merge"
    load = os.getloadavg()
    print(f"merge of two {args.articles:,}-article annotation files (briefing merge-file), {args.repeat} runs")
    print(f"{'articles':>10} {'file MB':>8} {'merged':>8} {'conflicts':>9} {'median s':>9} {'best s':>7} {'cpu s':>6} {'load 1m':>8} {'cpu check ms':>12}")
    print(f"{args.articles:>10,} {len(data[1]) / 1e6:>8.2f} {len(merged.articles):>8,} {conflicts:>9} "
          f"{statistics.median(times):>9.3f} {min(times):>7.3f} {statistics.median(cpu):>6.3f} {load[0]:>8.2f} {cpu_check_ms():>12.0f}")
    print("cpu s: median CPU time of the merging process; cpu check: a fixed loop, ~40 ms on this machine when quiet")


if __name__ == "__main__":
    main()
