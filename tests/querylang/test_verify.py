"""The rows a query's SQL leaves open are decided on their files, in order, by this
process and a worker process alike (briefing.querylang.verify)."""

from __future__ import annotations

import os
import random

import pytest

from briefing.model import ArticleMeta
from briefing.querylang import parse, verify
from briefing.querylang.match import facts_from, node_matches

LEAD = "The president spoke on Tuesday about several things of note in the capital.\n\n"


def make_rows(tmp_path, count: int) -> list[tuple[int, ArticleMeta | None]]:
    """``count`` rows: every fifth one decided already (None), the others files that
    hold the phrase, its words apart, or neither."""
    rng = random.Random(3)
    rows: list[tuple[int, ArticleMeta | None]] = []
    for n in range(count):
        if n % 5 == 0:
            rows.append((n, None))
            continue
        text = rng.choice(["The white house said so.", "The White\nHouse said so.", "White paint; a house.",
                           "Nothing here.", "The Whíte Hôuse said so."])
        path = tmp_path / f"{n:04d}.txt"
        path.write_text(LEAD + text + "\n", encoding="utf-8")
        rows.append((n, ArticleMeta(path.name, str(path), f"Title {n}", False, None, None, None, (), "", 10)))
    return rows


def expected(root, rows) -> list[int]:
    """The truth, one row at a time: the parsed body, no byte test."""
    from briefing.corpus.load import parse_body, read_bytes

    out = []
    for value, meta in rows:
        if meta is None or node_matches(root, facts_from(meta, None, parse_body(meta.id, meta.path, read_bytes(meta.path)))):
            out.append(value)
    return out


@pytest.mark.parametrize("query", ['"white house"', '-"white house"', '"white house" OR nothing'])
def test_in_process_in_order(tmp_path, query: str) -> None:
    rows = make_rows(tmp_path, 150)
    root = parse(query).root
    assert list(verify.decided(root, iter(rows), parallel=False)) == expected(root, rows)


@pytest.fixture
def remotes(monkeypatch) -> list:
    """Small chunks, a worker after the first; the workers started, each with the
    list of its chunks' outcomes (True: the worker answered it)."""
    monkeypatch.setattr(verify, "CHUNK", 8)
    monkeypatch.setattr(verify, "WORKER_AFTER", 0.0)
    started: list = []
    real = verify._Remote

    class Recorded(real):  # type: ignore[misc,valid-type]
        def __init__(self, root):
            self.futures: list = []
            super().__init__(root)
            started.append(self)

        def submit(self, metas):
            future = super().submit(metas)
            self.futures.append(future)
            return future

        @property
        def answered(self) -> list[bool]:  # (True: the worker answered the chunk)
            return [f.result() is not None for f in self.futures if f.done()]

    monkeypatch.setattr(verify, "_Remote", Recorded)
    return started


@pytest.fixture(params=["fork", "spawn"])
def how(request, monkeypatch) -> str:
    """The worker is this process forked, or a new interpreter (``python -m``)."""
    if request.param == "spawn":
        monkeypatch.setattr(verify, "_can_fork", lambda: False)
    else:  # forked even if another test left a thread behind on this worker (the child only checks)
        monkeypatch.setattr(verify, "_can_fork", lambda: True)
    return str(request.param)


def stopped(remote) -> bool:
    worker = remote.worker
    if isinstance(worker, verify._Forked):
        try:
            os.kill(worker.pid, 0)
        except ProcessLookupError:
            return True  # reaped
        return False
    return worker.proc.poll() is not None


def test_with_a_worker_process_the_same_rows_in_order(tmp_path, remotes, how) -> None:
    rows = make_rows(tmp_path, 200)
    root = parse('"white house"').root
    assert list(verify.decided(root, iter(rows))) == expected(root, rows)
    assert len(remotes) == 1 and remotes[0].answered and all(remotes[0].answered)  # the worker took chunks
    assert isinstance(remotes[0].worker, verify._Forked) == (how == "fork")
    assert stopped(remotes[0])


def test_a_worker_that_cannot_run_leaves_its_chunks_here(tmp_path, remotes, monkeypatch) -> None:
    from briefing.index import workers

    monkeypatch.setattr(verify, "_can_fork", lambda: False)
    real = workers.Worker
    monkeypatch.setattr(workers, "Worker", lambda module: real(module="briefing.no_such_module"))
    rows = make_rows(tmp_path, 120)
    root = parse('"white house"').root
    assert list(verify.decided(root, iter(rows))) == expected(root, rows)
    assert remotes and not any(remotes[0].answered)


def test_stopping_early_stops_the_worker(tmp_path, remotes, how) -> None:
    rows = make_rows(tmp_path, 200)
    root = parse('"white house"').root
    found = verify.decided(root, iter(rows))
    first = [next(found) for _ in range(20)]  # past the chunks checked before the worker starts
    assert first == expected(root, rows)[:20]
    found.close()
    assert remotes and all(stopped(r) for r in remotes)


def test_the_future_hands_its_value_across_threads() -> None:
    import threading

    future: verify.Future[list[bool]] = verify.Future()
    assert not future.done()
    release = threading.Event()

    def later() -> None:
        release.wait()
        future.set_result([True, False])

    setter = threading.Thread(target=later)
    setter.start()
    assert not future.done()  # (nothing set until released)
    release.set()
    assert future.result() == [True, False]  # waits for the other thread
    setter.join()
    assert future.done()
