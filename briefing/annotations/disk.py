"""The annotation store's file side: opening (load, parse, refusals) and the save
path. Functions of the :class:`~briefing.annotations.store.AnnotationStore` they
work for.

Every mutation of the store saves at once. A save:

1. takes an exclusive ``flock`` on ``.annotations.yaml.lock`` beside the file, so
   saves from several processes run one at a time (the lock is never created
   through a symbolic link);
2. reads the file again and compares its bytes with what this store last read or
   wrote (modification times are not trusted);
3. if it changed, three-way merges (:mod:`briefing.annotations.merge`): additions
   from both sides are kept, a field both sides changed keeps both values visibly;
   if it changed into something invalid, nothing is written and the store turns
   read-only;
4. parses back the entries it adds or changes (nothing is written that briefing
   cannot read), keeps the version it replaces as ``annotations.yaml.bak`` in the
   user's state folder (:func:`~briefing.annotations.location.backup_dir`: a hard
   link to it when on the same filesystem, else a durable copy; never in the corpus,
   which a team shares through git), and writes the new one atomically (temp file, fsync,
   read back, ``os.replace``, fsync of the folder).

All of it goes through :class:`briefing.durable.StoreFolder`: the folder is pinned at
open, so a corpus moved, deleted or replaced while open is never written or
recreated (:class:`CorpusGoneError`), and nothing is written through a link.

A file that cannot be read as annotations (corrupt, truncated, empty, hostile,
wrong types) is never taken for "no annotations": the store opens read-only, with
:attr:`AnnotationStore.error <briefing.annotations.store.AnnotationStore.error>` naming the file and the line, and leaves the file
untouched. So does a symbolic link (read, never written), and a file with every
write bit off (even for root). A missing file is "no annotations yet". Large files
are indexed rather than parsed whole (:mod:`briefing.annotations.indexed`); in the
reader, a large file never seen before opens unverified and is parsed whole in the
background, saves waiting for that check (:mod:`briefing.annotations.verify`).
"""

from __future__ import annotations

import contextlib
import os
import re
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.annotations import fastcheck, indexed, kept, reindex, yamlio
from briefing.annotations.errors import AnnotationError, CorpusGoneError, ReadOnlyError, SaveError
from briefing.annotations.held import bytes_held
from briefing.annotations.merge import MergeConflict, merge_docs
from briefing.annotations.schema import VERSION, AnnotationDoc, NewerVersionError, SchemaError
from briefing.annotations.verify import remember_broken
from briefing.durable import FolderGone, LinkRefused, LockTimeout, UnsafeFileError, atomic_write, read_only_by_mode, read_small_regular_file
from briefing.ids import relpath_of
from briefing.model import ArticleMeta

if TYPE_CHECKING:
    from briefing.annotations.store import AnnotationStore


def fail(store: AnnotationStore, where: Path, problem: str) -> None:
    text = f"{where}: {problem}. The file is left as it is; annotations are read-only until it is fixed"
    if store.backup_path.is_file() and where == store.path:
        text += f" (the last good version is in {store.backup_path})"
    store.error = text + "."

_CONFLICT_MARKER = re.compile(rb"^<{7}(?: |$)", re.M)


def conflict_markers(store: AnnotationStore, data: bytes) -> bool:
    """When ``data`` holds git's conflict markers (a merge made without briefing's
    merge driver), make the store read-only saying so and how to merge again; True
    then. The backup is not offered: it holds neither side's latest changes."""
    found = _CONFLICT_MARKER.search(data)
    if found is None:
        return False
    line = data.count(b"\n", 0, found.start()) + 1
    store.error = (
        f"{store.path}: line {line}: git conflict markers (<<<<<<<): a merge was made without briefing's merge "
        f"driver. Run `briefing team init`, then `git checkout -m {store.path.name}` in that folder to merge again "
        "(both sides' annotations kept). The file is left as it is; annotations are read-only until it is fixed."
    )
    return True


