"""Issue 22 item 17: a large annotation file is not parsed whole by every command.

Operation counts, not wall time: how much YAML text the parser is given. The figure
for 100,000 entries is measured by bench/annotations_speed.py."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.annotations import AnnotationStore, fastcheck, yamlio
from briefing.annotations.location import backup_dir
from briefing.annotations.schema import AnnotationDoc, ArticleNotes, Note

N = 3000  # above the size from which files are indexed (indexed.LAZY_MIN)


def big_doc(n: int = N) -> AnnotationDoc:
    return AnnotationDoc(
        {
            f"{i:06}.txt": ArticleNotes(
                fingerprint=f"sha256:{i:064x}",
                read=True,
                tags=("energy", f"t{i % 50}"),
                notes=(Note(f"note {i}\nsecond line", "2026-01-01T00:00:00Z"),),
            )
            for i in range(n)
        }
    )


@pytest.fixture
def big(corpus_dir):
    doc = big_doc()
    (corpus_dir / "annotations.yaml").write_bytes(yamlio.dumps_bytes(doc))
    return corpus_dir, doc



def test_a_second_command_on_an_unchanged_large_file_does_not_parse_it_whole(big, parsed, monkeypatch):
    corpus, doc = big
    size = (corpus / "annotations.yaml").stat().st_size
    recognised: list[int] = []
    real = fastcheck.canonical_index
    monkeypatch.setattr(fastcheck, "canonical_index", lambda data, *a: recognised.append(len(data)) or real(data, *a))
    AnnotationStore.open(corpus)  # the first open recognises what the writer made and keeps the index
    assert recognised == [size] and max(parsed, default=0) < 5000
    parsed.clear()
    recognised.clear()
    store = AnnotationStore.open(corpus)  # what `briefing tag` does next: the kept index
    assert not recognised
    assert store.get("000007.txt") == doc.get("000007.txt")
    store.add_tags("000007.txt", ["new"])
    store.add_note("002999.txt", "end")
    store.add_tags("zzz-new.txt", ["added"])
    assert parsed and max(parsed) < 5000, "the whole file was parsed again"
    # What was written is exactly what a full dump gives, and reads back whole.
    expected = doc.updated(
        {
            "000007.txt": ArticleNotes(**{**_fields(doc.get("000007.txt")), "tags": ("energy", "new", "t7")}),
        }
    )
    on_disk = yamlio.load((corpus / "annotations.yaml").read_bytes())
    assert on_disk.get("000007.txt") == expected.get("000007.txt")
    assert [n.text for n in on_disk.get("002999.txt").notes] == ["note 2999\nsecond line", "end"]
    assert on_disk.get("zzz-new.txt").tags == ("added",)
    assert len(on_disk.articles) == N + 1
    assert (corpus / "annotations.yaml").read_bytes() == yamlio.dump(on_disk).encode()
    # the next process again parses only what it touches
    parsed.clear()
    assert AnnotationStore.open(corpus).get("zzz-new.txt").tags == ("added",)
    assert max(parsed) < 5000


def _fields(a: ArticleNotes) -> dict:
    return {name: getattr(a, name) for name in ArticleNotes.__slots__}


def test_a_stale_or_broken_cache_is_never_trusted(big):
    corpus, doc = big
    AnnotationStore.open(corpus).add_tags("000001.txt", ["x"])
    cache = corpus.parent / "_cache" / "annotations"
    (entry,) = list(cache.iterdir())
    # The file changed behind briefing's back (same size, new content): a new identity.
    path = corpus / "annotations.yaml"
    data = path.read_bytes().replace(b'"t1"', b'"T1"', 1)
    path.write_bytes(data)
    assert AnnotationStore.open(corpus).get("000001.txt").tags == ("energy", "T1", "x")
    entry.write_text("{not json")
    assert AnnotationStore.open(corpus).get("000002.txt") == doc.get("000002.txt")


def test_changes_from_two_stores_on_a_large_file_merge(big):
    corpus, _ = big
    one, two = AnnotationStore.open(corpus), AnnotationStore.open(corpus)
    one.add_tags("000010.txt", ["from-one"])
    two.add_tags("000010.txt", ["from-two"])
    two.set_flagged("000020.txt", True)
    one.add_tags("000020.txt", ["also"])
    back = AnnotationStore.open(corpus)
    assert {"from-one", "from-two"} <= set(back.get("000010.txt").tags)
    assert back.get("000020.txt").flagged and "also" in back.get("000020.txt").tags
    assert len(yamlio.load((corpus / "annotations.yaml").read_bytes()).articles) == N


def test_the_backup_of_a_large_file_is_the_previous_version(big):
    corpus, _ = big
    before = (corpus / "annotations.yaml").read_bytes()
    store = AnnotationStore.open(corpus)
    store.add_tags("000003.txt", ["x"])
    bak = backup_dir(corpus.resolve()) / "annotations.yaml.bak"  # the user's state folder (issue 21), not the corpus
    assert bak.read_bytes() == before and not (corpus / "annotations.yaml.bak").exists()
    after_first = (corpus / "annotations.yaml").read_bytes()
    store.remove_tags("000003.txt", ["x"])
    assert bak.read_bytes() == after_first
    assert (corpus / "annotations.yaml").read_bytes() == before
    assert os.stat(bak).st_ino != os.stat(corpus / "annotations.yaml").st_ino


_IDS = st.sampled_from([f"{i:03}.txt" for i in range(0, 40, 3)] + ["new-a.txt", "zz.txt", "000.txt", "a\\xe9.txt"])
_VALUES = st.one_of(
    st.just(ArticleNotes()),  # removes the entry
    st.builds(lambda t, s: ArticleNotes(tags=t, read=s != "unread", flagged=s == "flagged"),
              st.lists(st.sampled_from(["a", "b", "no", "x y"]), max_size=3).map(tuple),
              st.sampled_from(["unread", "read", "flagged"])),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_IDS, _VALUES), max_size=8))
def test_splicing_gives_exactly_the_full_dump(changes):
    from briefing.annotations import indexed

    base = AnnotationDoc({f"{i:03}.txt": ArticleNotes(tags=(f"t{i}",)) for i in range(0, 40, 3)})
    data = yamlio.dumps_bytes(base)
    index = indexed.build_index(data, base, canonical=True) if len(base.articles) >= indexed.LAZY_MIN else None
    if index is None:  # build one at this small size for the test
        import re

        starts = [m.start() for m in re.finditer(rb"^  (?=[^ :\n])", data, re.MULTILINE)]
        index = indexed.FileIndex(data, starts, len(data) - len(b"version: 1\n"))
    lazy = indexed.lazy_doc(index)
    plain = base
    for article_id, value in changes:
        lazy = lazy.updated({article_id: value})
        plain = plain.updated({article_id: value})
    spliced, fresh = indexed.splice(lazy.articles)
    assert spliced == yamlio.dumps_bytes(plain)
    assert lazy == plain and yamlio.load(spliced) == plain
    if fresh is not None:  # the new index fits the new bytes: parse entry by entry
        assert fresh.data == spliced
        again = indexed.lazy_doc(indexed.FileIndex(fresh.data, fresh.starts, fresh.end))
        assert [again.articles.index.key_at(n) for n in range(len(fresh))] == sorted(plain.articles)
        for article_id in plain.articles:
            assert again.get(article_id) == plain.get(article_id)


def test_offsets_that_do_not_fit_the_bytes_fall_back_to_a_whole_parse(big):
    """A cache entry that passed its checks but does not fit (it cannot be told from
    the file's identity alone): reads and saves still come out right."""
    from briefing.annotations import indexed

    corpus, doc = big
    data = (corpus / "annotations.yaml").read_bytes()
    good = indexed.build_index(data, doc)
    assert good is not None
    wrong = indexed.FileIndex(data, good.starts[:10] + good.starts[11:], good.end)  # entry 9 swallows 10
    lazy = indexed.lazy_doc(wrong)
    assert lazy.get("000009.txt") == doc.get("000009.txt")
    assert lazy.get("000010.txt") == doc.get("000010.txt") and wrong.broken
    changed = lazy.updated({"000010.txt": ArticleNotes(tags=("fixed",))})
    spliced, fresh = indexed.splice(changed.articles)
    expected = doc.updated({"000010.txt": ArticleNotes(tags=("fixed",))})
    assert spliced == yamlio.dumps_bytes(expected) and fresh is not None and not fresh.broken


def test_a_damaged_cache_file_is_ignored(big):
    corpus, doc = big
    AnnotationStore.open(corpus)
    (entry,) = list((corpus.parent / "_cache" / "annotations").iterdir())
    from briefing.annotations import kept

    path = corpus / "annotations.yaml"
    st = path.stat()
    key, data = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns), path.read_bytes()
    raw = bytearray(entry.read_bytes())
    assert kept.index_from_bytes(bytes(raw), key, data) is not None  # as written
    raw[-3] ^= 0xFF  # an offset changed: the checksum no longer matches
    entry.write_bytes(bytes(raw))
    assert kept.index_from_bytes(bytes(raw), key, data) is None
    store = AnnotationStore.open(corpus)
    assert store.get("002998.txt") == doc.get("002998.txt")


