#!/usr/bin/env python3
"""Stories benchmark (issue 8): quality of near-duplicate grouping, and its speed.

    python bench/stories.py quality [--thresholds 0.1,0.15,0.2,0.25,0.3]
    python bench/stories.py speed --corpus-sizes 1k,10k,100k   # or folder paths
    python bench/stories.py                                     # both (1k and 10k)

Quality: the 1,000 articles of ../shared/data/cnndm_dev.jsonl (read in place, never
copied) and, for 600 of them chosen with a seeded RNG, one rewrite each, 100 of
each kind:

- ``drop``: each sentence dropped with probability 0.3;
- ``trim``: only the first half of the sentences (at least 3), as a shortened copy;
- ``reorder``: the sentences shuffled;
- ``synonyms``: words swapped from a small synonym table, each with probability 0.6;
- ``combined``: drop 0.2, reorder, then synonyms 0.5;
- ``heavy``: drop 0.3, synonyms always, a tenth of the words deleted, reorder:
  about as far apart as the sample corpus's 002/003 pair.

A pair decision is "these two are in one story". Positives: each article with its
rewrite. Negatives: every other pair, except pairs of source articles that are
near-duplicates in the data itself (exact Jaccard >= 0.5 of their 3-shingles: the
dev set holds a few copies and updated versions of one report), which are counted
apart. Two sets of hard negatives are reported too: pairs of distinct source
articles that share text (exact Jaccard 0.1-0.5: follow-ups reusing background
paragraphs) and each article's topically closest other article (most shared
content words). The table gives precision and recall for several thresholds, and
recall per rewrite kind.

Speed: folders from ``python ../shared/bench/make_corpus.py /tmp/corpus<size>
--articles N`` (reused when they exist, made otherwise). Each size runs in a fresh
child process with a private cache folder: index open (built first, not timed in
the grouping), grouping cold (story tables dropped: every body read and signed),
regroup (signatures from the cache, grouping redone: a new threshold), warm
(nothing changed: read back), peak RSS of the process and of its workers. Note that
make_corpus draws articles with replacement from 4,490 texts: a 100k corpus holds
about 22 copies of each, on random dates, so stories are many and the 7-day window
splits most of them.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from briefing.config import DEFAULT_STORY_THRESHOLD  # noqa: E402
from briefing.stories import cluster  # noqa: E402
from briefing.stories.group import GroupStats, group_signatures  # noqa: E402
from briefing.stories.signature import BINS, SHINGLE, Signer, sign_features  # noqa: E402

DATA = Path("/work/shared/data/cnndm_dev.jsonl")
MAKE_CORPUS = Path("/work/shared/bench/make_corpus.py")
SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000}
KINDS = ("drop", "trim", "reorder", "synonyms", "combined", "heavy")
PER_KIND = 100
NATURAL_DUPLICATE = 0.5
SHARED_TEXT = 0.1

# Our own small table of news-wire synonyms (one direction each; lower case, as the data).
SYNONYMS = {
    "said": "stated", "says": "states", "told": "informed", "people": "individuals", "police": "officers",
    "killed": "slain", "died": "perished", "attack": "assault", "attacks": "assaults", "big": "large",
    "large": "big", "small": "little", "biggest": "largest", "largest": "biggest", "home": "house",
    "house": "home", "children": "kids", "child": "youngster", "car": "vehicle", "government": "administration",
    "officials": "authorities", "official": "authority", "began": "started", "started": "began",
    "start": "begin", "showed": "revealed", "found": "discovered", "help": "assist", "helped": "assisted",
    "wanted": "wished", "need": "require", "needed": "required", "many": "numerous", "about": "around",
    "around": "about", "nearly": "almost", "almost": "nearly", "also": "additionally", "however": "but",
    "because": "since", "after": "following", "before": "prior to", "during": "throughout",
    "while": "whilst", "among": "amongst", "city": "town", "town": "city", "country": "nation",
    "nation": "country", "man": "male", "woman": "female", "men": "males", "women": "females",
    "friend": "pal", "friends": "pals", "family": "relatives", "team": "squad", "game": "match",
    "match": "game", "win": "victory", "won": "secured", "fight": "battle", "war": "conflict",
    "army": "military", "troops": "soldiers", "soldiers": "troops", "report": "account",
    "reported": "stated", "claim": "allege", "claimed": "alleged", "believe": "think",
    "believed": "thought", "important": "significant", "major": "key", "hospital": "medical centre",
    "doctor": "physician", "doctors": "physicians", "money": "cash", "percent": "per cent",
    "week": "seven days", "recent": "latest", "new": "fresh", "quickly": "rapidly", "often": "frequently",
    "later": "subsequently", "near": "close to", "buy": "purchase", "bought": "purchased", "job": "position",
    "company": "firm", "firm": "company", "statement": "announcement",
    "arrested": "detained", "charged": "indicted", "court": "tribunal", "prison": "jail", "jail": "prison",
    "victim": "casualty", "victims": "casualties", "injured": "hurt", "hurt": "injured", "shot": "gunned down",
    "tried": "attempted", "trying": "attempting", "used": "utilised", "using": "utilising",
    "school": "academy", "students": "pupils", "student": "pupil", "leader": "head", "leaders": "heads",
    "minister": "secretary", "plane": "aircraft", "crash": "collision", "fire": "blaze", "area": "region",
    "region": "area", "place": "location", "video": "footage", "picture": "image", "pictures": "images",
    "photo": "image", "photos": "images", "asked": "questioned", "decided": "chose", "decision": "ruling",
    "season": "campaign", "club": "side", "players": "squad members", "player": "star", "goal": "strike",
    "manager": "boss", "coach": "trainer", "fans": "supporters", "revealed": "disclosed",
    "announced": "unveiled", "according": "per", "investigation": "inquiry", "suspect": "accused",
}
STOP = set("the a an of to in and or for on at by with from as is was are were be been it its this that "
           "these those he she they we you i his her their our not no but if than then so s has have had "
           "will would can could do did does said who which what when there".split())
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=\S)")
WORD = re.compile(r"[a-z]+")


# --- rewrites -------------------------------------------------------------------------


def sentences(text: str) -> list[str]:
    return [s for s in SENTENCE.split(text) if s.strip()]


def swap(text: str, rng: random.Random, p: float) -> str:
    return WORD.sub(lambda m: SYNONYMS[m.group(0)] if m.group(0) in SYNONYMS and rng.random() < p else m.group(0), text)


def drop(text: str, rng: random.Random, p: float = 0.3) -> str:
    parts = sentences(text)
    kept = [s for s in parts if rng.random() >= p]
    return " ".join(kept or parts[:1])


def rewrite(kind: str, text: str, rng: random.Random) -> str:
    if kind == "drop":
        return drop(text, rng)
    if kind == "trim":
        parts = sentences(text)
        return " ".join(parts[: max(3, len(parts) // 2)])
    if kind == "reorder":
        parts = sentences(text)
        rng.shuffle(parts)
        return " ".join(parts)
    if kind == "synonyms":
        return swap(text, rng, 0.6)
    if kind == "combined":
        parts = sentences(drop(text, rng, 0.2))
        rng.shuffle(parts)
        return swap(" ".join(parts), rng, 0.5)
    if kind == "heavy":
        words = swap(drop(text, rng, 0.3), rng, 1.0).split(" ")
        words = [w for w in words if rng.random() >= 0.1 or w.endswith((".", "!", "?"))]
        parts = sentences(" ".join(words))
        rng.shuffle(parts)
        return " ".join(parts)
    raise ValueError(kind)


# --- quality --------------------------------------------------------------------------


def exact_jaccard_pairs(feats: list[np.ndarray], min_j: float, max_df: int = 100) -> dict[tuple[int, int], float]:
    """Exact Jaccard of every pair of feature sets sharing a feature, >= ``min_j``
    (features in more than ``max_df`` sets skipped when counting: common phrases)."""
    postings: dict[int, list[int]] = defaultdict(list)
    for i, f in enumerate(feats):
        for h in f.tolist():
            postings[h].append(i)
    shared: Counter = Counter()
    for docs in postings.values():
        if 1 < len(docs) <= max_df:
            for a in range(len(docs)):
                for b in range(a + 1, len(docs)):
                    shared[(docs[a], docs[b])] += 1
    out = {}
    for (a, b), _ in shared.items():
        inter = len(np.intersect1d(feats[a], feats[b], assume_unique=True))
        j = inter / (len(feats[a]) + len(feats[b]) - inter)
        if j >= min_j:
            out[(a, b)] = j
    return out


def topical_neighbours(texts: list[str]) -> list[tuple[int, int]]:
    """Each article with the other one sharing most content words (Jaccard of sets)."""
    vocab = [set(WORD.findall(t)) - STOP for t in texts]
    pairs = set()
    for i, v in enumerate(vocab):
        best, best_j = -1, -1.0
        for j, w in enumerate(vocab):
            if i != j:
                score = len(v & w) / max(1, len(v | w))
                if score > best_j:
                    best, best_j = j, score
        pairs.add((min(i, best), max(i, best)))
    return sorted(pairs)


def seed_pair_similarity(signer: Signer) -> tuple[float, float]:
    """Exact and estimated similarity of the sample corpus's rewrite pair."""
    from briefing.corpus import open_corpus

    corpus = open_corpus(HERE.parent / "seeds")
    bodies = [corpus.article(i).body for i in ("002_779c45f11c9e3794.txt", "003_dd4f2a093bc6ca5d.txt")]
    a, b = (signer.features(t) for t in bodies)
    inter = len(np.intersect1d(a, b, assume_unique=True))
    sigs, _ = sign_features([a, b], signer.bins)
    return inter / (len(a) + len(b) - inter), float((sigs[0] == sigs[1]).mean())


