"""briefing.stats: counts of a view against a brute-force count (hypothesis), through
the index's aggregates and through the articles' metadata."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.annotations.schema import ArticleNotes
from briefing.corpus import open_corpus
from briefing.index import open_index
from briefing.stats import count_view, sparkline, timeline, unit_for

SOURCES = ["Reuters", "AP", "Kyiv Independent", None]
TAGS = ["energy", "grid", "war", "Energy"]
N = 60


def write_corpus(root: Path, seed: int = 7) -> None:
    rng = random.Random(seed)
    for n in range(N):
        lines = ["---", f"title: Article {n}"]
        if rng.random() < 0.8:
            day = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(0, 200))
            lines.append(f"date: {day.isoformat()}")
        source = rng.choice(SOURCES)
        if source:
            lines.append(f"source: {source}")
        tags = rng.sample(TAGS[:3], rng.randint(0, 2))
        if tags:
            lines.append("tags: [" + ", ".join(tags) + "]")
        lines += ["---", "", f"Body text of article {n} about the grid."]
        (root / f"a{n:03d}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def corpora(tmp_path_factory):
    root = tmp_path_factory.mktemp("statscorpus")
    write_corpus(root)
    cache = tmp_path_factory.mktemp("statscache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BRIEFING_CACHE_DIR", str(cache))
        indexed = open_index(root, workers=1)
        plain = open_corpus(root)
        yield indexed, plain
        indexed.close()


def brute(metas, notes, ids=None, since=None, until=None, show_dismissed=False):
    """The reference: one article at a time, written apart from the code under test."""
    chosen = []
    for m in metas:
        a = notes.get(m.id, ArticleNotes())
        if ids is not None:
            if m.id not in ids:
                continue
        else:
            if a.dismissed and not show_dismissed:
                continue
            d = a.date or m.date
            if (since or until) and (d is None or (since and d < since) or (until and d > until)):
                continue
        chosen.append((m, a))
    days, sources, tags = Counter(), Counter(), Counter()
    states = Counter({"unread": 0, "read": 0, "flagged": 0, "dismissed": 0})
    undated = 0
    for m, a in chosen:
        d = a.date or m.date
        if d is None:
            undated += 1
        else:
            days[d] += 1
        sources[m.source or ""] += 1
        for t in set(m.tags) | set(a.tags) | set(a.auto_tags):
            tags[t] += 1
        states["read" if a.read else "unread"] += 1
        states["flagged"] += a.flagged
        states["dismissed"] += a.dismissed
    return len(chosen), dict(days), undated, dict(sources), dict(tags), {k: v for k, v in states.items()}


def _shown(corpus, notes, since, until, show):
    out = set()
    for m in corpus.articles:
        a = notes.get(m.id, ArticleNotes())
        d = a.date or m.date
        if (a.dismissed and not show) or ((since or until) and (d is None or (since and d < since) or (until and d > until))):
            continue
        out.add(m.id)
    return out


def as_tuple(c):
    return c.total, dict(c.days), c.undated, dict(c.sources), dict(c.tags), {k: v for k, v in c.states.items()}


def notes_strategy(ids):
    one = st.builds(
        ArticleNotes,
        read=st.booleans(), flagged=st.booleans(), dismissed=st.booleans(),
        tags=st.lists(st.sampled_from(["energy", "mine", "Grid"]), max_size=2).map(tuple),
        date=st.none() | st.dates(dt.date(2023, 12, 1), dt.date(2024, 9, 1)),
    )
    return st.dictionaries(st.sampled_from(ids), one, max_size=15)


DATES = st.none() | st.dates(dt.date(2023, 12, 15), dt.date(2024, 8, 1))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_counts_equal_brute_force(corpora, data):
    indexed, plain = corpora
    ids = [m.id for m in indexed.articles]
    notes = data.draw(notes_strategy(ids))
    since, until = data.draw(DATES), data.draw(DATES)
    show = data.draw(st.booleans())
    want = brute(indexed.articles, notes, since=since, until=until, show_dismissed=show)
    through_index = count_view(indexed, notes, since=since, until=until, show_dismissed=show)
    assert as_tuple(through_index) == want
    assert as_tuple(count_view(plain, notes, since=since, until=until, show_dismissed=show)) == want
    stacked = count_view(indexed, notes, since=since, until=until, show_dismissed=show, tag_days=True)
    assert as_tuple(stacked) == want
    for tag, days in (stacked.tag_days or {}).items():  # each tag's days add up to its count, less its undated
        undated = sum(1 for m in indexed.articles if (notes.get(m.id) or ArticleNotes()).date is None and m.date is None
                      and tag in {*m.tags, *(notes.get(m.id) or ArticleNotes()).tags} and m.id in _shown(indexed, notes, since, until, show))
        assert sum(days.values()) == want[4][tag] - undated
    # Straight from the cache (briefing stats on a big corpus): the same counts.
    from briefing.listing.stream import connect
    from briefing.listing.view import IndexView

    conn = connect(indexed._index.path)
    try:
        assert as_tuple(count_view(IndexView(conn, notes), notes, since=since, until=until, show_dismissed=show)) == want
    finally:
        conn.close()
    subset = set(data.draw(st.lists(st.sampled_from(ids), max_size=40)))
    assert as_tuple(count_view(indexed, notes, subset)) == brute(indexed.articles, notes, ids=subset)


def test_index_path_uses_sql_aggregates(corpora, monkeypatch):
    indexed, _plain = corpora
    calls = []
    real = indexed.stats_groups
    monkeypatch.setattr(indexed, "stats_groups", lambda *a: calls.append(a) or real(*a))
    counts = count_view(indexed, {})
    assert calls == [(None, None)]
    assert counts.total == N
    assert counts.undated == sum(1 for m in indexed.articles if m.date is None) > 0
    want_langs = Counter(m.lang or "" for m in indexed.articles)  # the index knows languages (issue 19)
    assert counts.langs is not None and {k: v for k, v in counts.langs.items() if v} == {k: v for k, v in want_langs.items() if v}


def test_timeline_buckets_follow_the_span():
    d = dt.date(2024, 3, 6)  # a Wednesday
    assert unit_for(d, d + dt.timedelta(days=30)) == "day"
    assert unit_for(d, d + dt.timedelta(days=300)) == "week"
    assert unit_for(d, d + dt.timedelta(days=1000)) == "month"
    line = timeline({d: 2, d + dt.timedelta(days=3): 1})
    assert line.unit == "day" and line.counts == (2, 0, 0, 1)
    weeks = timeline({d: 2, d + dt.timedelta(days=1): 3, d + dt.timedelta(days=200): 1})
    assert weeks.unit == "week" and weeks.starts[0] == dt.date(2024, 3, 4) and weeks.counts[0] == 5
    assert sum(weeks.counts) == 6 and weeks.counts[1:-1] == (0,) * (len(weeks) - 2)
    months = timeline({dt.date(2020, 12, 31): 1, dt.date(2023, 2, 1): 4})
    assert months.unit == "month" and months.starts[:2] == (dt.date(2020, 12, 1), dt.date(2021, 1, 1))
    assert len(months) == 27 and months.index_of(dt.date(2023, 2, 20)) == 26 and months.end(0) == dt.date(2020, 12, 31)
    assert timeline({}).counts == ()


@given(st.dictionaries(st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1)), st.integers(1, 50), max_size=30))
def test_timeline_keeps_every_article(days):
    line = timeline(days)
    assert sum(line.counts) == sum(days.values())
    for day in days:
        i = line.index_of(day)
        assert i is not None and line.starts[i] <= day <= line.end(i)
    assert list(line.starts) == sorted(line.starts)


def test_sparkline():
    assert sparkline([0, 1, 8]) == " ▁█"
    assert sparkline([0, 0]) == "  "
    assert len(sparkline(list(range(100)), width=10)) == 10
