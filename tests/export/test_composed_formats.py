"""A composed briefing (issue 17) in HTML and Word, from hand-built export models:
the marking, bottom line, judgments, why-it-matters, compact metadata, story
summaries, numbered sources and methods line; the print and page furniture; hostile
strings inert."""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile

import docx
import pytest

from briefing.export import render
from briefing.export.templating import css_string
from tests.export.composed import BAD_URL, HOSTILE, MARKING, composed, plain
from tests.export.test_html import CSP, parse

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


# --- HTML ---------------------------------------------------------------------------


def html_of(briefing) -> str:
    return render(briefing, "html").decode("utf-8")


def test_html_composed_parts_in_order():
    text = html_of(composed(6))
    page = parse(text)
    order = [text.index(marker) for marker in (
        '<p class="marking">', "<h1>Grid week</h1>", "<h2>Bottom line</h2>", "<h2>Key judgments</h2>", "<h2>Timeline</h2>",
        "Contents</h2>", "Section 1: grid and supply</h2>", '<article class="item" id="item-1">', "<h2>Sources</h2>",
        '<p class="methods">', '<p class="marking end">')]
    assert order == sorted(order)
    assert page.text["confidence"] == ["Likely:", "Roughly even chance:"]
    assert page.text["judgment-text"][0] == "Power will not be fully restored before May."
    hrefs = [attrs["href"] for tag, attrs in page.tags if tag == "a"]
    assert "#source-1" in hrefs and "#source-2" in hrefs and "#source-3" in hrefs  # judgments point to their sources
    ids = [attrs.get("id") for tag, attrs in page.tags if tag == "li" and attrs.get("id", "").startswith("source-")]
    assert ids == [f"source-{n}" for n in range(1, 7)]
    assert page.text["why-text"][0] == "It changes the repair estimate for region 1."
    assert "Outlet A dates the outage to 24 April; the copy gives no date." in text
    assert "Across the versions" in text and "How the versions differ" in text
    assert "Method: Summaries: sentences taken from the articles (lead method)." in text
    assert "(method:" not in text  # no jargon beside a summary
    assert page.text["comment-label"][0] == "Comment:" and page.text["comment-text"][0] == "record number 1"
    assert '<figure class="timeline-chart"><svg ' in text and "Items per day:" not in text  # the chart is drawn


def test_html_print_rules():
    text = html_of(composed(3))
    style = text[text.index("<style>"):text.index("</style>")]
    assert "break-after: page" not in style  # no forced page after the contents (page 1 was 75% blank)
    assert '@bottom-right { content: "Page " counter(page) " of " counter(pages)' in style
    assert style.count(f"content: {css_string(MARKING)};") == 2  # marking at the top and bottom of every printed page
    assert re.search(r"h1, h2, h3, \.label, \.item-head, \.why \{ break-after: avoid", style)
    assert "@top-center" not in html_of(plain(2))  # no marking, no margin box for it


@pytest.mark.parametrize("value", [MARKING, HOSTILE, "a\"b'c\\d\n</style><script>x</script>", "日本 Київ"])
def test_css_string_cannot_leave_its_string(value):
    escaped = str(css_string(value))
    inner = escaped[1:-1]
    assert escaped[0] == escaped[-1] == '"'
    assert not re.search(r"[^A-Za-z0-9 \\]", inner)  # only letters, digits, spaces and escapes
    # decoding the escapes as CSS does gives back the text
    decoded = re.sub(r"\\([0-9a-f]{6}) ", lambda m: chr(int(m.group(1), 16)), inner)
    assert decoded == value


def test_html_hostile_composed_is_inert():
    text = html_of(composed(6, hostile=True))
    page = parse(text)
    names = [tag for tag, _ in page.tags]
    assert "script" not in names and "img" not in names
    assert not [a for _, attrs in page.tags for a in attrs if a.startswith("on")]
    metas = [attrs for tag, attrs in page.tags if tag == "meta"]
    assert {"http-equiv": "Content-Security-Policy", "content": CSP} in metas
    hrefs = [attrs["href"] for tag, attrs in page.tags if tag == "a"]
    assert all(h.startswith("#") or re.fullmatch(r"https://news\.example/\d+", h) for h in hrefs)
    assert BAD_URL in "".join(page.text.get("url", []))  # shown as text, not a link
    style = text[text.index("<style>") + len("<style>"):text.index("</style>")]
    assert "<" not in style and ">" not in style and "\\00003c script\\00003e alert" in style  # the marking reached the CSS only escaped
    assert page.text["marking"][0] == MARKING + " " + HOSTILE


# --- Word ---------------------------------------------------------------------------


def docx_of(briefing):
    data = render(briefing, "docx")
    return docx.Document(io.BytesIO(data)), data


