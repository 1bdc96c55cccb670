"""Where the reader keeps the bytes of a large annotation file it read or wrote: see
:mod:`briefing.annotations.snapshot` (a module of its own: the store's file side and
the background check both call it)."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from briefing.annotations import indexed, kept, snapshot
from briefing.annotations.schema import AnnotationDoc

if TYPE_CHECKING:
    from briefing.annotations.store import AnnotationStore


def bytes_held(store: AnnotationStore, doc: AnnotationDoc, data: bytes | None) -> bytes | None:
    """The bytes the store keeps for ``doc`` (read from ``data`` or just written as
    it): in the reader (a store opened with ``check_later``), a large indexed file's
    are moved out of the heap into a :class:`~briefing.annotations.snapshot.Snapshot`,
    which its index reads from too (``data`` itself when that cannot be done, or for
    a file opened unverified until its check passed: the check reads the bytes; then
    :func:`briefing.annotations.verify.settle` calls this again)."""
    articles = doc.articles
    index = getattr(articles, "index", None)
    if data is None or not store._check_later or not isinstance(articles, indexed.LazyArticles):
        return data
    if not isinstance(index, indexed.FileIndex) or index.broken or index._full or getattr(index, "verified", True) is not True:
        return data
    mapped: object = index.data
    if isinstance(mapped, snapshot.Snapshot):  # (a save that wrote the file unchanged: the same bytes)
        return mapped if mapped is data or mapped == data else data  # type: ignore[comparison-overlap,return-value]  # (reads as bytes)
    if mapped is not data:
        return data
    # Written, synced and read back (a tenth of a second at 34 MB, more on a slow disk)
    # on a thread of its own: the callers run on the screen's thread or hold the
    # store's lock. Until it is done, and if it cannot be done, the bytes are kept.
    mover = threading.Thread(target=_move_out, args=(store, index, data), name="annotations-snapshot", daemon=True)
    with _LOCK:
        _MOVERS[:] = [t for t in _MOVERS if t.is_alive()]
        _MOVERS.append(mover)
    mover.start()
    return data


_LOCK = threading.Lock()
_MOVERS: list[threading.Thread] = []


def _move_out(store: AnnotationStore, index: indexed.FileIndex, data: bytes) -> None:
    """Put a snapshot of ``data`` in place of the bytes, when the store and its index
    still hold those very bytes (a save or a reload since made newer ones)."""
    made = snapshot.snapshot(data)
    if made is None:
        return
    with store._lock:
        if index.data is not data or store._base_data is not data:
            made.close()
            return
        index.data = made  # type: ignore[assignment]  # (a Snapshot reads as bytes do: see there)
        store._base_data = made  # type: ignore[assignment]
    kept.forget(data)


def wait_moved(timeout: float = 30.0) -> bool:
    """Wait for the snapshots being made (tests, a bench); True when none is left."""
    with _LOCK:
        movers = list(_MOVERS)
    for mover in movers:
        mover.join(timeout)
    return not any(m.is_alive() for m in movers)
