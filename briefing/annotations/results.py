"""What the annotation store hands back: a :class:`Change` per mutation, an
:class:`ArticleView` per article shown, a :class:`ReconcileReport` after following
renamed files, and the :class:`Saver` protocol a save queue implements."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from briefing.annotations.merge import MergeConflict
from briefing.annotations.schema import EMPTY, AnnotationDoc, ArticleNotes, Conflict, Highlight, Note, Stamp
from briefing.model import ArticleMeta
from briefing.sanitize import clean_line, clean_text


class Saver(Protocol):
    """What takes over a store's saves (the SaveQueue): it keeps the wanted document
    and answers with the messages and conflicts to report now."""

    def accept(self, wanted: AnnotationDoc) -> tuple[list[str], list[MergeConflict]]: ...

    def defer(self, after: AnnotationDoc, ids: Iterable[str]) -> None:
        """Make ``after`` (the document with ``ids`` marked read, kept for later) the
        store's document."""


@dataclass(frozen=True)
class Change:
    """What a mutation did. ``before``/``after`` map each touched id to its
    annotations; ``messages`` are lines for the user (merges, conflicts, tags that
    come from the file and stay)."""

    action: str
    article_ids: tuple[str, ...]
    before: Mapping[str, ArticleNotes]
    after: Mapping[str, ArticleNotes]
    messages: tuple[str, ...] = ()
    conflicts: tuple[MergeConflict, ...] = ()

    @property
    def changed(self) -> bool:
        return any(self.before[i] != self.after.get(i, EMPTY) for i in self.article_ids)

    @property
    def changed_ids(self) -> tuple[str, ...]:
        """The given articles this change actually changed (in the order given)."""
        return tuple(i for i in self.article_ids if self.before[i] != self.after.get(i, EMPTY))

    @property
    def message(self) -> str:
        """One line for the user that says how many articles changed, e.g.
        ``"flag: 2 articles changed, 1 already so"``."""
        n, total = len(self.changed_ids), len(self.article_ids)
        if n == 0:
            return f"{self.action}: nothing changed ({_count(total)} already so)"
        rest = total - n
        return f"{self.action}: {_count(n)} changed" + (f", {rest} already so" if rest else "")


@dataclass(frozen=True)
class ArticleView:
    """An article as the reader and ``list`` show it: the analyst's corrections
    applied, front-matter tags merged in, every string cleaned for display."""

    id: str
    title: str
    title_overridden: bool
    date: dt.date | None
    date_overridden: bool
    tags: tuple[str, ...]  # front-matter tags and the analyst's, sorted
    file_tags: tuple[str, ...]  # the tags that come from the file itself
    read: bool
    flagged: bool
    dismissed: bool
    summary: tuple[str, int] | None  # the summary method and length chosen for the article
    notes: tuple[Note, ...]
    highlights: tuple[Highlight, ...]
    conflicts: tuple[Conflict, ...]
    text_changed: bool  # the article's text changed since it was annotated
    annotated: bool  # the analyst added tags, notes, highlights or a correction
    changed: tuple[Stamp, ...] = ()  # who last changed status, date, title (names cleaned)
    show_authors: bool = False  # more than one author in the file: the reader names them
    lang: str | None = None  # the effective language: the analyst's, else the detected one (None: unknown)

    @property
    def status(self) -> str:
        """The version 1 reading state (flagged, else read, else unread), for callers
        not yet rewired to the separate flags."""
        return "flagged" if self.flagged else ("read" if self.read else "unread")

    def to_json(self) -> dict[str, Any]:
        """The annotation fields `briefing list --json` adds to an article."""
        out = {
            "tags": list(self.tags),
            "read": self.read,
            "flagged": self.flagged,
            "dismissed": self.dismissed,
            "status": self.status,
            "notes": [{"at": n.at, "text": n.text, **({"by": n.by} if n.by else {})} for n in self.notes],
            "highlights": [{"quote": h.quote, "note": h.note, **({"by": h.by} if h.by else {})} for h in self.highlights],
            "title_overridden": self.title_overridden,
            "date_overridden": self.date_overridden,
            "text_changed": self.text_changed,
            "conflicts": [{"field": c.field, "kept": c.kept, "other": c.other, "at": c.at} for c in self.conflicts],
        }
        if self.summary is not None:
            out["summary"] = {"method": self.summary[0], "length": self.summary[1]}
        return out


