"""HTML pages as real sites write them: the headline without the site's name, a
writer rather than the publisher, no tags or table pipes left in the text, and the
furniture of several languages gone. Each page is one layout seen on news sites."""

from __future__ import annotations

import pytest

from briefing.corpus.htmlauthors import choose_author
from briefing.corpus.htmlmeta import Signals, strip_site
from tests.corpus.helpers import load_one

MAGAZINE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Grid operators brace for a hard winter - Energy Monthly Magazine</title>
<meta property="og:site_name" content="Energy Monthly Magazine">
<meta property="og:title" content="Grid operators brace for a hard winter">
<meta property="og:url" content="https://energymonthly.example.com/2024/01/grid-winter">
<link rel="canonical" href="https://energymonthly.example.com/2024/01/grid-winter">
<meta name="author" content="Energy Monthly Magazine">
<meta property="article:published_time" content="2024-01-15T08:00:00Z">
</head><body>
<nav><ul><li>Home</li><li>News</li><li>Opinion</li><li>Subscribe</li></ul></nav>
<article>
<h1>Grid operators brace for a hard winter</h1>
<p class="byline">By <a href="/authors/jane">Jane Kowalska</a> · January 15, 2024</p>
<p>Grid operators across the region said on Monday that reserves were thinner than in any year since 2015, and that [Bloomberg] figures understated the gap.</p>
<p>The operator's <u>emergency plan</u> relies on CO<sub>2</sub>-intensive peaker plants and on the snake_case named tool grid_balance_v2 written by engineers.</p>
<table><tr><th>Region</th><th>Reserve (GW)</th></tr><tr><td>North</td><td>1.2</td></tr><tr><td>South</td><td>0.8</td></tr></table>
<p>"We are prepared but the margin is thin," said the chief executive, adding that imports would cover the rest of the shortfall through February.</p>
<p>Analysts expect prices to rise by a fifth if the cold spell lasts beyond two weeks, according to a note circulated to clients.</p>
</article>
<aside><h3>Related articles</h3><ul><li><a href="/x">Wind farms face delays</a></li><li><a href="/y">Gas prices fall</a></li></ul></aside>
<footer>© 2024 Energy Monthly Magazine. All rights reserved.</footer>
</body></html>
"""

WORDPRESS = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Opinion | Why sanctions take time to bite | The Policy Blog</title>
<meta property="og:site_name" content="The Policy Blog">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"BlogPosting","headline":"Why sanctions take time to bite","datePublished":"2023-06-02T10:00:00+02:00","author":{"@type":"Person","name":"No Author"},"publisher":{"@type":"Organization","name":"The Policy Blog"}}</script>
</head><body>
<div class="menu">Home About Contact Donate</div>
<div class="entry">
<h1 class="entry-title">Why sanctions take time to bite</h1>
<div class="entry-meta">Posted on <time datetime="2023-06-02">June 2, 2023</time> by <span class="author">Marta Nowak</span></div>
<div class="entry-content">
<p>Sanctions rarely work quickly. The first year usually shows the weakest effects, because stocks, inventories and alternative suppliers soften the blow to the targeted economy.</p>
<p>In the second year, the shortages of spare parts begin to matter, and the costs of rerouting trade through third countries mount steadily for importers.</p>
<p>Policymakers who expect rapid results are often disappointed and tempted to abandon measures just before they start to work as designed.</p>
</div>
<div class="author-box"><a href="/author/marta">View all posts by Marta Nowak</a></div>
</div>
</body></html>
"""

