"""Open conflicts: values two saves or a git merge disagreed on, kept in the
articles' ``conflicts`` entries until the analyst picks a side.

:func:`open_conflicts` lists them (cheap on a large indexed file: only the entries
whose text holds a ``conflicts`` key are parsed); :func:`side_value` turns the
text a conflict recorded back into the field's value, for
:meth:`AnnotationStore.resolve_conflict
<briefing.annotations.store.AnnotationStore.resolve_conflict>`.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from briefing.annotations import snapshot
from briefing.annotations.schema import AnnotationDoc, Conflict
from briefing.isodate import parse_iso_date

_CONFLICTS_KEY = re.compile(rb"\n    conflicts:\n")
SIDES = ("ours", "theirs")


@dataclass(frozen=True)
class OpenConflict:
    article_id: str
    index: int  # position in the article's conflicts
    conflict: Conflict


def conflict_ids(doc: AnnotationDoc) -> list[str]:
    """Ids of the articles with at least one conflict, sorted."""
    articles = doc.articles
    if getattr(articles, "lazy", False):
        index, overlay = articles.index, articles.overlay  # type: ignore[attr-defined]
        found = set()
        for match in _CONFLICTS_KEY.finditer(index.data, 0, index.end):
            n = bisect.bisect_right(index.starts, match.start()) - 1
            if n >= 0:
                found.add(index.key_at(n))
        snapshot.release(index.data)  # (a pass over every entry's bytes)
        ids = {i for i in found if i not in overlay} | {i for i, a in overlay.items() if a.conflicts}
        return sorted(i for i in ids if doc.get(i).conflicts)
    return sorted(i for i, a in articles.items() if a.conflicts)


def open_conflicts(doc: AnnotationDoc) -> list[OpenConflict]:
    """Every conflict entry, article by article."""
    return [OpenConflict(i, n, c) for i in conflict_ids(doc) for n, c in enumerate(doc.get(i).conflicts)]


def side_value(field: str, text: str | None) -> Any:
    """The value of ``field`` a conflict recorded as ``text`` (ValueError when it
    cannot be one: the entry was edited by hand into something else)."""
    if field in ("read", "flagged", "dismissed"):
        if text not in ("true", "false", None):
            raise ValueError(f"{field} must be true or false, not {text!r}")
        return text == "true"
    if field == "date":
        value: dt.date | None = parse_iso_date(text) if text else None
        return value
    if field in ("title", "lang"):
        return text
    if field == "summary":
        if text is None:
            return None
        method, _, length = text.rpartition(" ")
        if not method or not length.isdigit():
            raise ValueError(f"a summary is recorded as 'method length', not {text!r}")
        return (method, int(length))
    raise ValueError(f"briefing cannot set the field {field!r} from a conflict")
