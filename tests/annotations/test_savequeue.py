"""Saves in a background thread (SaveQueue): a lock held by another process never
blocks the caller, the pending change is reported, retried and never lost.

The lock is held by a real second process (``flock`` on the store's lock file), the
situation that froze the reader for 15 s per save."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest
import yaml

from briefing.annotations import AnnotationStore
from briefing.annotations.savequeue import FAILED, SAVED, WAITING, SaveQueue

from .conftest import make_meta

HOLD_LOCK = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o666)
fcntl.flock(fd, fcntl.LOCK_EX)
print("locked", flush=True)
sys.stdin.readline()          # hold until the test says so
fcntl.flock(fd, fcntl.LOCK_UN)
print("released", flush=True)
"""


class LockHolder:
    """Another process holding the store's lock until :meth:`release`."""

    def __init__(self, lock_path) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(lock_path)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout.readline().strip() == "locked"

    def release(self) -> None:
        self.proc.stdin.write("go\n")
        self.proc.stdin.flush()
        assert self.proc.stdout.readline().strip() == "released"
        self.proc.wait(timeout=10)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)


class Statuses:
    def __init__(self) -> None:
        self.seen: list = []
        self.changed = threading.Condition()

    def __call__(self, status) -> None:
        with self.changed:
            self.seen.append(status)
            self.changed.notify_all()

    def wait_for(self, state: str, timeout: float = 10.0):
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                found = [s for s in self.seen if s.state == state]
                if found:
                    return found[-1]
                remaining = deadline - time.monotonic()
                assert remaining > 0, f"no {state!r} status; saw {[s.state for s in self.seen]}"
                self.changed.wait(remaining)


def on_disk(corpus) -> dict:
    path = corpus / "annotations.yaml"
    if not path.exists():
        return {}
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("articles") or {}


@pytest.fixture
def setup(corpus_dir):
    metas = [make_meta(f"a{i}.txt", root=corpus_dir) for i in range(3)]
    store = AnnotationStore.open(corpus_dir, metas)
    statuses = Statuses()
    queue = SaveQueue(store, on_status=statuses)
    holders: list[LockHolder] = []
    yield corpus_dir, store, queue, statuses, holders
    for holder in holders:
        holder.kill()
    queue.close(timeout=5)


def test_a_change_returns_at_once_while_another_process_holds_the_lock(setup):
    corpus, store, queue, statuses, holders = setup
    holder = LockHolder(store.lock_path)
    holders.append(holder)
    change = store.add_tags("a0.txt", ["kyiv"])  # would wait 15 s for the lock, then fail
    # Still held by the other process (it only lets go when told): the call did not wait.
    assert holder.proc.poll() is None
    assert change.after["a0.txt"].tags == ("kyiv",) and store.get("a0.txt").tags == ("kyiv",)
    waiting = statuses.wait_for(WAITING)
    assert "lock" in waiting.reason and "retrying" in waiting.message()
    assert queue.pending and on_disk(corpus) == {}
    assert queue.flush(timeout=0.2) is False  # cannot land while the lock is held
    holder.release()
    assert queue.flush(timeout=10)
    assert on_disk(corpus)["a0.txt"]["tags"] == ["kyiv"]
    assert statuses.wait_for(SAVED) and not queue.pending


def test_changes_made_while_waiting_are_coalesced_and_none_is_lost(setup):
    corpus, store, queue, statuses, holders = setup
    holder = LockHolder(store.lock_path)
    holders.append(holder)
    store.add_tags(["a0.txt", "a1.txt"], ["energy"])
    store.add_note("a1.txt", "check the figures")
    store.toggle_flag("a2.txt")
    store.mark_read_later("a0.txt")
    store.flush_reads()
    statuses.wait_for(WAITING)
    store.remove_tags("a1.txt", ["energy"])
    holder.release()
    assert queue.flush(timeout=10)
    saved = on_disk(corpus)
    assert saved["a0.txt"]["tags"] == ["energy"] and saved["a0.txt"]["read"] is True
    assert "tags" not in saved["a1.txt"] and saved["a1.txt"]["notes"][0]["text"] == "check the figures"
    assert saved["a2.txt"]["flagged"] is True and "read" not in saved["a2.txt"]
    assert not store.unsaved_reads
    assert store.undo() is not None and queue.flush(timeout=10)  # undo goes through the queue too
    assert on_disk(corpus)["a1.txt"]["tags"] == ["energy"]


