"""Where the reader was in a corpus, kept between runs (the session).

One small JSON file per corpus in the user's state folder
(:func:`briefing.config.state_dir`, ``sessions/<hash of the folder's path>.json``):
the row under the cursor, the open article and how far it was scrolled, the search,
the list filter, and the layout. Written whole and atomically (temp file, fsync,
replace). Read defensively: the file is the user's but may be broken, truncated,
edited by hand or planted; anything that is not exactly what we write is refused
with a one-line reason, and the reader starts as if there were no session.

No Textual here (the reader's feature is :mod:`briefing.tui.features.session`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefing.annotations.filter import Filter
from briefing.config import LAYOUTS, state_dir
from briefing.durable import atomic_write, read_small_regular_file
from briefing.sanitize import clean_line

VERSION = 1
MAX_BYTES = 64 * 1024
MAX_TEXT = 2000  # an id, the search text, a tag
MAX_TAGS = 200
STATUSES = ("unread", "read", "flagged", "dismissed", "annotated")


class SessionError(ValueError):
    """The session file is not one we wrote (the message says what is wrong)."""


@dataclass
class Session:
    cursor: str | None = None  # the article under the list's cursor
    open: str | None = None  # the article open in the reading pane
    scroll: int = 0  # the reading pane's scroll (lines)
    search: str = ""
    filter: Filter = field(default_factory=Filter)
    compact: bool | None = None  # None: the preference in config.yaml
    layout: str | None = None


def corpus_key(root: Path) -> str:
    """The name of a corpus's session file: a hash of its resolved path."""
    resolved = os.path.realpath(os.fspath(root))
    return hashlib.sha256(os.fsencode(resolved)).hexdigest()[:32]


def session_file(root: Path) -> Path:
    return state_dir() / "sessions" / f"{corpus_key(root)}.json"


def to_json(root: Path, session: Session) -> dict[str, Any]:
    flt = session.filter
    return {
        "version": VERSION,
        "corpus": os.path.realpath(os.fspath(root)),
        "cursor": session.cursor,
        "open": session.open,
        "scroll": max(0, int(session.scroll)),
        "search": session.search,
        "filter": {
            "tags": list(flt.tags),
            "statuses": list(flt.statuses),
            "since": flt.since.isoformat() if flt.since else None,
            "until": flt.until.isoformat() if flt.until else None,
            "show_dismissed": flt.show_dismissed,
        },
        "compact": session.compact,
        "layout": session.layout,
    }


def save_session(root: Path, session: Session) -> Path:
    """Write the session of ``root`` (raises OSError when it cannot)."""
    path = session_file(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps(to_json(root, session), ensure_ascii=False, indent=1).encode("utf-8")
    atomic_write(path, data)
    return path


def load_session(root: Path) -> Session | None:
    """The session saved for ``root``; None when there is none. Raises
    :class:`SessionError` (the message names the file and the problem) when the file
    is there but cannot be trusted."""
    path = session_file(root)
    try:
        raw = read_small_regular_file(path, MAX_BYTES, follow_links=False)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise SessionError(f"{path}: cannot read ({clean_line(str(exc))})") from None
    try:
        data = json.loads(raw.decode("utf-8"))
        return from_json(root, data)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise SessionError(f"{path}: not a session file ({clean_line(str(exc))[:120]})") from None
    except SessionError as exc:
        raise SessionError(f"{path}: {exc}") from None


def _text(value: Any, name: str, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        raise SessionError(f"{name} must be a short text")
    return value


def _date(value: Any, name: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(_text(value, name) or "")
    except ValueError:
        raise SessionError(f"{name} must be a date (YYYY-MM-DD)") from None


def from_json(root: Path, data: Any) -> Session:
    if not isinstance(data, dict):
        raise SessionError("expected an object")
    if data.get("version") != VERSION:
        raise SessionError(f"unknown version {clean_line(str(data.get('version')))[:20]!r}")
    if data.get("corpus") != os.path.realpath(os.fspath(root)):
        raise SessionError("written for another folder")
    scroll = data.get("scroll", 0)
    if not isinstance(scroll, int) or isinstance(scroll, bool) or not 0 <= scroll <= 10_000_000:
        raise SessionError("scroll must be a whole number of lines")
    raw_filter = data.get("filter") or {}
    if not isinstance(raw_filter, dict):
        raise SessionError("filter must be an object")
    tags = raw_filter.get("tags") or []
    statuses = raw_filter.get("statuses") or []
    if not isinstance(tags, list) or len(tags) > MAX_TAGS:
        raise SessionError("filter tags must be a list")
    if not isinstance(statuses, list) or any(s not in STATUSES for s in statuses):
        raise SessionError("filter statuses must be among " + ", ".join(STATUSES))
    show_dismissed = raw_filter.get("show_dismissed", False)
    compact = data.get("compact")
    layout = data.get("layout")
    if not isinstance(show_dismissed, bool) or (compact is not None and not isinstance(compact, bool)):
        raise SessionError("show_dismissed and compact must be true or false")
    if layout is not None and layout not in LAYOUTS:
        raise SessionError("layout must be one of " + ", ".join(LAYOUTS))
    flt = Filter(
        tags=tuple(clean_line(_text(t, "a tag") or "") for t in tags),
        statuses=tuple(statuses),
        since=_date(raw_filter.get("since"), "since"),
        until=_date(raw_filter.get("until"), "until"),
        show_dismissed=show_dismissed,
    )
    return Session(
        cursor=_text(data.get("cursor"), "cursor", optional=True),
        open=_text(data.get("open"), "open", optional=True),
        scroll=scroll,
        search=clean_line(_text(data.get("search", ""), "search") or ""),
        filter=flt,
        compact=compact,
        layout=layout,
    )
