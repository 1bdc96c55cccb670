"""The list filter: which articles a listing takes (``briefing list``, the reader's
filter, the export dialog and ``briefing export``), so all of them agree on what
``--tag energy --since ...`` means.

- ``search``: a query in the query language (:mod:`briefing.querylang`: words,
  phrases, OR, exclusions, fields, ``sort:``), through the index's FTS5 when the
  corpus has one.
- ``tags`` (all of them), ``statuses`` (all of them), ``since``/``until`` (inclusive, effective
  dates): :func:`briefing.annotations.query.filter_articles`.

An export then keeps only the articles the analyst worked on (:func:`worked_on`),
unless the filter asks for the others (:attr:`Filter.asks_for_unannotated`):

- an article counts as *worked on* when it has tags, notes, highlights or a
  title/date correction from the analyst, or is flagged;
- dismissed articles are left out unless ``statuses`` holds ``dismissed`` or
  ``show_dismissed`` is set;
- the filter asks for the others with ``everything`` (``--all``), with a status
  of ``unread``/``read``/``flagged``/``dismissed`` (a reading state names articles
  whether or not they carry notes) or with ``tags`` (tags from the file's front matter count);
- ``since``/``until``/``search`` only narrow: ``--since 2024-01-01`` alone exports
  the annotated articles of 2024, not every article of 2024.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from briefing.annotations.query import filter_articles
from briefing.annotations.store import AnnotationStore
from briefing.model import ArticleMeta


@dataclass(frozen=True)
class Filter:
    """What to take. Empty fields do not filter."""

    tags: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()  # each unread | read | flagged | dismissed | annotated; all must hold
    since: dt.date | None = None
    until: dt.date | None = None
    search: str | None = None
    everything: bool = False  # export: include articles without annotations
    show_dismissed: bool = False  # dismissed articles are hidden unless this or statuses asks
    # A watchlist the reader's list is narrowed to (issue 16): its name, and the ids it
    # matched when chosen (kept up to date by the reader as articles arrive).
    watchlist: str | None = None
    watchlist_ids: frozenset[str] | None = field(default=None, compare=False)
    lang: str | None = None  # only articles in this language (the analyst's, else detected; "und": unknown)

    @property
    def asks_for_unannotated(self) -> bool:
        """True when an export should also take articles the analyst has not annotated."""
        return self.everything or bool(self.tags) or self.watchlist is not None or any(s in ("unread", "read", "flagged", "dismissed") for s in self.statuses)

    def describe(self) -> str:
        """The filter in plain words (``"tag energy; since 2024-01-01"``), ``""`` for none."""
        parts = []
        if self.tags:
            parts.append(("tags " if len(self.tags) > 1 else "tag ") + ", ".join(self.tags))
        if self.statuses:
            parts.append("status " + " and ".join(self.statuses))
        if self.show_dismissed and "dismissed" not in self.statuses:
            parts.append("dismissed shown")
        if self.since:
            parts.append(f"since {self.since.isoformat()}")
        if self.until:
            parts.append(f"until {self.until.isoformat()}")
        if self.search is not None:
            parts.append(f"search “{self.search}”")
        if self.watchlist is not None:
            parts.append(f"watchlist “{self.watchlist}”")
        if self.lang is not None:
            parts.append(f"language {self.lang}")
        return "; ".join(parts)


def split_tags(values: Iterable[str]) -> tuple[str, ...]:
    """``--tag "a, b" --tag c`` → ``("a", "b", "c")``: parts trimmed, blank parts dropped."""
    parts = (part.strip(" \t\r\n") for value in values for part in value.split(","))
    return tuple(part for part in parts if part)


def search_matches(corpus: object, metas: Sequence[ArticleMeta], query: str,
                   store: AnnotationStore | None = None) -> list[ArticleMeta]:
    """``metas`` that match ``query`` (the query language, :mod:`briefing.querylang`),
    in the query's order (newest first unless it says ``sort:``). ``corpus`` answers
    it (an indexed corpus searches through FTS5; any other is scanned); a corpus seen
    through a list that was already searched (``ListedCorpus``) answers with that
    list's results. With ``store``, the analyst's titles, dates, tags and reading
    state count. Raises :class:`briefing.querylang.QueryError` for a query that
    does not parse."""
    from briefing.corpus.view import ListedCorpus

    if corpus is None:
        raise ValueError("a search needs the corpus to search in")
    if isinstance(corpus, ListedCorpus):
        wanted = set(corpus.match_ids(query))
        return [meta for meta in metas if meta.id in wanted]
    from briefing.querylang import evaluate, parse

    parsed = parse(query)
    if parsed.empty and parsed.sort == "newest":
        return list(metas)
    by_id = {meta.id: meta for meta in metas}
    return [by_id[aid] for aid in evaluate(parsed, corpus, store) if aid in by_id]


def apply_filter(metas: Sequence[ArticleMeta], store: AnnotationStore, flt: Filter, corpus: object = None) -> list[ArticleMeta]:
    """``metas`` matching every part of ``flt``, sorted by effective date (newest
    first, undated last; a query's ``sort:`` wins). ``corpus`` answers the search
    (see :func:`search_matches`); a query that asks for ``is:dismissed`` shows them."""
    chosen = list(metas)
    order: dict[str, int] | None = None
    show_dismissed = flt.show_dismissed
    if flt.search is not None:
        chosen = search_matches(corpus, chosen, flt.search, store)
        from briefing.querylang import parse

        parsed = parse(flt.search)
        show_dismissed = show_dismissed or parsed.asks_dismissed
        if parsed.sort != "newest":
            order = {meta.id: i for i, meta in enumerate(chosen)}
    if flt.watchlist_ids is not None:
        chosen = [m for m in chosen if m.id in flt.watchlist_ids]
    if flt.lang is not None:
        chosen = [m for m in chosen if (store.effective_meta(m).lang or "und") == flt.lang]
    found = filter_articles(
        chosen,
        store,
        tag=list(flt.tags) or None,
        status=flt.statuses,
        since=flt.since,
        until=flt.until,
        show_dismissed=show_dismissed,
    )
    if order is not None:
        found.sort(key=lambda meta: order[meta.id])
    return found


def worked_on(meta: ArticleMeta, store: AnnotationStore) -> bool:
    """The analyst annotated the article (tags, notes, highlights, a correction) or flagged it."""
    notes = store.get(meta.id)
    return notes.is_annotated() or notes.flagged


def annotated_listing(
    metas: Sequence[ArticleMeta],
    store: AnnotationStore,
    flt: Filter,
    corpus: object = None,
    *,
    with_fields: bool = False,
) -> tuple[list[ArticleMeta], dict[str, dict[str, Any]]]:
    """What ``briefing list`` shows: ``metas`` that ``flt`` takes (see
    :func:`apply_filter`), each with the analyst's date, title and tags applied,
    plus (only ``with_fields``) each one's annotation fields by id."""
    chosen = apply_filter(metas, store, flt, corpus)
    fields = {m.id: store.json_fields(m) for m in chosen} if with_fields else {}  # raw values
    return [store.effective_meta(m) for m in chosen], fields
