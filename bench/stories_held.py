#!/usr/bin/env python3
"""What the reader holds for the stories (issue 20): objects against arrays.

    python bench/stories_held.py CORPUS CACHE_DIR [--times 10]

Reads the grouping stored in CACHE_DIR's index of CORPUS (``BRIEFING_CACHE_DIR``;
group once first), repeats it ``--times`` times with the ids prefixed (``t3/...``:
as many stories and grouped articles as a corpus that many times bigger), and in a
fresh child process each, builds:

- objects: a ``Story`` per story and a dict from every grouped article to its story
  (what :class:`briefing.stories.Stories` held before it was packed);
- arrays: :class:`briefing.stories.Stories` from the packed rows.

It prints the resident memory each adds, the time to build it, a ``story_of`` of a
grouped id (median of 20,000) and asking for every grouped id once (``members_at``
in chunks for arrays, ``story_of`` each for objects: the list's layout).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return 0.0


def child(corpus: str, times: int, kind: str) -> dict[str, float]:
    import gc

    import numpy as np

    from briefing.index.store import cache_path
    from briefing.stories.held import Packed, Stories, Story
    from briefing.stories.signature import PARAMS
    from briefing.stories.store import StoryStore

    store = StoryStore(cache_path(corpus), PARAMS)
    if not store.open() or store.connection is None:
        raise SystemExit("no index cache for that corpus")
    rows = store.connection.execute("SELECT members, scores FROM story_groups ORDER BY ord").fetchall()
    store.close()
    blobs = [b"\0".join(b"t%d/" % t + m for m in members.split(b"\0")) for t in range(times) for members, _ in rows]
    scores = [s for _ in range(times) for _, s in rows]
    del rows
    gc.collect()
    before = _rss_mb()
    t = time.process_time()
    if kind == "objects":
        made = []
        for blob, score in zip(blobs, scores, strict=True):
            ids = tuple(blob.decode("utf-8", "surrogatepass").split("\0"))
            made.append(Story(ids[0], ids, tuple(np.frombuffer(score, dtype="<f8").tolist())))
        by_article = {m: s for s in made for m in s.members}
        held: object = (made, by_article)
        story_of = by_article.get
        grouped = list(by_article)
    else:
        sizes = [blob.count(0) + 1 for blob in blobs]
        packed = Packed(b"\0".join(blobs) + b"\0", np.concatenate(([0], np.cumsum(sizes))).astype(np.int64),
                        np.frombuffer(b"".join(scores), dtype="<f8").astype(np.float64))
        stories = Stories(packed, 0.2, 7)
        held = stories
        story_of = stories.story_of  # type: ignore[assignment]
        grouped = [m for s in stories.stories[:2000] for m in s.members]
    build_s = time.process_time() - t
    del blobs, scores
    gc.collect()
    added = _rss_mb() - before
    sample = grouped[:: max(1, len(grouped) // 20000)][:20000]
    lookups = []
    for article_id in sample:
        t = time.process_time()
        story_of(article_id)
        lookups.append(time.process_time() - t)
    every = [m for s in held for m in s.members] if kind == "arrays" else grouped  # type: ignore[attr-defined]
    t = time.process_time()
    if kind == "arrays":
        for start in range(0, len(every), 65536):
            held.members_at(every[start : start + 65536])  # type: ignore[union-attr]
    else:
        for article_id in every:
            story_of(article_id)
    every_s = time.process_time() - t
    return {"stories": float(len(held) if kind == "arrays" else len(made)), "grouped": float(len(every)),  # type: ignore[arg-type]
            "added": added, "build": build_s, "lookup_us": statistics.median(lookups) * 1e6, "every": every_s,
            "load": os.getloadavg()[0]}


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "_child":
        print(json.dumps(child(sys.argv[2], int(sys.argv[3]), sys.argv[4])))
        return
    if len(sys.argv) not in (3, 5):
        raise SystemExit(__doc__)
    corpus, cache = sys.argv[1], sys.argv[2]
    times = int(sys.argv[4]) if len(sys.argv) == 5 else 10
    env = dict(os.environ, BRIEFING_CACHE_DIR=cache)
    print(f"{'held as':>8} {'stories':>8} {'grouped':>8} {'RSS added MB':>12} {'build cpu s':>11} {'story_of cpu us':>15} "
          f"{'every id cpu s':>14} {'load':>5}")
    for kind in ("objects", "arrays"):
        out = subprocess.run([sys.executable, __file__, "_child", corpus, str(times), kind], env=env, check=True,
                             capture_output=True, text=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
        print(f"{kind:>8} {int(r['stories']):>8} {int(r['grouped']):>8} {r['added']:>12.1f} {r['build']:>11.2f} "
              f"{r['lookup_us']:>15.2f} {r['every']:>14.2f} {r['load']:>5.1f}", flush=True)
    print(f"the stored grouping of {corpus} repeated {times} times; RSS added: resident memory after building "
          "minus before; times are CPU seconds (the machine is shared); story_of: median of 20,000; every id: each grouped id asked once (the layout's pass).")


if __name__ == "__main__":
    main()
