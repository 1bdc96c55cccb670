"""Saves of an annotation store in a background thread: the caller never waits.

A reader must not freeze while ``annotations.yaml`` is being written, nor for the
15 s a save waits for a lock another program holds. With a :class:`SaveQueue`
attached to a store, every mutation (``store.add_tags(...)``, ``store.undo()``,
``store.flush_reads()``...) changes the document in memory and returns at once; the
queue's thread writes it through the store's own save (lock, three-way merge with
what others wrote, backup, atomic replace), one save at a time, the latest document
each time, so changes made while a save runs or waits are coalesced into the next.

While another process holds the lock, the thread waits for it to be free (checking,
with a growing pause) without blocking anybody; a failed save (disk full, folder
gone) is retried the same way. Nothing pending is ever dropped: it stays in memory
and :meth:`SaveQueue.flush` waits for it (quitting, a signal). A file that turned
invalid under us makes the store read-only, as a synchronous save would; the change
stays in memory and the status says why.

What happens is reported through ``on_status(SaveStatus)``, called from the queue's
thread (and from the caller's, for "pending"), so it must only hand the status over
(e.g. Textual's thread-safe ``post_message``)::

    queue = SaveQueue(store, on_status=lambda s: screen.post_message(SaveStatusChanged(s)))
    store.add_tags(ids, ["kyiv"])      # returns at once; SaveStatus("pending"), ("saving"), ("saved")
    queue.absorb()                     # on the store's own thread, after a "saved" with
                                       # merged=True: take in what others wrote
    queue.flush(timeout=5.0)           # on quit: True when everything is on disk
    queue.close()

The store stays single-threaded for its caller: only the caller's thread changes
the document in memory (:meth:`absorb` runs there); the queue's thread reads it and
writes the file. A copy of the store (sharing its location, not its state) does the
write, so the store's own save code, unchanged, is what runs.
"""

from __future__ import annotations

import contextlib
import copy
import fcntl
import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from briefing.annotations.merge import MergeConflict, merge_docs
from briefing.annotations.schema import AnnotationDoc
from briefing.annotations.store import AnnotationError, AnnotationStore, ReadOnlyError

PENDING, SAVING, WAITING, SAVED, FAILED = "pending", "saving", "waiting", "saved", "failed"

FIRST_RETRY_S = 0.05  # the pause before checking a held lock again, doubled each time...
MAX_RETRY_S = 1.0  # ...up to this


@dataclass(frozen=True)
class SaveStatus:
    """Where the saving stands.

    ``state``: ``pending`` (a change waits to be written), ``saving``, ``waiting``
    (another program holds the lock: retried), ``saved`` (everything given so far is
    on disk, unless a newer change is already pending), ``failed`` (``reason`` says
    why; retried unless ``retrying`` is False: the store went read-only).
    ``messages``: what a save has to say (changes by another program merged,
    conflicts kept); ``merged``: others' changes were merged in (call
    :meth:`SaveQueue.absorb` on the store's thread to show them)."""

    state: str
    reason: str = ""
    messages: tuple[str, ...] = ()
    merged: bool = False
    retrying: bool = True

    def message(self) -> str:
        """One line for the user."""
        if self.state == WAITING:
            return f"Saving annotations: {self.reason}; retrying"
        if self.state == FAILED:
            return f"Annotations not saved: {self.reason}" + ("; retrying" if self.retrying else "")
        if self.state == SAVED:
            return "Annotations saved" + (f": {'; '.join(self.messages)}" if self.messages else "")
        return "Saving annotations…" if self.state == SAVING else "Annotations: changes not saved yet"


