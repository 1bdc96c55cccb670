"""Issue 18: PDF, Word, OpenDocument and e-mail files as articles, and their bad input.

Every file is made here (tests/corpus/makers.py); nothing large is committed.
"""

from __future__ import annotations

import datetime as dt
import io
import time
import zipfile

import pytest

from briefing.corpus import ArticleError, open_corpus, parse_bytes
from briefing.corpus.documents import MAX_PDF_PAGES, MAX_XML

from .makers import eml, make_docx, make_odt, make_pdf

HEADER = "DAILY WIRE - RESTRICTED"
PAGE1 = [HEADER, "Grid operators restore power in Kyiv",
         "Engineers worked through the night to reconnect sub-",
         "stations damaged in the strikes, officials said on", "Tuesday.",
         "The ministry said repairs would take weeks.", "Page 1 of 3"]
PAGE2 = [HEADER, "Water pumping stations were back on line by the", "evening, the city council said.", "Page 2 of 3"]
PAGE3 = [HEADER, "Schools will reopen on Thursday.", "Page 3 of 3"]


def test_pdf_metadata_hyphenation_and_running_headers():
    data = make_pdf([PAGE1, PAGE2, PAGE3], {"Title": "Grid report", "Author": "Jane Roe",
                                            "CreationDate": "D:20240317093000+01'00'"})
    art = parse_bytes("r.pdf", "/c/r.pdf", data)
    assert (art.meta.title, art.meta.author, art.meta.date) == ("Grid report", "Jane Roe", dt.date(2024, 3, 17))
    assert "substations damaged" in art.body  # "sub-" + "stations" joined
    assert HEADER not in art.body and "Page 2 of 3" not in art.body
    assert "Water pumping stations were back on line by the evening, the city council said." in art.paragraphs()


def test_pdf_without_metadata_takes_the_first_line_as_title():
    art = parse_bytes("r.pdf", "/c/r.pdf", make_pdf([PAGE1[1:6]]))
    assert art.meta.title == "Grid operators restore power in Kyiv" and not art.meta.title_derived
    assert art.body.startswith("Engineers worked")


def test_pdf_junk_metadata_title_is_ignored():
    art = parse_bytes("r.pdf", "/c/r.pdf", make_pdf([PAGE1[1:6]], {"Title": "Microsoft Word - draft3.docx"}))
    assert art.meta.title == "Grid operators restore power in Kyiv"


def test_scanned_pdf_is_listed_with_a_warning(tmp_path):
    (tmp_path / "scan.pdf").write_bytes(make_pdf([[], []], {"Title": "Minutes of 4 March"}))
    corpus = open_corpus(tmp_path)
    assert corpus.problems == []
    meta = corpus.articles[0]
    assert meta.title == "Minutes of 4 March"
    assert any("no text layer" in w for w in meta.warnings)


