"""Full garbage collections between keypresses, never in the middle of one.

A full collection of the cycle collector walks every live object (100 ms and more
once the widgets' render caches fill up). Once the corpus is loaded and drawn, it
and the widgets are frozen out of collections; full collections then run when no
key was pressed for a second, and on their own only rarely. Young generations still
collect as usual.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

IDLE_GC_CHECK_S = 1.0  # full garbage collections run when no key was pressed for this long
GC_FULL_EVERY = 200  # and on their own only after this many young collections (Python's default: 10),
# so that memory stays bounded when the keys never pause


class IdleCollector:
    def __init__(self, last_key_time: Callable[[], float]) -> None:
        self._last_key_time = last_key_time
        self._threshold: tuple[int, int, int] | None = None
        self._frozen = False  # set once the corpus is loaded and frozen out of collections

    def start(self) -> None:
        self._threshold = gc.get_threshold()
        first, second, third = self._threshold
        gc.set_threshold(first, second, max(GC_FULL_EVERY, third))

    def freeze(self) -> None:
        """The corpus, the list and the widgets now live as long as the reader."""
        gc.freeze()
        self._frozen = True

    def tick(self) -> None:
        if not self._frozen:
            return  # still loading: the heap grows with the corpus, a collection a second would slow indexing
        if gc.get_count()[2] == 0:
            return  # nothing reached the old generation since the last full collection
        if time.monotonic() - self._last_key_time() < IDLE_GC_CHECK_S:
            return  # the user is typing: later
        gc.collect()

    def stop(self) -> None:
        if self._threshold is not None:
            gc.set_threshold(*self._threshold)
