"""Many summaries at once, for exports: cache hits read, misses computed (in parallel
when there are many), everything computed written back to the cache.

    >>> summaries = summarize_many([Job(key, body, headings), ...], cache)

The result is in the order of the jobs, whatever order the work finished in, and
each summary is exactly what :func:`briefing.summarize.summarize_detail` returns for
its job (the same input always gives the same summary), so an export's text does
not depend on the cache, the pool or the number of cores.

Misses are computed in a process pool of ``min(cores, misses)`` workers only when
there are at least :data:`PARALLEL_MIN` of them holding at least
:data:`PARALLEL_CHARS` characters (less work is quicker done here than starting the
pool: a spawned worker costs about 0.15 s of CPU to import the summarizer, and a
news article of 3,000 characters about 2 ms to summarize); the pool is started with ``spawn`` (safe in a process that holds threads,
such as the reader, and on every platform), and when it cannot start or breaks the
misses are computed here, one after the other.

An export the user gives up on stops its summaries: ``stop`` (or the callback of
an enclosing :func:`stopping`, which the reader's export worker sets) is asked
between chunks of work, and when it says so :class:`Stopped` is raised and the pool
is shut down without waiting, its queued chunks cancelled and its workers ended
(nothing is left for the interpreter to wait for when it exits). Plain Python (no Textual); call it
from a worker thread, never the UI thread (it may take seconds and touch the disk).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from briefing.summarize import Summary
from briefing.summarize.cache import Key, SummaryCache

PARALLEL_MIN = 32  # misses at least: below this, computing them here is quicker than starting a pool
PARALLEL_CHARS = 500_000  # and characters at least (about 0.35 s of summarizing, measured by bench/brief_export.py)
CHUNK = 8  # jobs a worker takes at a time (fewer round trips; still balanced over 500 jobs)
POLL_S = 0.1  # how often a wait on the pool asks ``stop``

Stop = Callable[[], bool]


class Stopped(Exception):  # noqa: N818 - a signal, not an error
    """The ``stop`` callback said to give up; nothing was written to the cache."""


_local = threading.local()


@contextmanager
def stopping(stop: Stop) -> Iterator[None]:
    """Within the block, :func:`summarize_many` in this thread asks ``stop`` between
    chunks (for callers that cannot pass it down, such as an export's build)."""
    previous = getattr(_local, "stop", None)
    _local.stop = stop
    try:
        yield
    finally:
        _local.stop = previous


def _check(stop: Stop | None) -> None:
    if stop is not None and stop():
        raise Stopped


@dataclass(frozen=True, slots=True)
class Job:
    """One summary to make: its cache key (fingerprint, method, length, lang; ``lang``
    ``""`` is detected from the text) and the text it summarizes."""

    key: Key
    body: str
    headings: tuple[str, ...] = ()


def compute(job: Job) -> Summary:
    """The summary of one job (no cache). Module-level: a spawned worker imports it."""
    from briefing.summarize import AUTO, summarize_detail

    _fingerprint, method, length, lang = job.key
    return summarize_detail(job.body, length, method, headings=job.headings, lang=lang or AUTO)


def compute_chunk(jobs: Sequence[Job]) -> list[Summary]:
    """The summaries of a few jobs, in order (a pool worker's share)."""
    return [compute(job) for job in jobs]


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


def _in_pool(jobs: Sequence[Job], workers: int, stop: Stop | None = None) -> list[Summary] | None:
    """The summaries of ``jobs`` computed by ``workers`` spawned processes, in order;
    None when the pool cannot start or fails (the caller computes them itself).
    Raises :class:`Stopped` when ``stop`` says so (asked at least every
    :data:`POLL_S`); the pool is never waited for."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures import TimeoutError as FutureTimeout

    size = max(1, min(CHUNK, len(jobs) // (workers * 4) or 1))
    pool = None
    try:
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
        futures = [pool.submit(compute_chunk, jobs[i:i + size]) for i in range(0, len(jobs), size)]
        made: list[Summary] = []
        for future in futures:
            while True:
                _check(stop)
                try:
                    made.extend(future.result(timeout=POLL_S))
                    break
                except (TimeoutError, FutureTimeout):  # (the same class from Python 3.11 on)
                    continue
        return made
    except Stopped:
        if pool is not None:
            _end_workers(pool)  # before shutdown, which forgets them
            pool.shutdown(wait=False, cancel_futures=True)
            pool = None
        raise
    except Exception:  # noqa: BLE001 - no pool (no /dev/shm, a sandbox, a broken worker): compute here
        return None
    finally:
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)


def _end_workers(pool: object) -> None:
    """End a given-up pool's workers now: the chunks they already hold would
    otherwise be finished first, and the interpreter waits for them when it exits
    (Python 3.14 has ``terminate_workers``; before it, the pool's process table)."""
    terminate = getattr(pool, "terminate_workers", None)
    if callable(terminate):
        try:
            terminate()
        except Exception:  # noqa: BLE001 - already ended
            pass
        return
    processes = getattr(pool, "_processes", None) or {}
    for process in list(processes.values()):
        try:
            process.terminate()
        except (OSError, ValueError, AttributeError):  # already ended or closed
            pass


def _here(jobs: Sequence[Job], stop: Stop | None) -> list[Summary]:
    made: list[Summary] = []
    for i in range(0, len(jobs), CHUNK):
        _check(stop)
        made.extend(compute_chunk(jobs[i:i + CHUNK]))
    return made


def summarize_many(jobs: Sequence[Job], cache: SummaryCache | None = None, *, workers: int | None = None,
                   parallel_min: int = PARALLEL_MIN, parallel_chars: int = PARALLEL_CHARS,
                   stop: Stop | None = None) -> list[Summary]:
    """The summary of each of ``jobs``, in order: from ``cache`` when it holds it,
    else computed (see the module docstring) and put in ``cache``. A job whose key
    repeats is computed once. ``workers``: the pool's size at most (default: the
    cores); 1 never starts a pool. ``parallel_min``/``parallel_chars``: how much work
    starts a pool (tests lower them). ``stop`` (default: the enclosing
    :func:`stopping`'s): asked between chunks; :class:`Stopped` when it says so."""
    if stop is None:
        stop = getattr(_local, "stop", None)
    found: dict[Key, Summary] = {}
    missing: dict[Key, Job] = {}
    for job in jobs:
        if job.key in found or job.key in missing:
            continue
        hit = cache.get(job.key) if cache is not None else None
        if hit is not None:
            found[job.key] = hit
        else:
            missing[job.key] = job
    todo = list(missing.values())
    size = min(workers or cores(), len(todo))
    made: list[Summary] | None = None
    if size > 1 and len(todo) >= parallel_min and sum(len(job.body) for job in todo) >= parallel_chars:
        made = _in_pool(todo, size, stop)
    if made is None:
        made = _here(todo, stop)
    for job, summary in zip(todo, made, strict=True):
        found[job.key] = summary
    if cache is not None and todo:
        cache.put_many([(job.key, found[job.key]) for job in todo])
    return [found[job.key] for job in jobs]
