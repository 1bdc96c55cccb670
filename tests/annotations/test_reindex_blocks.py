"""Issue 20: the kept offsets and block digests make a reindex faster, never different;
a save carries the block digests it can and they are those of the bytes written."""

from __future__ import annotations

import dataclasses
import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.annotations import AnnotationStore, blocks, indexed, kept, yamlio
from briefing.annotations.reindex import reindex
from briefing.annotations.schema import AnnotationDoc, ArticleNotes

_N = 2100


@pytest.fixture(scope="module")
def base() -> tuple[AnnotationDoc, kept.KeptIndex]:
    doc = AnnotationDoc({f"{i:05}.txt": ArticleNotes(tags=(f"t{i % 9}",), read=i % 2 == 0) for i in range(_N)})
    data = yamlio.dumps_bytes(doc)
    index = indexed.build_index(data, doc, canonical=True)
    assert index is not None
    raw = kept.index_bytes(index, (1, 2, 3, 4))
    found = kept.KeptIndex.read(raw)
    assert found is not None and found.index_of((1, 2, 3, 4), data) is not None
    return doc, found


def _ids(n: int) -> st.SearchStrategy[str]:
    return st.one_of(st.integers(0, n + 5).map(lambda i: f"{i:05}.txt"), st.just("!first.txt"))


_VALUES = st.one_of(st.just(ArticleNotes()), st.builds(lambda t: ArticleNotes(tags=(t,)), st.sampled_from(["a", "b c"])))


def _same(a: indexed.FileIndex | None, b: indexed.FileIndex | None) -> None:
    assert (a is None) == (b is None)
    if a is None or b is None:
        return
    assert a.starts == b.starts and a.end == b.end and a.digests() == b.digests()
    assert list(indexed.lazy_doc(a).articles) == list(indexed.lazy_doc(b).articles)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(_ids(_N), _VALUES), max_size=40), st.integers(0, 200))
def test_the_kept_offsets_and_blocks_give_what_the_digests_alone_give(base, changes, removed_run):
    doc, found = base
    edits = dict(changes)
    first = 700  # a long run removed: the walk loses its place and finds it again
    edits.update({f"{i:05}.txt": ArticleNotes() for i in range(first, first + removed_run)})
    data = yamlio.dumps_bytes(doc.updated(edits))
    fast = reindex(data, found.digests, found)
    _same(fast, reindex(data, found.digests))
    if fast is not None:
        assert fast.digests() == indexed.entry_digests(data, fast.starts, fast.end)
        if fast._blocks is not None:  # the blocks found again: their digests are those of these bytes
            assert fast._blocks == blocks.block_digests(indexed.FileIndex(data, fast.starts, fast.end))


def test_wrong_block_digests_cost_speed_not_correctness(base):
    doc, found = base
    data = yamlio.dumps_bytes(doc.updated({"00100.txt": ArticleNotes(tags=("changed",))}))
    damaged = dataclasses.replace(found, blocks=bytes(len(found.blocks)))  # no block matches
    shifted = dataclasses.replace(found, starts=[s + 1 for s in found.starts])  # the last entry's length off by one
    expected = reindex(data, found.digests)
    assert expected is not None and expected._blocks is None
    fast = reindex(data, found.digests, found)
    assert fast is not None and fast._blocks is not None  # found by blocks
    assert fast._blocks == blocks.block_digests(indexed.FileIndex(data, fast.starts, fast.end))
    _same(fast, expected)
    _same(reindex(data, found.digests, damaged), expected)
    _same(reindex(data, found.digests, shifted), expected)


def test_an_entry_of_the_same_length_with_other_bytes_is_parsed(base):
    """Where the kept lengths fit, the digest still decides: an entry rewritten in as
    many bytes is parsed (here: a tag made a list, which the schema refuses)."""
    doc, found = base
    data = yamlio.dumps_bytes(doc)
    at = data.index(b'"00100.txt":')
    at = data.index(b'- "t1"', at)
    broken = data[:at] + b"- [t1]" + data[at + 6 :]
    assert len(broken) == len(data)
    assert reindex(broken, found.digests, found) is None
    same_length = data[:at] + b'- "t9"' + data[at + 6 :]
    index = reindex(same_length, found.digests, found)
    assert index is not None and index._parsed["00100.txt"].tags == ("t9",)


def test_a_save_carries_the_block_digests_of_the_bytes_it_writes(corpus_dir):
    doc = AnnotationDoc({f"{i:05}.txt": ArticleNotes(tags=(f"t{i % 9}",)) for i in range(_N)})
    path = corpus_dir / "annotations.yaml"
    path.write_bytes(yamlio.dumps_bytes(doc))
    AnnotationStore.open(corpus_dir)  # parsed whole; the index (with its blocks) kept
    store = AnnotationStore.open(corpus_dir)  # from the kept index
    articles = store.document.articles
    assert articles.index._blocks is not None  # type: ignore[attr-defined]
    for changes in (
        {"00000.txt": ArticleNotes(), "00050.txt": ArticleNotes(tags=("x",)), "00051b.txt": ArticleNotes(read=True),
         f"{_N - 1:05}.txt": ArticleNotes(tags=("last",)), "zz.txt": ArticleNotes(read=True)},
        {"!first.txt": ArticleNotes(read=True), f"{_N - 1:05}.txt": ArticleNotes()},  # the first entry moves on
    ):
        data, fresh = indexed.splice(articles.updated(changes))  # type: ignore[attr-defined]
        assert data == yamlio.dumps_bytes(doc.updated(changes))
        assert fresh is not None and fresh._blocks is not None, "the unchanged blocks were not carried"
        assert fresh._blocks == blocks.block_digests(indexed.FileIndex(data, fresh.starts, fresh.end))
    store.add_tags("01500.txt", ["y"])  # and through a save, kept
    index = store.document.articles.index  # type: ignore[attr-defined]
    assert index.data == path.read_bytes()
    assert index._blocks == blocks.block_digests(indexed.FileIndex(index.data, index.starts, index.end))


def test_the_content_hash_computed_ahead_is_the_sha256():
    data = b"x" * (3 << 20)
    kept.hash_ahead(data)
    assert kept.content_hash(data) == hashlib.sha256(data).hexdigest()
    other = b"y" * 100
    assert kept.content_hash(other) == hashlib.sha256(other).hexdigest()


def test_entry_digests_are_each_entrys_sha256_prefix_in_order():
    data = b"head\nfirst entry\nsecond, longer entry\nthird\ntail"
    starts = [5, 17, 38]
    end = 44
    expected = b"".join(hashlib.sha256(data[a:b]).digest()[: indexed.DIGEST]
                        for a, b in ((5, 17), (17, 38), (38, 44)))
    assert indexed.entry_digests(data, starts, end) == expected
    assert len(expected) == 3 * indexed.DIGEST
