"""Durable file replacement, a cross-process lock, and the store discipline (POSIX).

:class:`StoreFolder` is the one way state beside a corpus is read and written
(``annotations.yaml`` now; the watchlists file and ``briefings/`` later): safe reads
that refuse links and special files, atomic writes that read back before they
replace, locks never created through a link, and a folder pinned at open so that a
moved or deleted corpus is never recreated. :func:`read_small_regular_file` reads
the user's own small files (config, themes) with a size and type check.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import math
import os
import secrets
import stat
import tempfile
import threading
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


def atomic_write(target: Path, data: bytes, sync_dir: bool = True, fsync: bool = True) -> None:
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
            if fsync:  # off only for caches, which may be lost
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
    deleting a lock file races with the next taker; never created through a link)."""
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | _O_NOFOLLOW | _O_CLOEXEC, 0o666)
    except OSError as exc:
        if exc.errno == errno.ELOOP and is_link(lock_path):
            raise LinkRefused(f"{lock_path} is a symbolic link to {describe_link(lock_path)}; not followed") from None
        raise
    try:
        _flock(fd, lock_path, timeout)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


# --------------------------------------------------------------------------- store files
# The one discipline for state kept beside a corpus (annotations.yaml, and later the
# watchlists file and briefings/): never write or create through a symbolic link,
# never recreate a folder that was moved or deleted, refuse special files, write
# atomically and read back before trusting.


class UnsafeFileError(OSError):
    """A file or folder briefing will not use as asked; ``str()`` is a message for
    the user that names the file."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class LinkRefused(UnsafeFileError):
    """The path is a symbolic link, and briefing never writes or creates through one."""


class NotRegularFile(UnsafeFileError):
    """A FIFO, device, socket or folder where a regular file was expected."""


class FileTooLarge(UnsafeFileError):
    pass


class FolderGone(UnsafeFileError):
    """The folder a store was opened in was moved, deleted or replaced."""


class ReadBackMismatch(UnsafeFileError):
    pass


def describe_link(path: Path) -> str:
    """Where the link at ``path`` points (its text and, when different, what that
    resolves to), for a message."""
    try:
        text = os.readlink(path)
    except OSError:
        return "an unreadable target"
    try:
        real = os.path.realpath(path)
    except (OSError, ValueError):
        real = text
    return repr(text) if real in (text, os.path.join(os.path.dirname(os.fspath(path)), text)) else f"{text!r} ({real})"


def is_link(path: Path) -> bool:
    try:
        return stat.S_ISLNK(os.lstat(path).st_mode)
    except OSError:
        return False


_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_O_DIRECTORY = getattr(os, "O_DIRECTORY", 0)


def _read_fd(fd: int, path: Path, limit: int | None) -> bytes:
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        kind = "a folder" if stat.S_ISDIR(st.st_mode) else "a pipe, device or socket"
        raise NotRegularFile(f"{path} is not a regular file ({kind}); not read")
    if limit is not None and st.st_size > limit:
        raise FileTooLarge(f"{path} is too large ({st.st_size} bytes; the limit is {limit}); not read")
    chunks = []
    total = 0
    want = st.st_size + 1  # one read for the whole file (and one to see its end)
    while True:
        chunk = os.read(fd, max(want - total, 1 << 16))
        if not chunk:
            break
        total += len(chunk)
        if limit is not None and total > limit:  # grew while read
            raise FileTooLarge(f"{path} is too large (over {limit} bytes); not read")
        chunks.append(chunk)
    return b"".join(chunks)


def read_small_regular_file(path: Path | str, limit: int, *, follow_links: bool = True) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes.

    Opened non-blocking and checked with ``fstat`` on the open descriptor, so a FIFO
    never hangs, a link to ``/dev/zero`` or a folder is refused, and a huge file is
    never read into memory. Raises FileNotFoundError, :class:`NotRegularFile`,
    :class:`FileTooLarge`, :class:`LinkRefused` (``follow_links=False`` and the path
    is a link) or another OSError; the messages name the file."""
    path = Path(path)
    flags = os.O_RDONLY | _O_CLOEXEC | _O_NONBLOCK | (0 if follow_links else _O_NOFOLLOW)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if not follow_links and exc.errno == errno.ELOOP and is_link(path):
            raise LinkRefused(f"{path} is a symbolic link to {describe_link(path)}; not followed") from None
        if exc.errno == errno.ENXIO:  # a socket, or a FIFO with no writer (O_NONBLOCK)
            raise NotRegularFile(f"{path} is not a regular file; not read") from None
        raise
    try:
        return _read_fd(fd, path, limit)
    finally:
        os.close(fd)


