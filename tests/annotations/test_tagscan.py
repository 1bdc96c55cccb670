"""Tag counts of a large indexed annotation file come from its bytes (issue 20: `t` on
100,000 annotated articles must not parse and keep every entry), and are exactly the
counts the parsed entries give."""

from __future__ import annotations

import random
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.annotations import AnnotationStore, tagscan, verify, yamlio
from briefing.annotations.indexed import LAZY_MIN, FileIndex, LazyArticles, offsets, splice
from briefing.annotations.schema import AnnotationDoc, ArticleNotes, Note
from briefing.watchlists.run import read_ids
from tests.annotations.conftest import make_meta

N = LAZY_MIN + 50
ODD = ("no", "1e3", "on", "null", "~", "2023-11-06", "Ünïcode", "tag: colon", "#hash", 'quote"d', "back\\slash",
       "tab\tin", "- dash", "'single'", "ünï: \"both\\\"", "日本語", "a\u2028b")

tag_text = st.one_of(
    st.sampled_from(ODD),
    st.text(alphabet=string.ascii_letters + ":#'\"\\ -é日\t", min_size=1, max_size=8).filter(lambda t: t.strip(" \t\r\n")),
)


def make_doc(rng: random.Random, vocab: list[str]) -> AnnotationDoc:
    articles = {}
    for i in range(N):
        tags = tuple(rng.sample(vocab, rng.randint(1, min(3, len(vocab))))) if rng.random() < 0.4 else ()
        auto = tuple(rng.sample(vocab, 1)) if rng.random() < 0.1 else ()
        removed = tuple(rng.sample(vocab, 1)) if rng.random() < 0.05 else ()
        notes = (Note("    tags:\n      - \"not a tag\"", "2026-01-01T00:00:00Z"),) if i % 97 == 0 else ()
        articles[f"{i:05}.txt"] = ArticleNotes(fingerprint=f"sha256:{i:064x}", read=True, tags=tags, auto_tags=auto,
                                               removed_auto_tags=removed, notes=notes)
    return AnnotationDoc(articles)


def two_stores(corpus_dir, doc: AnnotationDoc) -> tuple[AnnotationStore, AnnotationStore]:
    """The first open parses the file whole (the parsed path); the second reads the
    index it kept (lazy: nothing parsed)."""
    (corpus_dir / "annotations.yaml").write_bytes(yamlio.dumps_bytes(doc))
    parsed = AnnotationStore.open(corpus_dir)
    lazy = AnnotationStore.open(corpus_dir)
    return parsed, lazy


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(vocab=st.lists(tag_text, min_size=1, max_size=12, unique=True), seed=st.integers(0, 2**16))
def test_tag_counts_from_the_bytes_equal_the_parsed_ones(corpus_dir, vocab, seed) -> None:
    rng = random.Random(seed)
    doc = make_doc(rng, vocab)
    parsed, lazy = two_stores(corpus_dir, doc)
    articles = lazy._doc.articles
    assert isinstance(articles, LazyArticles) and not articles.index._full
    # The corpus lists some annotated articles (with front-matter tags of their own),
    # some not annotated; others annotated are not in it.
    metas = [make_meta(f"{i:05}.txt", tags=tuple(rng.sample(vocab, 1)) if i % 5 == 0 else ())
             for i in range(0, N + 40, 3)]
    expected = parsed.tag_counts(metas)
    assert lazy.tag_counts(metas) == expected
    assert not articles.index._full, "the whole file was parsed"
    assert lazy.tag_counts([]) == parsed.tag_counts([])
    assert lazy.auto_tagged() == parsed.auto_tagged()
    assert lazy.auto_tagged(vocab[:1]) == parsed.auto_tagged(vocab[:1])
    assert read_ids(lazy) == read_ids(parsed)
    assert not articles.index._full, "the whole file was parsed"
    # With changes on top (not saved): the changed entries are read from them.
    for store in (parsed, lazy):
        store.add_tags(["00003.txt", "00004.txt"], [vocab[0], "fresh"])
        store.remove_tags("00006.txt", list(doc.get("00006.txt").tags))
    assert lazy.tag_counts(metas) == parsed.tag_counts(metas)
    assert lazy.auto_tagged() == parsed.auto_tagged()
    # Saved (spliced): the new index's tags come from the old one's and the changed entries.
    assert articles.index in tagscan._FOUND
    _, spliced = splice(articles.updated({"00003.txt": ArticleNotes(read=True, tags=(vocab[-1], "new")),
                                          "00005.txt": ArticleNotes(), "99999.txt": ArticleNotes(auto_tags=("a",))}))
    assert spliced is not None and articles.index.token in spliced.ancestors
    derived = tagscan.index_tags(spliced)
    assert spliced in tagscan._FOUND
    assert derived == tagscan.index_tags(FileIndex(spliced.data, spliced.starts, spliced.end))  # read whole


def test_an_unverified_or_broken_index_is_read_the_old_way(corpus_dir) -> None:
    doc = make_doc(random.Random(1), ["a", "b", "no"])
    parsed, lazy = two_stores(corpus_dir, doc)
    index = lazy._doc.articles.index  # type: ignore[attr-defined]
    assert tagscan.index_tags(index) is not None
    index.broken = True
    fresh = AnnotationStore.open(corpus_dir)
    fresh_index = fresh._doc.articles.index  # type: ignore[attr-defined]
    fresh_index.broken = True
    assert tagscan.index_tags(fresh_index) is None
    assert fresh.tag_counts([]) == parsed.tag_counts([])
    # A file never seen (a fresh clone): opened before its check, not read from the bytes.
    unverified = verify.unverified_index(yamlio.dumps_bytes(doc))
    assert unverified is not None and not unverified.verified
    assert tagscan.index_tags(unverified) is None
    unverified.verified = True
    assert tagscan.index_tags(unverified) == tagscan.index_tags(index.__class__(index.data, index.starts, index.end))


def test_a_list_item_written_another_way_parses_that_entry(corpus_dir) -> None:
    doc = make_doc(random.Random(2), ["x", "y"])
    parsed, lazy = two_stores(corpus_dir, doc)
    index = lazy._doc.articles.index  # type: ignore[attr-defined]
    # A plain (unquoted) scalar is what the loader reads too; the scan leaves it to it.
    n = next(k for k in range(len(index)) if b"\n    tags:\n      - \"x\"" in index.data[slice(*index.span(k))])
    start, stop = index.span(n)
    entry = index.data[start:stop].replace(b'      - "x"', b"      - x", 1)
    index.data = index.data[:start] + entry + index.data[stop:]
    index.end -= 2
    index.starts = offsets([*index.starts[: n + 1], *(s - 2 for s in index.starts[n + 1 :])])
    found = tagscan.index_tags(index)
    assert found is not None and found[index.key_at(n)][0] == doc.get(index.key_at(n)).tags
    assert not index._full