def quality(args) -> None:
    rows = [json.loads(line)["article"] for line in DATA.open(encoding="utf-8")]
    n = len(rows)
    rng = random.Random(args.seed)
    chosen = rng.sample(range(n), PER_KIND * len(KINDS))
    texts = list(rows)
    source: list[int] = list(range(n))  # the original each text comes from
    kind_of: dict[int, str] = {}
    for k, orig in enumerate(chosen):
        kind = KINDS[k % len(KINDS)]
        kind_of[len(texts)] = kind
        texts.append(rewrite(kind, rows[orig], rng))
        source.append(orig)
    signer = Signer(args.shingle, args.bins)
    t0 = time.perf_counter()
    feats = [signer.features(t) for t in texts]
    sigs, sizes = sign_features(feats, args.bins)
    sign_s = time.perf_counter() - t0
    days = np.full(len(texts), cluster.NO_DATE, dtype=np.int64)

    # Labels among the sources, always from 3-word shingles (whatever is being tuned).
    label_feats = feats[:n] if args.shingle == 3 else [Signer(3).features(t) for t in rows]
    source_pairs = exact_jaccard_pairs(label_feats, SHARED_TEXT)
    natural = {p for p, j in source_pairs.items() if j >= NATURAL_DUPLICATE}
    shared_text = {p for p, j in source_pairs.items() if j < NATURAL_DUPLICATE}
    topical = [p for p in topical_neighbours(rows) if p not in natural]
    seeds = seed_pair_similarity(signer)
    exact_rewrite = defaultdict(list)
    for r, kind in kind_of.items():
        a, b = feats[source[r]], feats[r]
        inter = len(np.intersect1d(a, b, assume_unique=True))
        exact_rewrite[kind].append(inter / (len(a) + len(b) - inter))

    def label(a: int, b: int) -> str:
        sa, sb = source[a], source[b]
        if sa == sb:
            return "positive"
        if (min(sa, sb), max(sa, sb)) in natural:
            return "natural"
        return "negative"

    positives = {(source[r], r): kind for r, kind in kind_of.items()}
    print(f"# stories quality: {DATA.name}, {n} articles + {len(kind_of)} rewrites; shingle={args.shingle} "
          f"bins={args.bins}; seed {args.seed}; load average {os.getloadavg()[0]:.2f}")
    print(f"signed {len(texts)} texts in {sign_s:.2f} s; source pairs: {len(natural)} near-duplicates in the data "
          f"(J >= {NATURAL_DUPLICATE}), {len(shared_text)} sharing text (J {SHARED_TEXT}-{NATURAL_DUPLICATE}), "
          f"{len(topical)} topical neighbours")
    print(f"sample corpus 002/003: exact Jaccard {seeds[0]:.3f}, estimated {seeds[1]:.3f}")
    print("exact Jaccard of rewrites, median (10th percentile): " + ", ".join(
        f"{k} {np.median(v):.2f} ({np.percentile(v, 10):.2f})" for k, v in exact_rewrite.items()))
    header = (f"{'threshold':>9} {'precision':>9} {'recall':>6} {'F1':>5} {'FP':>4} {'natural':>8} "
              f"{'shared':>7} {'topical':>7} " + " ".join(f"{k:>8}" for k in KINDS) + f" {'group s':>7}")
    print(header)
    per_kind: dict[float, tuple[Counter, Counter]] = {}
    fp_note: dict[float, int] = {}
    for threshold in args.thresholds:
        stats = GroupStats()
        t0 = time.perf_counter()
        stories = group_signatures(sigs, sizes, days, threshold, 0, stats)
        group_s = time.perf_counter() - t0
        predicted = set()
        for story in stories:
            for i in range(len(story)):
                for j in range(i + 1, len(story)):
                    a, b = sorted((story[i], story[j]))
                    predicted.add((a, b))
        tp = fp = fp_shared = 0
        found_kind = Counter()
        false_kind = Counter()  # false pairs involving a rewrite of each kind
        for a, b in predicted:
            lab = label(a, b)
            if lab == "positive":
                tp += 1
                found_kind[positives.get((a, b), "source")] += 1
            elif lab == "negative":
                fp += 1
                if (min(source[a], source[b]), max(source[a], source[b])) in shared_text:
                    fp_shared += 1
                for r in {a, b} & kind_of.keys():
                    false_kind[kind_of[r]] += 1
        per_kind[threshold] = (found_kind, false_kind)
        fp_note[threshold] = fp_shared
        source_pred = {(a, b) for a, b in predicted if b < n}  # two source articles (rows 0..n-1)
        nat = sum(1 for p in natural if p in source_pred)
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / len(positives)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        shared_rate = sum(1 for p in shared_text if p in source_pred) / max(1, len(shared_text))
        topical_rate = sum(1 for p in topical if p in source_pred) / max(1, len(topical))
        print(f"{threshold:>9.2f} {precision:>9.3f} {recall:>6.3f} {f1:>5.3f} {fp:>4} {nat:>4}/{len(natural):<3} "
              f"{shared_rate:>7.1%} {topical_rate:>7.1%} "
              + " ".join(f"{found_kind[k] / PER_KIND:>8.2f}" for k in KINDS) + f" {group_s:>7.3f}")
    print("precision/recall: pairs in one story, positives = article + its rewrite; FP = any other pair merged,"
          " except source near-duplicates (natural: merged/total); shared, topical: share of those"
          " hard-negative source pairs merged; per kind: recall.")
    chosen = DEFAULT_STORY_THRESHOLD if DEFAULT_STORY_THRESHOLD in per_kind else args.thresholds[0]
    found_kind, false_kind = per_kind[chosen]
    print(f"at {chosen:g}, {fp_note[chosen]} of the false pairs join articles whose sources share text (J 0.1-0.5)")
    print(f"\nper rewrite kind at threshold {chosen:g}:")
    print(f"{'kind':>9} {'pairs':>5} {'recall':>6} {'precision':>9} {'FP':>4} {'exact J median':>14}")
    for kind in KINDS:
        tp, fp = found_kind[kind], false_kind[kind]
        precision = tp / (tp + fp) if tp + fp else 1.0
        print(f"{kind:>9} {PER_KIND:>5} {tp / PER_KIND:>6.2f} {precision:>9.3f} {fp:>4} {np.median(exact_rewrite[kind]):>14.2f}")
    print("precision per kind: among merged pairs that involve a rewrite of that kind.")


