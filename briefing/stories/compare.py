"""Line up the versions of a story sentence by sentence and mark what differs.

    >>> from briefing.stories.compare import compare, cite
    >>> result = compare([reference, other])          # briefing.model.Article values
    >>> for row in result.rows: ...                   # one cell per member, or None
    >>> for diff in result.differences: ...           # Difference(kind, texts, row, spans)
    >>> cite(result.differences[0], [reference, other])

How it works, in short:

1. Each member's body is split with the summarizer's sentence splitter
   (:func:`briefing.summarize.tokenize.sentence_spans`); section headings are left out.
2. Sentences are paired across members by the overlap of their content words
   (folded, lightly stemmed, function words left out), each word weighted by how rare
   it is among the story's sentences (a weighted Dice score). Pairs are taken best
   first, so a sentence moved to another place still finds its partner; a sentence
   without a partner above :data:`MIN_SIMILARITY` is a row of its own ("only" in the
   versions that have it). The first member is the reference: rows follow its order,
   and a sentence only another member has is placed after that member's previous one.
3. Inside a row, every other cell is compared word by word with the row's first cell
   (``difflib`` on the same folded words, so ``NATO``/``Nato``, ``U.S.``/``US``,
   ``co-ordinated``/``coordinated`` and straight/curly quotes are not differences).
   Numbers, dates and names are found in both sentences and compared as values:

   - numbers: ``1,000`` = ``1000``, ``minus 20C`` = ``-20C``, ``seven`` = ``7``; the
     qualifier counts: ``more than 70`` differs from ``70`` (a lower bound is not a
     count) but equals ``over 70``; ``about``/``around``/``some``/``nearly`` are one
     class (an estimate), ``only``/``just``/``exactly`` mean the plain number;
   - dates: ISO and numeric dates, month names with a day or year, weekdays
     (``last Tuesday`` = ``Tuesday``), and relative words (``yesterday``,
     ``overnight``, ``later this week``, ``at the weekend``, ``three days ago``); a
     4-digit year 1900-2099 counts as a date after ``in``/``since``/``by``… or at the
     end of a clause, else as a number;
   - names (people, places, organisations): runs of capitalised words in cased text.
     A capitalised first word of a sentence (or of a quotation) is part of a name only
     when the story writes it capitalised elsewhere too, or when another capitalised
     word follows it. Titles (``President``, ``Secretary-General``) and a possessive
     ``'s`` are ignored when comparing, and a shorter mention of the same name agrees
     with a longer one (``Zelensky`` = ``President Volodymyr Zelensky``).

   Every other changed run of words is a ``wording`` difference, the least important.

The result is frozen and holds everything a reader needs to draw it (offsets into
each cell's text). Work is bounded (see :data:`MAX_SENTENCES`, :data:`MAX_CHARS`,
:data:`MAX_WORDS`, :data:`MAX_MEMBERS`); when a bound cuts the input, ``note`` says so.
Text is treated as plain, untrusted content: nothing here interprets markup.

The parts, one module each: :mod:`~briefing.stories.words` (tokens, folding, word
keys), :mod:`~briefing.stories.mentions` (numbers, dates, names),
:mod:`~briefing.stories.sentences` (a version's sentences), :mod:`~briefing.stories.alignment`
(pairing sentences), :mod:`~briefing.stories.diff` (what differs inside a pair, marks),
:mod:`~briefing.stories.comparison` (the result types) and :mod:`~briefing.stories.cite`
(a difference as a line of notes). This module puts them together.
"""


from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from briefing.stories.alignment import MIN_SIMILARITY, align, word_weights
from briefing.stories.cite import cite
from briefing.stories.comparison import RANK, Cell, Comparison, Difference, Mark, Row
from briefing.stories.diff import Pair, diff_pair, leftover_wording, paint
from briefing.stories.kinds import DATE, KINDS, NAME, NUMBER, ONLY, WORDING
from briefing.stories.sentences import Member, Sentence, case_evidence, member_sentences
from briefing.stories.words import is_cased

__all__ = [
    "DATE", "KINDS", "NAME", "NUMBER", "ONLY", "WORDING", "MIN_SIMILARITY",
    "Cell", "Comparison", "Difference", "Mark", "Row", "cite", "compare",
]

MAX_MEMBERS = 16  # members compared (the others are named in the note)
MAX_CHARS = 200_000  # characters of a body compared
MAX_SENTENCES = 1_000  # sentences of a body compared
MAX_WORDS = 300  # words of one sentence compared word by word


