"""Memory a big job freed, handed back to the system (issue 20).

Laying out a list of a million articles, searching it or regrouping its stories
makes and frees tens to hundreds of MB of arrays and small objects on a worker thread. glibc keeps what was freed in
that thread's arena for reuse, so the reader's resident memory stayed at its
highest after each filter or search (about 60 MB more at a million articles,
bench/reader_memory.py); ``malloc_trim(0)`` returns the free pages of every arena.
Nothing happens where the C library has no such call (musl, macOS, Windows).

Caches that hold freed-able memory of their own register a release with
:func:`on_give_back` (an indexed corpus: its SQLite connection's page cache, one per
worker thread, up to 8 MB each): they are emptied first, on the calling thread.
"""

from __future__ import annotations

import ctypes
import functools
import sys
import threading
import weakref
from collections.abc import Callable
from typing import cast

_RELEASES: list[weakref.WeakMethod[Callable[[], None]]] = []
_LOCK = threading.Lock()


def on_give_back(release: Callable[[], None]) -> None:
    """Call ``release`` (a bound method, held weakly: its object is not kept alive)
    on the calling thread at each :func:`give_back`."""
    with _LOCK:
        _RELEASES[:] = [r for r in _RELEASES if r() is not None]
        _RELEASES.append(weakref.WeakMethod(release))


def give_back() -> None:
    """Empty the registered caches, then return the heap's free pages to the system
    (a few milliseconds)."""
    with _LOCK:
        releases = [r() for r in _RELEASES]
    for release in releases:
        if release is not None:
            release()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return cast("Callable[[int], int]", ctypes.CDLL(None).malloc_trim)
    except (AttributeError, OSError):
        return None
