"""Read and parse one file for the index; runs in worker processes.

Everything here is picklable and cheap to import: a worker process imports this
module and :mod:`briefing.corpus`, nothing else of the application.
"""

from __future__ import annotations

import datetime as dt
import hashlib
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
    """A file read as an article (``row``, ``body``) or refused (``problem``).

    ``row`` is the metadata as stored (see :func:`meta_row`): plain values pickle
    several times faster than an ArticleMeta on their way back from a worker.
    """

    id: str
    path: str
    stat: FileStat
    raw_hash: str
    row: tuple | None
    body: str
    problem: str | None
    rowid: int | None = None  # set when a worker already wrote the full text to its shard


# Positions in a meta row.
ROW_TITLE, ROW_DATE, ROW_FINGERPRINT = 0, 2, 6

# A rowid is the list's sort key: (date ordinal << SEQ_BITS) | seq, so ORDER BY rowid
# DESC is newest first and undated (ordinal 0) last.
SEQ_BITS = 24
SEQ_MAX = (1 << SEQ_BITS) - 1


def bulk_rowid(ordinal: int, seq: int) -> int:
    """The rowid of a cold build's ``seq``-th job (1-based; jobs in descending id
    order): unique, and within one date a smaller id gets the larger rowid, so
    ``ORDER BY rowid DESC`` is the list's order (date descending, then id) whichever
    process wrote the row."""
    if not 0 < seq <= SEQ_MAX:
        raise OverflowError(f"more than {SEQ_MAX} files in one build")
    return (ordinal << SEQ_BITS) + seq


def meta_row(meta: ArticleMeta) -> tuple:
    """(title, title_derived, date ordinal or None, author, source, tags, fingerprint,
    words, warnings): the metadata columns of the articles table."""
    return (
        utf8(meta.title),
        int(meta.title_derived),
        meta.date.toordinal() if meta.date else None,
        utf8(meta.author),
        utf8(meta.source),
        utf8("\n".join(meta.tags)),
        meta.fingerprint,
        meta.words,
        utf8("\n".join(meta.warnings)),
    )


def split_lines(value: str) -> tuple[str, ...]:
    return tuple(value.split("\n")) if value else ()


def meta_from_row(id: str, path: str, row: tuple) -> ArticleMeta:
    return ArticleMeta(
        id=id, path=path, title=row[0], title_derived=bool(row[1]),
        date=dt.date.fromordinal(row[2]) if row[2] is not None else None,
        author=row[3], source=row[4], tags=split_lines(row[5]), fingerprint=row[6], words=row[7],
        warnings=split_lines(row[8]),
    )


def utf8(text: str | None) -> str | None:
    """SQLite stores UTF-8: a lone surrogate (never expected from the parser) becomes U+FFFD."""
    if text is None or text.isascii():
        return text
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def raw_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def hash_file(path: str) -> str | None:
    """The hash of a file's bytes, or None when it cannot be read."""
    try:
        with open(path, "rb") as handle:
            return raw_hash(handle.read())
    except OSError:
        return None


Outcome = tuple  # (raw_hash, row or None, body, problem or None): a parse without the job it came from


def outcome(id: str, path: str) -> Outcome:
    """Read and parse one file: ``(raw_hash, row, body, problem)``. Never raises: a
    file that cannot be read comes back with ``row`` None and a ``problem``.

    Plain tuples, without the id, path and stat the caller already has: what a
    worker process sends back is a third the size and unpickles without a class."""
    try:
        data = read_bytes(path)
    except ArticleError as err:
        return ("", None, "", err.message)
    digest = raw_hash(data)
    try:
        article = parse_bytes(id, path, data)
    except ArticleError as err:
        return (digest, None, "", err.message)
    except Exception as err:  # noqa: BLE001 - a parser failure is a problem for that file only
        return (digest, None, "", f"could not be parsed ({type(err).__name__}); skipped")
    return (digest, meta_row(article.meta), utf8(article.body), None)


def extract(root: str, id: str, path: str, stat: FileStat) -> Parsed:
    """Parse one file. Never raises: a file that cannot be read comes back as a problem."""
    digest, row, body, problem = outcome(id, path)
    return Parsed(id, path, stat, digest, row, body, problem)


def extract_many(root: str, jobs: list[tuple[str, str, FileStat]]) -> list[Parsed]:
    """Parse a batch in this process."""
    return [extract(root, id, path, stat) for id, path, stat in jobs]
