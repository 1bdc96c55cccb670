"""Pairing the sentences of one version with those already placed: a weighted Dice
score on content words, each weighted by its rarity among the story's sentences,
best pairs first (see :mod:`briefing.stories.compare`)."""

from __future__ import annotations

import heapq
import math

from briefing.stories.sentences import Sentence

MIN_SIMILARITY = 0.3  # weighted Dice score below which two sentences are not paired
COMMON_POSTING = 50  # a word in more sentences than this does not propose partners
VOTING_WORDS = 30  # the rarest words of a sentence that propose partners
CANDIDATES = 20  # partners scored per sentence


def word_weights(sentences: list[Sentence]) -> dict[str, float]:
    df: dict[str, int] = {}
    for sent in sentences:
        for k in sent.content:
            df[k] = df.get(k, 0) + 1
    total = len(sentences) + 1
    return {k: 1.0 + math.log(total / n) for k, n in df.items()}


def align(placed: list[Sentence], incoming: list[Sentence], weights: dict[str, float]) -> dict[int, tuple[Sentence, float]]:
    """Pair sentences of ``incoming`` with sentences of ``placed`` (weighted Dice on
    content words, best pairs first, each sentence used once); returns
    ``{incoming index: (placed sentence, score)}``."""
    postings: dict[str, list[int]] = {}
    for p, sent in enumerate(placed):
        for k in sent.content:
            postings.setdefault(k, []).append(p)
    mass_placed = [sum(weights[k] for k in s.content) for s in placed]
    candidates = []
    n_in = max(1, len(incoming))
    n_pl = max(1, len(placed))
    for q, sent in enumerate(incoming):
        # Partners are proposed by the sentence's rarest words (bounded work however
        # long or repetitive the text), then scored on all their words.
        votes: dict[int, float] = {}
        rare = sorted(sent.content, key=lambda k: (len(postings.get(k, ())), k))[:VOTING_WORDS]
        for k in rare:
            plist = postings.get(k)
            if not plist or len(plist) > COMMON_POSTING:
                continue
            w = weights[k]
            for p in plist:
                votes[p] = votes.get(p, 0.0) + w
        if not votes:
            continue
        best = heapq.nlargest(CANDIDATES, votes, key=lambda p: (votes[p], -p))
        mass = sum(weights[k] for k in sent.content)
        few = len(sent.content) <= 2
        for p in best:
            both = sent.content & placed[p].content
            count = len(both)
            if count < 2 and not (few or len(placed[p].content) <= 2):
                continue
            shared = sum(weights[k] for k in both)
            # Dice, blended with containment so that a sentence merged into a longer
            # one (or split in two) still finds its partner. Containment counts only
            # with three shared words or more: a short sentence must not pair with any
            # long one that happens to name the same country.
            score = 2 * shared / (mass + mass_placed[p])
            if count >= 3:
                score = (score + shared / min(mass, mass_placed[p])) / 2
            if score >= MIN_SIMILARITY:
                drift = abs(q / n_in - placed[p].index / n_pl)
                candidates.append((-score, drift, q, p))
    candidates.sort()
    used_p: set[int] = set()
    out: dict[int, tuple[Sentence, float]] = {}
    for neg, _drift, q, p in candidates:
        if q in out or p in used_p:
            continue
        out[q] = (placed[p], -neg)
        used_p.add(p)
    return out
