"""The PDF export read back with pypdf: text, outline, links, page furniture,
reproducibility, and headings never left as the last line of a page."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re

import pypdf
import pytest

from briefing.export import BINARY_FORMATS, FORMATS, SUFFIXES, render
from briefing.export.pdffmt import render_pdf
from tests.export.composed import BAD_URL, HOSTILE, MARKING, composed, plain


def read(data: bytes) -> pypdf.PdfReader:
    assert data.startswith(b"%PDF-")
    return pypdf.PdfReader(io.BytesIO(data))


def page_texts(reader: pypdf.PdfReader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


def outline_titles(outline, depth: int = 0) -> list[tuple[int, str]]:
    found = []
    for entry in outline:
        if isinstance(entry, list):
            found.extend(outline_titles(entry, depth + 1))
        else:
            found.append((depth, entry.title))
    return found


def links(reader: pypdf.PdfReader) -> list[dict]:
    found = []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            found.append({"subtype": annot.get("/Subtype"), "action": annot.get("/A", {}).get_object() if annot.get("/A") else None})
    return found


def test_pdf_is_a_registered_binary_format():
    assert "pdf" in FORMATS and SUFFIXES["pdf"] == ".pdf" and "pdf" in BINARY_FORMATS
    data = render(plain(2), "pdf")
    assert read(data).pages


def test_composed_briefing_text_outline_and_furniture():
    briefing = composed(6)
    reader = read(render_pdf(briefing))
    texts = page_texts(reader)
    total = len(texts)
    assert total >= 2
    for number, text in enumerate(texts, 1):
        assert f"Page {number} of {total}" in text  # page numbers with the total filled in
        assert text.count("OFFICIAL-SENSITIVE") == 2  # the marking at the top and the bottom of every page
    whole = "\n".join(texts)
    for part in ("Bottom line", "Repairs will take longer than officials say.", "Key judgments", "Likely:",
                 "Power will not be fully restored before May. [1, 2]", "Roughly even chance:", "Confidence terms: ICD-203.",
                 "Why it matters:", "Across the versions", "How the versions differ",
                 "Outlet A dates the outage to 24 April; the copy gives no date.", "Comment: record number 1",
                 "Sources", "[6]", "File: 006_article.txt", "Method: Summaries: sentences taken from the articles (lead method)."):
        assert part in whole, part
    assert "(method:" not in whole  # no jargon in the body: the method is only in the appendix line
    assert "— record number" not in whole  # a comment never looks like an attribution
    assert "Timeline" in whole and "Items per day:" not in whole  # the chart, not the text fallback
    assert any(page.images for page in reader.pages)  # the timeline picture is embedded
    titles = outline_titles(reader.outline)
    assert (0, "Bottom line") in titles and (0, "Key judgments") in titles and (0, "Sources") in titles
    assert (0, "Section 1: grid and supply") in titles
    assert [t for d, t in titles if d == 1] == [f"{n}. Headline number {n} about the grid" for n in range(1, 7)]
    assert reader.metadata.title == "Grid week"
    # the fonts are embedded (a subset of DejaVu Sans)
    fonts = [f.get_object() for page in reader.pages for f in (page["/Resources"].get("/Font") or {}).values()]
    assert fonts and all("DejaVu" in str(f["/BaseFont"]) for f in fonts)
    assert all("/FontFile2" in f["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object() for f in fonts)


def test_cyrillic_and_latin_text_survive():
    briefing = dataclasses.replace(composed(1), title="Энергетика: Київ — Zürich", bluf="Удары по энергосистеме продолжаются.")
    whole = "\n".join(page_texts(read(render_pdf(briefing))))
    assert "Энергетика: Київ — Zürich" in whole and "Удары по энергосистеме продолжаются." in whole


def test_plain_export_renders_without_composed_parts():
    reader = read(render_pdf(plain(3)))
    whole = "\n".join(page_texts(reader))
    assert "Plain export" in whole and "Headline number 3 about the grid" in whole
    assert "Bottom line" not in whole and "Key judgments" not in whole and "Sources\n" not in whole
    assert "OFFICIAL" not in whole
    assert "Method: Summaries are sentences taken unchanged from each article, chosen automatically (method: lead)." in whole
    assert "Page 1 of" in whole
    # the items per source, as the other formats have them (Outlet 1, 2, 3: one item each)
    assert "Items per source" in whole
    assert all(f"Outlet {k}: 1" in whole for k in (1, 2, 3))


def test_hostile_text_is_inert_and_only_http_links_are_live():
    data = render_pdf(composed(6, hostile=True))
    reader = read(data)
    whole = "\n".join(page_texts(reader))
    # the hostile strings come back as text (fpdf2 escaped them), inside the marking too
    assert whole.count("endobj \\ ( \"; } @page { x") > 20
    assert "javascript:alert(document.domain)" in whole  # a non-http URL is shown, as text
    found = links(reader)
    uris = [link["action"]["/URI"] for link in found]
    assert uris and all(re.fullmatch(r"https://news\.example/\d+", u) for u in uris)
    assert all(link["subtype"] == "/Link" and link["action"]["/S"] == "/URI" for link in found)
    assert BAD_URL.encode() not in re.sub(rb"\s+", b"", data) or b"/URI (javascript" not in data
    assert b"/JavaScript" not in data and b"/JS " not in data and b"/Launch" not in data
    # one PDF, no object smuggled in by the text: every object number is unique
    numbers = re.findall(rb"\n(\d+) 0 obj", data)
    assert len(numbers) == len(set(numbers))
    assert HOSTILE  # (the fixture's string, used above through composed())


def test_same_briefing_gives_the_same_bytes_and_a_fixed_date():
    briefing = dataclasses.replace(composed(4), produced=None)
    first, second = render_pdf(briefing), render_pdf(briefing)
    assert first == second
    assert read(first).metadata["/CreationDate"].startswith("D:20000101")
    dated = read(render_pdf(composed(4)))
    assert dated.metadata["/CreationDate"].startswith("D:20261121")


def test_letter_paper():
    reader = read(render_pdf(composed(2), paper="Letter"))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    a4 = read(render_pdf(composed(2))).pages[0].mediabox
    assert (round(float(a4.width)), round(float(a4.height))) == (595, 842)


def lines_by_page(reader: pypdf.PdfReader) -> list[list[tuple[float, float, str]]]:
    """Each page's text lines as (y from the top, font size, text), top first; the page
    furniture (the marking and the page number lines) left out."""
    pages = []
    for page in reader.pages:
        height = float(page.mediabox.height)
        rows: dict[float, list[tuple[float, str]]] = {}

        def visit(text, cm, tm, font, size, rows=rows):
            if text.strip():
                y = round(tm[5] * cm[3] + cm[5], 1)
                rows.setdefault(y, []).append((abs(tm[0] * size), text))

        page.extract_text(visitor_text=visit)
        lines = []
        for y, parts in rows.items():
            text = "".join(t for _, t in parts).strip()
            if text != MARKING and not re.fullmatch(r"Page \d+ of \d+", text):
                lines.append((height - y, max(s for s, _ in parts), text))
        pages.append(sorted(lines))
    return pages


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_no_item_heading_is_the_last_line_of_a_page(paper):
    # 40 items with long texts: many page breaks at many positions
    base = composed(40)
    items = tuple(dataclasses.replace(it, summary=it.summary * (1 + it.number % 4)) for it in base.items)
    groups = tuple(dataclasses.replace(g, items=tuple(items[it.number - 1] for it in g.items)) for g in base.groups)
    briefing = dataclasses.replace(base, items=items, groups=groups)
    reader = read(render_pdf(briefing, paper=paper))
    pages = lines_by_page(reader)
    assert len(pages) > 10
    headings_seen = 0
    for number, lines in enumerate(pages, 1):
        assert lines, f"page {number} is empty"
        for index, (_, size, text) in enumerate(lines):
            if size >= 11.4:  # item (11.5 pt) and section (14 pt) headings
                headings_seen += 1
                after = [t for _, s, t in lines[index + 1:] if s < 11.4]
                assert len(after) >= 2, f"page {number}: heading {text!r} has {len(after)} lines below it"
    assert headings_seen >= 40
    # a page that opens with body text (10 pt) opens it on the same baseline, whatever broke the page
    first_lines = {round(lines[0][0], 1) for lines in pages[1:] if abs(lines[0][1] - 10.0) < 0.2}
    assert len(first_lines) == 1, f"body text starts pages at {sorted(first_lines)} pt"
    # no near-empty page except possibly the last: every other page is filled to near its bottom
    bottoms = [max(y for y, _, _ in lines) for lines in pages[:-1]]
    for number, lowest in enumerate(bottoms, 1):
        assert lowest > float(reader.pages[0].mediabox.height) * 0.7, f"page {number} ends at {lowest:.0f} pt"


def test_cli_writes_a_pdf(corpus_root, tmp_path):
    from click.testing import CliRunner

    from briefing.cli import main

    target = tmp_path / "out.pdf"
    run = CliRunner().invoke(main, ["export", "--corpus", str(corpus_root), "-o", str(target), "--method", "lead"])
    assert run.exit_code == 0, run.output
    whole = "\n".join(page_texts(read(target.read_bytes())))
    assert "Briefing" in whole and "The attacks targeted" in whole
    refused = CliRunner().invoke(main, ["export", "--corpus", str(corpus_root), "-f", "pdf"])
    assert refused.exit_code == 2 and "a PDF is binary" in refused.output


def test_dates_in_the_header():
    whole = page_texts(read(render_pdf(composed(1))))[0]
    assert "Produced: 2026-11-21" in whole and "Date window: 2024-04-01 – 2024-04-20" in whole
    assert dt.date(2026, 11, 21)
