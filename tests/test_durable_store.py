"""briefing.durable.StoreFolder, the one discipline for state kept beside a corpus
(annotations.yaml now; the watchlists file and briefings/ later): issue 22 item 1."""

from __future__ import annotations

import fcntl
import os
import threading
import time

import pytest

from briefing.durable import FolderGone, LinkRefused, LockTimeout, NotRegularFile, StoreFolder, locked


def test_read_lock_replace_and_backup_in_a_pinned_folder(tmp_path):
    folder = StoreFolder(tmp_path)
    assert folder.read("w.yaml") is None
    with folder.locked(".w.yaml.lock"):
        key = folder.replace("w.yaml", b"one\n")
    assert folder.read("w.yaml") == b"one\n" and folder.last_read_identity == key
    folder.backup("w.yaml", "w.yaml.bak", b"one\n", key)
    folder.replace("w.yaml", b"two\n")
    assert (tmp_path / "w.yaml.bak").read_bytes() == b"one\n" and (tmp_path / "w.yaml").read_bytes() == b"two\n"
    assert sorted(os.listdir(tmp_path)) == [".w.yaml.lock", "w.yaml", "w.yaml.bak"]


def test_links_and_special_files_are_refused(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "w.yaml").symlink_to(outside / "target")
    (corpus / ".w.yaml.lock").symlink_to(outside / "lock")
    os.mkfifo(corpus / "fifo.yaml")
    folder = StoreFolder(corpus)
    with pytest.raises(LinkRefused, match="symbolic link"):
        folder.read("w.yaml")
    with pytest.raises(LinkRefused):
        folder.replace("w.yaml", b"x")
    with pytest.raises(LinkRefused), folder.locked(".w.yaml.lock"):
        pass
    with pytest.raises(NotRegularFile):
        folder.read("fifo.yaml")
    with pytest.raises(NotRegularFile):
        folder.replace("fifo.yaml", b"x")
    assert os.listdir(outside) == []


def test_a_subfolder_is_pinned_and_never_a_link(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    briefings = StoreFolder(corpus).subfolder("briefings", create=True)
    briefings.replace("week.md", b"# week\n")
    assert (corpus / "briefings" / "week.md").read_bytes() == b"# week\n"
    os.rename(corpus / "briefings", tmp_path / "moved")
    (corpus / "briefings").symlink_to(outside)  # swapped for a link after opening
    with pytest.raises(FolderGone):
        briefings.replace("week.md", b"again\n")
    with pytest.raises(LinkRefused):
        StoreFolder(corpus).subfolder("briefings", create=True)
    with pytest.raises(LinkRefused):
        StoreFolder(corpus / "briefings").read("week.md")
    assert os.listdir(outside) == []


def test_a_busy_lock_is_waited_for_and_a_wait_given_up_never_takes_it_later(tmp_path):
    """The wait runs on a helper thread: it gets the lock as soon as it is free, and
    one that timed out lets the lock go if it gets it after the caller gave up."""
    path = tmp_path / ".lock"
    holder = os.open(path, os.O_RDWR | os.O_CREAT)  # another open file: conflicts like another process
    fcntl.flock(holder, fcntl.LOCK_EX)
    with pytest.raises(LockTimeout), locked(path, timeout=0.1):
        pass
    got = threading.Event()

    def waiter() -> None:
        with locked(path, timeout=30):
            got.set()

    thread = threading.Thread(target=waiter)
    thread.start()
    assert not got.wait(0.2)  # still held
    fcntl.flock(holder, fcntl.LOCK_UN)
    thread.join(30)
    assert got.is_set()
    # nobody holds it now (the wait given up above released it): free to a non-blocking try
    probe = os.open(path, os.O_RDWR)
    deadline = time.monotonic() + 10
    while True:
        try:
            fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            assert time.monotonic() < deadline, "a lock wait that timed out kept the lock"
            time.sleep(0.01)
    os.close(probe)
    os.close(holder)
