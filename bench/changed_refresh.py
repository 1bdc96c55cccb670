#!/usr/bin/env python3
"""Time and peak memory of ``briefing index`` on a folder that changed while nothing
watched (issue 20): the refresh that compares every file with the cache.

    python bench/changed_refresh.py --corpus /tmp/corpus100k --cache /tmp/cache100k \\
        --work /tmp/refreshmem-100k --code main=/work/main --code branch=/work/wt-refreshmem

The corpus is copied once into ``WORK/corpus`` (``cp -a``: real copies, never hard
links: linking or unlinking a name moves the ctime of the shared inode, which would
make every cache of the source corpus see a million changed files) and changed
there, the same way for a given ``--seed``: ``--add`` new files (1,000), ``--edit``
files rewritten with one more paragraph (100), ``--delete`` files removed (100),
``--rename`` files renamed in their folder (50). The source cache (``--cache``: a
cache folder current for the source corpus, READ-ONLY here) is copied into
``WORK/cache-base`` and made to describe the copy as it was before the changes (its
file is renamed for the copy's path, the stored paths moved, and the ctime, inode
and check time of every file whose size and mtime are unchanged taken from the
copy: what a refresh of the unchanged copy would have stored). Each ``--code``
(LABEL=SOURCE TREE) then runs ``python -m briefing --corpus WORK/corpus index`` on a
fresh copy of that base cache, whose parser fingerprint is set to that code's
(bench only: the rows compared are the same), under ``/usr/bin/time``: wall
seconds and peak RSS, ``--repeat`` times (median). The counts of the refresh are
printed beside them: they must be equal for every code. The load average is
printed with the table (the machine is shared).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

PREPARED = ".refreshmem-prepared"  # hidden: the walk ignores them
CHANGED = ".refreshmem-changed"


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def cache_name(root: Path) -> str:
    """The cache file name briefing.index.store.cache_path gives ``root``."""
    key = os.path.abspath(os.fspath(root)).encode("utf-8", "surrogateescape")
    return hashlib.sha256(key).hexdigest()[:24] + ".sqlite"


def article_files(root: Path) -> list[Path]:
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        found += [Path(dirpath, f) for f in sorted(filenames) if f.endswith(".txt") and not f.startswith(".")]
    return found


def prepare_corpus(src: Path, work: Path, args: argparse.Namespace) -> Path:
    corpus = work / "corpus"
    if (corpus / PREPARED).exists():
        return corpus
    if corpus.exists():
        shutil.rmtree(corpus)
    work.mkdir(parents=True, exist_ok=True)
    print(f"copying {src} to {corpus} ...", flush=True)
    subprocess.run(["cp", "-a", str(src), str(corpus)], check=True)
    (corpus / PREPARED).write_text("")
    return corpus


def change_corpus(corpus: Path, args: argparse.Namespace) -> None:
    """Add, edit, delete and rename files of the copy (new inodes only)."""
    files = article_files(corpus)
    rng = random.Random(args.seed)
    picked = rng.sample(files, args.edit + args.delete + args.rename + args.add)
    edits = picked[: args.edit]
    deletes = picked[args.edit : args.edit + args.delete]
    renames = picked[args.edit + args.delete : args.edit + args.delete + args.rename]
    models = picked[args.edit + args.delete + args.rename :]
    for n, path in enumerate(edits):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.rstrip("\n") + f"\n\nAn added paragraph, number {n}, changes this article.\n",
                        encoding="utf-8")
    for path in deletes:
        path.unlink()
    for n, path in enumerate(renames):
        path.rename(path.with_name(f"renamed{n:03d}_{path.name}"))
    for n, model in enumerate(models):
        text = model.read_text(encoding="utf-8")
        new = model.with_name(f"added{n:04d}_{model.name}")
        new.write_text(f"A new article, number {n}, arrives. " + text, encoding="utf-8")


def prepare_cache(src_corpus: Path, src_cache: Path, corpus: Path, work: Path) -> Path:
    """``WORK/cache-base``: the source cache made to describe the copy (see the module text)."""
    base = work / "cache-base"
    if (base / PREPARED).exists():
        return base
    if base.exists():
        shutil.rmtree(base)
    (base / "index").mkdir(parents=True)
    old = cache_name(src_corpus)
    new = cache_name(corpus)
    for f in sorted((src_cache / "index").iterdir()):
        if f.name.startswith(old) and not f.name.endswith((".lock", "-shm")):
            shutil.copyfile(f, base / "index" / (new + f.name[len(old):]))
    db = base / "index" / new
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode = WAL")
    src_real, dst_real = os.path.realpath(src_corpus), os.path.realpath(corpus)
    time.sleep(3.5)  # every copied file's ctime well before the check time below (not racy)
    checked = time.time_ns()
    conn.execute("UPDATE meta SET value = ? WHERE key = 'root'", (str(corpus),))
    for table in ("articles", "problems"):
        updates = []
        for rowid, path, size, mtime in conn.execute(f"SELECT rowid, path, size, mtime_ns FROM {table}"):
            text = path if isinstance(path, str) else os.fsdecode(path)
            moved = dst_real + text[len(src_real):] if text.startswith(src_real + os.sep) else text
            try:
                st = os.lstat(moved)
            except OSError:
                st = None
            if st is not None and (st.st_size, st.st_mtime_ns) == (size, mtime):
                updates.append((moved, st.st_ctime_ns, st.st_ino, checked, rowid))
            else:
                updates.append((moved, None, None, None, rowid))
        conn.executemany(f"UPDATE {table} SET path = ?, ctime_ns = coalesce(?, ctime_ns), inode = coalesce(?, inode),"
                         " checked_ns = coalesce(?, checked_ns) WHERE rowid = ?", updates)
    for table, col in (("dirs", "path"), ("recent", "path")):
        conn.execute(f"UPDATE {table} SET {col} = ? || substr({col}, ?) WHERE {col} LIKE ? || '%'",
                     (dst_real, len(src_real) + 1, src_real))
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    (base / PREPARED).write_text("")
    return base


def fingerprint(code: Path) -> str:
    out = subprocess.run([sys.executable, "-c", "from briefing.index.store import parser_fingerprint as f; print(f())"],
                         env={**os.environ, "PYTHONPATH": str(code)}, capture_output=True, text=True, check=True)
    return out.stdout.strip()


def run_once(code: Path, corpus: Path, base: Path, run_cache: Path) -> tuple[float, int, str]:
    if run_cache.exists():
        shutil.rmtree(run_cache)
    shutil.copytree(base, run_cache)
    fp = fingerprint(code)
    for db in (run_cache / "index").glob("*.sqlite"):
        conn = sqlite3.connect(db)
        conn.execute("UPDATE meta SET value = ? WHERE key = 'parser'", (fp,))
        conn.commit()
        conn.close()
    env = {**os.environ, "PYTHONPATH": str(code), "BRIEFING_CACHE_DIR": str(run_cache)}
    proc = subprocess.run(["/usr/bin/time", "-f", "TIME %e %M", sys.executable, "-m", "briefing",
                           "--corpus", str(corpus), "index"], env=env, capture_output=True, text=True)
    m = re.search(r"TIME ([\d.]+) (\d+)", proc.stderr)
    if proc.returncode != 0 or m is None:
        raise SystemExit(f"{code}: failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    counts = re.search(r"(\d+) articles indexed in [\d.]+ s: (.*? unchanged)", proc.stdout)
    said = f"{counts.group(1)} articles: {counts.group(2)}" if counts else proc.stdout.strip()[-200:]
    return float(m.group(1)), int(m.group(2)), said


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--cache", type=Path, required=True, help="a cache folder current for --corpus (read only)")
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--code", action="append", required=True, help="LABEL=SOURCE TREE (PYTHONPATH)")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--seed", type=int, default=20)
    parser.add_argument("--add", type=int, default=1000)
    parser.add_argument("--edit", type=int, default=100)
    parser.add_argument("--delete", type=int, default=100)
    parser.add_argument("--rename", type=int, default=50)
    args = parser.parse_args()
    work = args.work.resolve()
    corpus = prepare_corpus(args.corpus, work, args)
    base = prepare_cache(args.corpus, args.cache, corpus, work)
    if not (corpus / CHANGED).exists():
        change_corpus(corpus, args)
        (corpus / CHANGED).write_text("")
    rows = []
    for spec in args.code:
        label, _, tree = spec.partition("=")
        times, peaks, counts = [], [], set()
        for _ in range(args.repeat):
            seconds, kb, said = run_once(Path(tree), corpus, base, work / "cache-run")
            times.append(seconds)
            peaks.append(kb)
            counts.add(said)
        rows.append((label, statistics.median(times), statistics.median(peaks) / 1024, " | ".join(sorted(counts))))
        shutil.rmtree(work / "cache-run", ignore_errors=True)
    print(f"\nchanged-folder refresh: {corpus} (+{args.add} new, {args.edit} edited, {args.delete} deleted,"
          f" {args.rename} renamed); median of {args.repeat}; load average {loadavg()}")
    print(f"{'code':<12} {'seconds':>8} {'peak MB':>8}  counts")
    for label, seconds, mb, said in rows:
        print(f"{label:<12} {seconds:>8.1f} {mb:>8.0f}  {said}")
    if len({r[3] for r in rows}) > 1:
        print("COUNTS DIFFER")


if __name__ == "__main__":
    main()
