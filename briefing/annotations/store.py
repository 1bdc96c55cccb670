"""The annotation store: one corpus's annotations, loaded, changed and saved safely.

Every mutation saves at once, through the save path of
:mod:`briefing.annotations.disk` (lock, merge with what another program wrote,
verify, backup, atomic replace; a file that cannot be read as annotations makes
the store read-only, never "no annotations"). The values handed back are in
:mod:`briefing.annotations.results`, the errors in :mod:`briefing.annotations.errors`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, Protocol, TypeVar, runtime_checkable

from briefing.annotations import disk, querynotes, tagscan, verify, yamlio  # noqa: F401  (querynotes: registers the query view)
from briefing.annotations.disk import exists as _exists  # noqa: F401  (tests import it from here)
from briefing.annotations.errors import (
    AnnotationError,
    CorpusGoneError,
    ReadOnlyError,
    SaveError,
    UnknownArticle,
)
from briefing.annotations.held import bytes_held
from briefing.annotations.location import Location, backup_dir, locate
from briefing.annotations.merge import MergeConflict, merge_article, merge_docs
from briefing.annotations.results import ArticleView, Change, ReconcileReport, Saver, article_view, json_fields
from briefing.annotations.schema import (
    EMPTY,
    AnnotationDoc,
    ArticleNotes,
    Highlight,
    Note,
    SchemaError,
    Stamp,
    check_text,
    normalize_tag,
    sorted_tags,
    summary_choice,
    tag_key,
)
from briefing.annotations.verify import CheckedLater
from briefing.durable import FolderGone, StoreFolder
from briefing.isodate import parse_iso_date
from briefing.lang.detect import check_code
from briefing.model import ArticleMeta
from briefing.sanitize import clean_line

if TYPE_CHECKING:
    from briefing.annotations.verify import BackgroundCheck

__all__ = [  # the error and result types are re-exported from here too
    "AnnotationError", "AnnotationStore", "ArticleView", "Change", "CorpusGoneError", "ReadOnlyError", "ReconcileReport", "SaveError", "Saver", "UnknownArticle", "open_store",
]


_Store = TypeVar("_Store", bound="AnnotationStore")
_Params = ParamSpec("_Params")
_Result = TypeVar("_Result")


@runtime_checkable
class FrontTags(Protocol):
    """A corpus's front-matter tags as its index holds them, for
    :meth:`AnnotationStore.tag_counts` (:class:`briefing.listing.tagrows.IndexTags`)."""

    def tag_sets(self) -> Iterable[tuple[tuple[str, ...], int]]:
        """Each distinct set of front-matter tags with how many articles carry it."""
        ...

    def tags_of(self, ids: Collection[str]) -> Mapping[str, tuple[str, ...]]:
        """The front-matter tags of those of ``ids`` in the corpus (others absent)."""
        ...


def _synchronized(
    method: Callable[Concatenate[_Store, _Params], _Result],
) -> Callable[Concatenate[_Store, _Params], _Result]:
    """Run the method holding the store's lock: a save may run on a worker thread
    while the UI thread reads or changes the store. The decorated method keeps its
    signature."""
    import functools

    @functools.wraps(method)
    def wrapper(self: _Store, /, *args: _Params.args, **kwargs: _Params.kwargs) -> _Result:
        with self._lock:
            return method(self, *args, **kwargs)

    return wrapper


class AnnotationStore(CheckedLater):
    """Annotations of one corpus. Open with :meth:`open` (or :func:`open_store`); the
    background check of a file opened unverified: :class:`~briefing.annotations.verify.CheckedLater`."""

    def __init__(self, location: Location, articles: Iterable[ArticleMeta] | Mapping[str, ArticleMeta] | None = None,
                 *, check_later: bool = False) -> None:
        self.location = location
        self.path: Path = location.path
        # Backups live in the user's state folder (never in a shared repository); the
        # lock stays beside the file: every process that writes it, whoever runs it,
        # must take the same lock.
        self.backup_path: Path = backup_dir(location.corpus) / (self.path.name + ".bak")
        self.lock_path: Path = self.path.with_name("." + self.path.name + ".lock")
        # The folder, pinned now: a corpus moved or deleted while open is never
        # written again or recreated; briefing's own data folder may be created.
        folder = self.path.parent
        self._folder = StoreFolder(folder, create=not location.in_corpus)
        self._backups = StoreFolder(self.backup_path.parent, create=True)
        self.error: str | None = None
        # True when the file is there but nothing of it could be read (broken, refused,
        # unreadable): what the store holds is not the analyst's annotations, and a
        # command that would hand them on (an export) must not go on as if none existed.
        self.unreadable = False
        self._broken: bytes | None = None  # the SHA-256 of the bytes last found broken (verify.remember_broken)
        self.messages: list[str] = []  # notes for the user from loading
        self._metas: Mapping[str, ArticleMeta] | None = None
        self._base = AnnotationDoc()
        self._base_data: bytes | None = None  # the file as last read or written
        self._lock = threading.RLock()  # a save may run on a worker thread
        self._doc = AnnotationDoc()
        self._undo: list[tuple[str, dict[str, ArticleNotes], dict[str, ArticleNotes]]] = []
        self._redo: list[tuple[str, dict[str, ArticleNotes], dict[str, ArticleNotes]]] = []  # undone, newest last
        self._batch: dict[str, ArticleNotes] | None = None
        self._batch_actions: list[str] = []
        self._batch_messages: list[str] = []
        self._pending_reads: set[str] = set()  # mark_read_later, not saved yet
        self._ids_with: tuple[AnnotationDoc, dict[str, frozenset[str]]] | None = None  # ids_with, per document
        # A SaveQueue (briefing.annotations.savequeue) when saves happen in its thread:
        # a mutation then changes the document in memory and hands it over.
        self.saver: Saver | None = None
        self._author: str | None = None  # who is making changes: asked for on the first change
        # A large file never seen before, opened at once and checked in the background
        # (briefing.annotations.verify): the reader asks for it, never the CLI.
        self._check_later = check_later
        self.check: BackgroundCheck | None = None
        if articles is not None:
            self.attach(articles)
        self._load()

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(cls, corpus: Path | str, articles: Iterable[ArticleMeta] | Mapping[str, ArticleMeta] | None = None,
             *, check_later: bool = False) -> AnnotationStore:
        """``check_later``: a large file with no kept index opens at once, unverified, and
        is parsed whole in the background (:mod:`briefing.annotations.verify`)."""
        return cls(locate(corpus), articles, check_later=check_later)

    @property
    def read_only(self) -> bool:
        return self.error is not None

    @property
    def author(self) -> str:
        """The name recorded beside changes made through this store
        (:func:`briefing.annotations.author.current_author`, asked once)."""
        if self._author is None:
            from briefing.annotations.author import current_author

            self._author = current_author(self.location.corpus)
        return self._author

    @author.setter
    def author(self, name: str) -> None:
        from briefing.annotations.author import tidy

        self._author = tidy(name) or "unknown"

    def _stamped(self, before: ArticleNotes, after: ArticleNotes, field: str) -> ArticleNotes:
        """``after`` recording that the author changed ``field`` now (``before`` when
        nothing changed: a repeated action stays a no-op)."""
        if after == before:
            return before
        return replace(after, changed=(*after.changed, Stamp(field, self.author, yamlio.utc_now())))

    def attach(self, articles: Iterable[ArticleMeta] | Mapping[str, ArticleMeta]) -> None:
        """Tell the store which articles exist: ids are checked, fingerprints recorded.
        A mapping (id -> meta, e.g. an index's lookup) is kept as it is, not copied."""
        self._metas = articles if isinstance(articles, Mapping) else {m.id: m for m in articles}


    # The file side lives in briefing.annotations.disk.
    def _fail(self, where: Path, problem: str) -> None:
        disk.fail(self, where, problem)

    def _schema_fail(self, exc: SchemaError) -> None:
        """Read-only for a file that is not valid annotations (the message of an open)."""
        disk.schema_fail(self, self.path, exc)

    def _read_current(self) -> bytes | None:
        return disk.read_current(self)

    def _load(self) -> None:
        disk.load(self)

    def _reopen(self) -> list[str]:
        return disk.reopen(self)

    def _reopened(self) -> list[str]:
        """Read a read-only store's file again. Changes made before the file turned
        broken under us (kept in memory, not saved) are merged with what the file now
        holds and saved: fixing the file must not throw them away."""
        try:
            if verify.is_known_broken(self, self._read_current()):
                return []  # the same bytes found broken before: nothing new to read
        except OSError:
            pass  # (said by the reopen)
        base, ours, unsaved = self._base, self._doc, self.has_changes
        messages = self._reopen()
        if not unsaved or self.read_only:
            return messages
        theirs = self._doc
        merged, conflicts = merge_docs(base, ours, theirs, yamlio.utc_now())
        if merged == theirs:
            return messages
        self._doc = merged
        messages.append("your changes made while it could not be read are kept and saved")
        messages += [c.message() for c in conflicts]
        self._save(merged)
        return messages

    def _parse(self, data: bytes, key: tuple[int, ...] | None) -> AnnotationDoc:
        return disk.parse(self, data, key)

    @_synchronized
    def _save(self, wanted: AnnotationDoc) -> tuple[list[str], list[MergeConflict]]:
        """Write ``wanted``, merged with whatever is on disk now. On failure nothing
        in memory or on disk changes and an AnnotationError is raised."""
        return disk.save(self, wanted)

    def folder_problem(self) -> str | None:
        """A message when the folder the annotations live in was moved, deleted or
        replaced since the store was opened (saves are refused then), else None.
        Cheap (one ``stat``): the reader may call it when the watcher reports a change."""
        try:
            self._folder.check()
        except FolderGone as exc:
            return str(exc)
        return None

    @_synchronized
    def reload(self) -> list[str]:
        """Take in changes made to the file by others since it was read (a merge;
        nothing is lost). A read-only store whose file has been fixed becomes
        writable again. Returns messages for the user, empty if nothing changed."""
        if self.read_only:
            return self._reopened()
        try:
            data = self._read_current()
        except OSError:  # a link, a moved folder: the next save says so
            return []
        if data is None or data == self._base_data:
            return []
        if self.check is not None:  # the version opened is still being checked: its answer first (the merge's base)
            said = self.wait_checked()
            if self.error is not None:  # the version opened was broken: read afresh
                return [*said, *self._reopen()]
        try:
            theirs = self._parse(data, self._folder.last_read_identity)
        except SchemaError as exc:
            disk.schema_fail(self, self.path, exc, " (changed by another program)")
            return [self.error or ""]
        merged, conflicts = merge_docs(self._base, self._doc, theirs, yamlio.utc_now())
        self._base, self._base_data = theirs, bytes_held(self, theirs, data)
        self._doc = merged
        messages = [f"took in changes made to {self.path} by another program"]
        messages += [c.message() for c in conflicts]
        if merged != theirs:
            self._save(merged)  # our unsaved side or recorded conflicts
        return messages

    # ------------------------------------------------------------------ reading
    def get(self, article_id: str) -> ArticleNotes:
        """The raw annotations of an article (exactly as typed; EMPTY if none)."""
        return self._doc.get(article_id)

    @property
    def document(self) -> AnnotationDoc:
        return self._doc

    def changed_since_annotated(self, article_id: str, current_fingerprint: str | None) -> bool:
        """True when a fingerprint was recorded and the article's text no longer matches."""
        recorded = self._doc.get(article_id).fingerprint
        return bool(recorded and current_fingerprint and recorded != current_fingerprint)

    def status(self, article_id: str) -> str:
        return self._doc.get(article_id).status

    def tags(self, meta: ArticleMeta) -> tuple[str, ...]:
        """Effective tags: the file's front-matter tags, the analyst's and the ones
        watchlists applied (filters and exports treat them all as tags)."""
        a = self._doc.get(meta.id)
        return sorted_tags((*meta.tags, *a.tags, *a.auto_tags))

    def effective_date(self, meta: ArticleMeta) -> dt.date | None:
        return self.corrections(meta.id)[1] or meta.date

    def corrections(self, article_id: str) -> tuple[str | None, dt.date | None]:
        """The analyst's title and date of an article (None for one not set). On a
        large indexed file they are read from their lines: no entry is parsed."""
        if article_id not in self.ids_with("title") and article_id not in self.ids_with("date"):
            return None, None
        articles = self._doc.articles
        if getattr(articles, "lazy", False) and article_id not in articles.overlay:  # type: ignore[attr-defined]
            found: tuple[str | None, dt.date | None] = articles.index.corrections().get(article_id, (None, None))  # type: ignore[attr-defined]
            return found
        a = self._doc.get(article_id)
        return a.title, a.date

    def analyst_titles(self) -> dict[str, str]:
        """id -> the analyst's title, for every article with one (in id order). On a
        large indexed file read from the title lines, like :meth:`corrections`."""
        return {i: t for i in sorted(self.ids_with("title")) if (t := self.corrections(i)[0]) is not None}

    def ids_with(self, field: str) -> frozenset[str]:
        """Ids of the articles whose annotations set ``field``: ``read``, ``flagged``,
        ``dismissed``, ``date`` or ``title`` (the analyst's corrections). On a large
        indexed file nothing is parsed (one pass over its text per field); kept until
        the document changes. For the list: which rows to hide, re-date or re-title
        without reading every entry."""
        doc = self._doc
        cache = self._ids_with
        if cache is None or cache[0] is not doc:
            cache = self._ids_with = (doc, {})
        found = cache[1].get(field)
        if found is None:
            from briefing.annotations.indexed import FIELD_TESTS

            articles = doc.articles
            if getattr(articles, "lazy", False):  # indexed.LazyArticles
                found = articles.ids_with(field)  # type: ignore[attr-defined]
            else:
                test = FIELD_TESTS[field]
                found = frozenset(i for i, a in articles.items() if test(a))
            cache[1][field] = found
        return found

    def effective_meta(self, meta: ArticleMeta) -> ArticleMeta:
        """``meta`` with the analyst's title, date and tags applied (display-clean)."""
        a = self._doc.get(meta.id)
        if a == EMPTY or (a.title is None and a.date is None and not a.tags and a.lang is None):
            return meta
        return replace(
            meta,
            title=clean_line(a.title) if a.title is not None else meta.title,
            title_derived=meta.title_derived and a.title is None,
            date=a.date or meta.date,
            tags=tuple(clean_line(t) for t in self.tags(meta)),
            lang=a.lang or meta.lang,
        )

    def view(self, meta: ArticleMeta | str) -> ArticleView:
        """The article as shown; an id works once the store knows the articles
        (``open_store(root, metas)`` or :meth:`attach`)."""
        if isinstance(meta, str):
            known = (self._metas or {}).get(meta)
            if known is None:
                raise UnknownArticle(f"no article with id {meta!r} in {self.location.corpus}")
            meta = known
        return article_view(meta, self._doc.get(meta.id), self.tags(meta), self.changed_since_annotated(meta.id, meta.fingerprint),
                            self.several_authors())

    def several_authors(self) -> bool:
        """True when the file records more than one author (the reader then names
        them); counted again only when the document changed."""
        doc = self._doc
        if getattr(self, "_authors_doc", None) is not doc:
            from briefing.annotations.author import authors_of

            self._authors_doc = doc
            self._several = len(authors_of(doc)) > 1
        return self._several

    def json_fields(self, meta: ArticleMeta) -> dict[str, Any]:
        """What ``briefing list --json`` shows of an article's annotations, every value
        exactly as held (not cleaned for display: the JSON writer escapes controls),
        with the analyst's title, date and tags applied over the article's."""
        return json_fields(meta, self._doc.get(meta.id), self.tags(meta), self.changed_since_annotated(meta.id, meta.fingerprint))

    def tag_counts(self, articles: Iterable[ArticleMeta] | FrontTags | None = None) -> dict[str, int]:
        """Every tag in the corpus (front matter and annotations) with how many
        articles carry it, sorted for completion. ``articles``: the corpus's metas, or
        its front-matter tags as an index holds them (:class:`FrontTags`: no meta is
        made, a million articles are counted in SQL)."""
        check = self.check
        if check is not None:  # (a worker's call) a file opened unverified: its tags are read once it passed
            check.wait()
        annotated = self._annotated_tags()
        counts: dict[str, int] = defaultdict(int)
        if isinstance(articles, FrontTags):
            for tags, n in articles.tag_sets():
                for tag in set(tags):
                    counts[tag] += n
            fronts = articles.tags_of(annotated.keys())
            for article_id, (tags, auto) in annotated.items():
                front = fronts.get(article_id)
                if front is None:  # not in the corpus (its file gone): the analyst's tags still count
                    for tag in tags:
                        counts[tag] += 1
                    continue
                for tag in set(front):  # counted with its front matter above: counted again with all its tags
                    counts[tag] -= 1
                for tag in set((*front, *tags, *auto)):
                    counts[tag] += 1
            return {t: counts[t] for t in sorted_tags(counts) if counts[t] > 0}
        # One pass, nothing kept per article (an index's articles are read a window at a time).
        metas = articles if articles is not None else (self._metas or {}).values()
        seen = set()
        for meta in metas:
            tags, auto = annotated.get(meta.id, ((), ()))
            if tags or auto:
                seen.add(meta.id)
            for tag in set((*meta.tags, *tags, *auto)):
                counts[tag] += 1
        for article_id, (tags, _) in annotated.items():
            if article_id not in seen:
                for tag in tags:
                    counts[tag] += 1
        return {t: counts[t] for t in sorted_tags(counts)}

    def _annotated_tags(self) -> Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]]:
        """id -> (the analyst's tags, the watchlists' tags) of every annotated article
        with either (a large indexed file's read from its lines: nothing parsed)."""
        found = tagscan.article_tags(self._doc.articles)
        if found is not None:
            return found
        return {i: (a.tags, a.auto_tags) for i, a in self._doc.articles.items() if a.tags or a.auto_tags}

    def all_tags(self, articles: Iterable[ArticleMeta] | FrontTags | None = None) -> list[str]:
        return list(self.tag_counts(articles))

    # ------------------------------------------------------------------ mutations
    def add_tags(self, ids: str | Sequence[str], tags: Iterable[str]) -> Change:
        new = [normalize_tag(t) for t in tags]
        if not new:
            raise ValueError("no tag given")

        def edit(i: str, a: ArticleNotes) -> ArticleNotes:
            # a tag the article carries already in another case stays as it is
            have = {tag_key(t) for t in a.tags}
            added = []
            for tag in new:
                if tag_key(tag) not in have:
                    have.add(tag_key(tag))
                    added.append(tag)
            return replace(a, tags=(*a.tags, *added)) if added else a

        return self._mutate("add tags", ids, edit)

    def remove_tags(self, ids: str | Sequence[str], tags: Iterable[str]) -> Change:
        """Remove analyst tags, compared by :func:`~briefing.annotations.schema.tag_key`
        (case ignored: ``energy`` takes ``Energy`` off too). Tags from an article's
        front matter belong to the file and stay (edit the file to drop them); the
        Change says so."""
        gone = {tag_key(normalize_tag(t)) for t in tags}
        notes: list[str] = []

        def edit(i: str, a: ArticleNotes) -> ArticleNotes:
            meta = (self._metas or {}).get(i)
            fixed = {t for t in meta.tags if tag_key(t) in gone} if meta else set()
            for tag in sorted(fixed):
                notes.append(f"{i}: tag {tag!r} comes from the article's front matter and stays")
            # An automatic tag taken off is remembered, and never applied again.
            auto_gone = {t for t in a.auto_tags if tag_key(t) in gone}
            return replace(
                a, tags=tuple(t for t in a.tags if tag_key(t) not in gone),
                auto_tags=tuple(t for t in a.auto_tags if t not in auto_gone),
                removed_auto_tags=(*a.removed_auto_tags, *auto_gone),
            )

        return self._mutate("remove tags", ids, edit, notes)

    # -- automatic tags (watchlists, issue 16)
    def apply_auto_tags(self, wanted: Mapping[str, Iterable[str]], action: str = "apply watchlist tags") -> Change | None:
        """Add automatic tags (``wanted``: article id -> tags), except those the analyst
        removed from that article before and those it already carries (as its own or
        automatic). Ids the store does not know are skipped. One undo step; None when
        nothing would change."""
        known = self._metas
        todo: dict[str, tuple[str, ...]] = {}
        for article_id, tags in wanted.items():
            if known is not None and article_id not in known:
                continue
            a = self._doc.get(article_id)
            have = set(a.auto_tags) | set(a.tags) | set(a.removed_auto_tags)
            new = tuple(t for t in dict.fromkeys(normalize_tag(t) for t in tags) if t not in have)
            if new:
                todo[article_id] = new
        if not todo:
            return None
        return self._mutate(action, list(todo), lambda i, a: replace(a, auto_tags=(*a.auto_tags, *todo[i])),
                            refresh_fingerprint=False)

    def remove_auto_tags(self, ids: str | Sequence[str], tags: Iterable[str] | None = None, *,
                         remember: bool = True) -> Change:
        """Take automatic tags off articles: all of them, or only ``tags``. With
        ``remember`` (the analyst's removal) each is recorded in ``removed_auto_tags``
        and never applied to that article again."""
        only = None if tags is None else {normalize_tag(t) for t in tags}

        def edit(i: str, a: ArticleNotes) -> ArticleNotes:
            gone = set(a.auto_tags) if only is None else set(a.auto_tags) & only
            if not gone:
                return a
            return replace(a, auto_tags=tuple(t for t in a.auto_tags if t not in gone),
                           removed_auto_tags=(*a.removed_auto_tags, *(gone if remember else ())))

        return self._mutate("remove automatic tags", ids, edit, refresh_fingerprint=False)

    def knows(self, article_id: str) -> bool:
        """The store was told of this article (or of no articles at all)."""
        return self._metas is None or article_id in self._metas

    def auto_tagged(self, tags: Iterable[str] | None = None) -> list[str]:
        """Ids of the articles carrying automatic tags (any, or one of ``tags``)."""
        only = None if tags is None else set(tags)
        from_bytes = tagscan.article_tags(self._doc.articles)  # a large indexed file: nothing parsed
        if from_bytes is not None:
            return [i for i, (_, auto) in sorted(from_bytes.items()) if auto and (only is None or only & set(auto))]
        return [i for i, a in self._doc.articles.items()
                if a.auto_tags and (only is None or only & set(a.auto_tags))]

    def set_read(self, ids: str | Sequence[str], read: bool) -> Change:
        """Mark articles read (``read=True``) or unread; nothing else changes (a flag
        stays). Idempotent; one undo step; ``Change.message`` says how many changed."""
        return self._mutate(
            "mark read" if read else "mark unread", ids, lambda i, a: self._stamped(a, replace(a, read=read), "status"),
            refresh_fingerprint=False,  # reading is not a review: "text changed" stays
        )

    def set_flagged(self, ids: str | Sequence[str], flagged: bool) -> Change:
        """Flag articles or take the flag off; read/unread is left as it is."""
        return self._mutate("flag" if flagged else "unflag", ids, lambda i, a: self._stamped(a, replace(a, flagged=flagged), "status"))

    def set_dismissed(self, ids: str | Sequence[str], dismissed: bool) -> Change:
        """Dismiss articles as not relevant (hidden from lists unless asked for), or
        bring them back; nothing else changes."""
        return self._mutate("dismiss" if dismissed else "undismiss", ids, lambda i, a: self._stamped(a, replace(a, dismissed=dismissed), "status"))

    def set_summary(self, article_id: str, method: str | None, length: int | None) -> Change:
        """Remember the summary method and length the analyst chose for an article
        (``None, None`` forgets the choice). Not an annotation: the article does
        not count as annotated for it, and "text changed" is not reset."""
        value = summary_choice(method, length)
        return self._mutate(
            "set summary" if value else "clear summary", article_id, lambda i, a: replace(a, summary=value),
            refresh_fingerprint=False,
        )

    def mark_read(self, ids: str | Sequence[str], *, undoable: bool = True) -> Change:
        """Mark articles read (opening one); nothing else changes.
        ``undoable=False`` keeps it off the undo list (the reader marks an article
        read as it opens it; ctrl+z should undo the analyst's last deliberate change)."""
        return self._mutate(
            "mark read",
            ids,
            lambda i, a: replace(a, read=True),
            record=undoable,
            refresh_fingerprint=False,  # opening is not a review: "text changed" stays
        )

    def mark_read_later(self, ids: str | Sequence[str]) -> Change:
        """Like ``mark_read(ids, undoable=False)``, but only in memory: nothing is
        written until :meth:`flush_reads`, or until any other save (which writes the
        whole document, so the order of changes is kept). For the reader, which marks
        an article read as it opens it: the keypress does not wait for a disk write.
        Inside :meth:`batch` it joins the batch like any mutation."""
        return self._mutate(
            "mark read",
            ids,
            lambda i, a: replace(a, read=True),
            record=False,
            refresh_fingerprint=False,
            defer=True,
        )

    @property
    def has_changes(self) -> bool:
        """The document in memory differs from the file as last read or written (the
        changes a save has yet to write; none after a broken file was found and the
        store reset to what it shows)."""
        return self._doc is not self._base and self._doc != self._base

    @_synchronized
    def rescue(self) -> Path:
        """Write the whole document held in memory, changes not saved included, to a
        file of its own in the user's backup folder (never beside the corpus): for
        changes that could not reach the annotation file (it turned invalid, its
        folder went) when the reader closes. Returns the file's path; AnnotationError
        when it cannot be written either."""
        return disk.rescue(self)

    @property
    def unsaved_reads(self) -> frozenset[str]:
        """Articles marked read by :meth:`mark_read_later` and not saved yet."""
        return frozenset(self._pending_reads)

    @_synchronized
    def flush_reads(self) -> Change | None:
        """Save the read marks kept by :meth:`mark_read_later` (None when there are
        none). Goes through the normal save: locked, merged with changes made by
        others, atomic. On failure they stay pending and an AnnotationError is raised."""
        if not self._pending_reads:
            return None
        ids = tuple(self._pending_reads)
        before = {i: self._base.get(i) for i in ids}
        messages, conflicts = self._save(self._doc)
        after = {i: self._doc.get(i) for i in ids}
        return Change("mark read", ids, before, after, tuple(messages), tuple(conflicts))

    def toggle_flag(self, ids: str | Sequence[str]) -> Change:
        """Flag them all, or take the flag off when every given article is flagged;
        read/unread stays as it is."""
        id_list = self._ids(ids)
        return self.set_flagged(id_list, not all(self._doc.get(i).flagged for i in id_list))

    def toggle_read(self, ids: str | Sequence[str]) -> Change:
        """Mark them all read when any given article is unread, else mark them all
        unread; a flag stays as it is."""
        id_list = self._ids(ids)
        return self.set_read(id_list, any(not self._doc.get(i).read for i in id_list))

    def set_date(self, ids: str | Sequence[str], date: dt.date | str | None) -> Change:
        """Set the analyst's date (a date or "YYYY-MM-DD"); None or "" clears it."""
        value = parse_iso_date(date)
        return self._mutate("set date" if value else "clear date", ids, lambda i, a: self._stamped(a, replace(a, date=value), "date"))

    def set_title(self, ids: str | Sequence[str], title: str | None) -> Change:
        """Set the analyst's title, exactly as typed; None or blank clears it."""
        value = None if title is None or not title.strip() else check_text(title, "the title")
        return self._mutate("set title" if value else "clear title", ids, lambda i, a: self._stamped(a, replace(a, title=value), "title"))

    def set_lang(self, ids: str | Sequence[str], lang: str | None) -> Change:
        """Set the analyst's language (an ISO 639-1 code, or ``und``; ValueError for
        anything else); None or blank clears it (the detected language stands)."""
        value = None if lang is None or not lang.strip() else check_code(lang)
        return self._mutate("set language" if value else "clear language", ids, lambda i, a: replace(a, lang=value))

    def add_note(self, article_id: str, text: str, at: str | None = None, *, private: bool = False) -> Change:
        """Add a note; ``private``: it never goes into an export unless asked for."""
        check_text(text, "the note")
        if not text.strip():
            raise ValueError("a note cannot be empty")
        stamp = at or yamlio.utc_now()
        author = self.author

        def edit(i: str, a: ArticleNotes) -> ArticleNotes:
            # The same text added twice in one second is two notes: the second is
            # dated a second later rather than collapsing into the first.
            when = stamp
            while any(n.text == text and n.at == when for n in a.notes):
                when = yamlio.next_second(when)
            return replace(a, notes=(*a.notes, Note(text=text, at=when, by=author, private=private)))

        return self._mutate("add note", article_id, edit)

    def edit_note(self, article_id: str, index: int, text: str) -> Change:
        """Replace the text of note ``index`` (in the order of ``get().notes``);
        blank text deletes it."""
        check_text(text, "the note")
        self._note_at(article_id, index)

        def edit(i: str, a: ArticleNotes) -> ArticleNotes:
            notes = list(a.notes)
            if text.strip():
                notes[index] = Note(text=text, at=notes[index].at, by=self.author, private=notes[index].private)
            else:
                del notes[index]
            return replace(a, notes=tuple(notes))

        return self._mutate("edit note" if text.strip() else "delete note", article_id, edit)

    def delete_note(self, article_id: str, index: int) -> Change:
        return self.edit_note(article_id, index, "")

    def add_highlight(self, article_id: str, quote: str, note: str = "", occurrence: int = 1, *, private: bool = False) -> Change:
        """Keep a passage; ``occurrence``: which match of ``quote`` in the text it is
        (1 = the first), for a quote found more than once; ``private``: the comment
        never goes into an export unless asked for (the quote, the article's own
        text, does)."""
        check_text(quote, "the quote")
        check_text(note, "the comment")
        if not quote.strip():
            raise ValueError("a highlight needs a quote")
        if occurrence < 1:
            raise ValueError("a highlight's occurrence counts from 1")
        h = Highlight(quote=quote, note=note, by=self.author, at=yamlio.utc_now(), occurrence=occurrence, private=private)
        return self._mutate("add highlight", article_id, lambda i, a: replace(a, highlights=(*a.highlights, h)))

    def edit_highlight(self, article_id: str, index: int, note: str) -> Change:
        """Replace the comment of highlight ``index`` (in the order of ``get().highlights``);
        the quote stays. One undo step."""
        check_text(note, "the comment")
        self._highlight_at(article_id, index)

        def edit(i: str, a: ArticleNotes) -> ArticleNotes:
            highlights = list(a.highlights)
            highlights[index] = replace(highlights[index], note=note, by=self.author or highlights[index].by)
            return replace(a, highlights=tuple(highlights))

        return self._mutate("edit highlight", article_id, edit)

    def set_note_private(self, article_id: str, index: int, private: bool) -> Change:
        """Mark note ``index`` private (kept out of exports) or shared; one undo step."""
        self._note_at(article_id, index)

        def edit(i: str, a: ArticleNotes) -> ArticleNotes:
            notes = list(a.notes)
            notes[index] = replace(notes[index], private=private)
            return replace(a, notes=tuple(notes))

        return self._mutate("make note private" if private else "share note", article_id, edit)

    def set_highlight_private(self, article_id: str, index: int, private: bool) -> Change:
        """Mark highlight ``index``'s comment private (kept out of exports) or shared."""
        self._highlight_at(article_id, index)

        def edit(i: str, a: ArticleNotes) -> ArticleNotes:
            highlights = list(a.highlights)
            highlights[index] = replace(highlights[index], private=private)
            return replace(a, highlights=tuple(highlights))

        return self._mutate("make comment private" if private else "share comment", article_id, edit)

    def delete_highlight(self, article_id: str, index: int) -> Change:
        """Delete highlight ``index``; one undo step (ctrl+z brings it back)."""
        self._highlight_at(article_id, index)

        def edit(i: str, a: ArticleNotes) -> ArticleNotes:
            return replace(a, highlights=a.highlights[:index] + a.highlights[index + 1 :])

        return self._mutate("delete highlight", article_id, edit)

    def dismiss_conflict(self, article_id: str, index: int | None = None) -> Change:
        """Forget a recorded conflict (all of them when ``index`` is None)."""
        def edit(i: str, a: ArticleNotes) -> ArticleNotes:
            if index is None:
                return replace(a, conflicts=())
            return replace(a, conflicts=a.conflicts[:index] + a.conflicts[index + 1 :])

        return self._mutate("dismiss conflict", article_id, edit)

    def resolve_conflict(self, article_id: str, index: int, side: str) -> Change:
        """Settle conflict ``index`` of an article: ``"ours"`` keeps the value in the
        field (the conflict's ``kept``), ``"theirs"`` puts its ``other`` value in the
        field; either way the entry goes. Saved at once, one undo step."""
        from briefing.annotations.conflicts import SIDES, side_value

        if side not in SIDES:
            raise ValueError(f"side must be one of {', '.join(SIDES)}, not {side!r}")
        conflicts = self._doc.get(article_id).conflicts
        if not 0 <= index < len(conflicts):
            raise IndexError(f"{article_id} has no conflict number {index}")
        chosen = conflicts[index]
        value = side_value(chosen.field, chosen.kept if side == "ours" else chosen.other)
        stamp = {"read": "status", "flagged": "status", "dismissed": "status"}.get(chosen.field, chosen.field)

        def edit(i: str, a: ArticleNotes) -> ArticleNotes:
            rest = tuple(c for n, c in enumerate(a.conflicts) if n != index)
            settled = replace(a, conflicts=rest, **{chosen.field: value})
            return self._stamped(replace(a, conflicts=rest), settled, stamp) if stamp in ("status", "date", "title") else settled

        return self._mutate(f"take {side} for {chosen.field}", article_id, edit)

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Group mutations (a bulk action on marked articles) into one save and one
        undo step. The Changes returned inside are provisional; nothing is saved
        until the block ends, and an exception inside discards them all."""
        if self._batch is not None:
            yield
            return
        self._check_writable()
        start_doc = self._doc
        self._batch, self._batch_actions, self._batch_messages = {}, [], []
        try:
            yield
        except BaseException:
            self._doc = start_doc
            self._batch = None
            raise
        before, self._batch = self._batch, None
        if before:
            after = {i: self._doc.get(i) for i in before}
            self._doc = start_doc
            self._commit(" + ".join(dict.fromkeys(self._batch_actions)), before, after, self._batch_messages)

    def can_undo(self) -> bool:
        return bool(self._undo) and not self.read_only

    @_synchronized
    def undo(self) -> Change | None:
        """Revert the last change made through this store (None if there is none).
        Changes others made since are kept: the undo is merged like any save."""
        if not self._undo:
            return None
        self._check_writable()
        action, before, after = self._undo.pop()
        target = {}
        for i in before:
            target[i], _ = merge_article(i, after[i], before[i], self._doc.get(i), yamlio.utc_now())
        current = {i: self._doc.get(i) for i in before}
        try:
            change = self._commit(f"undo {action}", current, target, (), record=False)
        except AnnotationError:
            self._undo.append((action, before, after))
            raise
        self._redo.append((action, before, after))
        return change

    def can_redo(self) -> bool:
        return bool(self._redo) and not self.read_only

    @_synchronized
    def redo(self) -> Change | None:
        """Make the last undone change again (None if there is none); it goes back on
        the undo list. A new change clears what could be redone. Changes others made
        since are kept: the redo is merged like any save."""
        if not self._redo:
            return None
        self._check_writable()
        action, before, after = self._redo.pop()
        target = {}
        for i in before:
            target[i], _ = merge_article(i, before[i], after[i], self._doc.get(i), yamlio.utc_now())
        current = {i: self._doc.get(i) for i in before}
        try:
            change = self._commit(f"redo {action}", current, target, (), record=False)
        except AnnotationError:
            self._redo.append((action, before, after))
            raise
        self._undo.append((action, before, after))
        return change

    @_synchronized
    def reconcile(self, articles: Iterable[ArticleMeta] | Mapping[str, ArticleMeta], *,
                  persist: bool = True) -> ReconcileReport:
        """Move annotations whose article id no longer exists to the article with the
        same fingerprint (a renamed file), when the old file is gone from the folder,
        exactly one article has that fingerprint and no other orphan claims it. When
        that article has annotations of its own made on the same text, the two are
        merged as a three-way merge from nothing would (``ReconcileReport.joined``).
        Annotations that cannot be matched are kept, never dropped. ``persist``
        False (a command that only reads): the moves are made in memory only, and
        the file is left for the next command that writes (or the reader): reading
        never leaves a change in a repository's work tree to block a ``git pull``."""
        if isinstance(articles, Mapping):  # an index's lookup: every article read only when an id is orphaned
            self.attach(articles)
            lookup = articles
            missing = getattr(lookup, "missing", None)  # an index's lookup: asked in bulk
            if not (missing(self._doc.articles) if callable(missing) else any(i not in lookup for i in self._doc.articles)):
                return ReconcileReport((), ())
            metas: Sequence[ArticleMeta] = list(lookup.values())
        else:
            metas = list(articles)
            self.attach(metas)
        moves, orphans = disk.find_renames(self._doc, metas, self.location.corpus)
        if not orphans:
            return ReconcileReport((), ())
        if not moves or self.read_only:
            return ReconcileReport((), tuple(orphans))
        articles_map = dict(self._doc.articles)
        joined = []
        for old, new in moves:
            moving = articles_map.pop(old)
            if new in articles_map:  # annotated under both names: both kept, as a merge keeps them
                moving, _found = merge_article(new, None, articles_map[new], moving, yamlio.utc_now())
                joined.append((old, new))
            articles_map[new] = moving
        before = {i: self._doc.get(i) for pair in moves for i in pair}
        after = {i: articles_map.get(i, EMPTY) for i in before}
        moved_from = {old for old, _ in moves}
        report = ReconcileReport(tuple(sorted(set(moves) - set(joined))), tuple(i for i in orphans if i not in moved_from),
                                 tuple(sorted(joined)))
        if not persist:
            self._doc = self._doc.updated(after)
            return report
        try:
            self._commit("follow renamed files", before, after, (), record=False)
        except AnnotationError as exc:
            self.messages.append(str(exc))
            return ReconcileReport((), tuple(orphans))
        self._undo.clear()
        self._redo.clear()
        return report

    # ------------------------------------------------------------------ internals
    def _check_writable(self) -> None:
        if self.error is not None:
            raise ReadOnlyError(self.error)

    def _ids(self, ids: str | Sequence[str]) -> list[str]:
        id_list = [ids] if isinstance(ids, str) else list(dict.fromkeys(ids))
        if not id_list:
            raise ValueError("no article given")
        for i in id_list:  # canonical ids (briefing.ids) never hold raw bytes
            check_text(i, "an article id")
        if self._metas is not None:
            for i in id_list:
                if i not in self._metas:
                    raise UnknownArticle(f"no article with id {i!r} in {self.location.corpus}")
        return id_list

    def _highlight_at(self, article_id: str, index: int) -> Highlight:
        highlights = self._doc.get(article_id).highlights
        if not 0 <= index < len(highlights):
            raise IndexError(f"{article_id} has no highlight number {index}")
        return highlights[index]

    def _note_at(self, article_id: str, index: int) -> Note:
        notes = self._doc.get(article_id).notes
        if not 0 <= index < len(notes):
            raise IndexError(f"{article_id} has no note number {index}")
        return notes[index]

    @_synchronized
    def _mutate(
        self,
        action: str,
        ids: str | Sequence[str],
        edit: Callable[[str, ArticleNotes], ArticleNotes],
        messages: list[str] | None = None,
        record: bool = True,
        refresh_fingerprint: bool = True,
        defer: bool = False,
    ) -> Change:
        self._check_writable()
        id_list = self._ids(ids)
        before = {i: self._doc.get(i) for i in id_list}
        after = {}
        for i in id_list:
            old = before[i]
            new = edit(i, old)
            if new != old:
                meta = (self._metas or {}).get(i)
                # The fingerprint says which text the notes and highlights were made on: a
                # change that leaves them alone (a tag, a flag) while the text has changed
                # since is no review of them, and "text changed" stays until one is edited.
                unreviewed = (bool(old.fingerprint) and (old.notes or old.highlights)
                              and (new.notes, new.highlights) == (old.notes, old.highlights))
                if meta is not None and ((refresh_fingerprint and not unreviewed) or not new.fingerprint):
                    new = replace(new, fingerprint=meta.fingerprint)
            after[i] = new
        messages = messages or []
        if self._batch is not None:
            for i in id_list:
                self._batch.setdefault(i, before[i])
            self._doc = self._doc.updated(after)
            self._batch_actions.append(action)
            self._batch_messages.extend(messages)
            return Change(action, tuple(id_list), before, after, tuple(messages))
        if defer:  # in memory only: the next save (flush_reads or any other) writes it
            changed = {i: after[i] for i in id_list if after[i] != before[i]}
            if changed:
                if self.saver is not None:  # its thread must see the document and the marks change at once
                    self.saver.defer(self._doc.updated(changed), changed)
                else:
                    self._doc = self._doc.updated(changed)
                    self._pending_reads.update(changed)
            return Change(action, tuple(id_list), before, after, tuple(messages))
        return self._commit(action, before, after, messages, record=record)

    @_synchronized
    def _commit(
        self,
        action: str,
        before: dict[str, ArticleNotes],
        after: dict[str, ArticleNotes],
        messages: Iterable[str],
        record: bool = True,
    ) -> Change:
        ids = tuple(before)
        messages = list(messages)
        if any(before[i] != after[i] for i in ids):
            wanted = self._doc.updated(after)
            save_messages, conflicts = self._save(wanted)
            messages += save_messages
            if record:
                self._undo.append((action, dict(before), dict(after)))
                del self._undo[:-100]
                self._redo.clear()  # a new change: what was undone cannot be made again
        else:
            conflicts = []
        final = {i: self._doc.get(i) for i in ids}
        return Change(action, ids, before, final, tuple(messages), tuple(conflicts))

def open_store(corpus: Path | str, articles: Iterable[ArticleMeta] | Mapping[str, ArticleMeta] | None = None,
               *, check_later: bool = False, persist: bool = True) -> tuple[AnnotationStore, ReconcileReport]:
    """Open the annotations of ``corpus``; with ``articles``, also follow renamed files.
    ``check_later``: see :meth:`AnnotationStore.open`; ``persist``: see :meth:`AnnotationStore.reconcile`."""
    metas = articles if articles is None or isinstance(articles, Mapping) else list(articles)
    store = AnnotationStore.open(corpus, metas, check_later=check_later)
    report = store.reconcile(metas, persist=persist) if metas is not None else ReconcileReport()
    return store, report
