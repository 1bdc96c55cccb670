"""The summary cache: memory LRU, the file across instances, a damaged file, versions."""

from __future__ import annotations

import threading

from briefing.summarize import Summary
from briefing.summarize import cache as summary_cache
from briefing.summarize.cache import SummaryCache


def _summary(text: str) -> Summary:
    return Summary([text, "Second sentence."], "default", "default", None)


def test_a_summary_put_in_one_instance_is_found_by_the_next(tmp_path):
    path = tmp_path / "summaries.sqlite3"
    first = SummaryCache(path)
    key = ("sha256:aa", "default", 3, "")
    first.put(key, _summary("One."))
    first.close()
    second = SummaryCache(path)
    assert second.remembered(key) is None  # memory starts empty
    assert second.get(key) == _summary("One.")
    assert second.remembered(key) == _summary("One.")  # now in memory
    assert second.get(("sha256:aa", "default", 4, "")) is None  # another length is another summary
    assert second.get(("sha256:aa", "lexrank", 3, "")) is None


def test_the_memory_keeps_the_most_recent(tmp_path):
    cache = SummaryCache(None, memory_items=2)
    for i in range(3):
        cache.put((f"sha256:{i}", "default", 3, ""), _summary(f"S{i}."))
    assert cache.remembered(("sha256:0", "default", 3, "")) is None
    assert cache.remembered(("sha256:2", "default", 3, "")) == _summary("S2.")
    assert cache.get(("sha256:0", "default", 3, "")) is None  # no file behind it


def test_a_damaged_file_is_replaced_and_never_fatal(tmp_path):
    path = tmp_path / "summaries.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    cache = SummaryCache(path)
    key = ("sha256:bb", "default", 3, "")
    assert cache.get(key) is None
    cache.put(key, _summary("Kept."))
    cache.close()
    assert SummaryCache(path).get(key) == _summary("Kept.")


def test_another_summarizer_version_is_not_served(tmp_path, monkeypatch):
    path = tmp_path / "summaries.sqlite3"
    key = ("sha256:cc", "default", 3, "")
    old = SummaryCache(path)
    old.put(key, _summary("Old ranking."))
    old.close()
    monkeypatch.setattr(summary_cache, "summarizer_version", lambda: "another")
    assert SummaryCache(path).get(key) is None


def test_worker_threads_write_with_their_own_connections(tmp_path):
    path = tmp_path / "summaries.sqlite3"
    cache = SummaryCache(path)

    def write(n: int) -> None:
        for i in range(20):
            cache.put((f"sha256:{n}-{i}", "default", 3, ""), _summary(f"T{n} {i}."))

    threads = [threading.Thread(target=write, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    fresh = SummaryCache(path)
    assert all(fresh.get((f"sha256:{n}-{i}", "default", 3, "")) == _summary(f"T{n} {i}.") for n in range(3) for i in range(20))


def test_a_file_locked_by_another_writer_is_waited_for_not_deleted(tmp_path, monkeypatch):
    import sqlite3

    path = tmp_path / "summaries.sqlite3"
    first = SummaryCache(path)
    key = ("sha256:bb", "default", 3, "")
    first.put(key, _summary("Kept."))
    first.close()
    monkeypatch.setattr(summary_cache, "BUSY_TIMEOUT_S", 0.1)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("PRAGMA journal_mode = DELETE")  # a rollback journal: an exclusive lock blocks readers
    other.execute("BEGIN EXCLUSIVE")
    blocked = SummaryCache(path)
    assert blocked.get(key) is None  # busy: no answer from the disk this time...
    assert path.exists()  # ...and the cache was not thrown away as damaged
    other.execute("COMMIT")
    other.close()
    assert blocked.get(key) == _summary("Kept.")  # the next call connects and finds it


def test_the_language_is_part_of_the_key(tmp_path):
    path = tmp_path / "summaries.sqlite3"
    cache = SummaryCache(path)
    cache.put(summary_cache.key("sha256:dd", "default", 3, "de"), _summary("Deutsch."))
    cache.close()
    fresh = SummaryCache(path)
    assert fresh.get(summary_cache.key("sha256:dd", "default", 3, "en")) is None  # an override: not the German one
    assert fresh.get(summary_cache.key("sha256:dd", "default", 3, None)) is None  # detected from the text
    assert fresh.get(summary_cache.key("sha256:dd", "default", 3, "de")) == _summary("Deutsch.")
