"""An article's details: two lines at the top of the reading pane, everything on demand (i).

Plain Content only (every string from the file or the annotations is cleaned and
never read as markup).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from textual.content import Content

from briefing.annotations.flags import state_text
from briefing.lang import mark as lang_mark
from briefing.lang import name as lang_name
from briefing.model import ArticleMeta
from briefing.sanitize import clean_line
from briefing.tui.rows import day_label

CORRECTED = "*"  # beside a date or title the analyst set (the file's value: i)


@dataclass
class Shown:
    """What the reading pane shows the details of: the meta (the analyst's corrections
    in), the annotations view (a briefing.annotations.ArticleView, or None) and where
    a corrected value came from (label -> remark)."""

    meta: ArticleMeta
    view: Any = None
    origins: Mapping[str, str | None] = field(default_factory=dict)


def header_content(shown: Shown) -> Content:
    """Two lines: the title; then date, author, source, state, tags and warnings."""
    meta, view, origins = shown.meta, shown.view, shown.origins
    title = clean_line(meta.title).strip() or clean_line(meta.id)
    first = Content.assemble(
        *([("~ ", "dim")] if meta.title_derived and not origins.get("Title") else []),
        (title, "bold $text-primary"),
        *([(CORRECTED, "dim")] if origins.get("Title") else []),
    )
    parts: list[str] = [(day_label(meta.date) if meta.date else "undated") + (CORRECTED if origins.get("Date") else "")]
    parts += [p for p in (clean_line(meta.author or "").strip(), clean_line(meta.source or "").strip()) if p]
    if lang_mark(meta.lang):
        parts.append(lang_mark(meta.lang) + (CORRECTED if origins.get("Language") else ""))
    if view is not None:
        parts.append(state_text(view))
    tags = tuple(view.tags) if view is not None else meta.tags
    if tags:
        parts.append(", ".join(clean_line(t) for t in tags))
    if meta.warnings:
        parts.append(f"⚠ {len(meta.warnings)} warning{'s' if len(meta.warnings) != 1 else ''}")
    second = Content.assemble((" · ".join(parts), "dim"), (" · i details", "dim italic"))
    return Content("\n").join([first, second])


def details_content(shown: Shown, words: int | None = None) -> Content:
    """Every detail of the article: title, date, author, source, file, tags, state,
    whether the text changed since it was annotated, notes and highlights counted,
    words, the fingerprint and the parser's warnings; a corrected value keeps the
    file's beside it ("set by analyst; file says none")."""
    meta, view, origins = shown.meta, shown.view, shown.origins
    title = clean_line(meta.title).strip() or clean_line(meta.id)
    lines: list[Content] = [Content.styled(title, "bold $text-primary")]
    if origins.get("Title"):
        lines.append(Content.styled(f"title {clean_line(str(origins['Title']))}", "dim italic"))
    elif meta.title_derived:
        lines.append(Content.styled("~ title made from the first sentence (the file has no headline)", "dim italic"))
    fields: list[tuple[str, str]] = [
        ("Date", day_label(meta.date) if meta.date else "undated"),
        ("Author", clean_line(meta.author or "") or "—"),
        ("Source", clean_line(meta.source or "") or "—"),
        ("File", clean_line(meta.id)),
        ("Language", lang_name(meta.lang)),
    ]
    if meta.url:  # plain text, never a link or markup (Y copies it)
        fields.insert(3, ("URL", clean_line(meta.url)))
    tags = tuple(view.tags) if view is not None else meta.tags
    fields.append(("Tags", ", ".join(clean_line(t) for t in tags) if tags else "—"))
    if view is not None:
        fields.append(("Status", state_text(view)))
        fields.append(("Text", "changed since it was annotated" if view.text_changed
                       else ("as annotated" if view.annotated else "not annotated")))
        if getattr(view, "show_authors", False):  # more than one author in the file (issue 21)
            names = {n.by for n in view.notes} | {h.by for h in view.highlights} | {c.by for c in getattr(view, "changed", ())}
            fields.append(("Authors", ", ".join(clean_line(n) for n in sorted(names - {""})) or "—"))
        fields.append(("Notes", str(len(view.notes))))
        fields.append(("Highlights", str(len(view.highlights))))
        if view.summary is not None:
            fields.append(("Summary", f"{clean_line(view.summary[0])}, {view.summary[1]} sentences (chosen)"))
    fields.append(("Words", f"{words if words is not None else meta.words:,}"))
    fields.append(("Hash", clean_line(meta.fingerprint)))
    for label, value in fields:
        remark = origins.get(label)
        if remark:
            lines.append(Content.assemble((f"{label:<11}", "dim"), value, (f"  ({clean_line(remark)})", "dim")))
        else:
            lines.append(Content.assemble((f"{label:<11}", "dim"), value))
    for warning in meta.warnings:
        lines.append(Content.styled("! " + clean_line(warning), "$text-warning"))
    return Content("\n").join(lines)
