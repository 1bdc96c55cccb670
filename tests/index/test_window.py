"""The windowed listing (issue 20) lists exactly what the full listing lists.

Generated corpora (hypothesis): Markdown articles with dates (many on the same day),
undated ones, front-matter tags and odd ids; annotations with date corrections,
titles, read, flagged, dismissed and the analyst's tags. The reference is the
reader's full listing, :func:`briefing.tui.state.listed_metas` over the snapshot's
every article (narrowed to a search's hits as the list does), and day headings are
worked out here from it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.annotations import AnnotationStore
from briefing.annotations.filter import Filter
from briefing.index.indexed import CorpusIndex
from briefing.index.window import DayHeading, WindowedListing
from briefing.tui.state import listed_metas

DAY0 = dt.date(2024, 3, 1)
WORDS = ("grid", "port", "vote", "drone", "grain")
NAMES = ("a", "B", "b", "z9", "é", "a-b", "0", "x y", "Zz", "m", "ä", "q_1", "k", "c2", "R")

article = st.fixed_dictionaries({
    "day": st.one_of(st.none(), st.integers(0, 6)),  # few days: several articles a day
    "tags": st.lists(st.sampled_from(("energy", "Grid")), max_size=2, unique=True),
    "words": st.lists(st.sampled_from(WORDS), min_size=1, max_size=3),
    "folder": st.sampled_from(("", "2024/", "b/")),
})
notes = st.fixed_dictionaries({
    "date": st.one_of(st.none(), st.none(), st.integers(-2, 8)),
    "title": st.one_of(st.none(), st.none(), st.just("Corrected title")),
    "read": st.booleans(),
    "flagged": st.booleans(),
    "dismissed": st.sampled_from((False, False, False, True)),
    "tags": st.lists(st.sampled_from(("energy", "kyiv")), max_size=2, unique=True),
})
corpora = st.lists(st.tuples(article, notes), min_size=0, max_size=len(NAMES))
filters = st.builds(
    Filter,
    tags=st.lists(st.sampled_from(("energy", "kyiv", "grid")), max_size=2, unique=True).map(tuple),
    statuses=st.lists(st.sampled_from(("unread", "read", "flagged", "dismissed", "annotated")), max_size=2,
                      unique=True).map(tuple),
    since=st.one_of(st.none(), st.integers(0, 6).map(lambda d: DAY0 + dt.timedelta(days=d))),
    until=st.one_of(st.none(), st.integers(0, 8).map(lambda d: DAY0 + dt.timedelta(days=d))),
    show_dismissed=st.booleans(),
)

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def build(root: Path, spec: list[tuple[dict, dict]]) -> tuple[object, AnnotationStore]:
    """Write the articles, index them, and annotate them as ``spec`` says."""
    ids = []
    for (a, _n), name in zip(spec, NAMES, strict=False):
        folder = root / a["folder"]
        folder.mkdir(parents=True, exist_ok=True)
        front = [f'title: "Story {name} {" ".join(a["words"])}"']
        if a["day"] is not None:
            front.append(f"date: {(DAY0 + dt.timedelta(days=a['day'])).isoformat()}")
        if a["tags"]:
            front.append("tags: [" + ", ".join(a["tags"]) + "]")
        body = " ".join(a["words"]) + " happened today, officials said.\n"
        (folder / f"{name}.md").write_text("---\n" + "\n".join(front) + "\n---\n\n" + body, encoding="utf-8")
        ids.append(f"{a['folder']}{name}.md")
    index = CorpusIndex(root, workers=1)
    index.refresh()
    corpus = index.snapshot()
    assert sorted(m.id for m in corpus.articles) == sorted(ids)
    store = AnnotationStore.open(root, corpus.articles)
    with store.batch():
        for (_a, n), article_id in zip(spec, ids, strict=True):
            if n["date"] is not None:
                store.set_date(article_id, DAY0 + dt.timedelta(days=n["date"]))
            if n["title"] is not None:
                store.set_title(article_id, n["title"])
            if n["read"]:
                store.set_read(article_id, True)
            if n["flagged"]:
                store.set_flagged(article_id, True)
            if n["dismissed"]:
                store.set_dismissed(article_id, True)
            if n["tags"]:
                store.add_tags(article_id, n["tags"])
    return corpus, store


def reference_headings(metas, start: int, stop: int) -> list[DayHeading]:
    """Day headings from the full listing: runs of the same (shown) date."""
    out, at = [], 0
    for day, run in itertools.groupby(metas, key=lambda m: m.date):
        size = len(list(run))
        if at + size > start and at < stop:
            out.append(DayHeading(at, at + size, day))
        at += size
    return out


def check_same(listing: WindowedListing, expected: list) -> None:
    assert len(listing) == len(expected)
    assert list(listing) == expected  # order and every field as the list shows it
    for start, count in ((0, 3), (2, 5), (len(expected) - 2, 4)):  # windows, the last one cut short
        start = max(0, start)
        assert listing.window(start, count) == expected[start:start + count]
        assert listing.headings(start, start + count) == reference_headings(expected, start, start + count)
    for i, meta in enumerate(expected):
        assert listing[i] == meta
        assert listing.position(meta.id) == i
        first, stop = listing.day_span(i)
        assert {m.date for m in expected[first:stop]} == {meta.date}
        assert (first == 0 or expected[first - 1].date != meta.date) and (stop == len(expected) or expected[stop].date != meta.date)


@SETTINGS
@given(spec=corpora)
def test_windowed_listing_equals_the_full_listing(spec):
    with tempfile.TemporaryDirectory() as tmp:
        corpus, store = build(Path(tmp), spec)
        check_same(WindowedListing(corpus), list(corpus.articles))  # no annotations: the corpus order
        expected = listed_metas(corpus.articles, store, Filter())
        listing = WindowedListing(corpus, store)
        check_same(listing, expected)
        hidden = [m.id for m in corpus.articles if store.get(m.id).dismissed]
        for article_id in hidden:
            assert listing.position(article_id) is None
        corpus.close()


@SETTINGS
@given(spec=corpora, flt=filters, word=st.sampled_from(WORDS))
def test_windowed_filter_and_search_equal_the_full_listing(spec, flt, word):
    with tempfile.TemporaryDirectory() as tmp:
        corpus, store = build(Path(tmp), spec)
        full = listed_metas(corpus.articles, store, flt)
        check_same(WindowedListing(corpus, store, flt), full)
        hits = set(corpus.match_ids(word))
        assert hits == {m.id for m in corpus.articles if word in m.title.split()}  # the search found what is there
        assert set(corpus.match_ids(word, known_only=False)) == hits  # the index holds nothing the snapshot lacks
        searched = [m for m in listed_metas(corpus.articles, store, Filter()) if m.id in hits]
        check_same(WindowedListing(corpus, store, Filter(), ids=hits), searched)
        check_same(WindowedListing(corpus, store, flt, ids=hits), [m for m in full if m.id in hits])
        corpus.close()


def test_a_watchlist_narrows_the_windowed_listing(tmp_path):
    corpus, store = build(tmp_path, [({"day": d, "tags": [], "words": ["grid"], "folder": ""},
                                      {"date": None, "title": None, "read": False, "flagged": False,
                                       "dismissed": False, "tags": []}) for d in (1, 2, 3, None)])
    chosen = frozenset({"B.md", "z9.md"})
    listing = WindowedListing(corpus, store, Filter(watchlist="w", watchlist_ids=chosen))
    assert [m.id for m in listing] == ["B.md", "z9.md"]  # day 2, then the undated one
    assert listing.headings(0, 2) == [DayHeading(0, 1, DAY0 + dt.timedelta(days=2)), DayHeading(1, 2, None)]
    assert list(listing) == listed_metas(corpus.articles, store, Filter(watchlist="w", watchlist_ids=chosen))
    corpus.close()


def test_the_window_reads_only_the_rows_it_shows(tmp_path):
    """A window is one query for its rows: the others are not made into objects."""
    corpus, store = build(tmp_path, [({"day": d % 5, "tags": [], "words": ["port"], "folder": ""},
                                      {"date": None, "title": None, "read": False, "flagged": False,
                                       "dismissed": False, "tags": []}) for d in range(12)])
    listing = WindowedListing(corpus, store)
    statements: list[str] = []
    corpus.connection().set_trace_callback(statements.append)
    try:
        assert [m.id for m in listing.window(3, 4)] == [m.id for m in corpus.articles[3:7]]
        assert len(statements) == 1 and "rowid IN (" in statements[0]
        statements.clear()
        listing.window(4, 2)  # already read: from the cache
        assert statements == []
    finally:
        corpus.connection().set_trace_callback(None)
        corpus.close()


def test_places_count_from_the_end_and_stop_at_the_end(tmp_path):
    corpus, _store = build(tmp_path, [({"day": d, "tags": [], "words": ["vote"], "folder": ""},
                                       {"date": None, "title": None, "read": False, "flagged": False,
                                        "dismissed": False, "tags": []}) for d in (1, 2)])
    listing = WindowedListing(corpus)
    assert listing[-1].id == "a.md" and listing[0].id == "B.md"
    assert [m.id for m in listing[::-1]] == ["a.md", "B.md"]
    with pytest.raises(IndexError):
        listing[2]
    corpus.close()


@SETTINGS
@given(spec=corpora, snippet_picks=st.lists(st.integers(0, len(NAMES) - 1), unique=True), compact=st.booleans())
def test_the_line_layout_equals_the_full_layout(spec, snippet_picks, compact):
    """Each article's top line and height, each heading's line, and which place every
    line shows, as the reader's full layout (lay_out of every row) has them."""
    from briefing.index.query import SearchHit
    from briefing.index.window import LineLayout
    from briefing.tui.stories import story_rows
    from briefing.tui.widgets.list_layout import lay_out

    with tempfile.TemporaryDirectory() as tmp:
        corpus, store = build(Path(tmp), spec)
        listing = WindowedListing(corpus, store)
        metas = list(listing)
        snippets = sorted(p for p in snippet_picks if p < len(metas))
        hits = {m.id: SearchHit(m.id, m.title, (), "a snippet" if i in snippets else "", ()) for i, m in enumerate(metas)}
        full = lay_out(story_rows(metas, None, set()), hits, compact)
        lines = LineLayout(listing, snippets, compact)
        assert lines.height == full.height
        articles = [e for e in full.entries if e.meta is not None]
        assert [e.meta.id for e in articles] == [m.id for m in metas]
        for place, entry in enumerate(articles):
            assert (lines.top(place), lines.height_of(place)) == (entry.top, entry.height)
        headings = [e.top for e in full.entries if e.meta is None]
        assert [lines.heading_line(p) for p in range(len(metas)) if lines.heading_line(p) is not None] == headings
        drawn = {}  # line -> (place, heading?) from the full layout
        place = -1
        for entry in full.entries:
            if entry.meta is not None:
                place += 1
            for line in range(entry.top, entry.top + entry.height):
                drawn[line] = (place + 1, True) if entry.meta is None else (place, False)
        assert {line: lines.at_line(line) for line in range(full.height)} == drawn
        assert lines.at_line(full.height) is None and lines.at_line(-1) is None
        corpus.close()


def test_an_article_removed_from_the_index_leaves_the_window(tmp_path):
    """A listing is the index as it was: an article deleted and refreshed away since is
    left out of a window, and its place answers None, not another article."""
    corpus, _store = build(tmp_path, [({"day": d, "tags": [], "words": ["grain"], "folder": ""},
                                       {"date": None, "title": None, "read": False, "flagged": False,
                                        "dismissed": False, "tags": []}) for d in (3, 2, 1)])
    listing = WindowedListing(corpus)
    assert [m.id for m in listing] == ["a.md", "B.md", "b.md"]
    (tmp_path / "B.md").unlink()
    CorpusIndex(tmp_path, workers=1).refresh()
    assert [m.id for m in listing.window(0, 3)] == ["a.md", "b.md"]
    assert listing.at(1) is None and listing.at(2).id == "b.md"
    with pytest.raises(IndexError):
        listing[1]
    corpus.close()
