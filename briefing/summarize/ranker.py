"""Our ranker, the ``default`` method: position-aware centrality with redundancy removal.

News puts what matters first, so the first sentences are a strong baseline (Lead-3).
The ranker keeps that prior and corrects it where the text says otherwise:

    score(i) = position prior(i)
             + w_centroid * cosine(sentence i, the whole text)        (TF-IDF)
             + w_forward  * similarity of i to the sentences after it  (PACSUM-like:
                            a sentence that later ones elaborate is central)
             + length prior(i)            (very short or very long sentences lose)

then picks greedily with maximal marginal relevance: each next sentence pays for its
similarity to those already chosen. The weights were tuned on the CNN/DailyMail dev
pairs only (``bench/summaries.py --split dev``); the test split is for the report.

numpy is imported when a summary is computed, not when this module is imported.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from briefing.lang.stem import stemmer as lang_stemmer
from briefing.lang.stopwords import SUPPORTED, stopwords
from briefing.summarize.candidates import Candidate, Document

if TYPE_CHECKING:
    import numpy as np

# Pairwise similarities are computed among the first WINDOW candidates only: beyond
# it the position prior leaves later sentences no chance on news anyway, and the
# cost stays bounded on a 2,000-sentence text.
WINDOW = 300


@dataclass(frozen=True, slots=True)
class Params:
    """The ranker's weights. The defaults were tuned on cnndm_dev.jsonl only (random
    search, then local refinement, each candidate checked on both halves of dev)."""

    pos_decay: float = 0.95  # prior(i) = w_pos / (1 + i) ** pos_decay
    w_pos: float = 2.14
    w_centroid: float = 1.10
    w_forward: float = 0.19  # similarity to later sentences (PACSUM-like)
    w_backward: float = 0.05  # similarity to earlier sentences
    pac_threshold: float = 0.41  # similarities below this fraction of the range are ignored
    len_target: float = 17.7  # words; |log(length / target)| is penalized
    w_len: float = 0.67
    w_short: float = 0.11  # extra penalty below `short` words
    short: float = 11.2
    mmr: float = 0.12  # redundancy penalty: max similarity to a sentence already chosen
    w_quote: float = 0.4  # penalty for a sentence that opens with a quotation mark
    w_first: float = 2.0  # penalty per share of first-person words (quotes, not reporting)
    w_question: float = 0.0  # penalty for a question or a lead-in ending with a colon (no gain on dev)
    w_caption: float = 0.5  # penalty for a photo-caption style opening ("Terrifying: footage shows")


PARAMS = Params()

STOP_WORDS = frozenset(
    """
    a about above after again against all also am an and any are aren't as at be because been
    before being below between both but by can cannot could couldn't did didn't do does doesn't
    doing don't down during each few for from further had hadn't has hasn't have haven't having
    he he'd he'll he's her here here's hers herself him himself his how how's i i'd i'll i'm
    i've if in into is isn't it it's its itself just let's me more most mustn't my myself no
    nor not now of off on once only or other ought our ours ourselves out over own said same
    say says she she'd she'll she's should shouldn't so some such than that that's the their
    theirs them themselves then there there's these they they'd they'll they're they've this
    those through to too under until up very was wasn't we we'd we'll we're we've were weren't
    what what's when when's where where's which while who who's whom why why's will with won't
    would wouldn't you you'd you'll you're you've your yours yourself yourselves one two also
    told would could may might mr mrs ms new year years last first time like get got
    """.split()
)

_QUOTES = frozenset("\"'“‘«„")
_FIRST_PERSON = frozenset("i me my we us our i'm we're i've we've i'd we'd mine ours".split())
_CAPTION = re.compile(r"[\"'“‘]?[^\W\d_]+(?:[ -][^\W\d_]+)?\s?:\s")
_SUFFIXES = ("ingly", "edly", "ings", "ing", "ies", "ied", "ed", "es", "ly", "s")
_HAS_LETTER = re.compile(r"[^\W\d_]")


def stem(word: str) -> str:
    """A light suffix stripper: enough to match "attack", "attacks", "attacked"."""
    w = word.replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) <= 4:
        return w
    for suf in _SUFFIXES:
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            if suf in ("ies", "ied"):
                return w[: -len(suf)] + "y"
            if suf == "s" and w.endswith("ss"):
                return w
            return w[: -len(suf)]
    return w


def _terms(tokens: tuple[str, ...], lang: str | None = None) -> list[str]:
    """The terms a sentence is compared by: its words less stopwords, stemmed, in
    the text's language when it is one we support (else as English text)."""
    if lang is not None and lang != "en" and lang in SUPPORTED:
        stops, stemmer = stopwords(lang), lang_stemmer(lang)
        if stemmer is not None:
            return [stemmer(t) for t in tokens if t not in stops and _HAS_LETTER.search(t)]
    return [stem(t) for t in tokens if t not in STOP_WORDS and _HAS_LETTER.search(t)]


