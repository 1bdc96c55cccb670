"""Save what is pending when the process is told to end (SIGTERM, SIGHUP).

A terminal closed under the reader sends SIGHUP; ``kill``, a logout or a service
manager sends SIGTERM. Python's default for both is to die at once, losing read
marks and annotations still in memory (the reader keeps read marks a moment before
writing them, and a :class:`~briefing.annotations.savequeue.SaveQueue` may be
waiting for a lock). :func:`flush_on_signals` installs handlers that first call the
given ``flush`` (bounded by the flush itself, e.g. ``queue.flush(timeout=5)``), then
end the process cleanly: by default ``SystemExit(128 + signum)``, the exit status a
shell reports for a signal, so ``finally`` blocks and ``atexit`` handlers still run;
a front end passes ``then`` to close itself its own way (the reader: ``app.exit``).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Callable, Iterable
from typing import Any

DEFAULT_SIGNALS = tuple(s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s)


def flush_on_signals(
    flush: Callable[[], object],
    *,
    signals: Iterable[int] = DEFAULT_SIGNALS,
    then: Callable[[int], object] | None = None,
) -> Callable[[], None]:
    """Install the handlers (from the main thread); returns a function that puts the
    previous handlers back. ``flush()`` runs once even if signals keep coming; an
    exception from it is written to stderr and the exit goes on. ``then(signum)``
    runs after the flush (default: raise ``SystemExit(128 + signum)``)."""
    state = {"handling": False}
    previous: dict[int, Any] = {}

    def handler(signum: int, _frame: object) -> None:
        if state["handling"]:
            return  # a second signal while flushing: the first one's exit follows
        state["handling"] = True
        try:
            flush()
        except Exception as exc:  # noqa: BLE001 - still exit; say why the flush failed
            with contextlib.suppress(Exception):
                print(f"briefing: could not save before exiting: {exc}", file=sys.stderr)
        if then is None:
            raise SystemExit(128 + signum)
        try:
            then(signum)
        finally:
            state["handling"] = False

    for signum in signals:
        previous[signum] = signal.signal(signum, handler)

    def restore() -> None:
        for signum, old in previous.items():
            with contextlib.suppress(ValueError, TypeError, OSError):
                signal.signal(signum, old if old is not None else signal.SIG_DFL)

    return restore


def drop_output_if_gone(streams: Iterable[Any] | None = None) -> None:
    """Flush ``streams`` (default: stdout and stderr); one that cannot be written any
    more (its terminal closed: ``EIO``) is pointed at ``os.devnull`` so that what is
    left in it is dropped. Without this, the interpreter's own last flush fails and
    Python ends with status 120 instead of the signal's (a reader closed by SIGHUP
    with output still buffered for the terminal that is gone)."""
    for stream in (sys.stdout, sys.stderr) if streams is None else streams:
        try:
            stream.flush()
        except (OSError, ValueError):
            with contextlib.suppress(OSError, ValueError):
                devnull = os.open(os.devnull, os.O_WRONLY)
                try:
                    os.dup2(devnull, stream.fileno())
                finally:
                    os.close(devnull)