def folder_identity(folder: Path) -> tuple[int, int] | None:
    """``(st_dev, st_ino)`` of ``folder`` (following links), None if it is not there."""
    try:
        st = os.stat(folder)
    except OSError:
        return None
    return (st.st_dev, st.st_ino) if stat.S_ISDIR(st.st_mode) else None


def read_only_by_mode(st: os.stat_result) -> bool:
    """Every write bit off (chmod a-w): read-only on purpose, even for root, who
    ``os.access`` says may write anything."""
    return not st.st_mode & 0o222


class StoreFolder:
    """The folder a store file lives in, pinned at open by its identity.

    Every operation opens the folder afresh and checks that it is still the folder
    that was opened (``st_dev``/``st_ino``), then works on names inside it through the
    folder's descriptor: nothing is created through a link, and a folder that was
    moved, deleted or replaced by another (or by a link to another) is never written
    and never recreated (:class:`FolderGone`).

    The folder is held open (one descriptor) from construction; :meth:`close`
    releases it. A folder that did not exist then (briefing's own data folder before
    the first save) is pinned at the first operation. ``create=True`` makes that
    folder (with parents) if missing: only for briefing's own folders, never for a
    corpus.
    """

    def __init__(self, folder: Path, *, create: bool = False) -> None:
        self.folder = Path(folder)
        self.create = create
        self.identity: tuple[int, int] | None = None
        self._pin_fd: int | None = None
        # (st_dev, st_ino, st_size, st_mtime_ns) of the file the last read() read,
        # taken from the descriptor it read: the key of a parsed copy in a cache.
        self.last_read_identity: tuple[int, int, int, int] | None = None
        with contextlib.suppress(OSError):  # a link as the folder itself is never pinned
            self._pin(os.open(self.folder, os.O_RDONLY | _O_DIRECTORY | _O_CLOEXEC | _O_NOFOLLOW))

    @classmethod
    def _from_fd(cls, folder: Path, fd: int) -> StoreFolder:
        made = cls.__new__(cls)
        made.folder, made.create, made.identity, made._pin_fd, made.last_read_identity = Path(folder), False, None, None, None
        made._pin(fd)
        return made

    def subfolder(self, name: str, *, create: bool = False) -> StoreFolder:
        """The folder ``name`` inside this one (``briefings/`` in a corpus), pinned
        the same way; made first with ``create=True``. A link there is refused
        (:class:`LinkRefused`), never followed, and nothing is created through one."""
        with self.opened() as dfd:
            if create:
                with contextlib.suppress(FileExistsError):
                    os.mkdir(name, 0o777, dir_fd=dfd)
            try:
                fd = os.open(name, os.O_RDONLY | _O_DIRECTORY | _O_NOFOLLOW | _O_CLOEXEC, dir_fd=dfd)
            except OSError as exc:
                if exc.errno in (errno.ELOOP, errno.ENOTDIR):
                    if is_link(self.folder / name):
                        raise LinkRefused(self.link_message(name)) from None
                    raise NotRegularFile(f"{self.folder / name} is not a folder") from None
                raise
        return StoreFolder._from_fd(self.folder / name, fd)

    def _pin(self, fd: int) -> None:
        """Hold the folder open for the store's life: while it is held, its inode
        cannot be reused, so a folder deleted and made again under the same name
        never passes for the one that was opened."""
        st = os.fstat(fd)
        self.identity = (st.st_dev, st.st_ino)
        self._pin_fd = fd

    def close(self) -> None:
        fd, self._pin_fd = self._pin_fd, None
        if fd is not None:
            with contextlib.suppress(OSError):
                os.close(fd)

    def __del__(self) -> None:
        self.close()

    def _pinned_gone(self) -> bool:
        if self._pin_fd is None:
            return False
        try:
            return os.fstat(self._pin_fd).st_nlink == 0
        except OSError:
            return True

    def gone_message(self) -> str:
        return (
            f"the folder {self.folder} was moved, deleted or replaced since it was opened; "
            "nothing was saved there (open the folder again where it is now)"
        )

    def check(self) -> None:
        """Raise :class:`FolderGone` unless the folder is still the one pinned
        (never for a ``create=True`` folder: it is made again when needed)."""
        if self.create:
            return
        if self.identity is not None and (folder_identity(self.folder) != self.identity or self._pinned_gone()):
            raise FolderGone(self.gone_message())

    @contextlib.contextmanager
    def opened(self) -> Iterator[int]:
        """A descriptor of the folder, checked against the pinned identity."""
        if self.create:  # briefing's own folder: made (again, if removed) and pinned anew
            if self.identity is not None and (folder_identity(self.folder) != self.identity or self._pinned_gone()):
                self.close()
                self.identity = None
            if self.identity is None:
                self.folder.mkdir(parents=True, exist_ok=True)
        # Once pinned, the path may lead through links: the identity check decides.
        # The first pin never follows a link as the folder itself.
        nofollow = _O_NOFOLLOW if self.identity is None else 0
        try:
            fd = os.open(self.folder, os.O_RDONLY | _O_DIRECTORY | _O_CLOEXEC | nofollow)
        except OSError as exc:
            if exc.errno in (errno.ELOOP, errno.ENOTDIR) and nofollow and is_link(self.folder):
                raise LinkRefused(f"{self.folder} is a symbolic link to {describe_link(self.folder)}; not followed") from None
            if exc.errno in (errno.ENOENT, errno.ENOTDIR):
                raise FolderGone(self.gone_message()) from None
            raise
        try:
            st = os.fstat(fd)
            if self.identity is None:
                self._pin(os.dup(fd))
            elif (st.st_dev, st.st_ino) != self.identity or st.st_nlink == 0 or self._pinned_gone():
                raise FolderGone(self.gone_message())
            yield fd
        finally:
            os.close(fd)

    # -- reading
    def lstat(self, name: str) -> os.stat_result | None:
        try:
            return os.lstat(self.folder / name)
        except FileNotFoundError:
            return None

    def read(self, name: str, limit: int | None = None) -> bytes | None:
        """The bytes of ``name``, None if missing. A link is never followed
        (:class:`LinkRefused`), a special file never opened for long
        (:class:`NotRegularFile`)."""
        with self.opened() as dfd:
            try:
                fd = os.open(name, os.O_RDONLY | _O_CLOEXEC | _O_NOFOLLOW | _O_NONBLOCK, dir_fd=dfd)
            except FileNotFoundError:
                return None
            except OSError as exc:
                if exc.errno == errno.ELOOP:
                    raise LinkRefused(self.link_message(name)) from None
                if exc.errno == errno.ENXIO:
                    raise NotRegularFile(f"{self.folder / name} is not a regular file; not read") from None
                raise
            try:
                st = os.fstat(fd)
                data = _read_fd(fd, self.folder / name, limit)
                self.last_read_identity = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
                return data
            finally:
                os.close(fd)

    def link_message(self, name: str) -> str:
        path = self.folder / name
        return (
            f"{path} is a symbolic link to {describe_link(path)}; briefing never writes "
            "through a link here"
        )

    # -- locking
    @contextlib.contextmanager
    def locked(self, name: str, timeout: float = 15.0) -> Iterator[None]:
        """An exclusive ``flock`` on the lock file ``name`` in the folder (created if
        missing, never deleted, never through a link)."""
        with self.opened() as dfd:
            try:
                fd = os.open(name, os.O_RDWR | os.O_CREAT | _O_NOFOLLOW | _O_CLOEXEC | _O_NONBLOCK, 0o666, dir_fd=dfd)
            except OSError as exc:
                if exc.errno == errno.ELOOP:
                    raise LinkRefused(self.link_message(name)) from None
                raise
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise NotRegularFile(f"{self.folder / name} is not a regular file; not used as a lock")
            _flock(fd, self.folder / name, timeout)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    # -- writing
    def remove_stale_temps(self, name: str) -> None:
        """Delete temp files a killed save of ``name`` left behind (call holding the lock)."""
        prefix = f".{name}."
        with contextlib.suppress(OSError), self.opened() as dfd:
            for entry in os.scandir(dfd):
                if entry.name.startswith(prefix) and entry.name.endswith(TMP_SUFFIX):
                    with contextlib.suppress(OSError):
                        os.unlink(entry.name, dir_fd=dfd)

    def backup(self, name: str, backup_name: str, expected: bytes, expected_identity: tuple[int, ...] | None = None) -> None:
        """Make ``backup_name`` hold ``expected``, the current content of ``name``.

        ``name`` is about to be replaced by a new file (a new inode), so the current
        inode itself can become the backup: a hard link, then a rename over
        ``backup_name``, with no data written (a 30 MB file costs nothing). The link
        is checked: the same identity ``(st_dev, st_ino, st_size, st_mtime_ns)`` as
        the read that gave ``expected`` when that is known, else read back and
        compared; when linking is not possible or the check fails, the backup is
        written as a copy (:meth:`replace`)."""
        with self.opened() as dfd:
            if self._link_backup(dfd, dfd, self.folder, name, backup_name, expected, expected_identity):
                return
        self.replace(backup_name, expected, sync_dir=False)

    def backup_into(self, other: StoreFolder, name: str, backup_name: str, expected: bytes,
                    expected_identity: tuple[int, ...] | None = None) -> None:
        """Make ``backup_name`` in the folder ``other`` hold ``expected``, the current
        content of ``name`` here: like :meth:`backup` (a checked hard link when both
        folders are on one filesystem, else a copy), and ``other`` is synced at once
        (its entries are not synced by the next write here)."""
        if other.folder == self.folder:
            self.backup(name, backup_name, expected, expected_identity)
            return
        with self.opened() as dfd, other.opened() as odfd:
            if self._link_backup(dfd, odfd, other.folder, name, backup_name, expected, expected_identity):
                _fsync_fd(odfd)
                return
        other.replace(backup_name, expected, sync_dir=True)

    @staticmethod
    def _link_backup(dfd: int, odfd: int, other_folder: Path, name: str, backup_name: str, expected: bytes,
                     expected_identity: tuple[int, ...] | None) -> bool:
        """Hard-link ``name`` (folder ``dfd``) as ``backup_name`` (folder ``odfd``) once the
        link is checked to hold ``expected``; False (nothing left behind) when it cannot be."""
        tmp = f".{backup_name}.{secrets.token_hex(6)}{TMP_SUFFIX}"
        try:
            os.link(name, tmp, src_dir_fd=dfd, dst_dir_fd=odfd, follow_symlinks=False)
        except OSError:
            return False
        try:
            fd = os.open(tmp, os.O_RDONLY | _O_NOFOLLOW | _O_CLOEXEC | _O_NONBLOCK, dir_fd=odfd)
            try:
                st = os.fstat(fd)
                if expected_identity is not None:
                    same = stat.S_ISREG(st.st_mode) and (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns) == tuple(expected_identity)
                else:
                    same = stat.S_ISREG(st.st_mode) and _read_fd(fd, other_folder / tmp, len(expected)) == expected
            finally:
                os.close(fd)
            if same:
                os.replace(tmp, backup_name, src_dir_fd=odfd, dst_dir_fd=odfd)
                # rename() between two links to one file does nothing (a save killed
                # after its backup left it so): drop the temp name then.
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp, dir_fd=odfd)
                return True
        except OSError:
            pass
        with contextlib.suppress(OSError):
            os.unlink(tmp, dir_fd=odfd)
        return False

    def replace(self, name: str, data: bytes, *, sync_dir: bool = True, mode: int | None = None) -> tuple[int, int, int, int]:
        """Replace ``name`` with ``data`` atomically: a new temp file beside it
        (``O_EXCL``, never through a link), written, fsynced, read back and compared,
        then ``os.replace`` and an fsync of the folder. Refuses (:class:`LinkRefused`)
        when ``name`` is a link, and (:class:`NotRegularFile`) when it is something
        other than a regular file. Keeps an existing file's permission bits.
        Returns the new file's ``(st_dev, st_ino, st_size, st_mtime_ns)``, taken from
        the descriptor written (the key of a cached parse of it)."""
        with self.opened() as dfd:
            try:
                st = os.stat(name, dir_fd=dfd, follow_symlinks=False)
            except FileNotFoundError:
                st = None
            if st is not None and stat.S_ISLNK(st.st_mode):
                raise LinkRefused(self.link_message(name))
            if st is not None and not stat.S_ISREG(st.st_mode):
                raise NotRegularFile(f"{self.folder / name} is not a regular file; not replaced")
            if mode is None:
                mode = stat.S_IMODE(st.st_mode) if st is not None else 0o666 & ~_umask()
            tmp = f".{name}.{secrets.token_hex(6)}{TMP_SUFFIX}"
            fd = os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_EXCL | _O_NOFOLLOW | _O_CLOEXEC, 0o600, dir_fd=dfd)
            try:
                try:
                    view = memoryview(data)
                    while view:
                        view = view[os.write(fd, view) :]
                    os.fchmod(fd, mode)
                    os.fsync(fd)
                    if os.pread(fd, len(data) + 1, 0) != data:
                        raise ReadBackMismatch(f"{self.folder / name}: the file written did not read back the same; not saved")
                    st = os.fstat(fd)
                finally:
                    os.close(fd)
                os.replace(tmp, name, src_dir_fd=dfd, dst_dir_fd=dfd)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp, dir_fd=dfd)
                raise
            if sync_dir:
                _fsync_fd(dfd)
            return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def _fsync_fd(fd: int) -> None:
    try:
        os.fsync(fd)
    except OSError as exc:  # some filesystems cannot fsync a directory
        if exc.errno not in (errno.EINVAL, errno.EBADF, errno.ENOTSUP):
            raise


