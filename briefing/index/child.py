"""The first build of a large folder's index in a process of its own (issue 20).

A reader opened on a folder whose index was never built (a fresh clone, a new
machine) used to build it in its loader thread: the walk, the rows and their
bookkeeping made and freed close to a kilobyte per article in the reader's own
heap (0.9 GB at a million articles), and what the allocator kept of it stayed with
the reader for the session. Here the build runs as ``python -m briefing.index.child
ROOT HEAD_ROWS``, the same :meth:`CorpusIndex.refresh <briefing.index.indexed.CorpusIndex.refresh>`
the reader ran, and what it made goes back to the system when it exits. The reader
then runs its usual refresh, now over a built cache (a stat walk), which also
takes in whatever changed during the build.

Only a large folder is built so (:func:`looks_large`: more than :data:`LARGE_FOLDER`
entries, counted without a stat and stopping there): for a small one, starting
Python again would cost more than it saves.

Protocol (:mod:`briefing.childjob`), child to parent: ``("progress", done, total)``,
``("head", [ArticleMeta, ...])`` once (the first batch committed, sorted, at most
HEAD_ROWS) and last ``("done", stopped)``. Parent to child: nothing; closing the
child's stdin (or dying) asks it to stop: the build keeps what it committed, as a
reader's stop does in-process.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from briefing import childjob
from briefing.model import ArticleMeta

LARGE_FOLDER = 2000  # entries (files and folders, at any depth) above which the build runs in a child


def looks_large(root: Path, limit: int | None = None) -> bool:
    """True when ``root`` holds more than ``limit`` (:data:`LARGE_FOLDER`) entries,
    counted folder by folder with ``os.scandir`` (no stat; links are not followed)
    and stopping as soon as the count passes ``limit``."""
    limit = LARGE_FOLDER if limit is None else limit
    seen = 0
    pending = [str(root)]
    while pending:
        try:
            with os.scandir(pending.pop()) as entries:
                for entry in entries:
                    seen += 1
                    if seen > limit:
                        return True
                    with contextlib.suppress(OSError):
                        if entry.is_dir(follow_symlinks=False):
                            pending.append(entry.path)
        except OSError:
            continue
    return False


def unfinished_mark(index_path: Path) -> Path:
    """The file beside an index cache saying that a build of a large folder was
    stopped before it was done: the cache then holds rows, and without it the next
    reader could not tell a half-built folder from one with a few new files (it
    would finish the build in its own process)."""
    return index_path.with_name(index_path.name + ".unfinished")


def unfinished(index_path: Path) -> bool:
    """Whether the last build of the folder whose cache is ``index_path`` was stopped
    before it was done (see :func:`unfinished_mark`)."""
    return unfinished_mark(index_path).exists()


def note_unfinished(index_path: Path, stopped: bool) -> None:
    """Leave (``stopped``) or take away the mark; best effort: without it, the next
    reader finishes the build in-process, as before the mark existed."""
    mark = unfinished_mark(index_path)
    with contextlib.suppress(OSError):
        if stopped:
            mark.parent.mkdir(parents=True, exist_ok=True)
            mark.touch()
        else:
            mark.unlink(missing_ok=True)


def build_in_child(root: Path, head_rows: int, *, progress: Callable[[int, int], None],
                   on_head: Callable[[list[ArticleMeta]], None], should_stop: Callable[[], bool],
                   module: str = "briefing.index.child") -> bool | None:
    """Build the index of ``root`` in a child process, reporting its progress and
    first rows as they come. True when the child finished the build, False when it
    stopped because ``should_stop()`` said so, None when it could not start or died
    without finishing (the caller builds in-process: the refresh carries on from what
    the child committed)."""

    def on_message(message: tuple[Any, ...]) -> None:
        if message[0] == "progress" and len(message) == 3:
            progress(int(message[1]), int(message[2]))
        elif message[0] == "head" and len(message) == 2 and isinstance(message[1], list):
            on_head([m for m in message[1] if isinstance(m, ArticleMeta)])

    return childjob.run(module, (str(root), str(head_rows)), on_message=on_message, should_stop=should_stop)


def serve(root: Path, head_rows: int) -> None:
    """Child side: build, tell, exit."""
    from briefing.corpus import sort_key
    from briefing.index import CorpusIndex

    side = childjob.ChildSide()
    sent = False

    def on_batch(metas: list[ArticleMeta]) -> None:
        nonlocal sent
        if not sent and metas:
            sent = True
            side.send(("head", sorted(metas, key=sort_key)[:head_rows]))

    stats = CorpusIndex(root).refresh(progress=lambda done, total: side.send(("progress", done, total)),
                                      on_batch=on_batch, should_stop=side.stop.is_set)
    side.send(("done", bool(getattr(stats, "stopped", False))))


if __name__ == "__main__":
    serve(Path(sys.argv[1]), int(sys.argv[2]))
