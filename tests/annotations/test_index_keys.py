"""The compact structures of a large file's index (issue 20, memory): offsets in an
``array("q")``, the keys decoded kept in a list by position, the lookups once every
key is known, and the tag lists found in the bytes shared when equal."""

from __future__ import annotations

import re
from array import array

from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.annotations import indexed, querynotes, yamlio
from briefing.annotations.schema import AnnotationDoc, ArticleNotes

BASE_IDS = [f"{i:03}.txt" for i in range(0, 60, 3)]
ABSENT = ["", "!", "000", "001.txt", "030.txt~", "zzz", "\uffff"]


def small_index(ids: list[str] = BASE_IDS) -> tuple[AnnotationDoc, indexed.FileIndex]:
    """An index of a small canonical file (below LAZY_MIN: built by hand, as a large
    file's would be)."""
    doc = AnnotationDoc({i: ArticleNotes(tags=(f"t{n}",), read=n % 2 == 0) for n, i in enumerate(ids)})
    data = yamlio.dumps_bytes(doc)
    starts = [m.start() for m in re.finditer(rb"^  (?=[^ :\n])", data, re.MULTILINE)]
    return doc, indexed.FileIndex(data, starts, len(data) - len(indexed._VERSION_TAIL))


def test_offsets_are_held_in_an_array_whatever_they_are_given_as():
    _doc, index = small_index()
    assert isinstance(index.starts, array) and index.starts.typecode == "q"
    assert indexed.offsets(index.starts) is index.starts  # (not copied)
    again = indexed.FileIndex(index.data, list(index.starts), index.end)
    assert again.starts == index.starts and [again.key_at(n) for n in range(len(again))] == BASE_IDS


def test_all_keys_are_kept_in_order_and_lookups_agree_with_the_walk():
    _doc, index = small_index()
    walked = indexed.FileIndex(index.data, index.starts, index.end)  # never asked for every key
    walked.key_at(4)
    assert walked._keys[4] == BASE_IDS[4] and walked._keys.count(None) == len(BASE_IDS) - 1
    assert index.all_keys() == BASE_IDS and index._all_keys
    for article_id in BASE_IDS + ABSENT:
        assert index.position(article_id) == walked.position(article_id)
        assert index.bisect(article_id) == walked.bisect(article_id)
        for lo in (0, 5, len(BASE_IDS)):
            assert index.bisect(article_id, lo) == walked.bisect(article_id, lo)
    assert index.ids() == BASE_IDS and index.ids() is not index._keys  # a copy: callers may change it


def test_every_key_is_kept_when_another_thread_started_a_list_of_its_own(monkeypatch):
    """Two first lookups at once (a worker and the UI thread) can each start the
    list of decoded keys; the one every lookup then searches is complete."""
    _doc, index = small_index()
    real = indexed.FileIndex.key_at
    raced = []

    def key_at(self, n):
        if n == 10 and not raced:  # meanwhile another thread's first lookup starts a list of its own
            raced.append(n)
            self._keys = [None] * len(self.starts)
            self._keys[7] = BASE_IDS[7]
        return real(self, n)

    monkeypatch.setattr(indexed.FileIndex, "key_at", key_at)
    assert index.all_keys() == BASE_IDS and None not in index._keys
    for n, article_id in enumerate(BASE_IDS):
        assert index.position(article_id) == n and index.entry(article_id) is not None
    assert index.position("030.txt~") is None


def test_keys_out_of_order_are_not_taken_for_a_sorted_list():
    doc, index = small_index()
    swapped = indexed.FileIndex(index.data, [index.starts[1], index.starts[0], *index.starts[2:]], index.end)
    assert swapped.all_keys() is None and not swapped._all_keys
    assert swapped.ids() == BASE_IDS and swapped.broken  # parsed whole, as before
    assert querynotes.query_view(indexed.lazy_doc(swapped).articles) is not None


@settings(max_examples=120, deadline=None)
@given(
    decoded=st.sampled_from(["none", "some", "all"]),
    changes=st.lists(st.tuples(st.sampled_from(BASE_IDS + ["new-a.txt", "000.txt", "zz.txt", "031.txt"]),
                               st.booleans()), max_size=8),
)
def test_a_splice_keeps_each_known_key_at_its_new_place(decoded, changes):
    _doc, index = small_index()
    if decoded == "all":
        index.all_keys()
    elif decoded == "some":
        for n in range(0, len(index), 4):
            index.key_at(n)
    lazy = indexed.lazy_doc(index).articles
    assert isinstance(lazy, indexed.LazyArticles)
    for article_id, keep in changes:
        lazy = lazy.updated({article_id: ArticleNotes(tags=("x",)) if keep else ArticleNotes()})
    data, fresh = indexed.splice(lazy)
    if fresh is None:  # nothing left
        return
    truth = sorted(yamlio.load(data).articles)
    assert len(fresh._keys) in (0, len(fresh))
    for n, key in enumerate(fresh._keys):
        assert key is None or key == truth[n]
    assert fresh._all_keys == (decoded == "all")  # (the same index when nothing changed)
    for article_id in truth + ABSENT:  # whichever way it is looked up
        expected = truth.index(article_id) if article_id in truth else None
        assert fresh.position(article_id) == expected
    assert fresh.ids() == truth