def compare(members: Sequence[Member]) -> Comparison:
    """Align the sentences of ``members`` (the first is the reference) and find what
    differs. ``members`` are :class:`briefing.model.Article` values (anything with
    ``id``, ``body`` and ``headings``)."""
    notes: list[str] = []
    members = list(members)
    if len(members) > MAX_MEMBERS:
        notes.append(f"compared the first {MAX_MEMBERS} of {len(members)} versions")
        members = members[:MAX_MEMBERS]
    n = len(members)
    bounds = {"max_chars": MAX_CHARS, "max_sentences": MAX_SENTENCES, "max_words": MAX_WORDS}
    per_member = [member_sentences(i, m, notes, **bounds) for i, m in enumerate(members)]
    every = [s for sents in per_member for s in sents]
    cased = is_cased(" ".join(s.text for s in every[:400]))
    caps, lower = case_evidence(every) if cased else (frozenset(), frozenset())
    weights = word_weights(every)

    # rows: list of dicts member -> sentence, plus the lowest pairing score
    rows: list[dict[int, Sentence]] = [{0: s} for s in per_member[0]] if n else []
    scores: list[float] = [1.0] * len(rows)
    row_of: dict[int, int] = {id(s): r for r, s in enumerate(per_member[0])} if n else {}
    for j in range(1, n):
        placed = [s for row in rows for s in row.values()]
        matched = align(placed, per_member[j], weights) if placed else {}
        # where each sentence of member j goes: an existing row, or a new row after its
        # previous sentence's row
        anchor_row: int | None = None
        additions: dict[int | None, list[Sentence]] = {}
        for q, sent in enumerate(per_member[j]):
            hit = matched.get(q)
            if hit is not None:
                r = row_of[id(hit[0])]
                if j not in rows[r]:
                    rows[r][j] = sent
                    scores[r] = min(scores[r], hit[1])
                    anchor_row = r
                    continue
            additions.setdefault(anchor_row, []).append(sent)
        if additions:
            # Sentences before member j's first paired one go just before its row (at
            # the end when none paired); the others just after their predecessor's row.
            first_hit = next((row_of[id(matched[q][0])] for q in sorted(matched)), None)
            new_rows: list[dict[int, Sentence]] = []
            new_scores: list[float] = []
            for r, row in enumerate(rows):
                if r == first_hit:
                    for sent in additions.get(None, []):
                        new_rows.append({j: sent})
                        new_scores.append(1.0)
                new_rows.append(row)
                new_scores.append(scores[r])
                for sent in additions.get(r, []):
                    new_rows.append({j: sent})
                    new_scores.append(1.0)
            if first_hit is None:
                for sent in additions.get(None, []):
                    new_rows.append({j: sent})
                    new_scores.append(1.0)
            rows, scores = new_rows, new_scores
        row_of = {id(s): r for r, row in enumerate(rows) for s in row.values()}

    out_rows: list[Row] = []
    differences: list[Difference] = []
    cut_sentences = 0
    for r, row in enumerate(rows):
        present = sorted(row)
        marks: dict[int, list[Mark]] = {i: [] for i in present}
        row_diffs: list[Difference] = []
        if len(present) < n:
            texts = tuple(row[i].text if i in row else None for i in range(n))
            spans = tuple((0, len(row[i].text)) if i in row else None for i in range(n))
            row_diffs.append(Difference(ONLY, texts, r, spans))
            if len(present) == 1:
                i = present[0]
                marks[i].append(Mark(0, len(row[i].text), ONLY))
        first = present[0]
        a = row[first]
        pairs = {k: Pair(a, row[k]) for k in present[1:]}
        grouped: dict[tuple[Any, ...], dict[int, tuple[int, int] | None]] = {}
        order: list[tuple[Any, ...]] = []
        for k, pair in pairs.items():
            if pair.a.cut or pair.b.cut:
                cut_sentences += 1
            found = diff_pair(pair, cased, caps, lower)
            covered_a = [f.a for f in found if f.a is not None and f.kind != WORDING]
            covered_b = [f.b for f in found if f.b is not None and f.kind != WORDING]
            for f in found:
                if f.a is not None:
                    marks[first].append(Mark(*f.a, f.kind))
                if f.b is not None:
                    marks[k].append(Mark(*f.b, f.kind))
                key = (f.kind, f.a) if f.a is not None else (f.kind, None, k, f.b)
                if key not in grouped:
                    grouped[key] = {first: f.a}
                    order.append(key)
                grouped[key][k] = f.b
            marks[first].extend(leftover_wording(pair, "a", covered_a))
            marks[k].extend(leftover_wording(pair, "b", covered_b))
        for key in order:
            got = grouped[key]
            kind = key[0]
            spans_l: list[tuple[int, int] | None] = []
            for i in range(n):
                if i in got:
                    spans_l.append(got[i])
                elif i in row and i != first and key[1] is not None:
                    spans_l.append(pairs[i].mapped(key[1]))
                else:
                    spans_l.append(None)
            if key[1] is None:
                spans_l[first] = None
            texts_l = tuple(row[i].text[s[0] : s[1]] if s is not None else None for i, s in enumerate(spans_l))
            row_diffs.append(Difference(kind, texts_l, r, tuple(spans_l)))
        row_diffs.sort(key=lambda d: (RANK[d.kind], _first_start(d)))
        differences.extend(row_diffs)
        kinds = tuple(k for k in KINDS if any(d.kind == k for d in row_diffs))
        cells = tuple(
            Cell(row[i].text, row[i].index, row[i].start, paint(len(row[i].text), marks[i])) if i in row else None
            for i in range(n)
        )
        identical = all(row[k].keys == a.keys for k in present[1:])
        similarity = 1.0 if identical else round(scores[r], 4)
        out_rows.append(Row(cells, similarity, kinds))
    if cut_sentences:
        notes.append(f"compared only the first {MAX_WORDS} words of {cut_sentences} very long sentence"
                     + ("s" if cut_sentences != 1 else "") + " word by word")
    note = "; ".join(notes) if notes else None
    if note:
        note = note[0].upper() + note[1:] + "."
    return Comparison(tuple(m.id for m in members), tuple(out_rows), tuple(differences), note)


def _first_start(d: Difference) -> int:
    return next((s[0] for s in d.spans if s is not None), 0)
