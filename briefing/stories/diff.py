"""What differs between two paired sentences: numbers, dates and names compared as
values, every other changed run of words as wording; and the marks painted on a cell."""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import NamedTuple, cast

from briefing.stories.comparison import RANK, Mark
from briefing.stories.kinds import DATE, KINDS, NAME, NUMBER, WORDING
from briefing.stories.mentions import Mention
from briefing.stories.sentences import Sentence, mentions_of


class Pair:
    """Word-by-word comparison of a row's first cell (a) with another cell (b)."""

    def __init__(self, a: Sentence, b: Sentence) -> None:
        self.a = a
        self.b = b
        self.ops = SequenceMatcher(None, a.keys, b.keys, autojunk=False).get_opcodes()

    def region(self, side: str, i1: int, i2: int) -> tuple[int, int] | None:
        toks = (self.a if side == "a" else self.b).tokens
        if i2 <= i1:
            return None
        return (toks[i1][0], toks[i2 - 1][1])

    def counterpart(self, side: str, span: tuple[int, int]) -> tuple[tuple[int, int] | None, bool]:
        """The other side's words facing ``span`` of ``side``: (their span or None,
        whether ``span`` touches a changed run at all).

        Only a changed run about the size of the mention counts as its counterpart
        ("Reports indicated that" for "President Zelensky"); a mention inside a long
        rewritten clause has none (the clause is marked as wording)."""
        toks = (self.a if side == "a" else self.b).tokens
        idx = [i for i, (s, e) in enumerate(toks) if s < span[1] and span[0] < e]
        if not idx:
            return None, False
        lo, hi = idx[0], idx[-1] + 1
        own_lo, own_hi = lo, hi
        other_lo = other_hi = None
        touched = False
        for tag, i1, i2, j1, j2 in self.ops:
            if side == "b":
                i1, i2, j1, j2 = j1, j2, i1, i2
            overlaps = i1 < hi and lo < i2 if i2 > i1 else i1 >= lo and i1 <= hi
            if tag == "equal" or not overlaps:
                continue
            touched = True
            own_lo, own_hi = min(own_lo, i1), max(own_hi, i2)
            if j2 > j1:
                other_lo = j1 if other_lo is None else min(other_lo, j1)
                other_hi = j2 if other_hi is None else max(other_hi, j2)
        if other_lo is None or other_hi is None:
            return None, touched
        size = hi - lo
        if 2 * size < own_hi - own_lo or other_hi - other_lo > max(3, 2 * size):
            return None, touched
        return self.region("b" if side == "a" else "a", other_lo, other_hi), touched

    def mapped(self, span: tuple[int, int]) -> tuple[int, int] | None:
        """``span`` of a as it stands in b, when every word of it is unchanged."""
        toks = self.a.tokens
        idx = [i for i, (s, e) in enumerate(toks) if s < span[1] and span[0] < e]
        if not idx:
            return None
        lo, hi = idx[0], idx[-1]
        for tag, i1, i2, j1, _j2 in self.ops:
            if tag == "equal" and i1 <= lo and hi < i2:
                return (self.b.tokens[j1 + lo - i1][0], self.b.tokens[j1 + hi - i1][1])
        return None


def overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


class Found(NamedTuple):
    kind: str
    a: tuple[int, int] | None  # span in the first cell
    b: tuple[int, int] | None  # span in the other cell


def _names_agree(x: Mention, y: Mention) -> bool:
    kx, ky = cast("frozenset[str]", x.loose), cast("frozenset[str]", y.loose)  # a name's words
    return kx <= ky or ky <= kx or cast("tuple[str, ...]", x.key)[-1] == cast("tuple[str, ...]", y.key)[-1]


