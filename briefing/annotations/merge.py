"""Three-way merge of annotation documents: pure functions, no I/O.

``base`` is what this process last read or wrote, ``ours`` what it wants to write,
``theirs`` what is on disk now (another instance, a text editor, ``git pull``).

- Tags, notes, highlights and conflicts merge as sets: everything either side added
  is kept; an item goes only if a side removed it and the other did not add it back.
  A note edited on both sides therefore appears twice, once per version: both kept.
- Scalar fields (read, flagged, dismissed, summary, date, title) take the side that changed; when both changed
  to different values, ours stays in the field and theirs is recorded in a
  :class:`~briefing.annotations.schema.Conflict` entry, so both stay visible.
- The fingerprint takes ours when both changed (it is a record, not a judgement), and
  is never lost while any side holds one: a side whose entry was emptied (every tag
  removed, an undo) has no fingerprint, which is not a change of the article's text;
  without it, the merged annotations could no longer follow the file's renames.
- ``changed`` (who last changed status, date, title) follows the value: the stamp
  of the side whose value the field took; ours when the field conflicted.

The same merge serves a save that finds the file changed and the git merge driver
(:mod:`briefing.team.mergefile`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from briefing.annotations.schema import EMPTY, STAMPED_FIELDS, AnnotationDoc, ArticleNotes, Conflict, Stamp


@dataclass(frozen=True)
class MergeConflict:
    """A field both sides changed: ``kept`` stays in the field, ``other`` went to
    the article's ``conflicts`` list."""

    article_id: str
    field: str
    kept: str | None
    other: str | None
    base: str | None = None
    kept_by: str = ""
    other_by: str = ""

    def message(self) -> str:
        return (
            f"{self.article_id}: {self.field} was changed elsewhere too; kept {_show(self.kept)}, "
            f"the other value {_show(self.other)} is listed under conflicts"
        )


def _show(value: str | None) -> str:
    return "(none)" if value is None else repr(value)


def merge_sets(base: Iterable[Any], ours: Iterable[Any], theirs: Iterable[Any]) -> tuple[Any, ...]:
    """Items of ours then theirs, without those one side removed from base.

    Order: ours first, then what only theirs has, each in its own order."""
    base_set, ours_list, theirs_list = set(base), list(ours), list(theirs)
    ours_set, theirs_set = set(ours_list), set(theirs_list)
    removed = (base_set - ours_set) | (base_set - theirs_set)
    out: list[Any] = []
    seen: set[Any] = set()
    for item in ours_list + theirs_list:
        if item in seen:
            continue
        seen.add(item)
        # Kept if not removed by a side, or re-added: present on both sides is "kept".
        if item not in removed or (item in ours_set and item in theirs_set):
            out.append(item)
    return tuple(out)


def merge_scalar(base: Any, ours: Any, theirs: Any) -> tuple[Any, bool]:
    """(value, conflicted): the changed side wins; both changed differently -> ours, True."""
    if ours == theirs:
        return ours, False
    if ours == base:
        return theirs, False
    if theirs == base:
        return ours, False
    return ours, True


SCALAR_FIELDS = ("fingerprint", "read", "flagged", "dismissed", "summary", "date", "title", "lang")