def test_encrypted_pdf_is_refused_with_its_reason():
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(make_pdf([PAGE1]))))
    writer.encrypt("secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(ArticleError, match="encrypted PDF"):
        parse_bytes("e.pdf", "/c/e.pdf", out.getvalue())


def test_pdf_bombs_are_refused_or_cut_in_bounded_time(tmp_path):
    (tmp_path / "deep.pdf").write_bytes(make_pdf([PAGE1], extra="/Deep " + "[" * 200_000 + "]" * 200_000))
    (tmp_path / "pages.pdf").write_bytes(make_pdf([PAGE1], kids_repeat=300_000))
    (tmp_path / "many.pdf").write_bytes(make_pdf([PAGE1], kids_repeat=MAX_PDF_PAGES + 5))
    (tmp_path / "ok.txt").write_text("Still here\n\nThe rest of the corpus loads as before.\n")
    started = time.perf_counter()
    corpus = open_corpus(tmp_path)
    assert time.perf_counter() - started < 30
    problems = {p.id: p.message for p in corpus.problems}
    assert "deep.pdf" in problems and "skipped" in problems["deep.pdf"]
    assert "pages.pdf" in problems and "skipped" in problems["pages.pdf"]
    ids = [m.id for m in corpus.articles]
    assert "ok.txt" in ids and "many.pdf" in ids
    many = corpus.get("many.pdf")
    assert any(f"only the first {MAX_PDF_PAGES}" in w for w in many.warnings)


def test_garbage_named_pdf_is_a_problem_naming_the_file(tmp_path):
    (tmp_path / "x.pdf").write_bytes(b"%PDF-1.4\n garbage \x00\x01")
    corpus = open_corpus(tmp_path)
    assert [p.id for p in corpus.problems] == ["x.pdf"]


# -- Word ---------------------------------------------------------------------------------


def test_docx_title_style_core_properties_headings_and_tables():
    data = make_docx(
        [("Title", "Ceasefire talks resume"), ("", "Talks resumed in Doha on Monday, officials said."),
         ("Heading1", "Background"), ("", "The talks stalled in March after a dispute over prisoners.")],
        {"title": "draft.docx", "creator": "Ann Lee", "created": "2024-03-05T10:00:00Z"},
        table=[["Party", "Position"], ["North", "Accepts"]],
    )
    art = parse_bytes("d.docx", "/c/d.docx", data)
    assert (art.meta.title, art.meta.author, art.meta.date) == ("Ceasefire talks resume", "Ann Lee", dt.date(2024, 3, 5))
    assert "Background" in art.headings
    assert "Party · Position" in art.paragraphs()


def test_docx_without_title_style_uses_core_title_or_first_line():
    data = make_docx([("", "Floods hit the north"), ("", "Rivers rose overnight across three provinces, officials said.")],
                     {"title": "Flood update"})
    assert parse_bytes("d.docx", "/c/d.docx", data).meta.title == "Flood update"
    data = make_docx([("", "Floods hit the north"), ("", "Rivers rose overnight across three provinces, officials said.")])
    assert parse_bytes("d.docx", "/c/d.docx", data).meta.title == "Floods hit the north"


def test_zip_disguised_as_docx_and_text_disguised_as_docx(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("photo.jpg", b"\xff\xd8\xff" + b"0" * 100)
    (tmp_path / "fake.docx").write_bytes(buf.getvalue())
    (tmp_path / "text.docx").write_text("just some text")
    (tmp_path / "cut.docx").write_bytes(make_docx([("", "Text here.")])[:60])
    problems = {p.id: p.message for p in open_corpus(tmp_path).problems}
    assert "word/document.xml" in problems["fake.docx"] and "not a Word document" in problems["fake.docx"]
    assert "no zip archive" in problems["text.docx"]
    assert "damaged" in problems["cut.docx"] or "cannot be unpacked" in problems["cut.docx"]


def test_docx_zip_bomb_is_refused_without_inflating_it():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b" " * (MAX_XML + 10))
    assert len(buf.getvalue()) < 200_000
    with pytest.raises(ArticleError, match="inflates"):
        parse_bytes("b.docx", "/c/b.docx", buf.getvalue())


def test_docx_with_entity_expansion_is_refused():
    bomb = ('<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", bomb)
    with pytest.raises(ArticleError, match="DTD or entities"):
        parse_bytes("b.docx", "/c/b.docx", buf.getvalue())


# -- OpenDocument -------------------------------------------------------------------------


def test_odt_headings_paragraphs_lists_and_meta():
    data = make_odt([("h1", "Floods in the north"), ("p", "Rivers rose overnight across three provinces."),
                     ("h2", "Response"), ("li", "Army units deployed to the valley.")],
                    {"title": "Floods in the north", "creator": "Bo Chen", "date": "2024-04-01T08:00:00"})
    art = parse_bytes("o.odt", "/c/o.odt", data)
    assert (art.meta.title, art.meta.author, art.meta.date) == ("Floods in the north", "Bo Chen", dt.date(2024, 4, 1))
    assert art.paragraphs() == ["Rivers rose overnight across three provinces.", "Response", "Army units deployed to the valley."]
    assert art.headings == {"Response"}


def test_odt_without_meta_takes_its_first_heading():
    art = parse_bytes("o.odt", "/c/o.odt", make_odt([("h1", "Port strike ends"), ("p", "Dock workers returned on Monday after a deal.")]))
    assert art.meta.title == "Port strike ends" and art.meta.author is None


def test_a_spreadsheet_named_odt_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", "<x/>")
    with pytest.raises(ArticleError, match="not an OpenDocument text"):
        parse_bytes("s.odt", "/c/s.odt", buf.getvalue())


# -- e-mail -------------------------------------------------------------------------------


def test_plain_email_subject_sender_date_and_archived_at():
    data = eml("Morning brief", "The Desk <desk@news.example.com>", "Tue, 05 Mar 2024 07:00:00 +0000",
               text="Power returned to the east overnight.\n\nWater supply is normal.",
               extra_headers="Archived-At: <https://news.example.com/brief/1>\n")
    art = parse_bytes("m.eml", "/c/m.eml", data)
    assert (art.meta.title, art.meta.author, art.meta.source) == ("Morning brief", "The Desk", "news.example.com")
    assert art.meta.date == dt.date(2024, 3, 5) and art.meta.url == "https://news.example.com/brief/1"
    assert art.paragraphs() == ["Power returned to the east overnight.", "Water supply is normal."]


def test_html_newsletter_with_several_stories_stays_one_article():
    stories = "".join(f"<h2>Story {i}</h2><p>Paragraph about story {i}: the ministry said work continues on the line.</p>"
                      for i in range(1, 4))
    html = f"<html><body><article>{stories}</article></body></html>"
    data = eml("Weekly: three stories", "news@letter.example", "Fri, 08 Mar 2024 09:00:00 +0100",
               text="plain fallback", html=html)
    art = parse_bytes("n.eml", "/c/n.eml", data)
    assert art.meta.title == "Weekly: three stories"
    assert all(f"story {i}:" in art.body for i in range(1, 4))
    assert "plain fallback" not in art.body and "<p>" not in art.body


def test_email_with_a_50_mb_attachment_loads_its_text_in_bounded_time(tmp_path):
    data = eml("With attachment", "a@b.example", "Mon, 04 Mar 2024 10:00:00 +0000",
               text="The report is attached. Summary: costs rose.", attachment=bytes(range(256)) * (50 * 4096))
    (tmp_path / "big.eml").write_bytes(data)
    started = time.perf_counter()
    corpus = open_corpus(tmp_path)
    assert time.perf_counter() - started < 10
    assert corpus.problems == [] and corpus.articles[0].title == "With attachment"
    assert corpus.article("big.eml").body == "The report is attached. Summary: costs rose."


def test_not_an_email_and_an_email_without_text(tmp_path):
    (tmp_path / "a.eml").write_text("hello there, no headers at all\n")
    (tmp_path / "b.eml").write_bytes(eml("Only a file", "a@b.example", "Mon, 04 Mar 2024 10:00:00 +0000",
                                         attachment=b"\x00" * 100))
    problems = {p.id: p.message for p in open_corpus(tmp_path).problems}
    assert "not an e-mail" in problems["a.eml"]
    assert "without a readable text" in problems["b.eml"]
