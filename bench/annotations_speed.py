"""How long annotation loads and saves take as the file grows.

    python bench/annotations_speed.py [--sizes 100,1000,10000]
    python bench/annotations_speed.py --cli 100000 [--repeat 5]

``--cli N``: whole-process time of ``python -m briefing tag`` on a corpus whose
annotations.yaml holds N annotated articles (issue 22: under 0.5 s at 100,000).
The first command after the file was written by someone else parses it whole and
keeps an index in the cache folder (reported apart); the timed runs are the ones
after, each tagging another article (the file changes every time). Also reports
the interpreter start-up with ``import briefing.cli`` alone, for scale, and a
calibration loop (``sum(range(10**7))`` in a child) to compare machines. Only the
articles tagged exist as files: ``tag`` looks up the one file it is given.

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


def cli_bench(n: int, repeat: int) -> None:
    import subprocess
    import sys

    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ}
        # As installed: with compiled bytecode (kept in the temporary folder), even
        # where PYTHONDONTWRITEBYTECODE is set (it makes every run compile ~40 modules).
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        for name in ("CONFIG", "DATA", "CACHE"):
            env[f"BRIEFING_{name}_DIR"] = str(Path(tmp) / name.lower())
        os.environ.update(env)
        from briefing.annotations import yamlio
        from briefing.annotations.schema import AnnotationDoc, ArticleNotes, Note

        root = Path(tmp) / "corpus"
        root.mkdir()
        doc = AnnotationDoc(
            {
                f"{i:06}.txt": ArticleNotes(
                    fingerprint="sha256:" + f"{i:064x}",
                    read=True,
                    tags=("energy", f"t{i % 50}"),
                    notes=(Note(f"note {i}\nsecond line", "2026-01-01T00:00:00Z"),),
                )
                for i in range(n)
            }
        )
        (root / "annotations.yaml").write_bytes(yamlio.dumps_bytes(doc))
        for r in range(repeat + 1):
            (root / f"{r:06}.txt").write_text(f"Headline {r}\n\nThe body of article {r}, one sentence.\n")

        import resource

        cpu: list[float] = []

        def timed(*args: str) -> float:
            """Wall time of one child; its CPU time (user + system) goes to ``cpu``:
            on a shared, loaded machine the CPU time says more than the wall time."""
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            subprocess.run([sys.executable, *args], env=env, check=True, capture_output=True)
            wall = time.perf_counter() - t
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
            return wall

        calibration = timed("-c", "sum(range(10**7))")
        startup = statistics.median(timed("-c", "import briefing.cli") for _ in range(repeat))
        first = timed("-m", "briefing", "tag", "000000.txt", "bench", "--corpus", str(root))
        cpu.clear()
        runs = [timed("-m", "briefing", "tag", f"{r:06}.txt", "bench", "--corpus", str(root)) for r in range(1, repeat + 1)]
        runs_cpu = list(cpu)
        size = (root / "annotations.yaml").stat().st_size
        print(f"{n} annotated articles, {size / 1024 / 1024:.1f} MiB annotations.yaml")
        print(f"python -c 'sum(range(10**7))' (machine speed): {calibration:.3f} s")
        print(f"python -c 'import briefing.cli': {startup:.3f} s (median of {repeat})")
        print(f"briefing tag, first run (parses the file, keeps the index): {first:.3f} s")
        print(f"briefing tag, next runs: median {statistics.median(runs):.3f} s wall, max {max(runs):.3f} s; "
              f"CPU (user+sys) median {statistics.median(runs_cpu):.3f} s ({repeat} runs)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cli", type=int, default=0, metavar="N", help="time `briefing tag` with N annotated articles")
    args = parser.parse_args()
    if args.cli:
        cli_bench(args.cli, args.repeat)
        return
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
                        read=True,
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