def _as_text(field: str, value: Any) -> str | None:
    """A field's value as a conflict entry records it."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if field == "summary":
        return f"{value[0]} {value[1]}"
    return value.isoformat() if field == "date" else str(value)


def merge_article(
    article_id: str,
    base: ArticleNotes | None,
    ours: ArticleNotes | None,
    theirs: ArticleNotes | None,
    now: str = "",
    by: str = "",
) -> tuple[ArticleNotes, list[MergeConflict]]:
    """Merge one article's annotations; absent entries count as empty. ``now`` and
    ``by`` (who runs the merge) are recorded in new conflict entries."""
    b, o, t = base or EMPTY, ours or EMPTY, theirs or EMPTY
    if o == t or t == b:
        return o, []
    if o == b:
        return t, []
    found: list[MergeConflict] = []
    values: dict[str, Any] = {}
    for name in SCALAR_FIELDS:
        value, conflicted = merge_scalar(getattr(b, name), getattr(o, name), getattr(t, name))
        if conflicted and name != "fingerprint":
            stamp = _STAMP_OF.get(name, "")
            found.append(MergeConflict(
                article_id, name, _as_text(name, value), _as_text(name, getattr(t, name)), _as_text(name, getattr(b, name)),
                _who(o, stamp), _who(t, stamp),
            ))
        values[name] = value
    if values["fingerprint"] is None:  # a side's entry emptied (or undone) takes no fingerprint away
        values["fingerprint"] = o.fingerprint or t.fingerprint or b.fingerprint
    conflicts = merge_sets(b.conflicts, o.conflicts, t.conflicts)
    conflicts += tuple(Conflict(c.field, c.kept, c.other, now, c.base, c.kept_by, c.other_by, by) for c in found)
    merged = ArticleNotes(
        tags=merge_sets(b.tags, o.tags, t.tags),
        notes=merge_sets(b.notes, o.notes, t.notes),
        highlights=merge_sets(b.highlights, o.highlights, t.highlights),
        conflicts=conflicts,
        changed=_merge_stamps(b, o, t, values),
        auto_tags=merge_sets(b.auto_tags, o.auto_tags, t.auto_tags),
        removed_auto_tags=merge_sets(b.removed_auto_tags, o.removed_auto_tags, t.removed_auto_tags),
        **values,
    )
    return merged, found


# Which stamp records a change of each single-valued field.
_STAMP_OF = {"read": "status", "flagged": "status", "dismissed": "status", "date": "date", "title": "title"}
_FIELDS_OF = {stamp: tuple(f for f, s in _STAMP_OF.items() if s == stamp) for stamp in STAMPED_FIELDS}


def _who(a: ArticleNotes, stamp: str) -> str:
    found = a.stamp(stamp) if stamp else None
    return found.by if found else ""


def _merge_stamps(b: ArticleNotes, o: ArticleNotes, t: ArticleNotes, values: dict[str, Any]) -> tuple[Stamp, ...]:
    """The stamp of the side whose value each field took (ours on a tie or conflict)."""
    out = []
    for stamp in STAMPED_FIELDS:
        fields = _FIELDS_OF[stamp]
        merged = tuple(values[f] for f in fields)
        took_theirs = merged == tuple(getattr(t, f) for f in fields) != tuple(getattr(o, f) for f in fields)
        first, second = (t, o) if took_theirs else (o, t)
        chosen = first.stamp(stamp) or second.stamp(stamp)
        if chosen is not None:
            out.append(chosen)
    return tuple(out)


def merge_docs(
    base: AnnotationDoc, ours: AnnotationDoc, theirs: AnnotationDoc, now: str = "", by: str = ""
) -> tuple[AnnotationDoc, list[MergeConflict]]:
    """Merge whole documents article by article."""
    articles: dict[str, ArticleNotes] = {}
    found: list[MergeConflict] = []
    narrowed = getattr(ours.articles, "changed_from", None)
    ours_changed = narrowed(base.articles) if narrowed else None
    if ours_changed is not None:
        # ours is base plus a few changes (an indexed file): elsewhere ours == base,
        # where the merge takes theirs, so only the changed entries need merging.
        for article_id in sorted(ours_changed):
            merged, conflicts = merge_article(
                article_id, base.articles.get(article_id), ours.articles.get(article_id),
                theirs.articles.get(article_id), now, by,
            )
            articles[article_id] = merged
            found.extend(conflicts)
        return theirs.updated(articles), found
    for article_id in sorted(set(base.articles) | set(ours.articles) | set(theirs.articles)):
        merged, conflicts = merge_article(
            article_id,
            base.articles.get(article_id),
            ours.articles.get(article_id),
            theirs.articles.get(article_id),
            now,
            by,
        )
        articles[article_id] = merged
        found.extend(conflicts)
    return AnnotationDoc(articles), found
