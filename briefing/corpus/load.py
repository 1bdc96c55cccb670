"""The pipeline: discover → read → decode → parse, and the :class:`Corpus` it fills.

Bodies are not kept: a :class:`Corpus` holds metadata only and
:meth:`Corpus.article` reads and parses one file again on demand. Every file that
cannot be read as an article becomes a :class:`LoadProblem`; the load always goes on.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefing.corpus.decode import decode_bytes, utf8_is_clean
from briefing.corpus.discover import discover, error_reason, is_ignored, kind_of, relative_id
from briefing.corpus.frontmatter import Known
from briefing.corpus.items import CONTAINER_KINDS, read_container
from briefing.corpus.parse import Parsed, parse_text
from briefing.corpus.problems import ArticleError, LoadProblem
from briefing.ids import item_id, relpath_of, split_item, typed_candidates
from briefing.lang.detect import detect as detect_language
from briefing.model import Article, ArticleMeta
from briefing.sanitize import clean_text

MAX_BYTES = 16 * 1024 * 1024  # text, Markdown, HTML
_MB = 1024 * 1024
# Documents and many-article files are larger: an e-mail with a big attachment, a
# long PDF, a feed or dump of thousands of items.
KIND_MAX_BYTES = {"pdf": 64 * _MB, "docx": 64 * _MB, "odt": 64 * _MB, "email": 96 * _MB, "mbox": 128 * _MB,
                  "feed": 32 * _MB, "jsonl": 64 * _MB}
BINARY_KINDS = frozenset({"pdf", "docx", "odt", "email"})


def max_bytes(path: str | os.PathLike[str]) -> int:
    """The largest file of ``path``'s kind that is read (:data:`KIND_MAX_BYTES`)."""
    return kind_max_bytes(kind_of(os.path.basename(os.fspath(path))))


def kind_max_bytes(kind: str | None) -> int:
    """The largest file of ``kind`` (from :func:`kind_of`) that is read."""
    return KIND_MAX_BYTES.get(kind, MAX_BYTES) if kind else MAX_BYTES

__all__ = [
    "ArticleError",
    "Corpus",
    "find_article",
    "LoadProblem",
    "open_corpus",
    "parse_body",
    "parse_bytes",
    "parse_for_index",
    "read_article",
    "read_bytes",
    "read_with_stat",
    "sort_key",
]


def sort_key(meta: ArticleMeta) -> tuple[bool, int, str]:
    """Newest first, undated last; ties by id so the order is stable."""
    return (meta.date is None, -(meta.date.toordinal() if meta.date else 0), meta.id)


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The bytes of a regular file, refusing special files and files over MAX_BYTES.

    Raises :class:`ArticleError` with a reason a person can act on.
    """
    return read_with_stat(path)[0]


def read_with_stat(path: str | os.PathLike[str], limit: int | None = None) -> tuple[bytes, os.stat_result]:
    """:func:`read_bytes`, with the ``os.fstat`` of the file it read (free: the
    checks need it), so a caller that wants both makes no second system call.
    ``limit``: :func:`max_bytes` of ``path``, when the caller knows it already."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except PermissionError:
        raise ArticleError("cannot be read (permission denied); skipped") from None
    except FileNotFoundError:
        raise ArticleError("file not found (removed while loading?); skipped") from None
    except OSError as err:
        raise ArticleError(f"cannot be read ({error_reason(err)}); skipped") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise ArticleError("not a regular file; skipped")
        if limit is None:
            limit = max_bytes(path)
        if st.st_size > limit:
            raise ArticleError(f"file too large ({st.st_size // (1024 * 1024)} MB; the limit is {limit // (1024 * 1024)} MB); skipped")
        chunks = []
        total = 0
        want = st.st_size + 1  # the whole file in one read, and one byte to see it grew
        while True:
            chunk = os.read(fd, want)
            want = 65536
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise ArticleError("file too large; skipped")
        return (chunks[0] if len(chunks) == 1 else b"".join(chunks)), st
    except OSError as err:
        raise ArticleError(f"cannot be read ({error_reason(err)}); skipped") from None
    finally:
        os.close(fd)


