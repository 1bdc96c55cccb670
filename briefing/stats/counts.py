"""Counts of one view of the corpus, from the index's SQL aggregates (whole corpus or a
date range) or from the view's own articles (an explicit list of ids), corrected by
the analyst's annotations.

The annotations hold only annotated articles, so correcting an aggregate costs one
step per annotated article: take out what the file alone gave (its file date, file
tags), put in what the list shows (the analyst's date and tags; nothing when
dismissed and hidden).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from briefing.model import ArticleMeta

STATES = ("unread", "read", "flagged", "dismissed")
NO_SOURCE = ""  # the key of articles without a source (shown as "(no source)")


class _Notes(Protocol):
    read: bool
    flagged: bool
    dismissed: bool
    date: dt.date | None
    tags: tuple[str, ...]
    auto_tags: tuple[str, ...]


@dataclass(frozen=True)
class Counts:
    """What a view holds. ``days``: dated articles by effective date (the analyst's
    when set); ``undated``: articles with no date at all; ``langs`` is None when the
    index knows no languages; ``states`` counts unread/read/flagged/dismissed (read
    and flagged are independent, as in the filter)."""

    total: int = 0
    days: Mapping[dt.date, int] = field(default_factory=dict)
    undated: int = 0
    sources: Mapping[str, int] = field(default_factory=dict)
    tags: Mapping[str, int] = field(default_factory=dict)
    langs: Mapping[str, int] | None = None
    states: Mapping[str, int] = field(default_factory=dict)
    tag_days: Mapping[str, Mapping[dt.date, int]] | None = None  # only when asked (a stacked timeline)

    @property
    def dated(self) -> int:
        return self.total - self.undated

    def top(self, facet: str, limit: int | None = None) -> list[tuple[str, int]]:
        """The facet's rows, largest first, ties by name."""
        values: Mapping[str, int] = getattr(self, facet) or {}
        rows = sorted(((k, n) for k, n in values.items() if n), key=lambda kv: (-kv[1], kv[0]))
        return rows if limit is None else rows[:limit]


class _Tally:
    def __init__(self, with_langs: bool, with_tag_days: bool = False) -> None:
        self.tag_days: dict[str, Counter[dt.date]] | None = {} if with_tag_days else None
        self.total = 0
        self.undated = 0
        self.days: Counter[dt.date] = Counter()
        self.sources: Counter[str] = Counter()
        self.tags: Counter[str] = Counter()
        self.langs: Counter[str] | None = Counter() if with_langs else None
        self.states: Counter[str] = Counter()

    def add(self, date: dt.date | None, source: str | None, tags: Iterable[str], lang: str | None,
            notes: _Notes | None, sign: int = 1, n: int = 1) -> None:
        k = sign * n
        self.total += k
        if date is None:
            self.undated += k
        else:
            self.days[date] += k
        self.sources[source or NO_SOURCE] += k
        for tag in set(tags):
            self.tags[tag] += k
            if self.tag_days is not None and date is not None:
                self.tag_days.setdefault(tag, Counter())[date] += k
        if self.langs is not None:
            self.langs[lang or ""] += k
        if notes is None:
            self.states["unread"] += k
            return
        self.states["read" if notes.read else "unread"] += k
        if notes.flagged:
            self.states["flagged"] += k
        if notes.dismissed:
            self.states["dismissed"] += k

    def counts(self) -> Counts:
        def clean(c: Counter[Any]) -> dict[Any, int]:
            return {key: n for key, n in c.items() if n}

        states = {s: self.states.get(s, 0) for s in STATES}
        tag_days = None if self.tag_days is None else {t: clean(c) for t, c in self.tag_days.items() if any(c.values())}
        return Counts(self.total, clean(self.days), self.undated, clean(self.sources), clean(self.tags),
                      clean(self.langs) if self.langs is not None else None, states, tag_days)


def _notes_of(annotations: Any) -> Mapping[str, Any]:
    """The annotated articles: from an AnnotationStore, an AnnotationDoc or a mapping."""
    if annotations is None:
        return {}
    doc = getattr(annotations, "document", annotations)
    arts = getattr(doc, "articles", doc)
    return arts if isinstance(arts, Mapping) else {}


