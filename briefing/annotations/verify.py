"""A large annotation file never seen before, opened at once and checked in the background
(issue 20: the reader on a fresh clone of the team's repository).

A whole parse of 100,000 entries (YAML events, node tree, schema, the canonical check)
costs about 6 s; with the index kept from a previous open the store needs none of it.
For a file with no kept index but the canonical outline (the header ``yamlio.dump``
writes, at least :data:`~briefing.annotations.indexed.LAZY_MIN` entries each starting
on a line indented by exactly two spaces, ids strictly increasing by their key lines,
``version: <current>`` last) a store opened with ``check_later=True`` (the reader, never
the CLI):

- opens at once on an :class:`UnverifiedIndex`: entries are parsed and validated one
  by one when asked for, as with a kept index; an entry that fails makes the store
  read-only with the message a broken file gives (the file, the line, the problem);
- runs the whole parse, the existing code (so a broken file's message is exactly the
  one an open gives), as a :class:`BackgroundCheck` in a child process
  (``python -m briefing.annotations.verify``, the project's worker protocol: a
  thread of Python holding the GIL for seconds would stall the reader's keys); a
  child that cannot start or dies: the same check in-process, in the check's thread;
- nothing is written before the check passed: a save waits for it
  (:func:`wait_before_save`); when it fails, the store becomes read-only with the
  whole parse's message, shows what a broken file shows (no annotations) and what
  was changed meanwhile is not written;
- once it passed, the index is kept (:func:`~briefing.annotations.kept.keep_index`):
  the next open is the fast path. A file that is valid but not exactly what the
  writer makes (a hand edit keeping the outline) is then read as the whole parse
  reads it (its index marked broken: saves write it whole, canonical, once).

Core API (no Textual): :attr:`AnnotationStore.check
<briefing.annotations.store.AnnotationStore.check>`, ``store.checking``,
``store.on_checked(callback)`` (called from the check's thread: hand it over),
``store.settle_check()`` (on the store's thread: apply the result, messages back),
``store.wait_checked(timeout)``.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import resource
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from briefing import heap
from briefing.annotations import fastcheck, indexed, kept, yamlio
from briefing.annotations.indexed import _VERSION_TAIL, LAZY_MIN, FileIndex, entries_span, entry_starts
from briefing.annotations.schema import AnnotationDoc, ArticleNotes, SchemaError

if TYPE_CHECKING:
    from briefing.annotations.store import AnnotationStore

USE_CHILD = True  # tests may check in-process (the same code, the same answer)

OK, VALID, PROBLEM = "ok", "valid", "problem"  # canonical; valid but not canonical; not valid


@dataclass(frozen=True)
class Outcome:
    """What the whole parse said: ``ok`` (the file is canonical: the index fits it),
    ``valid`` (valid, but not what the writer makes), ``problem`` (``line``,
    ``message``: the SchemaError a whole parse raises)."""

    state: str
    line: int = 0
    message: str = ""
    child: bool = False  # decided by the child process (else in-process)
    child_rss_mb: float = 0.0  # the child's peak resident memory

    def error(self) -> SchemaError:
        return SchemaError(self.line, self.message)


@dataclass(eq=False)
class UnverifiedIndex(FileIndex):
    """The index of a file whose whole parse has not been seen yet: an entry that does
    not parse (or validate) alone is reported through ``on_problem(line, message)``
    (the file's line) and read as no annotations, never raised to the caller."""

    verified: bool = False
    failed: bool = False  # an entry did not parse, or the check failed: the file is broken
    wait_for_check: Callable[[], object] | None = field(default=None, repr=False)
    on_problem: Callable[[int, str], None] | None = field(default=None, repr=False)

    def await_check(self) -> None:
        if not (self.verified or self.failed) and self.wait_for_check is not None:
            self.wait_for_check()

    def entry(self, article_id: str) -> ArticleNotes | None:
        if self.verified or self._full or article_id in self._parsed:
            return super().entry(article_id)
        n = self.position(article_id)
        if n is None or self._full:
            return self._parsed.get(article_id) if self._full else None
        start, stop = self.span(n)
        try:
            doc = yamlio.load(b"articles:\n" + self.data[start:stop] + _VERSION_TAIL)
        except (SchemaError, UnicodeError, RecursionError) as exc:
            self._report(start, stop, exc)
            return None
        if list(doc.articles) != [article_id]:
            self._report(start, stop, SchemaError(2, f"the entry does not hold the article {article_id!r} alone"))
            return None
        value = doc.articles[article_id]
        self._parsed[article_id] = value
        return value

    def parse_all(self) -> None:
        if self.verified or self._full:
            super().parse_all()
            return
        if not self.failed and self.wait_for_check is not None:
            # The file is being checked (in a child): wait for its answer rather
            # than parse a file that may be broken (a worker wanting every value);
            # a valid file is then parsed here as before.
            self.wait_for_check()
        if self.failed:  # known broken: not parsed whole here (the check says where)
            self._parsed, self._full = {}, True
            return
        try:
            super().parse_all()
        except (SchemaError, UnicodeError, RecursionError) as exc:
            line = exc.line if isinstance(exc, SchemaError) else 1
            message = exc.message if isinstance(exc, SchemaError) else str(exc)
            self._parsed, self._full = {}, True  # a broken file shows no annotations
            self.failed = True
            if self.on_problem is not None:
                self.on_problem(line, message)

    def _report(self, start: int, stop: int, exc: Exception) -> None:
        """An entry at ``data[start:stop]`` failed: its line in the file (the parse saw it
        after one ``articles:`` line), clamped to the entry's lines."""
        first = self.data.count(b"\n", 0, start) + 1
        last = first + max(self.data.count(b"\n", start, stop) - 1, 0)
        if isinstance(exc, SchemaError):
            line, message = min(max(first + exc.line - 2, first), last), exc.message
        else:
            line, message = first, f"cannot be read ({exc})"
        self.failed = True
        if self.on_problem is not None:
            self.on_problem(line, message)


def unverified_index(data: bytes) -> UnverifiedIndex | None:
    """An index of ``data`` when it has the canonical outline (see the module
    docstring), its entries not parsed; None when it must be parsed whole."""
    span = entries_span(data) if len(data) >= LAZY_MIN * 20 else None
    if span is None:
        return None
    head, end = span
    starts = entry_starts(data, head, end)
    if len(starts) < LAZY_MIN or starts[0] != head:
        return None
    index = UnverifiedIndex(data, starts, end)
    try:
        keys = index.all_keys()  # (kept by the index: its lookups are then a plain binary search)
    except (ValueError, IndexError, UnicodeDecodeError, SchemaError, RecursionError):
        return None
    return None if keys is None else index


def check_bytes(data: bytes) -> tuple[Outcome, AnnotationDoc | None]:
    """The whole parse of ``data``, exactly as an open makes it: the outcome, and the
    document when it is valid. A file recognised as exactly what the writer makes
    (:mod:`briefing.annotations.fastcheck`) is known canonical without the parse: the
    outcome is ``ok``, the same as the parse would say, and no document."""
    if fastcheck.canonical_index(data) is not None:
        return Outcome(OK), None
    try:
        with yamlio.collector_paused(len(data) >= yamlio.PAUSE_GC_FROM):
            doc = yamlio.load(data)
            canonical = indexed.build_index(data, doc) is not None
    except SchemaError as exc:
        return Outcome(PROBLEM, exc.line, exc.message), None
    return Outcome(OK if canonical else VALID), doc


def _in_child(data: bytes) -> Outcome | None:
    """:func:`check_bytes` in a child process; None when it could not say (it did not
    start, died or answered nonsense)."""
    from briefing.index.workers import Worker, _read, _write

    try:
        worker = Worker(module="briefing.annotations.verify")
    except OSError:
        return None
    _running.add(worker)
    try:
        _write(worker.stdin, data)
        worker.stdin.close()
        answer = _read(worker.stdout)
    except Exception:  # noqa: BLE001 - it died, or said nonsense: checked in-process
        return None
    finally:
        _running.discard(worker)
        worker.stop()
    if not (isinstance(answer, tuple) and len(answer) == 4 and answer[0] in (OK, VALID, PROBLEM)):
        return None
    state, line, message, rss = answer
    return Outcome(state, int(line), str(message), child=True, child_rss_mb=float(rss))


_running: set[Any] = set()  # children checking now: stopped when the program ends


@atexit.register
def _stop_children() -> None:
    for worker in list(_running):
        with contextlib.suppress(Exception):
            worker.stop()


def run_check(data: bytes) -> tuple[Outcome, AnnotationDoc | None]:
    """The check: in a child when possible; the document only when it is needed (valid
    but not canonical: then parsed here too)."""
    outcome = _in_child(data) if USE_CHILD else None
    if outcome is None:
        return check_bytes(data)
    if outcome.state == VALID:
        _again, doc = check_bytes(data)
        return outcome, doc
    return outcome, None


class BackgroundCheck:
    """The whole parse of the bytes a store opened unverified, in a thread of its own
    (which waits for a child process doing it). Started by the store's open."""

    def __init__(self, path: Path, key: tuple[int, ...] | None, index: UnverifiedIndex) -> None:
        self.path = path
        self.key = key
        self.index = index
        self.outcome: Outcome | None = None
        self.doc: AnnotationDoc | None = None
        self.started = time.perf_counter()
        self.seconds = 0.0  # how long the check took
        self.entry_error: str | None = None  # the store's error an entry parsed alone gave
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._callbacks: list[Callable[[], None]] = []
        self._thread: threading.Thread | None = None
        index.wait_for_check = self.wait

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="annotations-check", daemon=True)
            self._thread.start()

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def wait(self, timeout: float | None = None) -> Outcome | None:
        self.start()
        self._done.wait(timeout)
        return self.outcome

    def on_done(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` (no arguments) once the check is done: from the check's
        thread, or at once when it is done already."""
        with self._lock:
            if not self._done.is_set():
                self._callbacks.append(callback)
                return
        callback()

    def _run(self) -> None:
        outcome: Outcome
        try:
            outcome, self.doc = run_check(self.index.data)
        except Exception as exc:  # noqa: BLE001 - never left undecided: a save waits for it
            outcome = Outcome(PROBLEM, 1, f"could not be checked ({type(exc).__name__}: {exc})")
        if outcome.state == OK:
            self.index.verified = True
            kept.keep_index(self.path, self.key, self.index)
        elif outcome.state == PROBLEM:
            self.index.failed = True
        # What the check freed here (the file's bytes sent to the child, the digests
        # hashed for the kept index) goes back to the system, not kept by this
        # thread's heap for the rest of the session.
        heap.give_back()
        self.seconds = time.perf_counter() - self.started
        with self._lock:
            self.outcome = outcome
            self._done.set()
            callbacks, self._callbacks = self._callbacks, []
        for callback in callbacks:
            with contextlib.suppress(Exception):
                callback()


def remember_broken(store: AnnotationStore, data: bytes | None) -> None:
    """Keep the digest of bytes found broken (at open, by a save, by the background
    check): reading the same bytes again (a watcher's echo, a touch) would only say
    the same thing (:meth:`AnnotationStore.reload`)."""
    store._broken = hashlib.sha256(data).digest() if data is not None else None


def is_known_broken(store: AnnotationStore, data: bytes | None) -> bool:
    """``data`` are the bytes last found broken."""
    return data is not None and store._broken is not None and hashlib.sha256(data).digest() == store._broken


class CheckedLater:
    """The store's side of the background check (a base of
    :class:`~briefing.annotations.store.AnnotationStore`)."""

    check: BackgroundCheck | None

    @property
    def checking(self) -> bool:
        """The file is being checked (opened unverified; saves wait for the check)."""
        return self.check is not None

    def on_checked(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` when the background check is done (from its thread: hand
        it over, then call :meth:`settle_check` on the store's thread); at once when
        there is none."""
        check = self.check
        if check is None:
            callback()
        else:
            check.on_done(callback)

    def settle_check(self) -> list[str]:
        """Apply the finished background check: nothing to say when the file is fine;
        when it is broken the store is read-only (the message a whole parse gives at
        open), shows no annotations, and the returned message says so and that what
        was changed since it was opened was not saved."""
        store = cast("AnnotationStore", self)
        with store._lock:
            return settle(store)

    def wait_checked(self, timeout: float | None = None) -> list[str]:
        """Wait for the background check (at most ``timeout``) and apply it."""
        check = self.check
        if check is not None:
            check.wait(timeout)
        return self.settle_check()


def settle(store: AnnotationStore) -> list[str]:
    """Apply the finished check of ``store`` (on a thread that may change it); messages
    for the user (the error when the file turned out broken). Nothing when no check is
    pending or it is still running."""
    check = store.check
    if check is None or check.outcome is None:
        return []
    outcome = check.outcome
    store.check = None
    if outcome.state in (OK, VALID) and check.entry_error is not None and store.error == check.entry_error:
        store.error = None  # an entry that failed alone (an alias to another entry) in a valid file
    if outcome.state == OK:  # the bytes the check read are out of the heap from now on
        from briefing.annotations.held import bytes_held

        store._base_data = bytes_held(store, store._base, store._base_data)
        return []
    if outcome.state == VALID and check.doc is not None:
        index = check.index
        index._parsed = dict(check.doc.articles)  # as the whole parse reads it
        index._with, index._corrections = {}, None
        index._full = index.broken = True  # offsets kept, but saves write the file whole, canonical
        index.verified = True
        store._ids_with = None
        return []
    store._schema_fail(outcome.error())
    remember_broken(store, check.index.data)
    # What a broken file shows at open: no annotations; the changes made meanwhile are
    # not written (nothing was, before the check).
    store._base = store._doc = AnnotationDoc()
    store._base_data = None
    store._undo.clear()
    store._redo.clear()
    store._pending_reads.clear()
    store._ids_with = None
    return [f"{store.error} Changes made since it was opened were not saved."]


def wait_before_save(store: AnnotationStore) -> None:
    """Called by a save before anything is written: wait for the store's check;
    ReadOnlyError when the file turned out broken."""
    check = store.check
    if check is None:
        return
    check.wait()
    settle(store)
    if store.error is not None:
        from briefing.annotations.errors import ReadOnlyError

        raise ReadOnlyError(store.error)


def entry_problem(store: AnnotationStore) -> Callable[[int, str], None]:
    """The hook an unverified index calls when an entry fails: the store turns read-only
    with the message a broken file gives (kept: the first problem found)."""

    def report(line: int, message: str) -> None:
        if store.error is None:
            store._schema_fail(SchemaError(line, message))
            if store.check is not None:
                store.check.entry_error = store.error

    return report


def serve() -> None:
    """Child side: one message (the file's bytes), one answer
    ``(state, line, message, peak RSS MB)``."""
    from briefing.index.workers import _read, _write

    data: Any = _read(sys.stdin.buffer)
    if not isinstance(data, bytes):
        return
    outcome, _doc = check_bytes(data)
    del _doc
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    _write(sys.stdout.buffer, (outcome.state, outcome.line, outcome.message, rss))


if __name__ == "__main__":
    serve()
