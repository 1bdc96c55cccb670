"""The analyst's annotations, kept in ``annotations.yaml`` beside the corpus.

Plain Python (never imports textual). API for the reader and the command line::

    from briefing.annotations import open_store, filter_articles

    store, report = open_store(corpus.root, corpus.articles)   # also follows renames
    report.messages()          # "annotations of a.txt moved to b.txt (same text)", ...
    store.location.message     # where annotations are saved, and why there
    store.read_only, store.error   # error names the file and the line; file untouched
    store.messages             # notes from loading (e.g. started from a seed file)

    view = store.view(meta)    # (or an id) ArticleView: effective title/date/tags, read,
                               # flagged, dismissed, summary ((method, length) | None),
                               # notes, highlights, conflicts, text_changed, annotated;
                               # strings cleaned for display
    store.get(id)              # raw ArticleNotes, exactly as typed
    store.all_tags()           # every tag in the corpus, sorted (completion; raw
                               # text: clean_line() before display)
    store.tag_counts()         # the same with article counts
    store.changed_since_annotated(id, meta.fingerprint)
    store.ids_with("dismissed")   # frozenset of ids setting read / flagged / dismissed /
                               # date / title; a large file is not parsed for it (the
                               # list's hiding, re-dating and re-titling use this)

    # Mutations save at once and return a Change (before, after, changed, messages,
    # conflicts). ids may be one id or a list (bulk on marked articles).
    store.add_tags(ids, ["energy", "kyiv"]);  store.remove_tags(ids, ["kyiv"])
    # read, flagged and dismissed are independent: each call changes only its own field,
    # is idempotent, is one undo step; change.message says how many changed.
    store.set_read(ids, True);  store.set_flagged(ids, True);  store.set_dismissed(ids, True)
    store.set_summary(id, "lexrank", 5)   # the summary chosen for it; (None, None) clears;
                               # not an annotation (the article is not 'annotated' by it)
    store.toggle_read(ids);  store.toggle_flag(ids)   # thin wrappers over set_read/set_flagged
    store.mark_read(ids)       # on opening: read = True, nothing else changes
    store.mark_read_later(ids) # the same in memory only; store.flush_reads() (or any
                               # other save) writes it; store.unsaved_reads
    store.set_date(ids, "2022-12-16" | None);  store.set_title(ids, "..." | None)
    store.add_note(id, text);  store.edit_note(id, index, text);  store.delete_note(id, i)
    store.add_highlight(id, quote, note="")
    store.dismiss_conflict(id, index=None)
    with store.batch(): ...    # several mutations, one save, one undo step
    store.undo() -> Change | None;  store.can_undo()
    store.reload()             # take in changes other programs made (merge)
    store.folder_problem()     # None, or a message: the corpus folder was moved,
                               # deleted or replaced since opening (one stat; call it
                               # when the watcher reports a change)
    store.json_fields(meta)    # what `list --json` shows, raw values (not cleaned)

    filter_articles(metas, store, tag=..., status=("unread", "flagged"), since=..., until=...,
                    annotated=..., show_dismissed=False)   # all statuses must hold;
                    # dismissed articles are left out unless asked for

Saves off the caller's thread (a reader): ``SaveQueue(store, on_status)`` from
``briefing.annotations.savequeue`` makes every mutation return at once and writes in
a thread of its own (waits out a lock held by another program, retries, never drops
a change; ``queue.flush(timeout)`` on quit). See that module.

Mutations, saves, ``reload``, ``flush_reads`` and ``undo`` hold the store's lock, so
a save may run on a worker thread while the UI thread reads (a save takes ~30 ms for
100 annotated articles, ~60 ms for 1,000; with 100,000 it rewrites only the changed
entries of an indexed file; see bench/annotations_speed.py).

Errors: ``ReadOnlyError`` (invalid/unwritable file, a symbolic link, every write bit
off), ``SaveError`` (disk, lock), its subclass ``CorpusGoneError`` (the corpus folder
was moved, deleted or replaced while open: nothing saved, the old folder never
recreated, the change kept in memory), ``UnknownArticle`` (an id not in the corpus),
``ValueError`` (bad input, e.g. an empty tag, a malformed date, an id holding raw
bytes); all carry a message to show as is.

Article ids are canonical (:mod:`briefing.ids`): printable, escaped where a file name
is not; what a user typed is resolved by ``briefing.corpus.find_article``.

File format version 2 (``version: 2``, last in the file): per article ``read: true``,
``flagged: true``, ``dismissed: true`` (written only when true) and ``summary: {method,
length}``, replacing version 1's ``status``. A version 1 file is read (``flagged`` ->
flagged and read, ``read`` -> read, ``unread`` -> neither) and migrated on the first
save; the version 1 bytes are kept as ``annotations.yaml.v1.bak`` (and, until the next
save, ``annotations.yaml.bak``). A file of a newer version is opened read-only with a
message naming it and its version, and never rewritten (shown as far as this version's
fields go; nothing at all when it holds fields unknown here). An entry with both ``status``
and ``read``/``flagged`` keys (a hand edit): the explicit ``read``/``flagged`` key wins
over what the status implies. Unknown fields make the file invalid (read-only, with
the line), as in version 1: nothing is dropped by a save that does not know them.

Decisions:
- A missing file means no annotations yet. A zero-byte, blank or comments-only file
  is refused like a corrupt one (read-only, message points to the ``.bak`` backup):
  briefing never writes such a file, so it is a truncation until the user deletes it.
- Tags are stored as typed except surrounding ASCII blanks; front-matter tags are
  shown with the analyst's tags but cannot be removed here (they belong to the file).
- ``annotations.yaml.bak`` holds the version the last save replaced (in the user's state
  folder, :func:`briefing.annotations.location.backup_dir`; never in the corpus).
- ``.annotations.yaml.lock`` beside the file serializes saves (never deleted).
- Nothing is written or created through a symbolic link (file, lock, temp, backup):
  all links are refused, even ones that resolve inside the corpus (a link's target
  can change between a check and a write). A linked ``annotations.yaml`` is read,
  read-only, with a message naming where it points. The store file discipline is
  :class:`briefing.durable.StoreFolder`, for the watchlists and briefings too.
- A save writes only what reads back: the changed entries are parsed back before
  the file is replaced, and the written bytes are read back before the rename.
"""

from briefing.annotations.location import Location, locate
from briefing.annotations.merge import MergeConflict, merge_docs
from briefing.annotations.query import STATUS_FILTERS, effective_sort_key, filter_articles
from briefing.annotations.schema import (
    STATUSES,
    AnnotationDoc,
    ArticleNotes,
    Conflict,
    Highlight,
    NewerVersionError,
    Note,
    SchemaError,
)
from briefing.annotations.store import (
    AnnotationError,
    AnnotationStore,
    ArticleView,
    Change,
    CorpusGoneError,
    ReadOnlyError,
    ReconcileReport,
    SaveError,
    UnknownArticle,
    open_store,
)

__all__ = [
    "STATUSES",
    "STATUS_FILTERS",
    "AnnotationDoc",
    "AnnotationError",
    "AnnotationStore",
    "ArticleNotes",
    "ArticleView",
    "Change",
    "Conflict",
    "CorpusGoneError",
    "Highlight",
    "Location",
    "MergeConflict",
    "NewerVersionError",
    "Note",
    "ReadOnlyError",
    "ReconcileReport",
    "SaveError",
    "SchemaError",
    "UnknownArticle",
    "effective_sort_key",
    "filter_articles",
    "locate",
    "merge_docs",
    "open_store",
]
