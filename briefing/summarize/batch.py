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
misses are computed here, one after the other. Plain Python (no Textual); call it
from a worker thread, never the UI thread (it may take seconds and touch the disk).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

from briefing.summarize import Summary
from briefing.summarize.cache import Key, SummaryCache

PARALLEL_MIN = 32  # misses at least: below this, computing them here is quicker than starting a pool
PARALLEL_CHARS = 500_000  # and characters at least (about 0.35 s of summarizing, measured by bench/brief_export.py)
CHUNK = 8  # jobs a worker takes at a time (fewer round trips; still balanced over 500 jobs)


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


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


def _in_pool(jobs: Sequence[Job], workers: int) -> list[Summary] | None:
    """The summaries of ``jobs`` computed by ``workers`` spawned processes, in order;
    None when the pool cannot start or fails (the caller computes them itself)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            return list(pool.map(compute, jobs, chunksize=max(1, min(CHUNK, len(jobs) // (workers * 4) or 1))))
    except Exception:  # noqa: BLE001 - no pool (no /dev/shm, a sandbox, a broken worker): compute here
        return None


def summarize_many(jobs: Sequence[Job], cache: SummaryCache | None = None, *, workers: int | None = None,
                   parallel_min: int = PARALLEL_MIN, parallel_chars: int = PARALLEL_CHARS) -> list[Summary]:
    """The summary of each of ``jobs``, in order: from ``cache`` when it holds it,
    else computed (see the module docstring) and put in ``cache``. A job whose key
    repeats is computed once. ``workers``: the pool's size at most (default: the
    cores); 1 never starts a pool. ``parallel_min``/``parallel_chars``: how much work
    starts a pool (tests lower them)."""
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
        made = _in_pool(todo, size)
    if made is None:
        made = [compute(job) for job in todo]
    for job, summary in zip(todo, made, strict=True):
        found[job.key] = summary
    if cache is not None and todo:
        cache.put_many([(job.key, found[job.key]) for job in todo])
    return [found[job.key] for job in jobs]
