"""The reader keeps a large annotation file's bytes in a map of a private copy, not in
its heap (issue 20, memory): the copy reads as the bytes did, equals them, is nobody
else's to change, and the store reads, saves, merges and reloads exactly as before."""

from __future__ import annotations

import hashlib
import os
import re
import threading

import pytest

from briefing.annotations import AnnotationStore, held, indexed, snapshot, yamlio
from briefing.annotations.schema import AnnotationDoc, ArticleNotes

N = indexed.LAZY_MIN + 30


@pytest.fixture
def small_snapshots(monkeypatch):
    """Snapshots of any size (the test files are far below the real threshold)."""
    monkeypatch.setattr(snapshot, "MIN_BYTES", 0)


def make_doc(n: int = N) -> AnnotationDoc:
    return AnnotationDoc({f"{i:05}.txt": ArticleNotes(fingerprint=f"sha256:{i:064x}", read=i % 3 == 0,
                                                      tags=(f"t{i % 7}",) if i % 2 else ("even",),
                                                      title=f"Title {i}" if i % 50 == 0 else None)
                          for i in range(n)})


def test_a_snapshot_reads_as_the_bytes_and_equals_them(tmp_path, small_snapshots):
    data = b"head\n" + b"".join(b"  line %d\n" % i for i in range(5000)) + b"tail\n"
    snap = snapshot.snapshot(data, tmp_path / "cache")
    assert isinstance(snap, snapshot.Snapshot)
    assert os.listdir(tmp_path / "cache") == []  # unlinked from the start: no other program can open it
    assert snap == data and data == snap and not (snap != data) and not (data != snap)
    assert snap != data[:-1] and data[:-1] != snap and snap != data[:-2] + b"x\n" and snap != "text"
    assert bytes(snap) == data and snapshot.plain(snap) == data and snapshot.plain(data) is data
    assert snap[5:20] == data[5:20] and snap[7] == data[7] and len(snap) == len(data)
    for part in (slice(None), slice(10, 5), slice(-30, None), slice(None, -7), slice(len(data) - 3, len(data) + 9),
                 slice(3, 40, 2), slice(None, None, -1)):
        assert snap[part] == data[part]  # (read from the copy, not through the map)
    assert snap.find(b"line 4999") == data.find(b"line 4999")
    assert snap.index(b"\n", 100) == data.index(b"\n", 100)
    with pytest.raises(ValueError):
        snap.index(b"absent")
    with pytest.raises(ValueError):
        snap.index(b"head", 1)
    assert snap.count(b"\n", 0, 200) == data.count(b"\n", 0, 200) and snap.count(b"line 1") == data.count(b"line 1")
    assert snap.startswith(b"head\n") and not snap.startswith(b"tail") and snap.endswith(b"tail\n") and snap.endswith(b"")
    assert [m.start() for m in re.finditer(rb"line 1\d\n", snap)] == [m.start() for m in re.finditer(rb"line 1\d\n", data)]
    assert hashlib.sha256(snap).digest() == hashlib.sha256(data).digest()
    assert bytes(memoryview(snap)[10:30]) == data[10:30]
    snap.release()  # the pages handed back are read again, unchanged
    assert snap == data and snap[-5:] == b"tail\n"
    with pytest.raises(TypeError):
        hash(snap)


def test_nothing_is_mapped_when_the_copy_cannot_be_written(tmp_path, small_snapshots):
    blocked = tmp_path / "file"
    blocked.write_text("a file where the folder would be")
    assert snapshot.snapshot(b"x" * 100, blocked) is None


def test_a_small_file_stays_bytes(tmp_path):
    assert snapshot.snapshot(b"x" * 1000, tmp_path) is None


def open_reader(corpus_dir) -> AnnotationStore:
    """A store opened as the reader opens it, on a file whose index is kept (the
    first open made it)."""
    AnnotationStore.open(corpus_dir, check_later=True).wait_checked(60)
    store = AnnotationStore.open(corpus_dir, check_later=True)
    assert not store.checking
    assert held.wait_moved()  # the bytes moved out on a thread of their own
    return store