def parse_bytes(id: str, path: str, data: bytes, kind: str | None = None) -> Article:
    """Parse one file's bytes into an :class:`Article` (no file system access).

    ``kind`` is ``"text"``, ``"markdown"`` or ``"html"`` (default: from ``path``).
    Raises :class:`ArticleError` when the bytes are not an article.
    """
    kind = kind or kind_of(os.fspath(path)) or "text"
    if kind in CONTAINER_KINDS:
        return _item_of(id, path, data, kind)
    parsed, fields, _encoded = _parse(id, path, data, kind, True)
    return Article(meta=ArticleMeta(id, os.fspath(path), *fields), body=parsed.body, headings=parsed.headings)


def parse_for_index(id: str, path: str, data: bytes, kind: str | None = None) -> tuple[ArticleMeta, bytes]:
    """:func:`parse_bytes` for an index: the metadata, and the body as UTF-8 bytes
    (what a full-text table takes, already made to hash the body; a lone surrogate,
    which the parser never lets through, would become U+FFFD). Skips what only a
    reader needs (the body's section headings)."""
    fields, encoded = parse_fields_for_index(id, path, data, kind)
    return ArticleMeta(id, os.fspath(path), *fields), encoded


def parse_fields_for_index(id: str, path: str, data: bytes, kind: str | None = None) -> tuple[MetaFields, bytes]:
    """:func:`parse_for_index` without the ArticleMeta (a frozen dataclass costs as
    much to make as a tenth of the parse): its fields after ``id`` and ``path``, in
    order. ``kind``: from :func:`kind_of`, when the caller knows it already."""
    parsed, fields, encoded = _parse(id, path, data, kind, False)
    if encoded is None:
        encoded = parsed.body.encode("utf-8", "surrogatepass").decode("utf-8", "replace").encode("utf-8")
    return fields, encoded


def is_container(path: str | os.PathLike[str]) -> bool:
    """True for a file that holds many articles (a feed, JSON lines, a mailbox)."""
    return kind_of(os.path.basename(os.fspath(path))) in CONTAINER_KINDS


def parse_items(file_id: str, path: str, data: bytes, kind: str | None = None, *,
                headings: bool = True) -> tuple[list[tuple[Parsed, ArticleMeta, bytes | None]], list[LoadProblem]]:
    """Every article of a many-article file (``file_id`` its file's id), and the
    problems of the items that could not be read (each naming the line or item; a
    problem about the whole file has the file's id). ArticleError when the file as
    a whole is not readable."""
    kind = kind or kind_of(os.fspath(path)) or "jsonl"
    if not data or data.isspace():
        raise ArticleError("empty file; skipped" if not data else "empty file (only blank space); skipped", file_id)
    try:
        container = read_container(kind, data)
    except ArticleError as err:
        err.id = file_id
        raise
    out = []
    problems = [LoadProblem(item_id(file_id, label) if label else file_id, message) for label, message in container.problems]
    for item in container.items:
        id_ = item_id(file_id, item.key)
        text = item.text if item.kind == "html" else clean_text(item.text)
        try:
            parsed = parse_text(text, item.kind, item.known, headings=headings)
            fields, encoded = _fields(id_, parsed)
            out.append((parsed, ArticleMeta(id_, os.fspath(path), *fields), encoded))
        except ArticleError as err:
            problems.append(LoadProblem(id_, err.message))
    if not out and not problems:
        raise ArticleError("no articles in the file; skipped", file_id)
    return out, problems


_ITEMS_CACHE: OrderedDict[tuple[str, str, str], dict[str, Article]] = OrderedDict()
_ITEMS_CACHE_SIZE = 4


