"""Many summaries at once (exports): cache hits read, misses computed in order, in a
process pool when many, and computed here when the pool cannot start."""

from __future__ import annotations

import concurrent.futures

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

    def pool(jobs, workers):
        made = real(jobs, workers)
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
