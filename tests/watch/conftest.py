"""A corpus, its index and a running watcher, in both modes (system events, polling)."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from briefing.index import CorpusIndex
from briefing.watch import CorpusWatcher, WatchBatch

from ..index.conftest import make_corpus

POLL_INTERVAL = 0.3  # polling mode in tests: short, so a test waits little


@pytest.fixture(autouse=True)
def private_dirs(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("BRIEFING_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("BRIEFING_WATCH", raising=False)


@pytest.fixture
def corpus_dir(tmp_path) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    make_corpus(root, 12)
    return root


class Batches:
    """What a watcher delivered, with waits for conditions on it (never fixed sleeps)."""

    def __init__(self) -> None:
        self.queue: queue.Queue[WatchBatch] = queue.Queue()
        self.all: list[WatchBatch] = []

    def __call__(self, batch: WatchBatch) -> None:
        self.queue.put(batch)

    def wait(self, condition: Callable[[WatchBatch], bool], timeout: float = 5.0) -> WatchBatch:
        """The first batch from now on for which ``condition`` holds."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no such batch within {timeout} s; got {self.all}")
            try:
                batch = self.queue.get(timeout=left)
            except queue.Empty:
                continue
            self.all.append(batch)
            if condition(batch):
                return batch

    def drain(self) -> list[WatchBatch]:
        got = []
        while True:
            try:
                got.append(self.queue.get_nowait())
            except queue.Empty:
                self.all += got
                return got


@pytest.fixture(params=["native", "polling"])
def mode(request) -> str:
    return request.param


@pytest.fixture
def watched(corpus_dir, mode):
    """(root, index, watcher, batches): the watcher started and the index synced."""
    index = CorpusIndex(corpus_dir, workers=1)
    batches = Batches()
    watcher = CorpusWatcher(corpus_dir, batches, index=index, annotations=corpus_dir / "annotations.yaml",
                            mode=mode, poll_interval=POLL_INTERVAL)
    watcher.start()
    watcher.refresh_index()
    yield corpus_dir, index, watcher, batches
    watcher.stop()
    assert not watcher.running


def watcher_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("briefing-watch")]
