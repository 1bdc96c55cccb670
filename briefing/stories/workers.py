"""Sign article files, in this process or in worker processes.

A job is ``(id, path)``; its result ``(id, fingerprint, size, signature bytes)``,
where ``fingerprint`` is that of the body actually read (``None`` when the file can
no longer be read as an article: it is then left out of the grouping).

Worker processes are plain ``subprocess`` children (``python -m
briefing.stories.workers``) speaking length-prefixed pickles over stdin/stdout, as
:mod:`briefing.index.workers` does and for the same reasons: ``fork`` is unsafe in
a threaded program (the reader calls this from a worker thread) and ``spawn``
re-imports the caller's ``__main__``. Only the parent writes to a worker. A worker
that cannot start or dies is replaced by signing in-process: slower, never wrong.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
from collections.abc import Callable, Iterator

from briefing.corpus import ArticleError, parse_bytes, read_bytes
from briefing.index.workers import Worker, _read, _write  # the index workers' processes and messages
from briefing.stories.signature import Signer, signature_rows

Job = tuple[str, str]  # (article id, file path)
Result = tuple[str, "str | None", int, bytes]

BATCH = 200  # files per message to a worker, and between two cancel checks
POOL_THRESHOLD = 600  # fewer files than this are signed in-process



def sign_jobs(jobs: list[Job], signer: Signer) -> list[Result]:
    """Read, parse and sign each file of ``jobs``."""
    texts: list[str] = []
    ids: list[str] = []
    fingerprints: list[str | None] = []
    for article_id, path in jobs:
        try:
            article = parse_bytes(article_id, path, read_bytes(path))
        except ArticleError:
            ids.append(article_id)
            fingerprints.append(None)
            texts.append("")
            continue
        except Exception:  # noqa: BLE001 - a parser failure leaves this article out, not the grouping
            ids.append(article_id)
            fingerprints.append(None)
            texts.append("")
            continue
        ids.append(article_id)
        fingerprints.append(article.meta.fingerprint)
        texts.append(article.body)
    sigs, sizes = signer.sign_many(texts)
    return [
        (article_id, fp, int(size) if fp is not None else 0, row)
        for article_id, fp, size, row in zip(ids, fingerprints, sizes.tolist(), signature_rows(sigs), strict=True)
    ]


def serve(nice: int = 0) -> None:
    """Worker side: answer each ``(shingle, bins, jobs)`` message with its results,
    first lowering this process's priority by ``nice`` (see :func:`sign_all`)."""
    if nice > 0:
        with contextlib.suppress(OSError):
            os.nice(nice)
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    signers: dict[tuple[int, int], Signer] = {}
    while True:
        try:
            shingle, bins, jobs = _read(stdin)
        except EOFError:
            return
        signer = signers.get((shingle, bins))
        if signer is None:
            signer = signers[(shingle, bins)] = Signer(shingle, bins)
        _write(stdout, sign_jobs(jobs, signer))


def default_workers() -> int:
    return min(2, os.cpu_count() or 1)


def sign_all(jobs: list[Job], signer: Signer, workers: int | None = None,
             cancel: Callable[[], bool] | None = None, nice: int = 0) -> Iterator[list[Result]]:
    """Results of ``jobs`` in batches of up to :data:`BATCH`, in job order.

    Uses worker processes when there are at least :data:`POOL_THRESHOLD` jobs and
    more than one worker is allowed; ``nice`` (0-19) is added to their niceness (the
    reader gives one, so that its own process is served first while they sign). Stops
    (killing the workers) as soon as ``cancel()`` is true between two batches; the
    caller sees the generator end early.
    """
    chunks = [jobs[i : i + BATCH] for i in range(0, len(jobs), BATCH)]
    workers = default_workers() if workers is None else workers
    pool: list[Worker] = []
    if len(jobs) >= POOL_THRESHOLD and workers > 1:
        try:
            args = ("--nice", str(nice)) if nice > 0 else ()
            pool = [Worker(args, module="briefing.stories.workers") for _ in range(workers)]
            for i, chunk in enumerate(chunks):
                pool[i % len(pool)].jobs.append((signer.shingle, signer.bins, chunk))
            for worker in pool:
                worker.start_feeding()
        except OSError:
            for worker in pool:
                worker.stop()
            pool = []
    try:
        for i, chunk in enumerate(chunks):
            if cancel is not None and cancel():
                return
            result = None
            if pool:
                try:
                    result = _read(pool[i % len(pool)].stdout)
                except (EOFError, OSError, pickle.UnpicklingError):
                    for worker in pool:
                        worker.stop()
                    pool = []
            yield result if result is not None else sign_jobs(chunk, signer)
    finally:
        for worker in pool:
            worker.stop()


if __name__ == "__main__":
    serve(int(sys.argv[2]) if sys.argv[1:2] == ["--nice"] and len(sys.argv) > 2 else 0)
