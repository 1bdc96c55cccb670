"""The HTML export parsed back: items, escaping, CSP, nothing external."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

from briefing.export import BriefingOptions, Filter, export_briefing

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'"


class Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.stack: list[str] = []
        self.text: dict[str, list[str]] = {}  # class of the nearest element with one -> text

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        self.stack.append(attrs.get("class") or (self.stack[-1] if self.stack else ""))

    def handle_endtag(self, tag):
        if self.stack:
            self.stack.pop()

    def handle_data(self, data):
        key = self.stack[-1] if self.stack else ""
        self.text.setdefault(key, []).append(data)


def parse(text: str) -> Collect:
    parser = Collect()
    parser.feed(text)
    return parser


def test_html_items_escaping_and_csp(loaded):
    corpus, store = loaded
    options = BriefingOptions(title="Energy <week>", analyst="A. Analyst", method="lead", produced=dt.date(2026, 11, 21))
    result = export_briefing(corpus, store, Filter(), "html", options)
    page = parse(result.text)
    names = [tag for tag, _ in page.tags]

    # no active content and nothing loaded from anywhere
    assert "script" not in names and "img" not in names and "iframe" not in names and "link" not in names
    assert not [a for _, attrs in page.tags for a in attrs if a.startswith("on")]
    assert not [v for _, attrs in page.tags for k, v in attrs.items() if k in ("src", "srcset", "action")]
    hrefs = [attrs["href"] for tag, attrs in page.tags if tag == "a"]
    assert hrefs and all(h.startswith("#item-") for h in hrefs)
    metas = [attrs for tag, attrs in page.tags if tag == "meta"]
    assert {"http-equiv": "Content-Security-Policy", "content": CSP} in metas
    assert names.index("meta") < names.index("style")  # the policy comes before anything else

    # the items, in order, with their text as text
    articles = [attrs["id"] for tag, attrs in page.tags if tag == "article"]
    assert articles == ["item-1", "item-2", "item-3", "item-4"]
    headlines = page.text["headline"]
    assert headlines[0] == "Hostile <script>document.title='pwned'</script> headline # [x](http://evil.example)"
    assert headlines[1].startswith("The attacks targeted")
    notes = "".join(page.text["note"])
    assert "<script>alert(1)</script> and <img src=x onerror=alert(1)>" in notes
    assert "# not a heading" in notes
    # a highlight comment is labelled as the analyst's comment, never "— text" (read as an attribution)
    assert page.text["comment-label"] == ["Comment:", "Comment:"]
    assert page.text["comment-text"] == ["the governor's \"civilian\" framing", "<img src=x onerror=alert(1)>"]
    assert "— " not in "".join(page.text.get("comment", []))
    assert page.text["author"] == ["By <b>Eve</b> & co"]
    assert "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;" in result.text
    assert "<title>Energy &lt;week&gt;</title>" in result.text
    assert "".join(page.text["header"]).count("2026-11-21") == 1
    # prints well: page margins and no item split across a quote
    assert "@page" in result.text and "@media print" in result.text


def test_headlines_in_the_contents_are_bidi_isolated_and_long_words_wrap(loaded):
    import re

    corpus, store = loaded
    options = BriefingOptions(method="lead", produced=dt.date(2026, 11, 21))
    text = export_briefing(corpus, store, Filter(), "html", options).text
    nav = text[text.index("<nav"):text.index("</nav>")]
    entries = re.findall(r'<li><a href="#item-\d+">(.*?)</a>', nav)
    # a right-to-left headline cannot reorder the date after it
    assert entries and all(e.startswith("<bdi>") and e.endswith("</bdi>") for e in entries)
    style = text[text.index("<style>"):text.index("</style>")]
    body = re.search(r"^body \{[^}]*\}", style, re.M)
    assert body is not None and "overflow-wrap: anywhere" in body.group(0)  # no page-wide scrollbar
