"""How long annotation loads and saves take as the file grows.

    python bench/annotations_speed.py [--sizes 100,1000,10000]

Each annotated article has a fingerprint, a status, two tags and one two-line note.
Prints: annotated articles, file size, load (open the store), one mutation (a tag
added to one article: lock, re-read, hash, dump, backup, atomic write with fsync),
and the same mutation when another process changed the file first (merge path).
Runs in a temporary folder with BRIEFING_DATA_DIR pointed there too.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["BRIEFING_DATA_DIR"] = str(Path(tmp) / "data")
        from briefing.annotations import AnnotationStore, yamlio
        from briefing.annotations.schema import AnnotationDoc, ArticleNotes, Note

        print(f"{'articles':>9} {'file KiB':>9} {'load ms':>8} {'save ms':>8} {'merge+save ms':>14}")
        for n in [int(x) for x in args.sizes.split(",")]:
            root = Path(tmp) / f"c{n}"
            root.mkdir()
            doc = AnnotationDoc(
                {
                    f"{i:06}.txt": ArticleNotes(
                        fingerprint="sha256:" + f"{i:064x}",
                        status="read",
                        tags=("energy", f"t{i % 50}"),
                        notes=(Note(f"note {i}\nsecond line", "2026-01-01T00:00:00Z"),),
                    )
                    for i in range(n)
                }
            )
            path = root / "annotations.yaml"
            path.write_bytes(yamlio.dumps_bytes(doc))
            loads, saves, merges = [], [], []
            for r in range(args.repeat):
                t = time.perf_counter()
                store = AnnotationStore.open(root)
                loads.append(time.perf_counter() - t)
                assert not store.read_only, store.error
                t = time.perf_counter()
                store.add_tags("000000.txt", [f"x{r}"])
                saves.append(time.perf_counter() - t)
                AnnotationStore.open(root).add_tags("000001.txt", [f"other{r}"])
                t = time.perf_counter()
                store.add_tags("000002.txt", [f"y{r}"])
                merges.append(time.perf_counter() - t)
            ms = lambda xs: f"{statistics.median(xs) * 1000:.1f}"  # noqa: E731
            print(f"{n:>9} {path.stat().st_size / 1024:>9.0f} {ms(loads):>8} {ms(saves):>8} {ms(merges):>14}")


if __name__ == "__main__":
    main()
