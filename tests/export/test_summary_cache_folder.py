"""The export's summary cache when the cache folder changes: the old file is let go
by every thread that opened it, not only the one that noticed the change."""

from __future__ import annotations

import threading

from briefing.export import summaries
from briefing.summarize.cache import FILE_NAME, key


def test_a_new_cache_folder_closes_every_threads_connection_to_the_old_file(tmp_path, monkeypatch):
    monkeypatch.setattr(summaries, "_cache", None)
    first, second = tmp_path / "one", tmp_path / "two"
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(first))
    old = summaries.export_cache()
    assert old.path == first / FILE_NAME
    probe = key("sha256:x", "default", 2, "en")
    assert old.get(probe) is None  # this thread's connection
    opened, done = threading.Event(), threading.Event()

    def worker():  # a worker's connection, as an export makes one; the thread lives on
        old.get(probe)
        opened.set()
        done.wait(30)

    other = threading.Thread(target=worker)
    other.start()
    assert opened.wait(30)
    wal = first / (FILE_NAME + "-wal")
    assert wal.exists()  # open connections keep the write-ahead log

    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(second))
    try:
        new = summaries.export_cache()
        assert new is not old and new.path == second / FILE_NAME
        assert not wal.exists()  # SQLite removes it when the last connection closes (the worker's too)
    finally:
        done.set()
    assert old.get(probe) is None  # a thread still holding the old object is not broken
    assert not wal.exists()  # and does not open the old file again
    other.join()
    new.close_all()
