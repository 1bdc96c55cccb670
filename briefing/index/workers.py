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
import stat
import struct
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from briefing.corpus.discover import kind_of
from briefing.corpus.load import kind_max_bytes
from briefing.index.extract import ROW_DATE, ROW_TITLE, FileStat, Parsed, bulk_rowid, extract_many, fts_text, joined, outcome

_HEADER = struct.Struct("<Q")
READ_AHEAD = 2  # chunks a worker asks the disk for before it parses the one in hand
SHARD_FLUSH = 16384  # full texts a shard worker sorts and writes at once (one FTS5 segment each)

Job = tuple[str, str, FileStat | None]  # (id, path, stat from the walk or None: the worker's fstat serves)


def _write(stream: IO[bytes], obj: object) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)))
    stream.write(data)
    stream.flush()


def _read(stream: IO[bytes]) -> Any:
    head = stream.read(_HEADER.size)
    if len(head) < _HEADER.size:
        raise EOFError("worker closed its pipe")
    (size,) = _HEADER.unpack(head)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError("worker closed its pipe mid-message")
    return pickle.loads(data)


_ADVISE = getattr(os, "posix_fadvise", None)
_ADVISE_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)


def prefetch(paths: Iterable[str]) -> None:
    """Ask the kernel to start reading ``paths`` into the page cache, without
    waiting (``POSIX_FADV_WILLNEED``). From a cold disk, a worker that reads one file
    after another waits for each in turn while its core idles; files asked for
    chunks ahead are read while it parses, many requests in flight at once (this
    machine's disk served 30k small files in 2 s so, against 9 s one by one).
    Best effort: a file that cannot be opened is left to the read that reports it."""
    if _ADVISE is None:
        return
    for path in paths:
        try:
            fd = os.open(path, _ADVISE_FLAGS)
        except OSError:
            continue
        try:
            info = os.fstat(fd)
            # only what the read will take: a huge or special file planted in the
            # corpus is refused there, and must not fill the page cache here
            if stat.S_ISREG(info.st_mode) and info.st_size <= kind_max_bytes(kind_of(os.fspath(path))):
                _ADVISE(fd, 0, 0, os.POSIX_FADV_WILLNEED)
        except OSError:
            pass
        finally:
            os.close(fd)


def _messages(stream: IO[bytes]) -> Iterator[Any]:
    """The messages of the parent, each yielded once the files of the
    :data:`READ_AHEAD` after it have been asked for (:func:`prefetch`). The parent
    writes every message at once (its feeder thread), so reading ahead never waits
    for more than the pipe."""
    ahead: deque[Any] = deque()
    done = False
    while True:
        while not done and len(ahead) <= READ_AHEAD:
            try:
                message = _read(stream)
            except EOFError:
                done = True
                break
            prefetch(path for _id, path in message[0])
            ahead.append(message)
        if not ahead:
            return
        yield ahead.popleft()


class ShardFailed(Exception):
    """A worker writing a full-text shard could not start or died: the build that
    used it cannot be trusted (it is redone without shards)."""


# The protocol: the parent sends ``(names, first_seq)`` messages, ``names`` being the
# (id, path) of each file of a chunk (``first_seq`` only for a shard worker); the
# worker answers each with one plain tuple per file, in order (see _answer), which
# the parent joins back to the jobs it sent (see _joined).


def serve_shard(path: str) -> None:
    """Worker side of a sharded cold build: parse each batch, write its full text to
    the shard at ``path`` (rowids from :func:`bulk_rowid`, the batch's first job being
    number ``first_seq``), and answer with the parses minus their bodies (each with its
    rowid). Finish the shard at EOF."""
    from briefing.index import store

    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    conn = store.start_shard(Path(path))
    pending: list[tuple[int, bytes]] = []

    def flush() -> None:
        # Ascending rowids, many at once: FTS5 writes its pending terms as a new segment
        # whenever a rowid is not above the last one (in job order, every few rows),
        # and every segment costs merge work later.
        pending.sort()
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO search(rowid, text) VALUES (?, ?)", pending)
        conn.execute("COMMIT")
        pending.clear()

    for names, first_seq in _messages(stdin):
        out = []
        for seq, (id, file) in enumerate(names, first_seq):
            stat, digest, row, body, problem, items = outcome(id, file)
            rowid = None
            if row is not None:
                rowid = bulk_rowid(row[ROW_DATE] or 0, seq)
                # UTF-8 bytes: half the memory of a str with any character above U+00FF,
                # and what SQLite would convert it to anyway (FTS5 reads a BLOB as text).
                pending.append((rowid, fts_text(row[ROW_TITLE], body)))
            # A many-article file's items keep their bodies: the parent writes them.
            out.append((stat, digest, row, b"", problem, rowid, items))
        _write(stdout, out)  # the rowids are final: the parent may go on while the text waits
        if len(pending) >= SHARD_FLUSH:
            flush()
    flush()
    store.finish_shard(conn)