def test_docx_composed_styles_and_keep_with_next():
    document, _ = docx_of(composed(6))
    paragraphs = document.paragraphs
    styled = [(p.style.name, p.text) for p in paragraphs]
    h1 = [t for s, t in styled if s == "Heading 1"]
    assert h1[:3] == ["Bottom line", "Key judgments", "Timeline"] and h1[-1] == "Sources"
    assert "Section 1: grid and supply" in h1
    h2 = [t for s, t in styled if s == "Heading 2"]
    assert h2 == [f"{n}. Headline number {n} about the grid" for n in range(1, 7)]
    assert {t for s, t in styled if s == "Heading 3"} >= {"Summary", "Highlights", "Notes", "Across the versions", "How the versions differ"}
    assert ("Normal", "1. Likely: Power will not be fully restored before May. [1, 2]") in styled
    assert ("Normal", "Repairs will take longer than officials say.") in styled
    assert ("Normal", "Comment: record number 1") in styled
    for index, paragraph in enumerate(paragraphs):
        if paragraph.style.name == "Heading 2":  # the heading, why-it-matters and metadata line stay together
            assert paragraph.paragraph_format.keep_with_next
            why, meta = paragraphs[index + 1], paragraphs[index + 2]
            assert why.text.startswith("Why it matters: ") and why.paragraph_format.keep_with_next
            assert meta.text.startswith("Outlet ") and " · File: " in meta.text and meta.paragraph_format.keep_with_next
    sources = [t for s, t in styled if t.startswith("[")]
    assert sources[0] == "[1] Outlet 1, Reporter 1, “Headline number 1 about the grid”, 2024-04-02. https://news.example/1 File: 001_article.txt"
    assert styled[-1] == ("Normal", "Method: Summaries: sentences taken from the articles (lead method).")
    assert not [t for _, t in styled if "(method:" in t]


def test_docx_header_footer_and_fields():
    document, data = docx_of(composed(2))
    section = document.sections[0]
    assert section.header.paragraphs[0].text == MARKING
    assert section.footer.paragraphs[0].text == MARKING
    footer_xml = section.footer._element.xml
    assert 'w:instr=" PAGE "' in footer_xml and 'w:instr=" NUMPAGES "' in footer_xml
    body = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
    # a table of contents field: begin (dirty: Word updates it), instruction, separate, end
    assert re.search(r'<w:fldChar w:fldCharType="begin" w:dirty="true"/>.*?<w:instrText xml:space="preserve"> TOC \\o "1-2" \\h \\z \\u </w:instrText>'
                     r'.*?<w:fldChar w:fldCharType="separate"/>.*?<w:fldChar w:fldCharType="end"/>', body, re.S)
    assert body.count('w:fldCharType="begin"') == body.count('w:fldCharType="end"') == 1
    plain_doc, _ = docx_of(plain(2))
    assert plain_doc.sections[0].header.paragraphs[0].text == ""  # no marking: an empty header
    assert 'w:instr=" PAGE "' in plain_doc.sections[0].footer._element.xml


def test_docx_hostile_links_only_http_and_text_verbatim():
    document, data = docx_of(composed(6, hostile=True))
    targets = [rel.target_ref for rel in document.part.rels.values() if rel.reltype.endswith("/hyperlink")]
    assert sorted(targets) == ["https://news.example/1", "https://news.example/3", "https://news.example/5"]
    texts = "\n".join(p.text for p in document.paragraphs)
    assert texts.count(HOSTILE) > 20 and BAD_URL in texts
    assert document.sections[0].header.paragraphs[0].text == f"{MARKING} {HOSTILE}"


def test_docx_of_many_items_still_reads_back():
    big = composed(150)  # the 500-item timing is bench/brief_export.py's
    document, _ = docx_of(dataclasses.replace(big, marking=""))
    assert sum(1 for p in document.paragraphs if p.style.name == "Heading 2") == 150


# --- the timeline chart hook (issue 23) -----------------------------------------------


def tiny_png() -> bytes:
    from PIL import Image  # Pillow comes with fpdf2

    out = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def test_timeline_hook_places_the_chart_in_every_document_format(monkeypatch):
    from briefing.export import present

    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect id="chart-bar" width="10" height="20"/></svg>'
    monkeypatch.setattr(present, "timeline_svg", lambda briefing: svg)
    monkeypatch.setattr(present, "timeline_png", lambda briefing: tiny_png())
    briefing = composed(2)

    text = html_of(briefing)
    assert f'<figure class="timeline-chart">{svg}</figure>' in text and "Items per day:" not in text

    document, _ = docx_of(briefing)
    assert len(document.inline_shapes) == 1
    assert "Items per day:" not in "\n".join(p.text for p in document.paragraphs)

    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(render(briefing, "pdf")))
    images = [img for page in reader.pages for img in page.images]
    assert len(images) == 1
    assert "Items per day:" not in "\n".join(page.extract_text() for page in reader.pages)


def test_no_timeline_no_timeline_section():
    briefing = dataclasses.replace(composed(2), timeline=())
    assert "<h2>Timeline</h2>" not in html_of(briefing)
    document, _ = docx_of(briefing)
    assert "Timeline" not in [p.text for p in document.paragraphs]