def _flock(fd: int, path: Path, timeout: float) -> None:
    """Take an exclusive ``flock`` on ``fd`` within ``timeout`` seconds.

    A busy lock is waited for in the kernel (a blocking ``flock``, on a helper thread
    so that the wait can time out), not by polling: a poller that sleeps between
    tries almost never finds free a lock that another process releases and takes
    again at once (one saving in a loop), and timed out while that process saved
    again and again. The helper locks a duplicate of ``fd`` (one open file, so the
    lock is ``fd``'s); if it gets the lock after the caller gave up, it lets it go."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return
    except BlockingIOError:
        pass
    waiter = _LockWaiter(os.dup(fd))
    if not waiter.wait(timeout):
        raise LockTimeout(f"another process has held {path} for over {timeout:.0f} s")


class _LockWaiter:
    """A blocking ``flock`` on ``fd`` (a duplicate, closed here) on a daemon thread."""

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._state = threading.Lock()
        self._done = threading.Event()
        self._taken = False
        self._abandoned = False
        self._error: OSError | None = None
        threading.Thread(target=self._run, name="flock-wait", daemon=True).start()

    def _run(self) -> None:
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX)
        except OSError as exc:
            self._error = exc
        else:
            with self._state:
                self._taken = not self._abandoned
            if not self._taken:  # the caller timed out meanwhile
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            os.close(self._fd)
            self._done.set()

    def wait(self, timeout: float) -> bool:
        """True once the lock is held; False (and never held later) after ``timeout``."""
        self._done.wait(None if math.isinf(timeout) else timeout)  # wait(inf) overflows
        with self._state:
            if not self._taken:
                self._abandoned = True
        if self._error is not None:
            raise self._error
        return self._taken