def _match_mentions(kind: str, ma: list[Mention], mb: list[Mention]) -> tuple[list[tuple[Mention, Mention]], list[Mention], list[Mention]]:
    """Pairs that disagree, and the mentions of each side left without a partner."""
    left_a = list(ma)
    left_b = list(mb)
    for x in list(left_a):  # same value: agree
        for y in left_b:
            if x.key == y.key or (kind == NAME and _names_agree(x, y)):
                left_a.remove(x)
                left_b.remove(y)
                break
    differing = []
    if kind == NUMBER:  # same number, another qualifier ("more than 70" vs "70")
        for x in list(left_a):
            for y in left_b:
                if x.loose == y.loose:
                    differing.append((x, y))
                    left_a.remove(x)
                    left_b.remove(y)
                    break
    return differing, left_a, left_b


def diff_pair(pair: Pair, cased: bool, caps: frozenset[str], lower: frozenset[str]) -> list[Found]:
    """What differs between the two sentences of ``pair``."""
    if pair.a.keys == pair.b.keys:
        return []
    found: list[Found] = []
    men_a = mentions_of(pair.a, cased, caps, lower)
    men_b = mentions_of(pair.b, cased, caps, lower)
    for kind in (DATE, NUMBER, NAME):
        ka = [m for m in men_a if m.kind == kind]
        kb = [m for m in men_b if m.kind == kind]
        if not ka and not kb:
            continue
        differing, left_a, left_b = _match_mentions(kind, ka, kb)
        for x, y in differing:
            found.append(Found(kind, (x.start, x.end), (y.start, y.end)))
        for x in left_a:
            other, touched = pair.counterpart("a", (x.start, x.end))
            if not touched:
                continue
            partner = next((y for y in left_b if other is not None and overlap((y.start, y.end), other)), None)
            if partner is not None:
                left_b.remove(partner)
                found.append(Found(kind, (x.start, x.end), (partner.start, partner.end)))
            else:
                found.append(Found(kind, (x.start, x.end), other))
        for y in left_b:
            other, touched = pair.counterpart("b", (y.start, y.end))
            if touched:
                found.append(Found(kind, other, (y.start, y.end)))
    # Changed runs that hold no number, date or name difference: wording.
    for tag, i1, i2, j1, j2 in pair.ops:
        if tag == "equal":
            continue
        ra, rb = pair.region("a", i1, i2), pair.region("b", j1, j2)
        if any((ra and f.a and overlap(ra, f.a)) or (rb and f.b and overlap(rb, f.b)) for f in found):
            continue
        found.append(Found(WORDING, ra, rb))
    return found


def leftover_wording(pair: Pair, side: str, covered: list[tuple[int, int]]) -> list[Mark]:
    """Wording marks for changed words of ``side`` not inside another mark."""
    marks = []
    toks = (pair.a if side == "a" else pair.b).tokens
    for tag, i1, i2, j1, j2 in pair.ops:
        if tag == "equal":
            continue
        lo, hi = (i1, i2) if side == "a" else (j1, j2)
        run_start = run_end = -1
        for k in range(lo, hi + 1):
            tok = toks[k] if k < hi else None
            if tok is not None and not any(overlap(tok, c) for c in covered):
                if run_start < 0:
                    run_start = tok[0]
                run_end = tok[1]
            elif run_start >= 0:
                marks.append(Mark(run_start, run_end, WORDING))
                run_start = -1
    return marks


def paint(length: int, marks: list[Mark]) -> tuple[Mark, ...]:
    """Non-overlapping marks: where marks overlap, the more important kind wins."""
    if not marks:
        return ()
    if len(marks) == 1:
        m = marks[0]
        return (Mark(max(0, m.start), min(length, m.end), m.kind),)
    canvas: list[int | None] = [None] * length
    for m in sorted(marks, key=lambda m: -RANK[m.kind]):  # least important first
        rank = RANK[m.kind]
        for i in range(max(0, m.start), min(length, m.end)):
            canvas[i] = rank
    out: list[Mark] = []
    i = 0
    while i < length:
        r = canvas[i]
        if r is None:
            i += 1
            continue
        j = i
        while j < length and canvas[j] == r:
            j += 1
        out.append(Mark(i, j, KINDS[r]))
        i = j
    return tuple(out)
