"""An article's state as booleans (read, flagged, dismissed), for output.

The store's view may hold the state as one ``status`` (version 1 files) or as
independent ``read``/``flagged``/``dismissed`` fields (version 2): these functions
read whichever it has, so the commands that print state need no change when the
store moves on.
"""

from __future__ import annotations

from typing import Any


def state_of(view: Any) -> dict[str, bool]:
    """``{"read": …, "flagged": …, "dismissed": …}`` of an annotations view."""
    status = getattr(view, "status", "unread")
    read = getattr(view, "read", None)
    dismissed = getattr(view, "dismissed", None)
    return {
        "read": bool(read) if isinstance(read, bool) else status != "unread",
        "flagged": bool(getattr(view, "flagged", status == "flagged")),
        "dismissed": bool(dismissed) if isinstance(dismissed, bool) else False,
    }


def state_text(view: Any) -> str:
    """The state in words: "unread", "read, flagged", "unread, flagged, dismissed"."""
    state = state_of(view)
    words = ["read" if state["read"] else "unread"]
    words += [name for name in ("flagged", "dismissed") if state[name]]
    return ", ".join(words)