def _count(n: int) -> str:
    return f"{n} article" if n == 1 else f"{n} articles"


@dataclass(frozen=True)
class ReconcileReport:
    moved: tuple[tuple[str, str], ...] = ()  # (old id, new id)
    orphans: tuple[str, ...] = ()  # annotated ids with no article and no unambiguous match
    joined: tuple[tuple[str, str], ...] = ()  # (old id, new id) where the new one had annotations too: merged

    def messages(self) -> list[str]:
        out = [f"annotations of {old} moved to {new} (same text)" for old, new in self.moved]
        out += [f"annotations of {old} merged into those of {new} (same text, annotated under both names)"
                for old, new in self.joined]
        if self.orphans:
            out.append(f"annotations kept for {len(self.orphans)} article(s) not in the corpus: {', '.join(self.orphans)}")
        return out


def article_view(meta: ArticleMeta, a: ArticleNotes, tags: tuple[str, ...], text_changed: bool,
                 show_authors: bool = False) -> ArticleView:
    """``meta`` as shown with its annotations ``a`` (``tags``: the effective ones)."""
    return ArticleView(
        id=meta.id,
        title=clean_line(a.title) if a.title is not None else meta.title,
        title_overridden=a.title is not None,
        date=a.date or meta.date,
        date_overridden=a.date is not None,
        tags=tuple(clean_line(t) for t in tags),
        file_tags=tuple(clean_line(t) for t in meta.tags),
        read=a.read,
        flagged=a.flagged,
        dismissed=a.dismissed,
        summary=a.summary,
        lang=a.lang or meta.lang,
        notes=tuple(Note(clean_text(n.text), n.at, clean_line(n.by), n.private) for n in a.notes),
        highlights=tuple(
            Highlight(quote=clean_text(h.quote), note=clean_text(h.note), by=clean_line(h.by), at=h.at, occurrence=h.occurrence,
                      private=h.private)
            for h in a.highlights
        ),
        conflicts=tuple(
            Conflict(c.field, None if c.kept is None else clean_line(c.kept), None if c.other is None else clean_line(c.other), c.at,
                     None if c.base is None else clean_line(c.base), clean_line(c.kept_by), clean_line(c.other_by), clean_line(c.by))
            for c in a.conflicts
        ),
        text_changed=text_changed,
        annotated=a.is_annotated(),
        changed=tuple(Stamp(s.field, clean_line(s.by), clean_line(s.at)) for s in a.changed),
        show_authors=show_authors,
    )


def json_fields(meta: ArticleMeta, a: ArticleNotes, tags: tuple[str, ...], text_changed: bool) -> dict[str, Any]:
    """What ``briefing list --json`` shows of an article's annotations ``a``, every
    value exactly as held (not cleaned for display: the JSON writer escapes controls),
    with the analyst's title and date applied over the article's."""
    out: dict[str, Any] = {
        "tags": list(tags),
        "read": a.read,
        "flagged": a.flagged,
        "dismissed": a.dismissed,
        "status": a.status,
        # ("private": kept out of exports unless asked: a script building a report can leave them out too)
        "notes": [{"at": n.at, "text": n.text, **({"by": n.by} if n.by else {}), **({"private": True} if n.private else {})}
                  for n in a.notes],
        "highlights": [{"quote": h.quote, "note": h.note, **({"by": h.by} if h.by else {}),
                        **({"private": True} if h.private else {})} for h in a.highlights],
        "title_overridden": a.title is not None,
        "date_overridden": a.date is not None,
        "text_changed": text_changed,
        "conflicts": [{"field": c.field, "kept": c.kept, "other": c.other, "at": c.at} for c in a.conflicts],
    }
    if a.summary is not None:
        out["summary"] = {"method": a.summary[0], "length": a.summary[1]}
    if a.title is not None:
        out["title"] = a.title
    if a.date is not None:
        out["date"] = a.date.isoformat()
    out["lang_overridden"] = a.lang is not None
    if a.lang is not None:
        out["lang"] = a.lang
    return out
