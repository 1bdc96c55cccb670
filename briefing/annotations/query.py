"""Filter and order articles by their annotations (the reader's filters, ``list``).

The effective date of an article is the analyst's override when set, else the date
found in the file, so an undated article with an override sorts into its day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from briefing.annotations.schema import ArticleNotes
from briefing.annotations.store import AnnotationStore
from briefing.isodate import parse_iso_date
from briefing.model import ArticleMeta

STATUS_FILTERS = ("unread", "read", "flagged", "dismissed", "annotated")


def effective_sort_key(meta: ArticleMeta, store: AnnotationStore) -> tuple[bool, int, str]:
    """Newest first, undated last, ties by id (like corpus.sort_key, with overrides)."""
    date = store.effective_date(meta)
    return (date is None, -(date.toordinal() if date else 0), meta.id)


def _as_date(value: dt.date | str | None, what: str) -> dt.date | None:
    try:
        return parse_iso_date(value)
    except ValueError:
        raise ValueError(f"{what} must be a date like 2023-11-06, not {value!r}") from None


_MARKS = {"read", "unread", "flagged", "dismissed"}  # decided by ids_with


def _holds(notes: ArticleNotes, status: str) -> bool:
    if status == "unread":
        return not notes.read
    if status == "annotated":
        return notes.is_annotated()
    on: bool = getattr(notes, status)  # read, flagged, dismissed
    return on


def filter_articles(
    metas: Iterable[ArticleMeta],
    store: AnnotationStore,
    *,
    tag: str | Iterable[str] | None = None,
    status: str | Iterable[str] | None = None,
    since: dt.date | str | None = None,
    until: dt.date | str | None = None,
    annotated: bool | None = None,
    show_dismissed: bool = False,
) -> list[ArticleMeta]:
    """Articles matching every given filter, sorted by effective date.

    - ``tag``: one tag or several; an article must carry all of them (front-matter
      tags count), ignoring case (``Energy`` finds ``energy``; tags stay as typed).
    - ``status``: one or several of ``unread``, ``read``, ``flagged``,
      ``dismissed`` and ``annotated`` (tags, notes, highlights or a correction by
      the analyst); an article must hold all of them (read and flagged are
      independent: ``("unread", "flagged")`` is a flagged article not read yet).
    - dismissed articles are left out unless ``status`` asks for ``dismissed`` or
      ``show_dismissed`` is true.
    - ``since``/``until``: inclusive bounds on the effective date; an article with no
      date at all is left out when either is given.
    - ``annotated``: True/False keeps only articles with/without analyst annotations.
    """
    keep = article_filter(store, tag=tag, status=status, since=since, until=until, annotated=annotated,
                          show_dismissed=show_dismissed)
    out = [meta for meta in metas if keep(meta)]
    out.sort(key=lambda m: effective_sort_key(m, store))
    return out


def article_filter(
    store: AnnotationStore,
    *,
    tag: str | Iterable[str] | None = None,
    status: str | Iterable[str] | None = None,
    since: dt.date | str | None = None,
    until: dt.date | str | None = None,
    annotated: bool | None = None,
    show_dismissed: bool = False,
) -> Callable[[ArticleMeta], bool]:
    """The test :func:`filter_articles` applies to each article (same arguments), for
    a caller that streams the articles instead of holding them (``briefing list``)."""
    wanted = (status,) if isinstance(status, str) else tuple(status or ())
    for one in wanted:
        if one not in STATUS_FILTERS:
            raise ValueError(f"status must be one of {', '.join(STATUS_FILTERS)}, not {one!r}")
    hide_dismissed = not show_dismissed and "dismissed" not in wanted
    wanted_tags = {t.casefold() for t in ((tag,) if isinstance(tag, str) else (tag or ()))}  # tags match ignoring case
    start, end = _as_date(since, "since"), _as_date(until, "until")

    def in_range(meta: ArticleMeta) -> bool:
        date = store.effective_date(meta)
        return date is not None and not (start and date < start) and not (end and date > end)

    if not wanted_tags and annotated is None and set(wanted) <= _MARKS:
        # Marks and dates only: from the sets of ids that set each mark (a large indexed
        # file reads them from its lines), not every article's annotations (parsing a
        # hundred thousand entries, and keeping them)
        marked = {mark: store.ids_with(mark) for mark in {"read" if w == "unread" else w for w in wanted}}
        hidden = store.ids_with("dismissed") if hide_dismissed else frozenset()

        def keep_marked(meta: ArticleMeta) -> bool:
            if meta.id in hidden:
                return False
            for one in wanted:
                if (meta.id in marked["read" if one == "unread" else one]) == (one == "unread"):
                    return False  # read when unread is asked for, or without the mark asked for
            return not (start or end) or in_range(meta)

        return keep_marked

    def keep(meta: ArticleMeta) -> bool:
        notes = store.get(meta.id)
        if wanted_tags and not wanted_tags <= {t.casefold() for t in store.tags(meta)}:
            return False
        if hide_dismissed and notes.dismissed:
            return False
        if wanted and not all(_holds(notes, one) for one in wanted):
            return False
        if annotated is not None and notes.is_annotated() != annotated:
            return False
        return not (start or end) or in_range(meta)

    return keep
