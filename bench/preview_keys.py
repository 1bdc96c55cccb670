#!/usr/bin/env python3
"""Keypresses with the reading pane following the cursor (issue 15, preview): a table.

    python bench/preview_keys.py                       # 1k and 10k
    python bench/preview_keys.py --sizes 1k,10k,100k   # /tmp/corpus100k: built once, kept

Each column is a fresh child process driving ``BriefingApp`` headless at 160x48 on
``/tmp/corpusNk`` (``python /work/shared/bench/make_corpus.py /tmp/corpusNk --articles N``),
with private config/state folders and an index cache kept between runs of this
script (``/tmp/briefing-preview-bench/<size>``, built by a first child that only
opens the folder: it is not timed). The same series run with the preview on (the
reader as shipped) and off (``screen.preview.enabled = False``: the cursor moves,
the pane stays, as before issue 15), side by side.

A keypress is timed as bench/reader_scale.py times ``j``: from the key event sent as
the terminal driver sends it until the first frame showing the cursor on the next
row has been turned into terminal output (the copy of the screen kept from the
updates). Series, 40 presses each after a warm-up press:

- ``j`` held: a key 0-33 ms after the previous frame (the preview never fires
  inside the series: its 150 ms pause is never reached);
- ``j`` with pauses: a key 100-400 ms after the previous frame, so most pauses let
  the preview open the article (read, laid out, summarized in a worker) and the next
  key competes with that work: the case the 50 ms goal is about;
- preview shown (preview on only): from a ``j`` to the frame with the new article's
  title and the start of its text in the reading pane (includes the 150 ms pause).

Wall-clock figures follow the machine's load (printed: the load average and the CPU
check of bench/machine.py, about 40 ms when quiet). Two figures depend much less on
it: the interface thread's CPU time per ``j`` over the paused series (key handling,
drawing, and with the preview on the opening of articles; the bench's own polling is
in both), and the CPU time of one preview open on that thread (reading a text file,
laying out the pane; the summary is computed in a worker).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from machine import cpu_check_ms
from reader_scale import KEY_GAP_S, PRESSES, SIZES, TerminalCopy, _until, pct

PAUSE_GAP_S = (0.1, 0.4)
CACHE_ROOT = Path("/tmp/briefing-preview-bench")


async def drive(root: Path, preview: bool, keys: bool) -> dict:
    from textual import events

    from briefing.sanitize import clean_line
    from briefing.tui.app import BriefingApp
    from briefing.tui.loading import HeadCorpus
    from briefing.tui.marking import split_paragraphs
    from briefing.tui.widgets.article_list import ArticleList
    from briefing.tui.widgets.details import Shown, header_content
    from briefing.tui.widgets.reader import Reader

    app = BriefingApp(root)
    app.animation_level = "none"
    terminal = TerminalCopy(160, 48)
    display = app._display
    console = app.console
    last_frame = [time.perf_counter()]
    watch: list = [None, None]

    def recording_display(target, renderable):
        if renderable is not None:
            renderable.render_segments(console)  # what a real driver does before writing
            now = time.perf_counter()
            last_frame[0] = now
            terminal.apply(renderable)
            predicate = watch[0]
            if predicate is not None and watch[1] is None and predicate():
                watch[1] = now
        return display(target, renderable)

    app._display = recording_display
    out: dict = {}
    async with app.run_test(size=(160, 48)) as pilot:
        def full() -> bool:
            state = getattr(app.screen, "state", None)
            corpus = getattr(state, "corpus", None)
            return corpus is not None and not isinstance(corpus, HeadCorpus) and bool(corpus.articles)

        await _until(full)
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        out["articles"] = len(screen.state.corpus.articles)
        if not keys:
            return out
        screen.preview.enabled = preview
        opens: list[float] = []  # UI-thread CPU of each preview open (ms): the work a key can wait behind
        open_article = screen.open_article

        def timed_open(article_id: str, *, mark: bool = True) -> None:
            started = time.thread_time()
            open_article(article_id, mark=mark)
            opens.append((time.thread_time() - started) * 1000)

        screen.open_article = timed_open
        articles, reader = screen.query_one(ArticleList), screen.query_one(Reader)
        articles.focus()
        await pilot.pause()
        rng = random.Random(15)

        async def timed_press(key: str, done, gap) -> float:
            delay = rng.uniform(*gap)
            await _until(lambda: time.perf_counter() >= last_frame[0] + delay, timeout=5)
            watch[0], watch[1] = done, None
            t = time.perf_counter()
            app._driver.send_message(events.Key(key, key if len(key) == 1 else None))
            await _until(lambda: watch[1] is not None, timeout=60)
            watch[0] = None
            return (watch[1] - t) * 1000

        def moved_to(target):
            return lambda: articles.highlighted_id == target

        async def series(gap) -> list[float]:
            await timed_press("j", lambda: True, gap)
            times = []
            for _ in range(PRESSES):
                target = articles.neighbour(articles.highlighted_id, 1)
                times.append(await timed_press("j", moved_to(target), gap))
            return times

        out["held_ms"] = await series(KEY_GAP_S)
        cpu = time.thread_time()
        out["paused_ms"] = await series(PAUSE_GAP_S)
        out["paused_cpu_ms"] = (time.thread_time() - cpu) * 1000 / (PRESSES + 1)
        out["open_cpu_ms"] = list(opens)
        if preview:
            def reader_lines() -> list[str]:
                region = reader.content_region
                return [line.strip() for line in terminal.lines(region.x, region.right)[region.y : region.bottom]]

            def shown(article_id: str):
                meta = screen.shown_meta(screen.state.corpus.get(article_id))
                title = header_content(Shown(meta)).plain.split("\n")[0][:30]
                article = screen.state.corpus.article(article_id)
                paragraphs = split_paragraphs(article.body, article.headings)
                first = paragraphs[0].text.split("\n")[0] if paragraphs else "(this article has no text)"
                start = " ".join(clean_line(first).split()[:3])

                def check() -> bool:
                    lines = reader_lines()
                    at = next((i for i, line in enumerate(lines) if line.startswith(title)), None)
                    return at is not None and any(line.startswith(start) for line in lines[at + 1 :])

                return check

            await app.workers.wait_for_complete()
            times = []
            for i in range(PRESSES // 2 + 1):
                target = articles.neighbour(articles.highlighted_id, 1)
                ms = await timed_press("j", shown(target), (0.3, 0.3))
                if i:
                    times.append(ms)
            out["shown_ms"] = times
    return out


def run_child(root: Path, label: str, preview: bool, keys: bool) -> dict:
    env = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="briefing-preview-bench-") as tmp:
        for name in ("CONFIG", "DATA", "STATE"):
            env[f"BRIEFING_{name}_DIR"] = str(Path(tmp) / name.lower())
        env["BRIEFING_CACHE_DIR"] = str(CACHE_ROOT / label)
        cmd = [sys.executable, __file__, "--child", str(root)] + (["--preview"] if preview else []) + (
            ["--keys"] if keys else [])
        out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=3600)
    if out.returncode != 0:
        raise SystemExit(f"child failed on {root}:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1k,10k", help="comma-separated, from: " + ", ".join(SIZES))
    ap.add_argument("--out", type=Path, default=None, help="also write the table to this file")
    ap.add_argument("--child", metavar="ROOT", help=argparse.SUPPRESS)
    ap.add_argument("--preview", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--keys", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(asyncio.run(drive(Path(args.child), args.preview, args.keys))))
        return
    labels = [s.strip() for s in args.sizes.split(",") if s.strip()]
    started = time.time()
    load_before = os.getloadavg()
    results = []
    for label in labels:
        folder = Path(f"/tmp/corpus{label}")
        if not folder.is_dir():
            raise SystemExit(f"{folder} is missing: python /work/shared/bench/make_corpus.py {folder} "
                             f"--articles {SIZES[label]}")
        print(f"[{label}] index (kept in {CACHE_ROOT / label})", file=sys.stderr)
        run_child(folder, label, preview=False, keys=False)
        check = cpu_check_ms()
        print(f"[{label}] preview off", file=sys.stderr)
        off = run_child(folder, label, preview=False, keys=True)
        print(f"[{label}] preview on", file=sys.stderr)
        on = run_child(folder, label, preview=True, keys=True)
        results.append((label, check, os.getloadavg()[0], off, on))
    load_after = os.getloadavg()
    width = 20
    lines = [
        f"bench/preview_keys.py  {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(started))}  "
        f"python {sys.version.split()[0]}  cpus {os.cpu_count()}  "
        f"load avg before/after {load_before[0]:.1f}/{load_after[0]:.1f}",
        f"{'keypress (headless, 160x48), ms':<44}" + "".join(f"{label:>{width}}" for label, *_ in results),
        f"{'':<44}" + "".join(f"{'off → on':>{width}}" for _ in results),
        f"{'articles':<44}" + "".join(f"{off['articles']:>{width},}" for _, _, _, off, _ in results),
        f"{'CPU check (ms, ~40 quiet)':<44}" + "".join(f"{check:>{width}.0f}" for _, check, *_ in results),
        f"{'load average (1 min) at this size':<44}" + "".join(f"{load:>{width}.1f}" for _, _, load, *_ in results),
    ]
    for key, name in (("held_ms", "j held"), ("paused_ms", "j with 0.1-0.4 s pauses")):
        for q, qn in ((0.5, "p50"), (0.95, "p95 (goal < 50)")):
            cells = "".join(f"{f'{pct(off[key], q):.1f} → {pct(on[key], q):.1f}':>{width}}"
                            for _, _, _, off, on in results)
            lines.append(f"{f'{name} {qn}':<44}" + cells)
    for q, qn in ((0.5, "p50"), (0.95, "p95")):
        cells = "".join(f"{pct(on['shown_ms'], q):>{width}.1f}" for _, _, _, _, on in results)
        lines.append(f"{f'j → preview shown (150 ms pause in) {qn}':<44}" + cells)
    pairs = [f"{off['paused_cpu_ms']:.1f} → {on['paused_cpu_ms']:.1f}" for _, _, _, off, on in results]
    cells = "".join(f"{pair:>{width}}" for pair in pairs)
    lines.append(f"{'UI-thread CPU per j, with pauses (ms)':<44}" + cells)
    for q, qn in ((0.5, "p50"), (0.95, "p95")):
        cells = "".join(f"{pct(on['open_cpu_ms'], q):>{width}.1f}" for _, _, _, _, on in results)
        lines.append(f"{f'  of it, one preview open (UI thread) {qn}':<44}" + cells)
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