def schema_fail(store: AnnotationStore, where: Path, exc: SchemaError, note: str = "") -> None:
    """Make the store read-only for a file that is not valid annotations; a file of
    a newer format version is named as such (it is fine, just not ours to rewrite)."""
    if isinstance(exc, NewerVersionError):
        store.error = (
            f"{where}: format version {exc.version} (line {exc.line}) was written by a newer briefing; this one knows "
            f"up to version {VERSION}. Annotations are read-only here and the file is never rewritten."
        )
        return
    fail(store, where, f"line {exc.line}: {exc.message}{note}")


def read_current(store: AnnotationStore) -> bytes | None:
    """The file's bytes (None if missing), never through a link
    (:class:`~briefing.durable.LinkRefused`) or from a special file."""
    return store._folder.read(store.path.name, yamlio.MAX_BYTES)

def link_error(store: AnnotationStore) -> str:
    return (
        f"{store._folder.link_message(store.path.name)}; annotations are read-only "
        "(replace the link with a copy of the file to annotate here)."
    )

def load(store: AnnotationStore) -> None:
    """Read the file into the store; on any problem the store is read-only with an
    error naming the file, and ``unreadable`` when nothing of it could be read."""
    before = store._doc
    store.unreadable = False
    _load(store)
    store.unreadable = store.error is not None and store._doc is before  # (nothing was read this time)


def _load(store: AnnotationStore) -> None:
    store._pending_reads.clear()  # the document is read afresh
    store.check = None
    linked = False
    try:
        data = read_current(store)
    except LinkRefused:
        # A link that stays inside the corpus is read (never written); one that leads
        # out of it is not even read: a planted link must not make us open a file of
        # the analyst's elsewhere (a login script, a key) and report on its contents.
        linked = True
        folder = os.path.realpath(store.path.parent)
        if os.path.commonpath([folder, os.path.realpath(store.path)]) != folder:
            store.error = link_error(store)[:-1] + "; it leads outside the corpus folder and is not read."
            return
        try:
            data = read_small_regular_file(store.path, yamlio.MAX_BYTES)
        except FileNotFoundError:
            data = None
        except OSError as exc:
            store.error = link_error(store)[:-1] + f"; its target cannot be read ({exc.strerror or exc})."
            return
    except FolderGone as exc:
        store.error = f"{exc}; annotations are read-only."
        return
    except UnsafeFileError as exc:
        fail(store, store.path, str(exc).removeprefix(f"{store.path} "))
        return
    except OSError as exc:
        fail(store, store.path, f"cannot be read ({exc.strerror or exc})")
        return
    if linked:
        if data is not None:
            try:
                store._base = store._doc = yamlio.load(data)
            except SchemaError as exc:
                store.error = link_error(store)[:-1] + f"; what it points to is not valid (line {exc.line}: {exc.message})."
                return
        store.error = link_error(store)
        return
    if data is None:
        seed = store.location.seed
        if seed is not None:
            try:
                store._base = store._doc = yamlio.load(read_small_regular_file(seed, yamlio.MAX_BYTES))
                store.messages.append(f"started from {seed}; changes are saved in {store.path}")
            except SchemaError as exc:
                schema_fail(store, seed, exc)
            except OSError as exc:
                fail(store, seed, f"cannot be read ({exc.strerror or exc})")
        return
    try:
        doc = parse(store, data, store._folder.last_read_identity, check_later=store._check_later)
    except SchemaError as exc:
        remember_broken(store, data)
        if data.strip() == b"":
            fail(store, store.path, "line 1: the file is empty; delete it to start afresh or restore the backup")
        elif not conflict_markers(store, data):
            schema_fail(store, store.path, exc)
        if isinstance(exc, NewerVersionError):  # shown read-only as far as this version can read it
            passed: list[str] = []
            with contextlib.suppress(SchemaError):
                store._base = store._doc = yamlio.load(data, newer_ok=True, passed_over=passed)
            if passed:
                store.messages.append(
                    f"{store.path}: {len(passed)} thing{'s' if len(passed) != 1 else ''} this version does not "
                    f"understand {'are' if len(passed) != 1 else 'is'} not shown (first: {passed[0]})"
                )
        return
    store._base = store._doc = doc
    with store._lock:  # the snapshot's mover (held) takes it too: it must see the bytes assigned here
        store._base_data = bytes_held(store, doc, data)
    problem = write_refusal(store)
    if problem:
        store.error = problem

