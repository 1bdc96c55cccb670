"""The first build of a large folder's index in a process of its own (issue 20).

A reader opened on a folder whose index was never built (a fresh clone, a new
machine) used to build it in its loader thread: the walk, the rows and their
bookkeeping made and freed close to a kilobyte per article in the reader's own
heap (0.9 GB at a million articles), and what the allocator kept of it stayed with
the reader for the session. Here the build runs as ``python -m briefing.index.child
ROOT HEAD_ROWS``, the same :meth:`CorpusIndex.refresh <briefing.index.indexed.CorpusIndex.refresh>`
the reader ran, and what it made goes back to the system when it exits. The reader
then runs its usual refresh, now over a built cache (a stat walk), which also
takes in whatever changed during the build.

Only a large folder is built so (:func:`looks_large`: more than :data:`LARGE_FOLDER`
entries, counted without a stat and stopping there): for a small one, starting
Python again would cost more than it saves.

Protocol (the project's worker framing, :mod:`briefing.index.workers`), child to
parent: ``("progress", done, total)``, ``("head", [ArticleMeta, ...])`` once (the
first batch committed, sorted, at most HEAD_ROWS) and last ``("done", stopped, peak
RSS MB)``. Parent to child: nothing; closing the child's stdin (or dying) asks it to
stop: the build keeps what it committed, as a reader's stop does in-process.
"""

from __future__ import annotations

import contextlib
import os
import queue
import resource
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from briefing.model import ArticleMeta

LARGE_FOLDER = 2000  # entries (files and folders, at any depth) above which the build runs in a child
STOP_WAIT_S = 10.0  # how long a stopped child may take to commit what it built before it is killed
POLL_S = 0.1  # how often the parent looks at should_stop() while it waits for the child


def looks_large(root: Path, limit: int | None = None) -> bool:
    """True when ``root`` holds more than ``limit`` (:data:`LARGE_FOLDER`) entries,
    counted folder by folder with ``os.scandir`` (no stat; links are not followed)
    and stopping as soon as the count passes ``limit``."""
    limit = LARGE_FOLDER if limit is None else limit
    seen = 0
    pending = [str(root)]
    while pending:
        try:
            with os.scandir(pending.pop()) as entries:
                for entry in entries:
                    seen += 1
                    if seen > limit:
                        return True
                    with contextlib.suppress(OSError):
                        if entry.is_dir(follow_symlinks=False):
                            pending.append(entry.path)
        except OSError:
            continue
    return False


def build_in_child(root: Path, head_rows: int, *, progress: Callable[[int, int], None],
                   on_head: Callable[[list[ArticleMeta]], None], should_stop: Callable[[], bool],
                   module: str = "briefing.index.child") -> bool | None:
    """Build the index of ``root`` in a child process, reporting its progress and
    first rows as they come. True when the child finished the build, False when it
    stopped because ``should_stop()`` said so, None when it could not start or died
    without finishing (the caller builds in-process: the refresh carries on from what
    the child committed)."""
    from briefing.index.workers import Worker, _read

    try:
        worker = Worker(args=(str(root), str(head_rows)), module=module)
    except OSError:
        return None
    messages: queue.Queue[Any] = queue.Queue()

    def read() -> None:
        try:
            while True:
                messages.put(_read(worker.stdout))
        except Exception:  # noqa: BLE001 - EOF or nonsense: the child is gone
            messages.put(None)

    threading.Thread(target=read, name="index-build-reader", daemon=True).start()
    stopping_since: float | None = None
    try:
        while True:
            if stopping_since is None and should_stop():
                with contextlib.suppress(OSError, ValueError):
                    worker.stdin.close()  # asks the child to stop (it keeps what it committed)
                stopping_since = time.monotonic()
            if stopping_since is not None and time.monotonic() - stopping_since > STOP_WAIT_S:
                return False
            try:
                message = messages.get(timeout=POLL_S)
            except queue.Empty:
                continue
            if message is None:
                return None
            if not isinstance(message, tuple) or not message:
                return None
            if message[0] == "progress" and len(message) == 3:
                progress(int(message[1]), int(message[2]))
            elif message[0] == "head" and len(message) == 2 and isinstance(message[1], list):
                on_head([m for m in message[1] if isinstance(m, ArticleMeta)])
            elif message[0] == "done":
                return stopping_since is None and not bool(message[1])
    finally:
        worker.stop()


def serve(root: Path, head_rows: int) -> None:
    """Child side: build, tell, exit."""
    from briefing.corpus import sort_key
    from briefing.index import CorpusIndex
    from briefing.index.workers import _write

    out = sys.stdout.buffer
    lock = threading.Lock()
    stop = threading.Event()

    def send(message: tuple[Any, ...]) -> None:
        with lock:
            _write(out, message)

    def watch_parent() -> None:  # stdin ends when the parent asks the build to stop, or is gone
        with contextlib.suppress(OSError, ValueError):
            sys.stdin.buffer.read()
        stop.set()

    threading.Thread(target=watch_parent, name="index-build-parent", daemon=True).start()
    sent = False

    def on_batch(metas: list[ArticleMeta]) -> None:
        nonlocal sent
        if not sent and metas:
            sent = True
            send(("head", sorted(metas, key=sort_key)[:head_rows]))

    stats = CorpusIndex(root).refresh(progress=lambda done, total: send(("progress", done, total)),
                                      on_batch=on_batch, should_stop=stop.is_set)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    send(("done", bool(getattr(stats, "stopped", False)), peak))


if __name__ == "__main__":
    serve(Path(sys.argv[1]), int(sys.argv[2]))
