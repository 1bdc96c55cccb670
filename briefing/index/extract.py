"""Read and parse one file for the index; runs in worker processes.

Everything here is picklable and cheap to import: a worker process imports this
module and :mod:`briefing.corpus`, nothing else of the application.
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path
from typing import NamedTuple

from briefing.corpus import ArticleError, parse_bytes, read_bytes
from briefing.model import ArticleMeta


class FileStat(NamedTuple):
    """What a walk learns about a file without opening it."""

    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int


class Parsed(NamedTuple):
    """A file read as an article (``meta``, ``body``) or refused (``problem``)."""

    id: str
    path: str
    stat: FileStat
    raw_hash: str
    meta: ArticleMeta | None
    body: str
    problem: str | None


def raw_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def hash_file(path: str) -> str | None:
    """The hash of a file's bytes, or None when it cannot be read."""
    try:
        with open(path, "rb") as handle:
            return raw_hash(handle.read())
    except OSError:
        return None


def extract(root: str, id: str, path: str, stat: FileStat) -> Parsed:
    """Parse one file. Never raises: a file that cannot be read comes back as a problem."""
    try:
        data = read_bytes(path)
    except ArticleError as err:
        return Parsed(id, path, stat, "", None, "", err.message)
    digest = raw_hash(data)
    try:
        article = parse_bytes(id, path, data)
    except ArticleError as err:
        return Parsed(id, path, stat, digest, None, "", err.message)
    except Exception as err:  # noqa: BLE001 - a parser failure is a problem for that file only
        return Parsed(id, path, stat, digest, None, "", f"could not be parsed ({type(err).__name__}); skipped")
    meta = article.meta
    if meta.id != id or meta.path != path:
        meta = dataclasses.replace(meta, id=id, path=path)
    return Parsed(id, path, stat, digest, meta, article.body, None)


def extract_many(root: str, jobs: list[tuple[str, str, FileStat]]) -> list[Parsed]:
    """Parse a batch (one task for a worker process)."""
    return [extract(root, id, path, stat) for id, path, stat in jobs]
