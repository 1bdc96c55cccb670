"""The bytes of a large annotation file held outside the reader's heap (issue 20, memory).

A reader on 100,000 annotated articles keeps the file's bytes (34 MB) for as long as it
runs: its index reads entries, ids and marks from them, and a save copies the unchanged
runs of entries from them (:mod:`briefing.annotations.indexed`). As a ``bytes`` object
they are 34 MB of the process's own memory for good. :func:`snapshot` writes them once
into a file of the reader's own (created unlinked in the user cache folder: no other
program can open it, change it, truncate it or see it; it is gone when the reader lets
go of it, however it ends) and maps that file read-only: the pages read come from the
page cache, which the kernel can reclaim, and :meth:`Snapshot.release` (after a pass
over every entry, and at each :func:`briefing.heap.give_back`) hands back the pages a
pass touched without changing anything they hold.

Never the annotation file itself: another program (``git pull``, an editor, a second
reader) may rewrite it in place or cut it short while it is mapped, and reading a page
cut off a mapped file kills the process (SIGBUS). The snapshot is read back (its
SHA-256 against the bytes') before it replaces them; anything failing (no cache folder,
a full disk, a platform without ``mmap``) leaves the bytes as they were: only memory is
at stake, never what is read or written.

A :class:`Snapshot` is used where the bytes were: slicing, ``find``/``index``,
regular expressions, ``memoryview``, hashing; it compares equal to bytes of the same
content (the store compares the file it reads with the one it read last). Where bytes
themselves are needed (a whole parse, a save writing the file unchanged) ``bytes(s)``
makes them, for that moment only.
"""

from __future__ import annotations

import hashlib
import mmap
import os
import tempfile
import weakref
from typing import Any

from briefing import heap

MIN_BYTES = 4 * 1024 * 1024  # smaller files stay bytes: not worth a file of their own
_CHUNK = 1 << 20
_READ_BACK = 4 << 20  # a multiple of the page size


class Snapshot(mmap.mmap):
    """A read-only map of the reader's private copy of an annotation file's bytes.

    A slice is read from the copy (``pread``), not through the map: the kernel maps
    whole runs of pages around each page touched (large folios), so a reader looking
    up a few dozen entries had the whole 34 MB resident again; the passes over every
    entry (regular expressions, hashing) go through the map, and hand its pages back
    when done (:meth:`release`)."""

    _fd = -1

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, slice) and key.step in (None, 1) and self._fd >= 0:
            start, stop, _ = key.indices(len(self))
            want = max(0, stop - start)
            parts = []
            while want > 0:
                part = os.pread(self._fd, want, start)
                if not part:  # (cannot happen: the copy is ours and never changes)
                    raise ValueError("the snapshot of the annotation file was cut short")
                parts.append(part)
                start += len(part)
                want -= len(part)
            return b"".join(parts) if len(parts) != 1 else parts[0]
        return super().__getitem__(key)

    def index(self, sub: bytes, start: int | None = None, end: int | None = None) -> int:
        """As ``bytes.index``: ``find``, or ValueError when not found."""
        at = self.find(sub, 0 if start is None else start, len(self) if end is None else end)
        if at < 0:
            raise ValueError("subsection not found")
        return at

    def count(self, sub: bytes, start: int = 0, end: int | None = None) -> int:
        """As ``bytes.count`` (the range copied out: for a line number in a message)."""
        part: bytes = self[start:end]
        return part.count(sub)

    def startswith(self, prefix: bytes) -> bool:
        head: bytes = self[: len(prefix)]
        return head == prefix

    def endswith(self, suffix: bytes) -> bool:
        tail: bytes = self[len(self) - len(suffix) :]
        return not suffix or tail == suffix

    def __eq__(self, other: object) -> bool:
        """Equal to any bytes-like object of the same content (chunk by chunk: no copy)."""
        if other is self:
            return True
        try:
            theirs = memoryview(other)  # type: ignore[arg-type]
        except TypeError:
            return NotImplemented
        with theirs:
            if theirs.nbytes != len(self):
                return False
            theirs = theirs.cast("B")
            with memoryview(self) as mine:
                same = all(mine[a : a + _CHUNK] == theirs[a : a + _CHUNK] for a in range(0, len(self), _CHUNK))
        self.release()
        return same

    def __ne__(self, other: object) -> bool:
        same = self.__eq__(other)
        return same if same is NotImplemented else not same

    __hash__ = None  # type: ignore[assignment]  # (equal to bytes, which hash otherwise)

    def release(self) -> None:
        """Hand back the pages read so far (they stay in the page cache, and are read
        from it again when needed): what a pass over every entry touched is not kept
        as the reader's memory."""
        if not self.closed:
            try:
                self.madvise(mmap.MADV_DONTNEED)
            except (AttributeError, OSError, ValueError):
                pass


