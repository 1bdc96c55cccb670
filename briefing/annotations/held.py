"""Where the reader keeps the bytes of a large annotation file it read or wrote: see
:mod:`briefing.annotations.snapshot` (a module of its own: the store's file side and
the background check both call it)."""

from __future__ import annotations

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
    made = snapshot.snapshot(data)
    if made is None:
        return data
    index.data = made  # type: ignore[assignment]  # (a Snapshot reads as bytes do: see there)
    kept.forget(data)
    return made  # type: ignore[return-value]
