"""The values an annotation file holds, and their validation.

Everything here is an immutable value (frozen dataclasses, tuples), so that undo,
merge and "what changed" are plain comparisons. The YAML side lives in
:mod:`briefing.annotations.yamlio`; this module turns the parsed node tree into
these values and reports a wrong type or an unknown field with its line number.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, overload

from briefing.isodate import parse_iso_date
from briefing.lang.detect import check_code

if TYPE_CHECKING:
    from briefing.yamlsafe import Node

STATUSES = ("unread", "read", "flagged")  # the version 1 ``status`` values (still read)
DEFAULT_STATUS = "unread"
VERSION = "4"  # 4: optional per-article language override (lang); private notes and highlight comments
OLDER_VERSIONS = ("1", "2", "3")  # read, and migrated on the first save

_SURROGATE = re.compile(r"[\ud800-\udfff]")


class SchemaError(ValueError):
    """The file parses as YAML but does not have the shape of an annotation file."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


class NewerVersionError(SchemaError):
    """The file says it is of a format version newer than this briefing knows: it is
    opened read-only and never rewritten (a newer briefing wrote it)."""

    def __init__(self, line: int, version: str) -> None:
        super().__init__(
            line,
            f"format version {version} was written by a newer briefing (this one knows up to version {VERSION}); "
            "it is opened read-only and never rewritten",
        )
        self.version = version


def check_text(value: str, what: str) -> str:
    """Refuse text that cannot be written as UTF-8 (unpaired surrogates, which is what
    Python makes of non-UTF-8 bytes on a command line)."""
    if not isinstance(value, str):
        raise TypeError(f"{what} must be text, not {type(value).__name__}")
    if _SURROGATE.search(value):
        raise ValueError(f"{what} contains bytes that are not valid UTF-8 text")
    return value


# ASCII line breaks and tabs inside a tag: shown as a space everywhere, so stored as one
# (a tag "nl\nhere" could not be named as it is shown, to remove or filter by it).
_TAG_BREAKS = re.compile(r"[\t\n\r\x0b\x0c]+")


def normalize_tag(tag: str) -> str:
    """A tag as stored: surrounding ASCII blanks removed, ASCII line breaks and tabs
    inside it made one space, otherwise exactly as typed.

    Only ASCII space, tab, CR, LF, VT and FF are touched, so a tag made of ``\\x85``
    or of an emoji survives intact. An empty tag is refused.
    """
    check_text(tag, "a tag")
    cleaned = _TAG_BREAKS.sub(" ", tag.strip(" \t\r\n"))
    if not cleaned:
        raise ValueError("a tag cannot be empty")
    return cleaned


def tag_key(tag: str) -> str:
    """What two tags are compared by to be the same tag: their case and any ASCII line
    break or tab inside them do not count (``Energy`` is ``energy``; ``nl\\nhere``, of
    a file written before such breaks became a space, is ``nl here``)."""
    return _TAG_BREAKS.sub(" ", tag.strip(" \t\r\n")).casefold()


def summary_choice(method: str | None, length: int | None) -> tuple[str, int] | None:
    """A checked summary choice: (method, length), or None for ``None, None``."""
    if method is None and length is None:
        return None
    if method is None or length is None:
        raise ValueError("a summary choice needs both a method and a length (or neither, to clear it)")
    check_text(method, "the summary method")
    if not method.strip():
        raise ValueError("the summary method cannot be empty")
    if isinstance(length, bool) or not isinstance(length, int) or not 1 <= length <= 1000:
        raise ValueError(f"the summary length must be a whole number from 1 to 1000, not {length!r}")
    return (method, length)


def tag_sort_key(tag: str) -> tuple[str, str]:
    return (tag.casefold(), tag)


def sorted_tags(tags: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(tags), key=tag_sort_key))


def unique(items: Iterable[Any]) -> tuple[Any, ...]:
    """Items in first-seen order without repeats."""
    seen: set[Any] = set()
    out = []
    for item in items:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Note:
    """A note: ``at`` is when it was written (ISO 8601 UTC, may be empty in a
    hand-written entry), ``text`` is exactly what the analyst typed, ``by`` who
    wrote it (empty in files older than version 3)."""

    text: str
    at: str = ""
    by: str = ""
    private: bool = False  # version 4: kept out of every export unless --include-private


