"""Memory handed back after a big job: registered caches are emptied first, on the
thread that gives back (a worker's own SQLite connection), and are held weakly."""

from __future__ import annotations

import gc
import threading

from briefing import heap


class Cache:
    def __init__(self) -> None:
        self.emptied_on: list[int] = []

    def release(self) -> None:
        self.emptied_on.append(threading.get_ident())


def test_a_registered_cache_is_emptied_on_the_thread_that_gives_back() -> None:
    cache = Cache()
    heap.on_give_back(cache.release)
    worker = threading.Thread(target=heap.give_back)
    worker.start()
    worker.join()
    assert cache.emptied_on == [worker.ident]


def test_a_cache_is_not_kept_alive_by_its_registration() -> None:
    cache = Cache()
    heap.on_give_back(cache.release)
    gone = threading.Event()
    import weakref

    weakref.finalize(cache, gone.set)
    del cache
    gc.collect()
    assert gone.is_set()
    heap.give_back()  # (a dead registration is skipped)


def test_an_indexed_corpus_empties_the_connection_of_the_thread_that_gives_back(tmp_path, monkeypatch) -> None:
    from briefing.index import indexed, open_index

    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "c"
    root.mkdir()
    for i in range(30):
        (root / f"a{i}.txt").write_text(f"Title {i}\n\nThe harbour story number {i} goes on.\n", encoding="utf-8")
    released: list[tuple[int, bool]] = []
    real = indexed.IndexedCorpus.release_memory

    def release(self) -> None:
        released.append((threading.get_ident(), getattr(self._local, "conn", None) is not None))
        real(self)

    monkeypatch.setattr(indexed.IndexedCorpus, "release_memory", release)
    corpus = open_index(root)
    counts: list[int] = []
    try:
        def job() -> None:
            counts.append(len(corpus._query("SELECT rowid FROM articles", ())))
            heap.give_back()
            counts.append(len(corpus._query("SELECT rowid FROM articles", ())))  # the connection is kept

        worker = threading.Thread(target=job)
        worker.start()
        worker.join()
        assert released == [(worker.ident, True)]  # this corpus's, on the worker's thread, with its connection
        assert counts == [30, 30]
    finally:
        corpus.close()
