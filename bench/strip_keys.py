#!/usr/bin/env python3
"""Keypress latency with the timeline strip shown and hidden (issue 23: "keypress p95
unchanged"), side by side: prints a table.

    python bench/strip_keys.py /tmp/mycopy10k /tmp/mycopy100k [--presses 30] [--rounds 2] [--cache DIR] [--out FILE]
        [--strip hidden|shown|both]

Give COPIES of the corpora: opening articles marks them read in the folder's
annotations.yaml (put back as it was afterwards, as bench/reader_scale.py does), and
the shared /tmp/corpus* folders are not to be written.

For each folder, fresh child processes drive ``BriefingApp`` headless at 160x48 on
a warm index cache (built first), identical but for the strip: ``timeline_strip:
false`` or ``true`` in their config, alternating for ``--rounds`` rounds (hidden
first, then shown first; the presses of all rounds pooled). In each, after the
full list and the strip's first count, the same seeded series of keys, each timed
from the key event to the first frame, turned into terminal output, that shows the
change (bench/reader_scale.py's method and helpers):

- ``j``: the list's cursor on the next row (and, strip shown, the mark moved);
- ``pagedown``: the cursor a page further;
- ``end`` / ``home`` alternating: the cursor on the last / first row;
- ``enter``: the article's title and the start of its text in the reading pane
  (the summary not waited for: that is the summarizer's time, not the strip's);
- ``H`` then ``j`` sent together: ``j``'s cursor move, timed from both keys (H shows
  or hides dismissed articles: the list is made again; issue 20 asks that keys never
  wait for that);
- strip shown only: ``d`` in the strip (narrow the list to the cursor's day, the
  cursor moved to another day first) until the list shows that day's articles,
  and ``backspace`` (undo) until it shows them all again.

The 1-minute load average is printed with the table (a shared machine).
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
from reader_scale import KEY_GAP_S, TerminalCopy, _until, pct
from tui_speed import leaving_annotations_as_found

HERE = Path(__file__).resolve().parent
SIZE = (160, 48)


async def settled(app) -> None:
    """Every worker done (one replaced meanwhile by a newer one counts as done)."""
    from textual.worker import WorkerCancelled

    for _ in range(3):
        try:
            await app.workers.wait_for_complete()
            return
        except WorkerCancelled:
            continue


async def drive(root: Path, strip_shown: bool, presses: int) -> dict:
    from textual import events

    from briefing.tui.app import BriefingApp
    from briefing.tui.loading import HeadCorpus
    from briefing.tui.widgets.article_list import ArticleList
    from briefing.tui.widgets.reader import Reader
    from briefing.tui.widgets.timeline_strip import TimelineStrip

    rng = random.Random(11)
    app = BriefingApp(root)
    app.animation_level = "none"
    out: dict = {"strip": strip_shown}
    async with app.run_test(size=SIZE) as pilot:
        def full() -> bool:
            state = getattr(app.screen, "state", None)
            corpus = getattr(state, "corpus", None)
            return corpus is not None and not isinstance(corpus, HeadCorpus)

        await _until(full)
        screen = app.screen
        articles = screen.query_one(ArticleList)
        reader = screen.query_one(Reader)
        strip = screen.query_one(TimelineStrip)
        await _until(lambda: bool(articles.shown_ids))
        if strip_shown:
            await _until(lambda: strip.display and strip.data is not None)
        assert strip.display == strip_shown, "the config did not set the strip as asked"
        await settled(app)
        out["articles"] = len(screen.state.corpus.articles)
        articles.focus()
        await pilot.pause()

        terminal = TerminalCopy(*SIZE)
        watch: list = [None, None]
        display = app._display
        console = app.console
        last_frame = [time.perf_counter()]

        def recording_display(target, renderable):
            if renderable is not None:
                renderable.render_segments(console)
                now = time.perf_counter()
                last_frame[0] = now
                terminal.apply(renderable)
                predicate = watch[0]
                if predicate is not None and watch[1] is None and predicate():
                    watch[1] = now
            return display(target, renderable)

        app._display = recording_display
        app.refresh()
        await pilot.pause()

        def reader_lines() -> list[str]:
            region = reader.content_region
            return [line.strip() for line in terminal.lines(region.x, region.right)[region.y:region.bottom]]

        async def timed(key: str, done) -> float | None:
            delay = rng.uniform(*KEY_GAP_S)
            await _until(lambda: time.perf_counter() >= last_frame[0] + delay, timeout=5)
            watch[0], watch[1] = done, None
            started = time.perf_counter()
            app._driver.send_message(events.Key(key, key if len(key) == 1 else None))
            try:
                await _until(lambda: watch[1] is not None, timeout=20)
            except TimeoutError:  # counted apart (the table's "missed"): e.g. the pane scrolled off the title line
                watch[0] = None
                out["missed"] = out.get("missed", 0) + 1
                print(f"{key}: no frame showed the change; reader: {reader_lines()[:2]}", file=sys.stderr)
                return None
            watch[0] = None
            return (watch[1] - started) * 1000

        def moved_to(target):
            if strip_shown:
                return lambda: articles.highlighted_id == target and strip.marked == _bucket_of(target)
            return lambda: articles.highlighted_id == target

        def _bucket_of(article_id):
            return strip.data.line.index_of(screen.stats._marked_day()) if strip.data else None

        def moved_from(before):
            return lambda: articles.highlighted_id not in (None, before)

        await timed("j", lambda: True)  # warm-up
        out["j_ms"] = [await timed("j", moved_to(articles.neighbour(articles.highlighted_id, 1)))
                       for _ in range(presses)]
        out["page_ms"] = [await timed("pagedown", moved_from(articles.highlighted_id)) for _ in range(presses // 2)]
        ends = []
        for i in range(presses // 2):
            key = "end" if i % 2 == 0 else "home"
            ends.append(await timed(key, moved_from(articles.highlighted_id)))
        out["end_ms"] = ends

        def opened(article_id: str):
            from briefing.tui.widgets.details import Shown, header_content

            meta = screen.state.corpus.get(article_id)
            title = header_content(Shown(screen.shown_meta(meta))).plain.split("\n")[0][:30]
            return lambda: any(line.startswith(title) for line in reader_lines())

        enter = []
        for _ in range(presses // 2):
            target = articles.highlighted_id
            enter.append(await timed("enter", opened(target)))
            articles.focus()
            await pilot.press("j", "j", "j")  # another article, one not open
            await pilot.pause()
        out["enter_ms"] = enter

        # H (show/hide dismissed: the list made again) and j at once: j's frame, timed
        # from both keys sent (a relist on the UI thread delays it by the relist's time).
        during = []
        articles.focus()
        await pilot.press("home")  # (the end/home presses may have left the cursor on the last row)
        for _ in range(2 * max(2, presses // 12)):  # an even count: dismissed hidden again at the end
            articles.focus()
            await settled(app)
            await pilot.pause()
            before = articles.highlighted_id
            watch[0], watch[1] = moved_from(before), None
            started = time.perf_counter()
            app._driver.send_message(events.Key("H", "H"))
            app._driver.send_message(events.Key("j", "j"))
            try:
                await _until(lambda: watch[1] is not None, timeout=60)
                during.append((watch[1] - started) * 1000)
            except TimeoutError:
                out["missed"] = out.get("missed", 0) + 1
                print(f"H+j: no frame showed the cursor moved from {before}: on {articles.highlighted_id}, "
                      f"dismissed shown {screen.state.filter.show_dismissed}, focus {app.focused}", file=sys.stderr)
            watch[0] = None
        await settled(app)
        out["during_ms"] = during

        if strip_shown:
            await settled(app)
            narrow, undo = [], []
            total = articles.shown_count
            for _ in range(max(3, presses // 4)):
                strip.focus()
                await pilot.pause()
                strip.action_move(-rng.randint(1, 5))
                await pilot.pause()
                day = strip.data.line.starts[strip.cursor]
                narrow.append(await timed("d", lambda day=day: screen.state.filter.since == day
                                          and articles.shown_count < total))
                undo.append(await timed("backspace", lambda: screen.state.filter.since is None
                                        and articles.shown_count == total))
                await settled(app)
            out["narrow_ms"], out["undo_ms"] = narrow, undo
            out["unit"] = strip.data.line.unit
        app._display = display
    import resource

    out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def run_child(root: Path, home: Path, strip: str, presses: int, cache: Path) -> dict:
    env = dict(os.environ, BRIEFING_CACHE_DIR=str(cache))
    for name in ("CONFIG", "DATA", "STATE"):  # the session (cursor position) too: each child starts at the top
        env[f"BRIEFING_{name}_DIR"] = str(home / strip / name.lower())
    config = home / strip / "config"
    config.mkdir(parents=True, exist_ok=True)
    shown = "true" if strip == "shown" else "false"
    (config / "config.yaml").write_text(f"timeline_strip: {shown}\nsummary_method: lead\n", encoding="utf-8")
    cmd = [sys.executable, __file__, "--child", str(root), strip, "--presses", str(presses)]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=3600, check=False)
    if done.returncode != 0:
        raise SystemExit(f"child failed on {root}:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def build_index(root: Path, cache: Path) -> float:
    env = dict(os.environ, BRIEFING_CACHE_DIR=str(cache))
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "briefing", "index", "--corpus", str(root)], env=env, check=True,
                   capture_output=True, cwd=HERE.parent)
    return time.perf_counter() - started


def measure(root: Path, presses: int, cache_base: Path | None, rounds: int,
            strips: tuple[str, ...] = ("hidden", "shown")) -> dict:
    with tempfile.TemporaryDirectory(prefix="strip-keys-") as tmp:
        home = Path(tmp)
        cache = (cache_base / root.name) if cache_base is not None else home / "cache"
        print(f"[{root.name}] index", file=sys.stderr)
        build_index(root, cache)
        result: dict = {"label": root.name, "cpu_check_ms": cpu_check_ms()}
        # Hidden and shown alternate (hidden first, then shown first...), each run a
        # fresh process: a shared machine's load drifts, and both get their share.
        for n in range(rounds):
            for strip in strips if n % 2 == 0 else strips[::-1]:
                print(f"[{root.name}] round {n + 1}: strip {strip}", file=sys.stderr)
                load = os.getloadavg()[0]
                got = leaving_annotations_as_found(root, lambda strip=strip, n=n: run_child(root, home / str(n), strip, presses, cache))
                pooled = result.setdefault(strip, {"load": [], "rss_mb": 0.0, "articles": got["articles"]})
                pooled["load"].append(load)
                pooled["rss_mb"] = max(pooled["rss_mb"], got["rss_mb"])
                pooled["missed"] = pooled.get("missed", 0) + got.get("missed", 0)
                for key, values in got.items():
                    if key.endswith("_ms"):
                        pooled.setdefault(key, []).extend(v for v in values if v is not None)
        for strip in strips:
            result[strip]["load"] = sum(result[strip]["load"]) / rounds
    return result


def table(results: list[dict]) -> str:
    cols = [(r, s) for r in results for s in ("hidden", "shown") if s in r]
    lines = [f"{'keypress to frame (ms)':<40}" + "".join(f"{r['label'] + ' ' + s:>18}" for r, s in cols),
             f"{'articles':<40}" + "".join(f"{r[s]['articles']:>18,}" for r, s in cols),
             f"{'load average (1 min) at starts, mean':<40}" + "".join(f"{r[s]['load']:>18.1f}" for r, s in cols)]
    for key, name in (("j_ms", "j (cursor down)"), ("page_ms", "pagedown"), ("end_ms", "end / home"),
                      ("enter_ms", "enter (article shown)"), ("during_ms", "j right after H (a relist)"),
                      ("narrow_ms", "d in the strip (narrow to a day)"),
                      ("undo_ms", "backspace in the strip (undo)")):
        for q, qn in ((.5, "p50"), (.95, "p95")):
            cells = []
            for r, s in cols:
                values = r[s].get(key)
                cells.append(f"{pct(values, q):>18.1f}" if values else f"{'-':>18}")
            lines.append(f"{name + ' ' + qn:<40}" + "".join(cells))
    lines.append(f"{'presses missed (no frame within 20 s)':<40}" + "".join(f"{r[s].get('missed', 0):>18}" for r, s in cols))
    lines.append(f"{'peak RSS reader (MB)':<40}" + "".join(f"{r[s]['rss_mb']:>18.0f}" for r, s in cols))
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folders", nargs="*", type=Path)
    ap.add_argument("--presses", type=int, default=30)
    ap.add_argument("--rounds", type=int, default=2, help="hidden/shown runs per folder, alternating; presses pooled")
    ap.add_argument("--strip", choices=("hidden", "shown", "both"), default="both",
                    help="only the strip hidden (or shown): one reader per round (a million articles take long)")
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--cache", type=Path, default=None,
                    help="keep each folder's index in CACHE/<folder name> (built or refreshed first), not a temporary one")
    ap.add_argument("--child", nargs=2, metavar=("ROOT", "STRIP"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(asyncio.run(drive(Path(args.child[0]), args.child[1] == "shown", args.presses))))
        return
    started = time.gmtime()
    before = os.getloadavg()[0]
    results = []
    for folder in args.folders:
        strips = ("hidden", "shown") if args.strip == "both" else (args.strip,)
        results.append(measure(folder, args.presses, args.cache, args.rounds, strips))
        print(table(results), file=sys.stderr, flush=True)  # so far (a later folder may fail)
    text = (f"bench/strip_keys.py  {time.strftime('%Y-%m-%d %H:%M UTC', started)}  cpus {os.cpu_count()}  "
            f"load avg before/after {before:.1f}/{os.getloadavg()[0]:.1f}  "
            f"CPU check {', '.join(str(round(r['cpu_check_ms'])) for r in results)} ms (about 40 when quiet)\n"
            + table(results) + "\n")
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
