#!/usr/bin/env python3
"""How the Textual reader responds at scale (issue 7, reader side): prints a table.

    python bench/reader_scale.py                         # /tmp/corpus1k and /tmp/corpus10k
    python bench/reader_scale.py --sizes 1k,10k,100k --out /work/notes/reader_scale_table.txt

Each figure comes from a fresh child process driving ``BriefingApp`` headless with
``App.run_test()`` at 160x48, with private config/data/cache folders (the cache folder
is empty for the cold run, and kept for the warm run). Time is wall clock from
creating the app.

- first screen: the first frame sent to the (headless) terminal with the list's rows
  (from the cache's first page, or the refresh's first batch on a cold cache);
- full list: the first frame once the refresh completed and the list holds every article;
- key figures (warm run, after the full list), from the key event until the frame
  that shows the change has been turned into terminal output (the headless driver
  skips that step; it is done here, on the clock, as a terminal would need it):
  ``j`` in the list (the cursor on the next row); ``enter`` after looking at the row
  for 0.05-0.5 s; ``n`` after a 0.5 s pause on an article (as a reader reads); ``n``/
  ``p`` alternating and ``n`` held (a new article each time), back to back. An
  article counts as shown when the frames sent so far put its title line, the start
  of its text and the start of its summary's first sentence on screen (a copy of the
  screen is kept from the updates sent, as a terminal would), so a stale summary or a
  body still to be drawn does not count. Keys come at a random moment 0-33 ms after
  the previous frame (seeded): a key pressed right after a frame always waits the
  longest for the next one (60 frames a second), which users do not do on purpose.
  Every series after one warm-up press;
- peak RSS: ru_maxrss of the reader process (index parse workers, which only run on
  a cold cache, are reported apart).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from machine import cpu_check_ms

SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000}
PRESSES = 40  # per key series
READ_PAUSE_S = 0.5
KEY_GAP_S = (0.0, 2 / 60)  # a key comes this long after the previous frame (uniform, seeded)
LOOK_S = (0.05, 0.5)  # a look at the row before enter


class TerminalCopy:
    """What the terminal shows: the frames' updates applied to a grid of cells."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.rows = [[" "] * width for _ in range(height)]

    def _put(self, y: int, x: int, strip) -> None:
        from rich.cells import cell_len

        if not 0 <= y < self.height:
            return
        row = self.rows[y]
        for segment in strip:
            text = segment.text
            if not text or segment.control:
                continue
            cells = list(text) if cell_len(text) == len(text) else [c for ch in text for c in (ch, "")[: max(1, cell_len(ch))]]
            end = min(self.width, x + len(cells))
            if x < end:
                row[x:end] = cells[: end - x]
            x += len(cells)

    def apply(self, update) -> None:
        from textual._compositor import ChopsUpdate, LayoutUpdate

        if isinstance(update, LayoutUpdate):
            for y, line in enumerate(update.strips, update.region.y):
                x = update.region.x
                for strip in line:
                    self._put(y, x, strip)
                    x += strip.cell_length
        elif isinstance(update, ChopsUpdate):
            for y, x1, x2 in update.spans:
                for end, (x, strip) in zip(update.chop_ends[y], update.chops[y].items(), strict=True):
                    if strip is None or x > x2 or end <= x1:
                        continue
                    self._put(y, x, strip.crop(0, min(end, x2) - x))

    def lines(self, left: int = 0, right: int | None = None) -> list[str]:
        return ["".join(row[left:right]) for row in self.rows]


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))]


async def _until(predicate, timeout: float = 600.0, step: float = 0.001) -> float:
    started = time.perf_counter()
    while not predicate():
        if time.perf_counter() - started > timeout:
            raise TimeoutError("the reader did not get there in time")
        await asyncio.sleep(step)
    return time.perf_counter()


