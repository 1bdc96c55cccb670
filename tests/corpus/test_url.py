"""Issue 18: a source URL for every article where one exists; only http(s) kept."""

from __future__ import annotations

import pytest

from briefing.corpus import open_corpus, parse_bytes
from briefing.corpus.html import page_url
from briefing.corpus.url import MAX_URL, clean_url, host_of

BODY = "Power was restored to most of the city by Tuesday evening, officials said.\n\nRepairs go on.\n"


@pytest.mark.parametrize("value", [
    "javascript:alert(1)", "data:text/html,<b>x</b>", "file:///etc/passwd", "/relative/path", "ftp://x.org/a",
    "https://", "http:// spaced.org/a", 'https://x.org/a"onmouseover=1', "https://x.org/<script>", None, 42,
    "https://x.org/" + "a" * MAX_URL,
])
def test_only_plain_web_addresses_are_kept(value):
    assert clean_url(value) is None


def test_controls_are_stripped_and_the_scheme_lowered():
    assert clean_url(" HTTPS://example.org/a\x1b[31m?b=1#c\u202e ") == "https://example.org/a[31m?b=1#c"
    assert host_of("https://www.Example.org:8080/x") == "example.org"


def test_text_url_line_at_the_top_or_bottom_becomes_the_url_and_leaves_the_body():
    top = parse_bytes("a.txt", "a.txt", ("Grid back\n\nSource: https://news.example.org/grid?id=3\n\n" + BODY).encode())
    assert top.meta.url == "https://news.example.org/grid?id=3"
    assert top.meta.source == "news.example.org"
    assert "https://" not in top.body and top.body.startswith("Power was restored")
    bottom = parse_bytes("b.txt", "b.txt", (BODY + "\nhttps://www.wire.example.com/story/9\n").encode())
    assert bottom.meta.url == "https://www.wire.example.com/story/9" and "wire.example" not in bottom.body


def test_a_url_inside_a_paragraph_stays_and_is_not_the_article_url():
    art = parse_bytes("c.txt", "c.txt", ("Title line\n\nRead the decree at https://gov.example/d1 before Friday. " + BODY).encode())
    assert art.meta.url is None and "https://gov.example/d1" in art.body


def test_a_javascript_url_line_is_not_taken():
    art = parse_bytes("d.txt", "d.txt", ("Title line\n\nSource: javascript:alert(1)\n\n" + BODY).encode())
    assert art.meta.url is None


def test_markdown_front_matter_url_or_link():
    md = "---\ntitle: A\nurl: https://site.example/a\n---\n\n" + BODY
    assert parse_bytes("a.md", "a.md", md.encode()).meta.url == "https://site.example/a"
    md = "---\ntitle: A\nlink: 'javascript:void(0)'\n---\n\n" + BODY
    assert parse_bytes("b.md", "b.md", md.encode()).meta.url is None
    md = "---\ntitle: A\nlink: https://site.example/b\n---\n\n" + BODY
    assert parse_bytes("c.md", "c.md", md.encode()).meta.url == "https://site.example/b"


def test_html_canonical_first_then_og_url():
    head = ('<link rel="stylesheet" href="/s.css"><meta property="og:url" content="https://og.example/x">'
            '<link href="https://canon.example/story?a=1&amp;b=2" rel="canonical">')
    assert page_url(f"<html><head>{head}</head></html>") == "https://canon.example/story?a=1&b=2"
    assert page_url('<meta property="og:url" content="https://og.example/x">') == "https://og.example/x"
    assert page_url('<link rel="canonical" href="javascript:alert(1)">') is None


def test_html_article_carries_its_canonical_url(tmp_path):
    page = ("<html><head><title>Dam report</title><link rel='canonical' href='https://news.example/dam'></head><body>"
            "<article><h1>Dam report</h1>" + "".join(f"<p>Paragraph {i} about the dam and the river level that rose overnight.</p>" for i in range(6))
            + "</article></body></html>")
    (tmp_path / "p.html").write_text(page)
    corpus = open_corpus(tmp_path)
    assert corpus.articles[0].url == "https://news.example/dam"
    assert corpus.articles[0].to_json()["url"] == "https://news.example/dam"
