"""How `briefing list` and `briefing show` present articles (rich, plain content only).

Article text is untrusted: it goes into ``rich.text.Text`` objects, never into markup
strings, so ``[bold]`` in a title prints as ``[bold]``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from rich.table import Table
from rich.text import Text

from briefing.model import Article, ArticleMeta
from briefing.sanitize import clean_line

DERIVED_MARK = "~ "


def title_text(meta: ArticleMeta) -> Text:
    """The title; a derived title is prefixed with ``~`` and set in italics."""
    if meta.title_derived:
        text = Text(DERIVED_MARK, style="dim")
        text.append(clean_line(meta.title), style="italic")
        return text
    return Text(clean_line(meta.title))


def articles_table(metas: Iterable[ArticleMeta]) -> Table:
    metas = list(metas)
    id_width = min(40, max((len(m.id) for m in metas), default=2))
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold", expand=False)
    table.add_column("Date", no_wrap=True)
    table.add_column("Title", ratio=3, min_width=20)
    table.add_column("Author / source", ratio=1, max_width=24)
    table.add_column("Words", justify="right", no_wrap=True)
    table.add_column("Id", overflow="fold", min_width=id_width)
    derived = False
    for meta in metas:
        derived = derived or meta.title_derived
        who = " / ".join(x for x in (meta.author, meta.source) if x)
        table.add_row(
            Text(meta.date.isoformat() if meta.date else "undated", style="" if meta.date else "dim"),
            title_text(meta),
            Text(clean_line(who)),
            Text(str(meta.words)),
            Text(clean_line(meta.id), style="dim"),
        )
    if derived:
        table.caption = Text(f"{DERIVED_MARK}title derived from the first sentence (the file has no headline)")
    return table


def article_header(meta: ArticleMeta) -> Text:
    out = title_text(meta)
    out.stylize("bold")
    out.append("\n")
    rows = [
        ("Date", meta.date.isoformat() if meta.date else "undated"),
        ("Author", meta.author),
        ("Source", meta.source),
        ("Tags", ", ".join(meta.tags) if meta.tags else None),
        ("Words", str(meta.words)),
        ("Id", meta.id),
        ("Path", meta.path),
    ]
    if meta.title_derived:
        rows.insert(0, ("Title", "derived from the first sentence"))
    for label, value in rows:
        if value:
            out.append(f"{label}: ", style="dim")
            out.append(clean_line(value) + "\n")
    for warning in meta.warnings:
        out.append("Warning: ", style="yellow")
        out.append(clean_line(warning) + "\n")
    return out


def article_body(article: Article) -> Text:
    """The body, paragraphs separated by a blank line, headings in bold."""
    out = Text()
    for i, para in enumerate(article.paragraphs()):
        if i:
            out.append("\n\n")
        out.append(para, style="bold" if para in article.headings else "")
    return out


def to_json_text(data: object) -> str:
    """Pretty JSON; a lone surrogate (from an undecodable file name) stays a JSON escape."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return text.encode("utf-8", "backslashreplace").decode("utf-8")
