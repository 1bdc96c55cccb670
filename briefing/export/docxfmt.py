"""The Word export (python-docx): real headings, bulleted lists, quotes.

Layout: Title (the briefing title); a small table-free header of "Label: value"
lines; "Contents" (Heading 1) as a numbered list; a Heading 1 per group; a
Heading 2 per item, then its details, "Summary" (bulleted), "Highlights" (Quote
style, comment in italics) and "Notes" (bulleted).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import TYPE_CHECKING

from briefing.export.model import Briefing, Item

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.text.paragraph import Paragraph

# XML 1.0 refuses these even after clean_text (which keeps tab and newline).
_NOT_XML = re.compile("[\ufffe\uffff\ud800-\udfff]")


def _x(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


class _Writer:
    """Adds paragraphs with styles looked up once: python-docx resolves a style by
    name on every paragraph (milliseconds each: 500 items took 20 s), so the style
    id is set on the paragraph's XML directly."""

    def __init__(self, doc: DocxDocument) -> None:
        self.doc = doc
        self._ids: dict[str, str] = {}

    def para(self, text: str = "", style: str | None = None) -> Paragraph:
        paragraph = self.doc.add_paragraph(_x(text))
        if style is not None:
            if style not in self._ids:
                self._ids[style] = self.doc.styles[style].style_id
            paragraph._p.style = self._ids[style]
        return paragraph

    def heading(self, text: str, level: int) -> Paragraph:
        return self.para(text, "Title" if level == 0 else f"Heading {level}")


def _field(doc: _Writer, label: str, value: str) -> None:
    para = doc.para()
    para.add_run(f"{label}: ").bold = True
    para.add_run(_x(value))


def _item(doc: _Writer, item: Item) -> None:
    doc.heading(_x(f"{item.number}. {item.headline}"), level=2)
    _field(doc, "Date", item.date.isoformat() if item.date else "undated")
    if item.source:
        _field(doc, "Source", item.source)
    if item.author:
        _field(doc, "Author", item.author)
    if item.url:
        _field(doc, "URL", item.url)
    _field(doc, "File", item.path)
    if item.tags:
        _field(doc, "Tags", ", ".join(item.tags))
    if item.flagged:
        doc.para().add_run("Flagged for follow-up").bold = True
    if item.text_changed:
        doc.para().add_run("The article's text changed after it was annotated.").italic = True
    if item.sources:
        _field(doc, "Sources", str(len(item.sources)))
        for source in item.sources:
            when = source.date.isoformat() if source.date else "undated"
            outlet = f" ({source.source})" if source.source else ""
            doc.para(_x(f"{when}: {source.headline}{outlet} — {source.id}"), style="List Bullet")
    doc.heading(f"Summary (method: {_x(item.summary_method)})", level=3)
    for sentence in item.summary:
        doc.para(_x(sentence), style="List Bullet")
    if not item.summary:
        doc.para().add_run("No summary.").italic = True
    if item.summary_note:
        doc.para().add_run(_x(item.summary_note)).italic = True
    if item.highlights:
        doc.heading("Highlights", level=3)
        for highlight in item.highlights:
            doc.para(_x(highlight.quote), style="Quote")
            if highlight.note:
                doc.para().add_run(_x(f"— {highlight.note}")).italic = True
            if highlight.by:
                doc.para().add_run(_x(f"highlighted by {highlight.by}")).italic = True
    if item.notes:
        doc.heading("Notes", level=3)
        for note in item.notes:
            doc.para(_x(f"{note.text} ({note.by})" if note.by else note.text), style="List Bullet")


def _at_a_glance(document: DocxDocument, doc: _Writer, briefing: Briefing) -> None:
    """The timeline picture and the items per source (issue 23)."""
    from docx.shared import Inches

    from briefing.export.chart import source_counts, timeline_png

    png = timeline_png(briefing)
    if png:
        document.add_picture(io.BytesIO(png), width=Inches(6))
        if briefing.undated:
            doc.para().add_run(f"Items over time; {briefing.undated} undated, not shown.").italic = True
    rows = source_counts(briefing)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Source", "Items"
    for name, count in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = _x(name), str(count)


def render_docx(briefing: Briefing) -> bytes:
    import docx

    document = docx.Document()
    doc = _Writer(document)
    props = document.core_properties
    props.title = _x(briefing.title)
    props.author = _x(briefing.analyst or "")
    props.last_modified_by = ""
    props.comments = ""
    stamp = dt.datetime.combine(briefing.produced or dt.date(2000, 1, 1), dt.time())
    props.created = props.modified = stamp
    props.revision = 1

    doc.heading(_x(briefing.title), level=0)
    if briefing.window:
        _field(doc, "Date window", briefing.window)
    if briefing.analyst:
        _field(doc, "Analyst", briefing.analyst)
    if briefing.produced:
        _field(doc, "Produced", briefing.produced.isoformat())
    _field(doc, "Items", str(briefing.item_count))
    if briefing.stories:
        _field(doc, "Stories", "one item per story; near-duplicate articles are listed as its sources")
    if briefing.filter:
        _field(doc, "Selection", briefing.filter)
    if not briefing.items:
        doc.para().add_run("No articles match this selection.").italic = True
    else:
        _at_a_glance(document, doc, briefing)
        doc.heading("Contents", level=1)
        for item in briefing.items:
            when = f" ({item.date.isoformat()})" if item.date else ""
            doc.para(_x(f"{item.headline}{when}"), style="List Number")
        for group in briefing.groups:
            doc.heading(_x(group.label), level=1)
            for item in group.items:
                _item(doc, item)
            if group.also:
                doc.para("Shown in full under an earlier tag:")
                for item in group.also:
                    doc.para(_x(f"item {item.number}: {item.headline}"), style="List Bullet")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