def serve() -> None:
    """Worker side: read chunks until EOF, answer each with the parses."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    for names, _ in _messages(stdin):
        answers = []
        for id, file in names:
            answer = outcome(id, file)
            answers.append((*answer[:5], None, answer[5]))
        _write(stdout, answers)


def _joined(chunk: list[Job], answers: list[tuple[Any, ...]]) -> list[Parsed]:
    """A worker's answers to ``chunk`` as Parsed, with the id, path and stat of each job."""
    if len(answers) != len(chunk):
        raise EOFError("a worker answered a chunk with the wrong number of files")
    return [joined(id, file, stat, answer) for (id, file, stat), answer in zip(chunk, answers, strict=True)]


class Worker:
    """One worker process (``python -m module args``) and a thread feeding it its
    queued messages (``jobs``); also used by the stories' signing workers."""

    def __init__(self, args: tuple[str, ...] = (), module: str = "briefing.index.workers") -> None:
        package_parent = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_parent, env.get("PYTHONPATH", "")) if p)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", module, *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        self.jobs: list[tuple[Any, ...]] = []  # messages: (names, first_seq), see the protocol above
        self.feeder: threading.Thread | None = None

    @property
    def stdin(self) -> IO[bytes]:
        assert self.proc.stdin is not None  # a pipe: Popen(stdin=PIPE)
        return self.proc.stdin

    @property
    def stdout(self) -> IO[bytes]:
        assert self.proc.stdout is not None  # a pipe: Popen(stdout=PIPE)
        return self.proc.stdout

    def start_feeding(self) -> None:
        def feed() -> None:
            try:
                for message in self.jobs:
                    _write(self.stdin, message)
                self.stdin.close()
            except (OSError, ValueError):
                pass  # the worker died; the reader side notices

        self.feeder = threading.Thread(target=feed, name="briefing-worker-feeder", daemon=True)
        self.feeder.start()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                if stream is not None:
                    stream.close()
            except (OSError, ValueError):
                pass


def parse_parallel(root: str, chunks: list[list[Job]], workers: int,
                   first: list[Job] | None = None, shards: list[Path] | None = None) -> Iterator[list[Parsed]]:
    """Yield the parse of ``first`` (in-process, while workers start), then of every
    chunk (by ``workers`` processes), in order.

    With ``shards`` (one path per worker), worker ``i`` writes the full text of its
    chunks to ``shards[i]`` (the jobs numbered from ``len(first) + 1``, for
    :func:`bulk_rowid`) and returns parses without bodies; :class:`ShardFailed` when
    a worker cannot start or dies, since its shard is then incomplete.
    """
    pool: list[Worker] = []
    try:
        try:
            if shards is not None:
                if len(shards) != workers:
                    raise ValueError("one shard per worker")
                pool = [Worker(("--shard", str(shards[i]))) for i in range(workers)]
            else:
                pool = [Worker() for _ in range(max(1, workers))]
            seq = len(first or ()) + 1
            for i, chunk in enumerate(chunks):
                pool[i % len(pool)].jobs.append(([(id, file) for id, file, _stat in chunk], seq))
                seq += len(chunk)
            for worker in pool:
                worker.start_feeding()
        except OSError as err:
            if shards is not None:
                raise ShardFailed(str(err)) from err
            pool = []
        if first:
            yield extract_many(root, first)
        for i, chunk in enumerate(chunks):
            result = None
            if pool:
                try:
                    result = _joined(chunk, _read(pool[i % len(pool)].stdout))
                except (EOFError, OSError, pickle.UnpicklingError, TypeError, ValueError) as err:
                    if shards is not None:
                        raise ShardFailed(f"a shard worker died: {err}") from err
                    for worker in pool:
                        worker.stop()
                    pool = []
            yield result if result is not None else extract_many(root, chunk)
        if shards is not None:
            for worker in pool:  # each finishes its shard once its stdin is closed
                if worker.feeder is not None:
                    worker.feeder.join()
                try:
                    # Its stdout closes when it exits: a blocking read returns at once
                    # then, where wait(timeout) would poll in sleeps of up to 50 ms.
                    worker.stdout.read()
                    code = worker.proc.wait(timeout=120)
                except subprocess.TimeoutExpired:
                    code = None
                if code != 0:
                    raise ShardFailed(f"a shard worker exited with {code}")
    finally:
        for worker in pool:  # kills a worker still running (the caller stopped early)
            worker.stop()


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--shard":
        serve_shard(sys.argv[2])
    else:
        serve()