async def drive(root: Path, keys: bool) -> dict:
    from briefing.tui.app import BriefingApp
    from briefing.tui.loading import HeadCorpus
    from briefing.tui.widgets.article_list import ArticleList
    from briefing.tui.widgets.reader import Reader

    out: dict = {}
    started = time.perf_counter()
    app = BriefingApp(root)
    app.animation_level = "none"
    seen: dict[str, float] = {}  # first frame sent with the rows / with the full list
    display = app._display

    def listed() -> bool:
        try:
            articles = app.screen.query_one(ArticleList)
        except Exception:
            return False
        return articles.display and bool(articles.shown_ids)

    def full() -> bool:
        corpus = getattr(getattr(app.screen, "state", None), "corpus", None)
        return corpus is not None and not isinstance(corpus, HeadCorpus) and listed()

    terminal = TerminalCopy(160, 48)
    app._terminal_copy = terminal

    def first_frames(target, renderable):
        now = time.perf_counter()
        if "first" not in seen and listed():
            seen["first"] = now
        if "full" not in seen and full():
            seen["full"] = now
        terminal.apply(renderable)
        return display(target, renderable)

    app._display = first_frames
    async with app.run_test(size=(160, 48)) as pilot:
        await _until(lambda: "first" in seen)
        screen = app.screen
        out["first_screen_s"] = seen["first"] - started
        out["first_rows"] = len(screen.query_one(ArticleList).shown_ids)
        await _until(lambda: "full" in seen)
        out["full_list_s"] = seen["full"] - started
        app._display = display
        out["articles"] = len(screen.state.corpus.articles)
        if keys:
            await app.workers.wait_for_complete()
            out.update(await press_keys(app, pilot, screen, ArticleList, Reader))
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    out["rss_mb"] = own
    out["worker_rss_mb"] = kids
    return out


