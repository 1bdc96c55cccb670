"""The PDF export (fpdf2): a printable briefing with embedded fonts.

Layout: the marking line at the top and bottom of every page, ``Page N of M`` in the
footer; title and a one-line header (analyst, produced, date window, items); the
bottom line, key judgments (confidence term first, then the source numbers), the
timeline, one heading per section (group) and per item, each item with its "why it
matters" line, a compact metadata line (outlet, author, date, URL, file), summary,
story summary and differences, highlights with the analyst's comments, notes; the
numbered source list; the methods appendix line. The outline (bookmarks) lists the
parts, sections and items.

Decisions:
- Font: DejaVu Sans (Latin, Greek, Cyrillic), embedded as a subset. The TTF files come
  from matplotlib's package data (``matplotlib/mpl-data/fonts/ttf``, located without
  importing matplotlib), else from the system's DejaVu folder; without either the
  export fails with a message saying what to install.
- Links: only an http(s) URL becomes a link annotation; every other address is text.
  All text goes through fpdf2's string encoding (never raw PDF syntax) and no
  Markdown/HTML interpretation (``markdown=False``).
- A heading is never the last line of a page: before placing a heading, the room for
  the heading and the first lines after it is checked, and a new page starts if it
  does not fit.
- Reproducible: the creation date is the produced date (else 2000-01-01), the
  producer is fixed, so the same briefing gives the same bytes.
- No contents list: the outline (bookmarks) does that job in a PDF viewer.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefing.export import fonts, present
from briefing.export.model import Briefing, Item
from briefing.export.present import (
    citation,
    is_link,
    judgment_lead,
    meta_parts,
    methods_line,
    refs,
    timeline_days,
)
from briefing.papers import PAPERS

if TYPE_CHECKING:
    from fpdf import FPDF

FONT = "DejaVu"
# The page total placeholder: fpdf2 replaces it in every page's content, so it must not
# be something an article could contain by chance ("{nb}" is fpdf2's default).
_TOTAL = "{briefing:total-pages}"
MARKING_LINES = 4  # at most this many lines of marking at the top and bottom of a page

BODY = 10.0  # pt
SMALL = 8.5
LINE = 5.0  # mm per body line
SMALL_LINE = 4.2
GREY = (80, 80, 80)
BLACK = (20, 20, 20)
LINK = (6, 69, 173)


class PdfProblem(Exception):
    """The PDF cannot be made (no font files); the message says what to install."""


def font_dir() -> Path:
    """The folder holding the DejaVu Sans TTF files."""
    try:
        return fonts.font_dir()
    except fonts.FontsMissing as exc:
        raise PdfProblem(f"PDF export needs {exc}") from exc


def _make_pdf_class() -> Any:  # an FPDF subclass with a ``marking`` class attribute
    from fpdf import FPDF

    class BriefingPDF(FPDF):
        marking_lines: list[str] = []  # the handling line, printed at the top and bottom of every page

        def header(self) -> None:
            self._centred(8.0)

        def footer(self) -> None:
            y = self._centred(self.h - 8.0 - (len(self.marking_lines) + 1) * SMALL_LINE)
            self.set_font(FONT, "", SMALL)
            self.set_xy(self.l_margin, y)
            self.cell(0, SMALL_LINE, f"Page {self.page_no()} of {_TOTAL}", align="R")  # cell(): fpdf2 fills in the total

        def _centred(self, y: float) -> float:
            """The marking centred in small bold lines from ``y`` (top); returns the next y."""
            self.set_font(FONT, "B", SMALL)
            self.set_text_color(*BLACK)
            width = self.w - self.l_margin - self.r_margin
            for line in self.marking_lines:
                self.text(self.l_margin + max(0.0, (width - self.get_string_width(line)) / 2), y + SMALL_LINE * 0.75, line)
                y += SMALL_LINE
            return y

    return BriefingPDF


class _Writer:
    """Lays the text out itself: fpdf2's own line breaking (multi_cell/write) measures
    each line character by character (a 500-item briefing took about a minute); here
    words are measured once (cached) and each line is placed with ``text()``. The
    writer keeps its own cursor ``y`` (top of the next line) and breaks pages itself,
    so it knows where every line goes before placing it."""

    def __init__(self, pdf: FPDF, top: float, bottom: float) -> None:
        self.pdf = pdf
        self.top = top  # first line's top on a page
        self.bottom = bottom  # no line may end below this
        self.y = top
        self.left = pdf.l_margin
        self.width = pdf.w - pdf.l_margin - pdf.r_margin
        self._style = ("", BODY)  # what the PDF was last told (reset by forget())
        self._want = ("", BODY)  # the font the text is in: measures and baselines use it
        self._want_color: tuple[int, int, int] = BLACK
        self._widths: dict[tuple[str, float, str], float] = {}
        self._color: tuple[int, int, int] = BLACK

    # -- primitives ------------------------------------------------------------
    def font(self, style: str = "", size: float = BODY, color: tuple[int, int, int] = BLACK) -> None:
        self._want, self._want_color = (style, size), color
        if self._style != (style, size):
            self.pdf.set_font(FONT, style, size)
            self._style = (style, size)
        if self._color != color:
            self.pdf.set_text_color(*color)
            self._color = color

    def measure(self, word: str) -> float:
        style, size = self._want
        key = (style, size, word)
        found = self._widths.get(key)
        if found is None:
            font = self.pdf.current_font
            assert font is not None
            found = font.get_text_width(word, size, None)[1] / self.pdf.k
            self._widths[key] = found
        return found

    def wrap(self, text: str, width: float) -> list[str]:
        """``text`` in lines no wider than ``width`` mm (its own line breaks kept;
        a word wider than a line is cut)."""
        lines: list[str] = []
        space = self.measure(" ")
        for paragraph in text.split("\n"):
            current: list[str] = []
            used = 0.0
            for word in paragraph.split(" "):
                w = self.measure(word) if word else 0.0
                if current and used + space + w > width:
                    lines.append(" ".join(current))
                    current, used = [], 0.0
                while w > width and len(word) > 1:  # a very long word: cut it
                    lo, hi = 1, len(word)
                    while lo < hi:
                        mid = (lo + hi + 1) // 2
                        if self.measure(word[:mid]) <= width:
                            lo = mid
                        else:
                            hi = mid - 1
                    lines.append(word[:lo])
                    word = word[lo:]
                    w = self.measure(word)
                current.append(word)
                used = w if len(current) == 1 else used + space + w
            lines.append(" ".join(current))
        return lines

    def new_page(self) -> None:
        self.pdf.add_page()
        self.y = self.top
        self.forget()  # the header and footer set fonts of their own: ours again, at once
        self.font(*self._want, color=self._want_color)

    def forget(self) -> None:
        """The page header and footer set fonts and colours of their own: set ours again."""
        self._style = ("", -1.0)
        self._color = (-1, -1, -1)

    def room(self, needed: float) -> None:
        """Start a new page unless ``needed`` mm fit below the cursor."""
        if self.y + needed > self.bottom and self.y > self.top + 0.1:
            self.new_page()

    def lines(self, lines: list[str], line: float, indent: float = 0.0, link: str | None = None) -> None:
        size_mm = self._want[1] * 0.3528
        for text in lines:
            if self.y + line > self.bottom:
                self.new_page()
            x = self.left + indent
            baseline = self.y + (line + size_mm * 0.7) / 2
            if text:
                self.pdf.text(x, baseline, text)
                if link:
                    self.pdf.link(x, self.y, self.measure(text), line, link)
            self.y += line

    def text(self, text: str, style: str = "", size: float = BODY, line: float = LINE, indent: float = 0.0,
             color: tuple[int, int, int] = BLACK, link: str | None = None) -> None:
        self.font(style, size, color)
        self.lines(self.wrap(text, self.width - indent), line, indent, link)

    def runs(self, parts: list[tuple[str, str, tuple[int, int, int], str | None]], size: float, line: float, indent: float = 0.0) -> None:
        """Mixed styles on flowing lines: ``parts`` of (text, style, color, link).
        Words are laid out one by one, then each line is drawn as few strings as
        its style changes allow."""
        left = self.left + indent
        right = self.left + self.width
        rows: list[list[tuple[float, str, str, tuple[int, int, int], str | None]]] = [[]]
        x = left
        for text, style, color, link in parts:
            self.font(style, size, color)
            space = self.measure(" ")
            for word in text.split(" "):
                if not word:
                    continue
                for chunk in (self.wrap(word, self.width - indent) if self.measure(word) > self.width - indent else [word]):
                    if rows[-1]:
                        x += space
                    w = self.measure(chunk)
                    if x + w > right and rows[-1]:
                        rows.append([])
                        x = left
                    rows[-1].append((x, chunk, style, color, link))
                    x += w
        size_mm = size * 0.3528
        for row in rows:
            if self.y + line > self.bottom:
                self.new_page()
            baseline = self.y + (line + size_mm * 0.7) / 2
            i = 0
            while i < len(row):
                x0, text, style, color, link = row[i]
                j = i + 1
                while j < len(row) and row[j][2:] == (style, color, link):
                    text += " " + row[j][1]
                    j += 1
                self.font(style, size, color)
                self.pdf.text(x0, baseline, text)
                if link:
                    self.pdf.link(x0, self.y, self.measure(text), line, link)
                i = j
            self.y += line

    def bullet(self, text: str, indent: float = 0.0, mark: str = "•", style: str = "", hang: float = 5.0) -> None:
        self.font(style)
        lines = self.wrap(text, self.width - indent - hang)
        if self.y + LINE > self.bottom:
            self.new_page()
        self.pdf.text(self.left + indent + 1, self.y + (LINE + BODY * 0.3528 * 0.7) / 2, mark)
        self.lines(lines, LINE, indent + hang)

    def gap(self, mm: float) -> None:
        if self.y > self.top + 0.1:
            self.y += mm

    def heading(self, text: str, level: int, follow: float = 3 * LINE) -> None:
        """A heading with ``follow`` mm of what comes after it kept on its page."""
        size = {0: 18.0, 1: 14.0, 2: 11.5, 3: BODY}[level]
        line = {0: 8.0, 1: 6.5, 2: 5.6, 3: LINE}[level]
        before = {0: 0.0, 1: 5.0, 2: 4.0, 3: 2.0}[level]
        self.font("B", size)
        lines = self.wrap(text, self.width)
        self.room(before + len(lines) * line + 1.0 + follow)
        self.gap(before)
        if level in (1, 2):
            self.pdf.set_y(self.y)
            self.pdf.start_section(text[:200], level=level - 1, strict=False)
        self.lines(lines, line)
        self.y += 1.0

    def label(self, text: str) -> None:
        """A small bold label ("Summary") kept with two lines of what follows."""
        self.room(1.5 + 3 * LINE)
        self.gap(1.5)
        self.text(text, style="B")

    # -- parts -------------------------------------------------------------------
    def meta(self, item: Item) -> None:
        parts: list[tuple[str, str, tuple[int, int, int], str | None]] = []
        for kind, part in meta_parts(item):
            if parts:
                parts.append(("·", "", GREY, None))
            if kind == "url" and is_link(part):
                parts.append((part.strip(), "", LINK, part.strip()))
            else:
                parts.append((part, "B" if kind == "flag" else "", GREY, None))
        if item.cite:
            parts.append((f"· Source [{item.cite}]", "", GREY, None))
        self.runs(parts, SMALL, SMALL_LINE)
        self.y += 1.0

    def item(self, item: Item) -> None:
        self.heading(f"{item.number}. {item.headline}", 2, follow=2 * SMALL_LINE + 3 * LINE)
        if item.why:
            self.runs([("Why it matters:", "B", BLACK, None), (item.why, "", BLACK, None)], BODY, LINE)
            self.y += 0.5
        self.meta(item)
        if item.tags:
            self.text("Tags: " + ", ".join(item.tags), size=SMALL, line=SMALL_LINE, color=GREY)
        if item.text_changed:
            self.text("The article's text changed after it was annotated.", style="I", size=SMALL, line=SMALL_LINE)
        if item.sources:
            self.label(f"Versions of this story ({len(item.sources)})")
            for source in item.sources:
                when = source.date.isoformat() if source.date else "undated"
                outlet = f" ({source.source})" if source.source else ""
                self.bullet(f"{when}: {source.headline}{outlet}, file {source.id}")
        if item.story_summary:
            self.label("Across the versions")
            for sentence in item.story_summary:
                self.bullet(sentence)
        if item.differences:
            self.label("How the versions differ")
            for sentence in item.differences:
                self.bullet(sentence)
        if item.summary or not item.story_summary:
            self.label("Summary")
            for sentence in item.summary:
                self.bullet(sentence)
            if not item.summary:
                self.text("No summary.", style="I")
        if item.summary_note:
            self.text(item.summary_note, style="I", size=SMALL, line=SMALL_LINE, color=GREY)
        if item.highlights:
            self.label("Highlights")
            for highlight in item.highlights:
                self.quote(highlight.quote)
                if highlight.note:
                    self.runs([("Comment:", "B", BLACK, None), (highlight.note, "I", BLACK, None)], BODY, LINE, indent=6)
                if highlight.by:
                    self.text(f"Highlighted by {highlight.by}", size=SMALL, line=SMALL_LINE, indent=6, color=GREY)
                self.y += 0.8
        if item.notes:
            self.label("Notes")
            for note in item.notes:
                self.bullet(f"{note.text} ({note.by})" if note.by else note.text)

    def quote(self, text: str) -> None:
        pdf = self.pdf
        self.font("")
        lines = self.wrap(text, self.width - 6)
        self.room(min(len(lines), 3) * LINE)
        y0, page0 = self.y, pdf.page_no()
        self.lines(lines, LINE, 6)
        if pdf.page_no() == page0:  # a bar beside the quote (not across a page break)
            pdf.set_draw_color(150, 150, 150)
            pdf.set_line_width(0.6)
            pdf.line(self.left + 2, y0 + 0.5, self.left + 2, self.y - 0.5)
        self.y += 0.8


def render_pdf(briefing: Briefing, paper: str = "A4") -> bytes:
    """``briefing`` as PDF bytes on A4 (default) or Letter paper (ValueError for another)."""
    if paper.lower() not in PAPERS:
        raise ValueError(f"paper must be one of {', '.join(PAPERS)}, not {paper!r}")
    folder = font_dir()
    cls = _make_pdf_class()  # a class made for this one document (its marking lines)
    pdf = cls(format=paper.lower(), unit="mm")
    for style, name in fonts.FONT_FILES.items():  # regular, bold, oblique: the styles used here
        pdf.add_font(FONT, style, str(folder / name))
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(False)  # the writer breaks pages itself
    w = _Writer(pdf, 0.0, 0.0)
    marking = briefing.marking.strip()
    if marking:
        w.font("B", SMALL)
        lines = w.wrap(" ".join(marking.split()), w.width)
        if len(lines) > MARKING_LINES:  # a marking is a line or two: a longer one is cut, and says so
            lines = lines[: MARKING_LINES - 1] + [lines[MARKING_LINES - 1] + " …"]
        cls.marking_lines = lines
    count = len(cls.marking_lines)
    w.top = max(16.0, 8.0 + count * SMALL_LINE + 4.0)
    w.bottom = pdf.h - max(18.0, 8.0 + (count + 1) * SMALL_LINE + 5.0)
    w.y = w.top
    pdf.set_margins(18, w.top, 18)
    pdf.alias_nb_pages(_TOTAL)
    pdf.set_title(briefing.title)
    pdf.set_author(briefing.analyst or "")
    pdf.set_producer("briefing")
    pdf.set_creator("briefing")
    pdf.set_creation_date(dt.datetime.combine(briefing.produced or dt.date(2000, 1, 1), dt.time(), tzinfo=dt.timezone.utc))
    pdf.set_lang("en")
    pdf.add_page()
    w.forget()

    w.heading(briefing.title, 0, follow=2 * LINE)
    header = []
    if briefing.analyst:
        header.append(f"Analyst: {briefing.analyst}")
    if briefing.produced:
        header.append(f"Produced: {briefing.produced.isoformat()}")
    if briefing.window:
        header.append(f"Date window: {briefing.window}")
    header.append(f"Items: {briefing.item_count}")
    w.text(" · ".join(header), size=SMALL, line=SMALL_LINE, color=GREY)
    if briefing.stories:
        w.text("One item per story; near-duplicate articles are listed as its versions.", size=SMALL, line=SMALL_LINE, color=GREY)
    if briefing.filter:
        w.text(f"Selection: {briefing.filter}", size=SMALL, line=SMALL_LINE, color=GREY)
    w.y += 2

    if briefing.bluf.strip():
        w.heading("Bottom line", 1)
        for para in (p for p in briefing.bluf.split("\n") if p.strip()):
            w.text(para)
            w.y += 1
    if briefing.judgments:
        w.heading("Key judgments", 1)
        for number, judgment in enumerate(briefing.judgments, 1):
            lead = judgment_lead(judgment)
            parts: list[tuple[str, str, tuple[int, int, int], str | None]] = [(f"{number}.", "B", BLACK, None)]
            if lead:
                parts.append((f"{lead}:", "B", BLACK, None))
            parts.append((judgment.text, "", BLACK, None))
            if judgment.cites:
                parts.append((refs(judgment.cites), "", BLACK, None))
            w.room(2 * LINE)
            w.runs(parts, BODY, LINE)
            w.y += 1
            for quote in judgment.highlights:
                w.quote(quote)
        if briefing.scale:
            w.text(f"Confidence terms: {briefing.scale}.", size=SMALL, line=SMALL_LINE, color=GREY)
    if briefing.timeline:
        # TIMELINE CHART: the image from briefing.export.present.timeline_png (issue 23) goes here.
        image = present.timeline_png(briefing)
        height = 60.0
        w.heading("Timeline", 1, follow=height if image is not None else 3 * LINE)  # kept with the picture
        if image is not None:
            import io

            w.room(height)
            pdf.image(io.BytesIO(image), x=w.left, y=w.y, w=w.width, h=height, keep_aspect_ratio=True, alt_text="Items per day")
            w.y += height + 2
        else:
            w.text(f"Items per day: {timeline_days(briefing)}", size=SMALL, line=SMALL_LINE)
        if briefing.undated:
            w.text(f"Items over time; {briefing.undated} undated, not shown.", style="I", size=SMALL, line=SMALL_LINE)
    from briefing.export.chart import source_counts

    counts = source_counts(briefing)
    if counts:  # the items per source, as the other formats have them
        w.label("Items per source")
        for name, count in counts:
            w.bullet(f"{name}: {count}")

    if not briefing.items:
        w.text("No articles match this selection.", style="I")
    for group in briefing.groups:
        w.heading(group.label, 1, follow=4 + 2 * 5.6 + 2 * SMALL_LINE + 2 * LINE)
        for item in group.items:
            w.item(item)
        if group.also:
            w.label("Shown in full under an earlier tag")
            for item in group.also:
                w.bullet(f"item {item.number}: {item.headline}")

    if briefing.cited:
        w.heading("Sources", 1)
        for cited in briefing.cited:
            w.room(2 * LINE)
            w.bullet(citation(cited), mark=f"[{cited.number}]", hang=9)
            if cited.url:
                link = cited.url.strip() if is_link(cited.url) else None
                w.text(cited.url, size=SMALL, line=SMALL_LINE, indent=9, color=LINK if link else GREY, link=link)
            w.text(f"File: {cited.id}", size=SMALL, line=SMALL_LINE, indent=9, color=GREY)
            w.y += 1
    methods = methods_line(briefing)
    if methods:
        w.room(2 * SMALL_LINE + 4)
        w.y += 4
        w.text(f"Method: {methods}", size=SMALL, line=SMALL_LINE, color=GREY)
    return bytes(pdf.output())