@dataclass(frozen=True, slots=True)
class Highlight:
    """A passage of the article (``quote``) with an optional comment (``note``);
    ``by``/``at``: who made it and when (empty in files older than version 3);
    ``occurrence``: which match of the quote in the text it is (1 = the first; a
    quote found more than once keeps the one the analyst chose; absent = 1)."""

    quote: str
    note: str = ""
    by: str = ""
    at: str = ""
    occurrence: int = 1
    private: bool = False  # version 4: the comment (note) stays out of every export unless --include-private


@dataclass(frozen=True, slots=True)
class Conflict:
    """Two saves (or a git merge) disagreed on one field: ``kept`` is the value now
    in the field (ours), ``other`` the value that would otherwise have been lost
    (theirs; None = no value). Version 3 adds, all optional: ``base`` (the value
    both sides started from), ``kept_by``/``other_by`` (who made each change, when
    known) and ``by`` (who ran the merge that found it); ``at`` is when."""

    field: str
    kept: str | None
    other: str | None
    at: str = ""
    base: str | None = None
    kept_by: str = ""
    other_by: str = ""
    by: str = ""


# The fields a Stamp may be about: "status" covers read, flagged and dismissed.
STAMPED_FIELDS = ("status", "date", "title")


@dataclass(frozen=True, slots=True)
class Stamp:
    """Who last changed one of an article's single-valued fields, and when
    (``field`` is one of :data:`STAMPED_FIELDS`)."""

    field: str
    by: str
    at: str = ""


def notes_order(notes: Iterable[Note]) -> tuple[Note, ...]:
    """Chronological (stable for equal times), without repeats."""
    return tuple(sorted(unique(notes), key=lambda n: n.at))


@dataclass(frozen=True, slots=True)
class ArticleNotes:
    """Everything the analyst said about one article."""

    fingerprint: str | None = None
    read: bool = False
    flagged: bool = False
    dismissed: bool = False
    summary: tuple[str, int] | None = None  # the summary method and length chosen for it
    tags: tuple[str, ...] = ()
    date: dt.date | None = None
    title: str | None = None
    notes: tuple[Note, ...] = ()
    highlights: tuple[Highlight, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    changed: tuple[Stamp, ...] = ()  # who last changed status, date, title (one each)
    # Tags a watchlist applied (issue 16), kept apart from the analyst's own, and the
    # automatic tags the analyst took off (never applied to this article again).
    auto_tags: tuple[str, ...] = ()
    removed_auto_tags: tuple[str, ...] = ()
    # The analyst's language for the article (ISO 639-1, or "und"), over the detected
    # one (issue 19); None: the detected language stands.
    lang: str | None = None

    def __post_init__(self) -> None:
        # Normalized on construction so that equal content means equal values.
        if self.changed:
            last = {s.field: s for s in self.changed}
            object.__setattr__(self, "changed", tuple(last[f] for f in sorted(last)))
        object.__setattr__(self, "tags", sorted_tags(self.tags))
        object.__setattr__(self, "auto_tags", sorted_tags(self.auto_tags))
        object.__setattr__(self, "removed_auto_tags", sorted_tags(self.removed_auto_tags))
        object.__setattr__(self, "notes", notes_order(self.notes))
        object.__setattr__(self, "highlights", unique(self.highlights))
        object.__setattr__(self, "conflicts", unique(self.conflicts))
        if self.summary is not None:
            summary_choice(*self.summary)

    @property
    def status(self) -> str:
        """The version 1 reading state these flags come closest to (flagged, else read,
        else unread), for callers not yet rewired to the separate flags."""
        return "flagged" if self.flagged else ("read" if self.read else "unread")

    def stamp(self, name: str) -> Stamp | None:
        """Who last changed ``name`` (a :data:`STAMPED_FIELDS` entry), if recorded."""
        for s in self.changed:
            if s.field == name:
                return s
        return None

    def is_empty(self) -> bool:
        """True when nothing worth keeping is left (a fingerprint, or a record of
        who changed a field, alone is not)."""
        return not (
            self.read or self.flagged or self.dismissed or self.summary is not None
            or self.tags or self.notes or self.highlights or self.conflicts or self.date or self.title is not None
            or self.auto_tags or self.removed_auto_tags or self.lang is not None
        )

    def is_annotated(self) -> bool:
        """Tags, notes, highlights or a title/date correction (read, flagged, dismissed
        or a summary choice alone are not)."""
        return bool(self.tags or self.notes or self.highlights or self.date or self.title is not None)


EMPTY = ArticleNotes()


@dataclass(frozen=True, slots=True)
class AnnotationDoc:
    """A whole annotation file: article id -> notes. Empty entries are dropped."""

    articles: Mapping[str, ArticleNotes] = field(default_factory=dict)
    # The format version of the file this was read from (an older one is migrated on
    # the next save); not part of the value: equality compares the articles only.
    version: str = field(default=VERSION, compare=False)

    def __post_init__(self) -> None:
        if getattr(self.articles, "lazy", False):
            return  # an indexed file (annotations.indexed): parsed on demand, kept as is
        cleaned = {k: v for k, v in sorted(self.articles.items()) if not v.is_empty()}
        object.__setattr__(self, "articles", cleaned)

    def get(self, article_id: str) -> ArticleNotes:
        return self.articles.get(article_id, EMPTY)

    def updated(self, changes: Mapping[str, ArticleNotes]) -> AnnotationDoc:
        """This document with ``changes`` (id -> new value; an empty value removes
        the entry). On an indexed file the changes sit on top, nothing is parsed."""
        if not changes:
            return self
        if getattr(self.articles, "lazy", False):
            # `lazy` marks indexed.LazyArticles, which has updated(); indexed imports this module
            return AnnotationDoc(self.articles.updated(changes))  # type: ignore[attr-defined]
        return AnnotationDoc({**self.articles, **changes})

    def changed_ids(self, other: AnnotationDoc) -> set[str]:
        """Ids whose value differs between the two documents."""
        narrowed = getattr(self.articles, "changed_from", None)
        maybe = narrowed(other.articles) if narrowed else None
        if maybe is None:
            maybe = set(self.articles) | set(other.articles)
            return {i for i in maybe if self.get(i) != other.get(i)}
        return {i for i in maybe if self.get(i) != other.get(i)}

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, AnnotationDoc):
            return False
        narrowed = getattr(self.articles, "changed_from", None)
        if narrowed and narrowed(other.articles) is not None:
            return not self.changed_ids(other)
        return dict(self.articles.items()) == dict(other.articles.items())

    # Unhashable on purpose (equality compares whole documents); typeshed types __hash__ as a method
    __hash__ = None  # type: ignore[assignment]