def _item_of(id: str, path: str, data: bytes, kind: str) -> Article:
    """The article ``id`` (``file#key``) of a many-article file. The last few files
    parsed are kept (by their bytes' hash), so reading items one by one parses once."""
    file_id, key = split_item(id)
    if key is None:
        raise ArticleError("a file of many articles: name one of its items (file#key)", id)
    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    cache_key = (file_id, os.fspath(path), digest)  # the id too: one file seen from two corpus roots has two
    found = _ITEMS_CACHE.get(cache_key)
    if found is None:
        results, _problems = parse_items(file_id, path, data, kind)
        found = {meta.id: Article(meta=meta, body=parsed.body, headings=parsed.headings) for parsed, meta, _ in results}
        _ITEMS_CACHE[cache_key] = found
        while len(_ITEMS_CACHE) > _ITEMS_CACHE_SIZE:
            _ITEMS_CACHE.popitem(last=False)
    else:
        _ITEMS_CACHE.move_to_end(cache_key)
    article = found.get(id)
    if article is None:
        raise ArticleError("no such item in the file any more (removed or changed since it was listed)", id)
    return article


_BY_STAT: OrderedDict[tuple[str, str, int, int, int, int], dict[str, Article]] = OrderedDict()


def read_item(id: str, path: str, kind: str | None = None) -> Article:
    """The article ``id`` (``file#key``) of the many-article file at ``path``, read
    from disk. The last few files' parses are kept by their stat (size, mtime, ctime,
    inode), so reading a feed's items one by one (a reader, a search's snippets, the
    stories) reads and parses the file once, not once per item."""
    kind = kind or kind_of(os.fspath(path)) or "jsonl"
    try:
        st = os.stat(path)
        key: tuple[str, str, int, int, int, int] | None = (
            split_item(id)[0], os.fspath(path), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino
        )  # the file's id too: one file seen from two corpus roots has items of two ids
    except OSError:
        key = None
    found = _BY_STAT.get(key) if key is not None else None
    if found is not None and key is not None:
        _BY_STAT.move_to_end(key)
        article = found.get(id)
        if article is None:
            raise ArticleError("no such item in the file any more (removed or changed since it was listed)", id)
        return article
    article = _item_of(id, path, read_bytes(path), kind)
    if key is not None:
        _BY_STAT[key] = _ITEMS_CACHE[next(reversed(_ITEMS_CACHE))]  # the parse _item_of just used
        while len(_BY_STAT) > _ITEMS_CACHE_SIZE:
            _BY_STAT.popitem(last=False)
    return article


def _text_of(kind: str, data: bytes) -> tuple[str, str, Known]:
    """(text, how to parse it, known metadata) of a document or e-mail file."""
    if kind == "email":
        from briefing.corpus.mail import read_message

        mail = read_message(data)
        return mail.text, mail.kind, mail.known
    from briefing.corpus import documents

    if kind == "pdf":
        text, known = documents.read_pdf(data)
        return text, "text", known
    if kind == "docx":
        text, known = documents.read_docx(data)
    else:
        text, known = documents.read_odt(data)
    return text, "markdown", known


def _parse(id: str, path: str, data: bytes, kind: str | None, headings: bool) -> tuple[Parsed, MetaFields, bytes | None]:
    """(parsed text, metadata fields (:data:`MetaFields`), the body's UTF-8 bytes or
    None when it holds a lone surrogate)."""
    parsed = _parsed(id, path, data, kind, headings)
    return (parsed, *_fields(id, parsed))


def parse_body(id: str, path: str, data: bytes) -> str:
    """The clean body :func:`parse_bytes` gives for a single-article file, without
    what only the metadata needs (language, fingerprint, word count) nor the section
    headings: a query's check of a phrase on many files. ArticleError as there,
    except for a body left empty (returned empty)."""
    return _parsed(id, path, data, None, False).body


