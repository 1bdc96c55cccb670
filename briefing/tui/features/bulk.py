"""Bulk marks and redo: ``ctrl+a`` marks every row in view (again: clears them),
``*`` inverts the marks (the status line counts the marked rows: no message, so a
mark of 100,000 rows costs a redraw of the rows on screen and nothing more),
``R`` marks read what is in view (the marked rows when some are), ``ctrl+y`` /
``ctrl+shift+z`` redoes what ``ctrl+z`` undid.

"In view" is the list as shown: after the search, the filter and the hiding of
dismissed articles (a story row stands for every version folded into it). What to
say is computed by the pure functions at the bottom (unit-tested without Textual).
"""

from __future__ import annotations

from briefing.sanitize import clean_line
from briefing.tui.features.host import AnnotationsHost


class Bulk:
    def __init__(self, host: AnnotationsHost) -> None:
        self.host = host

    def mark_all(self) -> None:
        """``ctrl+a``: mark every row in view; when all already are, unmark them."""
        articles = self.host.articles
        if not articles.shown_count:
            self.host.refuse("No articles in view to mark.")
            return
        if articles.all_marked:
            articles.clear_marks()
            return
        articles.mark_all()  # the status line counts the marked rows

    def invert_marks(self) -> None:
        """``*``: marked rows are unmarked and the others marked."""
        articles = self.host.articles
        if not articles.shown_count:
            self.host.refuse("No articles in view to mark.")
            return
        articles.invert_marks()  # the status line counts the marked rows

    def read_all(self) -> None:
        """``R``: mark read the marked articles, else every article in view; one undo
        step; says how many changed."""
        host = self.host
        if host.state.corpus is None:
            return
        store = host.writable_store()
        if store is None:
            return
        marked = host.articles.marked_ids
        ids = marked or host.articles.shown_ids
        if not ids:
            host.refuse("No articles in view to mark read.")
            return
        change = host.apply_change(lambda: store.set_read(ids, True), reorder=host.state.filtering)
        if change is None:
            return
        changed = sum(1 for i in change.article_ids if change.before[i] != change.after.get(i))
        host.node.app.notify(read_text(changed, len(ids), bool(marked)), timeout=4, markup=False)

    def redo(self) -> None:
        """``ctrl+y`` / ``ctrl+shift+z``: make the last undone change again."""
        store = self.host.writable_store()
        if store is None:
            return
        app = self.host.node.app
        if not store.can_redo():
            app.bell()
            app.notify("Nothing to redo.", timeout=3, markup=False)
            return
        change = self.host.apply_change(store.redo)
        if change is not None:
            app.notify(clean_line(f"Redone: {change.action.removeprefix('redo ')}"), timeout=3, markup=False)


def _articles(count: int) -> str:
    return f"{count:,} article{'s' if count != 1 else ''}"


def read_text(changed: int, asked: int, marked: bool) -> str:
    """What ``R`` says: how many articles it marked read, of how many it was given."""
    where = "marked" if marked else "in view"
    if changed == 0:
        return f"All {_articles(asked)} {where} were already read."
    text = f"Marked {_articles(changed)} read"
    if changed != asked:
        text += f" (of {asked:,} {where}; the others were already read)"
    elif not marked:
        text += " (every article in view)"
    return text + "; ctrl+z undoes."
