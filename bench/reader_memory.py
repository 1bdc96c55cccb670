#!/usr/bin/env python3
"""The reader's resident memory and keypress times on a big corpus (issue 20): prints a table.

    python bench/reader_memory.py --corpus /tmp/corpus100k --cache /tmp/NAME-cache100k
    python bench/reader_memory.py --corpus /tmp/corpus1m --cache /tmp/NAME-cache1m --seconds 60

Each corpus is opened in a fresh child process driving ``BriefingApp`` headless
(``App.run_test()`` at 160x48) with private config and data folders and the index
cache folder given (build it first with ``BRIEFING_CACHE_DIR=DIR briefing index
--corpus CORPUS``: the figures are for a warm cache). Once the whole corpus is listed:

- keys: each key is pressed 40 times (after one warm-up press) and timed from the
  press until the app is idle again with the frame drawn (``pilot.pause()``): ``j``
  (cursor down), ``pagedown``, ``end`` / ``home`` (jump to the last / first row),
  ``enter`` (open the article under the cursor: until its text is shown). "Idle" is
  Textual's test pilot's: ``pilot.press`` itself waits until the whole process has
  stopped using the CPU (``wait_for_idle``: process time against wall time, for up to
  1 s). While background work runs in the reader's process (a first session: the
  check, the stories' signatures, the tag counts, a watcher's recheck), a press is
  timed until that work pauses, not until its frame is drawn: there the figures say
  how busy the process is, not how fast keys answer (``bench/reader_scale.py`` times
  keys to their frame);
- then ``--seconds`` of use in a loop: browse (j, pagedown, end, home, enter), group
  and ungroup stories (``g``; ``v``, compact rows, with ``--stories off``), filter
  (unread, flagged or since a date, each cleared after: the reader's own
  ``set_filter``) and, in the
  second half only, search (``/`` + a word + enter, waiting for the results), with
  resident memory (``VmRSS``) sampled after each step;
- RSS after load, the highest RSS seen in the first half (no search) and in all,
  RSS at the end; the reader's ``ru_maxrss`` (its peak, including the load).

With ``--annotated N`` the corpus is first hard-link copied (``cp -al``) into a
folder under the bench's temporary folder (or ``--copies DIR``, kept for the next
run; the shared corpus is never written) and
given an ``annotations.yaml`` of N entries, written by ``yamlio.dump`` in the
proportions of ``bench/annotations_gen.py`` but keyed by the corpus's own first N
article ids (in sorted order); the cache folder's index of the corpus is copied
under the copy's name (its ``root`` retargeted) when the copy has none, so that the
figures are for a warm cache too. Then the use loop also asks for the tag counts
(what ``t`` does: ``store.tag_counts``) once a cycle, and the table adds the times
of the first search and of the first tag counts.

The machine is shared: the load average is printed with the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

KEYS = ("j", "pagedown", "end", "home", "enter")
PRESSES = 40
WORDS = ("obama", "election", "market", "storm", "minister")


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))] if ordered else float("nan")


async def _until(predicate, pilot, timeout: float = 1800.0) -> None:
    started = time.monotonic()
    while not predicate():
        if time.monotonic() - started > timeout:
            raise TimeoutError("the reader did not get there in time")
        await pilot.pause(0.05)


async def settle(app) -> None:
    """Until the app's workers are done; a worker cancelled meanwhile (a newer search
    or layout replaced it: exclusive workers) is waited past, not an error."""
    from textual.worker import WorkerCancelled

    for _ in range(50):
        try:
            await app.workers.wait_for_complete()
            return
        except WorkerCancelled:
            await asyncio.sleep(0.05)


async def until_listed(app: Any, pilot: Any) -> tuple[Any, Any]:
    """Wait until the whole corpus is listed (not the first page from the cache) with
    the cursor on a row; the screen and its article list."""
    from briefing.tui.loading import HeadCorpus
    from briefing.tui.widgets.article_list import ArticleList

    def full() -> bool:
        corpus = getattr(getattr(app.screen, "state", None), "corpus", None)
        return corpus is not None and not isinstance(corpus, HeadCorpus)

    await _until(full, pilot)
    screen = app.screen
    articles = screen.query_one(ArticleList)
    await _until(lambda: articles.display and articles.highlighted_id is not None, pilot)
    return screen, articles


async def drive(root: Path, seconds: float) -> dict:
    from briefing.annotations.filter import Filter
    from briefing.tui.app import BriefingApp

    out: dict = {}
    started = time.perf_counter()
    app = BriefingApp(root)
    app.animation_level = "none"
    async with app.run_test(size=(160, 48)) as pilot:
        screen, articles = await until_listed(app, pilot)
        out["load_s"] = time.perf_counter() - started
        out["articles"] = len(screen.state.corpus.articles)
        out["rss_loaded_mb"] = rss_mb()
        articles.focus()
        await pilot.pause()

        async def press(key: str) -> float:
            before = time.perf_counter()
            await pilot.press(key)
            if key == "enter":  # until the article's text is in the pane
                wanted = articles.highlighted_id
                await _until(lambda: screen.state.current_id == wanted and screen.state.current_article is not None,
                             pilot, 30)
                articles.focus()
            await pilot.pause()
            return (time.perf_counter() - before) * 1000

        times: dict[str, list[float]] = {key: [] for key in KEYS}
        for key in ("j", "pagedown", "enter"):
            await press(key)  # warm-up
            times[key] = [await press(key) for _ in range(PRESSES)]
        await press("end")
        await press("home")
        for _ in range(PRESSES):  # alternate, so that each press moves
            times["end"].append(await press("end"))
            times["home"].append(await press("home"))
        out["keys_ms"] = {k: (pct(v, 0.5), pct(v, 0.95)) for k, v in times.items()}

        samples: list[float] = []
        started_use = time.monotonic()
        deadline = started_use + seconds
        step = 0
        before_search: list[float] = []  # the first half: browse, group, filter (no search)
        filters = [Filter(statuses=("unread",)), Filter(statuses=("flagged",)), Filter(since=dt.date(2024, 1, 1))]
        searches = 0
        annotated = os.environ.get("READER_MEMORY_ANNOTATED") == "1"
        while time.monotonic() < deadline:
            first_half = time.monotonic() < started_use + seconds / 2
            phase = step % 4
            if first_half and phase == 1:
                phase = 0
            if phase == 0:  # browse
                for key in ("j", "j", "pagedown", "pagedown", "end", "enter", "home", "j", "enter"):
                    await press(key)
            elif phase == 1:  # search, then clear it
                word = WORDS[searches % len(WORDS)]
                searches += 1
                before = time.perf_counter()
                await pilot.press("slash", *word, "enter")
                await settle(app)
                await pilot.pause()
                out.setdefault("first_search_s", time.perf_counter() - before)
                articles.focus()
                for key in ("pagedown", "end", "home"):
                    await press(key)
                await pilot.press("escape")
                await settle(app)
                articles.focus()
            elif phase == 2:  # stories grouped / not (compact rows / not when stories are off)
                await pilot.press("g" if os.environ.get("READER_MEMORY_STORIES", "on") == "on" else "v")
                await pilot.pause()
                for key in ("pagedown", "j", "end"):
                    await press(key)
            else:  # a filter, browsed, then cleared
                screen.search.set_filter(filters[step // 4 % len(filters)])
                await settle(app)
                await pilot.pause()
                if articles.display:  # (else nothing matched: the list says so)
                    articles.focus()
                    for key in ("pagedown", "end", "home"):
                        await press(key)
                screen.search.set_filter(Filter())
                await settle(app)
                await pilot.pause()
                articles.focus()
            if annotated and phase == 0:  # what `t` asks for (tag completion), on its own
                before = time.perf_counter()
                counts = screen.store.tag_counts(screen.state.corpus.articles)
                out.setdefault("first_tags_s", time.perf_counter() - before)
                out["tags"] = len(counts)
            samples.append(rss_mb())
            if first_half:
                before_search.append(samples[-1])
            step += 1
        out["cycles"] = step
        out["rss_max_mb"] = max(samples) if samples else float("nan")
        out["rss_no_search_mb"] = max(before_search) if before_search else float("nan")
        out["rss_end_mb"] = rss_mb()
        app.exit()
    out["ru_maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def child(root: Path, seconds: float) -> None:
    print(json.dumps(asyncio.run(drive(root, seconds))))


def corpus_ids(root: Path, n: int) -> list[str]:
    """The first ``n`` article ids of a corpus made by make_corpus.py, in sorted order."""
    ids = sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                 if p.suffix in (".txt", ".md", ".html", ".htm") and p.is_file())
    return ids[:n]


def annotated_copy(corpus: Path, cache: Path, n: int, into: Path) -> Path:
    """A hard-link copy of ``corpus`` with an annotations.yaml of ``n`` entries (see the
    module's doc), and the cache's index of ``corpus`` copied for it."""
    sys.path.insert(0, str(Path(__file__).parent))
    from annotations_gen import _vocabulary, make_entry

    from briefing.annotations import yamlio
    from briefing.annotations.schema import AnnotationDoc

    copy = into / f"{corpus.name}-ann{n}"
    if (copy / "annotations.yaml").exists():  # made by an earlier run (--copies)
        return copy
    subprocess.run(["cp", "-al", str(corpus), str(copy)], check=True)
    rng = random.Random(20)
    vocab = _vocabulary(rng)
    doc = AnnotationDoc({i: make_entry(rng, vocab) for i in corpus_ids(corpus, n)})
    target = copy / "annotations.yaml"
    fresh = copy / ".annotations.yaml.bench"
    fresh.write_text(yamlio.dump(doc), encoding="utf-8")
    os.replace(fresh, target)  # never written through the hard link to the shared file
    old_env = os.environ.get("BRIEFING_CACHE_DIR")
    os.environ["BRIEFING_CACHE_DIR"] = str(cache)
    try:
        from briefing.index.store import cache_path

        source, dest = cache_path(corpus), cache_path(copy)
    finally:
        if old_env is None:
            os.environ.pop("BRIEFING_CACHE_DIR")
        else:
            os.environ["BRIEFING_CACHE_DIR"] = old_env
    if source.exists() and not dest.exists():
        for path in source.parent.glob(source.name + "*"):
            if not path.name.endswith((".lock", "-shm", "-wal")):
                shutil.copyfile(path, dest.with_name(dest.name + path.name[len(source.name):]))
        with sqlite3.connect(dest) as db:
            db.execute("update meta set value=? where key='root'", (str(copy),))
        db.close()
    return copy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", action="append", required=True, type=Path)
    parser.add_argument("--cache", action="append", required=True, type=Path, help="index cache folder, per corpus")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--stories", choices=("on", "off"), default="on",
                        help="group stories (the reader's default) or not (config group_stories: false)")
    parser.add_argument("--annotated", type=int, default=0, metavar="N",
                        help="annotate the first N articles of a hard-link copy of each corpus (see above)")
    parser.add_argument("--copies", type=Path, metavar="DIR",
                        help="with --annotated: make the copies in DIR and reuse them (and their warm index) "
                             "on the next run, instead of in the temporary folder")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.corpus[0], args.seconds)
        return
    results = []
    for corpus, cache in zip(args.corpus, args.cache, strict=True):
        with tempfile.TemporaryDirectory(prefix="reader-memory-") as home:
            env = dict(os.environ, BRIEFING_CACHE_DIR=str(cache), HOME=home, XDG_CONFIG_HOME=f"{home}/config",
                       XDG_DATA_HOME=f"{home}/data", XDG_STATE_HOME=f"{home}/state")
            env["READER_MEMORY_STORIES"] = args.stories
            env["READER_MEMORY_ANNOTATED"] = "1" if args.annotated else "0"
            shown = corpus.name
            if args.annotated:
                made = time.perf_counter()
                corpus = annotated_copy(corpus, cache, args.annotated, args.copies or Path(home))
                print(f"{shown}: {args.annotated:,} annotated in a copy, {time.perf_counter() - made:.0f} s", file=sys.stderr)
            if args.stories == "off":
                Path(f"{home}/config/briefing").mkdir(parents=True)
                Path(f"{home}/config/briefing/config.yaml").write_text("group_stories: false\n", encoding="utf-8")
            load_before = Path("/proc/loadavg").read_text().split()[:3]
            done = subprocess.run([sys.executable, __file__, "--child", "--corpus", str(corpus), "--cache", str(cache),
                                   "--seconds", str(args.seconds)], env=env, capture_output=True, text=True,
                                  check=False)
            load_after = Path("/proc/loadavg").read_text().split()[:3]
            if done.returncode != 0:
                print(done.stderr[-3000:], file=sys.stderr)
                continue
            result = json.loads(done.stdout.strip().splitlines()[-1])
            result["corpus"], result["load"] = shown, f"{' '.join(load_before)} -> {' '.join(load_after)}"
            result["corpus"] += "" if args.stories == "on" else " (no stories)"
            result["corpus"] += f" +{args.annotated // 1000}k ann" if args.annotated else ""
            results.append(result)
    print(f"reader memory and keys; {PRESSES} presses a key; {args.seconds:.0f} s of use "
          "(browse, search, group, filter); RSS in MB")
    print(f"{'corpus':<22} {'articles':>9} {'load s':>7} {'RSS loaded':>10} {'no search':>9} {'RSS max':>8} {'RSS end':>8} "
          f"{'maxrss':>7}  " + "  ".join(f"{k + ' p50/p95 ms':>20}" for k in ("j", "pagedown", "end", "home", "enter")))
    for r in results:
        keys = "  ".join(f"{r['keys_ms'][k][0]:>9.1f}/{r['keys_ms'][k][1]:<10.1f}" for k in ("j", "pagedown", "end", "home", "enter"))
        print(f"{r['corpus']:<22} {r['articles']:>9,} {r['load_s']:>7.1f} {r['rss_loaded_mb']:>10.0f} {r['rss_no_search_mb']:>9.0f} {r['rss_max_mb']:>8.0f} "
              f"{r['rss_end_mb']:>8.0f} {r['ru_maxrss_mb']:>7.0f}  {keys}")
        print(f"{'':<22} load average {r['load']}; {r['cycles']} cycles of use")
        if "first_search_s" in r or "first_tags_s" in r:
            print(f"{'':<22} first search {r.get('first_search_s', float('nan')):.2f} s; first tag counts "
                  f"{r.get('first_tags_s', float('nan')):.2f} s ({r.get('tags', 0)} tags)")


if __name__ == "__main__":
    main()
