"""Memory a big job freed, handed back to the system (issue 20).

Laying out a list of a million articles, searching it or regrouping its stories
makes and frees tens to hundreds of MB of arrays and small objects on a worker thread. glibc keeps what was freed in
that thread's arena for reuse, so the reader's resident memory stayed at its
highest after each filter or search (about 60 MB more at a million articles,
bench/reader_memory.py); ``malloc_trim(0)`` returns the free pages of every arena.
Nothing happens where the C library has no such call (musl, macOS, Windows).
"""

from __future__ import annotations

import ctypes
import functools
import sys
from collections.abc import Callable
from typing import cast


def give_back() -> None:
    """Return the heap's free pages to the system (a few milliseconds)."""
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
