"""One watcher per open corpus: file events in, batches out (see the package docstring)."""

from __future__ import annotations

import logging
import os
import sqlite3
import stat as stat_mod
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.corpus.discover import is_ignored, kind_of
from briefing.durable import LockTimeout
from briefing.index import fresh
from briefing.index.incremental import IndexUnavailable, PathsUpdate, apply_paths
from briefing.watch.sources import (
    ADDED,
    DELETED,
    Changes,
    NativeSource,
    PollSource,
    SourceFailed,
)

if TYPE_CHECKING:
    from briefing.corpus.problems import LoadProblem
    from briefing.index.indexed import CorpusIndex
    from briefing.index.refresh import OnBatch as RefreshOnBatch
    from briefing.index.refresh import Progress, RefreshStats

log = logging.getLogger(__name__)

ENV_MODE = "BRIEFING_WATCH"  # auto (default) | native | polling
MODES = ("auto", "native", "polling")
IGNORED_TOP = frozenset({"briefings"})  # briefing files written beside the corpus (not articles)
ROOT_RETRY_S = 0.5  # how often a vanished corpus folder is looked for
LOCK_WAIT_S = 0.2  # how long one attempt waits for the index's writer lock
INOTIFY_QUEUE = Path("/proc/sys/fs/inotify/max_queued_events")


@dataclass(frozen=True)
class WatchBatch:
    """What changed in one debounced burst. Delivered on the watcher's thread."""

    paths: frozenset[str] = frozenset()  # absolute paths of article files (or folders) added, changed or removed
    annotations: bool = False  # the annotations file changed (another program, or our own save)
    watchlists: bool = False  # the watchlists file changed
    root: str | None = None  # None, "removed" (gone or moved away) or "replaced" (a folder is there again)
    rescan: bool = False  # events may have been lost: run a full refresh (CorpusWatcher.refresh_index)
    message: str = ""  # one line for the user, "" when there is nothing to say
    mode: str = ""  # "native" or "polling": how the folder was watched
    seen_ns: int = 0  # time.time_ns() when the watcher took these changes in
    update: PathsUpdate | None = None  # what the index changed for ``paths`` (with an index), else None
    index_error: str = ""  # why ``paths`` were not applied to the index ("" when they were, or no index)

    @property
    def empty(self) -> bool:
        return not (self.paths or self.annotations or self.watchlists or self.root or self.rescan or self.message)


OnBatch = Callable[[WatchBatch], None]


def _native_source(paths: list[str], stop: threading.Event, *, debounce_ms: int, step_ms: int,
                   timeout_ms: int) -> NativeSource:
    """Made here so a test can make the system's events fail."""
    return NativeSource(paths, stop, debounce_ms=debounce_ms, step_ms=step_ms, timeout_ms=timeout_ms)


