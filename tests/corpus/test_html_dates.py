"""Which date an HTML page was published on: published beats updated, the article's own
date beats a teaser's, contradicting statements give no date unless the page decides."""

from __future__ import annotations

import datetime as dt

import pytest

from briefing.corpus.htmldates import published_part, url_date, visible_date

from .helpers import load_one

PARA = "<p>Officials confirmed on Tuesday that the harbour bridge would reopen in the spring, after months of repairs and delays.</p>"
BODY = PARA * 4


def _page(body: str, head: str = "", title: str = "Harbour bridge to reopen in spring") -> str:
    return f"<html><head><title>{title}</title>{head}</head><body>{body}</body></html>"


def _date(tmp_path, html: str) -> dt.date | None:
    return load_one(tmp_path, "p.html", html).date


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("5 березня 2024", dt.date(2024, 3, 5)),
        ("3. März 2024, 10:12 Uhr", dt.date(2024, 3, 3)),
        ("5 de marzo de 2024", dt.date(2024, 3, 5)),
        ("martes, 5 de marzo del 2024", dt.date(2024, 3, 5)),
        ("5 marca 2024 r.", dt.date(2024, 3, 5)),
        ("Publié le 3 févr. 2024 à 18h00", dt.date(2024, 2, 3)),
        ("Pubblicato il 12 ott 2023", dt.date(2023, 10, 12)),
        ("05.03.2024 14:02", dt.date(2024, 3, 5)),
        ("2024年3月5日 10:00", dt.date(2024, 3, 5)),
        ("2024년 3월 5일", dt.date(2024, 3, 5)),
        ("5. března 2024", dt.date(2024, 3, 5)),
        ("2 hours ago", None),
        ("vor 3 Stunden", None),
        ("© 2024 Example Media", None),
        ("5 marzo", None),  # no year: not a full date
    ],
)
def test_visible_dates_in_several_languages_and_shapes(text, want):
    assert visible_date(text) == want


def test_the_published_part_of_a_published_and_updated_line():
    assert visible_date(published_part("Veröffentlicht am 3. März 2024, aktualisiert am 5. März 2024")) == dt.date(2024, 3, 3)
    assert visible_date(published_part("Aktualizacja: 02.12.2024 08:00")) is None
    assert visible_date(published_part("Updated 5 March 2024")) is None


def test_a_date_in_the_url_path():
    assert url_date("https://example.org/news/2024/03/05/bridge-to-reopen") == dt.date(2024, 3, 5)
    assert url_date("https://example.org/2024-03-05-bridge.html") == dt.date(2024, 3, 5)
    assert url_date("https://example.org/news/bridge-2024?id=20240305") is None
    assert url_date("https://example.org/2024/13/45/x") is None


def test_an_update_line_above_the_text_is_not_the_published_date(tmp_path):
    body = (
        '<article><h1>Harbour bridge to reopen in spring</h1>'
        '<div class="firma"><span class="autor">Autor: Anna Kowalska</span> <span class="data">19.11.2024 14:02</span> '
        '<span class="aktualizacja">Aktualizacja: 02.12.2024 08:00</span></div>'
        f"{BODY}</article>"
    )
    assert _date(tmp_path, _page(body)) == dt.date(2024, 11, 19)


def test_an_update_line_alone_gives_no_date(tmp_path):
    body = f'<article><h1>Harbour bridge to reopen in spring</h1><p class="meta">Zaktualizowano 02.12.2024</p>{BODY}</article>'
    assert _date(tmp_path, _page(body)) is None


def test_published_and_updated_on_one_visible_line(tmp_path):
    body = (
        '<article><h1>Harbour bridge to reopen in spring</h1>'
        "<p>Veröffentlicht am 3. März 2024, aktualisiert am 5. März 2024</p>"
        f"{BODY}</article>"
    )
    assert _date(tmp_path, _page(body)) == dt.date(2024, 3, 3)


def test_a_time_labelled_as_an_update_is_passed_over(tmp_path):
    body = (
        '<article><h1>Harbour bridge to reopen in spring</h1>'
        '<p>Updated <time datetime="2024-03-09T08:00">9 March 2024</time> · '
        'First published <time datetime="2024-03-05T10:00">5 March 2024</time></p>'
        f"{BODY}</article>"
    )
    assert _date(tmp_path, _page(body)) == dt.date(2024, 3, 5)


