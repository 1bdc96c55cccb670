"""The Word export read back with python-docx: real headings, lists, quotes."""

from __future__ import annotations

import datetime as dt
import io

import docx

from briefing.export import BriefingOptions, Filter, export_briefing


def test_docx_has_headings_lists_quotes_and_the_text(loaded):
    corpus, store = loaded
    options = BriefingOptions(title="Energy week", analyst="A. Analyst", method="lead", produced=dt.date(2026, 11, 21))
    result = export_briefing(corpus, store, Filter(), "docx", options)
    assert result.count == 4 and result.text is None
    document = docx.Document(io.BytesIO(result.data))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]

    assert paragraphs[0] == ("Title", "Energy week")
    # the header is one compact line
    assert paragraphs[1] == ("Normal", "Analyst: A. Analyst · Produced: 2026-11-21 · Date window: 2023-11-06 – 2024-05-01 · Items: 4")
    assert ("TOC Heading", "Contents") in paragraphs
    h1 = [text for style, text in paragraphs if style == "Heading 1"]
    assert h1 == ["Timeline", "Wednesday 1 May 2024", "Wednesday 24 April 2024", "Friday 29 December 2023", "Monday 6 November 2023"]
    h2 = [text for style, text in paragraphs if style == "Heading 2"]
    assert h2[0] == "1. Hostile <script>document.title='pwned'</script> headline # [x](http://evil.example)"
    assert [t.split(".")[0] for t in h2] == ["1", "2", "3", "4"]
    assert [text for style, text in paragraphs if style == "List Number"][1].startswith("The attacks targeted")

    bullets = [text for style, text in paragraphs if style == "List Bullet"]
    assert "The Ukrainian forces have targeted civilian energy infrastructure in Russia’s Smolensk Region with drones, local governor Vasily Anokhin reported on Wednesday morning." in bullets
    assert any(b.startswith("# not a heading\n<script>alert(1)</script>") for b in bullets)  # a note, verbatim
    quotes = [text for style, text in paragraphs if style == "Quote"]
    assert quotes == ["“civilian fuel and energy facilities”", "Quote with \"straight\" and ‘curly’ marks"]
    # a highlight comment is labelled, never "— text" (which reads as an attribution)
    assert ("Normal", "Comment: <img src=x onerror=alert(1)>") in paragraphs
    assert not [text for _, text in paragraphs if text.startswith("— ")]
    assert not [text for _, text in paragraphs if "method:" in text and not text.startswith("Method: ")]
    assert document.core_properties.title == "Energy week"
    assert document.core_properties.author == "A. Analyst"


def test_docx_with_no_items_says_so(loaded):
    corpus, store = loaded
    result = export_briefing(corpus, store, Filter(tags=("no-such-tag",)), "docx", BriefingOptions(method="lead"))
    texts = [p.text for p in docx.Document(io.BytesIO(result.data)).paragraphs]
    assert result.count == 0 and "No articles match this selection." in texts
