"""Read and parse one file for the index; runs in worker processes.

Everything here is picklable and cheap to import: a worker process imports this
module and :mod:`briefing.corpus`, nothing else of the application.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from typing import Any, NamedTuple

from briefing.corpus import ArticleError, read_with_stat
from briefing.corpus.discover import error_reason, kind_of
from briefing.corpus.items import CONTAINER_KINDS
from briefing.corpus.load import MetaFields, kind_max_bytes, parse_fields_for_index, parse_items
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
    stat: FileStat | None  # None: the file could not even be examined (gone since the walk)
    raw_hash: str
    row: tuple[Any, ...] | None
    body: bytes  # the clean body as UTF-8 (what the full-text table takes), b"" for a problem
    problem: str | None
    rowid: int | None = None  # set when a worker already wrote the full text to its shard
    # A many-article file (feed, JSON lines, mbox): its items as (item id, row or
    # None, body, problem or None); ``row`` and ``problem`` of the file itself are None.
    items: tuple[tuple[str, tuple[Any, ...] | None, bytes, str | None], ...] | None = None


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


def meta_row(meta: ArticleMeta) -> tuple[Any, ...]:
    """(title, title_derived, date ordinal or None, author, source, tags, fingerprint,
    words, warnings, url, lang): the metadata columns of the articles table."""
    return fields_row((meta.title, meta.title_derived, meta.date, meta.author, meta.source, meta.tags,
                       meta.fingerprint, meta.words, meta.warnings, meta.url, meta.lang))


def fields_row(fields: MetaFields) -> tuple[Any, ...]:
    """:func:`meta_row` of an ArticleMeta's fields after id and path
    (:data:`briefing.corpus.load.MetaFields`), without making the ArticleMeta."""
    title, title_derived, date, author, source, tags, fingerprint, words, warnings, url, lang = fields
    return (
        utf8(title),
        int(title_derived),
        date.toordinal() if date else None,
        utf8(author),
        utf8(source),
        utf8("\n".join(tags)),
        fingerprint,
        words,
        utf8("\n".join(warnings)),
        url,
        lang,
    )


def split_lines(value: str) -> tuple[str, ...]:
    return tuple(value.split("\n")) if value else ()


def meta_from_row(id: str, path: str, row: tuple[Any, ...]) -> ArticleMeta:
    return ArticleMeta(
        id=id, path=path, title=row[0], title_derived=bool(row[1]),
        date=dt.date.fromordinal(row[2]) if row[2] is not None else None,
        author=row[3], source=row[4], tags=split_lines(row[5]), fingerprint=row[6], words=row[7],
        warnings=split_lines(row[8]), url=row[9], lang=row[10],
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


def fts_text(title: str, body: bytes) -> bytes:
    """What the full-text table indexes for an article: its title (a row's, so valid
    UTF-8, see :func:`utf8`), a newline, its body (UTF-8; FTS5 reads a BLOB as text)."""
    return title.encode("utf-8") + b"\n" + body


def raw_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def hash_file(path: str) -> str | None:
    """The hash of a file's bytes, or None when it cannot be read."""
    try:
        with open(path, "rb") as handle:
            return raw_hash(handle.read())
    except OSError:
        return None


Outcome = tuple[Any, ...]  # (stat, raw_hash, row or None, body, problem or None, items or None): a parse without the job it came from


def stat_of(st: os.stat_result) -> tuple[int, int, int, int]:
    """``(size, mtime_ns, ctime_ns, inode)``: what the index keeps of a stat, as a
    plain tuple (the form :mod:`briefing.index.scan` makes, and its walk digests)."""
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def outcome(id: str, path: str) -> Outcome:
    """Read and parse one file: ``(stat, raw_hash, row, body, problem)``, ``body``
    being UTF-8 bytes (see :func:`briefing.corpus.parse_for_index`). Never
    raises: a file that cannot be read comes back with ``row`` None and a ``problem``.

    ``stat`` is :func:`stat_of` the file as read (its ``fstat``, which the read needs
    anyway; a cold build takes it from here instead of stat'ing every file in the
    walk), of its ``lstat`` when it could not be read, or None when it cannot even be
    examined (then ``problem`` says why, in the walk's words).

    Plain tuples, without the id and path the caller already has: what a worker
    process sends back is a third the size and unpickles without a class."""
    kind = kind_of(path)  # once: the read's size limit and the parse both depend on it
    try:
        data, st = read_with_stat(path, kind_max_bytes(kind))
    except ArticleError as err:
        try:
            st = os.lstat(path)
        except OSError as stat_err:
            return (None, "", None, b"", f"cannot be examined ({error_reason(stat_err)}); skipped", None)
        return (stat_of(st), "", None, b"", err.message, None)
    digest = raw_hash(data)
    try:
        if kind in CONTAINER_KINDS:
            return (stat_of(st), digest, None, b"", None, _items(id, path, data))
        fields, body = parse_fields_for_index(id, path, data, kind)
    except ArticleError as err:
        return (stat_of(st), digest, None, b"", err.message, None)
    except Exception as err:  # noqa: BLE001 - a parser failure is a problem for that file only
        return (stat_of(st), digest, None, b"", f"could not be parsed ({type(err).__name__}); skipped", None)
    return (stat_of(st), digest, fields_row(fields), body, None, None)


def _items(id: str, path: str, data: bytes) -> tuple[tuple[str, tuple[Any, ...] | None, bytes, str | None], ...]:
    """The items of a many-article file for the index: each article's row and body,
    each item problem; problems about the file as a whole joined into one (its id)."""
    results, problems = parse_items(id, path, data, headings=False)
    out: list[tuple[str, tuple[Any, ...] | None, bytes, str | None]] = []
    for parsed, meta, encoded in results:
        if encoded is None:
            encoded = parsed.body.encode("utf-8", "surrogatepass").decode("utf-8", "replace").encode("utf-8")
        out.append((meta.id, meta_row(meta), encoded, None))
    whole = "; ".join(p.message for p in problems if p.id == id)
    seen = {item[0] for item in out}
    for problem in problems:
        if problem.id != id and problem.id not in seen:
            seen.add(problem.id)
            out.append((problem.id, None, b"", problem.message))
    if whole:
        out.append((id, None, b"", whole))
    return tuple(out)


def joined(id: str, path: str, stat: FileStat | None, answer: tuple[Any, ...]) -> Parsed:
    """The Parsed of a job and its :func:`outcome` (plus the rowid a shard worker
    gave it, if any): the walk's stat when the job has one, else the one read.
    ``answer`` is an :func:`outcome` (6 values) or a worker's answer (7: the rowid
    before the items)."""
    if len(answer) == 6:
        answer = (*answer[:5], None, answer[5])
    return Parsed(id, path, answer[0] if stat is None else stat, *answer[1:])


def extract(root: str, id: str, path: str, stat: FileStat | None) -> Parsed:
    """Parse one file. Never raises: a file that cannot be read comes back as a problem."""
    return joined(id, path, stat, outcome(id, path))


def extract_many(root: str, jobs: list[tuple[str, str, FileStat | None]]) -> list[Parsed]:
    """Parse a batch in this process."""
    return [extract(root, id, path, stat) for id, path, stat in jobs]
