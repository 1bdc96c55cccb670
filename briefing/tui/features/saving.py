"""Annotation saves off the UI thread: the reader's side of the SaveQueue.

Every save of the annotations store (a deliberate change, read marks, a reload's
merge) returns at once; :class:`~briefing.annotations.savequeue.SaveQueue` writes in
a thread of its own, waiting out a lock another program holds and retrying a failed
save without dropping the change. Its statuses arrive as
:class:`~briefing.tui.messages.SaveStatusChanged` and are shown here: the status bar
says pending / saving / waiting / not saved; a waiting or failed save is told once
per reason (never lost: the change stays in memory and is retried); a moved or
deleted corpus folder stops saving with a line that stays; another program's
changes merged in by a save are taken in and drawn.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from briefing.annotations import AnnotationError, AnnotationStore
from briefing.annotations.savequeue import FAILED, PENDING, SAVED, SAVING, WAITING, SaveQueue, SaveStatus
from briefing.sanitize import clean_line
from briefing.tui.features.annotate import Annotate
from briefing.tui.features.host import AnnotationsHost
from briefing.tui.messages import SaveStatusChanged

CLOSE_TIMEOUT_S = 5.0  # at most, on quitting, for what is pending to reach the disk
CHECK_ON_QUIT_S = 60.0  # at most, on quitting, for the background check of a file opened unverified

STATUS_TEXT = {
    PENDING: "annotations: unsaved changes",
    SAVING: "saving annotations…",
    WAITING: "annotations: waiting for another program's lock",
    FAILED: "annotations NOT saved (retrying)",
}


class Saving:
    """The save queue of the open annotations store, and what it says."""

    def __init__(self, host: AnnotationsHost, annotate: Annotate) -> None:
        self.host = host
        self.annotate = annotate
        self.queue: SaveQueue | None = None
        self.last: SaveStatus | None = None
        self.stopped: str | None = None  # why saving stopped (the folder moved away), shown in a line
        self._said: set[str] = set()  # reasons already told, until a save lands

    def attach(self, store: AnnotationStore | None) -> None:
        """Save ``store`` through a queue of its own (once per store)."""
        if store is None or (self.queue is not None and self.queue.store is store):
            return
        self.close()
        node = self.host.node

        def post(status: SaveStatus) -> None:  # on the queue's thread: hand it over (thread-safe)
            node.post_message(SaveStatusChanged(status))

        self.queue = SaveQueue(store, on_status=post)

    @property
    def pending(self) -> bool:
        return self.queue is not None and self.queue.pending

    @property
    def blocked(self) -> bool:
        """What is pending waits for the file to be fixed and read again."""
        return self.queue is not None and self.queue.blocked

    def text(self) -> str:
        """What the status bar says about saving ("" when everything is on disk)."""
        if self.stopped:
            return "saving stopped"
        last = self.last
        if last is None or last.state == SAVED:
            return ""
        if last.state == FAILED and not last.retrying:
            return "annotations NOT saved"
        return STATUS_TEXT.get(last.state, "")

    def status(self, message: SaveStatusChanged) -> None:
        """A status from the queue's thread, on the UI thread."""
        status, app = message.status, self.host.node.app
        self.last = status
        if status.state in (WAITING, FAILED):
            store = self.queue.store if self.queue is not None else None
            gone = store.folder_problem() if store is not None else None
            if gone:
                self.stop(gone)
            elif not status.retrying:  # the store went read-only: the change stays in memory
                self._line(f"Annotations are read-only: {status.reason}")
            if not gone and status.reason not in self._said:
                self._said.add(status.reason)
                app.notify(clean_line(status.message()), title="Annotations",
                           severity="warning" if status.retrying else "error", timeout=10, markup=False)
        elif status.state == SAVED:
            self._said.clear()
            if status.merged and self.queue is not None:
                self.queue.absorb()
                self.host.state.listing_generation += 1
                self.host.show_list()
                self.annotate.show_current()
            for text in status.messages:
                app.notify(clean_line(text), title="Annotations", timeout=8, markup=False)
        self.host.show_status()

    def stop(self, why: str) -> None:
        """The corpus folder was moved, deleted or replaced: say once, in a line that
        stays, that saving stopped there (the changes stay in memory)."""
        if self.stopped == why:
            return
        self.stopped = why
        text = f"Saving stopped: {why} Your changes are kept in memory while the reader is open."
        self._line(text)
        self.host.node.app.notify(clean_line(text), title="Annotations", severity="error", timeout=15, markup=False)
        self.host.show_status()

    def _line(self, text: str) -> None:
        """The line under the panes that stays (as plain text)."""
        line = self.host.node.query_one("#annotations-problem", Static)
        line.update(Content(clean_line(text)))
        line.display = True

    def submit(self) -> None:
        if self.queue is not None:
            self.queue.submit()

    def flush(self, timeout: float = CLOSE_TIMEOUT_S) -> bool:
        """Wait (at most ``timeout``) for everything pending to be on disk."""
        return self.queue is None or self.queue.flush(timeout)

    def unsavable(self) -> str | None:
        """Why changes held in memory cannot reach the disk now (the file turned
        invalid under us, the folder went), or None (nothing pending, or it can land)."""
        queue = self.queue
        if queue is None or not queue.pending or not queue.store.has_changes:
            return None
        if self.stopped:
            return self.stopped
        if queue.blocked:
            return queue.store.error or "the annotation file cannot be written"
        return None

    def close(self, timeout: float = CLOSE_TIMEOUT_S) -> str | None:
        """Write what is pending (at most ``timeout``) and stop the queue's thread.
        What could not be written is kept in a file of the backup folder: returns
        the line saying where (None when everything is on disk)."""
        queue, self.queue = self.queue, None
        if queue is not None and queue.pending and queue.store.check is not None and not self.stopped:
            queue.store.check.wait(CHECK_ON_QUIT_S)  # a change made meanwhile waits for the check
        if queue is None:
            return None
        why = (self.stopped or queue.store.error or "the save did not finish") if queue.pending else None
        if queue.close(0.0 if self.stopped else timeout):  # a folder gone: nothing can land there
            return None
        if not queue.store.has_changes:  # (a file found broken by its check: the store shows nothing, holds nothing new)
            return None
        try:
            kept = queue.store.rescue()
        except AnnotationError as exc:
            return f"annotations NOT saved ({why}), and not kept either: {exc}"
        return f"annotations NOT saved ({why}); everything the reader held, your changes included, is in {kept}"
