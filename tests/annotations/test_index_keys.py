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