def test_other_bytes_under_the_same_size_and_modification_time_are_parsed_afresh(big, parsed):
    """An editor or `git checkout` can leave a file with the same inode, size and
    modification time on other bytes: the cached index is keyed by the content's hash
    too, so the change is seen: the entry whose bytes differ from every kept entry's
    digest is parsed again (alone; see test_reindex.py for the whole parse)."""
    corpus, doc = big
    path = corpus / "annotations.yaml"
    AnnotationStore.open(corpus)  # keeps the index in the cache
    before = os.stat(path)
    data = path.read_bytes()
    # Same length: entry 5's tag t5 becomes t6, which shifts nothing.
    changed = data.replace(b'"t5"', b'"t6"', 1)
    assert changed != data and len(changed) == len(data)
    with open(path, "r+b") as f:  # in place: the same inode
        f.write(changed)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = os.stat(path)
    assert (after.st_ino, after.st_size, after.st_mtime_ns) == (before.st_ino, before.st_size, before.st_mtime_ns)
    parsed.clear()
    store = AnnotationStore.open(corpus)
    assert len(parsed) == 1 and parsed[0] < 5000, "not just the changed entry was parsed"
    assert store.get("000005.txt").tags == ("energy", "t6")
    assert store.get("000006.txt") == doc.get("000006.txt")


def test_a_long_session_asks_for_entries_one_by_one_without_parsing_the_file_whole(corpus_dir, parsed):
    # (It used to parse the whole file after 5,000 entries asked for: a stall of
    # seconds and about 400 MB at 100,000 entries, for a long reading session.)
    doc = big_doc(5200)
    (corpus_dir / "annotations.yaml").write_bytes(yamlio.dumps_bytes(doc))
    AnnotationStore.open(corpus_dir)
    parsed.clear()
    store = AnnotationStore.open(corpus_dir)
    for article_id in sorted(doc.articles):
        assert store.get(article_id) == doc.get(article_id)
    assert len(parsed) == 5200 and max(parsed) < 5000  # each entry alone, once
    assert store.get("000007.txt") == doc.get("000007.txt") and len(parsed) == 5200  # kept
