#!/usr/bin/env python3
"""Languages (issue 19): detection accuracy on short and long texts, sentence-split
accuracy per language on the hand-labelled paragraphs of tests/lang, search recall
for inflected forms, and the cost per article of detection and stemming.

    python bench/languages.py                       # the tables (a few seconds)
    python bench/languages.py --build /tmp/corpus100k   # and one cold index build of
                                                     # that folder (temp cache), its
                                                     # ratio to reading every byte

Texts: tests/lang/corpus (written for the tests: five or more articles per language).
"Short" is the headline alone (a list row's worth); "long" is the whole article;
"first sentence" is the headline and the first sentence of the body.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from briefing.lang import SEARCH_STEMMED, detect, stem  # noqa: E402
from briefing.summarize.tokenize import split_sentences  # noqa: E402

CORPUS = ROOT / "tests" / "lang" / "corpus"
LANGUAGES = ("ru", "uk", "de", "fr", "es", "pl", "it", "pt")


def detection_table() -> None:
    rows: dict[str, list[int]] = {}
    for path in sorted(CORPUS.glob("*.txt")):
        lang = path.name[:2]
        if lang not in LANGUAGES:
            continue
        text = path.read_text(encoding="utf-8")
        headline, _, body = text.partition("\n\n")
        first = headline + "\n" + (split_sentences(body)[:1] or [""])[0]
        hits = rows.setdefault(lang, [0, 0, 0, 0, 0])
        hits[0] += 1
        hits[1] += detect(headline) == lang
        hits[2] += detect(first) == lang
        hits[3] += detect(text) == lang
        hits[4] += detect(headline) is None
    print("Detection accuracy (py3langid, model in its wheel; None = unsure counts as a miss)")
    print(f"{'lang':<6}{'articles':>9}{'headline':>10}{'+1st sent.':>12}{'whole':>8}{'unsure(h)':>11}")
    total = [0, 0, 0, 0, 0]
    for lang, (n, short, first, whole, unsure) in rows.items():
        total = [a + b for a, b in zip(total, (n, short, first, whole, unsure), strict=True)]
        print(f"{lang:<6}{n:>9}{short / n:>10.0%}{first / n:>12.0%}{whole / n:>8.0%}{unsure:>11}")
    n = total[0]
    print(f"{'all':<6}{n:>9}{total[1] / n:>10.0%}{total[2] / n:>12.0%}{total[3] / n:>8.0%}{total[4]:>11}")
    print()


def _ends(text: str, parts: list[str]) -> set[int]:
    """Where each sentence ends in ``text``."""
    out, pos = set(), 0
    for p in parts:
        pos = text.index(p, pos) + len(p)
        out.add(pos)
    return out


def split_table() -> None:
    sys.path.insert(0, str(ROOT))
    from tests.lang.test_split import LABELLED

    print("Sentence splitting on hand-labelled paragraphs (boundaries right / boundaries labelled)")
    print(f"{'lang':<6}{'paragraphs':>11}{'exact':>7}{'boundary F1':>13}")
    for lang, cases in LABELLED.items():
        exact = 0
        tp = fp = fn = 0
        for sentences in cases:
            text = " ".join(sentences)
            got = split_sentences(text)
            exact += got == sentences

            want, have = _ends(text, sentences), _ends(text, got)
            tp += len(want & have)
            fp += len(have - want)
            fn += len(want - have)
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        print(f"{lang:<6}{len(cases):>11}{exact:>7}{f1:>13.2f}")
    print()


RECALL = {  # query word -> forms an analyst expects it to find (all inflections of it)
    "uk": ("удар", ["удари", "ударів", "ударами", "ударом", "удару"]),
    "ru": ("удар", ["удары", "ударов", "ударами", "ударом", "удару"]),
    "de": ("angriff", ["angriffe", "angriffen", "angriffs", "angriffes"]),
    "pl": ("atak", ["ataki", "ataków", "atakami", "atakiem", "ataku"]),
    "fr": ("frappe", ["frappes"]),
    "es": ("ataque", ["ataques"]),
    "it": ("attacco", ["attacchi"]),
    "pt": ("ataque", ["ataques"]),
}


def recall_table() -> None:
    from briefing.lang import search_stem

    print("Search recall for inflected forms (the query word finds the form when the form starts with its stem)")
    print(f"{'lang':<6}{'query':<10}{'found':>7}{'forms':>7}  missed")
    for lang, (word, forms) in RECALL.items():
        prefix = search_stem(word, lang) or word
        found = [f for f in forms if f.startswith(prefix) or f == word]
        missed = [f for f in forms if f not in found]
        print(f"{lang:<6}{word:<10}{len(found):>7}{len(forms):>7}  {' '.join(missed) or '-'}")
    print()


def cost_table() -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    detect(texts[0])  # the model loads once per process
    started = time.perf_counter()
    model = time.perf_counter()
    rounds = 20
    started = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            detect(text)
    per = (time.perf_counter() - started) / (rounds * len(texts))
    words = [w.lower() for t in texts for w in t.split()]
    started = time.perf_counter()
    for lang in SEARCH_STEMMED:
        for w in words:
            stem(w, lang)
    per_word = (time.perf_counter() - started) / (len(words) * len(SEARCH_STEMMED))
    del model
    print("Cost")
    from briefing.lang.detect import ENGLISH_SAMPLE, SAMPLE, _plainly_english

    english = [t for t in texts if _plainly_english(t[:ENGLISH_SAMPLE])] * 200
    started = time.perf_counter()
    for text in english:
        detect(text)
    per_en = (time.perf_counter() - started) / max(1, len(english))
    print(f"detection per article (first {SAMPLE} characters), all texts: {per * 1e3:.2f} ms;"
          f" English taken without the model: {per_en * 1e3:.3f} ms")
    print(f"stem per word (PyStemmer / our Ukrainian stemmer, cached): {per_word * 1e6:.2f} µs")
    print("the index stores no stems: a search stems its own words (one FTS5 prefix query per")
    print("language the corpus holds), so stemming costs the cold build nothing")
    print()


def build(folder: Path) -> None:
    files = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        files.extend(os.path.join(dirpath, f) for f in filenames if not f.startswith("."))
    started = time.perf_counter()
    total = 0
    for path in files:
        with open(path, "rb") as handle:
            total += len(handle.read())
    read_s = time.perf_counter() - started
    cache = Path(tempfile.mkdtemp(prefix="lang-bench-cache-"))
    try:
        os.environ["BRIEFING_CACHE_DIR"] = str(cache)
        from briefing.index import CorpusIndex

        started = time.perf_counter()
        index = CorpusIndex(folder)
        index.refresh()
        corpus = index.snapshot()
        build_s = time.perf_counter() - started
        langs: dict[str, int] = {}
        for m in corpus.articles:
            langs[m.lang or "none"] = langs.get(m.lang or "none", 0) + 1
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    print(f"Cold build of {folder}: {len(files)} files, {total / 1e6:.0f} MB")
    print(f"read every byte (Python): {read_s:.2f} s; cold build: {build_s:.1f} s; ratio {build_s / read_s:.1f}x"
          f" (goal <= 15x); load avg now {os.getloadavg()[0]:.1f}")
    print("languages detected:", ", ".join(f"{k} {v}" for k, v in sorted(langs.items(), key=lambda kv: -kv[1])[:8]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", type=Path, default=None, help="also time one cold index build of this folder")
    args = ap.parse_args()
    detection_table()
    split_table()
    recall_table()
    cost_table()
    if args.build is not None:
        build(args.build)


if __name__ == "__main__":
    main()