def rank(doc: Document, count: int, params: Params = PARAMS) -> list[int]:
    """Positions (into ``doc.candidates``) of the ``count`` sentences to show."""
    import numpy as np

    cands = doc.candidates[:WINDOW]
    n = len(cands)
    if n <= count:
        return list(range(n))
    vectors = _vectors(cands, doc.lang)
    if vectors is None:
        return list(range(count))
    x, cent = vectors
    lengths = np.array([len(c.tokens) for c in cands], dtype=np.float64)
    sim = x @ x.T
    np.fill_diagonal(sim, 0.0)

    score = params.w_pos / (1.0 + np.arange(n, dtype=np.float64)) ** params.pos_decay
    score += params.w_centroid * cent
    if params.w_forward or params.w_backward:
        lo, hi = float(sim.min()), float(sim.max())
        edge = np.where(sim > lo + params.pac_threshold * (hi - lo), sim, 0.0)
        upper = np.triu(edge, 1).sum(axis=1)  # similarity to later sentences
        lower = np.tril(edge, -1).sum(axis=1)  # similarity to earlier sentences
        scale = max(float(upper.max()), float(lower.max()), 1e-9)
        score += (params.w_forward * upper + params.w_backward * lower) / scale
    score -= params.w_len * np.abs(np.log(np.maximum(lengths, 1.0) / params.len_target))
    score -= params.w_short * np.maximum(0.0, params.short - lengths) / params.short
    if params.w_quote:
        score -= params.w_quote * np.array([c.text[:1] in _QUOTES for c in cands], dtype=np.float64)
    if params.w_question:
        score -= params.w_question * np.array(
            [c.text.rstrip("\"'”’)]").endswith(("?", ":")) for c in cands], dtype=np.float64
        )
    if params.w_caption:
        score -= params.w_caption * np.array([bool(_CAPTION.match(c.text)) for c in cands], dtype=np.float64)
    if params.w_first:
        score -= params.w_first * np.array(
            [sum(t in _FIRST_PERSON for t in c.tokens) / max(1, len(c.tokens)) for c in cands], dtype=np.float64
        )

    chosen: list[int] = []
    taken = np.zeros(n, dtype=bool)
    for _ in range(count):
        gain = score.copy()
        if chosen:
            gain -= params.mmr * sim[:, chosen].max(axis=1)
        gain[taken] = -np.inf
        best = int(np.argmax(gain))
        chosen.append(best)
        taken[best] = True
    return sorted(chosen)


def _vectors(cands: Sequence[Candidate], lang: str | None = None) -> tuple[np.ndarray, np.ndarray] | None:
    """Unit TF-IDF rows restricted to the terms shared by two sentences or more, and
    each sentence's cosine with the centroid of the whole text.

    Terms used by one sentence only cannot add to the similarity of two sentences;
    leaving them out of the matrix keeps it small (a few hundred columns on news,
    bounded on a 300 KB sentence) while the norms and the centroid still count them.
    """
    import numpy as np

    n = len(cands)
    counts: list[dict[str, int]] = []
    df: dict[str, int] = {}
    for c in cands:
        bag: dict[str, int] = {}
        for t in _terms(c.tokens, lang):
            bag[t] = bag.get(t, 0) + 1
        counts.append(bag)
        for t in bag:
            df[t] = df.get(t, 0) + 1
    if not df:
        return None
    shared = {t: k for k, t in enumerate(t for t, d in df.items() if d > 1)}
    idf = {t: math.log((n + 1.0) / (d + 1.0)) + 1.0 for t, d in df.items()}
    x = np.zeros((n, max(1, len(shared))), dtype=np.float64)
    norms = np.zeros(n, dtype=np.float64)
    own = np.zeros(n, dtype=np.float64)  # sum of squared weights of the sentence's unique terms
    for i, bag in enumerate(counts):
        for t, tf in bag.items():
            w = tf * idf[t]
            norms[i] += w * w
            k = shared.get(t)
            if k is None:
                own[i] += w * w
            else:
                x[i, k] = w
    norms = np.sqrt(norms)
    safe = np.where(norms > 0, norms, 1.0)
    x /= safe[:, None]
    own /= safe * safe
    # centroid = sum of all unit rows; its squared norm = |shared part|^2 + sum of own terms
    centroid = x.sum(axis=0)
    cn2 = float(centroid @ centroid) + float(own.sum())
    if cn2 <= 0:
        return x, np.zeros(n, dtype=np.float64)
    cent = (x @ centroid + own) / math.sqrt(cn2)
    return x, cent
