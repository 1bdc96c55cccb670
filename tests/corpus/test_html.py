"""Saved HTML pages: main text only, metadata from the page, no invented dates."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

from tests.seedfiles import copy_shared_seeds

from .helpers import load_one

PARA = "The strikes hit power plants across the country overnight, officials said on Friday morning. "

PAGE = f"""<!doctype html><html><head>
<title>Grid hit again | Example Times</title>
<meta property="og:title" content="Grid hit again">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2025-03-14T10:00:00Z">
<meta property="og:site_name" content="Example Times">
<script>document.title = "\\u001b[31m evil";</script>
<style>p {{ color: red }}</style>
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World news menu</a></li></ul></nav>
<article>
<h1>Grid hit again</h1>
<p>{PARA * 2}</p>
<h2>The Belarus factor</h2>
<p>{PARA * 2} More <b>bold</b> words &amp; an entity.</p>
<script>var tracking = "SCRIPT-TEXT";</script>
</article>
<footer><p>FOOTER-TEXT Copyright 2025 Example Times. All rights reserved.</p></footer>
</body></html>"""


def test_html_main_text_and_metadata(tmp_path):
    a = load_one(tmp_path, "page.html", PAGE)
    m = a.meta
    assert (m.title, m.title_derived) == ("Grid hit again", False)
    assert m.date == dt.date(2025, 3, 14)
    assert (m.author, m.source) == ("Jane Doe", "Example Times")
    assert "SCRIPT-TEXT" not in a.body and "FOOTER-TEXT" not in a.body
    assert "World news menu" not in a.body and "color: red" not in a.body
    assert "Grid hit again" not in a.body  # the headline is the title, not a paragraph
    assert a.body.startswith("The strikes hit power plants")
    assert "The Belarus factor" in a.headings
    assert "More bold words & an entity." in a.body  # no markdown asterisks, entity decoded


def test_html_without_a_date_stays_undated(tmp_path):
    page = f"<html><head><title>Plain page</title></head><body><article><p>{PARA * 3}</p></article></body></html>"
    a = load_one(tmp_path, "plain.htm", page)
    assert a.date is None
    assert a.title == "Plain page"


def test_html_copyright_year_alone_is_not_a_date(tmp_path):
    page = (
        f"<html><head><title>T</title></head><body><article><p>{PARA * 3}</p></article>"
        "<footer>© 2024 Example</footer></body></html>"
    )
    assert load_one(tmp_path, "c.html", page).date is None


def test_html_with_no_text_is_a_problem(tmp_path):
    from .helpers import load, write

    write(tmp_path, "empty.html", "<html><head><title>x</title><script>var a = 1;</script></head><body> </body></html>")
    corpus = load(tmp_path)
    assert corpus.articles == []
    assert [(p.id, p.message) for p in corpus.problems] == [("empty.html", "no main text found in the HTML page; skipped")]


def test_html_entities_cannot_smuggle_control_bytes(tmp_path):
    page = f"<html><head><title>A&#27;]0;x&#7; title</title></head><body><article><p>{PARA * 2} &#27;[31mred &#133; x</p></article></body></html>"
    a = load_one(tmp_path, "e.html", page)
    assert not any(c in a.title + a.body for c in "\x1b\x07\x85")
    assert a.body.startswith("The strikes hit") and "red" in a.body


def test_trafilatura_is_imported_only_for_html(tmp_path):
    folder = copy_shared_seeds(tmp_path / "seeds")  # text articles only
    code = (
        "import sys, pathlib\n"
        "from briefing.corpus import open_corpus\n"
        f"c = open_corpus({str(folder)!r})\n"
        "assert c.articles\n"
        "print('trafilatura' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_relative_dates_are_not_turned_into_real_ones(tmp_path):
    page = (
        f"<html><head><title>T</title></head><body><article><p>{PARA * 3}</p>"
        "<p>Posted 2 days ago</p><time>yesterday</time><p>Updated just now</p></article></body></html>"
    )
    assert load_one(tmp_path, "r.html", page).date is None


def test_page_date_guard_refuses_dates_the_page_does_not_show():
    from briefing.corpus.html import page_date

    today = dt.date.today()
    assert page_date(today.isoformat(), "<html>no date here</html>") is None
    assert page_date("2019-05-06", "<html>nothing about that year</html>") is None
    assert page_date("2019-05-06", '<meta content="2019-05-06">') == dt.date(2019, 5, 6)
    assert page_date(today.isoformat(), f'<meta content="{today.isoformat()}">') == today


def _span_page(spans: int) -> str:
    words = "".join(f"<span>word{i} </span>" + ("<br>" if i % 40 == 39 else "") for i in range(spans))
    return (
        "<html><head><title>Grid hit again overnight | Example Times</title>"
        '<meta name="author" content="Jane Doe">'
        '<meta property="article:published_time" content="2025-03-14T10:00:00Z">'
        "<script>var SCRIPT_TEXT = 1;</script></head><body>"
        "<nav><a href='/'>MENU-ITEM Home</a></nav>"
        f"<article><h1>Grid hit again overnight</h1><p>{PARA}</p>{words}<p>LAST-PARAGRAPH of the page.</p></article>"
        "<footer>FOOTER-TEXT</footer></body></html>"
    )


def test_a_page_over_the_element_bound_is_read_whole_by_the_plain_path(tmp_path, monkeypatch):
    from briefing.corpus import html as html_mod

    page = _span_page(200)
    normal = load_one(tmp_path / "a", "soup.html", page)
    assert not any("very large page" in w for w in normal.meta.warnings)

    monkeypatch.setattr(html_mod, "MAX_ELEMENTS", 100)
    big = load_one(tmp_path / "b", "soup.html", page)
    m = big.meta
    assert any("very large page" in w and "elements" in w for w in m.warnings), m.warnings
    assert m.title == "Grid hit again overnight"
    assert m.author == "Jane Doe"
    assert m.date == dt.date(2025, 3, 14)
    body = big.body
    assert "word0" in body and "word199" in body and "LAST-PARAGRAPH" in body
    for furniture in ("MENU-ITEM", "FOOTER-TEXT", "SCRIPT_TEXT"):
        assert furniture not in body
    assert "word0 word1" in body  # inline spans stay one line; a <br> ends a paragraph
    assert "word39\n\nword40" in body


def test_a_page_of_fifty_thousand_spans_loads_by_the_plain_path(tmp_path):
    a = load_one(tmp_path, "soup.html", _span_page(50_000))
    assert any("very large page" in w for w in a.meta.warnings)
    assert "word49999" in a.body


def _page(body: str, head: str = "") -> str:
    return (f"<html><head><title>Bread at last after fourteen tries</title>{head}</head><body>{body}</body></html>")


def test_a_byline_inside_a_blog_widget_frame_is_the_writer_not_a_widget(tmp_path):
    # Blogger wraps the whole post in <div class="widget Blog">: that frame is not a
    # share or related widget, so the byline under the post names the writer.
    body = (
        '<div class="widget Blog"><div class="post hentry">'
        "<h3>Bread at last after fourteen tries</h3>"
        f"<div class='post-body'><p>{PARA * 3}</p></div>"
        '<div class="post-footer"><span class="post-author vcard">Publié par <span class="fn" itemprop="author">'
        '<span itemprop="name">Mathilde Roux</span></span></span></div>'
        '</div><div class="comments"><cite class="user">Jean-Marc</cite><p>Bravo, quatorze essais !</p></div></div>'
    )
    assert load_one(tmp_path, "blog.html", _page(body)).meta.author == "Mathilde Roux"


def test_a_columnist_card_beside_the_text_names_the_writer(tmp_path):
    body = (
        f"<main><article><h1>Bread at last after fourteen tries</h1><p>{PARA * 3}</p></article></main>"
        '<aside><div class="columnist-card"><p class="columnist-name"><a href="/p/f">Fiona MacLeod-Hart</a></p>'
        '<p class="columnist-bio">Fiona writes about work.</p></div></aside>'
    )
    assert load_one(tmp_path, "col.html", _page(body)).meta.author == "Fiona MacLeod-Hart"


def test_a_job_title_or_outlet_after_the_name_is_not_part_of_it(tmp_path):
    for n, tail in enumerate(("Research Communications Officer", "Portal N1 Campinas", "Mälardalens Tidning")):
        body = (f'<article><h1>Bread at last after fourteen tries</h1><p class="byline">By Helen K. Marsh, {tail}</p>'
                f"<p>{PARA * 3}</p></article>")
        assert load_one(tmp_path / str(n), "p.html", _page(body)).meta.author == "Helen K. Marsh", tail


def test_a_site_specific_first_published_key_beats_the_update_date(tmp_path):
    head = ('<meta name="govuk:first-published-at" content="2019-07-09T10:30:00+01:00">'
            '<meta name="govuk:updated-at" content="2019-07-12T14:02:15+01:00">')
    body = (f"<article><h1>Bread at last after fourteen tries</h1><p>{PARA * 3}</p>"
            '<p>Last updated <time datetime="2019-07-12">12 July 2019</time></p></article>')
    assert load_one(tmp_path, "gov.html", _page(body, head)).meta.date == dt.date(2019, 7, 9)


def test_co_writers_the_metadata_leaves_out_are_kept_from_the_visible_byline(tmp_path):
    head = '<meta name="author" content="Helen K. Marsh">'
    body = (f'<article><h1>Bread at last after fourteen tries</h1><p class="byline">By Helen K. Marsh and Omar Haddad</p>'
            f"<p>{PARA * 3}</p></article>")
    assert load_one(tmp_path, "p.html", _page(body, head)).meta.author == "Helen K. Marsh, Omar Haddad"
    place = ('<article><h1>Bread at last after fourteen tries</h1><p class="byline"><span class="autor">Por Helen K. Marsh</span>'
             f' — <span class="cidade">São Paulo</span></p><p>{PARA * 3}</p></article>')
    assert load_one(tmp_path / "b", "p.html", _page(place, head)).meta.author == "Helen K. Marsh"  # a place is no co-writer


def test_a_shouted_byline_gives_the_name_in_ordinary_case(tmp_path):
    body = f'<article><h1>Bread at last after fourteen tries</h1><p class="byline">BY OMAR AL-HADDAD</p><p>{PARA * 3}</p></article>'
    assert load_one(tmp_path, "p.html", _page(body)).meta.author == "Omar Al-Haddad"
