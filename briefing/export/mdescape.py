"""Keep untrusted text inert in Markdown (CommonMark, GitHub, Obsidian).

Article and note text must come out as the same text, never as a heading, list,
quote, link, image, raw HTML, table, code, math or Obsidian comment. Rules:

- control bytes and bidi tricks removed (:func:`briefing.sanitize.clean_text`);
- everywhere: a backslash before ``\\ ` * [ ] < > # | ~ & $``, before ``_``
  unless it stands between two letters or digits (``snake_case`` cannot open
  emphasis), and before each
  ``%`` of ``%%`` and each ``=`` of ``==``: these are the characters that open code
  spans and fences, emphasis, links/images (``[`` … ``](``; without a live ``[``
  neither ``(`` nor ``!`` can start one, so they are left as typed), autolinks and
  HTML (``<``), headings and Obsidian tags (``#``), table cells (``|``),
  strikethrough and ``~~~`` fences, entity references (``&amp;``), math (``$``),
  Obsidian highlights and comments;
- at the start of a line, leading blanks are dropped (four spaces would make code)
  and a character that would open a block gets a backslash: ``> - + = *`` (quote,
  list, thematic break, setext underline) and a number followed by ``.`` or ``)``
  (ordered list);
- trailing blanks are dropped (two spaces would be a hard line break).

Bare addresses such as ``https://example.org`` stay as text; GitHub and Obsidian
may still make them clickable, showing the address itself (never hidden link text).
"""

from __future__ import annotations

import re

from briefing.sanitize import clean_line, clean_text

_INLINE = re.compile(r"([\\`*\[\]<>#|~&$]|(?<![^\W_])_|_(?![^\W_]))")
_DOUBLE = re.compile(r"(%%|==)")
_BLOCK_START = re.compile(r"^([>\-+=*])")
_ORDERED = re.compile(r"^(\d{1,9})([.)])")


class MarkdownText(str):
    """Text already made safe for Markdown (the template engine leaves it alone)."""


def _inline(text: str) -> str:
    text = _INLINE.sub(r"\\\1", text)
    return _DOUBLE.sub(lambda m: "\\" + m.group(0)[0] + "\\" + m.group(0)[1], text)


def _line(text: str) -> str:
    text = text.strip(" \t")
    escaped = _inline(text)
    escaped = _BLOCK_START.sub(r"\\\1", escaped)
    return _ORDERED.sub(r"\1\\\2", escaped)


def md_inline(value: object) -> MarkdownText:
    """One line of inert Markdown (newlines become spaces)."""
    if isinstance(value, MarkdownText):
        return value
    return MarkdownText(_line(" ".join(clean_line(str(value)).split())))


def md_block(value: object, indent: str = "") -> MarkdownText:
    """Inert Markdown for text with lines and paragraphs.

    Lines of a paragraph are joined by hard breaks (a backslash at the end of the
    line), paragraphs by a blank line; every line after the first starts with
    ``indent`` (``"  "`` inside a list item, ``"> "`` inside a quote).
    """
    if isinstance(value, MarkdownText):
        return value
    text = clean_text(str(value)).replace("\t", " ")
    paragraphs = [p for p in re.split(r"\n[ \t]*\n", text.strip("\n")) if p.strip()]
    blank = indent.rstrip()
    out = []
    for paragraph in paragraphs:
        lines = [_line(line) for line in paragraph.split("\n") if line.strip()]
        out.append(("\\\n" + indent).join(lines))
    return MarkdownText(("\n" + blank + "\n" + indent).join(out))


def md_finalize(value: object) -> object:
    """Jinja ``finalize`` for Markdown templates: every ``{{ value }}`` that is not
    already :class:`MarkdownText` is escaped as one line, so a template cannot
    forget (numbers and dates pass through :func:`md_inline` too)."""
    if value is None:
        return ""
    if isinstance(value, MarkdownText):
        return value
    return md_inline(value)


_SAFE_URL = re.compile(r"https?://[^\s<>\"'`\\\x00-\x1f\x7f]+", re.IGNORECASE)


def md_url(value: object) -> MarkdownText:
    """An http(s) address as a Markdown autolink (``<https://...>``); anything else
    (another scheme, a space or an angle bracket inside) as inert text."""
    text = str(value) if value is not None else ""
    if _SAFE_URL.fullmatch(text):
        return MarkdownText(f"<{text}>")
    return md_inline(text)