GERMAN = """<!DOCTYPE html><html lang="de"><head><meta charset="utf-8">
<title>Stromnetz: Betreiber warnen vor Engpässen | Radio Nord</title>
<meta property="og:site_name" content="Radio Nord">
<meta name="author" content="Radio Nord; Klaus Becker; dpa">
<meta name="date" content="2024-02-03">
</head><body>
<article>
<h1>Stromnetz: Betreiber warnen vor Engpässen</h1>
<p>Die Netzbetreiber haben am Samstag vor möglichen Engpässen im Stromnetz gewarnt. Die Reserven seien so knapp wie seit Jahren nicht mehr.</p>
<p>Nach Angaben des Verbands könnten vor allem die südlichen Bundesländer betroffen sein, wenn die Kälte länger anhält.</p>
<p>Die Bundesregierung kündigte an, die Lage genau zu beobachten und gegebenenfalls Reservekraftwerke zu aktivieren.</p>
<h3>Weitere Artikel zum Thema</h3>
<ul><li><a href="/a">Windkraft im Norden</a></li><li><a href="/b">Gaspreise sinken</a></li></ul>
</article>
</body></html>
"""

FRENCH = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
<title>L'Ukraine renforce ses défenses aériennes – Le Journal du Soir</title>
<meta property="og:site_name" content="Le Journal du Soir">
<meta property="og:title" content="Défenses aériennes : ce qui change">
</head><body>
<article>
<h1>L'Ukraine renforce ses défenses aériennes</h1>
<p class="auteur">Par Sophie Martin</p>
<p>Kiev a annoncé mardi l'arrivée de nouveaux systèmes de défense aérienne, destinés à protéger les infrastructures énergétiques du pays pendant l'hiver.</p>
<p>Selon le ministère de la Défense, les systèmes seront déployés autour des centrales et des sous-stations les plus exposées aux frappes.</p>
<p>Les experts estiment toutefois que la couverture restera partielle tant que les livraisons de munitions ne seront pas accélérées.</p>
<p>Crédits photos : AFP / Sergei Supinsky</p>
</article>
</body></html>
"""

PARAS = (
    "<p>Officials confirmed on Tuesday that the new pipeline would open in the spring, after months of delays over permits and financing.</p>"
    "<p>The project had been criticised by environmental groups, who argued that the route crossed protected wetlands and farmland.</p>"
    "<p>Supporters say the pipeline will lower heating costs for about two million households in the region over the next decade.</p>"
)


def page(head: str, body: str) -> str:
    return f'<!DOCTYPE html><html><head><meta charset="utf-8">{head}</head><body>{body}</body></html>'


def test_a_magazine_page_gives_the_headline_the_writer_and_readable_text(tmp_path):
    article = load_one(tmp_path, "mag.html", MAGAZINE)
    assert article.title == "Grid operators brace for a hard winter"
    assert article.meta.author == "Jane Kowalska"  # the byline, not the publisher in <meta name=author>
    assert article.meta.source == "Energy Monthly Magazine"
    assert str(article.date) == "2024-01-15"
    body = article.body
    assert "that [Bloomberg] figures" in body
    assert "The operator's emergency plan relies on CO2-intensive peaker plants" in body
    assert "snake_case named tool grid_balance_v2" in body
    for residue in ("<u>", "</u>", "<sub>", "\\[", "\\_", "|---", "| North"):
        assert residue not in body
    paragraphs = body.split("\n\n")
    assert "Region: North; Reserve (GW): 1.2" in paragraphs and "Region: South; Reserve (GW): 0.8" in paragraphs
    assert "Related articles" not in body and "Wind farms face delays" not in body


def test_a_blog_post_takes_the_visible_writer_over_no_author_and_drops_the_section_label(tmp_path):
    article = load_one(tmp_path, "blog.html", WORDPRESS)
    assert article.title == "Why sanctions take time to bite"
    assert article.meta.author == "Marta Nowak"
    assert str(article.date) == "2023-06-02"
    assert "View all posts" not in article.body


def test_a_list_of_publisher_writer_and_agency_gives_the_writer(tmp_path):
    article = load_one(tmp_path, "de.html", GERMAN)
    assert article.title == "Stromnetz: Betreiber warnen vor Engpässen"
    assert article.meta.author == "Klaus Becker"
    assert "Weitere Artikel" not in article.body and "Windkraft im Norden" not in article.body


def test_the_visible_headline_beats_a_teaser_and_the_byline_and_photo_credit_leave_the_body(tmp_path):
    article = load_one(tmp_path, "fr.html", FRENCH)
    assert article.title == "L'Ukraine renforce ses défenses aériennes"
    assert article.meta.author == "Sophie Martin"
    assert article.date is None  # the page states no date
    assert not article.body.startswith("L'Ukraine renforce")
    assert "Par Sophie Martin" not in article.body
    assert "Crédits photos" not in article.body
    assert article.body.startswith("Kiev a annoncé mardi")


@pytest.mark.parametrize(
    ("title", "sites", "expected"),
    [
        ("Headline about the grid - Magazine Name", ["Magazine Name"], "Headline about the grid"),
        ("Headline about the grid | Radio Name", [], "Headline about the grid"),
        ("Opinion | Why sanctions take time to bite", [], "Why sanctions take time to bite"),
        ("Opinion | Why sanctions take time to bite | The Policy Blog", ["The Policy Blog"], "Why sanctions take time to bite"),
        ("Kyiv Post – Air defence: what changes now", ["kyivpost.com", "kyivpost"], "Air defence: what changes now"),
        ("Stromnetz: Betreiber warnen vor Engpässen", ["Radio Nord"], "Stromnetz: Betreiber warnen vor Engpässen"),
        ("War in Ukraine - the view from Kharkiv, a year on", [], "War in Ukraine - the view from Kharkiv, a year on"),
        ("Magazine Name", ["Magazine Name"], "Magazine Name"),
        ("Power cuts spread across the east | World news | The Guardian", ["The Guardian"], "Power cuts spread across the east"),
        ("Défenses aériennes : ce qui change", [], "Défenses aériennes : ce qui change"),
    ],
)
def test_the_site_name_and_section_labels_are_cut_from_a_title(title, sites, expected):
    assert strip_site(title, sites) == expected


@pytest.mark.parametrize(
    ("authors", "bylines", "found", "expected"),
    [
        (["No Author"], [], None, None),
        (["The Policy Blog"], [], None, None),
        (["Heinrich Böll Foundation"], [], None, None),
        (["Home About Contact Donate"], [], None, None),
        (["Reuters"], [], None, None),
        (["Publisher Media; Anna Schmidt; dpa"], [], None, "Anna Schmidt"),
        ([], ["By Jane Doe and John Smith | March 3, 2024"], None, "Jane Doe, John Smith"),
        ([], ["View all posts by Marta Nowak"], None, "Marta Nowak"),
        ([], ["Von Klaus Becker"], None, "Klaus Becker"),
        ([], ["Jane Doe is a reporter covering energy"], None, "Jane Doe"),
        ([], [], "Carlos Ruiz", "Carlos Ruiz"),
        (["Jean de la Fontaine"], [], None, "Jean de la Fontaine"),
        ([], ["By Jane Doe, Senior Correspondent | Updated 3 March 2024"], None, "Jane Doe"),
        ([], ["Por María García"], None, "María García"),
        (["Olena Kovalenko"], ["Olena Kovalenko, Kyiv"], "Energy Desk", "Olena Kovalenko"),
    ],
)
def test_the_writer_is_a_person_or_nobody(authors, bylines, found, expected):
    sig = Signals(authors=authors, bylines=bylines, byline_parts=[[b] for b in bylines], sites=["the policy blog", "policyblog"])
    assert choose_author(sig, found) == expected


def test_a_comment_author_is_never_taken_for_the_writer(tmp_path):
    html = page(
        "<title>Pipeline to open in spring</title>",
        f"<article><h1>Pipeline to open in spring</h1>{PARAS}</article>"
        '<section class="comments"><div class="comment-author">Troll Account Name</div><p>First!</p></section>',
    )
    assert load_one(tmp_path, "p.html", html).meta.author is None


def test_a_logo_in_an_h1_is_not_the_headline(tmp_path):
    html = page(
        '<title>Pipeline to open in spring, officials say | Daily Courier</title><meta property="og:site_name" content="Daily Courier">',
        f"<header><h1>Daily Courier</h1></header><article>{PARAS}</article>",
    )
    assert load_one(tmp_path, "p.html", html).title == "Pipeline to open in spring, officials say"


def test_an_explicit_published_date_wins_over_other_dates_on_the_page(tmp_path):
    html = page(
        '<title>Pipeline to open</title><meta property="article:published_time" content="2023-04-05T09:00:00Z">'
        '<meta property="article:modified_time" content="2023-11-20T09:00:00Z">',
        f"<article><h1>Pipeline to open</h1><p>Updated 20 November 2023</p>{PARAS}</article>",
    )
    assert str(load_one(tmp_path, "p.html", html).date) == "2023-04-05"


def test_hostile_json_ld_and_huge_attribute_values_do_not_break_the_page(tmp_path):
    html = page(
        '<title>Pipeline to open</title><script type="application/ld+json">{"@graph": [[[[[[[[[[{"headline": 5}]]]]]]]]]], '
        '"author": {"name": ["x", {"name": null}]}, "datePublished": 7}</script>'
        '<script type="application/ld+json">not json at all {</script>'
        f'<meta name="author" content="{"A" * 10000}">',
        f"<article><h1>Pipeline to open</h1>{PARAS}</article>",
    )
    article = load_one(tmp_path, "p.html", html)
    assert article.title == "Pipeline to open" and article.meta.author is None
    assert "Officials confirmed on Tuesday" in article.body


def test_the_article_headline_wins_over_an_unrelated_seo_title(tmp_path):
    html = page(
        "<title>Best heating deals 2024: save on energy bills | Daily Courier</title>",
        f"<header><h1>Daily Courier</h1></header><article><h1>Pipeline to open in the spring</h1>{PARAS}</article>",
    )
    assert load_one(tmp_path, "p.html", html).title == "Pipeline to open in the spring"


def test_a_closing_list_of_related_headlines_is_dropped_but_a_list_of_steps_stays():
    from briefing.corpus.html import remove_residue

    related = "First paragraph here.\n\n## More on this\n\n- Wind farms face delays\n- Gas prices fall again\n- Coal is back in Europe\n"
    assert remove_residue(related).strip() == "First paragraph here."
    steps = "Steps:\n\n- Close the valve.\n- Call the operator.\n- Wait for the crew."
    assert remove_residue(steps) == steps
    facts = "Figures:\n\n- 1.2 GW north\n- 0.8 GW south\n- 0.5 GW east"
    assert remove_residue(facts) == facts
    two = "Text.\n\n- Wind farms face delays\n- Gas prices fall again"
    assert remove_residue(two) == two


@pytest.mark.parametrize(
    ("shown", "expected"),
    [
        ("Veröffentlicht am 3. März 2024", "2024-03-03"),
        ("Publié le 12 janvier 2024 à 10h", "2024-01-12"),
        ("Publicado el 5 de marzo de 2024", "2024-03-05"),
        ("Опубліковано 3 березня 2024", "2024-03-03"),
        ("Stand: 03.02.2024 10:15 Uhr", "2024-02-03"),
        ("Posted on June 2, 2023 by Marta Nowak", "2023-06-02"),
    ],
)
def test_a_date_the_byline_shows_in_several_languages_is_the_articles_date(tmp_path, shown, expected):
    html = page("<title>Pipeline to open</title>", f'<article><h1>Pipeline to open</h1><div class="byline">{shown}</div>{PARAS}</article>')
    assert str(load_one(tmp_path, "p.html", html).date) == expected


def test_an_updated_time_is_not_the_published_date(tmp_path):
    html = page(
        "<title>Pipeline to open</title>",
        '<article><h1>Pipeline to open</h1><time class="updated" datetime="2024-05-01">1 May 2024</time>'
        f'<time class="published" datetime="2024-04-02">2 April 2024</time>{PARAS}</article>',
    )
    assert str(load_one(tmp_path, "p.html", html).date) == "2024-04-02"


def test_an_xhtml_page_with_an_xml_declaration_still_gives_its_headline_and_writer(tmp_path):
    html = '<?xml version="1.0" encoding="utf-8"?>\n' + page(
        '<title>Pipeline to open in spring | Daily Courier</title><meta name="author" content="Anna Schmidt">',
        f"<article><h1>Pipeline to open in spring</h1>{PARAS}</article>",
    )
    article = load_one(tmp_path, "p.xhtml.html", html)
    assert article.title == "Pipeline to open in spring" and article.meta.author == "Anna Schmidt"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('<p class="post-meta">Posted by Kenji Watanabe on 2 November 2020 · 7 minute read</p>', "Kenji Watanabe"),
        ('<div class="x-autorin"><span>Dr. Lea Brandt</span><small>Projektleiterin</small></div>', "Lea Brandt"),
        ('<p class="credits">Текст: Анна Белова<br>Фото: Игорь Ким</p>', "Анна Белова"),
        ('<div class="meta">Автор: <a href="/a/">Олена Коваленко</a> · 3 березня 2024, 16:30</div>', "Олена Коваленко"),
        ('<div class="authors"><a href="/e/">Dr. Samuel Okafor</a><br><span>Senior Fellow, Fiscal Policy Programme</span></div>', "Samuel Okafor"),
    ],
)
def test_a_byline_is_found_by_its_words_or_its_class_and_cut_to_the_name(tmp_path, body, expected):
    html = page("<title>Pipeline to open</title>", f"<article><h1>Pipeline to open</h1>{body}{PARAS}</article>")
    assert load_one(tmp_path, "p.html", html).meta.author == expected


def test_commenters_and_their_dates_are_not_the_writer_or_the_date(tmp_path):
    html = page(
        "<title>Pipeline to open</title>",
        f'<article><h1>Pipeline to open</h1><p class="post-meta">Posted by Kenji Watanabe on 2 November 2020</p>{PARAS}</article>'
        '<div class="comment"><p class="c-author">Sarah Tennant — 3 November 2020</p><p>Great post.</p></div>',
    )
    article = load_one(tmp_path, "p.html", html)
    assert article.meta.author == "Kenji Watanabe" and str(article.date) == "2020-11-02"


def test_a_closing_reported_from_line_names_the_writer_when_nothing_else_does(tmp_path):
    html = page("<title>Pipeline to open</title>", f"<article><h1>Pipeline to open</h1>{PARAS}<p>— Anna Weber reported from Berlin.</p></article>")
    assert load_one(tmp_path, "p.html", html).meta.author == "Anna Weber"


def test_the_sites_own_name_in_its_logo_is_neither_headline_nor_writer(tmp_path):
    html = page(
        "<title>The Valley Tribune</title>",
        '<header><h1 class="logo"><a href="/">The Valley Tribune</a></h1></header>'
        f'<div class="content"><h1>Robotics team heads to world championship</h1><span class="auteur">The Valley Tribune avec AFP</span>{PARAS}</div>',
    )
    article = load_one(tmp_path, "p.html", html)
    assert article.title == "Robotics team heads to world championship" and article.meta.author is None


def test_credits_beside_the_byline_are_not_writers(tmp_path):
    html = page(
        "<title>Pipeline to open</title>",
        '<article><h1>Pipeline to open</h1><div class="byline">Written by <a href="/g">Greg O\'Donnell</a> '
        '<span>Fact-checked by <a href="/a">Ana Ruiz</a></span></div>'
        f'<div class="credits"><span>Фото:</span> <span>Олег Ткач</span></div>{PARAS}</article>',
    )
    assert load_one(tmp_path, "p.html", html).meta.author == "Greg O'Donnell"


def test_a_long_name_with_particles_is_still_a_name_and_a_body_class_is_no_comment_section(tmp_path):
    html = page(
        '<title>Pipeline to open</title><meta name="author" content="El Diario Peninsular">',
        '<div class="node-type-commentary"><h1>Pipeline to open</h1><div class="autores">'
        '<a class="author">María José García de la Fuente</a><a class="author">Luis Otero</a></div>'
        f"{PARAS}</div>",
    )
    assert load_one(tmp_path, "p.html", html).meta.author == "María José García de la Fuente, Luis Otero"


def test_a_title_segment_that_names_the_site_is_cut():
    assert strip_site("Городской портал «Клязьма-Инфо» | Новый мост откроют к концу сентября", ["Клязьма-Инфо"]) == (
        "Новый мост откроют к концу сентября"
    )
    assert strip_site("BBC announces cuts to local radio - BBC News", ["BBC News", "bbc"]) == "BBC announces cuts to local radio"


@pytest.mark.parametrize("agency", ["Agencia Iberpress", "Stichting Vogelwacht Noord", "The Harlow Courier"])
def test_agencies_foundations_and_the_paper_itself_are_not_writers(agency):
    sig = Signals(bylines=[agency], byline_parts=[[agency]], sites=["the harlow courier"])
    assert choose_author(sig, None) is None


def test_a_comment_date_read_by_the_date_library_is_refused(tmp_path):
    html = page(
        "<title>How to store dahlia tubers over winter</title>",
        f"<article><h1>How to store dahlia tubers over winter</h1>{PARAS}</article>"
        '<section class="gc-comments"><div class="c"><b>Ruth P.</b> <span class="c-date">November 3, 2021</span><p>Thanks!</p></div></section>',
    )
    assert load_one(tmp_path, "p.html", html).date is None


def test_a_credit_sentence_under_a_report_names_its_writer(tmp_path):
    html = page(
        '<title>Boreholes fail within five years</title><meta name="author" content="Clean Water Alliance">',
        f"<article><h1>Boreholes fail within five years</h1>{PARAS}</article>"
        '<div class="report__authors"><h3>About this report</h3><p>Written by Dr. Amara N. Okafor, with field research '
        "coordinated by partners in Niamey, Mopti and Ouahigouya. Data analysis support from the Evidence &amp; Learning team.</p></div>",
    )
    assert load_one(tmp_path, "p.html", html).meta.author == "Amara N. Okafor"


def test_a_blog_name_heading_linking_home_and_leading_the_title_is_the_site(tmp_path):
    html = page(
        "<title>Crónicas del Altiplano: Subiendo al Nevado de Toluca en transporte público</title>",
        '<div id="header"><h1><a href="https://cronicas.example.com/">Crónicas del Altiplano</a></h1></div>'
        '<h2 class="date-header"><span>martes, 8 de junio de 2021</span></h2>'
        f'<div class="post"><h3 class="post-title">Subiendo al Nevado de Toluca en transporte público</h3>{PARAS}</div>',
    )
    article = load_one(tmp_path, "p.html", html)
    assert article.title == "Subiendo al Nevado de Toluca en transporte público"
    assert str(article.date) == "2021-06-08"


def test_a_short_dated_line_above_the_text_gives_the_date_and_an_author_card_in_the_sidebar_the_writer(tmp_path):
    html = page(
        "<title>Glasfaserausbau kommt voran</title>",
        '<main><h1>Glasfaserausbau kommt voran</h1><p class="c-pm__kennung">Pressemitteilung Nr. 047/2024 vom 12.03.2024</p>'
        f'{PARAS}</main><aside><div class="x-author-card"><a class="x-author-card__name">Olena Kovalchuk</a></div></aside>',
    )
    article = load_one(tmp_path, "p.html", html)
    assert str(article.date) == "2024-03-12" and article.meta.author == "Olena Kovalchuk"
