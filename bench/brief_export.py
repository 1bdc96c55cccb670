"""How long a composed briefing of 500 items takes to export, per format (issue 17).

    python bench/brief_export.py [--corpus /tmp/corpus1k] [--items 500] [--no-stories]

Opens the corpus (a folder of articles, e.g. /tmp/corpus1k; make one with
/work/shared/bench/make_corpus.py), builds a briefing document in memory with the
first N articles (newest first) in five sections, a "why it matters" line on every
tenth item and three judgments citing items, composes it once (summaries of every
item, stories of near-duplicates, numbered sources) and renders it in every format
the renderer dispatcher offers (``briefing.export.FORMATS``: md, json, html, docx,
and pdf once the formats branch provides it). Prints a table of seconds: the
compose step once, then each format's render, and compose + render per format
(the time ``briefing brief export`` spends after loading). Goal: < 5 s per format.
Nothing is written into the corpus folder (the annotations store is opened, not saved).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.machine import cpu_check_ms  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default="/tmp/corpus1k")
    parser.add_argument("--items", type=int, default=500)
    parser.add_argument("--no-stories", action="store_true", help="Skip grouping stories (summaries across versions).")
    args = parser.parse_args()

    from briefing import export
    from briefing.annotations import open_store
    from briefing.brief.build import compose
    from briefing.brief.model import BriefDoc, Judgment
    from briefing.corpus import open_corpus
    from briefing.export import BriefingOptions

    print(f"cpu check: {cpu_check_ms():.0f} ms (about 40 ms when the machine is quiet)")
    started = time.perf_counter()
    corpus = open_corpus(Path(args.corpus))
    store, _ = open_store(Path(args.corpus), corpus.articles)
    ids = [m.id for m in corpus.articles][: args.items]
    print(f"opened {len(corpus.articles)} articles in {time.perf_counter() - started:.2f} s; briefing of {len(ids)} items")
    doc = BriefDoc(name="bench", title="Bench briefing", marking="BENCH - NOT FOR RELEASE", analyst="Bench", bluf="Bottom line.")
    per = max(1, len(ids) // 5)
    for k in range(0, len(ids), per):
        doc.add(ids[k : k + per], section=f"Section {k // per + 1}")
    for k, article_id in enumerate(ids):
        if k % 10 == 0:
            doc.set_why(article_id, f"Why item {k + 1} matters.")
    for k in range(3):
        doc.add_judgment(Judgment(f"Judgment {k + 1}.", "likely / probable", ids[k :: 50][:5]))
    options = BriefingOptions(produced=None)
    started = time.perf_counter()
    briefing = compose(corpus, store, doc, options, stories=not args.no_stories)
    composed = time.perf_counter() - started
    stories = sum(1 for item in briefing.items if item.story_summary)
    print(f"compose: {composed:.2f} s ({briefing.item_count} items, {len(briefing.cited)} sources, {stories} story summaries)")
    print()
    print(f"{'format':<8}{'render s':>10}{'compose+render s':>18}{'bytes':>12}")
    for fmt in export.FORMATS:
        started = time.perf_counter()
        data = export.render(briefing, fmt)
        took = time.perf_counter() - started
        mark = "" if composed + took < 5 else "  (over the 5 s goal)"
        print(f"{fmt:<8}{took:>10.2f}{composed + took:>18.2f}{len(data):>12}{mark}")


if __name__ == "__main__":
    main()
