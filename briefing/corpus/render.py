"""How `briefing list` and `briefing show` present articles (rich, plain content only).

Article text is untrusted: it goes into ``rich.text.Text`` objects, never into markup
strings, so ``[bold]`` in a title prints as ``[bold]``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from briefing.ids import escape_name
from briefing.jsontext import _JSON_UNSAFE as _JSON_UNSAFE  # importable from here too
from briefing.jsontext import _json_escape as _json_escape
from briefing.jsontext import json_array_chunks as json_array_chunks
from briefing.jsontext import to_json_text as to_json_text
from briefing.lang import name as _lang_name
from briefing.model import Article, ArticleMeta
from briefing.sanitize import clean_line

if TYPE_CHECKING:  # rich is imported where a table or a text is made: not for JSON or tab-separated output
    from rich.table import Table
    from rich.text import Text


def language_name(code: str | None) -> str | None:
    """The article's language for a header ("Ukrainian (uk)"); None when unknown."""
    return _lang_name(code) if code else None

DERIVED_MARK = "~ "


def title_text(meta: ArticleMeta) -> Text:
    """The title; a derived title is prefixed with ``~`` and set in italics."""
    from rich.text import Text

    if meta.title_derived:
        text = Text(DERIVED_MARK, style="dim")
        text.append(clean_line(meta.title), style="italic")
        return text
    return Text(clean_line(meta.title))


def articles_table(metas: Iterable[ArticleMeta], width: int = 100) -> Table:
    """One line per article within ``width`` columns: the title gives way (ellipsis);
    the date and the id never do, since the id is what a user copies into `show`."""
    from rich.table import Table
    from rich.text import Text

    metas = list(metas)
    id_width = max((len(m.id) for m in metas), default=2)
    words_width = max([len("Words")] + [len(str(m.words)) for m in metas])
    who_width = min(20, max([len("Author")] + [len(" / ".join(x for x in (m.author, m.source) if x)) for m in metas]))
    date_width = len("2024-04-24")
    gaps = 2 * 4  # one space either side of the four column boundaries
    title_width = max(20, width - 1 - gaps - date_width - words_width - who_width - id_width)
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold", expand=False)
    table.add_column("Date", no_wrap=True, width=date_width)
    table.add_column("Title", no_wrap=True, overflow="ellipsis", width=title_width)
    table.add_column("Author", no_wrap=True, overflow="ellipsis", width=who_width)
    table.add_column("Words", justify="right", no_wrap=True, width=words_width)
    table.add_column("Id", no_wrap=True, width=id_width)
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


def article_header(meta: ArticleMeta, origins: Mapping[str, str | None] | None = None, status: str | None = None,
                   notes: Sequence[str] = (), summary: str | None = None) -> Text:
    """The header `briefing show` prints. ``origins`` (label -> remark) keeps an
    original visible beside a corrected value, e.g. ``{"Date": "set by analyst;
    file says none"}``; ``status``, ``notes`` and ``summary`` (the method and length
    the article's summary uses) are added when given."""
    origins = origins or {}
    out = title_text(meta)
    out.stylize("bold")
    out.append("\n")
    rows = [
        ("Date", meta.date.isoformat() if meta.date else "undated"),
        ("Author", meta.author),
        ("Source", meta.source),
        ("URL", meta.url),
        ("Language", language_name(meta.lang)),
        ("Tags", ", ".join(meta.tags) if meta.tags else None),
        ("Status", status),
        ("Summary", summary),
        ("Words", str(meta.words)),
        ("Id", meta.id),
        ("Path", escape_name(meta.path)),  # odd bytes and controls as in ids
    ]
    if origins.get("Title"):
        rows.insert(0, ("Title", str(origins["Title"])))
    elif meta.title_derived:
        rows.insert(0, ("Title", "derived from the first sentence"))
    for label, value in rows:
        if value:
            out.append(f"{label}: ", style="dim")
            out.append(clean_line(value))
            remark = origins.get(label) if label != "Title" else None
            if remark:
                out.append(f" ({clean_line(remark)})", style="dim")
            out.append("\n")
    for note in notes:
        out.append("Note: ", style="dim")
        out.append(" ".join(clean_line(line) for line in note.strip().splitlines()) + "\n")
    for warning in meta.warnings:
        out.append("Warning: ", style="yellow")
        out.append(clean_line(warning) + "\n")
    return out


def article_body(article: Article) -> Text:
    """The body, paragraphs separated by a blank line, headings in bold."""
    from rich.text import Text

    out = Text()
    for i, para in enumerate(article.paragraphs()):
        if i:
            out.append("\n\n")
        out.append(para, style="bold" if para in article.headings else "")
    return out


TSV_FIELDS = ("id", "date", "source", "title", "tags", "status")


def tsv_value(value: str) -> str:
    """One field of a tab-separated line: tabs, line breaks (also U+2028/U+2029) and
    control bytes become spaces or ``�``, so each article stays one line of six fields."""
    return clean_line(value).replace("\u2028", " ").replace("\u2029", " ")


def articles_tsv(rows: Iterable[Sequence[str]]) -> str:
    """``rows`` (each :data:`TSV_FIELDS` as text) as tab-separated lines, no header,
    nothing cut: what `briefing list` prints when its output goes to a pipe or a file."""
    return "".join("\t".join(tsv_value(v) for v in row) + "\n" for row in rows)
