"""Read and write annotation files: a guarded YAML reader and a deterministic writer.

Reading never builds Python objects from YAML tags. The text is walked as a stream
of parser events (libyaml when available) and turned into a small node tree, so:

- tags (``!!python/object/apply:os.system`` and every other) are refused, except the
  harmless ``!!str``, ``!!map``, ``!!seq`` and ``!``;
- anchors and aliases are refused outright (no billion laughs);
- nesting deeper than :data:`MAX_DEPTH` stops the walk at once (a 50,000-deep file
  gives an error, not a RecursionError);
- duplicate keys, several documents, non-UTF-8 bytes and files over :data:`MAX_BYTES`
  are refused;
- every scalar is text: a plain ``no``, ``on``, ``0123`` or ``2023-11-06`` stays the
  string written; only a plain ``~``/``null``/empty value means "nothing".

Every refusal is a :class:`~briefing.annotations.schema.SchemaError` with a 1-based
line number.

Writing is deterministic: a header comment, sorted article ids, one value a line,
every value double-quoted (with escapes for anything unusual) except multi-line
prose, which goes in a literal block scalar.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import re
from collections.abc import Iterator

from briefing import yamlsafe
from briefing.annotations.schema import VERSION as VERSION  # re-exported: the format version the writer puts in every file
from briefing.annotations.schema import (
    AnnotationDoc,
    ArticleNotes,
    SchemaError,
    doc_from_node,
)
from briefing.yamlsafe import Node
from briefing.yamlsafe import quote as quote  # the scalar writer lives with the safe loader

MAX_DEPTH = yamlsafe.MAX_DEPTH  # an annotation file needs 6
MAX_BYTES = 256 * 1024 * 1024


HEADER = """\
# briefing annotations for the articles in this folder.
#
# Written by briefing; you may edit it by hand and keep it in git. Keys under
# "articles" are article ids: file paths relative to this folder, "/"-separated.
#   fingerprint  sha256 of the article text when last annotated (flags changed files
#                and lets an annotation follow a renamed file)
#   read, flagged, dismissed   true when set (each independent; absent = false)
#   summary      the summary method and length the analyst chose for the article
#   tags, notes (at, by, text), highlights (quote, note, by, at)
#   private      on a note or a highlight: its text (a highlight's comment) never goes
#                into an export unless asked for (--include-private)
#   auto_tags    tags a watchlist (watchlists.yaml) applied; removed_auto_tags: the
#                automatic tags taken off the article, never applied to it again
#   date, title  the analyst's corrections of the article's date and title
#   lang         the analyst's language for the article (ISO 639-1), over the detected one
#   changed      who last changed the status (read/flagged/dismissed), date, title
#   conflicts    values two saves or a git merge disagreed on: the field keeps
#                "kept" (ours); "other" (theirs) would otherwise have been lost;
#                "base" is what both started from. Resolve in the reader (key !)
#                or by editing the field and deleting the entry.
# Every value is quoted text, so a tag like "no" or "1e3" stays exactly as typed.
# "version" comes last so that a file cut short is noticed, never half-read.
# Comments other than this header are not kept when briefing saves the file.
"""


def decode(data: bytes) -> str:
    """UTF-8 text (a BOM is allowed), or SchemaError naming the line of the first bad byte."""
    if len(data) > MAX_BYTES:
        raise SchemaError(1, f"the file is too large ({len(data)} bytes; the limit is {MAX_BYTES})")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SchemaError(line, f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})") from None


def parse(text: str) -> Node | None:
    """Parse YAML text into a node tree (see :mod:`briefing.yamlsafe`); None for a
    document with no content. Refusals come back as SchemaError with the line."""
    try:
        return yamlsafe.parse(text)
    except yamlsafe.YamlError as exc:
        raise SchemaError(exc.line, exc.message) from None


def load(data: bytes, *, newer_ok: bool = False, passed_over: list[str] | None = None) -> AnnotationDoc:
    """Bytes of an annotation file -> document, or SchemaError with the line
    (``newer_ok``, ``passed_over``: see :func:`~briefing.annotations.schema.doc_from_node`)."""
    with collector_paused(len(data) >= PAUSE_GC_FROM):
        return doc_from_node(parse(decode(data)), newer_ok=newer_ok, passed_over=passed_over)


# A whole parse makes millions of objects, none in a reference cycle; the cyclic
# garbage collector, run every 700 allocations, walks the growing tree again and
# again: 4 s of a 100,000-entry file's 6.7 s parse (Python 3.11). Paused meanwhile.
PAUSE_GC_FROM = 1024 * 1024


@contextlib.contextmanager
def collector_paused(pause: bool = True) -> Iterator[None]:
    """Run the body with the cyclic garbage collector off (when ``pause``), then turn
    it back on if it was on. Reference counting still frees everything the body
    drops; only cycles wait. The collector is per process: another thread's work
    meanwhile is not collected either, which only delays freeing its cycles."""
    if not pause or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


# --------------------------------------------------------------------------- writing

# Characters that rule out a literal block: anything escaped above except newline.
_BLOCK_UNSAFE = re.compile("[^\n\x20-\x7e\xa1-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029]")


def block_ok(text: str) -> bool:
    if "\n" not in text or _BLOCK_UNSAFE.search(text):
        return False
    if text[0] in " \n" or text.endswith("\n\n") or text.rstrip("\n") == "":
        return False
    # Trailing blanks on a line are fragile (editors strip them); quote instead.
    return not any(line.endswith(" ") for line in text.split("\n"))


def scalar(text: str, indent: int) -> str:
    """The value part of ``key: value`` for ``text``: a literal block for multi-line
    prose, a double-quoted string otherwise. ``indent`` is the key's column."""
    if not block_ok(text):
        return quote(text)
    chomp = "" if text.endswith("\n") else "-"
    pad = " " * (indent + 2)
    body = text[:-1] if text.endswith("\n") else text
    lines = [pad + line if line else "" for line in body.split("\n")]
    return f"|{chomp}\n" + "\n".join(lines)


