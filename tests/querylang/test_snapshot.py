"""The per-snapshot tables answer as a walk of every article does."""

from __future__ import annotations

import datetime as dt
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.model import ArticleMeta
from briefing.querylang.snapshot import Snapshot

TAGS = ["Energy", "energy  policy", "Ports", "war", "ENERGY"]


def metas(seed: int, n: int) -> list[ArticleMeta]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        date = None if rng.random() < 0.2 else dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(40))
        tags = tuple(rng.sample(TAGS, rng.randrange(3)))
        out.append(ArticleMeta(f"{i:03d}.txt", f"/x/{i:03d}.txt", f"t{i}", False, date, None, None, tags, "", 1,
                               lang=rng.choice(["en", "uk", None])))
    return out


def newest_first(items: list[ArticleMeta]) -> list[ArticleMeta]:
    return sorted(items, key=lambda m: (m.date is None, -(m.date.toordinal() if m.date else 0), m.id))


days = st.one_of(st.none(), st.integers(-3, 45).map(lambda d: dt.date(2024, 1, 1) + dt.timedelta(days=d)))


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(0, 60), start=days, end=days)
def test_dates_by_bisection_equal_a_walk(seed, n, start, end):
    items = newest_first(metas(seed, n))
    snap = Snapshot(items)
    expected = {m.id for m in items if m.date is not None and (start is None or m.date >= start)
                and (end is None or m.date <= end)}
    assert snap.dated_between(start, end) == expected


def test_a_list_out_of_date_order_is_walked_by_the_caller():
    items = newest_first(metas(3, 30))
    dated = [m for m in items if m.date is not None]
    assert dated[0].date != dated[-1].date
    assert Snapshot(list(reversed(dated))).dated_between(None, None) is None


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), wanted=st.sampled_from(["energy", "energy policy", "ports", "en", "w", "none"]),
       prefix=st.booleans())
def test_tags_positions_and_languages_equal_a_walk(seed, wanted, prefix):
    items = metas(seed, 80)
    snap = Snapshot(items)
    folded = {m.id: [" ".join(t.split()).casefold() for t in m.tags] for m in items}
    expected = {i for i, ts in folded.items() if any(t.startswith(wanted) if prefix else t == wanted for t in ts)}
    assert snap.tagged(wanted, prefix) == expected
    chosen = frozenset(m.id for m in items[::10])  # few: sorted by position; many: a walk
    assert snap.in_order(chosen) == [m.id for m in items if m.id in chosen]
    assert snap.in_order(frozenset(m.id for m in items[:40])) == [m.id for m in items[:40]]
    assert snap.langs() == {m.lang for m in items}
    for lang in ("en", "uk", None, "de"):
        assert snap.lang_ids(lang) == {m.id for m in items if m.lang == lang}
