"""The windowed list (briefing.listing.window and .layout: what the reader's list
reads from the index a window at a time) equals the full listing the reader made
before (briefing.tui.state.listed_metas, then story_rows and lay_out over every
article): the same articles in the same order with the analyst's dates and titles,
the same day headings and counts, story rows, lines and snippet rows, with filters
and searches, on a generated corpus and hypothesis-generated annotations."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.annotations import open_store
from briefing.annotations.filter import Filter
from briefing.index import open_index
from briefing.index.query import SearchHit
from briefing.listing import window
from briefing.listing.layout import ListLayout
from briefing.listing.window import MetaListing, WindowedListing, make_listing
from briefing.stories.group import Stories, Story
from briefing.tui.state import listed_metas
from briefing.tui.stories import story_rows
from briefing.tui.widgets.list_layout import lay_out

from .conftest import make_corpus

ARTICLES = 48
TAGS = ("energy", "kyiv")


class FakeStories:
    """Stories over given groups of ids (the reader only asks story_of and get)."""

    def __init__(self, groups: list[list[str]]) -> None:
        self._of = {}
        for group in groups:
            story = Story(group[0], tuple(group), tuple(1.0 for _ in group))
            for member in group:
                self._of[member] = story

    def story_of(self, article_id: str) -> Story | None:
        return self._of.get(article_id)

    def get(self, story_id: str) -> Story | None:
        story = self._of.get(story_id)
        return story if story is not None and story.id == story_id else None


@pytest.fixture
def indexed(tmp_path):
    root = tmp_path / "corpus"
    make_corpus(root, ARTICLES, seed=5)
    (root / "undated.txt").write_text("A note without a date\n\nJust words here.\n", encoding="utf-8")
    return open_index(root, workers=1)


annotations = st.fixed_dictionaries({
    "redate": st.lists(st.tuples(st.integers(0, ARTICLES), st.one_of(st.none(), st.integers(0, 1200))), max_size=4),
    "dismiss": st.lists(st.integers(0, ARTICLES), max_size=5),
    "flag": st.lists(st.integers(0, ARTICLES), max_size=5),
    "tag": st.lists(st.tuples(st.integers(0, ARTICLES), st.sampled_from(TAGS)), max_size=6),
    "title": st.lists(st.integers(0, ARTICLES), max_size=3),
    "filter": st.sampled_from(["none", "tag", "flagged", "dismissed", "since", "watch"]),
    "search": st.one_of(st.none(), st.lists(st.integers(0, ARTICLES), max_size=20)),
    "stories": st.lists(st.lists(st.integers(0, ARTICLES), min_size=2, max_size=4, unique=True), max_size=5),
    "expand": st.integers(0, 5),
    "compact": st.booleans(),
})


def _filter(kind: str, ids: list[str]) -> Filter:
    return {
        "none": Filter(),
        "tag": Filter(tags=("energy",)),
        "flagged": Filter(statuses=("flagged",)),
        "dismissed": Filter(show_dismissed=True),
        "since": Filter(since=dt.date(2021, 1, 1)),
        "watch": Filter(watchlist="w", watchlist_ids=frozenset(ids[::3])),
    }[kind]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=annotations)
def test_windowed_listing_and_layout_equal_the_full_listing(indexed, plan):
    everything = sorted(indexed.articles, key=lambda m: (m.date is None, -(m.date.toordinal() if m.date else 0), m.id))
    assert list(indexed.articles) == everything  # the rows read by window, in the list's order
    ids = [m.id for m in everything]
    (indexed.root / "annotations.yaml").unlink(missing_ok=True)  # a fresh store per example
    store, _report = open_store(indexed.root, indexed.by_id)
    for n, days in plan["redate"]:
        store.set_date(ids[n], None if days is None else dt.date(2019, 6, 1) + dt.timedelta(days=days))
    if plan["dismiss"]:
        store.set_dismissed([ids[n] for n in plan["dismiss"]], True)
    if plan["flag"]:
        store.set_flagged([ids[n] for n in plan["flag"]], True)
    for tag in TAGS:
        if chosen := [ids[n] for n, t in plan["tag"] if t == tag]:
            store.add_tags(chosen, [tag])
    if plan["title"]:
        store.set_title([ids[n] for n in plan["title"]], "Analyst title")
    flt = _filter(plan["filter"], ids)
    hits = None if plan["search"] is None else {ids[n]: SearchHit(ids[n], "", (), "snip" if n % 2 else "", ())
                                               for n in plan["search"]}

    full = [m for m in listed_metas(everything, store, flt) if hits is None or m.id in hits]
    windowed = make_listing(indexed, lambda: [], store, flt, hits)
    assert isinstance(windowed, WindowedListing)
    assert list(windowed.ids()) == [m.id for m in full]
    if hits is not None:  # the hits' rows read by id (above) and by the scan of every row, alike
        saved, window.NARROW_MAX = window.NARROW_MAX, -1
        try:
            scanned = make_listing(indexed, lambda: [], store, flt, hits)
        finally:
            window.NARROW_MAX = saved
        assert isinstance(scanned, WindowedListing)
        assert list(scanned.rowids) == list(windowed.rowids) and list(scanned.days) == list(windowed.days)
    assert windowed.window(0, len(full) + 5) == full  # titles and dates as the list shows them
    start = len(full) // 3
    assert windowed.window(start, 7) == full[start:start + 7]
    for bisect_above in (0, window.BISECT_ABOVE):  # found by bisection in a day, and by a scan
        saved, window.BISECT_ABOVE = window.BISECT_ABOVE, bisect_above
        try:
            for place, meta in enumerate(full):
                assert windowed.position(meta.id) == place
            for article_id in set(ids) - {m.id for m in full}:
                assert windowed.position(article_id) is None
        finally:
            window.BISECT_ABOVE = saved

    groups = [[ids[n] for n in group] for group in plan["stories"]]
    taken: set[str] = set()
    groups = [g for g in ([i for i in group if i not in taken and not taken.add(i)] for group in groups) if len(g) > 1]
    # the reader's Stories (asked a chunk of ids at a time) or anything with story_of (one at a time)
    stories = (Stories([Story(g[0], tuple(g), tuple(1.0 for _ in g)) for g in groups], 0.2, 7) if len(groups) % 2
               else FakeStories(groups)) if groups else None
    expanded = {g[0] for g in groups[: plan["expand"]]}
    compact = plan["compact"]
    old_rows = story_rows(full, stories, expanded)
    old = lay_out(old_rows, hits, compact)
    for listing in (windowed, MetaListing(full)):
        layout = ListLayout(listing, stories, expanded, [k for k, h in (hits or {}).items() if h.snippet], compact)
        assert layout.rows == len(old_rows)
        assert layout.height == old.height
        shown = listing.window(0, len(listing))
        row = 0
        for entry in old.entries:
            if entry.heading is not None:
                assert layout.heading_above(row)
                assert layout.at_line(entry.top) == (row, -1)
                continue
            listed = entry.row
            assert listed is not None
            assert layout.top(row) == entry.top and layout.height_of(row) == entry.height
            assert layout.at_line(entry.top + entry.height - 1) == (row, entry.height - 1)
            assert shown[layout.place(row)] == listed.meta
            assert layout.day(row) == listed.day
            found = layout.story(row)
            if listed.is_story:
                assert found is not None and found[0] == listed.story
                assert tuple(shown[p].id for p in found[1]) == listed.members
                assert layout.row_of_key(listed.key) == row
            elif listed.depth:
                assert found is not None and found[0] == listed.story
            if not (listed.is_story and listed.expanded):  # (else the lead's own member row shows it)
                assert layout.row_for_article(listed.meta.id) == row
            row += 1
        headings = [e.heading.plain for e in old.entries if e.heading is not None]
        from briefing.tui import rows as drawn

        assert [drawn.heading(h.day, h.count).plain for h in layout.headings()] == ([] if compact else headings) or compact


def test_rows_are_read_by_window_and_follow_the_index(indexed):
    rows = indexed.articles
    everything = list(rows)
    assert rows[3] == everything[3] and rows[-1] == everything[-1]
    assert rows.window(10, 5) == everything[10:15]
    assert indexed.get(everything[7].id) == everything[7]
    assert everything[7].id in indexed.by_id and "no/such.txt" not in indexed.by_id
    with pytest.raises(KeyError):
        indexed.get("no/such.txt")
    rng = random.Random(3)
    for meta in rng.sample(everything, 5):
        assert indexed.by_id[meta.id] == meta
    assert len(rows.cache._by_rowid) <= rows.cache.size


def test_scattered_places_are_read_in_one_go_in_their_order(indexed):
    """A story row's members stand far apart in the list: their metas are read by
    place in one query (the reader's RowReader), in the order asked, from both kinds
    of listing; a member gone from the index since is left out, the others kept."""
    from briefing.listing.layout import ListLayout
    from briefing.tui.widgets.list_rows import RowReader

    windowed = WindowedListing(indexed)
    ids = list(windowed.ids())
    places = (30, 0, len(ids) - 1, 12)
    assert [m.id for m in windowed.metas(places)] == [ids[p] for p in places]
    in_memory = MetaListing(list(indexed.articles))
    assert [m.id for m in in_memory.metas(places)] == [ids[p] for p in places]
    reader = RowReader(set())
    reader.reset(ListLayout(windowed))
    assert [m.id for m in reader.metas_at(places)] == [ids[p] for p in places]
    gone = windowed.rowids[places[2]]
    with indexed._conn() as conn:
        conn.execute("DELETE FROM articles WHERE rowid = ?", (gone,))
    indexed.articles.cache.clear()  # (the metas read above were kept)
    reader.reset(ListLayout(windowed))
    assert [m.id for m in reader.metas_at(places)] == [ids[p] for p in places if p != places[2]]


def _fields(layout: ListLayout) -> tuple:
    return (list(layout.places or ()), list(layout.kinds or ()), list(layout.row_of_place or ()), layout.rows,
            list(layout.starts), list(layout.counts), list(layout.hdays), list(layout.snips),
            {r: (layout.story(r)[0].id, layout.story(r)[1]) for r in layout.story_row_numbers()},
            {r: layout.row_of_story(layout.story(r)[0].id) for r in layout.story_row_numbers()}, layout.height)


@settings(max_examples=40, deadline=None)
@given(days=st.lists(st.integers(0, 6), min_size=1, max_size=40),
       groups=st.lists(st.lists(st.integers(0, 39), min_size=1, max_size=4, unique=True), max_size=6),
       snippets=st.lists(st.integers(0, 39), max_size=8), opened=st.lists(st.integers(0, 5), max_size=3),
       toggles=st.lists(st.tuples(st.integers(0, 5), st.booleans()), min_size=1, max_size=6),
       compact=st.booleans())
def test_story_toggled_by_shifting_equals_a_new_layout(days, groups, snippets, opened, toggles, compact):
    """Expanding or folding a story shifts the layout's arrays (no pass over the
    listing): the result equals a layout made anew with that story expanded or not."""
    metas = [window.ArticleMeta(f"a{n:02}.txt", f"T{n}", "", False,
                                dt.date(2024, 1, 10 - day) if day else None, None, None, (), "", 0)
             for n, day in enumerate(days)]
    metas.sort(key=lambda m: (m.date is None, -(m.date.toordinal() if m.date else 0), m.id))
    listing = MetaListing(metas)
    ids = [m.id for m in metas]
    taken: set[int] = set()
    chosen = []
    for group in groups:
        members = [n for n in group if n < len(ids) and n not in taken]
        taken.update(members)
        if members:
            chosen.append([ids[n] for n in members])
    stories = FakeStories(chosen)
    story_ids = [g[0] for g in chosen]
    shown = {ids[n] for n in snippets if n < len(ids)}
    expanded = {story_ids[n] for n in opened if n < len(story_ids)}
    layout = ListLayout(listing, stories, expanded, shown, compact)
    for n, expand in toggles:
        if n >= len(story_ids):
            continue
        story_id = story_ids[n]
        toggled = layout.toggled(story_id, expand)
        if (story_id in expanded) == expand:
            assert toggled is None
            continue
        assert toggled is not None
        expanded = expanded | {story_id} if expand else expanded - {story_id}
        assert _fields(toggled) == _fields(ListLayout(listing, stories, expanded, shown, compact))
        layout = toggled


@pytest.mark.parametrize("packed", [True, False])
def test_a_row_gone_from_the_index_leaves_story_places_where_they_are(indexed, packed):
    """A file removed while its list is shown: the layout made from the same listing
    (a story expanded, a relist in a worker) still puts each story on its own members."""
    from briefing.tui.widgets.list_rows import row_keys

    windowed = WindowedListing(indexed)
    ids = list(windowed.ids())
    groups = [[ids[10], ids[30]], [ids[20], ids[40]]]
    stories = (Stories([Story(g[0], tuple(g), (1.0, 1.0)) for g in groups], 0.2, 7) if packed
               else FakeStories(groups))
    with indexed._conn() as conn:
        conn.execute("DELETE FROM articles WHERE rowid = ?", (windowed.rowids[5],))
    layout = ListLayout(windowed, stories=stories)
    shown = {}
    for row in layout.story_row_numbers():
        story, places = layout.story(row)
        shown[story.id] = [ids[p] for p in places]
    assert shown == {ids[10]: [ids[10], ids[30]], ids[20]: [ids[20], ids[40]]}
    keys = row_keys(layout)
    assert ids[5] not in keys and "" not in keys and ids[6] in keys and ids[30] not in keys


@pytest.mark.parametrize("packed", [True, False])
def test_a_story_row_is_found_by_its_lead_only(packed):
    """row_of_story answers for a story's id (its lead's), not for a member's or an
    unknown id, nor for a story with no listed member."""
    metas = [window.ArticleMeta(f"a{n}.txt", f"T{n}", "", False, dt.date(2024, 1, 9 - n), None, None, (), "", 0)
             for n in range(6)]
    groups = [["a1.txt", "a3.txt"], ["a4.txt", "a0.txt"], ["zz.txt", "zy.txt"]]
    stories = (Stories([Story(g[0], tuple(g), (1.0, 1.0)) for g in groups], 0.2, 7) if packed
               else FakeStories(groups))
    layout = ListLayout(MetaListing(metas), stories)
    # rows: a0 (story a4: its first listed place), a1 (story a1), a2, a5
    assert layout.rows == 4
    assert layout.row_of_story("a4.txt") == 0 and layout.row_of_story("a1.txt") == 1
    assert layout.row_of_story("a0.txt") is None and layout.row_of_story("a3.txt") is None
    assert layout.row_of_story("zz.txt") is None and layout.row_of_story("nope.txt") is None
    assert layout.story_row_numbers() == [0, 1]
    story, places = layout.story(0)
    assert story.id == "a4.txt" and places == (4, 0)  # story order: the lead first
    assert layout.place(0) == 4 and layout.row_of(0) == 0 and layout.row_of(4) == 0
    assert [h.count for h in layout.headings()] == [2, 2, 1, 1]


def test_giving_the_heap_back_is_a_no_op_without_glibc(monkeypatch):
    from briefing import heap

    heap._malloc_trim.cache_clear()
    monkeypatch.setattr(heap.sys, "platform", "darwin")
    try:
        assert heap._malloc_trim() is None
        heap.give_back()  # nothing to call: no error
    finally:
        heap._malloc_trim.cache_clear()


def test_a_searchs_hits_read_by_id_keep_a_redated_hit_at_its_new_day(indexed):
    """The hits of a search are read by id (not by a scan of every row); one the
    analyst re-dated is listed at its corrected day, and a dismissed one is left out."""
    everything = list(indexed.articles)
    ids = [m.id for m in everything]
    (indexed.root / "annotations.yaml").unlink(missing_ok=True)
    store, _report = open_store(indexed.root, indexed.by_id)
    hits = {i: SearchHit(i, "", (), "", ()) for i in ids[5:25]}
    oldest = ids[24]
    store.set_date(oldest, dt.date(2031, 1, 1))  # the oldest hit re-dated: now the newest
    store.set_dismissed([ids[6]], True)
    listing = make_listing(indexed, lambda: [], store, Filter(), hits)
    assert isinstance(listing, WindowedListing)
    expected = [m.id for m in listed_metas(everything, store, Filter()) if m.id in hits]
    assert list(listing.ids()) == expected
    assert expected[0] == oldest and ids[6] not in expected and len(expected) == 19


def test_hits_with_odd_ids_are_read_by_id_in_the_list_order(tmp_path):
    """The hits' ids go to SQLite as one JSON array: ids with quotes, backslashes,
    commas, brackets and letters past ASCII (in the BMP and past it) are all found,
    in the order of the full list (undated last, ties by id)."""
    root = tmp_path / "odd"
    root.mkdir()
    names = ['say "hi"', "back\\slash", "a,b [c]", "café", "名前", "emoji 😀", "plain"]
    for n, name in enumerate(names):
        dated = f"date: 2024-0{1 + n % 3}-01\n" if n % 4 else ""
        (root / f"{name}.txt").write_text(f"title: {name} report\n{dated}\nSome words {n}.\n", encoding="utf-8")
    corpus = open_index(root, workers=1)
    everything = list(corpus.articles)
    assert len(everything) == len(names)
    hits = {m.id: SearchHit(m.id, "", (), "", ()) for m in everything if m.id != everything[2].id}
    listing = WindowedListing(corpus, None, None, hits)
    assert list(listing.ids()) == [m.id for m in everything if m.id in hits]


def test_ids_not_indexed_are_found_in_bulk_in_their_order(indexed, monkeypatch):
    """What the store asks of every annotated id when the corpus is loaded: the ids
    with no article, in the order given, a chunk of ids a query (a small chunk here,
    so that several are needed) and no meta made."""
    from briefing.index import rows as rows_module

    monkeypatch.setattr(rows_module, "CHUNK", 4)
    known = [m.id for m in indexed.articles][:9]
    unknown = ["no/such.txt", "x'); DROP TABLE articles; --", "été/ß.txt", "a" * 300]
    asked = [known[0], unknown[0], *known[1:5], unknown[1], unknown[2], *known[5:], unknown[3], known[2]]
    cached = len(indexed.articles.cache._by_rowid)
    assert indexed.by_id.missing(asked) == unknown
    assert indexed.by_id.missing(iter(known)) == []
    assert indexed.by_id.missing([]) == []
    assert len(indexed.articles.cache._by_rowid) == cached


def test_loading_a_corpus_checks_the_annotated_ids_without_a_meta_each(indexed):
    """reconcile() on the index's lookup (the reader, once the corpus is loaded):
    nothing to follow, and no article read for it (100,000 annotated ids were as
    many queries and metas: a second on the reader's thread)."""
    ids = [m.id for m in indexed.articles]
    store, _report = open_store(indexed.root)
    store.add_tags(ids[:30], ["energy"])
    indexed.articles.cache.clear()
    report = store.reconcile(indexed.by_id)
    assert report.moved == () and report.orphans == ()
    assert len(indexed.articles.cache._by_rowid) == 0
    other, _report = open_store(indexed.root)  # (told of no article: takes any id)
    other.add_tags(["gone/away.txt"], ["kept"])
    store, _report = open_store(indexed.root)
    assert store.reconcile(indexed.by_id).orphans == ("gone/away.txt",)
