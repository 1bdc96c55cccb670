"""Deciding the rows a query's SQL leaves open (a phrase's candidates: every word
present, the order unknown to an index without positions) on their files, in order.

:func:`file_facts` is what the per-article predicate
(:func:`briefing.querylang.match.node_matches`) gets for an unannotated row: the
row's metadata, and the file read once, its bytes first tested for each phrase
(:mod:`briefing.querylang.phrasecheck`: most candidates are settled there without a
parse), else parsed and checked exactly.

:func:`decided` runs that check over a stream of rows and yields the matching ones
in the order they came, checking as far as the caller reads. Once the checks here
have taken :data:`WORKER_AFTER` seconds of CPU (many rows are open: a phrase of
common words over a million articles), it starts one worker process and hands it
up to :data:`DEPTH` chunks at a time while this process checks the others: two
cores. The worker is this process forked (:class:`_Forked`: a few milliseconds,
its modules imported) when it has no other thread, else ``python -m
briefing.querylang.verify`` (a fifth of a second to start); both speak the index's
worker protocol of :mod:`briefing.index.workers` (pickles over pipes). A worker
that cannot start or dies leaves its chunks to this process: slower, never a
different answer.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any, Generic, TypeVar

from briefing.querylang.match import Facts, facts_from, node_matches
from briefing.querylang.nodes import Node

T = TypeVar("T")
R = TypeVar("R")
CHUNK = 64  # open rows per chunk: a first page fills after a chunk or two
# CPU seconds of checking here before a worker is worth it. Its start and overhead (a
# fork's copied pages, or a new interpreter; the pickles) cost about 0.2 s of CPU: on a
# busy machine (no free core) that made the 1M phrase slower; with a core free it is
# faster (1M, quiet, 5 runs each: 1.26 s after 0.15 s, 1.40 s after 0.5 s; 100k: the
# same either way), and a free core is the usual case on an analyst's machine
WORKER_AFTER = 0.15
DEPTH = 2  # chunks a worker holds at once


class Future(Generic[R]):
    """A value set once by one thread and waited for by another (what this module
    used of ``concurrent.futures.Future``, whose import (logging, traceback) is a
    tenth of a ``list --query``'s start-up imports)."""

    __slots__ = ("_event", "_value")

    def __init__(self) -> None:
        self._event = threading.Event()
        self._value: R | None = None

    def set_result(self, value: R) -> None:
        self._value = value
        self._event.set()

    def done(self) -> bool:
        return self._event.is_set()

    def result(self) -> R:
        self._event.wait()
        return self._value  # type: ignore[return-value]  # set before the event


def file_facts(meta: Any) -> Facts:
    """The facts of an unannotated article: its indexed metadata, its file's body
    read only when a test needs it, and a phrase's byte tests of the same read.
    ``meta``: the ``ArticleMeta``, or ``(meta, known)`` with ``known`` the index's
    answers for the query's words of the text on it (``Facts.known_words``)."""
    from briefing.querylang.phrasecheck import FileText  # (and the parsers' patterns): only when a file is read

    meta, known = meta if isinstance(meta, tuple) else (meta, None)
    text = FileText(meta.id, meta.path)
    facts = facts_from(meta, None, text.body)
    facts.phrase_probe = text.probe
    facts.phrase_sure = text.sure
    facts.known_words = known
    return facts


def check(root: Node, metas: list[Any]) -> list[bool]:
    """Does each unannotated article match ``root``? (``metas``: as :func:`file_facts` takes them.)"""
    return [node_matches(root, file_facts(meta)) for meta in metas]


class _Remote:
    """One worker process: chunks are written to it as they are submitted (it always
    has the next one at hand), and a thread reads its answers in order and settles
    their futures. A future settled with None: the worker failed, the caller checks
    that chunk itself."""

    def __init__(self, root: Node) -> None:
        self.root = root
        self.worker: Any = _Forked() if _can_fork() else _spawned()
        self.waiting: deque[tuple[int, Future[list[bool] | None]]] = deque()
        self.lock = threading.Lock()
        self.alive = True
        self.reader = threading.Thread(target=self._answers, name="briefing-verify", daemon=True)
        self.reader.start()

    def submit(self, metas: list[Any]) -> Future[list[bool] | None]:
        from briefing.index.workers import _write

        future: Future[list[bool] | None] = Future()
        with self.lock:
            if not self.alive:
                future.set_result(None)
                return future
            self.waiting.append((len(metas), future))
        try:
            _write(self.worker.stdin, (self.root, metas))
        except (OSError, ValueError, pickle.PickleError):
            self._fail()
        return future

    def _answers(self) -> None:
        from briefing.index.workers import _read

        while True:
            try:
                answer = _read(self.worker.stdout)
            except (EOFError, OSError, ValueError, pickle.UnpicklingError):
                break
            with self.lock:
                if not self.waiting:
                    break
                count, future = self.waiting.popleft()
            if not (isinstance(answer, list) and len(answer) == count):
                future.set_result(None)
                break
            future.set_result([bool(a) for a in answer])
        self._fail()

    def _fail(self) -> None:
        with self.lock:
            self.alive = False
            left = list(self.waiting)
            self.waiting.clear()
        for _count, future in left:
            if not future.done():
                future.set_result(None)

    def close(self) -> None:
        self._fail()
        self.worker.stop()
        self.reader.join(timeout=5)


def _spawned() -> Any:
    from briefing.index.workers import Worker

    return Worker(module="briefing.querylang.verify")


def _can_fork() -> bool:
    """A worker may be this process forked: POSIX, and no other thread (a lock one
    holds would stay locked in the child)."""
    return hasattr(os, "fork") and threading.active_count() == 1


class _Forked:
    """A worker that is this process forked (``os.fork``): its modules are imported
    already, so it answers within milliseconds where ``python -m`` takes a fifth of a
    second. It only reads pickled chunks from one pipe and writes answers to another
    (:func:`serve`), and leaves with ``os._exit`` (no buffer of this process flushed
    twice, no exit handler run)."""

    def __init__(self) -> None:
        down_r, down_w = os.pipe()
        up_r, up_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child
            code = 1
            try:
                os.close(down_w)
                os.close(up_r)
                serve(os.fdopen(down_r, "rb"), os.fdopen(up_w, "wb"))
                code = 0
            finally:
                os._exit(code)
        os.close(down_r)
        os.close(up_w)
        self.pid = pid
        self.stdin = os.fdopen(down_w, "wb")
        self.stdout = os.fdopen(up_r, "rb")

    def stop(self) -> None:
        for stream in (self.stdin, self.stdout):
            try:
                stream.close()
            except OSError:
                pass
        try:
            os.kill(self.pid, signal.SIGKILL)
        except OSError:
            pass  # gone already
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass


def _done(value: list[bool]) -> Future[list[bool] | None]:
    future: Future[list[bool] | None] = Future()
    future.set_result(value)
    return future


def decided(root: Node, rows: Iterable[tuple[T, Any]], *, parallel: bool = True) -> Iterator[T]:
    """The values of ``rows`` that match, in order. ``rows``: ``(value, meta)``,
    ``meta`` None when the row is known to match, else the unannotated article to
    check against ``root`` (as :func:`file_facts` takes it). ``parallel``: a worker process may take chunks of open
    rows while this one checks others (see the module docstring)."""
    # (rows as (value, open), the open ones' metas, their verdicts, sent to the worker)
    pending: deque[tuple[list[tuple[T, bool]], list[Any], Future[list[bool] | None], bool]] = deque()
    remote: _Remote | None = None
    in_remote = 0
    spent = 0.0  # CPU seconds of this thread's checks
    batch: list[tuple[T, bool]] = []
    open_metas: list[Any] = []

    def ready(block: bool) -> Iterator[T]:
        nonlocal in_remote
        while pending and (block or pending[0][2].done()):
            items, metas, future, remotely = pending.popleft()
            in_remote -= remotely
            found = future.result()
            verdicts = iter(found if found is not None else check(root, metas))  # None: the worker failed
            for value, is_open in items:
                if not is_open or next(verdicts):
                    yield value

    try:
        for value, meta in rows:
            if meta is None and not batch and not pending:
                yield value  # nothing before it waits: at once
                continue
            batch.append((value, meta is not None))
            if meta is None:
                continue
            open_metas.append(meta)
            if len(open_metas) < CHUNK:
                continue
            if parallel and remote is None and spent > WORKER_AFTER:
                try:
                    remote = _Remote(root)
                except OSError:
                    parallel = False
            if remote is not None and remote.alive and in_remote < DEPTH:
                pending.append((batch, open_metas, remote.submit(open_metas), True))
                in_remote += 1
            else:
                started = time.thread_time()
                pending.append((batch, open_metas, _done(check(root, open_metas)), False))
                spent += time.thread_time() - started
            batch, open_metas = [], []
            yield from ready(block=False)
        if batch:
            pending.append((batch, open_metas, _done(check(root, open_metas)), False))
        yield from ready(block=True)
    finally:
        if remote is not None:
            remote.close()


def serve(stdin: Any = None, stdout: Any = None) -> None:
    """Worker side: answer each ``(root, metas)`` with :func:`check`, until EOF
    (on this process's standard input and output, or the given pipes)."""
    from briefing.index.workers import _read, _write

    stdin = stdin if stdin is not None else sys.stdin.buffer
    stdout = stdout if stdout is not None else sys.stdout.buffer
    while True:
        try:
            root, metas = _read(stdin)
        except EOFError:
            return
        _write(stdout, check(root, metas))


if __name__ == "__main__":
    serve()
