"""One line of plain text citing a difference between versions, for the analyst's notes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from briefing.stories.comparison import Difference
from briefing.stories.kinds import DATE, NAME, NUMBER, ONLY, WORDING

_KIND_LABEL = {NUMBER: "Number", DATE: "Date", NAME: "Name", WORDING: "Wording"}
QUOTE_MAX = 160
TITLE_MAX = 80


class _Source(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def date(self) -> dt.date | None: ...


def _short(text: str, limit: int) -> str:
    from briefing.sanitize import shorten

    return shorten(text, limit)


def _source(member: _Source) -> str:
    date = member.date.isoformat() if member.date else "undated"
    return f'"{_short(member.title, TITLE_MAX)}" ({date}, {_short(member.id, TITLE_MAX)})'


def _quoted(text: str | None) -> str:
    return f'"{_short(text, QUOTE_MAX)}"' if text else "(not mentioned)"


def cite(difference: Difference, members: Sequence[_Source], own: int = 0) -> str:
    """The one line of plain text that goes into member ``own``'s notes when the analyst
    cites ``difference``: the other sources by title, date and id, and what each says.

    Two members::

        Number differs from "<title>" (2024-01-02, <id>): "more than 70" vs "70"
        Only here, not in "<title>" (undated, <id>): "<sentence>"
        Not here; only in "<title>" (undated, <id>): "<sentence>"

    More members: ``Number differs: here "70"; "<title>" (<date>, <id>): "80"; …``.
    ``members`` are the compared articles (or their ``ArticleMeta``), in the order
    given to :func:`compare`.
    """
    count = len(difference.texts)
    if len(members) < count:
        raise ValueError(f"cite needs the {count} compared members, got {len(members)}")
    if not 0 <= own < count:
        raise ValueError(f"no member {own} in a comparison of {count}")
    others = [i for i in range(count) if i != own]
    mine = difference.texts[own]
    if difference.kind == ONLY:
        if mine is not None:
            missing = [i for i in others if difference.texts[i] is None]
            names = " or ".join(_source(members[i]) for i in missing) or "every other version"
            return f"Only here, not in {names}: {_quoted(mine)}"
        having = [i for i in others if difference.texts[i] is not None]
        first = having[0] if having else others[0]
        names = " and ".join(_source(members[i]) for i in having) or _source(members[first])
        return f"Not here; only in {names}: {_quoted(difference.texts[first])}"
    label = _KIND_LABEL.get(difference.kind, difference.kind.capitalize())
    if count == 2:
        other = others[0]
        return f"{label} differs from {_source(members[other])}: {_quoted(mine)} vs {_quoted(difference.texts[other])}"
    parts = [f"here {_quoted(mine)}"] + [f"{_source(members[i])}: {_quoted(difference.texts[i])}" for i in others]
    return f"{label} differs: " + "; ".join(parts)
