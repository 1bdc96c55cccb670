#!/usr/bin/env python3
"""A search typed in the reader's search bar at a big corpus (issue 20): prints a table.

    python bench/search_typing.py --corpus /tmp/corpus1m --cache /tmp/NAME-cache1m
    python bench/search_typing.py --corpus /tmp/corpus1m --cache /tmp/NAME-cache1m --gaps 0,0.12,0.25 --word obama

Each run opens the corpus in a fresh child process driving ``BriefingApp`` headless
(``App.run_test()`` at 160x48) with private config and state folders and the index
cache folder given (a warm cache: build it first with ``BRIEFING_CACHE_DIR=DIR
briefing index --corpus CORPUS``). Once the whole corpus is listed and every worker
is done, ``/`` and then the word's letters are sent as a terminal sends them (the
driver's messages, not ``pilot.press``, which waits for the process to go idle after
each key), one every ``gap`` seconds (0: each as soon as the field shows the one
before), then enter. Measured:

- keys: the longest time from a letter sent to the field showing it (ms);
- enter -> shown: from enter to the list showing the word's results, laid out (s);
- searches / lists: how many searches ran their query (prefixes included) and how
  many lists (listings of the index) were made, from the first key on.

The machine is shared: the load average is printed with the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


async def _until(predicate, timeout: float = 300.0) -> None:
    started = time.perf_counter()
    while not predicate():
        if time.perf_counter() - started > timeout:
            raise TimeoutError("the reader did not get there in time")
        await asyncio.sleep(0.001)


def child(corpus: Path, word: str, gap: float) -> dict:
    from textual import events

    from briefing.listing import window
    from briefing.tui.app import BriefingApp
    from briefing.tui.features import search as search_feature
    from briefing.tui.loading import HeadCorpus
    from briefing.tui.widgets.article_list import ArticleList
    from briefing.tui.widgets.search_bar import SearchBar

    counting = {"on": False, "searches": 0, "lists": 0}
    find, build = search_feature.find, window.WindowedListing._build

    def counted_find(*args, **kwargs):
        counting["searches"] += counting["on"]
        return find(*args, **kwargs)

    def counted_build(self, ids):
        counting["lists"] += counting["on"]
        build(self, ids)

    search_feature.find = counted_find
    window.WindowedListing._build = counted_build  # type: ignore[method-assign]
    out: dict = {}

    async def run() -> None:
        app = BriefingApp(corpus)
        app.animation_level = "none"
        async with app.run_test(size=(160, 48)):
            def full() -> bool:
                state = getattr(app.screen, "state", None)
                return state is not None and state.corpus is not None and not isinstance(state.corpus, HeadCorpus)

            await _until(full)
            articles = app.screen.query_one(ArticleList)
            await _until(lambda: bool(articles.shown_ids) and not articles.laying_out)
            for _ in range(20):
                try:
                    await app.workers.wait_for_complete()
                    break
                except Exception:  # noqa: BLE001 - a worker replaced meanwhile
                    await asyncio.sleep(0.05)
            articles.focus()
            await asyncio.sleep(1.0)
            driver = app._driver
            assert driver is not None

            def send(key: str, char: str) -> None:
                event = events.Key(key, char)
                event.set_sender(app)
                driver.send_message(event)

            counting["on"] = True
            send("slash", "/")
            bar = app.screen.query_one(SearchBar)
            await _until(lambda: bar.has_focus, timeout=60)
            keys = []
            for n, letter in enumerate(word, 1):
                due = time.perf_counter() + gap
                sent = time.perf_counter()
                send(letter, letter)
                await _until(lambda n=n: bar.value == word[:n], timeout=60)
                keys.append(1000 * (time.perf_counter() - sent))
                await asyncio.sleep(max(0.0, due - time.perf_counter()))
            entered = time.perf_counter()
            send("enter", "\r")

            def shown() -> bool:
                state = app.screen.state
                return (state.hits is not None and state.query_text == word and not articles.laying_out
                        and articles.shown_count == len(state.hits))

            await _until(shown, timeout=300)
            out.update(keys_max_ms=max(keys), enter_s=time.perf_counter() - entered, hits=len(app.screen.state.hits),
                       searches=counting["searches"], lists=counting["lists"])

    asyncio.run(run())
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", action="append", required=True, type=Path)
    parser.add_argument("--cache", action="append", required=True, type=Path, help="index cache folder, per corpus")
    parser.add_argument("--word", default="obama")
    parser.add_argument("--gaps", default="0,0.12,0.25", help="seconds between letters, comma-separated")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    gaps = [float(g) for g in args.gaps.split(",")]
    if args.child:
        print(json.dumps(child(args.corpus[0], args.word, gaps[0])))
        return
    print(f"search typed: / {args.word} enter, a letter every gap seconds; keys = longest letter to shown in the field")
    print(f"{'corpus':<16} {'gap s':>6} {'keys max ms':>11} {'enter->shown s':>14} {'hits':>7} {'searches':>8} "
          f"{'lists':>5}  load average")
    for corpus, cache in zip(args.corpus, args.cache, strict=True):
        for gap in gaps:
            with tempfile.TemporaryDirectory(prefix="search-typing-") as home:
                env = dict(os.environ, BRIEFING_CACHE_DIR=str(cache), BRIEFING_STATE_DIR=f"{home}/state",
                           BRIEFING_CONFIG_DIR=f"{home}/config", HOME=home)
                load_before = Path("/proc/loadavg").read_text().split()[:3]
                done = subprocess.run([sys.executable, __file__, "--child", "--corpus", str(corpus), "--cache",
                                       str(cache), "--word", args.word, "--gaps", str(gap)],
                                      env=env, capture_output=True, text=True, check=False)
                load_after = Path("/proc/loadavg").read_text().split()[:3]
            if done.returncode != 0:
                print(done.stderr[-3000:], file=sys.stderr)
                continue
            r = json.loads(done.stdout.strip().splitlines()[-1])
            print(f"{corpus.name:<16} {gap:>6.2f} {r['keys_max_ms']:>11.0f} {r['enter_s']:>14.2f} {r['hits']:>7,} "
                  f"{r['searches']:>8} {r['lists']:>5}  {' '.join(load_before)} -> {' '.join(load_after)}", flush=True)


if __name__ == "__main__":
    main()
