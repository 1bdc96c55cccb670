"""The worker side of a build: messages read ahead, their files asked of the disk early."""

from __future__ import annotations

import io
import os

import pytest

from briefing.index import workers


def _stream(messages: list[tuple[list[tuple[str, str]], int]]) -> io.BytesIO:
    buffer = io.BytesIO()
    for message in messages:
        workers._write(buffer, message)
    buffer.seek(0)
    return buffer


def test_messages_come_in_order_with_the_next_ones_files_asked_for_first(monkeypatch):
    asked: list[str] = []
    monkeypatch.setattr(workers, "prefetch", lambda paths: asked.extend(paths))
    messages = [([(f"a{k}", f"/corpus/f{k}")], k + 1) for k in range(6)]
    seen = []
    for message in workers._messages(_stream(messages)):
        k = len(seen)
        # Before message k is handed out, its files and those of the READ_AHEAD after it were asked for.
        assert asked[: min(k + 1 + workers.READ_AHEAD, 6)] == [f"/corpus/f{j}" for j in range(min(k + 1 + workers.READ_AHEAD, 6))]
        seen.append(message)
    assert seen == messages
    assert asked == [f"/corpus/f{k}" for k in range(6)]  # each once


def test_no_messages():
    assert list(workers._messages(io.BytesIO())) == []


def test_prefetch_never_fails_nor_follows_links(tmp_path):
    (tmp_path / "a.txt").write_text("text")
    (tmp_path / "folder").mkdir()
    os.symlink(tmp_path / "a.txt", tmp_path / "link.txt")
    paths = [str(tmp_path / name) for name in ("a.txt", "folder", "link.txt", "gone.txt")]
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.txt")  # opened without blocking, as the read does
        paths.append(str(tmp_path / "pipe.txt"))
    workers.prefetch(paths)  # returns, raising nothing


@pytest.mark.skipif(not hasattr(os, "posix_fadvise"), reason="no posix_fadvise here")
def test_prefetch_opens_no_link(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text("text")
    os.symlink(tmp_path / "a.txt", tmp_path / "link.txt")
    advised: list[int] = []
    monkeypatch.setattr(workers, "_ADVISE", lambda fd, offset, length, advice: advised.append(os.fstat(fd).st_ino))
    workers.prefetch([str(tmp_path / "link.txt"), str(tmp_path / "a.txt")])
    assert advised == [os.stat(tmp_path / "a.txt").st_ino]


@pytest.mark.skipif(not hasattr(os, "posix_fadvise"), reason="no posix_fadvise here")
def test_prefetch_asks_only_for_regular_files_the_read_would_take(tmp_path, monkeypatch):
    from briefing.corpus.load import kind_max_bytes

    (tmp_path / "a.txt").write_text("text")
    (tmp_path / "folder.txt").mkdir()
    with open(tmp_path / "huge.txt", "wb") as handle:  # sparse: no disk used
        handle.truncate(kind_max_bytes("text") + 1)
    advised: list[int] = []
    monkeypatch.setattr(workers, "_ADVISE", lambda fd, offset, length, advice: advised.append(os.fstat(fd).st_ino))
    workers.prefetch([str(tmp_path / name) for name in ("huge.txt", "folder.txt", "a.txt")])
    assert advised == [os.stat(tmp_path / "a.txt").st_ino]