def snapshot(data: bytes, folder: os.PathLike[str] | str | None = None) -> Snapshot | None:
    """``data`` in a read-only map of a file of this process's own (see the module),
    read back; None when it cannot be made (``data`` is then kept as it is)."""
    if len(data) < MIN_BYTES or not hasattr(mmap, "MADV_DONTNEED"):
        return None
    if folder is None:
        from briefing.config import cache_dir

        folder = cache_dir() / "annotations"
    try:
        os.makedirs(folder, exist_ok=True)
        if not on_local_disk(folder):
            return None  # a network file system: a handle gone stale would fault the map (SIGBUS)
        with tempfile.TemporaryFile(dir=folder, prefix=".snapshot-") as file:  # unlinked at once (O_TMPFILE)
            file.write(data)
            file.flush()
            os.fsync(file.fileno())  # on the disk before it is trusted: a failed write-back is an error here
            mapped = Snapshot(file.fileno(), len(data), access=mmap.ACCESS_READ)
            fd = os.dup(file.fileno())
    except (OSError, ValueError, OverflowError):
        return None
    mapped._fd = fd
    weakref.finalize(mapped, os.close, fd)
    # Read back: what the map holds is what was read from the annotation file. A
    # part at a time, each part's pages handed back once hashed: the bytes and the
    # whole map are never resident together.
    back = hashlib.sha256()
    try:
        with memoryview(mapped) as view:
            for at in range(0, len(data), _READ_BACK):
                back.update(view[at : at + _READ_BACK])
                mapped.madvise(mmap.MADV_DONTNEED, at, min(_READ_BACK, len(data) - at))
    except (OSError, ValueError):
        back = hashlib.sha256()  # (cannot match)
    if back.digest() != hashlib.sha256(data).digest():
        mapped.close()
        return None
    heap.on_give_back(mapped.release)
    return mapped


# File systems a snapshot may live on: local ones (and memory), where a file of ours
# stays as written. Any other (NFS, SMB, FUSE...) keeps the bytes in the heap.
LOCAL_FILE_SYSTEMS = frozenset({"ext2", "ext3", "ext4", "xfs", "btrfs", "f2fs", "jfs", "reiserfs", "zfs",
                                "tmpfs", "overlay", "apfs", "hfs"})


def on_local_disk(folder: os.PathLike[str] | str) -> bool:
    """``folder`` is on a local file system, as ``/proc/self/mountinfo`` says (False
    when it cannot tell: no snapshot then)."""
    try:
        path = os.path.realpath(folder)
        with open("/proc/self/mountinfo", encoding="utf-8", errors="surrogateescape") as mounts:
            best, kind = "", ""
            for line in mounts:
                fields = line.split()
                if " - " not in line or len(fields) < 5:
                    continue
                point = fields[4].replace("\\040", " ")
                after = line.split(" - ", 1)[1].split()
                inside = path == point or path.startswith(point.rstrip("/") + "/")
                if inside and len(point) >= len(best) and after:
                    best, kind = point, after[0]
    except OSError:
        return False
    return kind in LOCAL_FILE_SYSTEMS


def plain(data: Any) -> bytes:
    """``data`` as bytes (a snapshot copied out, for the moment it is needed)."""
    return bytes(data) if isinstance(data, Snapshot) else data


def release(data: object) -> None:
    """After a pass over every entry of ``data``: its pages handed back when it is a
    snapshot (nothing otherwise)."""
    if isinstance(data, Snapshot):
        data.release()
