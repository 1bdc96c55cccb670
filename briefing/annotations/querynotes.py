"""What a search asks of each annotated article, read from a large indexed file's bytes.

A search over an indexed corpus (:mod:`briefing.querylang.indexed`) evaluates every
annotated article the list holds, through ``notes.get(id)``. On a large indexed
annotation file that parsed every entry (it then parsed the whole file, kept by its
index: issue 20, ~390 MB and 6 s of CPU at 100,000 entries, for the first search of
a session).

A query asks only this of an article's annotations (:mod:`briefing.querylang.match`
and the indexed evaluation): ``read``, ``flagged``, ``dismissed``, the analyst's
``title`` and ``date``, ``tags``, ``auto_tags``, ``lang``, whether it has ``notes``
and ``highlights`` (``is:noted``, ``is:highlighted``) and ``is_annotated()``. On a
canonical file each of these is found by one pass over the bytes, as the list
already does for some (:meth:`FileIndex.ids_with`, :meth:`FileIndex.corrections`,
:mod:`briefing.annotations.tagscan`); an entry setting ``lang`` (rare: the analyst's
language) is parsed alone. :func:`query_view` gives a mapping of id ->
:class:`QueryNotes` built on access from those (a few sets and small dicts, kept
with the index); nothing else is parsed or kept.

Only for an index known to fit its bytes (not broken, not parsed whole, not a file
never seen and still being checked); else the articles themselves, as before.
Changes not yet saved (the overlay) are the parsed values themselves.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from briefing.annotations import snapshot, tagscan
from briefing.annotations.indexed import FileIndex, LazyArticles
from briefing.annotations.schema import ArticleNotes


@dataclass(frozen=True, slots=True)
class QueryNotes:
    """An annotated article as a query sees it. ``notes`` and ``highlights`` say
    whether it has any (their truth is what :func:`~briefing.querylang.match.state_holds`
    asks), not their text."""

    read: bool = False
    flagged: bool = False
    dismissed: bool = False
    title: str | None = None
    date: dt.date | None = None
    tags: tuple[str, ...] = ()
    auto_tags: tuple[str, ...] = ()
    lang: str | None = None
    notes: bool = False
    highlights: bool = False

    def is_annotated(self) -> bool:  # as ArticleNotes.is_annotated
        return bool(self.tags or self.notes or self.highlights or self.date or self.title is not None)


class SortedIds:
    """Membership in the index's own sorted list of ids (:meth:`FileIndex.all_keys`),
    by binary search: not a set of 100,000 ids beside the list (4 MB of hash table for
    each search's scan, and as much again in the heap while it was made)."""

    __slots__ = ("keys",)

    def __init__(self, keys: list[str]) -> None:
        self.keys = keys

    def __contains__(self, article_id: object) -> bool:
        if not isinstance(article_id, str):
            return False
        keys = self.keys
        n = bisect.bisect_left(keys, article_id)
        return n < len(keys) and keys[n] == article_id

    def __len__(self) -> int:
        return len(self.keys)

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys)


def _all_ids(index: FileIndex) -> SortedIds | None:
    """Every id of ``index`` (None when its keys are not in increasing order: a
    broken index)."""
    keys = index.all_keys()
    return None if keys is None else SortedIds(keys)


@dataclass(frozen=True)
class _Scan:
    """What :class:`QueryNotes` are made of, for one index: found in its bytes."""

    ids: SortedIds  # every entry's (a search asks for each of 100,000)
    read: frozenset[str]
    flagged: frozenset[str]
    dismissed: frozenset[str]
    corrections: dict[str, tuple[str | None, dt.date | None]]
    tags: dict[str, tagscan.Tags]
    langs: dict[str, str | None]
    noted: frozenset[str]
    highlighted: frozenset[str]

    def notes_of(self, article_id: str) -> QueryNotes:
        title, date = self.corrections.get(article_id, (None, None))
        tags, auto = self.tags.get(article_id, ((), ()))
        return QueryNotes(read=article_id in self.read, flagged=article_id in self.flagged,
                          dismissed=article_id in self.dismissed, title=title, date=date, tags=tags,
                          auto_tags=auto, lang=self.langs.get(article_id), notes=article_id in self.noted,
                          highlights=article_id in self.highlighted)


_SCANS: WeakKeyDictionary[FileIndex, _Scan] = WeakKeyDictionary()