async def press_keys(app, pilot, screen, ArticleList, Reader) -> dict:
    import random

    from textual import events

    from briefing.sanitize import clean_line
    from briefing.tui.marking import split_paragraphs

    rng = random.Random(7)
    articles = screen.query_one(ArticleList)
    reader = screen.query_one(Reader)
    terminal: TerminalCopy = app._terminal_copy
    articles.focus()
    await pilot.pause()
    watch: list = [None, None]  # [predicate, time the first frame with it true was ready for the terminal]
    display = app._display
    console = app.console
    last_frame = [time.perf_counter()]

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

    async def timed_press(key: str, done, gap=KEY_GAP_S) -> float:
        """Key sent as the terminal driver sends it, a random moment after the last
        frame; until the first frame with the change (``done()`` true on the copy)."""
        delay = rng.uniform(*gap)
        await _until(lambda: time.perf_counter() >= last_frame[0] + delay, timeout=5)
        watch[0], watch[1] = done, None
        t = time.perf_counter()
        app._driver.send_message(events.Key(key, key if len(key) == 1 else None))
        await _until(lambda: watch[1] is not None, timeout=60)
        watch[0] = None
        return (watch[1] - t) * 1000

    def reader_lines() -> list[str]:
        region = reader.content_region
        return [line.strip() for line in terminal.lines(region.x, region.right)[region.y : region.bottom]]

    expected: dict[str, tuple[str, str]] = {}

    def article_of(article_id: str) -> tuple[str, str]:
        if article_id not in expected:
            from briefing.tui.widgets.details import Shown, header_content

            article = screen.state.corpus.article(article_id)
            paragraphs = split_paragraphs(article.body, article.headings)
            first = paragraphs[0].text.split("\n")[0] if paragraphs else "(this article has no text)"
            # the header's first line (the title, as the reading pane shows it since issue 15)
            title = header_content(Shown(screen.shown_meta(screen.state.corpus.get(article_id)))).plain
            expected[article_id] = (title.split("\n")[0][:30], " ".join(first.split()[:3]))
        return expected[article_id]

    def shown(article_id: str, with_summary: bool = True):
        file_line, start = article_of(article_id)

        def check() -> bool:
            lines = reader_lines()
            at = next((i for i, line in enumerate(lines) if line.startswith(file_line)), None)
            if at is None:  # the details of another article (or none yet)
                return False
            if not any(line.startswith(start) for line in lines[at + 1 :]):  # the text, below the details
                return False
            if not with_summary:
                return True
            key = screen.summaries.key()
            summary = screen.summaries.cache.remembered((key.fingerprint, key.method, key.length, key.lang or "")) if key else None
            if key is None or key.article_id != article_id or summary is None:
                return False
            if not summary.sentences:
                return any("(no summary for this text)" in line for line in lines)
            bullet = "• " + " ".join(clean_line(summary.sentences[0]).split()[:3])
            return any(bullet in line for line in lines)

        return check

    out: dict = {}
    await timed_press("j", lambda: True)
    j = []
    for _ in range(PRESSES):
        target = articles.neighbour(articles.highlighted_id, 1)
        j.append(await timed_press("j", lambda target=target: articles.highlighted_id == target))
    out["j_ms"] = j

    # enter: open the highlighted article after a look at its row (then back to the list, one row down)
    enter = []
    for i in range(PRESSES // 2 + 1):
        target = articles.highlighted_id
        ms = await timed_press("enter", shown(target), gap=LOOK_S)
        if i:
            enter.append(ms)
        articles.focus()
        await pilot.press("j")
        await pilot.pause()
    out["enter_ms"] = enter
    await app.workers.wait_for_complete()

    # n after a pause on each article: the summary of the next one is ready ahead
    reader.focus()
    summary = []
    for i in range(PRESSES // 2 + 1):
        target = articles.neighbour(screen.state.current_id, 1)
        ms = await timed_press("n", shown(target), gap=(READ_PAUSE_S, READ_PAUSE_S))
        if i:
            summary.append(ms)
    out["summary_ms"] = summary

    # n / p alternating, back to back
    nav = []
    for i in range(PRESSES + 1):
        key = "n" if i % 2 == 0 else "p"
        target = articles.neighbour(screen.state.current_id, 1 if key == "n" else -1)
        ms = await timed_press(key, shown(target))
        if i:
            nav.append(ms)
    out["np_ms"] = nav

    # n held: a new article each time, back to back (nothing summarized ahead for it)
    held = []
    for i in range(PRESSES + 1):
        target = articles.neighbour(screen.state.current_id, 1)
        ms = await timed_press("n", shown(target))
        if i:
            held.append(ms)
    out["held_ms"] = held
    return out


def child(root: str, keys: bool) -> dict:
    return asyncio.run(drive(Path(root), keys))


def run_child(root: Path, home: Path, keys: bool) -> dict:
    env = dict(os.environ)
    for name in ("CONFIG", "DATA", "CACHE", "STATE"):
        env[f"BRIEFING_{name}_DIR"] = str(home / name.lower())
    cmd = [sys.executable, __file__, "--child", str(root)] + (["--keys"] if keys else [])
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=3600)
    if out.returncode != 0:
        raise SystemExit(f"child failed on {root}:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(label: str, root: Path) -> dict:
    # Opening articles marks them read in the corpus's annotations.yaml (the real
    # store is measured): the file and its backup are put back as they were.
    from tui_speed import leaving_annotations_as_found

    cpu_check = cpu_check_ms()

    def both() -> dict:
        with tempfile.TemporaryDirectory(prefix=f"briefing-reader-{label}-") as tmp:
            home = Path(tmp)
            # This machine drops file pages it has not touched for a minute or so,
            # whatever memory is free: read the folder first (as bench/scale.py does
            # before its builds), so that "cold cache" means no index, not a cold disk.
            print(f"[{label}] read every byte, then cold cache", file=sys.stderr)
            read_s = read_every_byte(root)
            cold = run_child(root, home, keys=False)
            print(f"[{label}] warm cache, keys", file=sys.stderr)
            warm = run_child(root, home, keys=True)
        return {"label": label, "cold": cold, "warm": warm, "cpu_check_ms": cpu_check, "read_s": read_s}

    return leaving_annotations_as_found(root, both)


def read_every_byte(root: Path) -> float:
    """Seconds to read every file of the folder (bench/scale.py's baseline), the
    second of two reads: with the pages in the page cache."""
    from scale import read_every_byte as read_all

    read_all(root)
    return read_all(root)[0]


def table(results: list[dict]) -> str:
    def row(name: str, fn) -> str:
        return f"{name:<52}" + "".join(f"{fn(r):>14}" for r in results)

    def ms(key: str, q: float):
        return lambda r: f"{pct(r['warm'][key], q):.1f} ms"

    lines = [
        f"{'reader (headless run_test, 160x48)':<52}" + "".join(f"{r['label']:>14}" for r in results),
        row("articles", lambda r: f"{r['warm']['articles']:,}"),
        row("CPU check before this size (ms, bench/machine.py)", lambda r: f"{r['cpu_check_ms']:.0f}"),
        row("first screen, cold cache (goal < 2 s)", lambda r: f"{r['cold']['first_screen_s']:.2f} s"),
        row("  rows on it", lambda r: f"{r['cold']['first_rows']}"),
        row("full list, cold cache (index built)", lambda r: f"{r['cold']['full_list_s']:.2f} s"),
        row("  read every byte just before (page cache warm)", lambda r: f"{r['read_s']:.2f} s"),
        row("  full list ÷ read every byte", lambda r: f"{r['cold']['full_list_s'] / r['read_s']:.1f}x"),
        row("first screen, warm cache (goal < 1 s)", lambda r: f"{r['warm']['first_screen_s']:.2f} s"),
        row("full list, warm cache (folder checked)", lambda r: f"{r['warm']['full_list_s']:.2f} s"),
    ]
    for key, name in (("j_ms", "j in the list"), ("enter_ms", "enter: article + summary shown"),
                      ("summary_ms", "n after 0.5 s: article + summary shown"),
                      ("np_ms", "n/p back to back: article + summary"), ("held_ms", "n held (new articles): + summary")):
        lines.append(row(f"{name} p50", ms(key, .5)))
        lines.append(row(f"{name} p95 (goal < 50 ms)", ms(key, .95)))
    lines += [
        row("peak RSS reader, warm (goal < 600 MB)", lambda r: f"{r['warm']['rss_mb']:.0f} MB"),
        row("peak RSS reader, cold", lambda r: f"{r['cold']['rss_mb']:.0f} MB"),
        row("  peak RSS of one index worker, cold", lambda r: f"{r['cold']['worker_rss_mb']:.0f} MB"),
    ]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1k,10k", help="comma-separated, from: " + ", ".join(SIZES))
    ap.add_argument("--out", type=Path, default=None, help="also write the table to this file")
    ap.add_argument("--child", metavar="ROOT", help=argparse.SUPPRESS)
    ap.add_argument("--keys", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.keys)))
        return
    labels = [s.strip() for s in args.sizes.split(",") if s.strip()]
    results = []
    started = time.time()
    load_before = os.getloadavg()
    for label in labels:
        folder = Path(f"/tmp/corpus{label}")
        if not folder.is_dir():
            raise SystemExit(f"{folder} is missing: python /work/shared/bench/make_corpus.py {folder} --articles {SIZES[label]}")
        results.append(measure(label, folder))
    load_after = os.getloadavg()
    header = (
        f"bench/reader_scale.py  {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(started))}  "
        f"python {sys.version.split()[0]}  cpus {os.cpu_count()}  "
        f"load avg before/after {load_before[0]:.1f}/{load_after[0]:.1f}"
    )
    text = header + "\n" + table(results) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