def reopen(store: AnnotationStore) -> list[str]:
    """Read a broken file again; a message when it can now be changed."""
    store.error = None
    load(store)
    if store.read_only:
        return []
    return [f"{store.path} can be read again; annotations can be changed"]

def parse(store: AnnotationStore, data: bytes, key: tuple[int, ...] | None, *, check_later: bool = False) -> AnnotationDoc:
    """The document in ``data`` (SchemaError if invalid). A large canonical file
    is indexed instead of parsed whole, and the index is kept in the cache
    keyed by the file's identity, so the next open skips the parse; when the file
    was rewritten by another program since, only its changed entries are parsed
    (:mod:`briefing.annotations.reindex`). ``check_later`` (an open in the reader):
    a large file with the canonical outline and nothing kept is opened unverified
    and parsed whole in the background (:mod:`briefing.annotations.verify`; the
    check is ``store.check``)."""
    with yamlio.collector_paused(len(data) >= yamlio.PAUSE_GC_FROM):  # (a reindex: ~100,000 objects, no cycle)
        index = reindex.cached_index(store.path, key, data)
    if index is not None:
        return indexed.lazy_doc(index)
    if check_later:
        from briefing.annotations import verify

        unverified = verify.unverified_index(data)
        if unverified is not None:
            store.check = verify.BackgroundCheck(store.path, key, unverified)
            unverified.on_problem = verify.entry_problem(store)
            store.check.start()
            return indexed.lazy_doc(unverified)
    index = fastcheck.canonical_index(data)  # what the writer made is known without a parse
    if index is None:
        with yamlio.collector_paused(len(data) >= yamlio.PAUSE_GC_FROM):  # see there: twice as fast at 100,000 entries
            doc = yamlio.load(data)
            index = indexed.build_index(data, doc)
        if index is None:
            return doc
    kept.keep_index(store.path, key, index)
    return indexed.lazy_doc(index)

