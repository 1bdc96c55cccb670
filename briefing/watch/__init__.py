"""The folder watcher: one per open corpus; it feeds the index, the annotations
reload, the watchlists and the list. Nothing else polls the folder.

Plain Python (a thread and watchfiles); never imports textual::

    from briefing.watch import CorpusWatcher, WatchBatch

    def on_batch(batch: WatchBatch) -> None:      # called on the watcher's thread
        ...                                       # e.g. app.call_from_thread / post_message

    watcher = CorpusWatcher(root, on_batch, index=corpus_index,
                            annotations=store.path, watchlists=None)
    watcher.start()                 # returns once changes from now on are seen
    watcher.refresh_index()         # in a worker: full refresh, then the cache is "synced"
    ...
    watcher.stop()                  # joins the thread (well under a second when idle)

How changes are seen: system file events through watchfiles (inotify, FSEvents)
debounced into bursts (``debounce_ms``, 200 by default: a burst of 1,000 files
written at once comes as a few batches), or, when events cannot be had (no
inotify, the watch limit reached, a file system without events, watchfiles
failing on a file name that is not UTF-8), a stat walk of the folder with the
loader's rules every ``poll_interval`` seconds. ``$BRIEFING_WATCH`` (``auto``,
``native``, ``polling``) forces one.

What is reported (:class:`WatchBatch`): paths of article files (and of folders
added or removed: their files send no events of their own) that changed, as the
loader sees them (hidden files, swap, backup and lock files, the annotation
store's lock, temp and backup files, ``briefings/`` and non-article extensions
are not reported); a change of the annotations file or of the watchlists file;
the corpus folder removed or moved away (``root="removed"``) or replaced
(``root="replaced"``, e.g. deleted and made again, or another folder moved in
its place), and ``rescan`` whenever events may have been lost. A ``git checkout``
of another branch that keeps the folder is a burst of file changes like any other.

With ``index``, each batch is applied to the index cache on the watcher's thread
(:func:`briefing.index.incremental.apply_paths`, no walk) before the callback, and
``batch.update`` lists the ids added, changed, removed and renamed with their new
metadata; the freshness stamp of :mod:`briefing.index.fresh` is kept meanwhile.

A front end, per batch (on its own thread, e.g. from a posted message):

- ``batch.update``: :func:`briefing.index.incremental.update_corpus` (idempotent)
  brings an open ``IndexedCorpus`` in line; then rows are added, redrawn, dropped or
  moved (``renamed`` pairs old id to new) in place, the cursor and marks kept by id;
  an article shown whose id is in ``changed`` (or renamed) is read again, one in
  ``removed`` says so. ``update`` None with ``index_error``: not applied yet (another
  process holds the index); a later batch carries the update.
- ``batch.annotations``: the annotation store's ``reload()`` (a merge; it returns
  messages to show), then the rows and header drawn again.
- ``batch.rescan``: :meth:`CorpusWatcher.refresh_index` in a worker, then a fresh
  snapshot. ``batch.root == "removed"``: stop saving there and tell the analyst.
- ``batch.message``: one line for the status bar (plain text).
"""

from briefing.watch.sources import SourceFailed
from briefing.watch.watcher import ENV_MODE, CorpusWatcher, OnBatch, WatchBatch

__all__ = ["ENV_MODE", "CorpusWatcher", "OnBatch", "SourceFailed", "WatchBatch"]
