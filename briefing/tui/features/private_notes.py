"""``P``: mark the open article's note or highlight comment private, or shared again.

A private note (or a highlight's private comment) stays in ``annotations.yaml`` and
in the reader (shown with a plain ``[private]`` marker) but never goes into an
export unless the export is asked to include private text (``--include-private``).
One note or comment: ``P`` switches it at once. Several: a short list to choose
from, each entry saying whether it is private now. Undo (``ctrl+z``) brings the
previous state back, like every annotation change.
"""

from __future__ import annotations

from dataclasses import dataclass

from briefing.tui.features.host import AnnotationsHost
from briefing.tui.screens.private_pick import PrivatePickScreen
from briefing.tui.state import focused_id

PRIVATE_MARK = "[private]"
SHARED_MARK = "[shared]"


@dataclass(frozen=True)
class Entry:
    kind: str  # "note" | "comment"
    index: int  # in the article's notes or highlights
    text: str  # first line, for the list
    private: bool


def entries_of(notes: tuple[object, ...], highlights: tuple[object, ...]) -> list[Entry]:
    """The notes, then the highlights that carry a comment, as ``P`` lists them."""
    out: list[Entry] = []
    for i, note in enumerate(notes):
        text = str(getattr(note, "text", ""))
        first = next((line for line in text.splitlines() if line.strip()), "")
        out.append(Entry("note", i, first, bool(getattr(note, "private", False))))
    for i, h in enumerate(highlights):
        comment = str(getattr(h, "note", "")).strip()
        if comment:
            out.append(Entry("comment", i, comment.splitlines()[0], bool(getattr(h, "private", False))))
    return out


def label(entry: Entry, number: int) -> str:
    """One line of the list: ``1. [private] note: text`` (plain text)."""
    mark = PRIVATE_MARK if entry.private else SHARED_MARK
    what = "note" if entry.kind == "note" else "highlight comment"
    return f"{number}. {mark} {what}: {entry.text[:60]}"


def said(entry: Entry) -> str:
    """What the toast says after ``entry`` was switched (its state before)."""
    what = "Note" if entry.kind == "note" else "Highlight comment"
    if entry.private:
        return f"{what} shared again: it goes into exports."
    return f"{what} made private: it stays out of exports (unless --include-private)."


class PrivateNotes:
    """The ``P`` key of the reader."""

    def __init__(self, host: AnnotationsHost) -> None:
        self.host = host

    def toggle(self) -> None:
        host = self.host
        state = host.state
        article_id = focused_id(host.selection(), state.current_id)
        if article_id is None or state.corpus is None:
            host.refuse("No article in focus: P marks its note or comment private.")
            return
        store = host.writable_store()
        if store is None:
            return
        current = store.get(article_id)
        entries = entries_of(current.notes, current.highlights)
        if not entries:
            host.refuse("This article has no note or highlight comment to make private.")
            return

        def switch(choice: int | None) -> None:
            if choice is None or not 0 <= choice < len(entries):
                return
            entry = entries[choice]
            if entry.kind == "note":
                change = host.apply_change(lambda: store.set_note_private(article_id, entry.index, not entry.private), reorder=False)
            else:
                change = host.apply_change(lambda: store.set_highlight_private(article_id, entry.index, not entry.private),
                                           reorder=False)
            if change is not None:
                host.node.app.notify(said(entry), title="Private", markup=False)

        if len(entries) == 1:
            switch(0)
            return
        try:
            title = state.corpus.get(article_id).title
        except KeyError:
            title = article_id
        host.node.app.push_screen(PrivatePickScreen(title[:60], [label(e, k + 1) for k, e in enumerate(entries)]), switch)
