"""The Word export (python-docx): Word's own styles, fields and page furniture.

Layout: the marking line (if any) in the page header and footer of every page, with
``Page N of M`` (PAGE and NUMPAGES fields) in the footer; Title, then one compact
line (analyst, produced, date window, items); "Bottom line", "Key judgments"
(confidence term first, source numbers after) and "Timeline" (Heading 1) for a
composed briefing; "Contents" (TOC Heading) holding a table of contents field whose
shown text is the list of items until Word updates it; a Heading 1 per section
(group) and a Heading 2 per item, kept with the "why it matters" line and the one
compact metadata line that follow it (keep with next); "Summary", story summaries
and differences, "Highlights" (Quote style, the comment labelled "Comment:") and
"Notes" under Heading 3; the numbered "Sources" list; the methods line last.
Only http(s) URLs become hyperlinks.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import TYPE_CHECKING, Any

from briefing.export import present
from briefing.export.model import Briefing, Item
from briefing.export.present import citation, is_link, judgment_lead, meta_parts, methods_line, refs, timeline_days

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.text.paragraph import Paragraph

# XML 1.0 refuses these even after clean_text (which keeps tab and newline).
_NOT_XML = re.compile("[\ufffe\uffff\ud800-\udfff]")


def _x(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_GREY = "555555"
_LINK = "0645AD"

# A run: (text, format) where format holds b (bold), i (italic), s (small), g (grey);
# or ("\x00link", url, text, format) for an http(s) hyperlink.
RunSpec = tuple[str, ...]


class _Writer:
    """Builds the body's paragraphs as XML directly: python-docx's paragraph, run and
    font objects cost about a millisecond each (a 500-item briefing took 11 s of CPU),
    so paragraphs, runs, styles (ids looked up once), keep-with-next, fields and
    hyperlinks are written as WordprocessingML elements here, then read back by
    python-docx like any other."""

    def __init__(self, document: DocxDocument) -> None:
        from lxml import etree

        self.document = document
        self._etree = etree
        self._body = document.element.body
        self._end = self._body.find(f"{_W}sectPr")
        self._ids: dict[str, str] = {}
        self._links: dict[str, str] = {}

    def _style_id(self, name: str) -> str:
        if name not in self._ids:
            self._ids[name] = self.document.styles[name].style_id
        return self._ids[name]

    def _el(self, parent: Any, tag: str, **attrs: str) -> Any:
        element = self._etree.SubElement(parent, f"{_W}{tag}")
        for key, value in attrs.items():
            element.set(f"{_W}{key}", value)
        return element

    def _run(self, parent: Any, text: str, fmt: str = "") -> Any:
        run = self._el(parent, "r")
        if fmt:
            props = self._el(run, "rPr")
            if "b" in fmt:
                self._el(props, "b")
            if "i" in fmt:
                self._el(props, "i")
            if "g" in fmt:
                self._el(props, "color", val=_GREY)
            if "l" in fmt:
                self._el(props, "color", val=_LINK)
                self._el(props, "u", val="single")
            if "s" in fmt:
                self._el(props, "sz", val="17")
        for i, line in enumerate(_x(text).split("\n")):
            if i:
                self._el(run, "br")
            for j, piece in enumerate(line.split("\t")):
                if j:
                    self._el(run, "tab")
                if piece:
                    t = self._el(run, "t")
                    t.text = piece
                    t.set(_XML_SPACE, "preserve")
        return run

    def link_id(self, url: str) -> str:
        if url not in self._links:
            from docx.opc.constants import RELATIONSHIP_TYPE

            self._links[url] = self.document.part.relate_to(_x(url), RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        return self._links[url]

    def para(self, text: str = "", style: str | None = None, *, runs: list[RunSpec] | None = None, keep: bool = False) -> Any:
        """A paragraph of ``text`` (or of ``runs``) in ``style``; ``keep``: kept with the next one."""
        p = self._etree.Element(f"{_W}p")
        if self._end is not None:
            self._end.addprevious(p)
        else:
            self._body.append(p)
        if style is not None or keep:
            props = self._el(p, "pPr")
            if style is not None:
                self._el(props, "pStyle", val=self._style_id(style))
            if keep:
                self._el(props, "keepNext")
        if text:
            self._run(p, text)
        for spec in runs or ():
            if spec[0] == "\x00link":
                _, url, shown, fmt = spec
                link = self._el(p, "hyperlink")
                link.set(_R_ID, self.link_id(url))
                self._run(link, shown, fmt + "l")
            else:
                self._run(p, spec[0], spec[1] if len(spec) > 1 else "")
        return p

    def heading(self, text: str, level: int, keep: bool = False) -> Any:
        return self.para(text, "Title" if level == 0 else f"Heading {level}", keep=keep)

    def field(self, label: str, value: str) -> None:
        self.para(runs=[(f"{label}: ", "b"), (value, "")])

    def complex_field(self, first: Any, last: Any, instruction: str) -> None:
        """A field (begin, instruction, separate ... end) whose shown text runs from
        paragraph ``first`` to ``last``; marked dirty so Word offers to update it."""
        runs = []
        for kind in ("begin", "instr", "separate"):
            run = self._etree.Element(f"{_W}r")
            if kind == "instr":
                instr = self._el(run, "instrText")
                instr.set(_XML_SPACE, "preserve")
                instr.text = f" {instruction} "
            else:
                char = self._el(run, "fldChar", fldCharType=kind)
                if kind == "begin":
                    char.set(f"{_W}dirty", "true")
            runs.append(run)
        props = first.find(f"{_W}pPr")
        position = 1 if props is not None else 0
        for offset, run in enumerate(runs):
            first.insert(position + offset, run)
        end = self._el(last, "r")
        self._el(end, "fldChar", fldCharType="end")


def _simple_field(paragraph: Paragraph, instruction: str, shown: str) -> None:
    """A simple field (PAGE, NUMPAGES) with ``shown`` as its last computed text."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {instruction} ")
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "17")
    props.append(size)
    run.append(props)
    t = OxmlElement("w:t")
    t.text = shown
    run.append(t)
    field.append(run)
    paragraph._p.append(field)