def test_equal_tag_lists_found_in_the_bytes_are_one_tuple():
    from briefing.annotations import tagscan

    ids = [f"{i:03}.txt" for i in range(12)]
    doc = AnnotationDoc({i: ArticleNotes(tags=("b", "a") if n % 3 else ("c",), auto_tags=("w",) if n % 2 else ())
                         for n, i in enumerate(ids)})
    data = yamlio.dumps_bytes(doc)
    starts = [m.start() for m in re.finditer(rb"^  (?=[^ :\n])", data, re.MULTILINE)]
    found = tagscan.index_tags(indexed.FileIndex(data, starts, len(data) - len(indexed._VERSION_TAIL)))
    assert found == {i: (doc.get(i).tags, doc.get(i).auto_tags) for i in ids}
    assert found["001.txt"] is found["005.txt"] and found["001.txt"] is not found["002.txt"]
    assert found["001.txt"][0] is found["002.txt"][0]  # ("a", "b") once, whatever goes with it


TAGS = st.lists(st.sampled_from(["a", "b", "c", "no", "x y"]), max_size=3, unique=True).map(tuple)


@settings(max_examples=80, deadline=None)
@given(entries=st.lists(st.tuples(TAGS, TAGS, st.booleans(), st.booleans()), min_size=1, max_size=14),
       odd=st.sets(st.integers(0, 13)))
def test_tags_and_marks_read_in_one_pass_equal_the_parsed_entries(entries, odd):
    """The tag lists are read entry after entry (each finished when the next one's
    first list is met, the last one at the end); an entry whose list is written
    another way is parsed, wherever it is; the marks read from their lines agree."""
    from briefing.annotations import tagscan

    ids = [f"{n:03}.txt" for n in range(len(entries))]
    doc = AnnotationDoc({i: ArticleNotes(tags=tags, auto_tags=auto, read=read, flagged=flagged, title=f"T {i}")
                         for i, (tags, auto, read, flagged) in zip(ids, entries, strict=True)})
    data = yamlio.dumps_bytes(doc)
    for n in sorted(odd, reverse=True):  # a plain scalar in one of its lists: the loader reads the same
        if n < len(ids) and (entries[n][0] or entries[n][1]):
            start = data.index(f'  "{ids[n]}":'.encode())
            stop = data.find(b'\n  "', start + 1)
            stop = len(data) if stop < 0 else stop
            item = data.index(b'      - "', start, stop)
            closing = data.index(b'"\n', item + 9)
            if b" " not in data[item + 9 : closing]:
                data = data[:item] + b"      - " + data[item + 9 : closing] + data[closing + 1 :]
    parsed = yamlio.load(data)
    assert parsed == doc
    starts = [m.start() for m in re.finditer(rb"^  (?=[^ :\n])", data, re.MULTILINE)]
    index = indexed.FileIndex(data, starts, len(data) - len(indexed._VERSION_TAIL))
    found = tagscan.index_tags(index)
    assert found == {i: (a.tags, a.auto_tags) for i, a in doc.articles.items() if a.tags or a.auto_tags}
    for mark in ("read", "flagged"):
        assert index.ids_with(mark) == {i for i, a in doc.articles.items() if getattr(a, mark)}


def test_a_searchs_view_knows_each_id_from_the_sorted_keys_before_and_after_a_save():
    _doc, index = small_index()
    lazy = indexed.lazy_doc(index).articles
    assert isinstance(lazy, indexed.LazyArticles)
    view = querynotes.query_view(lazy)
    assert isinstance(view, querynotes.QueryView) and isinstance(view.scan.ids, querynotes.SortedIds)
    assert view.scan.ids.keys is index.all_keys()  # the index's own list, no set beside it
    for article_id in BASE_IDS:
        assert article_id in view and view[article_id].read == (BASE_IDS.index(article_id) % 2 == 0)
    for article_id in [*ABSENT, 3, None]:
        assert article_id not in view
    # a save: one entry removed, one added; the next scan is derived from this one
    saved = lazy.updated({BASE_IDS[4]: ArticleNotes(), "031.txt": ArticleNotes(tags=("t",), read=True)})
    data, fresh = indexed.splice(saved)
    assert fresh is not None
    after = querynotes.query_view(indexed.lazy_doc(fresh).articles)
    assert isinstance(after, querynotes.QueryView)
    truth = sorted(yamlio.load(data).articles)
    assert list(after.scan.ids) == truth and len(after.scan.ids) == len(truth)
    assert BASE_IDS[4] not in after and "031.txt" in after and after["031.txt"].read
    for article_id in ABSENT:
        assert article_id not in after