def write_refusal(store: AnnotationStore) -> str | None:
    """Why the existing file must not be replaced (None when it may): no write
    permission for us, or every write bit off (chmod a-w), which means read-only
    on purpose even for root, whom ``os.access`` lets write anything."""
    try:
        st = os.lstat(store.path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"{store.path}: cannot be examined ({exc.strerror or exc}); annotations are read-only."
    if read_only_by_mode(st) or not os.access(store.path, os.W_OK):
        return f"{store.path}: the file is read-only (mode {st.st_mode & 0o777:o}); annotations are read-only."
    return None

def save(store: AnnotationStore, wanted: AnnotationDoc) -> tuple[list[str], list[MergeConflict]]:
    """Write ``wanted``, merged with whatever is on disk now. On failure nothing
    in memory or on disk changes and an AnnotationError is raised."""
    store._check_writable()
    if store.saver is not None:  # written by the SaveQueue's thread; reports come from it
        return store.saver.accept(wanted)
    if store.check is not None:  # opened unverified: nothing is written before the check passed
        from briefing.annotations.verify import wait_before_save

        wait_before_save(store)
    messages: list[str] = []
    conflicts: list[MergeConflict] = []
    name = store.path.name
    try:
        if not store.location.in_corpus:  # briefing's own data folder
            store.path.parent.mkdir(parents=True, exist_ok=True)
            note_corpus(store.path.parent, store.location.corpus)
        with store._folder.locked(store.lock_path.name):
            store._folder.remove_stale_temps(name)
            current = read_current(store)
            current_key = store._folder.last_read_identity
            refusal = write_refusal(store)  # made read-only since it was opened
            if refusal:
                store.error = refusal
                raise ReadOnlyError(refusal)
            merged = wanted
            if current is not None and current != store._base_data:
                try:
                    theirs = parse(store, current, current_key)
                except SchemaError as exc:
                    remember_broken(store, current)
                    schema_fail(store, store.path, exc, " (changed by another program)")
                    raise ReadOnlyError(store.error) from None
                merged, conflicts = merge_docs(store._base, wanted, theirs, yamlio.utc_now())
                messages.append(f"{store.path} was changed by another program; merged")
                messages += [c.message() for c in conflicts]
                on_disk = theirs
            else:
                on_disk = store._base if current is not None else AnnotationDoc()
                if current is None and store._base_data is not None:
                    messages.append(f"{store.path} had been removed; written again")
            data, index = dump(merged)
            verify(merged, on_disk, store.path)  # nothing is written that cannot be read back
            if current != data:
                if index is not None:
                    kept.hash_ahead(data)  # for keep_index below, while the file is written
                if current is not None:  # the folder is synced by the next write
                    if on_disk.version != VERSION:  # an older format, migrated now: its bytes are kept apart too
                        old = f"{name}.v{on_disk.version}.bak"
                        keep_backup(store, old, current, current_key)
                        messages.append(
                            f"{store.path}: format version {on_disk.version} migrated to version {VERSION}; "
                            f"the version {on_disk.version} file is kept as {store.backup_path.with_name(old)}"
                        )
                    keep_backup(store, store.backup_path.name, current, current_key)
                key = store._folder.replace(name, data)
                kept.keep_index(store.path, key, index)
            if index is not None:  # the next save splices onto the file just written
                merged = indexed.lazy_doc(index)
    except AnnotationError:
        raise
    except FolderGone as exc:
        raise CorpusGoneError(f"could not save {store.path}: {exc}") from None
    except LinkRefused as exc:
        store.error = f"{exc}; annotations are read-only (remove the link to annotate here)."
        raise ReadOnlyError(store.error) from None
    except LockTimeout as exc:
        raise SaveError(f"could not save {store.path}: {exc}") from None
    except UnsafeFileError as exc:
        raise SaveError(f"could not save {store.path}: {exc}") from None
    except OSError as exc:
        raise SaveError(f"could not save {store.path}: {exc.strerror or exc}") from None
    store._base = store._doc = merged
    store._base_data = bytes_held(store, merged, data)
    store._pending_reads.clear()  # the whole document was written, deferred reads too
    return messages, conflicts



def keep_backup(store: AnnotationStore, backup_name: str, current: bytes, key: tuple[int, ...] | None) -> None:
    """Keep ``current`` (the file about to be replaced) as ``backup_name`` in the
    user's state folder: a hard link when both folders are on one filesystem, else a
    durable copy; the folder is synced either way. Noted once, beside it, which
    corpus the backups are of."""
    store._folder.backup_into(store._backups, store.path.name, backup_name, current, key)
    if not (store.backup_path.parent / "corpus.txt").exists():
        note_corpus(store.backup_path.parent, store.location.corpus)


def rescue(store: AnnotationStore) -> Path:
    """See :meth:`AnnotationStore.rescue`: ``<file>.unsaved-<UTC time>`` beside the
    backups, written durably (temporary file, fsync, read back, atomic rename)."""
    data, _index = dump(store._doc)
    stamp = yamlio.utc_now().replace("-", "").replace(":", "")
    name = f"{store.path.name}.unsaved-{stamp}"
    try:
        store._backups.replace(name, data)
        note_corpus(store.backup_path.parent, store.location.corpus)
    except OSError as exc:
        raise SaveError(f"cannot keep the unsaved annotations in {store.backup_path.parent / name}: {exc}") from exc
    return store.backup_path.parent / name


def dump(doc: AnnotationDoc) -> tuple[bytes, indexed.FileIndex | None]:
    """The file bytes for ``doc`` and, for a large file, their index."""
    if getattr(doc.articles, "lazy", False):
        # `lazy` marks indexed.LazyArticles, the only Mapping splice() accepts
        return indexed.splice(doc.articles)  # type: ignore[arg-type]
    data = indexed.document_bytes(doc)
    return data, indexed.build_index(data, doc, canonical=True)


def verify(merged: AnnotationDoc, on_disk: AnnotationDoc, path: Path) -> None:
    """Check that every article entry this save adds or changes reads back as the
    same value (entries unchanged since they were read from the file read back
    already). Cheap at any size: only the changed entries are written and parsed."""
    changed = {i: merged.get(i) for i in merged.changed_ids(on_disk)}
    changed = {i: a for i, a in changed.items() if not a.is_empty()}
    if not changed:
        return
    part = AnnotationDoc(changed)
    try:
        back = yamlio.load(yamlio.dumps_bytes(part))
    except (SchemaError, UnicodeError) as exc:
        raise SaveError(f"could not save {path}: the new entries would not read back ({exc}); nothing was written") from None
    if back != part:
        wrong = sorted(i for i in set(part.articles) | set(back.articles) if part.get(i) != back.get(i))
        raise SaveError(
            f"could not save {path}: the entries for {', '.join(map(repr, wrong[:3]))} would not read back "
            "as written; nothing was written"
        )


def exists(root: Path, article_id: str) -> bool:
    try:
        rel = relpath_of(article_id)  # the file the canonical id names
    except ValueError:  # not a canonical id (written by hand): the text as a path
        rel = article_id
    try:
        return (root / rel).exists()
    except (OSError, ValueError):
        return False


def note_corpus(folder: Path, corpus: Path) -> None:
    """Leave a note in a data-dir annotation folder saying which corpus it is for."""
    marker = folder / "corpus.txt"
    if not marker.exists():
        atomic_write(marker, (str(corpus) + "\n").encode("utf-8", "surrogateescape"))


def find_renames(doc: AnnotationDoc, metas: Sequence[ArticleMeta], root: Path) -> tuple[list[tuple[str, str]], list[str]]:
    """(moves, orphans): the annotated ids with no article (orphans), and (old, new)
    for each orphan whose file is gone from ``root`` and whose fingerprint exactly
    one article has, no other orphan claiming it (a renamed file). That article may
    have annotations of its own only when they were made on the same text (the same
    fingerprint recorded: a teammate annotated the old name before pulling the
    rename): the two are then merged by the caller. Annotations made on other text
    (a file overwritten by the move) are not joined: the orphan stays."""
    known = {m.id for m in metas}
    orphans = [i for i in doc.articles if i not in known]
    if not orphans:  # the common case: no pass over every article (100k: 0.15 s on the UI thread)
        return [], []
    by_fp: dict[str, list[str]] = defaultdict(list)
    for m in metas:
        by_fp[m.fingerprint].append(m.id)
    orphans_by_fp: dict[str, list[str]] = defaultdict(list)
    for i in orphans:
        # A file still on disk was not renamed (it may just have failed to load): its
        # entry is not read (a stat is cheaper than parsing it).
        if exists(root, i):
            continue
        fp = doc.get(i).fingerprint
        if fp:
            orphans_by_fp[fp].append(i)
    moves = []
    for fp, olds in orphans_by_fp.items():
        targets = by_fp.get(fp, [])
        if len(olds) == 1 and len(targets) == 1 and (targets[0] not in doc.articles or doc.get(targets[0]).fingerprint == fp):
            moves.append((olds[0], targets[0]))
    return moves, orphans