# --------------------------------------------------------------------------- parsing
# The node tree comes from yamlio: Node(kind, value, line) where kind is "map"
# (value: list of (key Node, value Node)), "seq" (list of Node) or "scalar"
# (str, or None for a plain null).


def _kind_name(node: Node) -> str:
    if node.kind == "scalar":
        return "nothing" if node.value is None else "text"
    return {"map": "a mapping", "seq": "a list"}[node.kind]


@overload
def _text(node: Node, what: str) -> str: ...


@overload
def _text(node: Node, what: str, *, optional: bool) -> str | None: ...


def _text(node: Node, what: str, *, optional: bool = False) -> str | None:
    if node.kind == "scalar" and node.value is None and optional:
        return None
    if node.kind != "scalar" or node.value is None:
        raise SchemaError(node.line, f"{what} must be text, found {_kind_name(node)}")
    value: str = node.value
    return value


def _seq(node: Node, what: str) -> list[Node]:
    if node.kind == "scalar" and node.value is None:
        return []
    if node.kind != "seq":
        raise SchemaError(node.line, f"{what} must be a list, found {_kind_name(node)}")
    items: list[Node] = node.value
    return items


# Set while a newer file is read as far as this version understands it
# (doc_from_node's ``newer_ok``): what is passed over is told here rather than raised.
_PASSED_OVER: ContextVar[list[str] | None] = ContextVar("passed_over", default=None)


def _fields(node: Node, what: str, known: tuple[str, ...]) -> dict[str, Node]:
    if node.kind == "scalar" and node.value is None:
        return {}
    if node.kind != "map":
        raise SchemaError(node.line, f"{what} must be a mapping, found {_kind_name(node)}")
    out: dict[str, Node] = {}
    for key, value in node.value:
        name = key.value
        if name not in known:
            problem = f"unknown field {name!r} in {what} (known: {', '.join(known)})"
            passed = _PASSED_OVER.get()
            if passed is None:
                raise SchemaError(key.line, problem)
            passed.append(f"line {key.line}: {problem}")  # a newer file, shown as far as it is understood
            continue
        out[name] = value
    return out


def _opt_text(fields: dict[str, Node], name: str) -> str:
    """An optional text field ("" when absent or null)."""
    if name not in fields:
        return ""
    return _text(fields[name], name, optional=True) or ""


def _date(node: Node) -> dt.date | None:
    text = _text(node, "date", optional=True)
    if text is None or text == "":
        return None
    try:
        return parse_iso_date(text)
    except ValueError:
        raise SchemaError(node.line, f"date must look like 2023-11-06, found {text!r}") from None


