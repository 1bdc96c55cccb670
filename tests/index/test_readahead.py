"""briefing.listing.readahead: files read ahead of a checker, never more than the
window ahead, special files skipped without blocking, threads ended on close."""

from __future__ import annotations

import os
import time

from briefing.listing.readahead import ReadAhead, touch


def wait_until(condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.005)


def test_reads_ahead_within_the_window_and_follows_the_consumer(tmp_path):
    paths = []
    for n in range(10):
        path = tmp_path / f"{n}.txt"
        path.write_text(f"article {n}\n")
        paths.append(str(path))
    ahead = ReadAhead(paths, threads=2, window=3)
    try:
        wait_until(lambda: ahead.taken == 3)
        ahead.advance()
        ahead.advance()
        wait_until(lambda: ahead.taken == 5)
        for _ in range(8):
            ahead.advance()
        wait_until(lambda: ahead.taken == 10)  # never past the end
    finally:
        ahead.close()
    assert ahead.taken == 10
    assert not any(t.is_alive() for t in ahead._threads)


def test_close_stops_threads_waiting_for_the_consumer(tmp_path):
    paths = [str(tmp_path / "missing.txt")] * 50  # a missing file: skipped quietly
    ahead = ReadAhead(paths, threads=4, window=2)
    wait_until(lambda: ahead.taken == 2)
    ahead.close()
    assert ahead.taken == 2
    assert not any(t.is_alive() for t in ahead._threads)


def test_touch_skips_fifos_folders_and_missing_files(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)  # a FIFO opened for reading with no writer would block a plain open()
    (tmp_path / "folder.txt").mkdir()
    touch(str(fifo))
    touch(str(tmp_path / "folder.txt"))
    touch(str(tmp_path / "gone.txt"))
    touch(os.fsencode(tmp_path / "gone.txt"))  # a path stored as bytes (a name that is not UTF-8)