def test_the_reader_keeps_the_bytes_of_a_large_file_in_a_snapshot_and_reads_the_same(corpus_dir, small_snapshots):
    doc = make_doc()
    (corpus_dir / "annotations.yaml").write_bytes(yamlio.dumps_bytes(doc))
    store = open_reader(corpus_dir)
    index = store.document.articles.index  # type: ignore[attr-defined]
    assert isinstance(index.data, snapshot.Snapshot) and store._base_data is index.data
    assert store.ids_with("read") == {i for i, a in doc.articles.items() if a.read}
    assert store.corrections("00050.txt") == ("Title 50", None)
    assert store.get("00003.txt") == doc.get("00003.txt") and store.get("00004.txt") == doc.get("00004.txt")
    tags = sorted({a.tags[0] for a in doc.articles.values()})
    assert store.tag_counts([]) == {t: sum(1 for a in doc.articles.values() if a.tags == (t,)) for t in tags}
    assert store.reload() == []  # the file as read: equal to the snapshot, nothing taken in
    plain = AnnotationStore.open(corpus_dir)  # the CLI: bytes, as before
    assert isinstance(plain._base_data, bytes)


def test_saves_from_a_snapshot_write_what_they_would_have_and_keep_the_next_in_one(corpus_dir, small_snapshots):
    doc = make_doc()
    path = corpus_dir / "annotations.yaml"
    path.write_bytes(yamlio.dumps_bytes(doc))
    store = open_reader(corpus_dir)
    store.add_tags("00010.txt", ["new"])
    store.set_flagged("00011.txt", True)
    expected = AnnotationDoc({**doc.articles, "00010.txt": store.get("00010.txt"), "00011.txt": store.get("00011.txt")})
    assert path.read_bytes() == yamlio.dumps_bytes(expected)
    assert held.wait_moved()
    index = store.document.articles.index  # type: ignore[attr-defined]
    assert isinstance(index.data, snapshot.Snapshot) and store._base_data is index.data
    assert index.data == path.read_bytes()
    store.add_tags("00012.txt", ["again"])  # spliced onto the snapshot of the file just written
    assert yamlio.load(path.read_bytes()).get("00012.txt").tags == ("again", "even")
    assert yamlio.load(path.read_bytes()).get("00010.txt").tags == ("even", "new")
    assert AnnotationStore.open(corpus_dir).document == store.document


def test_a_file_rewritten_in_place_under_the_reader_changes_nothing_it_holds_and_is_merged(corpus_dir, small_snapshots):
    """Another program truncates the file and writes another version into the same
    inode (no rename): the reader's copy is its own, so it reads the version it
    opened, and its next save merges the two (nothing lost)."""
    doc = make_doc()
    path = corpus_dir / "annotations.yaml"
    path.write_bytes(yamlio.dumps_bytes(doc))
    store = open_reader(corpus_dir)
    index = store.document.articles.index  # type: ignore[attr-defined]
    theirs = AnnotationDoc({**doc.articles, "00020.txt": ArticleNotes(tags=("theirs",), read=True)})
    with open(path, "r+b") as f:  # in place: the same inode, cut short first
        f.truncate(0)
        f.write(yamlio.dumps_bytes(theirs))
    assert store.get("00021.txt") == doc.get("00021.txt")  # read from the snapshot, unchanged
    assert index.data == yamlio.dumps_bytes(doc)
    store.add_tags("00022.txt", ["ours"])
    on_disk = yamlio.load(path.read_bytes())
    assert on_disk.get("00020.txt").tags == ("theirs",) and "ours" in on_disk.get("00022.txt").tags