def _parsed(id: str, path: str, data: bytes, kind: str | None, headings: bool) -> Parsed:
    kind = kind or kind_of(os.fspath(path)) or "text"
    if not data or data.isspace():
        raise ArticleError("empty file; skipped" if not data else "empty file (only blank space); skipped", id)
    if kind in BINARY_KINDS:
        try:
            text, text_kind, known = _text_of(kind, data)
            if text_kind != "html":
                text = clean_text(text)
            parsed = parse_text(text, text_kind, known, headings=headings)
        except ArticleError as err:
            err.id = id
            raise
        return parsed
    if kind in CONTAINER_KINDS:
        raise ArticleError("a file of many articles (read with parse_items)", id)
    try:
        text, warnings, encoding = decode_bytes(data)
        if kind == "html":
            from briefing.corpus.html import extract_html

            main_text, known = extract_html(text)
            known.warnings = warnings + known.warnings
            parsed = parse_text(main_text, "html", known, headings=headings)
        else:
            if not (encoding == "utf-8" and utf8_is_clean(data)):
                text = clean_text(text)
            parsed = parse_text(text, kind, Known(warnings=warnings), headings=headings)
    except ArticleError as err:
        err.id = id
        raise
    return parsed


# An ArticleMeta's fields after id and path, in order: (title, title_derived, date,
# author, source, tags, fingerprint, words, warnings, url, lang).
MetaFields = tuple[Any, ...]


def _fields(id: str, parsed: Parsed) -> tuple[MetaFields, bytes | None]:
    """The metadata fields of a parsed article (:data:`MetaFields`) and its body's
    UTF-8 bytes (None when it holds a lone surrogate); ArticleError when it has no
    body."""
    body = parsed.body
    if not body:
        raise ArticleError("no article text (only metadata or site furniture); skipped", id)
    try:
        encoded = hashed = body.encode("utf-8")  # hashed, and counted: bytes count faster than str
    except UnicodeEncodeError:
        encoded, hashed = None, body.encode("utf-8", "surrogatepass")
    fields = (
        parsed.title or Path(id).stem,
        parsed.title_derived,
        parsed.date,
        parsed.author,
        parsed.source,
        parsed.tags,
        "sha256:" + hashlib.sha256(hashed).hexdigest(),  # the fingerprint
        # Words: spaces, plus one per paragraph (the body is stripped lines joined by
        # single spaces and blank lines; a double space or tab inside a line can make
        # it over-count by one, which a word count can bear). Counting bytes is several
        # times faster than splitting the text.
        hashed.count(b" ") + parsed.paragraphs,
        tuple(parsed.warnings),
        parsed.url,
        detect_language(body if parsed.title_derived or not parsed.title else parsed.title + "\n" + body),
    )
    return fields, encoded


def _load(id: str, path: str, kind: str | None = None) -> Article:
    try:
        if (kind or kind_of(os.fspath(path))) in CONTAINER_KINDS:
            return read_item(id, path, kind)
        return parse_bytes(id, path, read_bytes(path), kind)
    except ArticleError as err:
        err.id = id
        raise
    except (ValueError, LookupError, RecursionError, MemoryError) as err:
        raise ArticleError(f"could not be parsed ({err.__class__.__name__}); skipped", id) from err


def read_article(root: str | os.PathLike[str], path: str | os.PathLike[str]) -> Article:
    """Read and parse one file; its id is its path relative to ``root``.

    Raises :class:`ArticleError` (with ``.id`` and ``.message``) when it is not an article.
    """
    p = os.fspath(path)
    if not os.path.isabs(p) and not os.path.lexists(p):
        p = os.path.join(os.fspath(root), p)  # a path given relative to the corpus root
    p = os.path.abspath(p)
    return _load(relative_id(root, p), p)


