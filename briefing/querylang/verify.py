"""Deciding the rows a query's SQL leaves open (a phrase's candidates: every word
present, the order unknown to an index without positions) on their files, in order.

:func:`file_facts` is what the per-article predicate
(:func:`briefing.querylang.match.node_matches`) gets for an unannotated row: the
row's metadata, and the file read once, its bytes first tested for each phrase
(:mod:`briefing.querylang.phrasecheck`: most candidates are settled there without a
parse), else parsed and checked exactly.

:func:`decided` runs that check over a stream of rows and yields the matching ones
in the order they came, checking as far as the caller reads. Once the checks here
have taken :data:`WORKER_AFTER` seconds of CPU (many rows are open: a phrase over a
million articles), it starts one worker process (``python -m
briefing.querylang.verify``, the index's worker protocol of
:mod:`briefing.index.workers`: pickles over pipes) and hands it up to
:data:`DEPTH` chunks at a time while this process checks the others: two cores. A worker that cannot start or dies leaves its
chunks to this process: slower, never a different answer.
"""

from __future__ import annotations

import pickle
import sys
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future
from typing import Any, TypeVar

from briefing.querylang.match import Facts, facts_from, node_matches
from briefing.querylang.nodes import Node
from briefing.querylang.phrasecheck import FileText

T = TypeVar("T")
CHUNK = 64  # open rows per chunk: a first page fills after a chunk or two
# CPU seconds of checking here before a worker is worth its start (~0.2 s of a core):
# a phrase with a thousand candidates is done sooner without one
WORKER_AFTER = 0.15
DEPTH = 2  # chunks a worker holds at once


def file_facts(meta: Any) -> Facts:
    """The facts of an unannotated article: its indexed metadata, its file's body
    read only when a test needs it, and a phrase's byte test of the same read."""
    text = FileText(meta.id, meta.path)
    facts = facts_from(meta, None, text.body)
    facts.phrase_probe = text.probe
    return facts


def check(root: Node, metas: list[Any]) -> list[bool]:
    """Does each unannotated article match ``root``?"""
    return [node_matches(root, file_facts(meta)) for meta in metas]


class _Remote:
    """One worker process and the thread that talks to it (a chunk at a time:
    send, then wait for the answer, with the GIL released while waiting)."""

    def __init__(self, root: Node) -> None:
        from concurrent.futures import ThreadPoolExecutor

        from briefing.index.workers import Worker

        self.root = root
        self.worker: Any = Worker(module="briefing.querylang.verify")
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="briefing-verify")
        self.alive = True
        self.closed = False

    def submit(self, metas: list[Any]) -> Future[list[bool]]:
        return self.pool.submit(self._run, metas)

    def _run(self, metas: list[Any]) -> list[bool]:
        from briefing.index.workers import _read, _write

        if self.alive:
            try:
                _write(self.worker.stdin, (self.root, metas))
                answer = _read(self.worker.stdout)
                if isinstance(answer, list) and len(answer) == len(metas):
                    return [bool(a) for a in answer]
            except (EOFError, OSError, pickle.PickleError, TypeError, ValueError, AttributeError):
                pass
            self.alive = False  # no more chunks to it; this one is checked here
        return [] if self.closed else check(self.root, metas)

    def close(self) -> None:
        self.alive = False
        self.closed = True
        self.worker.stop()
        self.pool.shutdown(wait=True, cancel_futures=True)


def _done(value: list[bool]) -> Future[list[bool]]:
    future: Future[list[bool]] = Future()
    future.set_result(value)
    return future


def decided(root: Node, rows: Iterable[tuple[T, Any]], *, parallel: bool = True) -> Iterator[T]:
    """The values of ``rows`` that match, in order. ``rows``: ``(value, meta)``,
    ``meta`` None when the row is known to match, else the unannotated article to
    check against ``root``. ``parallel``: a worker process may take chunks of open
    rows while this one checks others (see the module docstring)."""
    pending: deque[tuple[list[tuple[T, bool]], Future[list[bool]], bool]] = deque()  # (rows, verdicts, remote)
    remote: _Remote | None = None
    in_remote = 0
    spent = 0.0  # CPU seconds of this thread's checks
    batch: list[tuple[T, bool]] = []  # (value, open)
    open_metas: list[Any] = []

    def ready(block: bool) -> Iterator[T]:
        nonlocal in_remote
        while pending and (block or pending[0][1].done()):
            items, future, remotely = pending.popleft()
            in_remote -= remotely
            verdicts = iter(future.result())
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
                pending.append((batch, remote.submit(open_metas), True))
                in_remote += 1
            else:
                started = time.thread_time()
                pending.append((batch, _done(check(root, open_metas)), False))
                spent += time.thread_time() - started
            batch, open_metas = [], []
            yield from ready(block=False)
        if batch:
            pending.append((batch, _done(check(root, open_metas)), False))
        yield from ready(block=True)
    finally:
        if remote is not None:
            remote.close()


def serve() -> None:
    """Worker side: answer each ``(root, metas)`` with :func:`check`, until EOF."""
    from briefing.index.workers import _read, _write

    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while True:
        try:
            root, metas = _read(stdin)
        except EOFError:
            return
        _write(stdout, check(root, metas))


if __name__ == "__main__":
    serve()
