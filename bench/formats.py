#!/usr/bin/env python3
"""Parse time per article for each input format (issue 18), on files made here.

    python bench/formats.py              # default sizes, a few seconds
    python bench/formats.py --scale 4    # four times as many files/items

Each format: the files are made in memory first (tests/corpus/makers.py), then
parsed from bytes (``parse_bytes`` for one-article files, ``parse_items`` for feeds,
JSON lines and mailboxes); the figure is the best of --repeat runs, wall and process
CPU time, divided by the number of articles produced. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from briefing.corpus import parse_bytes  # noqa: E402
from briefing.corpus.load import parse_items  # noqa: E402
from tests.corpus.makers import eml, make_docx, make_odt, make_pdf, mbox, rss  # noqa: E402

SENTENCES = [
    "Officials said repairs to the damaged substation would take two more weeks.",
    "The ministry urged residents to limit the use of heavy appliances in the evening.",
    "Water supply returned to normal in most districts by Tuesday night.",
    "Engineers worked through the night to reconnect the northern lines.",
]


def paragraph(i: int, n: int = 3) -> str:
    return " ".join(SENTENCES[(i + k) % len(SENTENCES)] for k in range(n))


def one_article_files(count: int) -> dict[str, list[tuple[str, bytes]]]:
    files: dict[str, list[tuple[str, bytes]]] = {"text": [], "markdown": [], "html": [], "pdf": [], "docx": [], "odt": [], "email": []}
    for i in range(count):
        paras = [paragraph(i + k) for k in range(6)]
        files["text"].append((f"{i}.txt", (f"Headline {i}\n\ndate 2024-03-0{1 + i % 9} " + "\n\n".join(paras)).encode()))
        files["markdown"].append((f"{i}.md", (f"---\ntitle: Headline {i}\ndate: 2024-03-01\nurl: https://x.example/{i}\n---\n\n" + "\n\n".join(paras)).encode()))
        files["html"].append((f"{i}.html", ("<html><head><title>Headline</title><link rel='canonical' href='https://x.example/a'></head>"
                                            "<body><article><h1>Headline</h1>" + "".join(f"<p>{p}</p>" for p in paras) + "</article></body></html>").encode()))
        lines = [w for p in paras for w in (p[:70], p[70:140], p[140:])]
        files["pdf"].append((f"{i}.pdf", make_pdf([["BULLETIN", f"Headline {i}"] + lines[:9] + ["Page 1"], ["BULLETIN"] + lines[9:] + ["Page 2"]],
                                                  {"Title": f"Headline {i}", "Author": "Desk"})))
        files["docx"].append((f"{i}.docx", make_docx([("Title", f"Headline {i}")] + [("", p) for p in paras], {"creator": "Desk"})))
        files["odt"].append((f"{i}.odt", make_odt([("h1", f"Headline {i}")] + [("p", p) for p in paras], {"creator": "Desk"})))
        files["email"].append((f"{i}.eml", eml(f"Headline {i}", "Desk <d@x.example>", "Mon, 04 Mar 2024 10:00:00 +0000", text="\n\n".join(paras))))
    return files


def many_article_files(items: int) -> dict[str, tuple[str, bytes]]:
    feed = rss([{"title": f"Story {i}", "guid": f"g{i}", "link": f"https://w.example/{i}", "pubDate": "Mon, 04 Mar 2024 10:00:00 GMT",
                 "description": f"<p>{paragraph(i)}</p><p>{paragraph(i + 1)}</p>"} for i in range(items)])
    dump = "\n".join(json.dumps({"id": f"d{i}", "title": f"Item {i}", "date": "2024-03-04", "url": f"https://d.example/{i}",
                                 "text": paragraph(i) + "\n\n" + paragraph(i + 1)}) for i in range(items)).encode()
    box = mbox([eml(f"Message {i}", "Desk <d@x.example>", "Mon, 04 Mar 2024 10:00:00 +0000", text=paragraph(i) + "\n\n" + paragraph(i + 1),
                    message_id=f"m{i}@x.example") for i in range(items // 4)])
    return {"feed (rss)": ("f.rss", feed), "jsonl": ("d.jsonl", dump), "mbox": ("b.mbox", box)}


def best_of(repeat: int, fn) -> tuple[float, float, int]:
    wall = cpu = float("inf")
    n = 0
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        n = fn()
        wall = min(wall, time.perf_counter() - w)
        cpu = min(cpu, time.process_time() - c)
    return wall, cpu, n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    count = max(1, int(40 * args.scale))
    items = max(4, int(1000 * args.scale))
    rows = []
    for kind, files in one_article_files(count).items():
        def run(files=files) -> int:
            for name, data in files:
                parse_bytes(name, name, data)
            return len(files)
        rows.append((kind, *best_of(args.repeat, run), sum(len(d) for _n, d in files) / len(files)))
    for kind, (name, data) in many_article_files(items).items():
        def run_many(name=name, data=data) -> int:
            results, problems = parse_items(name, name, data)
            assert not problems, problems[:3]
            return len(results)
        wall, cpu, n = best_of(args.repeat, run_many)
        rows.append((kind, wall, cpu, n, len(data) / n))
    print(f"# formats: parse time per article, best of {args.repeat} (bytes already in memory)")
    print("| format | articles | µs/article | cpu µs/article | bytes/article |")
    print("|---|---:|---:|---:|---:|")
    for kind, wall, cpu, n, size in rows:
        print(f"| {kind} | {n} | {wall / n * 1e6:,.0f} | {cpu / n * 1e6:,.0f} | {size:,.0f} |")


if __name__ == "__main__":
    main()