def test_metadata_that_disagrees_is_decided_by_the_visible_date(tmp_path):
    head = ('<meta property="article:published_time" content="2024-03-05T09:00:00+01:00">'
            '<script type="application/ld+json">{"@type":"NewsArticle","headline":"Harbour bridge to reopen in spring",'
            '"datePublished":"2024-02-28T09:00:00+01:00"}</script>')
    shown = '<article><h1>Harbour bridge to reopen in spring</h1><p class="date">28 February 2024</p>'
    assert _date(tmp_path / "a", _page(f"{shown}{BODY}</article>", head)) == dt.date(2024, 2, 28)
    unshown = "<article><h1>Harbour bridge to reopen in spring</h1>"
    assert _date(tmp_path / "b", _page(f"{unshown}{BODY}</article>", head)) is None  # nothing decides: no date


def test_metadata_that_disagrees_is_decided_by_the_url(tmp_path):
    head = ('<link rel="canonical" href="https://example.org/city/2024/02/28/harbour-bridge">'
            '<meta property="article:published_time" content="2024-03-05T09:00:00+01:00">'
            '<meta name="parsely-pub-date" content="2024-02-28T09:00:00+01:00">')
    body = f"<article><h1>Harbour bridge to reopen in spring</h1>{BODY}</article>"
    assert _date(tmp_path, _page(body, head)) == dt.date(2024, 2, 28)


def test_metadata_that_agrees_with_itself_wins_over_a_different_visible_date(tmp_path):
    head = ('<meta property="article:published_time" content="2024-03-05T09:00:00+01:00">'
            '<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2024-03-05T09:00:00+01:00",'
            '"dateModified":"2024-03-20T09:00:00+01:00"}</script>')
    body = f'<article><h1>Harbour bridge to reopen in spring</h1><p class="date">20 March 2024</p>{BODY}</article>'
    assert _date(tmp_path, _page(body, head)) == dt.date(2024, 3, 5)


@pytest.mark.parametrize(
    "related",
    [
        # a teaser <article> in a related list, with a <time> and microdata of its own
        '<aside class="related"><article class="card"><h3>Ferry fares rise</h3>'
        '<time itemprop="datePublished" datetime="2023-11-02">2 November 2023</time></article></aside>',
        '<div class="more-stories"><article><h3>Ferry fares rise</h3><time datetime="2023-11-02">2 Nov 2023</time></article></div>',
        '<section class="trending"><ul><li><a href="/x">Ferry fares rise</a> <time datetime="2023-11-02">2 Nov 2023</time></li></ul></section>',
    ],
)
def test_a_related_articles_date_does_not_become_the_pages(tmp_path, related):
    body = f"{related}<main><article><h1>Harbour bridge to reopen in spring</h1>{BODY}</article></main>"
    assert _date(tmp_path, _page(body)) != dt.date(2023, 11, 2)


def test_the_articles_time_wins_over_a_teasers_before_it(tmp_path):
    body = (
        '<aside class="related"><article><h3>Ferry fares rise</h3><time datetime="2023-11-02">2 Nov 2023</time></article></aside>'
        '<main><article><h1>Harbour bridge to reopen in spring</h1><time datetime="2024-03-05">5 March 2024</time>'
        f"{BODY}</article></main>"
    )
    assert _date(tmp_path, _page(body)) == dt.date(2024, 3, 5)


def test_a_date_only_in_the_url_path(tmp_path):
    head = '<link rel="canonical" href="https://blog.example.net/2021/07/14/harbour-bridge/">'
    body = f"<article><h1>Harbour bridge to reopen in spring</h1>{BODY}</article>"
    assert _date(tmp_path, _page(body, head)) == dt.date(2021, 7, 14)


