"""A long job in a child process that reports as it goes and stops when asked: both
sides of the small protocol the reader's first index build
(:mod:`briefing.index.child`) and first grouping into stories
(:mod:`briefing.stories.child`) share. Messages use the worker framing of
:mod:`briefing.index.workers` (length-prefixed pickles between our own processes).

Parent to child: optionally one first message, then nothing; closing the child's
stdin (or the parent dying) asks it to stop. Child to parent: any messages, last
``("done", stopped)``.
"""

from __future__ import annotations

import contextlib
import queue
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

STOP_WAIT_S = 10.0  # how long a child asked to stop may take to keep what it did before it is killed
POLL_S = 0.1  # how often the parent looks at should_stop() while it waits
_NOTHING = object()


def run(module: str, args: tuple[str, ...], *, on_message: Callable[[tuple[Any, ...]], object],
        should_stop: Callable[[], bool], first: object = _NOTHING, stop_wait: float = STOP_WAIT_S) -> bool | None:
    """Run ``python -m module *args``, handing each message but the last to
    ``on_message``. True when the child said it was done, False when it stopped
    because ``should_stop()`` said so (or did not stop within ``stop_wait`` seconds:
    then it is killed), None when it could not start, died or said nonsense."""
    from briefing.index.workers import Worker, _read, _write

    try:
        worker = Worker(args=args, module=module)
    except OSError:
        return None
    try:
        if first is not _NOTHING:
            try:
                _write(worker.stdin, first)
            except (OSError, ValueError):
                return None
        messages: queue.Queue[Any] = queue.Queue()

        def read() -> None:
            try:
                while True:
                    messages.put(_read(worker.stdout))
            except Exception:  # noqa: BLE001 - EOF or nonsense: the child is gone
                messages.put(None)

        threading.Thread(target=read, name=f"{module}-reader", daemon=True).start()
        stopping_since: float | None = None
        while True:
            if stopping_since is None and should_stop():
                with contextlib.suppress(OSError, ValueError):
                    worker.stdin.close()  # asks the child to stop
                stopping_since = time.monotonic()
            if stopping_since is not None and time.monotonic() - stopping_since > stop_wait:
                return False
            try:
                message = messages.get(timeout=POLL_S)
            except queue.Empty:
                continue
            if not isinstance(message, tuple) or not message:
                return None
            if message[0] == "done" and len(message) == 2:
                return stopping_since is None and not bool(message[1])
            on_message(message)
    finally:
        worker.stop()


class ChildSide:
    """The child's side: :attr:`first` (the parent's first message, read when
    ``first=True``), :meth:`send` (from any thread) and :attr:`stop` (set once the
    parent closed stdin or is gone)."""

    def __init__(self, first: bool = False) -> None:
        from briefing.index.workers import _read

        self.first: object = _read(sys.stdin.buffer) if first else None
        self.stop = threading.Event()
        self._lock = threading.Lock()
        threading.Thread(target=self._watch_parent, name="child-parent", daemon=True).start()

    def _watch_parent(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            sys.stdin.buffer.read()
        self.stop.set()

    def send(self, message: tuple[Any, ...]) -> None:
        from briefing.index.workers import _write

        with self._lock:
            _write(sys.stdout.buffer, message)
