"""Step 2, for document files: PDF, Word (``.docx``) and OpenDocument text (``.odt``).

Each reader turns the file's bytes into plain text (paragraphs at blank lines, a
headline as a ``# `` line) and the metadata the file declares (:class:`Known`); the
parser (:mod:`briefing.corpus.parse`) then does what it does for a text file.

Bounds (a hostile file costs at most this; past it the file is refused or cut with a
warning that says so):
- PDF: :data:`MAX_PDF_PAGES` pages read, :data:`MAX_TEXT` characters of text; an
  encrypted PDF that opens with no password is read, any other is refused; a parse
  error, deep nesting (RecursionError) or a broken object table refuses the file.
- DOCX/ODT: read with :mod:`zipfile` and :mod:`defusedxml` (no DTD, no entities, no
  external references), never a whole package: only the main XML part (at most
  :data:`MAX_XML` bytes once inflated, counted while reading, so a lying header does
  not matter) and the small metadata part.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections import Counter
from typing import Any

from briefing.corpus.dates import coerce_date
from briefing.corpus.frontmatter import Known
from briefing.corpus.problems import ArticleError
from briefing.sanitize import clean_line, clean_text

MAX_PDF_PAGES = 2000
MAX_TEXT = 4_000_000  # characters of text taken from one document
MAX_XML = 32 * 1024 * 1024
MAX_META_XML = 1024 * 1024

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_DCTERMS = "{http://purl.org/dc/terms/}"
_CP = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"

_JUNK_TITLE = re.compile(r"(?i)(?:untitled|no title|document\d*|microsoft word - .*|.*\.(?:docx?|pdf|odt|rtf|txt|indd|qxd))")


def _meta_text(value: object, limit: int = 300) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(clean_line(value).split())[:limit]
    return text or None


def _title(value: object) -> str | None:
    text = _meta_text(value)
    if text is None or _JUNK_TITLE.fullmatch(text):
        return None
    return text


# -- PDF ----------------------------------------------------------------------------

_PAGE_NUMBER = re.compile(r"(?i)(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|[-–—]\s*\d{1,4}\s*[-–—]")
_SENTENCE_END = ".!?…:\"'”’)"


def _pdf_date(value: object) -> dt.date | None:
    """A PDF date (``D:20240317093000+01'00'``, or what pypdf made of it)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        m = re.match(r"(?:D:)?(\d{4})(\d{2})(\d{2})", value)
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                return None
    return None


def _furniture(pages: list[list[str]]) -> set[str]:
    """Lines repeated at the top or bottom of many pages (running headers, footers),
    compared with digits masked (so "Page 3" and "Page 4" are one line)."""
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        edge = {_mask(x) for x in lines[:2] + lines[-2:]}
        counts.update(edge)
    # On most pages, and at least three (on a two-page document: on both).
    return {line for line, n in counts.items() if n * 2 > len(pages) and n >= min(3, len(pages))}


def _mask(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split())).casefold()


def _pdf_paragraphs(lines: list[str]) -> list[str]:
    """Layout lines of a page as paragraphs: a word hyphenated at a line end is joined;
    a short line that ends a sentence ends its paragraph."""
    if not lines:
        return []
    width = max(len(x) for x in lines)
    paras: list[str] = []
    cur = ""
    for i, line in enumerate(lines):
        if cur.endswith("-") and len(cur) > 1 and cur[-2].isalpha() and line[:1].islower():
            cur = cur[:-1] + line  # "exam-" + "ple" -> "example"
        else:
            cur = f"{cur} {line}" if cur else line
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        short = len(line) < 0.8 * width
        if short and (line[-1] in _SENTENCE_END or (nxt[:1].isupper() and not line.endswith("-"))):
            paras.append(cur)  # a short line ends its paragraph (or is a heading of its own)
            cur = ""
    if cur:
        paras.append(cur)
    return paras