def _furniture(document: DocxDocument, marking: str) -> None:
    """The marking in the header and footer of every page; page numbers in the footer."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    section = document.sections[0]
    if marking:
        head = section.header.paragraphs[0]
        head.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = head.add_run(_x(marking))
        run.bold, run.font.size = True, Pt(8.5)
    foot = section.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if marking:
        run = foot.add_run(_x(marking))
        run.bold, run.font.size = True, Pt(8.5)
        foot = section.footer.add_paragraph()
        foot.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    foot.add_run("Page ").font.size = Pt(8.5)
    _simple_field(foot, "PAGE", "1")
    foot.add_run(" of ").font.size = Pt(8.5)
    _simple_field(foot, "NUMPAGES", "1")


def _meta(doc: _Writer, item: Item) -> None:
    """The item's one compact metadata line (outlet · author · date · URL · file · tags)."""
    runs: list[RunSpec] = []
    for kind, text in meta_parts(item):
        if runs:
            runs.append((" · ", "sg"))
        if kind == "url" and is_link(text):
            runs.append(("\x00link", text.strip(), text, "s"))
        else:
            runs.append((text, "sgb" if kind == "flag" else "sg"))
    if item.cite:
        runs.append((f" · source [{item.cite}]", "sg"))
    if item.tags:
        runs.append((" · Tags: " + ", ".join(item.tags), "sg"))
    doc.para(runs=runs, keep=True)


def _item(doc: _Writer, item: Item) -> None:
    doc.heading(f"{item.number}. {item.headline}", level=2, keep=True)
    if item.why:
        doc.para(runs=[("Why it matters: ", "b"), (item.why, "")], keep=True)
    _meta(doc, item)
    if item.text_changed:
        doc.para(runs=[("The article's text changed after it was annotated.", "i")])
    if item.sources:
        doc.field("Sources", str(len(item.sources)))
        for source in item.sources:
            when = source.date.isoformat() if source.date else "undated"
            outlet = f" ({source.source})" if source.source else ""
            doc.para(f"{when}: {source.headline}{outlet} — {source.id}", style="List Bullet")
    if item.story_summary:
        doc.heading("Across the versions", level=3)
        for sentence in item.story_summary:
            doc.para(sentence, style="List Bullet")
    if item.differences:
        doc.heading("How the versions differ", level=3)
        for sentence in item.differences:
            doc.para(sentence, style="List Bullet")
    if item.summary or not item.story_summary:
        doc.heading("Summary", level=3)
        for sentence in item.summary:
            doc.para(sentence, style="List Bullet")
        if not item.summary:
            doc.para(runs=[("No summary.", "i")])
    if item.summary_note:
        doc.para(runs=[(item.summary_note, "i")])
    if item.highlights:
        doc.heading("Highlights", level=3)
        for highlight in item.highlights:
            doc.para(highlight.quote, style="Quote", keep=bool(highlight.note or highlight.by))
            if highlight.note:
                doc.para(runs=[("Comment: ", "b"), (highlight.note, "i")])
            if highlight.by:
                doc.para(runs=[(f"highlighted by {highlight.by}", "i")])
    if item.notes:
        doc.heading("Notes", level=3)
        for note in item.notes:
            doc.para(f"{note.text} ({note.by})" if note.by else note.text, style="List Bullet")


