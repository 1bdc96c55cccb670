"""Where the watcher's raw changes come from: the system's file events, or a walk.

Both sources answer :meth:`next` with ``(changes, through_ns)``: a set of
``(kind, path)`` (kinds as :data:`ADDED`, :data:`MODIFIED`, :data:`DELETED`) and
the time before which every change is in it or in an earlier answer (see
:mod:`briefing.index.fresh`). Both raise :class:`SourceFailed` when events may
have been lost.

- :class:`NativeSource`: watchfiles (the Rust ``notify`` crate: inotify on Linux,
  FSEvents on macOS, ReadDirectoryChangesW on Windows), debounced there.
- :class:`PollSource`: our own polling, a stat walk with the corpus loader's rules
  (:func:`briefing.corpus.discover.discover_stat`) compared with the previous one.
  It is the fallback, rather than watchfiles' own polling, because watchfiles
  1.3 fails for good (every later call raises) on a file or folder name that is
  not valid UTF-8, in both of its modes, while the walk reads any name.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterable

from briefing.corpus.discover import discover_stat
from briefing.index.extract import stat_of
from briefing.index.fresh import DELIVERY_MARGIN_NS

ADDED, MODIFIED, DELETED = 1, 2, 3  # the values watchfiles.Change uses

Changes = set[tuple[int, str]]


class SourceFailed(Exception):
    """The source stopped working; events since its last answer may be lost."""


class NativeSource:
    """File system events through watchfiles, for ``paths`` (folders, recursively)."""

    mode = "native"

    def __init__(self, paths: Iterable[str], stop: threading.Event, *, debounce_ms: int, step_ms: int,
                 timeout_ms: int) -> None:
        import watchfiles  # here: the polling fallback works without it

        self._iter = watchfiles.watch(
            *paths,
            watch_filter=None,
            debounce=debounce_ms,
            step=step_ms,
            stop_event=stop,
            rust_timeout=timeout_ms,
            yield_on_timeout=True,
            raise_interrupt=False,
            force_polling=False,
            recursive=True,
            ignore_permission_denied=True,
        )
        # The watches are set up on the first step (watchfiles makes its watcher
        # lazily): take it now, so that a failure (no inotify, watch limit reached,
        # a file system without events) is known here, and changes from now on count.
        self._first: Changes | None = self._step()

    def _step(self) -> Changes | None:
        try:
            raw = next(self._iter)
        except StopIteration:
            return None  # stopped
        except Exception as err:
            raise SourceFailed(f"{type(err).__name__}: {err}") from err
        return {(int(kind), path) for kind, path in raw}

    def next(self) -> tuple[Changes | None, int]:
        """The next debounced group of changes (empty after a quiet timeout; None when
        stopped) and the time before which all are in it."""
        if self._first is not None:
            first, self._first = self._first, None
            return first, time.time_ns() - DELIVERY_MARGIN_NS
        changes = self._step()
        return changes, time.time_ns() - DELIVERY_MARGIN_NS

    def close(self) -> None:
        with contextlib.suppress(Exception):  # closing after a failure
            self._iter.close()  # leaves watchfiles' `with RustNotify`: its thread stops


# What is compared between walks: stat_of's (size, mtime_ns, ctime_ns, inode).
_Key = tuple[int, int, int, int]


def _stat_key(path: str) -> _Key | None:
    try:
        return stat_of(os.stat(path))
    except OSError:
        return None


class PollSource:
    """Polling: a walk of ``root`` with the loader's rules every ``interval`` seconds
    (longer when a walk takes long: at most a third of the time is spent walking),
    plus a stat of each of ``files`` (the annotations file, the watchlists file)."""

    mode = "polling"

    def __init__(self, root: str, files: Iterable[str], stop: threading.Event, *, interval: float,
                 tick: float) -> None:
        self.root = root
        self.files = list(files)
        self.stop = stop
        self.interval = interval
        self.tick = tick  # the longest a call waits without answering (the watcher's heartbeat)
        self._walk_seconds = 0.0
        self._tree, self._extras, self._through = self._take()
        self._next_walk = time.monotonic() + self._wait()

    def _wait(self) -> float:
        return max(self.interval, 2 * self._walk_seconds)

    def _take(self) -> tuple[dict[str, _Key], dict[str, _Key | None], int]:
        began = time.time_ns()
        t0 = time.perf_counter()
        tree = {path: stat_of(st) for _id, path, _kind, st in discover_stat(self.root)}
        extras = {f: _stat_key(f) for f in self.files}
        self._walk_seconds = time.perf_counter() - t0
        return tree, extras, began - DELIVERY_MARGIN_NS

    def next(self) -> tuple[Changes | None, int]:
        left = self._next_walk - time.monotonic()
        if left > 0:
            if self.stop.wait(min(left, self.tick)):
                return None, self._through
            if time.monotonic() < self._next_walk:
                return set(), self._through  # nothing new: every change before the last walk is known
        try:
            tree, extras, through = self._take()
        except Exception as err:
            raise SourceFailed(f"{type(err).__name__}: {err}") from err
        changes: Changes = set()
        old = self._tree
        for path, st in tree.items():
            before = old.get(path)
            if before is None:
                changes.add((ADDED, path))
            elif before != st:
                changes.add((MODIFIED, path))
        changes.update((DELETED, path) for path in old.keys() - tree.keys())
        for path, key in extras.items():
            if key != self._extras.get(path):
                changes.add((MODIFIED if key is not None else DELETED, path))
        self._tree, self._extras, self._through = tree, extras, through
        self._next_walk = time.monotonic() + self._wait()
        return changes, through

    def close(self) -> None:
        self._tree = {}