def _identity(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    if not stat_mod.S_ISDIR(st.st_mode):
        return None
    return (st.st_dev, st.st_ino)


def _queue_limit() -> int:
    try:
        return int(INOTIFY_QUEUE.read_text().strip())
    except (OSError, ValueError):
        return 16384


class CorpusWatcher:
    """Watch the corpus folder ``root`` and report changes to ``on_batch``.

    ``annotations`` and ``watchlists``: files whose changes are reported as such
    (they may live outside the folder, e.g. the annotations of a read-only corpus
    in the data folder). With ``index`` (a :class:`briefing.index.CorpusIndex` of
    ``root``), each batch's paths are applied to the index cache on the watcher's
    thread before ``on_batch`` is called (``batch.update`` says what changed), and
    the freshness stamp is kept (:mod:`briefing.index.fresh`).

    ``mode``: ``"auto"`` (system events, polling when they cannot be had or fail),
    ``"native"`` or ``"polling"``; default from ``$BRIEFING_WATCH``, else auto.
    """

    def __init__(self, root: str | os.PathLike[str], on_batch: OnBatch, *, index: CorpusIndex | None = None,
                 annotations: str | os.PathLike[str] | None = None, watchlists: str | os.PathLike[str] | None = None,
                 mode: str | None = None, debounce_ms: int = 200, step_ms: int = 50,
                 poll_interval: float = 1.0, heartbeat: float = fresh.HEARTBEAT_S) -> None:
        self.root = os.path.realpath(os.fspath(root))
        self.on_batch = on_batch
        self.index = index
        self.annotations = os.path.abspath(os.fspath(annotations)) if annotations is not None else None
        self.watchlists = os.path.abspath(os.fspath(watchlists)) if watchlists is not None else None
        mode = (mode or os.environ.get(ENV_MODE) or "auto").strip().lower()
        if mode not in MODES:
            raise ValueError(f"watch mode must be one of {', '.join(MODES)}, not {mode!r}")
        self.requested_mode = mode
        self.debounce_ms = debounce_ms
        self.step_ms = step_ms
        self.poll_interval = poll_interval
        self.heartbeat = heartbeat
        self.errors: list[str] = []  # failures of on_batch or the index (the watcher goes on)
        self.notice = ""  # why polling is used, when it is
        self._stop = threading.Event()
        self._started = threading.Event()
        self._thread: threading.Thread | None = None
        self._source: NativeSource | PollSource | None = None
        self._start_error: BaseException | None = None
        self._identity: tuple[int, int] | None = None
        self._pending: set[str] = set()  # paths not yet applied to the index (its lock was busy)
        self._applied: set[str] = set()  # the paths the last update applied
        self._token = uuid.uuid4().hex
        self._lock = threading.Lock()  # the state the stamp is made of
        self._stamp_lock = threading.Lock()  # one stamp write at a time
        self._established_ns = 0  # when the current source began to see changes
        self._lost_ns = 0  # the last time events may have been lost (synced needs a walk after it)
        self._synced = False
        self._through_ns = 0
        self._last_beat = 0.0
        self._queue_limit = _queue_limit()
        # The store's own companions of the watched files: never reported.
        self._special: dict[str, str] = {}
        self._quiet: set[str] = set()
        for path, what in ((self.annotations, "annotations"), (self.watchlists, "watchlists")):
            if path is not None:
                self._special[path] = what
                self._quiet.add(path + ".bak")

    # -- life ---------------------------------------------------------------------------

    @property
    def mode(self) -> str:
        """``"native"`` or ``"polling"`` (what runs now), ``""`` before start."""
        source = self._source
        return source.mode if source is not None else ""

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, timeout: float = 30.0) -> None:
        """Start watching; returns once changes from now on will be seen (native: a
        fraction of a second; polling: after one walk of the folder). Raises
        FileNotFoundError when ``root`` is not a folder, RuntimeError when no way
        of watching works."""
        if self._thread is not None:
            raise RuntimeError("a watcher starts once")
        self._identity = _identity(self.root)
        if self._identity is None:
            raise FileNotFoundError(f"corpus folder not found or not a folder: {self.root}")
        self._thread = threading.Thread(target=self._run, name=f"briefing-watch {self.root}", daemon=True)
        self._thread.start()
        if not self._started.wait(timeout):
            self.stop()
            raise RuntimeError(f"watching {self.root} did not start within {timeout:.0f} s")
        if self._start_error is not None:
            self._thread.join(timeout)
            raise RuntimeError(f"cannot watch {self.root}: {self._start_error}") from self._start_error

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the thread and remove the freshness stamp. Safe to call twice. Idle,
        it stops within ``step_ms``; a batch being applied (a burst parsed by worker
        processes) or a polling walk under way (about 2 s at 100k files) is finished
        first, up to ``timeout``."""
        self._stop.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
        if self.index is not None:
            with self._stamp_lock:  # after any stamp write under way
                fresh.clear_stamp(self.index.path, self._token)

    def __enter__(self) -> CorpusWatcher:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- keeping the index in step --------------------------------------------------------

    def refresh_index(self, *, progress: Progress | None = None, on_batch: RefreshOnBatch | None = None,
                      on_problem: Callable[[LoadProblem], None] | None = None,
                      should_stop: Callable[[], bool] | None = None) -> RefreshStats:
        """Run a full refresh of ``index`` (the arguments go to
        :meth:`CorpusIndex.refresh`) and, when its walk began after the watch was
        established, mark the cache as synced. Call it from a worker thread after
        :meth:`start`, and again after a batch with ``rescan``."""
        if self.index is None:
            raise RuntimeError("the watcher has no index")
        if _identity(self.root) is None:
            # A refresh of a vanished folder would empty the cache (an unmounted share).
            raise FileNotFoundError(f"corpus folder not found or not a folder: {self.root}")
        began = time.time_ns()
        stats = self.index.refresh(progress=progress, on_batch=on_batch, on_problem=on_problem, should_stop=should_stop)
        if not getattr(stats, "stopped", False):
            self.mark_synced(began)
        return stats

    def mark_synced(self, walk_started_ns: int) -> bool:
        """A full refresh whose walk began at ``walk_started_ns`` has completed: the
        cache is synced if that was after the watch was established and after any
        loss of events. True when it now is."""
        with self._lock:
            if self._established_ns and walk_started_ns >= max(self._established_ns, self._lost_ns):
                self._synced = True
        self._beat(force=True)
        return self._synced

    def _lose(self, now_ns: int) -> None:
        """Events may have been lost: the stamp says so before anyone is told."""
        with self._lock:
            self._lost_ns = now_ns
            self._synced = False
        self._beat(force=True)

    def _beat(self, force: bool = False) -> None:
        """Write the freshness stamp (at most every ``heartbeat`` seconds unless forced)."""
        if self.index is None or self._stop.is_set():
            return  # after stop() nothing writes the stamp again
        now = time.monotonic()
        if not force and now - self._last_beat < self.heartbeat:
            return
        # One writer at a time, each writing the state as it is when it writes: a
        # stamp made before mark_synced() never lands after the one made after it.
        with self._stamp_lock:
            if self._stop.is_set():
                return
            self._last_beat = now
            with self._lock:
                stamp = {
                    "v": 1, "host": fresh._host(), "pid": os.getpid(), "token": self._token, "mode": self.mode,
                    "synced": self._synced and not self._pending and self._source is not None,
                    "through_ns": self._through_ns, "heartbeat_ns": time.time_ns(),
                }
            fresh.write_stamp(self.index.path, stamp)

    # -- the thread -----------------------------------------------------------------------

    def _watched_paths(self) -> list[str]:
        paths = [self.root]
        for special in self._special:
            folder = os.path.dirname(special)
            inside = folder == self.root or folder.startswith(self.root + os.sep)
            if not inside and os.path.isdir(folder) and folder not in paths:
                paths.append(folder)
        return paths

    def _open(self, mode: str) -> NativeSource | PollSource:
        if mode == "polling":
            return PollSource(self.root, list(self._special), self._stop, interval=self.poll_interval,
                              tick=self.heartbeat)
        return _native_source(self._watched_paths(), self._stop, debounce_ms=self.debounce_ms,
                              step_ms=self.step_ms, timeout_ms=max(1, int(self.heartbeat * 1000)))

    def _open_any(self) -> NativeSource | PollSource:
        """A source of the requested mode; in auto mode polling when events fail."""
        if self.requested_mode == "polling":
            return self._open("polling")
        try:
            return self._open("native")
        except SourceFailed as err:
            if self.requested_mode == "native":
                raise
            self.notice = f"watching {self.root} by polling every {self.poll_interval:g} s (file events unavailable: {err})"
            log.warning("%s", self.notice)
            return self._open("polling")

    def _run(self) -> None:
        try:
            self._source = self._open_any()
        except BaseException as err:  # noqa: BLE001 - reported by start()
            self._start_error = err
            self._started.set()
            return
        self._established_ns = time.time_ns()
        self._through_ns = self._established_ns
        self._beat(force=True)  # the stamp (not synced yet) is there when start() returns
        self._started.set()
        if self.notice:
            self._deliver(WatchBatch(message=self.notice, mode=self.mode, seen_ns=time.time_ns()))
        try:
            while not self._stop.is_set():
                self._step()
        finally:
            source, self._source = self._source, None
            if source is not None:
                source.close()

    def _step(self) -> None:
        if self._check_root():
            return
        source = self._source
        if source is None:  # the folder is gone: look for it again soon
            self._stop.wait(ROOT_RETRY_S)
            return
        try:
            changes, through = source.next()
        except SourceFailed as err:
            self._source_failed(err)
            return
        if changes is None:  # stopped
            return
        seen = time.time_ns()
        paths, flags = self._classify(changes)
        rescan = ""
        if len(changes) >= self._queue_limit // 2 and source.mode == "native":
            # The kernel queue may have overflowed (watchfiles does not report it).
            rescan = f"{len(changes)} changes at once; the folder is checked in full"
        if self._check_root():
            return  # the folder went away or was replaced: these paths are not applied
        if self.index is not None:
            self._pending |= paths
        update, index_error = None, ""
        if self._pending and self.index is not None:
            update, index_error, lost = self._apply(self.index)
            if lost:
                rescan = rescan or index_error
        if rescan:
            self._lose(seen)
        if paths or flags or rescan or update is not None:
            batch_paths = frozenset(paths if update is None else self._applied)
            if batch_paths or flags or rescan:
                self._deliver(WatchBatch(
                    paths=batch_paths, annotations="annotations" in flags, watchlists="watchlists" in flags,
                    rescan=bool(rescan), message=rescan, mode=source.mode, seen_ns=seen, update=update,
                    index_error=index_error,
                ))
        if not self._pending:
            with self._lock:
                self._through_ns = through
        self._beat()

    def _apply(self, index: CorpusIndex) -> tuple[PathsUpdate | None, str, bool]:
        """Apply the pending paths to ``index`` (the watcher's): (update, error, events lost)."""
        pending = set(self._pending)
        try:
            update = apply_paths(index, pending, lock_timeout=LOCK_WAIT_S)
        except LockTimeout:
            return None, "the index is being refreshed by another process; retrying", False
        except (IndexUnavailable, sqlite3.Error, OSError) as err:
            self._pending.clear()
            self._error(f"index: {err}")
            return None, f"the index could not be updated in place ({err}); a full refresh is needed", True
        self._applied = pending
        self._pending.clear()
        return update, "", False

    def _classify(self, changes: Changes) -> tuple[set[str], set[str]]:
        """Article paths (files, and folders added or removed) and flags."""
        paths: set[str] = set()
        flags: set[str] = set()
        root = self.root
        prefix = root + os.sep
        for kind, raw in changes:
            path = os.path.abspath(raw)
            what = self._special.get(path)
            if what is not None:
                flags.add(what)
                continue
            if path in self._quiet or not path.startswith(prefix):
                continue
            parts = path[len(prefix):].split(os.sep)
            if parts[0] in IGNORED_TOP or any(is_ignored(part) for part in parts):
                continue
            if kind_of(parts[-1]):
                paths.add(path)
            elif kind == DELETED:
                paths.add(path)  # perhaps a folder: the index drops whatever it held under it
            elif kind == ADDED:
                try:
                    if stat_mod.S_ISDIR(os.lstat(path).st_mode):
                        paths.add(path)  # a folder moved in: its files send no events of their own
                except OSError:
                    pass
        return paths, flags

    def _check_root(self) -> bool:
        """Report the folder going away or being replaced; True when it did."""
        now = _identity(self.root)
        if now == self._identity:
            return False
        seen = time.time_ns()
        self._lose(seen)
        self._pending.clear()
        source, self._source = self._source, None
        if source is not None:
            source.close()
        if now is None:
            self._identity = None
            message = f"the corpus folder {self.root} was removed or moved away; nothing is saved there until it is back"
            self._deliver(WatchBatch(root="removed", message=message, mode=source.mode if source else "",
                                     seen_ns=seen))
            self._beat(force=True)
            return True
        self._identity = now
        try:
            self._source = self._open_any()
        except SourceFailed as err:
            self._identity = None  # try again on the next step
            self._error(f"watch: {err}")
            return True
        self._established_ns = time.time_ns()
        message = f"the corpus folder {self.root} was replaced; it is read again"
        self._deliver(WatchBatch(root="replaced", rescan=True, message=message, mode=self.mode, seen_ns=seen))
        self._beat(force=True)
        return True

    def _source_failed(self, err: SourceFailed) -> None:
        """Events may be lost: start again (in auto mode by polling) and ask for a rescan."""
        seen = time.time_ns()
        self._lose(seen)
        old = self._source
        self._source = None
        if old is not None:
            old.close()
        mode = "native" if self.requested_mode == "native" else "polling"
        try:
            self._source = self._open(mode)
        except SourceFailed as again:
            self._error(f"watch: {again}")
            self._stop.wait(ROOT_RETRY_S)
            return
        self._established_ns = time.time_ns()
        if mode == "polling" and self.requested_mode == "auto":
            self.notice = f"watching {self.root} by polling every {self.poll_interval:g} s (file events failed: {err})"
        message = (self.notice if mode == "polling" and self.notice else
                   f"watching {self.root} was interrupted ({err}); the folder is checked in full")
        self._deliver(WatchBatch(rescan=True, message=message, mode=self.mode, seen_ns=seen))
        self._beat(force=True)

    def _error(self, text: str) -> None:
        log.warning("%s", text)
        self.errors.append(text)
        del self.errors[:-100]  # the last hundred

    def _deliver(self, batch: WatchBatch) -> None:
        try:
            self.on_batch(batch)
        except Exception as err:
            log.exception("the watch callback failed")
            self.errors.append(f"callback: {type(err).__name__}: {err}")
            del self.errors[:-100]


def watch_paths_of(batch: WatchBatch, root: str) -> Iterable[str]:
    """The batch's paths relative to ``root`` ("/"-separated), for messages and tests."""
    prefix = os.path.realpath(root) + os.sep
    for path in sorted(batch.paths):
        if path.startswith(prefix):
            yield path[len(prefix):].replace(os.sep, "/")
