"""``Y``: copy the source URL of the article in focus to the clipboard.

The article in focus is the open one, or the highlighted row when the list has the
focus (:func:`briefing.tui.state.focused_id`). The URL is one the parser kept
(:func:`briefing.corpus.url.clean_url`: http/https, no controls); it goes out
through Textual's ``copy_to_clipboard`` (OSC 52) and the toast shows it as plain
text. An article without a known URL says so instead.
"""

from __future__ import annotations

from briefing.corpus.url import clean_url
from briefing.sanitize import shorten
from briefing.tui.features.host import ListHost
from briefing.tui.state import focused_id


def url_message(title: str, url: str | None) -> tuple[str, bool]:
    """(what the toast says, whether something was copied) for an article's url."""
    if url is None:
        return f"No source URL known for {shorten(title, 60)}", False
    return f"Copied {shorten(url, 120)}", True


class SourceUrl:
    """The ``Y`` key of the reader."""

    def __init__(self, host: ListHost) -> None:
        self.host = host

    def focused_url(self) -> tuple[str, str | None] | None:
        """(title, url or None) of the article in focus; None when no article is."""
        state = self.host.state
        article_id = focused_id(self.host.selection(), state.current_id)
        if article_id is None or state.corpus is None:
            return None
        try:
            meta = state.corpus.get(article_id)
        except KeyError:
            return None
        return meta.title, clean_url(meta.url)

    def copy(self) -> None:
        found = self.focused_url()
        app = self.host.node.app
        if found is None:
            app.bell()
            app.notify("No article in focus", title="Source URL", severity="warning", markup=False)
            return
        text, ok = url_message(*found)
        if not ok:
            app.bell()
            app.notify(text, title="Source URL", severity="warning", markup=False)
            return
        app.copy_to_clipboard(found[1] or "")
        app.notify(text, title="Source URL", markup=False)
