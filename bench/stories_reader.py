"""What stories cost the reader's list: prints a table (milliseconds, UI thread).

    python /work/shared/bench/make_corpus.py /tmp/big --articles 10000
    python bench/stories_reader.py /tmp/big

Opens the reader headless at 160x48 (config and caches in a temporary folder, so
the grouping is computed, then read back from the index cache on a second run of
``group_stories``), then times on the UI thread, grouping off and on, side by side:
building the list (``show_articles``), a cursor step (``j``, median of 200), and
with grouping on, expanding and folding a story row (``→``/``←``, median of 20).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:8.2f}"


async def measure(root: Path) -> None:
    from briefing.stories import group_stories
    from briefing.tui.app import BriefingApp
    from briefing.tui.widgets.article_list import ArticleList

    app = BriefingApp(root)
    app.animation_level = "none"
    async with app.run_test(size=(160, 48)) as pilot:
        screen = None
        started = time.perf_counter()
        while True:
            screen = app.screen
            if getattr(screen, "stories", None) is not None:
                break
            if time.perf_counter() - started > 600:
                raise SystemExit("no stories after 10 minutes")
            await asyncio.sleep(0.05)
        grouped_in = time.perf_counter() - started
        await pilot.pause()
        stories = screen.state.stories
        t = time.perf_counter()
        again = group_stories(screen.state.corpus)
        cached = time.perf_counter() - t
        articles = screen.query_one(ArticleList)
        metas = screen.listed_metas()
        articles.focus()
        rows: dict[str, list[str]] = {}
        for label, grouping in (("off", None), ("on", stories)):
            t = time.perf_counter()
            articles.show_articles(metas, app.marks, None, grouping)
            build = time.perf_counter() - t
            await pilot.pause()
            steps = []
            for _ in range(200):
                t = time.perf_counter()
                articles.action_cursor_down()
                steps.append(time.perf_counter() - t)
            rows[label] = [_ms(build), _ms(statistics.median(steps)), _ms(max(steps))]
        first = next(s for s in stories.stories)
        expand, fold = [], []
        for _ in range(20):
            articles.highlight_id(first.lead)
            t = time.perf_counter()
            articles.action_expand()
            expand.append(time.perf_counter() - t)
            t = time.perf_counter()
            articles.action_collapse()
            fold.append(time.perf_counter() - t)
        load = os.getloadavg()
        print(f"# corpus {root}: {len(screen.state.corpus.articles)} articles, {len(stories)} stories "
              f"({stories.grouped} articles in them); loadavg {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
        print(f"# grouping in the reader's worker (cold caches): {grouped_in:.1f} s after start "
              f"(includes indexing); group_stories again (cache): {cached * 1000:.0f} ms, from_cache={again.stats.from_cache}")
        print("grouping | list build ms | step median ms | step max ms")
        for label, cols in rows.items():
            print(f"{label:>8} | {cols[0]:>13} | {cols[1]:>14} | {cols[2]:>11}")
        print(f"expand a story row (→): median {_ms(statistics.median(expand)).strip()} ms; "
              f"fold (←): median {_ms(statistics.median(fold)).strip()} ms")


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    root = Path(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("CONFIG", "DATA", "CACHE"):
            path = Path(tmp) / name.lower()
            path.mkdir()
            os.environ[f"BRIEFING_{name}_DIR"] = str(path)
        asyncio.run(measure(root))


if __name__ == "__main__":
    main()
