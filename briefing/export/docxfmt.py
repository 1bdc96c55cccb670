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

from briefing.export.model import Briefing, Item

# XML 1.0 refuses these even after clean_text (which keeps tab and newline).
_NOT_XML = re.compile("[\ufffe\uffff\ud800-\udfff]")


def _x(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _field(doc, label: str, value: str) -> None:
    para = doc.add_paragraph()
    para.add_run(f"{label}: ").bold = True
    para.add_run(_x(value))


def _item(doc, item: Item) -> None:
    doc.add_heading(_x(f"{item.number}. {item.headline}"), level=2)
    _field(doc, "Date", item.date.isoformat() if item.date else "undated")
    if item.source:
        _field(doc, "Source", item.source)
    if item.author:
        _field(doc, "Author", item.author)
    _field(doc, "File", item.path)
    if item.tags:
        _field(doc, "Tags", ", ".join(item.tags))
    if item.flagged:
        doc.add_paragraph().add_run("Flagged for follow-up").bold = True
    if item.text_changed:
        doc.add_paragraph().add_run("The article's text changed after it was annotated.").italic = True
    doc.add_heading(f"Summary (method: {_x(item.summary_method)})", level=3)
    for sentence in item.summary:
        doc.add_paragraph(_x(sentence), style="List Bullet")
    if not item.summary:
        doc.add_paragraph().add_run("No summary.").italic = True
    if item.summary_note:
        doc.add_paragraph().add_run(_x(item.summary_note)).italic = True
    if item.highlights:
        doc.add_heading("Highlights", level=3)
        for highlight in item.highlights:
            doc.add_paragraph(_x(highlight.quote), style="Quote")
            if highlight.note:
                doc.add_paragraph().add_run(_x(f"— {highlight.note}")).italic = True
    if item.notes:
        doc.add_heading("Notes", level=3)
        for note in item.notes:
            doc.add_paragraph(_x(note.text), style="List Bullet")


def render_docx(briefing: Briefing) -> bytes:
    import docx

    doc = docx.Document()
    props = doc.core_properties
    props.title = _x(briefing.title)
    props.author = _x(briefing.analyst or "")
    props.last_modified_by = ""
    props.comments = ""
    stamp = dt.datetime.combine(briefing.produced or dt.date(2000, 1, 1), dt.time())
    props.created = props.modified = stamp
    props.revision = 1

    doc.add_heading(_x(briefing.title), level=0)
    if briefing.window:
        _field(doc, "Date window", briefing.window)
    if briefing.analyst:
        _field(doc, "Analyst", briefing.analyst)
    if briefing.produced:
        _field(doc, "Produced", briefing.produced.isoformat())
    _field(doc, "Items", str(briefing.item_count))
    if briefing.filter:
        _field(doc, "Selection", briefing.filter)
    if not briefing.items:
        doc.add_paragraph().add_run("No articles match this selection.").italic = True
    else:
        doc.add_heading("Contents", level=1)
        for item in briefing.items:
            when = f" ({item.date.isoformat()})" if item.date else ""
            doc.add_paragraph(_x(f"{item.headline}{when}"), style="List Number")
        for group in briefing.groups:
            doc.add_heading(_x(group.label), level=1)
            for item in group.items:
                _item(doc, item)
            if group.also:
                doc.add_paragraph("Shown in full under an earlier tag:")
                for item in group.also:
                    doc.add_paragraph(_x(f"item {item.number}: {item.headline}"), style="List Bullet")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