def _judgments(doc: _Writer, briefing: Briefing) -> None:
    doc.heading("Key judgments", level=1, keep=True)
    for number, judgment in enumerate(briefing.judgments, 1):
        # numbered in the text: Word's "List Number" would continue into the contents list
        runs: list[RunSpec] = [(f"{number}. ", "b")]
        lead = judgment_lead(judgment)
        if lead:
            runs.append((f"{lead}: ", "b"))
        runs.append((judgment.text, ""))
        if judgment.cites:
            runs.append((f" {refs(judgment.cites)}", ""))
        doc.para(runs=runs, keep=bool(judgment.highlights))
        for quote in judgment.highlights:
            doc.para(quote, style="Quote")
    if briefing.scale:
        doc.para(runs=[(f"Confidence terms: {briefing.scale}.", "sg")])


def _sources(doc: _Writer, briefing: Briefing) -> None:
    doc.heading("Sources", level=1, keep=True)
    for cited in briefing.cited:
        runs: list[RunSpec] = [(f"[{cited.number}] ", "b"), (citation(cited), "")]
        if cited.url:
            runs.append((" ", ""))
            runs.append(("\x00link", cited.url.strip(), cited.url, "") if is_link(cited.url) else (cited.url, ""))
        runs.append((f" File: {cited.id}", "sg"))
        doc.para(runs=runs)


def _timeline(doc: _Writer, briefing: Briefing) -> None:
    # TIMELINE CHART (issue 23): the picture from briefing.export.present.timeline_png,
    # then the items per source.
    from briefing.export.chart import source_counts

    if briefing.timeline:
        doc.heading("Timeline", level=1, keep=True)
    image = present.timeline_png(briefing) if briefing.timeline else None
    if image is not None:
        from docx.shared import Mm

        doc.document.add_picture(io.BytesIO(image), width=Mm(160))
        if briefing.undated:
            doc.para(runs=[(f"Items over time; {briefing.undated} undated, not shown.", "i")])
    elif briefing.timeline:
        doc.para(f"Items per day: {timeline_days(briefing)}")
    rows = source_counts(briefing)
    if rows:
        table = doc.document.add_table(rows=1, cols=2)
        table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Source", "Items"
        for name, count in rows:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = _x(name), str(count)


def render_docx(briefing: Briefing) -> bytes:
    import docx

    document = docx.Document()
    props = document.core_properties
    props.title = _x(briefing.title)
    props.author = _x(briefing.analyst or "")
    props.last_modified_by = ""
    props.comments = ""
    stamp = dt.datetime.combine(briefing.produced or dt.date(2000, 1, 1), dt.time())
    props.created = props.modified = stamp
    props.revision = 1
    _furniture(document, briefing.marking.strip())
    doc = _Writer(document)

    doc.heading(briefing.title, level=0)
    header: list[RunSpec] = []
    fields = [("Analyst", briefing.analyst), ("Produced", briefing.produced.isoformat() if briefing.produced else None),
              ("Date window", briefing.window), ("Items", str(briefing.item_count))]
    for label, value in fields:
        if value:
            if header:
                header.append((" · ", ""))
            header += [(f"{label}: ", "b"), (value, "")]
    doc.para(runs=header)
    if briefing.stories:
        doc.field("Stories", "one item per story; near-duplicate articles are listed as its sources")
    if briefing.filter:
        doc.field("Selection", briefing.filter)
    if briefing.bluf.strip():
        doc.heading("Bottom line", level=1, keep=True)
        for para in (p for p in briefing.bluf.split("\n") if p.strip()):
            doc.para(para)
    if briefing.judgments:
        _judgments(doc, briefing)
    if briefing.timeline or briefing.items:
        _timeline(doc, briefing)
    if not briefing.items:
        doc.para(runs=[("No articles match this selection.", "i")])
    else:
        doc.para("Contents", style="TOC Heading", keep=True)
        entries = []
        for item in briefing.items:
            when = f" ({item.date.isoformat()})" if item.date else ""
            entries.append(doc.para(f"{item.headline}{when}", style="List Number"))
        # a table of contents field (sections and items); until Word updates it, it shows the list above
        doc.complex_field(entries[0], entries[-1], 'TOC \\o "1-2" \\h \\z \\u')
        for group in briefing.groups:
            doc.heading(group.label, level=1, keep=True)
            for item in group.items:
                _item(doc, item)
            if group.also:
                doc.para("Shown in full under an earlier tag:")
                for item in group.also:
                    doc.para(f"item {item.number}: {item.headline}", style="List Bullet")
    if briefing.cited:
        _sources(doc, briefing)
    methods = methods_line(briefing)
    if methods:
        doc.para(runs=[(f"Method: {methods}", "sg")])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
