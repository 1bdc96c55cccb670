"""Which articles an export takes, and how it groups them.

The list filter itself (:class:`~briefing.annotations.filter.Filter`, shared with
``briefing list`` and the reader) is in :mod:`briefing.annotations.filter`; an
export takes what it selects that the analyst worked on, unless the filter asks
for the others (see there).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from briefing.annotations.filter import Filter, apply_filter, worked_on
from briefing.annotations.store import AnnotationStore
from briefing.model import ArticleMeta, CorpusView

GROUP_BY = ("date", "tag")


def select_for_export(corpus: CorpusView, store: AnnotationStore, flt: Filter) -> list[ArticleMeta]:
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