def _opt(value: str | None) -> str:
    return "~" if value is None else quote(value)


def article_lines(article_id: str, a: ArticleNotes) -> list[str]:
    key = quote(article_id)
    # YAML limits implicit keys to 1024 characters; longer ids use an explicit key.
    out = [f"  {key}:"] if len(key) <= 1000 else [f"  ? {key}", "  :"]
    if a.fingerprint is not None:
        out.append(f"    fingerprint: {quote(a.fingerprint)}")
    for name, on in (("read", a.read), ("flagged", a.flagged), ("dismissed", a.dismissed)):
        if on:
            out.append(f"    {name}: true")
    if a.summary is not None:
        out.append("    summary:")
        out.append(f"      method: {quote(a.summary[0])}")
        out.append(f"      length: {a.summary[1]}")
    if a.title is not None:
        out.append(f"    title: {scalar(a.title, 4)}")
    if a.date is not None:
        out.append(f"    date: {quote(a.date.isoformat())}")
    if a.lang is not None:
        out.append(f"    lang: {quote(a.lang)}")
    if a.tags:
        out.append("    tags:")
        out.extend(f"      - {quote(t)}" for t in a.tags)
    for name, values in (("auto_tags", a.auto_tags), ("removed_auto_tags", a.removed_auto_tags)):
        if values:
            out.append(f"    {name}:")
            out.extend(f"      - {quote(t)}" for t in values)
    if a.notes:
        out.append("    notes:")
        for n in a.notes:
            lead = "      - "
            if n.at:
                out.append(f"{lead}at: {quote(n.at)}")
                lead = "        "
            if n.by:
                out.append(f"{lead}by: {quote(n.by)}")
                lead = "        "
            out.append(f"{lead}text: {scalar(n.text, 8)}")
            if n.private:
                out.append("        private: true")
    if a.highlights:
        out.append("    highlights:")
        for h in a.highlights:
            out.append(f"      - quote: {scalar(h.quote, 8)}")
            if h.note:
                out.append(f"        note: {scalar(h.note, 8)}")
            if h.by:
                out.append(f"        by: {quote(h.by)}")
            if h.at:
                out.append(f"        at: {quote(h.at)}")
            if h.occurrence != 1:
                out.append(f"        occurrence: {h.occurrence}")
            if h.private:
                out.append("        private: true")
    if a.conflicts:
        out.append("    conflicts:")
        for c in a.conflicts:
            out.append(f"      - field: {quote(c.field)}")
            out.append(f"        kept: {_opt(c.kept)}")
            out.append(f"        other: {_opt(c.other)}")
            if c.base is not None:
                out.append(f"        base: {quote(c.base)}")
            for name, value in (("kept_by", c.kept_by), ("other_by", c.other_by), ("by", c.by), ("at", c.at)):
                if value:
                    out.append(f"        {name}: {quote(value)}")
    if a.changed:
        out.append("    changed:")
        for s in a.changed:
            at = f", at: {quote(s.at)}" if s.at else ""
            out.append(f"      {s.field}: {{by: {quote(s.by)}{at}}}")
    return out


def dump(doc: AnnotationDoc) -> str:
    """The file text for ``doc``: the same document always gives the same text."""
    lines = [HEADER.rstrip("\n")]
    if not doc.articles:
        lines.append("articles: {}")
    else:
        lines.append("articles:")
        for article_id in sorted(doc.articles):
            lines.extend(article_lines(article_id, doc.articles[article_id]))
    # Last on purpose: a file cut short anywhere lacks it and is refused.
    lines.append(f"version: {VERSION}")
    return "\n".join(lines) + "\n"


def dumps_bytes(doc: AnnotationDoc) -> bytes:
    """``dump(doc)`` as UTF-8 (for a document read from an indexed file,
    :func:`briefing.annotations.indexed.document_bytes` makes the same bytes faster)."""
    return dump(doc).encode("utf-8")


def utc_now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def next_second(stamp: str) -> str:
    """``stamp`` (ISO 8601 UTC, as :func:`utc_now` writes it) one second later;
    a hand-written stamp that does not parse gets a suffix instead."""
    try:
        when = dt.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return stamp + "+"
    return (when + dt.timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