class SaveQueue:
    """Writes ``store``'s changes in a thread of its own (see the module docstring)."""

    def __init__(self, store: AnnotationStore, on_status: Callable[[SaveStatus], None] | None = None, *,
                 first_retry: float = FIRST_RETRY_S, max_retry: float = MAX_RETRY_S) -> None:
        self.store = store
        self.on_status = on_status
        self.first_retry = first_retry
        self.max_retry = max_retry
        self._cond = threading.Condition(threading.RLock())
        self._saved_doc: AnnotationDoc = store._doc  # the document last known to be on disk
        self._unabsorbed: tuple[AnnotationDoc, AnnotationDoc] | None = None  # (given, written) to take in
        self._busy = False  # the thread is saving (or waiting for the lock)
        self._in_flight: AnnotationDoc | None = None  # the store's document the running save came from
        # Read marks kept for later (``mark_read_later``) are not a reason to write: they
        # go with the next save, or when :meth:`flush` / :meth:`submit` ask for them.
        # (document on disk or being written, that document plus deferred read marks)
        self._reads_only: tuple[AnnotationDoc, AnnotationDoc] | None = None
        self._write_reads = False  # the read marks kept for later were asked for
        self._stopping = False
        self._blocked: str | None = None  # the store went read-only: why (no retry until reopened)
        self.last_status = SaveStatus(SAVED)
        store.saver = self
        self._thread = threading.Thread(target=self._run, name="annotations-save", daemon=True)
        self._thread.start()

    # ------------------------------------------------------------ the caller's side
    def accept(self, wanted: AnnotationDoc) -> tuple[list[str], list[MergeConflict]]:
        """Called by the store's save (on the store's thread): keep ``wanted`` as the
        document and have the thread write it. Returns what a save returns (nothing
        to say yet: the thread's status says it)."""
        with self._cond:
            self.store._doc = wanted
            self._ask_for_reads()  # a save writes the whole document, read marks too
            self._absorb_locked()
            dirty = self._dirty()
            if dirty:
                self._cond.notify_all()
        if dirty:
            self._report(SaveStatus(PENDING))
        return [], []

    def submit(self) -> None:
        """Have the thread write whatever changes the store holds that are not on
        disk yet (e.g. after ``store.reload()`` made a read-only store writable
        again). Read marks kept by ``mark_read_later`` wait for :meth:`flush` or
        ``store.flush_reads()``. Returns at once."""
        with self._cond:
            self._cond.notify_all()

    def defer(self, after: AnnotationDoc, ids: Iterable[str]) -> None:
        """Called by the store's ``mark_read_later`` (on its thread): ``after`` is
        its document with ``ids`` marked read. That change alone does not start a
        save; the next save, :meth:`flush` or ``store.flush_reads()`` writes it."""
        with self._cond:
            store = self.store
            before, kept = store._doc, self._reads_only
            store._doc = after
            store._pending_reads.update(ids)
            if before is self._saved_doc or before is self._in_flight:
                self._reads_only = (before, after)
            elif kept is not None and before is kept[1]:
                self._reads_only = (kept[0], after)
            else:  # deliberate changes are waiting too: the save they start takes the marks
                self._reads_only = None

    @property
    def pending(self) -> bool:
        """Changes are in memory that are not on disk yet (or being written)."""
        with self._cond:
            return self._dirty() or self._busy

    @property
    def blocked(self) -> bool:
        """The store went read-only on a save (the file turned invalid under us): what
        is pending waits for the file to be read again (``store.reload()``), which
        must therefore not wait for this queue."""
        with self._cond:
            return self._is_blocked() and not self._busy

    def absorb(self) -> bool:
        """On the store's thread: take into the document what other programs wrote
        and the last save merged in. True when something was taken in."""
        with self._cond:
            return self._absorb_locked()

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until everything given so far is on disk (at most ``timeout``
        seconds). True when it is; False on timeout or when the store went read-only
        (the changes stay in memory). Safe from a signal handler on any thread."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            self._ask_for_reads()
            self._cond.notify_all()
            while self._dirty() or self._busy:
                if self._is_blocked() or not self._thread.is_alive():
                    return False
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return False
                self._cond.wait(remaining if remaining is None else min(remaining, 0.5))
            return True

    def close(self, timeout: float | None = 5.0) -> bool:
        """Flush (at most ``timeout``), stop the thread and detach from the store:
        its saves are synchronous again. True when nothing was left unsaved."""
        done = self.flush(timeout)
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        self._thread.join(timeout=1.0 if done else 0.1)
        if self.store.saver is self:
            with self._cond:
                self._absorb_locked()
            self.store.saver = None
        return done

    # ------------------------------------------------------------ internals
    def _ask_for_reads(self) -> None:
        """The read marks kept for later so far are to be written (with the lock held)."""
        if self.store._pending_reads:
            self._write_reads = True

    def _is_blocked(self) -> bool:
        """The store went read-only on a save and is so still (a store made writable
        again, e.g. by ``reload()`` once the file is fixed, is saved to again)."""
        if self._blocked is not None and self.store.error is None:
            self._blocked = None
        return self._blocked is not None

    def _dirty(self) -> bool:
        """Something must be written: a change not on disk (read marks kept for later
        only once they are asked for)."""
        store = self.store
        doc = store._doc
        if doc is not self._saved_doc:
            kept = self._reads_only
            if kept is None or kept[1] is not doc or kept[0] is not self._saved_doc:
                return True
        return self._write_reads and bool(store._pending_reads)

    def _absorb_locked(self) -> bool:
        if self._unabsorbed is None:
            return False
        given, written = self._unabsorbed
        self._unabsorbed = None
        store = self.store
        if store._doc is given:  # nothing changed here since: the file's version is ours
            store._doc = written
            if self._saved_doc is given:
                self._saved_doc = written
        else:
            store._doc, _ = merge_docs(given, store._doc, written)
        return True

    def _report(self, status: SaveStatus) -> None:
        """Tell the caller (never with the lock held: the callback may take time)."""
        self.last_status = status
        if self.on_status is not None:
            with contextlib.suppress(Exception):  # a broken callback must not stop the saving
                self.on_status(status)

    def _next_job(self) -> tuple[AnnotationDoc, AnnotationDoc, AnnotationDoc, bytes | None, frozenset[str]] | None:
        """Wait for work; (document to write, the store's document it came from, base,
        base hash, read marks it holds), or None to stop."""
        with self._cond:
            while True:
                store = self.store
                if self._dirty() and not self._is_blocked() and getattr(store, "_batch", None) is None:
                    break
                if self._stopping:
                    return None
                if not store._pending_reads:  # dropped meanwhile (the file was read afresh)
                    self._write_reads = False
                self._cond.wait(0.5 if getattr(store, "_batch", None) is not None else None)
            given = store._doc
            wanted = given
            if self._unabsorbed is not None:  # others' changes the last save merged in, not taken in yet
                old_given, written = self._unabsorbed
                wanted, _ = merge_docs(old_given, given, written)
            self._busy = True
            self._in_flight = given
            self._write_reads = False  # the marks kept so far go with this save
            return wanted, given, store._base, store._base_data, frozenset(store._pending_reads)

    def _run(self) -> None:
        delay = self.first_retry
        while (job := self._next_job()) is not None:
            status = self._attempt(*job)
            held_reads = bool(job[-1])
            # Not kept while waiting for the next change: the job holds the version the
            # save replaced (its document and bytes: ~60 MB at 100,000 entries).
            del job
            if status.state != SAVED and held_reads:
                with self._cond:  # not written: the read marks it held are still asked for
                    self._ask_for_reads()
            if status.state in (WAITING, FAILED) and status.retrying:
                self._report(status)
                with self._cond:  # the change stays pending; flush() and close() wake us
                    self._cond.wait(delay)
                delay = min(delay * 2, self.max_retry)
            else:
                delay = self.first_retry
                self._report(status)

    def _attempt(self, wanted: AnnotationDoc, given: AnnotationDoc, base: AnnotationDoc,
                 base_data: bytes | None, reads: frozenset[str]) -> SaveStatus:
        """One try at writing ``wanted``; the status it ends with."""
        try:
            if _lock_held_elsewhere(self.store.lock_path):
                return SaveStatus(WAITING, f"another program is saving {self.store.path.name} (its lock is held)")
            self._report(SaveStatus(SAVING))
            try:
                written, written_data, messages = self._write(wanted, base, base_data)
            except ReadOnlyError as exc:
                with self._cond:
                    self._blocked = str(exc)
                    if self.store.error is None:
                        self.store.error = str(exc)
                return SaveStatus(FAILED, str(exc), retrying=False)
            except AnnotationError as exc:  # disk full, permissions, a lock wait that timed out
                return SaveStatus(FAILED, str(exc))
            except Exception as exc:  # noqa: BLE001 - a bug must not end the thread with changes pending
                return SaveStatus(FAILED, f"{type(exc).__name__}: {exc}")
            merged = written is not wanted  # the store's save returns what it was given unless it merged
            with self._cond:
                store = self.store
                store._base, store._base_data = written, written_data
                store._pending_reads.difference_update(reads)
                self._saved_doc = given
                self._unabsorbed = (given, written) if written is not given else None
            return SaveStatus(SAVED, messages=tuple(messages), merged=merged)
        finally:
            with self._cond:
                self._busy = False
                self._in_flight = None
                self._cond.notify_all()

    def _write(
        self, wanted: AnnotationDoc, base: AnnotationDoc, base_data: bytes | None
    ) -> tuple[AnnotationDoc, bytes | None, list[str]]:
        """Save ``wanted`` through the store's own code, on a copy holding the state
        of this save (so the store's document is not touched from this thread)."""
        shadow = copy.copy(self.store)
        # A lock of its own: the shadow shares no state in memory with the store (its
        # document, base and pending reads are set here), so the caller's thread must
        # not wait for this write (30 MB and an fsync at 100,000 entries) to change
        # or read the store. Saves of the file stay one at a time: this thread is the
        # only writer while the queue is attached, and the file lock orders it with
        # other programs.
        shadow._lock = threading.RLock()
        shadow.saver = None
        shadow._pending_reads = set()
        shadow._base, shadow._base_data, shadow._doc = base, base_data, wanted
        messages, _conflicts = shadow._save(wanted)
        return shadow._base, shadow._base_data, messages


def _lock_held_elsewhere(lock_path: Path) -> bool:
    """Whether another open file description holds the store's lock now (checked
    without waiting, without creating the file and without following a symlink)."""
    try:
        fd = os.open(lock_path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return False  # no lock file yet (or an odd one): the save itself will say
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        except OSError:
            return False
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)
