"""Speed (and a sanity check of quality) of story comparison and keywords: a table, not a test.

    python bench/compare_speed.py                 # 200 pairs from cnndm_dev
    python bench/compare_speed.py --pairs 500 --words 1000

Pairs are built from /work/shared/data/cnndm_dev.jsonl (or $BRIEFING_EVAL_DATA; read,
never copied): version A is an article (consecutive articles joined until it has
``--words`` words, then cut there at a sentence end), version B rewrites it: one
sentence dropped, two sentences swapped, one number changed (``n`` → ``n + 1``, or
``more than n`` when B's text allows), and a few words swapped for synonyms.

Speed: median and p95 milliseconds of ``compare([A, B])`` and of ``keywords_for(A)``
(document frequencies counted from the whole dev split), one process, one core; then
the median for much longer versions (5k, 20k, 60k words: the bounds of compare.py
apply, and its note says so).
Quality, from what the rewrite is known to have done: sentence pairs found / right
(B's sentences that should pair with A's), the changed number reported as a number (or,
for a year, date) difference in the right row, the dropped sentence reported as only in A. The data
is lower-cased, so names cannot be checked here (the tests check them on the sample
corpus).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from briefing.model import Article, ArticleMeta  # noqa: E402
from briefing.stories.compare import DATE, NUMBER, ONLY, compare  # noqa: E402
from briefing.stories.keywords import CountedStats, keywords_for  # noqa: E402
from briefing.summarize import split_sentences  # noqa: E402

DATA = Path(os.environ.get("BRIEFING_EVAL_DATA", "/work/shared/data"))
SYNONYMS = {
    "said": "stated", "people": "individuals", "killed": "slain", "police": "officers",
    "government": "administration", "children": "kids", "car": "vehicle", "big": "large",
    "started": "began", "told": "informed", "help": "assist", "found": "discovered",
    "city": "town", "women": "females", "attack": "assault", "home": "house",
}
SIZES = (5_000, 20_000, 60_000)  # words of version A for the "larger versions" table
REPEATS = 3
_NUM = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(?![\w.,]?\d)")


def article(ident: str, body: str) -> Article:
    meta = ArticleMeta(ident, f"/bench/{ident}", ident, True, None, None, None, (), "sha256:0", len(body.split()))
    return Article(meta, body)


def texts(limit_words: int) -> list[str]:
    path = DATA / "cnndm_dev.jsonl"
    with path.open(encoding="utf-8") as f:
        docs = [json.loads(line)["article"] for line in f if line.strip()]
    out: list[str] = []
    pending: list[str] = []
    count = 0
    for doc in docs:
        for sent in split_sentences(doc):
            pending.append(sent)
            count += len(sent.split())
            if count >= limit_words:
                out.append(" ".join(pending))
                pending, count = [], 0
                break
    return out


def rewrite(text: str, rng: random.Random):
    """B's text and what the rewrite did: {B sentence: A sentence}, the dropped A
    sentence, and the A sentence whose number changed (or None)."""
    sents = split_sentences(text)
    if len(sents) < 6:
        return None
    order = list(range(len(sents)))
    dropped = order.pop(rng.randrange(1, len(order) - 1))
    i = rng.randrange(0, len(order) - 1)
    order[i], order[i + 1] = order[i + 1], order[i]
    new = [sents[k] for k in order]
    changed = None
    with_numbers = [p for p, k in enumerate(order) if _NUM.search(sents[k])]
    if with_numbers:
        p = rng.choice(with_numbers)
        m = _NUM.search(new[p])
        value = int(m.group(1).replace(",", ""))
        year = 1900 <= value <= 2099 and "," not in m.group(1)
        qualified = new[p][: m.start()].rstrip().endswith(("than", "over", "about"))
        repl = f"more than {value}" if rng.random() < 0.5 and not (year or qualified) else str(value + 1)
        new[p] = new[p][: m.start()] + repl + new[p][m.end() :]
        changed = order[p]
    swaps = 0
    for p in rng.sample(range(len(new)), min(4, len(new))):
        for word, syn in SYNONYMS.items():
            if re.search(rf"\b{word}\b", new[p]) and swaps < 3:
                new[p] = re.sub(rf"\b{word}\b", syn, new[p], count=1)
                swaps += 1
                break
    body_b = " ".join(new)
    if len(split_sentences(body_b)) != len(new):
        return None  # the rewrite moved a sentence boundary: truth unknown
    return body_b, {p: k for p, k in enumerate(order)}, dropped, changed


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--words", type=int, default=1000, help="words of version A")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    docs = texts(args.words)
    stats = CountedStats.from_texts(docs)
    compare_ms: list[float] = []
    keyword_ms: list[float] = []
    words: list[int] = []
    truth_pairs = found_pairs = right_pairs = 0
    numbers = numbers_found = drops_found = pairs = 0
    for n, text in enumerate(docs):
        if pairs >= args.pairs:
            break
        made = rewrite(text, rng)
        if made is None:
            continue
        body_b, truth, dropped, changed = made
        a, b = article(f"a{n}", text), article(f"b{n}", body_b)
        t0 = time.perf_counter()
        result = compare([a, b])
        t1 = time.perf_counter()
        keywords_for(a, stats)
        t2 = time.perf_counter()
        compare_ms.append((t1 - t0) * 1000)
        keyword_ms.append((t2 - t1) * 1000)
        words.append(len(text.split()))
        pairs += 1
        found = {row.cells[1].sentence: row.cells[0].sentence for row in result.rows
                 if row.cells[0] is not None and row.cells[1] is not None}
        truth_pairs += len(truth)
        found_pairs += len(found)
        right_pairs += sum(1 for q, p in found.items() if truth.get(q) == p)
        rows_of_a = {row.cells[0].sentence: r for r, row in enumerate(result.rows) if row.cells[0] is not None}
        if changed is not None:
            numbers += 1
            numbers_found += any(d.kind in (NUMBER, DATE) and d.row == rows_of_a.get(changed) for d in result.differences)
        drops_found += any(d.kind == ONLY and d.row == rows_of_a.get(dropped) and d.texts[1] is None
                           for d in result.differences)

    print(f"load average: {os.getloadavg()}")
    print(f"{pairs} pairs, version A {statistics.median(words):.0f} words (median), seed {args.seed}")
    print()
    print(f"{'':<24}{'median ms':>10}{'p95 ms':>10}{'max ms':>10}")
    for name, values in (("compare([A, B])", compare_ms), ("keywords_for(A)", keyword_ms)):
        print(f"{name:<24}{statistics.median(values):>10.1f}{pct(values, 0.95):>10.1f}{max(values):>10.1f}")
    print()
    print()
    print(f"{'larger versions':<24}{'words':>10}{'compare ms':>12}{'keywords ms':>12}  note")
    for size in SIZES:
        big = texts(size)[:REPEATS]
        times_c, times_k, note = [], [], None
        for k, text in enumerate(big):
            made = rewrite(text, rng)
            if made is None:
                continue
            a, b = article(f"big{k}", text), article(f"bigb{k}", made[0])
            t0 = time.perf_counter()
            result = compare([a, b])
            t1 = time.perf_counter()
            keywords_for(a, stats)
            t2 = time.perf_counter()
            times_c.append((t1 - t0) * 1000)
            times_k.append((t2 - t1) * 1000)
            note = result.note
        if times_c:
            print(f"{'median of ' + str(len(times_c)):<24}{size:>10}{statistics.median(times_c):>12.1f}"
                  f"{statistics.median(times_k):>12.1f}  {note or ''}")
    print()
    print(f"sentence pairs: {right_pairs}/{truth_pairs} recall {right_pairs / max(1, truth_pairs):.3f}, "
          f"precision {right_pairs / max(1, found_pairs):.3f}")
    print(f"changed number reported in its row (as a number, or a date for a year): {numbers_found}/{numbers}")
    print(f"dropped sentence reported as only in A: {drops_found}/{pairs}")


if __name__ == "__main__":
    main()