def test_another_programs_change_is_merged_and_absorbed(setup):
    corpus, store, queue, statuses, _holders = setup
    store.add_tags("a0.txt", ["ours"])
    assert queue.flush(timeout=10)
    other = AnnotationStore.open(corpus)  # another instance, saving synchronously
    other.add_tags("a2.txt", ["theirs"])
    store.add_tags("a1.txt", ["ours-too"])
    assert queue.flush(timeout=10)
    saved = on_disk(corpus)
    assert saved["a2.txt"]["tags"] == ["theirs"] and saved["a1.txt"]["tags"] == ["ours-too"]
    merged = statuses.wait_for(SAVED)
    assert merged.merged and any("changed by another program" in m for m in merged.messages)
    assert store.get("a2.txt").tags == ()  # not in memory until absorbed, on the store's thread
    assert queue.absorb() and store.get("a2.txt").tags == ("theirs",)
    store.add_tags("a0.txt", ["later"])  # a later save keeps their change
    assert queue.flush(timeout=10)
    assert on_disk(corpus)["a2.txt"]["tags"] == ["theirs"]
    assert sorted(on_disk(corpus)["a0.txt"]["tags"]) == ["later", "ours"]


def test_a_failing_save_is_reported_retried_and_lands_once_possible(setup):
    corpus, store, queue, statuses, _holders = setup
    blocker = corpus / "annotations.yaml"
    blocker.mkdir()  # the file cannot be read or replaced (root or not)
    store.add_tags("a0.txt", ["kyiv"])
    failed = statuses.wait_for(FAILED)
    assert failed.retrying and "annotations.yaml" in failed.reason
    assert queue.pending and store.get("a0.txt").tags == ("kyiv",)
    blocker.rmdir()
    assert queue.flush(timeout=10)
    assert on_disk(corpus)["a0.txt"]["tags"] == ["kyiv"]


def test_a_file_turned_invalid_makes_the_store_read_only_and_keeps_the_change(setup):
    corpus, store, queue, statuses, _holders = setup
    store.add_tags("a0.txt", ["first"])
    assert queue.flush(timeout=10)
    (corpus / "annotations.yaml").write_text("articles: [unclosed\n")
    store.add_tags("a1.txt", ["second"])
    failed = statuses.wait_for(FAILED)
    assert not failed.retrying and "annotations.yaml" in failed.reason
    assert store.read_only and queue.flush(timeout=1) is False
    assert store.get("a1.txt").tags == ("second",)  # kept in memory
    assert (corpus / "annotations.yaml").read_text() == "articles: [unclosed\n"  # the file is left alone
    (corpus / "annotations.yaml").unlink()  # fixed (here: removed) by the analyst
    assert store.reload() and not store.read_only
    assert queue.flush(timeout=10)  # the change kept in memory is written, not thrown away
    assert on_disk(corpus)["a1.txt"]["tags"] == ["second"]
    store.add_tags("a2.txt", ["third"])  # saved again
    assert queue.flush(timeout=10)
    assert on_disk(corpus)["a2.txt"]["tags"] == ["third"] and on_disk(corpus)["a1.txt"]["tags"] == ["second"]


def test_a_change_kept_while_the_file_was_broken_is_merged_with_the_fixed_file(setup):
    corpus, store, queue, statuses, _holders = setup
    path = corpus / "annotations.yaml"
    store.add_tags("a0.txt", ["first"])
    assert queue.flush(timeout=10)
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace('- "first"', '- "first\n: [oops'), encoding="utf-8")  # a hand edit gone wrong
    store.add_tags("a1.txt", ["racetag"])
    assert not statuses.wait_for(FAILED).retrying and store.read_only
    # the analyst fixes the file, adding a tag of their own while at it
    path.write_text(good.replace('- "first"', '- "first"\n      - "handmade"'), encoding="utf-8")
    said = store.reload()
    assert not store.read_only and any("your changes made while it could not be read are kept" in m for m in said)
    assert queue.flush(timeout=10)
    saved = on_disk(corpus)
    assert saved["a0.txt"]["tags"] == ["first", "handmade"] and saved["a1.txt"]["tags"] == ["racetag"]
    queue.absorb()
    assert store.get("a0.txt").tags == ("first", "handmade") and store.get("a1.txt").tags == ("racetag",)


def test_many_changes_while_saves_run_and_another_program_writes(setup):
    corpus, store, queue, _statuses, _holders = setup
    other = AnnotationStore.open(corpus)
    for i in range(120):
        store.add_tags(f"a{i % 3}.txt", [f"t{i}"])  # saves run in the thread meanwhile
        if i % 15 == 0:
            other.add_note("a2.txt", f"their note {i}")  # merged by whichever save comes next
    assert queue.flush(timeout=30)
    saved = on_disk(corpus)
    tags = set().union(*(saved[f"a{k}.txt"]["tags"] for k in range(3)))
    assert tags == {f"t{i}" for i in range(120)}
    assert {n["text"] for n in saved["a2.txt"]["notes"]} == {f"their note {i}" for i in range(0, 120, 15)}
    queue.absorb()
    assert len(store.get("a2.txt").notes) == 8


