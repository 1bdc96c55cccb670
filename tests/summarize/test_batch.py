"""Many summaries at once (exports): cache hits read, misses computed in order, in a
process pool when many, and computed here when the pool cannot start."""

from __future__ import annotations

import concurrent.futures
import signal
import time

import pytest

from briefing.summarize import batch, summarize_detail
from briefing.summarize.batch import Job, summarize_many
from briefing.summarize.cache import SummaryCache, key

TEXTS = [
    " ".join(f"Sentence {k} of text {n} tells of the grid and the {w} in the city." for k, w in
             enumerate(["dams", "ports", "roads", "lines", "plants", "depots"][: 4 + n % 3]))
    for n in range(6)
]


def _jobs() -> list[Job]:
    jobs = [Job(key(f"sha256:{n}", "default", 2, "en"), text) for n, text in enumerate(TEXTS)]
    return jobs + [jobs[1]]  # a repeated key: computed once, returned twice


def _expected() -> list[list[str]]:
    # each job's summary as the summarizer makes it for that text alone
    return [summarize_detail(t, 2, "default", lang="en").sentences for t in TEXTS] + \
        [summarize_detail(TEXTS[1], 2, "default", lang="en").sentences]


def test_a_pool_gives_each_jobs_summary_in_the_jobs_order_and_fills_the_cache(tmp_path, monkeypatch):
    used = []
    real = batch._in_pool

    def pool(jobs, workers, stop=None):
        made = real(jobs, workers, stop)
        used.append((len(jobs), workers, made is not None))
        return made

    monkeypatch.setattr(batch, "_in_pool", pool)
    cache = SummaryCache(tmp_path / "s.sqlite3")
    out = summarize_many(_jobs(), cache, workers=2, parallel_min=2, parallel_chars=0)
    assert used == [(6, 2, True)]  # the six distinct texts, in a pool of two that worked
    assert [s.sentences for s in out] == _expected()
    assert all(cache.get(j.key) is not None for j in _jobs())

    def never(job):
        raise AssertionError("computed again")

    monkeypatch.setattr(batch, "compute", never)  # everything is in the cache now: nothing is computed
    assert [s.sentences for s in summarize_many(_jobs(), cache, workers=2, parallel_min=2, parallel_chars=0)] == _expected()


def test_without_a_pool_the_misses_are_computed_here(monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("no semaphores here")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", broken)
    out = summarize_many(_jobs(), None, workers=2, parallel_min=2, parallel_chars=0)
    assert [s.sentences for s in out] == _expected()


def _many_jobs(n: int) -> list[Job]:
    return [Job(key(f"sha256:m{k}", "default", 2, "en"), TEXTS[k % len(TEXTS)]) for k in range(n)]


def test_a_stop_between_chunks_gives_up_and_writes_nothing(tmp_path, monkeypatch):
    done = []
    real = batch.compute

    def counted(job):
        done.append(job)
        return real(job)

    monkeypatch.setattr(batch, "compute", counted)
    asked = []

    def stop():
        asked.append(len(done))
        return len(asked) > 1  # after the first chunk

    cache = SummaryCache(tmp_path / "s.sqlite3")
    jobs = _many_jobs(batch.CHUNK * 3)
    with pytest.raises(batch.Stopped):
        summarize_many(jobs, cache, workers=1, stop=stop)
    assert asked == [0, batch.CHUNK] and len(done) == batch.CHUNK
    assert all(cache.get(j.key) is None for j in jobs)

    done.clear()
    with batch.stopping(lambda: True):  # the export worker's way: no argument to pass down
        with pytest.raises(batch.Stopped):
            summarize_many(jobs, None, workers=1)
    assert done == []
    assert [s.sentences for s in summarize_many(jobs[:2], None, workers=1)] == _expected()[:2]  # the block is over


def test_a_stopped_pool_is_not_waited_for(tmp_path, monkeypatch):
    shut = []
    real = concurrent.futures.ProcessPoolExecutor.shutdown

    workers = []

    def shutdown(self, wait=True, *, cancel_futures=False):
        shut.append((wait, cancel_futures))
        workers.extend((self._processes or {}).values())
        real(self, wait=wait, cancel_futures=cancel_futures)

    monkeypatch.setattr(concurrent.futures.ProcessPoolExecutor, "shutdown", shutdown)
    cache = SummaryCache(tmp_path / "s.sqlite3")
    jobs = _many_jobs(40)
    with pytest.raises(batch.Stopped):
        summarize_many(jobs, cache, workers=2, parallel_min=2, parallel_chars=0, stop=lambda: True)
    assert shut == [(False, True)]
    assert workers
    for process in workers:  # ended, not left to finish the chunks they held (exit would wait for them)
        # The pool's own thread reaps them too: a join here can return before it has
        # recorded the exit code, so wait for the code itself.
        deadline = time.monotonic() + 30
        while process.exitcode is None:
            assert time.monotonic() < deadline, f"worker {process.pid} still running"
            process.join(0.05)
        assert process.exitcode == -signal.SIGTERM
    assert all(cache.get(j.key) is None for j in jobs)