def test_a_live_blogs_entry_times_do_not_replace_its_start(tmp_path):
    head = '<meta property="article:published_time" content="2024-03-05T06:00:00Z">'
    entries = "".join(
        f'<div class="live-entry"><time datetime="2024-03-0{d}T1{d}:00Z">{d} March 2024</time>{PARA}</div>' for d in (7, 6)
    )
    body = f"<article><h1>Harbour bridge: live</h1>{entries}{BODY}</article>"
    assert _date(tmp_path, _page(body, head, "Harbour bridge: live")) == dt.date(2024, 3, 5)


def test_a_weak_meta_date_is_used_when_nothing_names_the_published_one(tmp_path):
    head = '<meta name="dc.date" content="2022-09-30">'
    body = f"<article><h1>Harbour bridge to reopen in spring</h1>{BODY}<p>© 2024 Example</p></article>"
    assert _date(tmp_path, _page(body, head)) == dt.date(2022, 9, 30)


def test_a_site_name_that_is_the_headline_does_not_hide_the_headline(tmp_path):
    head = ('<meta property="og:title" content="Harbour bridge to reopen in spring - City Daily Online">'
            '<script type="application/ld+json">{"@type":"NewsArticle","author":{"@type":"Organization","name":"City Daily Online"}}</script>')
    body = ('<header><div class="marca"><a href="/">City Daily Online</a></div></header>'
            f'<main><article><h1 class="titulo">Harbour bridge to reopen in spring</h1>{BODY}</article></main>')
    article = load_one(tmp_path, "p.html", _page(body, head, "Harbour bridge to reopen in spring | City Daily Online"))
    assert article.meta.title == "Harbour bridge to reopen in spring"


def test_a_videos_upload_date_in_json_ld_does_not_contradict_the_article(tmp_path):
    head = ('<meta property="article:published_time" content="2024-03-05T09:00:00+01:00">'
            '<script type="application/ld+json">[{"@type":"NewsArticle","datePublished":"2024-03-05T09:00:00+01:00"},'
            '{"@type":"VideoObject","name":"Drone flight","datePublished":"2022-01-10T09:00:00Z"}]</script>')
    body = f"<article><h1>Harbour bridge to reopen in spring</h1>{BODY}</article>"
    assert _date(tmp_path, _page(body, head)) == dt.date(2024, 3, 5)


def test_microdata_of_a_teaser_is_not_the_pages_published_date(tmp_path):
    body = (
        f"<main><article><h1>Harbour bridge to reopen in spring</h1>{BODY}</article></main>"
        '<aside><div class="related" itemscope itemtype="https://schema.org/NewsArticle"><h3>Ferry fares rise</h3>'
        '<meta itemprop="datePublished" content="2023-11-02"></div></aside>'
    )
    assert _date(tmp_path, _page(body)) != dt.date(2023, 11, 2)


def test_a_short_sentence_that_mentions_a_date_is_not_the_pages_date(tmp_path):
    body = ("<article><h1>Harbour bridge to reopen in spring</h1>"
            f"<p>On 5 March 2024 the council voted to close the old bridge.</p>{BODY}</article>")
    assert _date(tmp_path, _page(body)) is None


def test_slashed_dates_follow_the_pages_language_and_stay_out_when_it_is_unknown(tmp_path):
    assert visible_date("05/03/2024", "dmy") == dt.date(2024, 3, 5)
    assert visible_date("05/03/2024", "mdy") == dt.date(2024, 5, 3)
    assert visible_date("05/03/2024") is None  # ambiguous without a language
    assert visible_date("25/03/2024") == dt.date(2024, 3, 25)  # only one reading
    line = '<p class="fecha">Publicado: 05/03/2024 10:12 | Actualizado: 06/03/2024 08:00</p>'
    body = f"<article><h1>El puente reabre en primavera</h1>{line}{BODY}</article>"
    spanish = _page(body, title="El puente reabre en primavera").replace("<html>", '<html lang="es">')
    assert _date(tmp_path / "es", spanish) == dt.date(2024, 3, 5)
    american = _page(body.replace("Publicado", "Posted").replace("Actualizado", "Updated")).replace("<html>", '<html lang="en-US">')
    assert _date(tmp_path / "us", american) == dt.date(2024, 5, 3)


