"""Which articles a listing or an export takes, and how an export groups them.

The filter logic shared by ``briefing list``, ``briefing export`` and the reader's
export dialog lives here, so the three agree on what ``--tag energy --since ...``
means:

- ``search``: every word of the query in the title or text (the index's
  ``match_ids``; the corpus must be an indexed corpus for a search).
- ``tags`` (all of them), ``status``, ``since``/``until`` (inclusive, effective
  dates): :func:`briefing.annotations.filter_articles`.

An export then keeps only the articles the analyst worked on, unless the filter asks
for the others (:attr:`Filter.asks_for_unannotated`):

- an article counts as *worked on* when it has tags, notes, highlights or a
  title/date correction from the analyst, or is flagged;
- the filter asks for the others with ``everything`` (``--all``), with a ``status``
  of ``unread``/``read``/``flagged`` (a reading state names articles whether or not
  they carry notes) or with ``tags`` (tags from the file's front matter count);
- ``since``/``until``/``search`` only narrow: ``--since 2024-01-01`` alone exports
  the annotated articles of 2024, not every article of 2024.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Iterable, Protocol, Sequence

from briefing.model import ArticleMeta

GROUP_BY = ("date", "tag")


class _Searchable(Protocol):  # an IndexedCorpus
    def match_ids(self, query: str) -> list[str]: ...


@dataclass(frozen=True)
class Filter:
    """What to take. Empty fields do not filter."""

    tags: tuple[str, ...] = ()
    status: str | None = None  # unread | read | flagged | annotated
    since: dt.date | None = None
    until: dt.date | None = None
    search: str | None = None
    everything: bool = False  # export: include articles without annotations

    @property
    def asks_for_unannotated(self) -> bool:
        """True when an export should also take articles the analyst has not annotated."""
        return self.everything or bool(self.tags) or self.status in ("unread", "read", "flagged")

    def describe(self) -> str:
        """The filter in plain words (``"tag energy; since 2024-01-01"``), ``""`` for none."""
        parts = []
        if self.tags:
            parts.append(("tags " if len(self.tags) > 1 else "tag ") + ", ".join(self.tags))
        if self.status:
            parts.append(f"status {self.status}")
        if self.since:
            parts.append(f"since {self.since.isoformat()}")
        if self.until:
            parts.append(f"until {self.until.isoformat()}")
        if self.search is not None:
            parts.append(f"search “{self.search}”")
        return "; ".join(parts)


def split_tags(values: Iterable[str]) -> tuple[str, ...]:
    """``--tag "a, b" --tag c`` → ``("a", "b", "c")``: parts trimmed, blank parts dropped."""
    parts = (part.strip(" \t\r\n") for value in values for part in value.split(","))
    return tuple(part for part in parts if part)


def search_matches(corpus: _Searchable, metas: Sequence[ArticleMeta], query: str) -> list[ArticleMeta]:
    """``metas`` (in their order) whose title or full text matches ``query``."""
    match_ids = getattr(corpus, "match_ids", None)
    if match_ids is None:
        raise ValueError("searching needs the index: open the corpus with briefing.index.open_index")
    wanted = set(match_ids(query))
    return [meta for meta in metas if meta.id in wanted]


def apply_filter(metas: Sequence[ArticleMeta], store, flt: Filter, corpus: _Searchable | None = None) -> list[ArticleMeta]:
    """``metas`` matching every part of ``flt``, sorted by effective date (newest
    first, undated last). ``corpus`` answers the search (needed when ``flt.search``)."""
    from briefing.annotations import filter_articles

    chosen = list(metas)
    if flt.search is not None:
        chosen = search_matches(corpus, chosen, flt.search)
    return filter_articles(
        chosen,
        store,
        tag=list(flt.tags) or None,
        status=flt.status,
        since=flt.since,
        until=flt.until,
    )


def worked_on(meta: ArticleMeta, store) -> bool:
    """The analyst annotated the article (tags, notes, highlights, a correction) or flagged it."""
    notes = store.get(meta.id)
    return notes.is_annotated() or notes.status == "flagged"


def select_for_export(corpus, store, flt: Filter) -> list[ArticleMeta]:
    """The articles an export with ``flt`` takes, newest first, undated last."""
    chosen = apply_filter(corpus.articles, store, flt, corpus)
    if not flt.asks_for_unannotated:
        chosen = [meta for meta in chosen if worked_on(meta, store)]
    return chosen


@dataclass(frozen=True)
class GroupPlan:
    """One group of an export: its key, label and the ids it shows in full; ``also``
    lists ids shown in full in an earlier group (an article with several tags)."""

    key: str
    label: str
    ids: tuple[str, ...]
    also: tuple[str, ...] = field(default=())


_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")


def day_label(day: dt.date) -> str:
    """``Wednesday 24 April 2024`` (English, whatever the locale)."""
    return f"{_DAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]} {day.year}"


def group_items(
    items: Sequence[tuple[str, dt.date | None, Sequence[str]]],
    by: str,
    first_tags: Sequence[str] = (),
) -> list[GroupPlan]:
    """Group ``(id, effective date, tags)`` triples (already newest first).

    - ``date``: one group per day, newest first, then ``Undated``.
    - ``tag``: one group per tag, the tags of the filter first, then the others in
      alphabetical order (case-insensitive), then ``Untagged``. An article with
      several tags is shown in full under the first of its tags in that order and
      listed under ``also`` in the later ones.
    """
    if by not in GROUP_BY:
        raise ValueError(f"group by must be one of {', '.join(GROUP_BY)}, not {by!r}")
    groups: dict[str, list[str]] = {}
    labels: dict[str, str] = {}
    if by == "date":
        for article_id, date, _tags in items:
            key = date.isoformat() if date else "undated"
            labels[key] = day_label(date) if date else "Undated"
            groups.setdefault(key, []).append(article_id)
        order = sorted((k for k in groups if k != "undated"), reverse=True)
        if "undated" in groups:
            order.append("undated")
        return [GroupPlan(key, labels[key], tuple(groups[key])) for key in order]

    every_tag = {t for _id, _d, tags in items for t in tags}
    leading = [t for t in dict.fromkeys(first_tags) if t in every_tag]
    rest = sorted(every_tag - set(leading), key=lambda t: (t.casefold(), t))
    rank = {tag: i for i, tag in enumerate([*leading, *rest])}
    full: dict[str, list[str]] = {}
    also: dict[str, list[str]] = {}
    untagged: list[str] = []
    for article_id, _date, tags in items:
        ordered = sorted(set(tags), key=rank.__getitem__)
        if not ordered:
            untagged.append(article_id)
            continue
        full.setdefault(ordered[0], []).append(article_id)
        for tag in ordered[1:]:
            also.setdefault(tag, []).append(article_id)
    plans = [GroupPlan(f"tag:{tag}", tag, tuple(full.get(tag, ())), tuple(also.get(tag, ()))) for tag in sorted(rank, key=rank.__getitem__)]
    if untagged:
        plans.append(GroupPlan("untagged", "Untagged", tuple(untagged)))
    return plans
