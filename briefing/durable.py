"""Durable file replacement and a cross-process lock (POSIX)."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

TMP_SUFFIX = ".tmp"


def tmp_prefix(target: Path) -> str:
    return f".{target.name}."


def fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError as exc:  # some filesystems cannot fsync a directory
        if exc.errno not in (errno.EINVAL, errno.EBADF, errno.ENOTSUP):
            raise
    finally:
        os.close(fd)


def atomic_write(target: Path, data: bytes, sync_dir: bool = True) -> None:
    """Replace ``target`` whole: temp file beside it, write, flush, fsync,
    ``os.replace``, fsync the folder. Never truncates ``target`` in place; a crash
    at any moment leaves the old or the new complete file. Keeps an existing
    file's permission bits. ``sync_dir=False`` leaves the folder's fsync to a
    following write in the same folder."""
    folder = target.parent
    try:
        mode = target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=tmp_prefix(target), suffix=TMP_SUFFIX, dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if sync_dir:
        fsync_dir(folder)


def remove_stale_temps(target: Path) -> None:
    """Delete temp files a killed save left behind. Call only while holding the lock
    (then no other save is writing one)."""
    prefix = tmp_prefix(target)
    with contextlib.suppress(OSError):
        for entry in os.scandir(target.parent):
            if entry.name.startswith(prefix) and entry.name.endswith(TMP_SUFFIX):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


class LockTimeout(OSError):
    pass


@contextlib.contextmanager
def locked(lock_path: Path, timeout: float = 15.0) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``lock_path`` (created if missing, never deleted:
    deleting a lock file races with the next taker)."""
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        deadline = time.monotonic() + timeout
        delay = 0.001
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise LockTimeout(f"another process has held {lock_path} for over {timeout:.0f} s") from None
                time.sleep(delay)
                delay = min(delay * 2, 0.05)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