def test_a_list_of_dated_links_above_the_article_is_not_its_date(tmp_path):
    latest = ('<div class="latest-news"><ul><li><a href="/a">Ferry fares rise</a><span class="date">2 November 2023</span></li>'
              '<li><a href="/b">Port expands</a><span class="date">1 November 2023</span></li></ul></div>')
    assert _date(tmp_path, _page(f"{latest}<article><h1>Harbour bridge to reopen in spring</h1>{BODY}</article>")) is None


def test_one_moment_written_in_two_time_zones_is_the_sites_local_day(tmp_path):
    head = ('<meta property="article:published_time" content="2024-03-06T04:30:00Z">'
            '<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2024-03-05T23:30:00-05:00"}</script>')
    body = f"<article><h1>Harbour bridge to reopen in spring</h1>{BODY}</article>"
    assert _date(tmp_path / "a", _page(body, head)) == dt.date(2024, 3, 5)
    apart = head.replace("04:30:00Z", "14:30:00Z")  # ten hours apart: two statements, nothing decides
    assert _date(tmp_path / "b", _page(body, apart)) is None


@pytest.mark.parametrize(
    "masthead",
    [
        '<header class="site"><div class="top-bar"><span class="date">Thursday, 7 March 2024</span></div>'
        '<a class="logo" href="/">Coast News</a><nav><a href="/">Home</a></nav></header>',
        '<header><time datetime="2024-03-07">7 March 2024</time><nav><a href="/">Home</a></nav></header>',
        '<div class="cabecera"><span class="fecha-hoy">jueves, 7 de marzo de 2024</span></div>',
    ],
)
def test_todays_date_in_the_masthead_is_not_the_articles(tmp_path, masthead):
    body = f'{masthead}<div class="content"><h1>Harbour bridge to reopen in spring</h1>{BODY}</div>'
    assert _date(tmp_path, _page(body)) is None


def test_the_articles_own_header_outside_the_text_still_dates_it(tmp_path):
    body = ('<header class="site"><nav><a href="/">Home</a></nav></header><header class="article-header">'
            '<h1>Harbour bridge to reopen in spring</h1><time datetime="2024-03-05">5 March 2024</time></header>'
            f'<div class="content">{BODY}</div>')
    assert _date(tmp_path, _page(body)) == dt.date(2024, 3, 5)


def test_a_time_inside_a_sentence_is_not_the_pages_date(tmp_path):
    sentence = ('<p>The council will meet on <time datetime="2024-04-12">12 April 2024</time> to decide whether the bridge '
                "should reopen in the spring, after months of repairs and delays to the works, officials said.</p>")
    body = f"<article><h1>Harbour bridge to reopen in spring</h1>{sentence}{BODY}</article>"
    assert _date(tmp_path, _page(body)) is None


def test_an_update_line_in_a_pages_text_is_not_its_date_but_stays_one_in_plain_text(tmp_path):
    body = f"<article><h1>Harbour bridge to reopen in spring</h1><p>Last updated: 5 March 2024</p>{BODY}</article>"
    assert _date(tmp_path, _page(body)) is None
    text = "Harbour bridge to reopen\n\nLast updated: 5 March 2024\n\nOfficials confirmed on Tuesday that the bridge would reopen.\n"
    assert load_one(tmp_path, "p.txt", text).date == dt.date(2024, 3, 5)  # plain text as before


def test_a_dotted_date_in_metadata_is_day_first_and_a_two_digit_year_is_no_date():
    from briefing.corpus.dates import coerce_date

    assert coerce_date("05.03.2024") == dt.date(2024, 3, 5)
    assert coerce_date("5.3.2024 14:02") == dt.date(2024, 3, 5)
    assert coerce_date("24-03-05") is None
    assert coerce_date("March 5, 24") is None


@pytest.mark.parametrize("mark", ['pubdate datetime="2024-03-05"', 'class="dt-published" datetime="2024-03-05"'])
def test_a_time_marked_as_published_beats_an_earlier_unmarked_one(tmp_path, mark):
    body = ('<article><header><h1>Harbour bridge to reopen in spring</h1><p class="event">Reopening: '
            f'<time datetime="2024-04-12">12 April 2024</time></p><p>Posted <time {mark}>5 March 2024</time></p></header>'
            f"{BODY}</article>")
    assert _date(tmp_path, _page(body)) == dt.date(2024, 3, 5)
