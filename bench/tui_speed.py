"""How fast the reader responds on a corpus: prints a table (seconds, wall clock).

    python /work/shared/bench/make_corpus.py /tmp/big --articles 5000
    python bench/tui_speed.py /tmp/big seeds

Columns: load = corpus opened in the worker until the list is shown; list = building
the list on the UI thread (what freezes the screen); open = open the first article and
wait for its summary (first one also imports the summarizer); search = "energy" over
every body (first: bodies read from disk; again: cached bodies, two terms).
Runs headless with Textual's test driver at 160x48, config in a temporary folder.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path


async def measure(root: Path) -> dict[str, float]:
    from briefing.tui.app import BriefingApp
    from briefing.tui.widgets.article_list import ArticleList

    figures: dict[str, float] = {}
    start = time.perf_counter()
    app = BriefingApp(root)
    app.animation_level = "none"
    async with app.run_test(size=(160, 48)) as pilot:
        while getattr(getattr(app.screen, "state", None), "corpus", None) is None:
            await asyncio.sleep(0.005)
        await pilot.pause()
        figures["load"] = time.perf_counter() - start
        figures["articles"] = len(app.screen.state.corpus.articles)
        articles = app.screen.query_one(ArticleList)
        t = time.perf_counter()
        articles.show_articles(app.screen.state.corpus.articles, app.marks, None)
        figures["list"] = time.perf_counter() - t
        t = time.perf_counter()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        figures["open"] = time.perf_counter() - t
        t = time.perf_counter()
        app.screen.search.run("energy")
        await app.workers.wait_for_complete()
        await pilot.pause()
        figures["search"] = time.perf_counter() - t
        t = time.perf_counter()
        app.screen.search.run("energy grid")
        await app.workers.wait_for_complete()
        await pilot.pause()
        figures["again"] = time.perf_counter() - t
    return figures


def leaving_annotations_as_found(folder: Path, run):
    """``run()``, then put the folder's annotations.yaml and its .bak back as they
    were: opening an article marks it read there (the real store is measured).
    Also used by bench/reader_scale.py."""
    files = [folder / "annotations.yaml", folder / "annotations.yaml.bak"]
    before = {path: path.read_bytes() if path.exists() else None for path in files}
    try:
        return run()
    finally:
        for path, data in before.items():
            if data is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(data)


def main(argv: list[str]) -> None:
    folders = [Path(a) for a in argv] or [Path(__file__).resolve().parents[1] / "seeds"]
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("CONFIG", "DATA", "CACHE", "STATE"):
            os.environ[f"BRIEFING_{name}_DIR"] = str(Path(tmp) / name.lower())
        print(f"{'corpus':<24} {'articles':>8} {'load':>7} {'list':>7} {'open':>7} {'search':>7} {'again':>7}")
        for folder in folders:
            f = leaving_annotations_as_found(folder, lambda folder=folder: asyncio.run(measure(folder)))
            print(
                f"{folder.name:<24} {int(f['articles']):>8} {f['load']:>7.2f} {f['list']:>7.2f}"
                f" {f['open']:>7.2f} {f['search']:>7.2f} {f['again']:>7.2f}"
            )


if __name__ == "__main__":
    main(sys.argv[1:])
