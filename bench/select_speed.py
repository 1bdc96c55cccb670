#!/usr/bin/env python3
"""Keypress latency of issue 15's bulk marks and selection mode: prints a table.

    python bench/select_speed.py                       # /tmp/corpus1k and /tmp/corpus10k
    python bench/select_speed.py --sizes 1k,10k,100k --presses 20

Same method as bench/reader_scale.py (its TerminalCopy, percentiles and frame
hook are reused): a fresh child process per size drives ``BriefingApp`` headless at
160x48 with private config/data folders and a cache folder kept between runs (a
second run is warm); each figure is from the key event until the first frame that
shows the change has been turned into terminal output, the key sent a random moment
0-33 ms after the previous frame (seeded).

- ``j`` in the list (the cursor on the next row): the baseline, measured the same way
  in the same run;
- ``ctrl+a`` in the list: every row marked (the status line counts them), and the
  next press clears them again (both are timed, alternately);
- selection moves (V on the first article with the longest body of the first 50
  listed): ``w``/``b`` word, ``)``/``(`` sentence, ``}``/``{`` paragraph, ``↓``/``↑``
  line; the forward key until it can go no further, then the backward one. Timed
  until the first frame sent after the cursor moved (the handler restyles the
  paragraphs concerned and scrolls the pane; that frame draws them).

The corpus's annotations.yaml is never written: the child turns off recording read
marks (opening an article would mark it read) and neither key saves anything; the
file's bytes are compared before and after.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

from reader_scale import SIZES, TerminalCopy, _until, pct

KEY_GAP_S = (0.0, 2 / 60)
MOVES = (("w", "b", "word"), ("right_parenthesis", "left_parenthesis", "sentence"),
         ("right_curly_bracket", "left_curly_bracket", "paragraph"), ("down", "up", "line"))


async def drive(root: Path, presses: int) -> dict:
    from textual import events

    from briefing.tui.app import BriefingApp
    from briefing.tui.loading import HeadCorpus
    from briefing.tui.widgets.article_list import ArticleList
    from briefing.tui.widgets.status_bar import StatusBar

    app = BriefingApp(root)
    app.animation_level = "none"
    out: dict = {}
    terminal = TerminalCopy(160, 48)
    display = app._display
    console = app.console
    last_frame = [time.perf_counter()]
    watch: list = [None, None]

    def recording_display(target, renderable):
        if renderable is not None:
            renderable.render_segments(console)
            now = time.perf_counter()
            last_frame[0] = now
            terminal.apply(renderable)
            if watch[0] is not None and watch[1] is None and watch[0]():
                watch[1] = now
        return display(target, renderable)

    app._display = recording_display
    rng = random.Random(7)

    async def timed_press(key: str, done) -> float:
        delay = rng.uniform(*KEY_GAP_S)
        await _until(lambda: time.perf_counter() >= last_frame[0] + delay, timeout=5)
        watch[0], watch[1] = done, None
        t = time.perf_counter()
        app._driver.send_message(events.Key(key, key if len(key) == 1 else None))
        await _until(lambda: watch[1] is not None, timeout=120)
        watch[0] = None
        return (watch[1] - t) * 1000

    async with app.run_test(size=(160, 48)) as pilot:
        screen = app.screen

        def full() -> bool:
            corpus = getattr(screen, "state", None) and screen.state.corpus
            return corpus is not None and not isinstance(corpus, HeadCorpus) and screen.store is not None
        await _until(full, timeout=1800)
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen.marks.mark_read = lambda article_id: None  # nothing written to the corpus's annotations.yaml
        articles = screen.query_one(ArticleList)
        status = screen.query_one(StatusBar)
        out["articles"] = len(screen.state.corpus.articles)
        out["rows"] = articles.shown_count
        articles.focus()
        await pilot.pause()

        def status_says(text: str):
            return lambda: text in "\n".join(terminal.lines()[:1]) and text in str(status.render())

        # j in the list, the same way: the baseline the figures below compare with
        await timed_press("j", lambda: True)
        moves = []
        for _ in range(presses):
            target = articles.neighbour(articles.highlighted_id, 1)
            moves.append(await timed_press("j", lambda target=target: articles.highlighted_id == target))
        out["j_ms"] = moves

        marked, cleared = [], []
        rows = len(articles._order)  # noqa: SLF001 - the rows ctrl+a marks
        for i in range(presses * 2 + 2):
            if articles.marked_count:
                ms = await timed_press("ctrl+a", lambda: articles.marked_count == 0 and "marked" not in terminal.lines()[0])
                if i > 1:
                    cleared.append(ms)
            else:
                ms = await timed_press("ctrl+a", lambda: articles.marked_count == rows and "marked" in terminal.lines()[0])
                if i > 1:
                    marked.append(ms)
        out["mark_all_ms"], out["clear_all_ms"] = marked, cleared

        # the selection mode on a long article among the first rows
        corpus = screen.state.corpus
        candidates = [i for i in articles.shown_ids[:50]]
        longest = max(candidates, key=lambda i: len(corpus.article(i).body))
        articles.highlight_id(longest)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        out["body_chars"] = len(screen.reader.article.body)
        await pilot.press("V")
        await pilot.pause()
        feature = screen.highlights

        def cursor_drawn(offset: int):
            # the first frame sent once the cursor is there (the key handler restyles
            # the paragraphs concerned and scrolls: that frame draws them)
            return lambda: feature.cursor == offset

        for forward, backward, name in MOVES:
            times: list[float] = []
            key = forward
            tries = 0
            while len(times) < presses and tries < presses * 4:
                tries += 1
                before = feature.cursor
                feature_copy = feature.cursor
                # where the key will take the cursor (computed by the same code, before the press)
                kind_step = (name, 1 if key == forward else -1)
                feature.move(*kind_step)
                target = feature.cursor
                feature.cursor = feature_copy
                feature._draw()  # noqa: SLF001 - put the drawing back where it was
                await pilot.pause()
                if target == before:
                    key = backward if key == forward else forward
                    continue
                times.append(await timed_press(key, cursor_drawn(target)))
            out[f"{name}_ms"] = times
    return out


def run_child(root: Path, label: str, presses: int) -> dict:
    home = Path(f"/tmp/briefing-select-bench-{label}")
    env = dict(os.environ)
    for name in ("CONFIG", "DATA", "CACHE"):
        (home / name.lower()).mkdir(parents=True, exist_ok=True)
        env[f"BRIEFING_{name}_DIR"] = str(home / name.lower())
    cmd = [sys.executable, __file__, "--child", str(root), "--presses", str(presses)]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        raise SystemExit(f"child failed on {root}:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1k,10k")
    ap.add_argument("--presses", type=int, default=20)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(asyncio.run(drive(Path(args.child), args.presses))))
        return
    results = []
    started = time.time()
    load = os.getloadavg()[0]
    for label in [s.strip() for s in args.sizes.split(",") if s.strip()]:
        folder = Path(f"/tmp/corpus{label}")
        if not folder.is_dir():
            raise SystemExit(f"{folder} is missing: python /work/shared/bench/make_corpus.py {folder} --articles {SIZES[label]}")
        annotations = folder / "annotations.yaml"
        before = annotations.read_bytes() if annotations.exists() else None
        print(f"[{label}] …", file=sys.stderr)
        result = run_child(folder, label, args.presses)
        after = annotations.read_bytes() if annotations.exists() else None
        result["label"], result["annotations_untouched"] = label, before == after
        results.append(result)
    lines = [f"bench/select_speed.py  {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(started))}  "
             f"cpus {os.cpu_count()}  load avg before {load:.1f}, after {os.getloadavg()[0]:.1f}",
             f"{'keypress until the frame shows it (160x48)':<46}" + "".join(f"{r['label']:>12}" for r in results)]

    def row(name: str, fn) -> None:
        lines.append(f"{name:<46}" + "".join(f"{fn(r):>12}" for r in results))

    row("articles", lambda r: f"{r['articles']:,}")
    row("body of the article selected in (chars)", lambda r: f"{r['body_chars']:,}")
    for key, name in (("j_ms", "j in the list (baseline, same method)"), ("mark_all_ms", "ctrl+a mark all"), ("clear_all_ms", "ctrl+a again (clear)"),
                      ("word_ms", "V: w/b word"), ("sentence_ms", "V: )/( sentence"),
                      ("paragraph_ms", "V: }/{ paragraph"), ("line_ms", "V: ↓/↑ line")):
        row(f"{name} p50", lambda r, key=key: f"{pct(r[key], .5):.1f} ms")
        row(f"{name} p95 (goal < 50 ms)", lambda r, key=key: f"{pct(r[key], .95):.1f} ms")
    row("presses per figure", lambda r: f"{len(r['word_ms'])}")
    row("annotations.yaml left as found", lambda r: "yes" if r["annotations_untouched"] else "NO")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