def _bool(node: Node, what: str) -> bool:
    text = _text(node, what, optional=True)
    if text is None or text == "":
        return False
    value = text.strip().lower()
    if value not in ("true", "false"):
        raise SchemaError(node.line, f"{what} must be true or false, found {text!r}")
    return value == "true"


def _summary(node: Node) -> tuple[str, int] | None:
    sf = _fields(node, "summary", ("method", "length"))
    if not sf:
        return None
    if "method" not in sf or "length" not in sf:
        raise SchemaError(node.line, "a summary needs both 'method' and 'length'")
    method = _text(sf["method"], "summary method")
    if not method.strip():
        raise SchemaError(sf["method"].line, "the summary method cannot be empty")
    length = _text(sf["length"], "summary length").strip()
    if not (length.isascii() and length.isdigit()) or not 1 <= int(length) <= 1000:
        raise SchemaError(sf["length"].line, f"the summary length must be a whole number from 1 to 1000, found {length!r}")
    return (method, int(length))


def _occurrence(node: Node) -> int:
    text = (_text(node, "highlight occurrence", optional=True) or "1").strip()
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= 1_000_000:
        raise SchemaError(node.line, f"a highlight's occurrence must be a whole number from 1, found {text!r}")
    return int(text)


ARTICLE_FIELDS = (
    "fingerprint", "read", "flagged", "dismissed", "summary", "status",
    "tags", "date", "title", "notes", "highlights", "conflicts", "changed",
    "auto_tags", "removed_auto_tags", "lang",
)


def _tag_list(node: Node, what: str) -> list[str]:
    tags = []
    for item in _seq(node, what):
        tag = _text(item, "a tag")
        if not tag.strip(" \t\r\n"):
            raise SchemaError(item.line, "a tag cannot be empty")
        tags.append(tag)
    return tags


def _article(node: Node, article_id: str) -> ArticleNotes:
    f = _fields(node, f"article {article_id!r}", ARTICLE_FIELDS)
    kwargs: dict[str, Any] = {}
    if "fingerprint" in f:
        kwargs["fingerprint"] = _text(f["fingerprint"], "fingerprint", optional=True) or None
    if "status" in f:
        # Version 1 (or a hand edit): flagged means flagged and read. An explicit
        # read/flagged key in the same entry wins over what the status implies.
        status = _text(f["status"], "status", optional=True) or DEFAULT_STATUS
        if status not in STATUSES:
            raise SchemaError(f["status"].line, f"status must be one of {', '.join(STATUSES)}, found {status!r}")
        kwargs["read"] = status in ("read", "flagged")
        kwargs["flagged"] = status == "flagged"
    for name in ("read", "flagged", "dismissed"):
        if name in f:
            kwargs[name] = _bool(f[name], name)
    if "summary" in f:
        kwargs["summary"] = _summary(f["summary"])
    if "tags" in f:
        tags = []
        for item in _seq(f["tags"], "tags"):
            tag = _text(item, "a tag")
            if not tag.strip(" \t\r\n"):
                raise SchemaError(item.line, "a tag cannot be empty")
            tags.append(tag)
        kwargs["tags"] = tuple(tags)
    for name in ("auto_tags", "removed_auto_tags"):
        if name in f:
            kwargs[name] = tuple(_tag_list(f[name], name.replace("_", " ")))
    if "date" in f:
        kwargs["date"] = _date(f["date"])
    if "title" in f:
        kwargs["title"] = _text(f["title"], "title", optional=True)
    if "lang" in f:
        lang = _text(f["lang"], "lang", optional=True)
        if lang:
            try:
                kwargs["lang"] = check_code(lang)
            except ValueError as err:
                raise SchemaError(f["lang"].line, str(err)) from None
    if "notes" in f:
        notes = []
        for item in _seq(f["notes"], "notes"):
            nf = _fields(item, "a note", ("at", "text", "by", "private"))
            if "text" not in nf:
                raise SchemaError(item.line, "a note needs a 'text' field")
            at = _text(nf["at"], "at", optional=True) if "at" in nf else ""
            private = _bool(nf["private"], "private") if "private" in nf else False
            notes.append(Note(text=_text(nf["text"], "note text"), at=at or "", by=_opt_text(nf, "by"), private=private))
        kwargs["notes"] = tuple(notes)
    if "highlights" in f:
        highlights = []
        for item in _seq(f["highlights"], "highlights"):
            hf = _fields(item, "a highlight", ("quote", "note", "by", "at", "occurrence", "private"))
            if "quote" not in hf:
                raise SchemaError(item.line, "a highlight needs a 'quote' field")
            note = _text(hf["note"], "highlight note", optional=True) if "note" in hf else ""
            occurrence = _occurrence(hf["occurrence"]) if "occurrence" in hf else 1
            highlights.append(
                Highlight(
                    quote=_text(hf["quote"], "quote"), note=note or "", by=_opt_text(hf, "by"), at=_opt_text(hf, "at"), occurrence=occurrence,
                    private=_bool(hf["private"], "private") if "private" in hf else False,
                )
            )
        kwargs["highlights"] = tuple(highlights)
    if "conflicts" in f:
        conflicts = []
        for item in _seq(f["conflicts"], "conflicts"):
            cf = _fields(item, "a conflict", ("field", "kept", "other", "base", "at", "by", "kept_by", "other_by"))
            if "field" not in cf:
                raise SchemaError(item.line, "a conflict needs a 'field' field")
            conflicts.append(
                Conflict(
                    field=_text(cf["field"], "field"),
                    kept=_text(cf["kept"], "kept", optional=True) if "kept" in cf else None,
                    other=_text(cf["other"], "other", optional=True) if "other" in cf else None,
                    at=_opt_text(cf, "at"),
                    base=_text(cf["base"], "base", optional=True) if "base" in cf else None,
                    kept_by=_opt_text(cf, "kept_by"),
                    other_by=_opt_text(cf, "other_by"),
                    by=_opt_text(cf, "by"),
                )
            )
        kwargs["conflicts"] = tuple(conflicts)
    if "changed" in f:
        stamps = []
        for key, value in _fields(f["changed"], "changed", STAMPED_FIELDS).items():
            sf = _fields(value, f"changed {key}", ("by", "at"))
            stamps.append(Stamp(field=key, by=_opt_text(sf, "by"), at=_opt_text(sf, "at")))
        kwargs["changed"] = tuple(stamps)
    return ArticleNotes(**kwargs)


