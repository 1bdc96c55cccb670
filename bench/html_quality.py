#!/usr/bin/env python3
"""How well HTML pages come out: title, author and date against a hand-made truth,
and what markup or furniture is left in the body.

    python bench/html_quality.py DIR            # DIR holds pages and truth.jsonl
    python bench/html_quality.py DIR --misses   # also list every miss

``truth.jsonl`` has one object per page: ``{"file": "page.html", "title": "...",
"author": "..." or null, "date": "YYYY-MM-DD" or null}``. Titles and authors are
compared normalised (case, accents, punctuation and spacing ignored; several authors in
any order). A date is "right", "wrong" (a different date: worse than none) or "none".
Residue counts pages whose body still holds a Markdown escape, an HTML tag, a table
pipe row or a known furniture line. Nothing here is tuned on: build the truth file from
pages you did not look at while writing the extractor.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from briefing.corpus import parse_bytes  # noqa: E402
from briefing.corpus.htmlmeta import norm  # noqa: E402

RESIDUE = {
    "markdown escape": re.compile(r"\\[*_`~\[\]<>#|]"),
    "html tag": re.compile(r"</?(?:u|sub|sup|b|i|em|strong|span|div|p|a|br|table|tr|td)\b[^>]*>", re.I),
    "table row": re.compile(r"^\s*\|.*\|\s*$|\|\s*-{3,}", re.M),
    "furniture": re.compile(r"(?im)^(?:related articles|read more|weitere artikel|crédits photos|lire aussi|share this)\b"),
}


def authors(value: str | None) -> set[str]:
    if not value:
        return set()
    return {norm(p) for p in re.split(r"\s*(?:;|,|\band\b|&)\s*", value) if norm(p)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", type=Path)
    ap.add_argument("--misses", action="store_true", help="list every miss")
    args = ap.parse_args()
    truth = [json.loads(line) for line in (args.folder / "truth.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    counts = {"title": 0, "author": 0, "date right": 0, "date wrong": 0, "date none": 0}
    residue = dict.fromkeys(RESIDUE, 0)
    misses: list[str] = []
    spent = 0.0
    for case in truth:
        path = args.folder / case["file"]
        data = path.read_bytes()
        start = time.perf_counter()
        article = parse_bytes(case["file"], str(path), data)
        spent += time.perf_counter() - start
        meta = article.meta
        if norm(meta.title) == norm(case["title"] or ""):
            counts["title"] += 1
        else:
            misses.append(f"{case['file']}: title {meta.title!r} != {case['title']!r}")
        if authors(meta.author) == authors(case.get("author")):
            counts["author"] += 1
        else:
            misses.append(f"{case['file']}: author {meta.author!r} != {case.get('author')!r}")
        want = case.get("date")
        got = meta.date.isoformat() if meta.date else None
        kind = "date right" if got == want else "date none" if got is None else "date wrong"
        counts[kind] += 1
        if kind != "date right":
            misses.append(f"{case['file']}: date {got} != {want}")
        for name, pattern in RESIDUE.items():
            if pattern.search(article.body):
                residue[name] += 1
                misses.append(f"{case['file']}: {name} left in the body")
    n = len(truth) or 1
    print(f"{len(truth)} pages, {spent / n * 1000:.1f} ms a page\n")
    print("| measure | share |\n|---|---|")
    for name, value in counts.items():
        print(f"| {name} | {value / n:.2f} |")
    for name, value in residue.items():
        print(f"| pages with {name} | {value / n:.2f} |")
    if args.misses and misses:
        print("\n" + "\n".join(misses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
