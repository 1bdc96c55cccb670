"""Write an export file safely.

- An existing file is replaced only with ``force``; a symbolic link at the target
  is always refused (even with ``force``): the export never writes through a link
  someone planted there.
- The data goes to a new temporary file beside the target, opened with
  ``O_CREAT | O_EXCL | O_NOFOLLOW``, flushed and fsynced; it then takes the target's
  name: without ``force`` by a hard link that fails if the name appeared meanwhile
  (no race can make us clobber a file), with ``force`` by ``os.replace`` (a rename
  replaces a link planted meanwhile, never follows it). The folder is fsynced.
- Every refusal and failure raises :class:`ExportWriteError` with a message naming
  the path; ``kind`` says whether the user must choose another path (``"path"``) or
  the disk failed (``"io"``). Nothing is left behind on failure.
"""

from __future__ import annotations

import errno
import os
import secrets
from pathlib import Path


class ExportWriteError(Exception):
    def __init__(self, message: str, kind: str = "path") -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind  # "path": exists, link, folder missing, permission; "io": disk


def _reason(err: OSError) -> str:
    if err.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if err.errno == errno.EROFS:
        return "read-only file system"
    if err.errno == errno.ENOSPC:
        return "no space left on the device"
    return err.strerror or str(err)


def check_target(path: Path, force: bool = False) -> Path:
    """The absolute target path, or :class:`ExportWriteError` if it must be refused."""
    target = Path(os.path.abspath(os.fspath(path)))
    folder = target.parent
    if not folder.exists():
        raise ExportWriteError(f"cannot write {target}: the folder {folder} does not exist")
    if not folder.is_dir():
        raise ExportWriteError(f"cannot write {target}: {folder} is not a folder")
    if os.path.islink(target):
        raise ExportWriteError(f"refusing to write {target}: it is a symbolic link (remove it or choose another name)")
    if target.exists():
        if target.is_dir():
            raise ExportWriteError(f"cannot write {target}: it is a folder")
        if not force:
            raise ExportWriteError(f"{target} already exists (use --force to replace it)")
        if not target.is_file():
            raise ExportWriteError(f"refusing to replace {target}: it is not a regular file")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ExportWriteError(f"cannot write {target}: permission denied in {folder}")
    return target


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_export(path: str | os.PathLike[str], data: bytes | str, force: bool = False) -> Path:
    """Write ``data`` to ``path`` (see the module notes); returns the absolute path."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    target = check_target(Path(path), force)
    folder = target.parent
    temp = folder / f".{target.name}.{secrets.token_hex(6)}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(temp, flags, 0o666)
    except OSError as err:
        raise ExportWriteError(f"cannot write {target}: {_reason(err)}", "path" if err.errno in (errno.EACCES, errno.EPERM, errno.EROFS) else "io") from None
    try:
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as err:
            raise ExportWriteError(f"cannot write {target}: {_reason(err)}", "io") from None
        if force:
            if os.path.islink(target):  # planted since the check
                raise ExportWriteError(f"refusing to write {target}: it is a symbolic link (remove it or choose another name)")
            try:
                os.replace(temp, target)
            except OSError as err:
                raise ExportWriteError(f"cannot write {target}: {_reason(err)}", "io") from None
        else:
            try:
                os.link(temp, target, follow_symlinks=False)
            except FileExistsError:
                raise ExportWriteError(f"{target} already exists (use --force to replace it)") from None
            except OSError as err:
                if err.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
                    raise ExportWriteError(f"cannot write {target}: {_reason(err)}", "io") from None
                # no hard links on this file system: check again, then rename
                if os.path.lexists(target):
                    raise ExportWriteError(f"{target} already exists (use --force to replace it)") from None
                os.replace(temp, target)
    finally:
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
    _fsync_dir(folder)
    return target