def doc_from_node(root: Node | None, *, newer_ok: bool = False, passed_over: list[str] | None = None) -> AnnotationDoc:
    """Validate a parsed node tree and build the document, or raise SchemaError
    (:class:`NewerVersionError` for a newer format version, checked first). With
    ``newer_ok`` a newer file is read as far as this version understands it (to show
    it read-only; it is never rewritten): a field this version does not know is
    passed over, and so is an entry it cannot read, each named in ``passed_over``
    ("line N: what"). A file of this version or an older one is read strictly."""
    if root is None:
        raise SchemaError(1, "the file is empty (no 'version' and no 'articles')")
    lenient = False
    if root.kind == "map":  # the version first: a newer file may hold fields unknown here
        for key, value in root.value:
            if key.value == "version" and value.kind == "scalar" and isinstance(value.value, str):
                stated = value.value.strip()
                if stated.isascii() and stated.isdigit() and int(stated) > int(VERSION):
                    if not newer_ok:
                        raise NewerVersionError(value.line, stated)
                    lenient = True
    passed = passed_over if passed_over is not None else []
    token = _PASSED_OVER.set(passed if lenient else None)
    try:
        return _doc(root)
    finally:
        _PASSED_OVER.reset(token)


def _doc(root: Node) -> AnnotationDoc:
    """The document (see :func:`doc_from_node`); a newer file's read as far as it is
    understood while ``_PASSED_OVER`` holds a list."""
    passed = _PASSED_OVER.get()
    top = _fields(root, "the file", ("version", "articles"))
    if "version" not in top:
        raise SchemaError(root.line, f"missing 'version: {VERSION}'")
    version = _text(top["version"], "version").strip()
    if version != VERSION and version not in OLDER_VERSIONS and passed is None:
        raise SchemaError(top["version"].line, f"version {version!r} is not one this briefing understands (expected {VERSION})")
    articles: dict[str, ArticleNotes] = {}
    if "articles" in top:
        node = top["articles"]
        if not (node.kind == "scalar" and node.value is None) and node.kind != "map":
            raise SchemaError(node.line, f"articles must be a mapping of article id to annotations, found {_kind_name(node)}")
        for key, value in node.value or []:
            if not key.value:
                raise SchemaError(key.line, "an article id cannot be empty")
            try:
                articles[key.value] = _article(value, key.value)
            except SchemaError as exc:
                if passed is None:
                    raise
                passed.append(f"line {exc.line}: {exc.message} (the entry is not shown)")
    return AnnotationDoc(articles, version)