def read_pdf(data: bytes) -> tuple[str, Known]:
    """The text layer of a PDF as paragraphs, and its metadata. A PDF without any
    text (scanned page images) gives a one-line note in place of the text and a
    warning, so it is listed, not lost."""
    import logging

    try:
        import pypdf
        from pypdf.errors import PdfReadError
    except ImportError as err:  # pragma: no cover - a declared dependency
        raise ArticleError("PDF support is not installed (pypdf); skipped") from err
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    warnings: list[str] = []
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                opened = bool(reader.decrypt(""))
            except Exception:  # noqa: BLE001 - unsupported cipher, missing crypto library
                opened = False
            if not opened:
                raise ArticleError("encrypted PDF (it needs a password); skipped")
            warnings.append("encrypted PDF opened without a password")
        info: Any = reader.metadata or {}
        total = len(reader.pages)
        pages: list[list[str]] = []
        size = 0
        for i in range(min(total, MAX_PDF_PAGES)):
            text = clean_text(reader.pages[i].extract_text() or "")
            lines = [" ".join(x.split()) for x in text.split("\n")]
            pages.append([x for x in lines if x])
            size += len(text)
            if size > MAX_TEXT:
                warnings.append(f"PDF text cut after page {i + 1} of {total} (more than {MAX_TEXT:,} characters)")
                break
        else:
            if total > MAX_PDF_PAGES:
                warnings.append(f"PDF has {total} pages; only the first {MAX_PDF_PAGES} were read")
        title = _title(info.get("/Title"))
        author = _meta_text(info.get("/Author"), 200)
        date = _pdf_date(info.get("/CreationDate")) or _pdf_date(info.get("/ModDate"))
    except ArticleError:
        raise
    except RecursionError as err:
        raise ArticleError("PDF objects nested too deeply (a PDF bomb?); skipped") from err
    except MemoryError as err:
        raise ArticleError("PDF too large to read in memory; skipped") from err
    except (PdfReadError, Exception) as err:  # noqa: BLE001 - pypdf raises many kinds (limits reached, bad objects)
        reason = clean_line(str(err))[:80] if "limit" in str(err).lower() or "maximum" in str(err).lower() else err.__class__.__name__
        raise ArticleError(f"PDF could not be read ({reason}); skipped") from err
    furniture = _furniture(pages)
    paras: list[str] = []
    for lines in pages:
        kept = [x for x in lines if _mask(x) not in furniture and not _PAGE_NUMBER.fullmatch(x)]
        paras.extend(_pdf_paragraphs(kept))
    known = Known(title=title, author=author, date=date, warnings=warnings)
    if not paras:
        known.warnings.append(f"no text layer (scanned pages?): {total} page(s) without text")
        known.title = known.title or "Scanned PDF without a text layer"
        return f"(This PDF has no text layer: {total} page(s), probably scanned images. Open the file itself to read it.)", known
    return "\n\n".join(paras), known


# -- zip-based documents (DOCX, ODT) ---------------------------------------------------


def _zip(data: bytes, what: str) -> zipfile.ZipFile:
    if not data.startswith(b"PK\x03\x04"):
        raise ArticleError(f"not a {what} (no zip archive inside); skipped")
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as err:
        raise ArticleError(f"not a valid {what} (damaged zip archive: {clean_line(str(err))[:80]}); skipped") from err


def _member(zf: zipfile.ZipFile, name: str, what: str, limit: int, required: bool = True) -> bytes | None:
    """A member's bytes, inflated at most to ``limit`` (counted, not trusted from the header)."""
    try:
        info = zf.getinfo(name)
    except KeyError:
        if required:
            raise ArticleError(f"a zip archive without {name}: not a {what}; skipped") from None
        return None
    if info.file_size > limit:
        raise ArticleError(f"{what}: {name} inflates to {info.file_size // (1024 * 1024)} MB (the limit is {limit // (1024 * 1024)} MB); skipped")
    try:
        with zf.open(info) as handle:
            raw = handle.read(limit + 1)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError, ValueError) as err:
        raise ArticleError(f"{what}: {name} cannot be unpacked ({err.__class__.__name__}); skipped") from err
    if len(raw) > limit:
        raise ArticleError(f"{what}: {name} inflates past {limit // (1024 * 1024)} MB (a zip bomb?); skipped")
    return raw