# --- speed ----------------------------------------------------------------------------


def _usage() -> dict:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"rss_mb": own.ru_maxrss / 1024, "worker_rss_mb": kids.ru_maxrss / 1024,
            "cpu_s": own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime}


def child(path: str) -> None:
    """One corpus in this fresh process (the cache folder is set by the parent)."""
    from briefing.index import cache_path, open_index
    from briefing.stories import group_stories

    t0 = time.perf_counter()
    corpus = open_index(path)  # already refreshed by the "_index" step: no index workers here
    index_s = time.perf_counter() - t0
    before = _usage()
    # Cold: our tables dropped (as after an index rebuild).
    import sqlite3

    conn = sqlite3.connect(cache_path(path))
    for table in ("story_groups", "story_members", "story_signatures", "story_meta"):
        conn.execute(f"DROP TABLE IF EXISTS {table}")
    conn.commit()
    conn.close()
    # A signing worker's peak RSS, read before it is stopped (RUSAGE_CHILDREN would count
    # the parent's pages that a forked child holds until it execs).
    from briefing.stories import workers

    worker_peaks: list[float] = []
    stop = workers.Worker.stop

    def stop_and_measure(self) -> None:
        try:
            with open(f"/proc/{self.proc.pid}/status") as status:
                worker_peaks.extend(int(line.split()[1]) / 1024 for line in status if line.startswith("VmHWM"))
        except OSError:
            pass
        stop(self)

    workers.Worker.stop = stop_and_measure
    t0 = time.perf_counter()
    cold = group_stories(corpus, threshold=0.2)
    cold_s = time.perf_counter() - t0
    after_cold = _usage()
    t0 = time.perf_counter()
    warm = group_stories(corpus, threshold=0.2)
    warm_s = time.perf_counter() - t0
    assert warm.stats.from_cache, "nothing changed, yet the grouping was not read back"
    assert [s.members for s in warm] == [s.members for s in cold]
    t0 = time.perf_counter()
    regroup = group_stories(corpus, threshold=0.21)
    regroup_s = time.perf_counter() - t0
    assert regroup.stats.signed == 0
    end = _usage()
    print(json.dumps({
        "articles": len(corpus.articles), "index_s": index_s, "cold_s": cold_s, "regroup_s": regroup_s,
        "warm_s": warm_s, "signed": cold.stats.signed, "candidates": cold.stats.candidates,
        "verified": cold.stats.verified, "stories": len(cold), "grouped": cold.grouped,
        "largest": max(cold.sizes, default=0), "cold_cpu_s": after_cold["cpu_s"] - before["cpu_s"],
        "rss_mb": end["rss_mb"], "worker_rss_mb": max(worker_peaks, default=0.0), "load": os.getloadavg()[0],
    }))


