"""Step 3b: YAML front matter at the top of a Markdown (or text) file.

Read with briefing's guarded YAML reader (:mod:`briefing.yamlsafe`): a hostile tag
(``!!python/object``), an alias bomb, deep nesting or broken YAML becomes a warning and the block is dropped from the body; the article still loads.
Only plain scalars are taken from it, each made printable and cut to a sane length.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from briefing.corpus.dates import coerce_date
from briefing.corpus.url import clean_url
from briefing.sanitize import clean_line

MAX_FRONT_MATTER = 64 * 1024
MAX_TAGS = 50
_OPEN = re.compile(r"\ufeff?---[ \t]*\n")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)


@dataclass
class Known:
    """Metadata known from outside the article's text: its front matter, or an HTML
    page's metadata. The parser prefers these to what it finds in the text."""

    title: str | None = None
    date: dt.date | None = None
    author: str | None = None
    source: str | None = None
    tags: tuple[str, ...] = ()
    url: str | None = None
    warnings: list[str] = field(default_factory=list)
    # An "Updated …" date in the text may stand for the article's date when nothing
    # better is found (plain text); an HTML page, whose layer already weighed its
    # update stamps, says no.
    update_dates: bool = True


def split_front_matter(text: str) -> tuple[Known | None, str]:
    """``(front matter or None, the rest of the text)``.

    ``text`` must already have LF newlines. Returns ``(None, text)`` when the text does
    not open with a ``---`` line or the block is never closed.
    """
    m = _OPEN.match(text)
    if not m:
        return None, text
    close = _CLOSE.search(text, m.end(), m.end() + MAX_FRONT_MATTER + 8)
    if not close:
        return None, text
    raw = text[m.end() : close.start()]
    rest = text[close.end() :]
    fm = Known()
    data = _load(raw, fm)
    if data is None:
        return fm, rest
    if not isinstance(data, dict):
        fm.warnings.append("front matter is not a mapping of fields; ignored")
        return fm, rest
    fields = {str(k).strip().lower(): v for k, v in data.items() if isinstance(k, (str, int))}
    fm.title = _scalar(fields.get("title"), 300)
    raw_date = next((fields[k] for k in ("date", "published", "pubdate", "created") if k in fields), None)
    if raw_date is not None:
        fm.date = coerce_date(raw_date if isinstance(raw_date, (dt.date, str)) else None)
        if fm.date is None:
            fm.warnings.append(f"front matter date not understood: {_scalar(raw_date, 60)!s}")
    author = fields.get("author", fields.get("authors"))
    if isinstance(author, list):
        names = [n for n in (_scalar(a, 100) for a in author[:10]) if n]
        fm.author = ", ".join(names) or None
    else:
        fm.author = _scalar(author, 200)
    fm.source = _scalar(fields.get("source", fields.get("site", fields.get("publisher"))), 200)
    fm.tags = _tags(fields.get("tags", fields.get("keywords")))
    for key in ("url", "link", "canonical", "source_url"):
        if key in fields:
            fm.url = clean_url(fields[key] if isinstance(fields[key], str) else None)
            if fm.url:
                break
    return fm, rest


def _load(raw: str, fm: Known) -> object:
    """The front matter as plain values (guarded reader: every scalar stays the text typed)."""
    from briefing import yamlsafe

    try:
        return yamlsafe.load_plain(raw)
    except yamlsafe.YamlError as err:
        fm.warnings.append(f"front matter could not be read (line {err.line}: {clean_line(err.message)[:120]}); ignored")
    return None


def _scalar(value: object, limit: int) -> str | None:
    """A printable one-line string from a scalar value; None for anything else."""
    if isinstance(value, bool) or value is None:
        return None if value is None else str(value).lower()
    if isinstance(value, (str, int, float, dt.date)):
        text = " ".join(clean_line(str(value)).split())
        return text[:limit] or None
    return None


def _tags(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        items: list[Any] = value.split(",")
    elif isinstance(value, list):
        items = value[: MAX_TAGS * 2]
    else:
        return ()
    out: list[str] = []
    for item in items:
        tag = _scalar(item, 100)
        if tag and tag not in out:
            out.append(tag)
        if len(out) >= MAX_TAGS:
            break
    return tuple(out)
