"""Summary quality and speed, per method: a table, not a test.

    python bench/summaries.py                      # test split, every method
    python bench/summaries.py --split dev --methods default,lead --limit 300

Quality: ROUGE-1, ROUGE-2 and ROUGE-Lsum F1 (rouge-score, use_stemmer=True; Lsum
with sentences joined by newlines) against the reference highlights in
/work/shared/data (or $BRIEFING_EVAL_DATA), on CNN, on DailyMail and overall.
Speed: median and p95 milliseconds per article for the same run, and the time for
one synthetic document of 100, 500 and 2,000 sentences made of real sentences.

sumy's slower methods are run on an evenly spaced sample of the split (the row says
how many documents it used); ``--limit`` overrides the sample size for every method.
Tune on ``dev``; ``test`` is for the reported figure.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from briefing.summarize import METHODS, split_sentences, summarize_detail  # noqa: E402

DATA = Path(os.environ.get("BRIEFING_EVAL_DATA", "/work/shared/data"))
# Documents per method in a default run (None: the whole split). Chosen so that the
# whole test-split run finishes in well under 15 minutes on one core.
DEFAULT_LIMITS: dict[str, int | None] = {
    "default": None,
    "lead": None,
    "lexrank": 1000,
    "lsa": 1000,
    "textrank": 1000,
    "luhn": 1000,
    "edmundson": 1000,
    "kl": 500,
    "sumbasic": 1000,
    "reduction": 1000,
}
SIZES = (100, 500, 2000)
REPEATS = 3  # synthetic timings are the median of this many runs
# CNN ids in the CNN/DailyMail test set (see the data README): 00000-01092.
CNN_LAST = 1092


def source_of(doc_id: str) -> str:
    number = int(doc_id.rsplit("-", 1)[-1])
    return "cnn" if number <= CNN_LAST else "dm"


def load(split: str) -> list[dict]:
    path = DATA / f"cnndm_{split}.jsonl"
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def sample(rows: list[dict], n: int | None) -> list[dict]:
    """An evenly spaced, deterministic sample that keeps the CNN/DailyMail mix."""
    if n is None or n >= len(rows):
        return rows
    step = len(rows) / n
    return [rows[int(i * step)] for i in range(n)]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[k]


def synthetic(rows: list[dict], size: int) -> str:
    """A document of ``size`` real sentences, paragraphs of five."""
    out: list[str] = []
    for row in rows:
        out.extend(split_sentences(row["article"]))
        if len(out) >= size:
            break
    out = out[:size]
    return "\n\n".join(" ".join(out[i : i + 5]) for i in range(0, len(out), 5))


def run_method(method: str, rows: list[dict], scorer, count: int) -> dict:
    scores: dict[str, dict[str, list[float]]] = {"cnn": {}, "dm": {}}
    times: list[float] = []
    fallbacks = 0
    for row in rows:
        t0 = time.perf_counter()
        result = summarize_detail(row["article"], count, method)
        times.append((time.perf_counter() - t0) * 1000)
        if result.method != method:
            fallbacks += 1
        prediction = "\n".join(result.sentences)
        got = scorer.score(row["reference"], prediction)
        bucket = scores[source_of(row["id"])]
        for key, value in got.items():
            bucket.setdefault(key, []).append(value.fmeasure)
    return {"scores": scores, "times": times, "fallbacks": fallbacks, "n": len(rows)}


def mean(xs: list[float]) -> float:
    return 100 * sum(xs) / len(xs) if xs else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "test"), default="test")
    parser.add_argument("--limit", type=int, default=None, help="documents per method (default: per-method sample)")
    parser.add_argument("--methods", default=",".join(METHODS), help="comma-separated methods")
    parser.add_argument("--sentences", type=int, default=3)
    parser.add_argument("--no-synthetic", action="store_true", help="skip the 100/500/2,000-sentence rows")
    args = parser.parse_args(argv)

    methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        parser.error(f"unknown methods: {', '.join(unknown)} (choose from {', '.join(METHODS)})")

    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    rows = load(args.split)
    print(f"# summaries: split={args.split} ({len(rows)} documents), {args.sentences} sentences, "
          f"ROUGE F1 x100 (rouge-score, stemmed; Lsum on newline-joined sentences)")
    header = (f"{'method':<10} {'docs':>5}  {'CNN R1/R2/RLs':>18}  {'DM R1/R2/RLs':>18}  "
              f"{'all R1/R2/RLs':>18}  {'ms med':>7} {'ms p95':>7}  note")
    print(header)
    print("-" * len(header))
    wall = time.perf_counter()
    for method in methods:
        limit = args.limit if args.limit is not None else DEFAULT_LIMITS.get(method)
        chosen = sample(rows, limit)
        res = run_method(method, chosen, scorer, args.sentences)
        s = res["scores"]

        def trio(bucket: dict[str, list[float]]) -> str:
            if not bucket:
                return f"{'-':>18}"
            return "/".join(f"{mean(bucket[k]):.2f}" for k in ("rouge1", "rouge2", "rougeLsum")).rjust(18)

        both = {k: s["cnn"].get(k, []) + s["dm"].get(k, []) for k in ("rouge1", "rouge2", "rougeLsum")}
        n_cnn = len(s["cnn"].get("rouge1", []))
        note = f"cnn={n_cnn} dm={res['n'] - n_cnn}"
        if res["fallbacks"]:
            note += f", fell back on {res['fallbacks']}"
        print(f"{method:<10} {res['n']:>5}  {trio(s['cnn'])}  {trio(s['dm'])}  {trio(both)}  "
              f"{statistics.median(res['times']):>7.1f} {pct(res['times'], 0.95):>7.1f}  {note}", flush=True)

    if not args.no_synthetic:
        print()
        print(f"# one synthetic document of N real sentences: median ms of {REPEATS} runs (and the note shown)")
        docs = {n: synthetic(rows, n) for n in SIZES}
        for method in methods:
            cells = []
            notes = []
            for n in SIZES:
                runs = []
                for _ in range(REPEATS):
                    t0 = time.perf_counter()
                    result = summarize_detail(docs[n], args.sentences, method)
                    runs.append((time.perf_counter() - t0) * 1000)
                cells.append(f"{n}: {statistics.median(runs):8.1f} ms")
                if result.note and n == SIZES[-1]:
                    notes.append(result.note)
            print(f"{method:<10} " + "  ".join(cells) + (f"  ({'; '.join(notes)})" if notes else ""), flush=True)
    print(f"\n# total {time.perf_counter() - wall:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
