"""Issue 18: the article's source URL in every export format: escaped text, a link
only in HTML and only for http(s)."""

from __future__ import annotations

import dataclasses
import io
import json
from html.parser import HTMLParser

import docx

from briefing.annotations import open_store
from briefing.corpus import open_corpus
from briefing.export import BriefingOptions, Filter, export_briefing

URL = "https://news.example/dam?a=1&b=<2>"  # "<" and ">" make clean_url refuse it
GOOD = "https://news.example/dam?a=1&b=_2_"
ARTICLE = "Dam report\n\ndate 2024-03-02 The river rose overnight, officials said.\n\nSource: {url}\n"
OPTIONS = BriefingOptions(title="Week", method="lead")


def _loaded(tmp_path, url):
    (tmp_path / "a.txt").write_text(ARTICLE.format(url=url))
    (tmp_path / "b.txt").write_text("Port strike\n\ndate 2024-03-01 Dock workers walked out, the union said.\n")
    corpus = open_corpus(tmp_path)
    store, _ = open_store(tmp_path, corpus.articles)
    with store.batch():  # an export takes the articles the analyst worked on
        store.add_tags("a.txt", ["water"])
        store.add_tags("b.txt", ["ports"])
    return corpus, store


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href", ""))


def test_url_in_json_markdown_html_and_docx(tmp_path):
    corpus, store = _loaded(tmp_path, GOOD)
    data = json.loads(export_briefing(corpus, store, Filter(), "json", OPTIONS).text)
    by_id = {item["id"]: item for item in data["items"]}
    assert by_id["a.txt"]["url"] == GOOD and by_id["b.txt"]["url"] is None
    md = export_briefing(corpus, store, Filter(), "md", OPTIONS).text
    assert "- **URL:** https://news.example/dam?a=1\\&b=\\_2\\_" in md  # Markdown-escaped text
    html = export_briefing(corpus, store, Filter(), "html", OPTIONS).text
    links = Links()
    links.feed(html)
    assert "https://news.example/dam?a=1&b=_2_" in links.hrefs and 'rel="noopener noreferrer nofollow"' in html
    document = docx.Document(io.BytesIO(export_briefing(corpus, store, Filter(), "docx", OPTIONS).data))
    meta = [p for p in document.paragraphs if GOOD in p.text]
    assert len(meta) == 1 and meta[0].text == f"news.example · 2024-03-02 · {GOOD} · File: a.txt · Tags: water"  # one compact line
    assert [link.url for link in meta[0].hyperlinks] == [GOOD]  # a live link: it is http(s)


def test_a_url_that_is_not_plain_http_is_never_exported(tmp_path):
    corpus, store = _loaded(tmp_path, URL)
    assert corpus.get("a.txt").url is None  # refused by the parser
    meta = dataclasses.replace(corpus.get("a.txt"), url="javascript:alert(1)")  # and if one got through
    corpus.articles[:] = [meta if m.id == "a.txt" else m for m in corpus.articles]
    corpus._index.clear()
    html = export_briefing(corpus, store, Filter(), "html", OPTIONS).text
    assert "javascript:" not in html
    data = json.loads(export_briefing(corpus, store, Filter(), "json", OPTIONS).text)
    assert len(data["items"]) == 2 and all(item["url"] is None for item in data["items"])
