"""How fast this machine's CPU is right now, for the benchmark tables.

The machine these benchmarks run on is shared: under another tenant's load, or after
minutes of load on both cores, the same work can take half as long again (the CPU
time of a cold build moved from 12.5 s to 21 s between two runs of the same code).
A fixed piece of pure-Python work, timed before each size, lets a reader of a table
see whether a figure was taken on a slowed machine.
"""

from __future__ import annotations

import time


def cpu_check_ms(repeats: int = 3) -> float:
    """Milliseconds for a fixed loop (best of ``repeats``; about 40 ms on this machine when quiet)."""
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        total = 0
        for i in range(1_000_000):
            total += i * i
        best = min(best, time.perf_counter() - started)
    return best * 1000
