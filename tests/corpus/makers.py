"""Build small document files for the format tests (and the sample corpus) by hand:
a PDF with a text layer, a DOCX, an ODT, feeds, mailboxes. Independent of the readers
under test: plain byte and XML templates."""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape


def _pdf_string(text: str) -> str:
    return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def make_pdf(pages: list[list[str]], info: dict[str, str] | None = None, *, kids_repeat: int = 0,
             extra: str = "") -> bytes:
    """A PDF whose pages hold ``pages`` (lines of text, Helvetica); ``info``: the
    document information (Title, Author, CreationDate). ``kids_repeat``: list the
    first page that many times in the page tree (a huge page count); ``extra``: raw
    text put into the first page's dictionary (hostile structures)."""
    objects: list[str] = []
    n_pages = len(pages)
    # 1 catalog, 2 pages, 3 font, 4 info, then (page, content) pairs
    page_ids = [5 + 2 * i for i in range(n_pages)]
    objects.append("<< /Type /Catalog /Pages 2 0 R >>")
    kids = [f"{p} 0 R" for p in page_ids]
    if kids_repeat:
        kids = [f"{page_ids[0]} 0 R"] * kids_repeat
    objects.append(f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>")
    objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    fields = " ".join(f"/{k} {_pdf_string(v)}" for k, v in (info or {}).items())
    objects.append(f"<< {fields} >>")
    for i, lines in enumerate(pages):
        ops = ["BT", "/F1 11 Tf", "14 TL", "72 760 Td"]
        for line in lines:
            ops.append(f"{_pdf_string(line)} Tj T*")
        ops.append("ET")
        stream = "\n".join(ops)
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {page_ids[i] + 1} 0 R"
                       f" /Resources << /Font << /F1 3 0 R >> >> {extra if i == 0 else ''} >>")
        objects.append(f"<< /Length {len(stream.encode('latin-1'))} >>\nstream\n{stream}\nendstream")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 4 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def make_docx(paragraphs: list[tuple[str, str]], core: dict[str, str] | None = None,
              table: list[list[str]] | None = None) -> bytes:
    """A DOCX: ``paragraphs`` as (style or "", text); ``core``: title, creator, created."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = []
    for style, text in paragraphs:
        ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
        body.append(f"<w:p>{ppr}<w:r><w:t xml:space=\"preserve\">{escape(text)}</w:t></w:r></w:p>")
    if table:
        rows = "".join("<w:tr>" + "".join(f"<w:tc><w:p><w:r><w:t>{escape(c)}</w:t></w:r></w:p></w:tc>" for c in row) + "</w:tr>"
                       for row in table)
        body.append(f"<w:tbl>{rows}</w:tbl>")
    document = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{w}"><w:body>{"".join(body)}</w:body></w:document>'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        zf.writestr("word/document.xml", document)
        if core:
            parts = []
            if "title" in core:
                parts.append(f"<dc:title>{escape(core['title'])}</dc:title>")
            if "creator" in core:
                parts.append(f"<dc:creator>{escape(core['creator'])}</dc:creator>")
            if "created" in core:
                parts.append(f'<dcterms:created xsi:type="dcterms:W3CDTF">{core["created"]}</dcterms:created>')
            zf.writestr("docProps/core.xml", (
                '<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
                ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
                ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' + "".join(parts) + "</cp:coreProperties>"))
    return buf.getvalue()


def make_odt(blocks: list[tuple[str, str]], meta: dict[str, str] | None = None) -> bytes:
    """An ODT: ``blocks`` as ("h1" / "h2" / "p" / "li", text); ``meta``: title, creator, date."""
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/"')
    parts = []
    for kind, text in blocks:
        if kind.startswith("h"):
            parts.append(f'<text:h text:outline-level="{kind[1]}">{escape(text)}</text:h>')
        elif kind == "li":
            parts.append(f"<text:list><text:list-item><text:p>{escape(text)}</text:p></text:list-item></text:list>")
        else:
            parts.append(f"<text:p>{escape(text)}</text:p>")
    content = f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns}><office:body><office:text>{"".join(parts)}</office:text></office:body></office:document-content>'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED)
        zf.writestr("content.xml", content)
        if meta:
            m = "".join(f"<dc:{k}>{escape(v)}</dc:{k}>" for k, v in meta.items() if k in ("title", "creator", "date"))
            zf.writestr("meta.xml", f'<?xml version="1.0"?><office:document-meta {ns}><office:meta>{m}</office:meta></office:document-meta>')
    return buf.getvalue()


def rss(items: list[dict[str, str]], title: str = "Wire") -> bytes:
    out = [f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{escape(title)}</title>']
    for it in items:
        out.append("<item>" + "".join(f"<{k}>{escape(v)}</{k}>" for k, v in it.items()) + "</item>")
    out.append("</channel></rss>")
    return "".join(out).encode("utf-8")


def atom(entries: list[dict[str, str]], title: str = "Blog") -> bytes:
    out = [f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>{escape(title)}</title>']
    for e in entries:
        parts = []
        for k, v in e.items():
            if k == "link":
                parts.append(f'<link rel="alternate" href="{escape(v, {chr(34): "&quot;"})}"/>')
            elif k == "author":
                parts.append(f"<author><name>{escape(v)}</name></author>")
            else:
                parts.append(f"<{k}>{escape(v)}</{k}>")
        out.append("<entry>" + "".join(parts) + "</entry>")
    out.append("</feed>")
    return "".join(out).encode("utf-8")


def eml(subject: str, sender: str, date: str, text: str | None = None, html: str | None = None,
        extra_headers: str = "", attachment: bytes | None = None, message_id: str | None = None) -> bytes:
    """A MIME message; multipart when it has several parts."""
    head = f"From: {sender}\nTo: analyst@example.org\nSubject: {subject}\nDate: {date}\nMIME-Version: 1.0\n"
    if message_id:
        head += f"Message-ID: <{message_id}>\n"
    head += extra_headers
    parts = []
    if text is not None:
        parts.append(f"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n{text}\n")
    if html is not None:
        parts.append(f"Content-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n{html}\n")
    if attachment is not None:
        import base64

        encoded = base64.encodebytes(attachment).decode("ascii")
        parts.append("Content-Type: application/octet-stream\nContent-Disposition: attachment; filename=\"big.bin\"\n"
                     f"Content-Transfer-Encoding: base64\n\n{encoded}")
    if len(parts) == 1 and attachment is None:
        return (head + parts[0]).encode("utf-8")
    boundary = "=-=boundary=-="
    body = "".join(f"--{boundary}\n{p}\n" for p in parts) + f"--{boundary}--\n"
    return (head + f'Content-Type: multipart/mixed; boundary="{boundary}"\n\n' + body).encode("utf-8")


def mbox(messages: list[bytes]) -> bytes:
    out = []
    for m in messages:
        body = b"\n".join((b">" + line) if line.startswith(b"From ") else line for line in m.split(b"\n"))
        out.append(b"From sender@example.org Mon Jan  1 00:00:00 2024\n" + body.rstrip(b"\n") + b"\n\n")
    return b"".join(out)