def test_the_caller_never_waits_for_a_save_in_progress(corpus_dir, monkeypatch):
    """While the queue's thread is inside a save (here held in the middle of writing
    the file, as a 30 MB write with fsync would be), the caller's thread changes and
    reads the store without waiting for it; the change made meanwhile is saved next."""
    from briefing.durable import StoreFolder

    entered, release = threading.Event(), threading.Event()
    real = StoreFolder.replace

    def held(self, name, data, **kwargs):
        if name == "annotations.yaml" and not release.is_set():
            entered.set()
            release.wait(30)
        return real(self, name, data, **kwargs)

    monkeypatch.setattr(StoreFolder, "replace", held)
    store = AnnotationStore.open(corpus_dir)
    queue = SaveQueue(store)
    try:
        store.add_tags("a.txt", ["first"])
        assert entered.wait(30), "the save did not start"
        done = threading.Event()

        def keys() -> None:  # what the reader's keys do meanwhile
            store.add_tags("b.txt", ["during"])
            store.mark_read_later("c.txt")
            store.get("b.txt")
            done.set()

        threading.Thread(target=keys, daemon=True).start()
        assert done.wait(10), "the caller waited for the save in progress"
        assert store.get("b.txt").tags == ("during",)
        release.set()
        assert queue.flush(30)
    finally:
        release.set()
        queue.close()
    on_disk = yaml.safe_load((corpus_dir / "annotations.yaml").read_text())["articles"]
    assert on_disk["a.txt"]["tags"] == ["first"] and on_disk["b.txt"]["tags"] == ["during"]
    assert on_disk["c.txt"]["read"] is True


def _parked(queue: SaveQueue) -> bool:
    """The queue's thread waits for work (inside ``_next_job``'s wait)."""
    frame = sys._current_frames().get(queue._thread.ident)
    names = []
    while frame is not None:
        names.append(frame.f_code.co_name)
        frame = frame.f_back
    return "wait" in names and "_next_job" in names


def test_read_marks_kept_for_later_wait_for_the_ask_even_when_the_thread_wakes(corpus_dir):
    """A read mark made while the thread is just finishing a save (the reader opened
    an article right after a tag was written) is not written by that thread on its
    way back to waiting: it waits for flush_reads, flush or the next save."""
    metas = [make_meta(f"a{i}.txt", root=corpus_dir) for i in range(3)]
    store = AnnotationStore.open(corpus_dir, metas)
    reported, go_on = threading.Event(), threading.Event()

    def on_status(status):
        if status.state == SAVED and not go_on.is_set():
            reported.set()
            assert go_on.wait(10)  # the thread stays here, between its save and its next wait

    queue = SaveQueue(store, on_status=on_status)
    try:
        store.add_tags("a0.txt", ["kyiv"])
        assert reported.wait(10)
        store.mark_read_later("a1.txt")  # while the thread has not gone back to waiting
        go_on.set()
        deadline = time.monotonic() + 10
        while not (_parked(queue) and not queue.pending):
            assert time.monotonic() < deadline, "the save thread never went back to waiting"
            time.sleep(0.005)
        assert "a1.txt" not in on_disk(corpus_dir) and store.unsaved_reads == {"a1.txt"}
        assert queue.flush(timeout=10)  # asked for: written
        assert on_disk(corpus_dir)["a1.txt"]["read"] is True and not store.unsaved_reads
        store.mark_read_later("a2.txt")
        store.add_note("a0.txt", "a deliberate change")  # the next save takes the kept mark along
        assert queue.flush(timeout=10)
        assert on_disk(corpus_dir)["a2.txt"]["read"] is True
    finally:
        go_on.set()
        queue.close(timeout=5)


def test_the_version_a_save_replaced_is_not_kept_by_the_queue(corpus_dir):
    """Issue 20 (memory): between saves the queue's thread holds nothing of the
    version it replaced (a large file's bytes and index: ~60 MB at 100,000 entries)."""
    import gc
    import weakref

    from briefing.annotations import yamlio
    from briefing.annotations.indexed import LAZY_MIN, LazyArticles
    from briefing.annotations.schema import AnnotationDoc, ArticleNotes

    doc = AnnotationDoc({f"{i:05}.txt": ArticleNotes(tags=(f"t{i % 7}",)) for i in range(LAZY_MIN + 10)})
    (corpus_dir / "annotations.yaml").write_bytes(yamlio.dumps_bytes(doc))
    store = AnnotationStore.open(corpus_dir)
    first = store._doc.articles  # (indexed, not parsed whole)
    assert isinstance(first, LazyArticles)
    replaced = weakref.ref(first.index)
    queue = SaveQueue(store)
    try:
        store.toggle_flag("00003.txt")
        assert queue.flush(timeout=30) and queue.absorb()  # the document is now on the version written
        del first
        deadline = time.monotonic() + 10  # flush() returns as the save ends, a moment before the thread drops its job
        while replaced() is not None and time.monotonic() < deadline:
            gc.collect()
            time.sleep(0.01)
        assert replaced() is None, "the replaced version's index is still held"
        assert on_disk(corpus_dir)["00003.txt"]["flagged"] is True
        store.toggle_flag("00005.txt")  # and the queue goes on saving
        assert queue.flush(timeout=30) and on_disk(corpus_dir)["00005.txt"]["flagged"] is True
    finally:
        queue.close(timeout=5)
