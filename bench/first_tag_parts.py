#!/usr/bin/env python3
"""Where the time of the first ``tag`` on a never-seen annotation file goes (issue 20's
"CLI tag under 0.5 s" at 100,000 annotated articles, the one case that does not reach it).

    python bench/first_tag_parts.py [--entries 100000] [--repeat 5]

The file is ``bench/annotations_gen.py``'s, written by the writer. In this process,
each step of the recognition of a never-seen file (``briefing.annotations.fastcheck``)
is timed alone, the median of ``--repeat`` runs: the characters, the entries one by
one, the checks across entries (and each of their passes), then the digests the kept
index stores. Beside them, whole processes (their own interpreter, private folders):
``tag`` with nothing kept for the file, and ``tag`` with the file's index kept, which
does everything the first one does but the recognition and the digests.

The last line is arithmetic on the rows above, not a measurement: the least a first
``tag`` could take if the recognition were split perfectly over both cores of this
machine and the digests were left to after the command's answer (a kept ``tag`` plus
half the recognition).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _median(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from annotations_gen import article_id, make_doc
    from annotations_scale import timed_process

    from briefing.annotations import fastcheck, kept, yamlio
    from briefing.annotations.indexed import FileIndex, entries_span, offsets

    n, repeat = args.entries, args.repeat
    data = yamlio.dumps_bytes(make_doc(n))
    load = os.getloadavg()[0]
    head, end = entries_span(data) or (0, 0)
    found = fastcheck._entries(data, head, end)
    assert found is not None, "the generated file is not recognised"
    starts, keys = found
    at = head - 1
    rows: list[tuple[str, float]] = [
        ("characters", _median(lambda: fastcheck._plain_characters(data), repeat)),
        ("entries one by one", _median(lambda: fastcheck._entries(data, head, end), repeat)),
        ("checks across entries", _median(lambda: fastcheck._doubts(data, head, keys), repeat)),
        ("  tag lists (find)", _median(lambda: fastcheck._TAG_ITEM.findall(data, at), repeat)),
        ("  tag lists (find and order)", _median(lambda: fastcheck._lists_in_order(fastcheck._TAG_ITEM.findall(data, at)), repeat)),
        ("  notes", _median(lambda: fastcheck._notes_in_order(data, at, []), repeat)),
        ("  highlights, conflicts", _median(lambda: fastcheck._repeats(data, at, fastcheck._ITEM, []), repeat)),
        ("  rare values", _median(lambda: fastcheck._RARE.findall(data, at), repeat)),
    ]
    recognition = _median(lambda: fastcheck.canonical_index(data), repeat)
    rows.append(("recognition in all (canonical_index)", recognition))
    assert fastcheck.canonical_index(data) is not None
    # (a new index each time: an index keeps the digests it has worked out)
    digests = _median(lambda: kept.index_bytes(FileIndex(data, offsets(starts), end), (0, 0, len(data), 0)), repeat)
    rows.append(("the kept index's digests", digests))

    with tempfile.TemporaryDirectory(prefix="first-tag-") as name:
        tmp = Path(name)
        env = {**os.environ}
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: compiled bytecode
        env["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
        for what in ("CONFIG", "DATA", "CACHE"):
            env[f"BRIEFING_{what}_DIR"] = str(tmp / what.lower())
        root = tmp / "corpus"
        target = root / article_id(5)
        target.parent.mkdir(parents=True)
        target.write_text("Headline\n\nThe body, one sentence.\n")
        path = root / "annotations.yaml"
        def tag(name: str) -> float:
            return timed_process(env, ["-m", "briefing", "tag", article_id(5), name, "--corpus", str(root)])[0]

        timed_process(env, ["-c", "import briefing"])  # (bytecode compiled once, outside the figures)
        first, again = [], []
        for r in range(repeat):
            shutil.rmtree(tmp / "cache", ignore_errors=True)
            path.write_bytes(data)
            first.append(tag("bench"))  # keeps the index of the file it wrote
            again.append(tag(f"again-{r}"))
        rows.append(("whole process: first tag", statistics.median(first)))
        rows.append(("whole process: tag, index kept", statistics.median(again)))
    rows.append(("least on 2 cores: kept tag + recognition / 2 (arithmetic)", statistics.median(again) + recognition / 2))

    print(f"# first `tag` on a never-seen file of {n:,} entries ({len(data) / 1e6:.1f} MB); "
          f"medians of {repeat}; load {load:.1f}; Python {sys.version.split()[0]}")
    width = max(len(label) for label, _ in rows)
    for label, seconds in rows:
        print(f"{label:<{width}}  {seconds:7.3f} s")


if __name__ == "__main__":
    main()