def find_article(root: str | os.PathLike[str], article_id: str) -> Article:
    """The article ``article_id`` of the corpus at ``root``, read without a full load.

    ``article_id`` is what a user typed: a canonical id (as ``briefing list`` prints
    it, with escapes) or the raw relative file name; both resolve to the canonical id
    (:func:`briefing.ids.typed_candidates`), which the returned article carries.
    Looks at the file directly when it is a plain, discoverable file (inside the
    root, no link, no hidden or ignored part); otherwise walks the corpus.
    KeyError for an unknown id; :class:`ArticleError` when the file is not an article.
    """
    root_real = os.path.realpath(os.fspath(root))
    candidates = typed_candidates(article_id)
    for cid in candidates:
        file_part, key = split_item(cid)
        container = key is not None and kind_of(file_part.rsplit("/", 1)[-1]) in CONTAINER_KINDS
        rel = relpath_of(file_part if container else cid)  # an item: look for its file
        parts = rel.split("/")
        if all(p and p not in (".", "..") and not is_ignored(p) for p in parts) and kind_of(parts[-1]):
            candidate = os.path.join(root_real, *parts)
            if os.path.realpath(candidate) == candidate and os.path.isfile(candidate):
                if container:
                    try:
                        return _load(cid, candidate)
                    except ArticleError as err:
                        if "no such item" in err.message:
                            raise KeyError(article_id) from None
                        raise
                return _load(cid, candidate)
    if candidates:
        wanted = set(candidates)
        for id_, path, kind in discover(root_real):
            if id_ in wanted:
                return _load(id_, path, kind)
            if kind in CONTAINER_KINDS:
                for cand in candidates:
                    if split_item(cand)[0] == id_:
                        return _load(cand, path, kind)
    raise KeyError(article_id)


@dataclass
class Corpus:
    """The articles of one folder: metadata only, sorted by :func:`sort_key`."""

    root: Path
    articles: list[ArticleMeta] = field(default_factory=list)  # sorted by sort_key
    problems: list[LoadProblem] = field(default_factory=list)
    _index: dict[str, ArticleMeta] = field(default_factory=dict, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.articles)

    def __iter__(self) -> Iterator[ArticleMeta]:
        return iter(self.articles)

    def __contains__(self, article_id: object) -> bool:
        try:
            # `in` takes any object; get() is typed for ids, and anything else raises KeyError there too
            self.get(article_id)  # type: ignore[arg-type]
        except KeyError:
            return False
        return True

    def get(self, article_id: str) -> ArticleMeta:
        """The metadata of ``article_id``; KeyError when there is no such article."""
        if len(self._index) != len(self.articles):
            self._index = {m.id: m for m in self.articles}
        meta = self._index.get(article_id)
        if meta is None or meta.id != article_id:
            raise KeyError(article_id)
        return meta

    def article(self, article_id: str) -> Article:
        """Read and parse one article's file again (bodies are read on demand).

        KeyError for an unknown id; :class:`ArticleError` when the file can no longer
        be read as an article.
        """
        meta = self.get(article_id)
        return _load(meta.id, meta.path)


def open_corpus(root: str | os.PathLike[str], on_problem: Callable[[LoadProblem], None] | None = None) -> Corpus:
    """Load the metadata of every article under ``root``.

    Problems (skipped files, links not followed, unreadable folders) are collected in
    ``Corpus.problems`` and passed to ``on_problem`` as they happen.
    """
    corpus = Corpus(root=Path(root))

    def report(problem: LoadProblem) -> None:
        corpus.problems.append(problem)
        if on_problem is not None:
            on_problem(problem)

    if not os.path.isdir(root):
        report(LoadProblem(".", f"corpus folder not found or not a folder: {os.fspath(root)}"))
        return corpus
    metas: list[ArticleMeta] = []
    for id_, path, kind in discover(root, report):
        try:
            if kind in CONTAINER_KINDS:
                results, problems = parse_items(id_, path, read_bytes(path), kind, headings=False)
                metas.extend(meta for _parsed, meta, _encoded in results)
                for problem in problems:
                    report(problem)
                continue
            metas.append(_load(id_, path, kind).meta)
        except ArticleError as err:
            report(LoadProblem(id_, err.message))
        except (ValueError, LookupError, RecursionError, MemoryError) as err:
            report(LoadProblem(id_, f"could not be parsed ({err.__class__.__name__}); skipped"))
    metas.sort(key=sort_key)
    corpus.articles = metas
    return corpus