def _derived(index: FileIndex) -> _Scan | None:
    """The scan of ``index`` from that of one it was spliced from (a save in between):
    the changed entries are read alone, the rest is what the index carries over."""
    since = tagscan.changed_since(index, _SCANS)
    if since is None:
        return None
    old_index, changed = since
    old = _SCANS[old_index]
    tags = tagscan.index_tags(index)
    corrections = index.corrections()
    read, flagged, dismissed = (index.ids_with(name) for name in ("read", "flagged", "dismissed"))
    if tags is None or not tagscan.readable(index):
        return None
    present: dict[str, ArticleNotes] = {}
    for article_id in sorted(changed):
        n = index.position(article_id)
        if not tagscan.readable(index):
            return None
        if n is not None:
            present[article_id] = tagscan.entry_alone(index, n)
    langs = {i: v for i, v in old.langs.items() if i not in changed}
    langs.update((i, a.lang) for i, a in present.items() if a.lang is not None)
    ids = _all_ids(index)  # (what the old scan's ids became: the saved file's keys)
    if ids is None:
        return None
    return _Scan(ids, read, flagged, dismissed, corrections, tags, langs,
                 (old.noted - changed) | {i for i, a in present.items() if a.notes},
                 (old.highlighted - changed) | {i for i, a in present.items() if a.highlights})


def _scan(index: FileIndex) -> _Scan | None:
    if not tagscan.readable(index):
        return None
    found = tagscan.kept_or_derived(index, _SCANS, _derived)
    if found is not None:
        return found
    try:
        tags = tagscan.index_tags(index)
        read, flagged, dismissed = (index.ids_with(name) for name in ("read", "flagged", "dismissed"))
        corrections = index.corrections()
        if tags is None or not tagscan.readable(index):
            return None
        langs = {index.key_at(n): tagscan.entry_alone(index, n).lang for n, _ in index._field_lines("lang")}
        ids = _all_ids(index)
        if ids is None:
            return None
        noted = frozenset(index.key_at(n) for n, _ in index._field_lines("notes"))
        highlighted = frozenset(index.key_at(n) for n, _ in index._field_lines("highlights"))
    except (ValueError, IndexError, UnicodeDecodeError):
        return None
    if not tagscan.readable(index):  # (ids() found the offsets not to fit)
        return None
    snapshot.release(index.data)  # (passes over every entry's bytes)
    found = _SCANS[index] = _Scan(ids, read, flagged, dismissed, corrections, tags, langs, noted, highlighted)
    return found


class QueryView(Mapping[str, Any]):
    """id -> :class:`QueryNotes` (or, for a changed article not yet saved, its
    ``ArticleNotes``) for the articles of ``articles``: what a search reads."""

    __slots__ = ("articles", "scan")

    def __init__(self, articles: LazyArticles, scan: _Scan) -> None:
        self.articles = articles
        self.scan = scan

    def __getitem__(self, article_id: str) -> Any:
        overlay = self.articles.overlay
        if article_id in overlay:
            return self.articles[article_id]  # (KeyError for an entry removed)
        if article_id not in self.scan.ids:
            raise KeyError(article_id)
        return self.scan.notes_of(article_id)

    def __contains__(self, article_id: object) -> bool:
        if article_id in self.articles.overlay:
            return article_id in self.articles
        return article_id in self.scan.ids

    def __iter__(self) -> Iterator[str]:
        return iter(self.articles)

    def overriding(self, *, tags: bool, states: frozenset[str] = frozenset()) -> set[str]:
        """:func:`briefing.querylang.indexed.overriding` from the scan's sets, plus the
        articles changed and not yet saved (decided as they are now)."""
        scan = self.scan
        out = set(scan.corrections) | {i for i, lang in scan.langs.items() if lang}
        if tags:
            out |= scan.tags.keys()
        for state in states:
            if state == "annotated":  # as QueryNotes.is_annotated (corrections: above)
                out |= {i for i, (own, _auto) in scan.tags.items() if own} | scan.noted | scan.highlighted
            else:
                out |= {"unread": scan.read, "read": scan.read, "flagged": scan.flagged, "dismissed": scan.dismissed,
                        "noted": scan.noted, "highlighted": scan.highlighted}[state]
        out |= self.articles.overlay.keys()
        return out

    def __len__(self) -> int:
        return len(self.articles)


def query_view(articles: Mapping[str, ArticleNotes]) -> Mapping[str, Any]:
    """What a search reads of ``articles``: a :class:`QueryView` for a large indexed
    file's (see the module), else ``articles`` themselves."""
    if not isinstance(articles, LazyArticles):
        return articles
    scan = _scan(articles.index)
    return articles if scan is None else QueryView(articles, scan)


LazyArticles.view_for_queries = query_view
