"""What the briefing screen shows (issue 17), as pure functions: the outline's rows
(sections, items with their why line), the judgments' lines, and where an item is.

Everything from a file or typed is plain :class:`~textual.content.Content` after
``clean_line``: never markup.
"""

from __future__ import annotations

from textual.content import Content

from briefing.brief.model import BriefDoc, Section
from briefing.model import ArticleMeta
from briefing.sanitize import clean_line

WHY_SHOWN = 100  # characters of a "why it matters" line in the outline


def plain(text: str) -> str:
    """One line of untrusted text, made safe and single-line."""
    return " ".join(clean_line(text).split())


def cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def item_line(number: int, article_id: str, meta: ArticleMeta | None, why: str) -> Content:
    """An item of the outline: number, title, date, outlet; the why line under it.
    Plain Content: nothing from a file or typed is read as markup."""
    if meta is None:
        parts: list[tuple[str, str] | str] = [(f"{number:>3}. ", "bold"), plain(article_id),
                                               ("  (not in the corpus)", "$text-warning")]
    else:
        details = " · ".join(x for x in (meta.date.isoformat() if meta.date else "undated", plain(meta.source or "")) if x)
        parts = [(f"{number:>3}. ", "bold"), cut(plain(meta.title) or plain(article_id), 90), ("  " + details, "dim")]
    if why.strip():
        parts += ["\n      ", ("why: ", "italic $text-secondary"), cut(plain(why), WHY_SHOWN)]
    return Content.assemble(*parts)


def section_line(section: Section) -> Content:
    count = len(section.items)
    extra = f"by tag {plain(section.tag)} · " if section.tag else ""
    return Content.assemble((plain(section.name) or "(unnamed)", "bold $text-accent"),
                            (f"  {extra}{count} item{'s' if count != 1 else ''}", "dim"))


def judgment_line(number: int, text: str, confidence: str, cites: list[int], highlights: int) -> Content:
    parts: list[tuple[str, str] | str] = [(f"{number}. ", "bold")]
    if confidence:
        parts.append((f"[{plain(confidence)}] ", "$text-primary"))
    parts.append(cut(plain(text), 160) or "(empty)")
    refs = []
    if cites:
        refs.append("sources " + ", ".join(str(c) for c in cites))
    if highlights:
        refs.append(f"{highlights} highlight{'s' if highlights != 1 else ''}")
    if refs:
        parts.append(("  (" + "; ".join(refs) + ")", "dim"))
    return Content.assemble(*parts)


def option_id_of_item(article_id: str) -> str:
    return "i:" + article_id


def option_id_of_section(index: int) -> str:
    return f"s:{index}"


def section_of(doc: BriefDoc, article_id: str) -> int | None:
    for n, section in enumerate(doc.sections):
        if any(item.id == article_id for item in section.items):
            return n
    return None


def numbers(doc: BriefDoc) -> dict[str, int]:
    """Each item's number in the briefing's order (1-based), as the outline shows it."""
    return {article_id: n for n, article_id in enumerate(doc.item_ids(), 1)}
