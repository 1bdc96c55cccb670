"""Parse files in worker processes, results in submission order.

Plain ``subprocess`` workers (``python -m briefing.index.workers``) speaking length-
prefixed pickles over stdin/stdout, rather than ``multiprocessing``: ``fork`` is
unsafe in a threaded program (the reader) and ``spawn`` re-imports the caller's
``__main__``, which breaks for scripts without a main guard or code read from stdin.
Only this module's own parent ever writes to a worker, so unpickling is safe.

If a worker cannot be started or dies, :func:`parse_parallel` parses what is left
in-process: slower, never wrong.
"""

from __future__ import annotations

import os
import pickle
import struct
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

from briefing.index.extract import FileStat, Parsed, extract_many

_HEADER = struct.Struct("<Q")

Job = tuple[str, str, FileStat]


def _write(stream, obj) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)))
    stream.write(data)
    stream.flush()


def _read(stream):
    head = stream.read(_HEADER.size)
    if len(head) < _HEADER.size:
        raise EOFError("worker closed its pipe")
    (size,) = _HEADER.unpack(head)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError("worker closed its pipe mid-message")
    return pickle.loads(data)


def serve() -> None:
    """Worker side: read (root, jobs) messages until EOF, answer each with the parses."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while True:
        try:
            root, jobs = _read(stdin)
        except EOFError:
            return
        _write(stdout, extract_many(root, jobs))


class _Worker:
    def __init__(self) -> None:
        package_parent = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_parent, env.get("PYTHONPATH", "")) if p)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "briefing.index.workers"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        self.jobs: list[tuple[str, list[Job]]] = []
        self.feeder: threading.Thread | None = None

    def start_feeding(self) -> None:
        def feed() -> None:
            try:
                for message in self.jobs:
                    _write(self.proc.stdin, message)
                self.proc.stdin.close()
            except (OSError, ValueError):
                pass  # the worker died; the reader side notices

        self.feeder = threading.Thread(target=feed, name="briefing-index-feeder", daemon=True)
        self.feeder.start()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except (OSError, ValueError):
                pass


def parse_parallel(root: str, chunks: list[list[Job]], workers: int,
                   first: list[Job] | None = None) -> Iterator[list[Parsed]]:
    """Yield the parse of ``first`` (in-process, while workers start), then of every
    chunk (by ``workers`` processes), in order."""
    pool: list[_Worker] = []
    try:
        try:
            pool = [_Worker() for _ in range(max(1, workers))]
            for i, chunk in enumerate(chunks):
                pool[i % len(pool)].jobs.append((root, chunk))
            for worker in pool:
                worker.start_feeding()
        except OSError:
            pool = []
        if first:
            yield extract_many(root, first)
        for i, chunk in enumerate(chunks):
            result = None
            if pool:
                try:
                    result = _read(pool[i % len(pool)].proc.stdout)
                except (EOFError, OSError, pickle.UnpicklingError):
                    for worker in pool:
                        worker.stop()
                    pool = []
            yield result if result is not None else extract_many(root, chunk)
    finally:
        for worker in pool:
            worker.stop()


if __name__ == "__main__":
    serve()