def test_a_file_never_seen_is_read_from_its_bytes_until_checked_then_from_a_snapshot(corpus_dir, small_snapshots):
    doc = make_doc()
    (corpus_dir / "annotations.yaml").write_bytes(yamlio.dumps_bytes(doc))
    store = AnnotationStore.open(corpus_dir, check_later=True)
    assert store.checking and isinstance(store._base_data, bytes)  # the check reads these
    assert store.wait_checked(60) == [] and not store.checking
    assert held.wait_moved()
    index = store.document.articles.index  # type: ignore[attr-defined]
    assert isinstance(store._base_data, snapshot.Snapshot) and index.data is store._base_data
    assert store.get("00007.txt") == doc.get("00007.txt") and "00009.txt" in store.ids_with("read")
    store.add_tags("00008.txt", ["checked"])
    assert AnnotationStore.open(corpus_dir).get("00008.txt").tags == ("checked", "even")


def test_no_snapshot_off_a_local_disk(tmp_path, monkeypatch):
    """A folder on a network file system (as /proc/self/mountinfo says) keeps the
    bytes: a handle gone stale there would fault the map."""
    data = b"x" * (snapshot.MIN_BYTES + 10)
    assert isinstance(snapshot.snapshot(data, tmp_path), snapshot.Snapshot) == snapshot.on_local_disk(tmp_path)
    monkeypatch.setattr(snapshot, "LOCAL_FILE_SYSTEMS", frozenset())
    assert not snapshot.on_local_disk(tmp_path)
    assert snapshot.snapshot(data, tmp_path) is None


def test_a_snapshot_made_late_is_dropped_when_a_save_replaced_the_bytes(corpus_dir, small_snapshots, monkeypatch):
    """The snapshot is made on a thread of its own: one that finishes after a save
    wrote newer bytes is not put in their place."""
    doc = make_doc()
    (corpus_dir / "annotations.yaml").write_bytes(yamlio.dumps_bytes(doc))
    AnnotationStore.open(corpus_dir, check_later=True).wait_checked(60)
    assert held.wait_moved()
    original = snapshot.snapshot
    gate, started = threading.Event(), threading.Event()

    def slow(data, folder=None):
        started.set()
        assert gate.wait(30)
        return original(data, folder)

    monkeypatch.setattr(snapshot, "snapshot", slow)
    store = AnnotationStore.open(corpus_dir, check_later=True)
    assert started.wait(30)
    first = store._base_data
    monkeypatch.setattr(snapshot, "snapshot", lambda data, folder=None: None)  # the save's own: none
    store.add_tags("00010.txt", ["late"])
    assert store._base_data is not first
    gate.set()
    assert held.wait_moved()
    assert isinstance(store._base_data, bytes)  # the late snapshot of the old bytes was dropped
    assert "late" in store.get("00010.txt").tags
    assert "late" in AnnotationStore.open(corpus_dir).get("00010.txt").tags


def test_a_mover_quicker_than_the_open_still_moves_the_bytes(corpus_dir, small_snapshots, monkeypatch):
    """The bytes are moved out on a thread of their own, started while the store is
    being opened: a mover that runs before the open has kept the bytes must wait for
    it, not find the store holding other bytes and give up (the heap kept 34 MB)."""
    doc = make_doc()
    (corpus_dir / "annotations.yaml").write_bytes(yamlio.dumps_bytes(doc))
    AnnotationStore.open(corpus_dir, check_later=True).wait_checked(60)  # the file's index kept
    assert held.wait_moved()

    class EagerThread(threading.Thread):
        def start(self) -> None:  # the mover gets ahead of the thread that opens the store
            super().start()
            self.join(2.0)

    monkeypatch.setattr(held.threading, "Thread", EagerThread)
    store = AnnotationStore.open(corpus_dir, check_later=True)
    assert held.wait_moved()
    index = store.document.articles.index  # type: ignore[attr-defined]
    assert isinstance(index.data, snapshot.Snapshot) and store._base_data is index.data
