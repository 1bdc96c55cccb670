"""SIGTERM and SIGHUP (kill, a closed terminal) save what is pending before the
process ends: read marks kept in memory used to be lost.

Real processes, real signals: a script that marks an article read in memory (as the
reader does on opening it) and waits; and the reader itself, in a pseudo-terminal."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest
import yaml

import briefing

REPO = str(Path(briefing.__file__).resolve().parents[1])

CHILD = """
import sys, time
from briefing.annotations import AnnotationStore
from briefing.shutdown import flush_on_signals

store = AnnotationStore.open(sys.argv[1])
if sys.argv[2] == "queue":
    from briefing.annotations.savequeue import SaveQueue

    queue = SaveQueue(store)
    flush = lambda: queue.flush(timeout=5)
else:
    flush = store.flush_reads
flush_on_signals(flush)
store.mark_read_later("a.txt")      # in memory only, as the reader marks an article it opens
store.mark_read_later("b.txt")
print("marked", flush=True)
while True:
    time.sleep(0.05)
"""


def _env(tmp_path: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=REPO, TERM="xterm-256color")
    for name in ("CONFIG", "DATA", "CACHE"):
        env[f"BRIEFING_{name}_DIR"] = str(tmp_path / name.lower())
    env.pop("BRIEFING_CORPUS", None)
    return env


def _corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "a.txt").write_text("Grid hit again\n\nThe strikes hit power plants overnight, officials said.\n")
    (root / "b.txt").write_text("Talks resume\n\nDelegations met again on Friday in the capital.\n")
    return root


def _statuses(root: Path) -> dict:
    path = root / "annotations.yaml"
    if not path.exists():
        return {}
    articles = yaml.safe_load(path.read_text(encoding="utf-8"))["articles"]
    return {k: "read" if v.get("read") is True else None for k, v in articles.items()}  # format 2: read: true


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
@pytest.mark.parametrize("saver", ["queue", "store"])
def test_pending_read_marks_are_saved_on_a_signal(tmp_path, signum, saver):
    root = _corpus(tmp_path)
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(root), saver], stdout=subprocess.PIPE, text=True,
                            env=_env(tmp_path), cwd=tmp_path)
    try:
        assert proc.stdout.readline().strip() == "marked"
        assert _statuses(root) == {}  # only in memory so far
        proc.send_signal(signum)
        assert proc.wait(timeout=20) == 128 + signum  # a clean exit, with the signal's status
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert _statuses(root) == {"a.txt": "read", "b.txt": "read"}


def _read_until(master: int, wanted: bytes, timeout: float = 60.0) -> bool:
    seen = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.1)
        if ready:
            try:
                seen += os.read(master, 65536)
            except OSError:
                return False
            if wanted in seen:
                return True
    return False


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_the_reader_saves_the_read_mark_of_an_open_article_on_a_signal(tmp_path, signum):
    root = _corpus(tmp_path)
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    proc = subprocess.Popen([sys.executable, "-m", "briefing", str(root)],
                            stdin=slave, stdout=slave, stderr=slave, env=_env(tmp_path), cwd=tmp_path,
                            start_new_session=True)
    os.close(slave)
    try:
        assert _read_until(master, b"Grid hit again"), "the reader did not list the corpus"
        os.write(master, b"\r")  # open the highlighted (newest-first: undated, by id) article
        # the first screen already previews it (unread): opened, its details say read
        assert _read_until(master, "undated · read".encode()), "the article did not open"
        assert _statuses(root) == {}  # the read mark waits in memory
        if signum == signal.SIGHUP:
            os.close(master)  # the terminal is gone
            master = -1
        proc.send_signal(signum)
        assert proc.wait(timeout=20) == 128 + signum
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if master >= 0:
            os.close(master)
    assert _statuses(root) == {"a.txt": "read"}


def test_output_left_for_a_terminal_that_is_gone_is_dropped_not_an_exit_status():
    """A closed terminal makes the last flush of the reader's output fail (EIO); Python
    would then end with status 120, not the signal's. drop_output_if_gone flushes what
    it can and points a stream that cannot be written at /dev/null."""
    import io

    from briefing.shutdown import drop_output_if_gone

    master, slave = pty.openpty()
    stream = io.TextIOWrapper(io.BufferedWriter(io.FileIO(slave, "w")), encoding="utf-8")
    try:
        os.close(master)  # the terminal is gone
        stream.write("\x1b[?1049l restore the screen\n" * 100)
        with pytest.raises(OSError):
            stream.flush()
        stream.write("more output\n")
        drop_output_if_gone([stream])
        stream.flush()  # nothing raises any more: the stream now writes to /dev/null
        assert os.path.samestat(os.fstat(stream.fileno()), os.stat(os.devnull))
    finally:
        stream.close()