def _xml(raw: bytes, what: str, name: str) -> Any:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    try:
        return fromstring(raw, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as err:
        raise ArticleError(f"{what}: {name} declares a DTD or entities (refused: entity expansion); skipped") from err
    except (ParseError, ValueError) as err:
        raise ArticleError(f"{what}: {name} is not well-formed XML; skipped") from err


def _core_meta(zf: zipfile.ZipFile, what: str, name: str) -> tuple[str | None, str | None, dt.date | None]:
    """(title, author, date) from the Dublin Core part (docProps/core.xml, meta.xml)."""
    try:
        raw = _member(zf, name, what, MAX_META_XML, required=False)
        if raw is None:
            return None, None, None
        root = _xml(raw, what, name)
    except ArticleError:
        return None, None, None  # the metadata is optional: the text still loads
    def first(*tags: str) -> str | None:
        for tag in tags:
            el = root.find(f".//{tag}")
            if el is not None and el.text and el.text.strip():
                return str(el.text)
        return None
    title = _title(first(f"{_DC}title"))
    author = _meta_text(first(f"{_DC}creator", f"{_META}initial-creator"), 200)
    raw_date = first(f"{_DCTERMS}created", f"{_META}creation-date", f"{_DC}date")
    date = coerce_date(raw_date[:10]) if raw_date else None
    return title, author, date


def _collapse(text: str) -> str:
    return " ".join(clean_line(text).split())


def read_docx(data: bytes) -> tuple[str, Known]:
    """A Word document's paragraphs (a ``Title`` styled paragraph as the headline,
    ``Heading`` styles as section headings, table rows as ``cell · cell`` lines)."""
    what = "Word document"
    zf = _zip(data, what)
    with zf:
        root = _xml(_member(zf, "word/document.xml", what, MAX_XML) or b"", what, "word/document.xml")
        title, author, date = _core_meta(zf, what, "docProps/core.xml")
    body = root.find(f"{_W}body")
    if body is None:
        raise ArticleError(f"{what} without a body; skipped")
    out: list[str] = []
    size = 0

    def para_text(p: Any) -> str:
        parts: list[str] = []
        for el in p.iter():
            if el.tag == f"{_W}t" and el.text:
                parts.append(el.text)
            elif el.tag in (f"{_W}tab", f"{_W}br", f"{_W}cr"):
                parts.append(" ")
        return _collapse("".join(parts))

    for child in body:
        if child.tag == f"{_W}p":
            text = para_text(child)
            if not text:
                continue
            style = child.find(f"{_W}pPr/{_W}pStyle")
            name = (style.get(f"{_W}val") or "").lower() if style is not None else ""
            if name in ("title",) and title is None:
                title = text[:300]
                continue
            if name.startswith("heading") or name.startswith("berschrift"):
                text = "## " + text
            out.append(text)
        elif child.tag == f"{_W}tbl":
            for row in child.iter(f"{_W}tr"):
                cells = [" ".join(para_text(p) for p in tc.iter(f"{_W}p")).strip() for tc in row.iter(f"{_W}tc")]
                line = " · ".join(c for c in cells if c)
                if line:
                    out.append(line)
        size += len(out[-1]) if out else 0
        if size > MAX_TEXT:
            break
    if title:
        out.insert(0, "# " + title)
    return "\n\n".join(out), Known(title=title, author=author, date=date)


def read_odt(data: bytes) -> tuple[str, Known]:
    """An OpenDocument text's headings and paragraphs (list items and table rows too)."""
    what = "OpenDocument text"
    zf = _zip(data, what)
    with zf:
        mimetype = _member(zf, "mimetype", what, 1024, required=False)
        if mimetype is not None and not mimetype.strip().startswith(b"application/vnd.oasis.opendocument.text"):
            raise ArticleError(f"not an {what} (mimetype {clean_line(mimetype.decode('ascii', 'replace'))[:60]}); skipped")
        root = _xml(_member(zf, "content.xml", what, MAX_XML) or b"", what, "content.xml")
        title, author, date = _core_meta(zf, what, "meta.xml")
    body = root.find(f"{_OFFICE}body/{_OFFICE}text")
    if body is None:
        raise ArticleError(f"{what} without a text body; skipped")
    out: list[str] = []

    def inline(el: Any) -> str:
        parts = [el.text or ""]
        for sub in el:
            if sub.tag in (f"{_TEXT}s", f"{_TEXT}tab", f"{_TEXT}line-break"):
                parts.append(" ")
            elif sub.tag not in (f"{_TEXT}note", f"{_OFFICE}annotation"):
                parts.append(inline(sub))
            parts.append(sub.tail or "")
        return "".join(parts)

    def walk(el: Any) -> None:
        for child in el:
            if sum(len(x) for x in out) > MAX_TEXT:
                return
            if child.tag == f"{_TEXT}h":
                text = _collapse(inline(child))
                if text:
                    level = child.get(f"{_TEXT}outline-level") or "2"
                    out.append(("# " if level == "1" and not out else "## ") + text)
            elif child.tag == f"{_TEXT}p":
                text = _collapse(inline(child))
                if text:
                    out.append(text)
            elif child.tag == f"{_TABLE}table-row":
                cells = [_collapse(" ".join(inline(p) for p in c.iter(f"{_TEXT}p"))) for c in child]
                line = " · ".join(c for c in cells if c)
                if line:
                    out.append(line)
            else:
                walk(child)

    walk(body)
    if title and not (out and out[0].startswith("# ")):
        out.insert(0, "# " + title)
    return "\n\n".join(out), Known(title=title, author=author, date=date)