def corpus_for(spec: str) -> Path:
    if spec in SIZES:
        path = Path(f"/tmp/corpus{spec}")
        if not path.is_dir():
            subprocess.run([sys.executable, str(MAKE_CORPUS), str(path), "--articles", str(SIZES[spec])], check=True)
        return path
    path = Path(spec)
    if not path.is_dir():
        raise SystemExit(f"not a folder: {spec}")
    return path


def speed(args) -> None:
    cache = Path(args.cache) if args.cache else Path(tempfile.mkdtemp(prefix="stories-bench-"))
    print(f"# stories speed; cache {cache}; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'corpus':>16} {'articles':>8} {'index s':>7} {'cold s':>7} {'cold cpu':>8} {'us/art':>6} "
          f"{'regroup':>7} {'warm s':>6} {'cand':>8} {'verified':>8} {'stories':>7} {'grouped':>7} "
          f"{'max':>4} {'RSS MB':>6} {'wrk MB':>6} {'load':>5}")
    for spec in args.corpus_sizes:
        path = corpus_for(spec)
        env = dict(os.environ, BRIEFING_CACHE_DIR=str(cache), BRIEFING_CONFIG_DIR=str(cache / "config"))
        t0 = time.perf_counter()  # build or refresh the index first, in its own process
        subprocess.run([sys.executable, __file__, "_index", str(path)], env=env, check=True, capture_output=True)
        build_s = time.perf_counter() - t0
        out = subprocess.run([sys.executable, __file__, "_child", str(path)], env=env, check=True,
                             capture_output=True, text=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
        r["index_s"] = build_s
        print(f"{str(path):>16} {r['articles']:>8} {r['index_s']:>7.2f} {r['cold_s']:>7.2f} {r['cold_cpu_s']:>8.1f} "
              f"{1e6 * r['cold_s'] / max(1, r['articles']):>6.0f} {r['regroup_s']:>7.2f} {r['warm_s']:>6.2f} "
              f"{r['candidates']:>8} {r['verified']:>8} {r['stories']:>7} {r['grouped']:>7} {r['largest']:>4} "
              f"{r['rss_mb']:>6.0f} {r['worker_rss_mb']:>6.0f} {r['load']:>5.2f}", flush=True)
    print("index s: building or refreshing the index, in a process of its own (not part of grouping);"
          " cold: every body read and signed"
          " (worker processes) and grouped; cold cpu: CPU seconds of the process and its workers; regroup: signatures"
          " from the cache, grouping redone (another threshold); warm: nothing changed, read back from the cache;"
          " RSS: peak of the process / of one signing worker.")


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "_child":
        child(sys.argv[2])
        return
    if len(sys.argv) == 3 and sys.argv[1] == "_index":
        from briefing.index import open_index

        open_index(sys.argv[2])
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", nargs="?", choices=["quality", "speed", "both"], default="both")
    parser.add_argument("--thresholds", default="0.1,0.15,0.2,0.25,0.3,0.4",
                        type=lambda s: [float(x) for x in s.split(",")])
    parser.add_argument("--corpus-sizes", default="1k,10k", type=lambda s: [x.strip() for x in s.split(",")])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--shingle", type=int, default=SHINGLE)
    parser.add_argument("--bins", type=int, default=BINS)
    parser.add_argument("--cache", default=None, help="cache folder for the speed runs (default: a new temp folder)")
    args = parser.parse_args()
    print("# command: python bench/stories.py " + " ".join(sys.argv[1:]))
    if args.what in ("quality", "both"):
        quality(args)
    if args.what in ("speed", "both"):
        speed(args)


if __name__ == "__main__":
    main()