def _effective_tags(meta: ArticleMeta, notes: Any) -> tuple[str, ...]:
    if notes is None:
        return meta.tags
    return (*meta.tags, *notes.tags, *notes.auto_tags)


def _in_range(date: dt.date | None, since: dt.date | None, until: dt.date | None) -> bool:
    if since is None and until is None:
        return True
    return date is not None and (since is None or date >= since) and (until is None or date <= until)


def _lang(meta: ArticleMeta) -> str | None:
    return getattr(meta, "lang", None)  # the language branch (issue 19) adds it to ArticleMeta


def count_view(corpus: Any, annotations: Any = None, ids: Collection[str] | None = None, *,
               since: dt.date | None = None, until: dt.date | None = None, show_dismissed: bool = False,
               use_index: bool = True, tag_days: bool = False) -> Counts:
    """Counts of a view of ``corpus``.

    ``ids`` None: every article of the corpus whose effective date is within
    ``since``/``until`` (inclusive; an undated article is left out when either is
    given), dismissed ones left out unless ``show_dismissed`` -- the list with no
    search and at most a date filter; through the index's aggregates when ``corpus``
    is an indexed corpus (and ``use_index``). Otherwise exactly the articles ``ids``
    (the list's, already searched and filtered), counted from their metadata.
    ``tag_days``: also count each tag's articles by day (:attr:`Counts.tag_days`).
    ``annotations``: an AnnotationStore, AnnotationDoc or ``{id: ArticleNotes}``.
    """
    notes_by_id = _notes_of(annotations)
    aggregate = getattr(corpus, "stats_groups", None) if use_index else None
    with_langs = bool(getattr(corpus, "has_languages", False))
    tally = _Tally(with_langs, tag_days)
    if ids is not None or aggregate is None:
        # The articles without annotations (nearly all) grouped first, as SQL would
        # group them; then the annotated ones one by one.
        if ids is not None:
            get = corpus.get
            metas = []
            for article_id in ids:
                try:
                    metas.append(get(article_id))
                except KeyError:
                    continue
            annotated = [m for m in metas if m.id in notes_by_id] if notes_by_id else []
        else:
            metas = corpus.articles
            annotated = [m for m in metas if m.id in notes_by_id] if notes_by_id else []
            annotated = [m for m in annotated if show_dismissed or not notes_by_id[m.id].dismissed]
        plain = [m for m in metas if m.id not in notes_by_id] if notes_by_id else metas
        if ids is None and (since is not None or until is not None):
            plain = [m for m in plain if _in_range(m.date, since, until)]
            annotated = [m for m in annotated if _in_range(notes_by_id[m.id].date or m.date, since, until)]
        groups = Counter((m.date, m.source, m.tags, _lang(m)) for m in plain) if with_langs else \
            Counter((m.date, m.source, m.tags, None) for m in plain)
        for (date, source, tags, lang), n in groups.items():
            tally.add(date, source, tags, lang, None, n=n)
        for meta in annotated:
            notes = notes_by_id[meta.id]
            tally.add(notes.date or meta.date, meta.source, _effective_tags(meta, notes), getattr(notes, "lang", None) or _lang(meta), notes)  # the analyst's language first
        return tally.counts()
    for date, source, tags, lang, n in aggregate(since, until):
        tally.add(date, source, tags, lang, None, n=n)
    for article_id, notes in notes_by_id.items():  # the annotated few: the file's part out, the list's in
        try:
            meta = corpus.get(article_id)
        except KeyError:
            continue
        if _in_range(meta.date, since, until):
            tally.add(meta.date, meta.source, meta.tags, _lang(meta), None, sign=-1)
        date = notes.date or meta.date
        if (show_dismissed or not notes.dismissed) and _in_range(date, since, until):
            tally.add(date, meta.source, _effective_tags(meta, notes), getattr(notes, "lang", None) or _lang(meta), notes)  # the analyst's language first
    return tally.counts()
