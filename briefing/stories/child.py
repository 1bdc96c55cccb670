"""A large corpus's first grouping into stories in a process of its own (issue 20).

The reader groups its corpus once it is listed. When the stories are in the index
cache (every session but the first) they are read back in a fraction of a second;
the first time, every body is signed (in processes of their own already) and the
signatures grouped, and that grouping made and freed hundreds of MB in the reader's
heap at a million articles, while the analyst browsed. For a corpus of more than
:data:`LARGE_CORPUS` articles whose stories are not stored, :func:`group_large` has
``python -m briefing.stories.child ROOT NICE`` do it (the same
:func:`~briefing.stories.group.group_stories`, which stores what it found) and then
reads the stories back. The analyst's corrected titles and dates (they decide a
story's lead and its date window) are sent to the child, so it groups what the
reader shows; should they change meanwhile, the read back misses and the reader
groups in-process from the signatures the child stored.

Protocol (:mod:`briefing.index.workers` framing): parent to child, one message (the
corrections, ``{id: (title, date)}``, or None for none); then closing stdin asks it
to stop (what it signed stays in the cache). Child to parent: ``("progress", done,
total)``, last ``("done", cancelled)``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import queue
import sys
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

LARGE_CORPUS = 20_000  # articles above which a first grouping runs in a child
STOP_WAIT_S = 10.0
POLL_S = 0.1

Fixes = Mapping[str, tuple[str | None, dt.date | None]]


def group_large(group: Callable[..., Any], source: Any, root: Path, fixes: Fixes | None, *,
                progress: Callable[[int, int], None] | None, cancel: Callable[[], bool], nice: int) -> Any:
    """The stories of ``source`` (the corpus as the reader shows it, from ``root``):
    ``group`` (:func:`~briefing.stories.group.group_stories`) reads them back when
    stored; for a large corpus whose stories are not, a child groups it first. Raises
    :class:`~briefing.stories.group.Cancelled` when ``cancel()`` says so."""
    from briefing.stories.group import Cancelled, NotStored

    if len(source.articles) > LARGE_CORPUS:
        try:
            return group(source, progress=progress, cancel=cancel, nice=nice, stored_only=True)
        except NotStored:
            done = group_in_child(root, fixes, progress=progress, should_stop=cancel, nice=nice)
            if done is False or cancel():
                raise Cancelled() from None
            # Done (read back now) or the child failed (grouped here, from what it signed).
    return group(source, progress=progress, cancel=cancel, nice=nice)


def group_in_child(root: Path, fixes: Fixes | None, *, progress: Callable[[int, int], None] | None,
                   should_stop: Callable[[], bool], nice: int = 0,
                   module: str = "briefing.stories.child") -> bool | None:
    """Group the stories of ``root`` (with ``fixes`` applied) in a child process, which
    stores them in the index cache. True when it did, False when it stopped because
    ``should_stop()`` said so, None when it could not start or died."""
    from briefing.index.workers import Worker, _read, _write

    try:
        worker = Worker(args=(str(root), str(nice)), module=module)
    except OSError:
        return None
    messages: queue.Queue[Any] = queue.Queue()

    def read() -> None:
        try:
            while True:
                messages.put(_read(worker.stdout))
        except Exception:  # noqa: BLE001 - EOF or nonsense: the child is gone
            messages.put(None)

    try:
        try:
            _write(worker.stdin, dict(fixes) if fixes is not None else None)
        except (OSError, ValueError):
            return None
        threading.Thread(target=read, name="stories-child-reader", daemon=True).start()
        stopping_since: float | None = None
        while True:
            if stopping_since is None and should_stop():
                with contextlib.suppress(OSError, ValueError):
                    worker.stdin.close()
                stopping_since = time.monotonic()
            if stopping_since is not None and time.monotonic() - stopping_since > STOP_WAIT_S:
                return False
            try:
                message = messages.get(timeout=POLL_S)
            except queue.Empty:
                continue
            if not isinstance(message, tuple) or not message:
                return None
            if message[0] == "progress" and len(message) == 3:
                if progress is not None:
                    progress(int(message[1]), int(message[2]))
            elif message[0] == "done" and len(message) == 2:
                return stopping_since is None and not bool(message[1])
    finally:
        worker.stop()


def serve(root: Path, nice: int) -> None:
    """Child side: read the corrections, group, tell, exit."""
    from briefing.annotations.corrected import CorrectedCorpus, Corrections
    from briefing.index import CorpusIndex
    from briefing.index.workers import _read, _write
    from briefing.stories.group import Cancelled, group_stories

    fixes = _read(sys.stdin.buffer)
    out = sys.stdout.buffer
    lock = threading.Lock()
    stop = threading.Event()

    def send(message: tuple[Any, ...]) -> None:
        with lock:
            _write(out, message)

    def watch_parent() -> None:  # stdin ends when the parent asks to stop, or is gone
        with contextlib.suppress(OSError, ValueError):
            sys.stdin.buffer.read()
        stop.set()

    threading.Thread(target=watch_parent, name="stories-child-parent", daemon=True).start()
    corpus = CorpusIndex(root).snapshot()
    source: Any = corpus
    if isinstance(fixes, dict):
        source = CorrectedCorpus(corpus, fix=Corrections.from_fixes(fixes))
    try:
        group_stories(source, progress=lambda done, total: send(("progress", done, total)), cancel=stop.is_set,
                      nice=nice)
    except Cancelled:
        send(("done", True))
        return
    send(("done", False))


if __name__ == "__main__":
    serve(Path(sys.argv[1]), int(sys.argv[2]))
