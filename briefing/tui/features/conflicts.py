"""Open conflicts in the annotation file (a git merge or two saves disagreed on a
field): counted for the status line, listed with ``!``, settled from the keyboard.

The count is taken when the annotations open and after each change (the core
parses only the entries that hold a conflict, so a large file costs no full parse).
"""

from __future__ import annotations

from briefing.annotations import AnnotationError
from briefing.annotations.conflicts import OpenConflict, conflict_ids, open_conflicts
from briefing.sanitize import clean_line
from briefing.tui.features.host import AnnotationsHost
from briefing.tui.screens.conflicts import ConflictsScreen


class Conflicts:
    def __init__(self, host: AnnotationsHost) -> None:
        self.host = host
        self._doc: object | None = None
        self._count = 0
        self._told = False

    def count(self) -> int:
        """Open conflicts, as many as ``!`` lists (recounted when the document changed;
        only the entries that hold one are read)."""
        store = self.host.store
        if store is None:
            return 0
        doc = store.document
        if doc is not self._doc:
            self._doc = doc
            try:
                ids = conflict_ids(doc)
                self._count = sum(len(doc.get(i).conflicts) for i in ids)
            except Exception:  # a count for the status line must never break the reader
                ids, self._count = [], 0
            if self._count and not self._told:  # said once when the file is opened with conflicts
                self._told = True
                self.host.node.app.notify(
                    f"The annotation file has {self._count} open conflict{'s' if self._count != 1 else ''} "
                    f"on {len(ids)} article{'s' if len(ids) != 1 else ''}; press ! to settle them.",
                    title="Annotations", severity="warning", timeout=10, markup=False)
        return self._count

    def status_text(self) -> str:
        n = self.count()
        return f"{n} conflict{'s' if n != 1 else ''} (!)" if n else ""

    def _title(self, article_id: str) -> str:
        state = self.host.state
        try:
            meta = state.corpus.get(article_id) if state.corpus is not None else None
        except KeyError:
            meta = None
        return clean_line(self.host.shown_meta(meta).title) if meta is not None else clean_line(article_id)

    def open(self) -> None:
        store = self.host.store
        if store is None:
            self.host.refuse("Annotations are not open yet.")
            return
        items = open_conflicts(store.document)
        if not items:
            self.host.refuse("The annotation file has no open conflicts (they come from git merges or two saves at once).")
            return
        self.host.node.app.push_screen(ConflictsScreen(items, self._title, self.pick))

    def pick(self, item: OpenConflict, side: str) -> list[OpenConflict] | None:
        store = self.host.writable_store()
        if store is None:
            return None
        try:
            change = self.host.apply_change(lambda: store.resolve_conflict(item.article_id, item.index, side), reorder=True)
        except (AnnotationError, ValueError, IndexError) as exc:
            self.host.refuse(str(exc))
            return None
        if change is None:
            return None
        self.host.show_status()
        return open_conflicts(store.document)
