"""Read ahead the files a query is about to check, so their bytes are in the page
cache when the check reads them.

A phrase (``"white house"``) is decided on each candidate file's clean text: at a
million articles, ten thousand files read one after the other, and on a disk that
is not in the page cache each read waits about a millisecond (most of the time of
``list --query '"white house"'``). :class:`ReadAhead` reads them with a few threads
(reads release the GIL, so the waits overlap) a bounded window ahead of the checker,
which says how far it got with :meth:`ReadAhead.advance`. Only a hint: the checker
reads every file itself, so a file read ahead in another order, or changed since, is
only a wasted read. The files are opened as :func:`briefing.corpus.load.read_bytes`
opens them (non-blocking, regular files only, bounded size) and their bytes dropped.
"""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Sequence

from briefing.corpus.load import max_bytes

THREADS = 8  # reads in flight (a read waits on the disk, not on the CPU)
WINDOW = 256  # files read ahead of the checker at most (about 1 MB of news text)


def touch(path: str | bytes) -> None:
    """Read the regular file at ``path`` into the page cache (errors ignored)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except (OSError, ValueError):
        return
    try:
        st = os.fstat(fd)
        if stat.S_ISREG(st.st_mode) and st.st_size <= max_bytes(os.fsdecode(path)):
            os.read(fd, st.st_size)
    except OSError:
        pass
    finally:
        os.close(fd)


class ReadAhead:
    """Threads reading ``paths`` in order, at most ``window`` ahead of the consumer."""

    def __init__(self, paths: Sequence[str | bytes], threads: int = THREADS, window: int = WINDOW) -> None:
        self._paths = paths
        self._window = window
        self._next = 0  # the next path a thread takes
        self._used = 0  # the files the consumer has come to
        self._stopped = False
        self._cond = threading.Condition()
        self._threads = [threading.Thread(target=self._run, name="briefing-readahead", daemon=True)
                         for _ in range(min(threads, len(paths)))]
        for thread in self._threads:
            thread.start()

    def advance(self) -> None:
        """The consumer has come to one more file."""
        with self._cond:
            self._used += 1
            if self._next < len(self._paths):
                self._cond.notify()

    def close(self) -> None:
        """Stop reading ahead; returns when every thread has ended."""
        with self._cond:
            self._stopped = True
            self._cond.notify_all()
        for thread in self._threads:
            thread.join()

    @property
    def taken(self) -> int:
        """How many paths the threads have started to read (for tests)."""
        with self._cond:
            return self._next

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._stopped and self._next < len(self._paths) and self._next >= self._used + self._window:
                    self._cond.wait()
                if self._stopped or self._next >= len(self._paths):
                    self._cond.notify_all()  # let the others see the end too
                    return
                path = self._paths[self._next]
                self._next += 1
            touch(path)
