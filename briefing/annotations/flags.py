"""An article's state in words and as booleans (read, flagged, dismissed), for output."""

from __future__ import annotations

from briefing.annotations.results import ArticleView


def state_of(view: ArticleView) -> dict[str, bool]:
    """``{"read": …, "flagged": …, "dismissed": …}`` of an annotations view."""
    return {"read": view.read, "flagged": view.flagged, "dismissed": view.dismissed}


def state_text(view: ArticleView) -> str:
    """The state in words: "unread", "read, flagged", "unread, flagged, dismissed"."""
    words = ["read" if view.read else "unread"]
    words += [name for name, on in (("flagged", view.flagged), ("dismissed", view.dismissed)) if on]
    return ", ".join(words)
