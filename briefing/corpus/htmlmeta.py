"""Our own layer over an HTML page's metadata: the headline, the writer, the date.

trafilatura returns the ``<title>`` as the page states it ("Headline - Magazine Name",
"Opinion | Headline"), a teaser ``og:title`` where one exists, and as the author the
first thing it finds (the publisher, "No Author", "View all posts by …", a list of
names joined by ``;``). The page itself says better in several places: the visible
``<h1>``, the site's own name (``og:site_name``, JSON-LD ``publisher``, the host
name), the byline element, JSON-LD ``author`` and ``datePublished``. This module reads
those once from the parsed page (:func:`signals`) and decides:

- :func:`choose_title`: the visible headline when the page's metadata agrees with it,
  otherwise the metadata title with the site's name and section labels cut off;
- :func:`briefing.corpus.htmlauthors.choose_author` (its own module): a person's
  name, never the site, the publisher, an agency list or page furniture; ``None``
  rather than a wrong name;
- :func:`choose_date`: an explicitly published date in the page's metadata wins over
  a guessed one.

Plain Python over lxml (which trafilatura brings); no Textual, no network.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from briefing.corpus import htmldates
from briefing.corpus.dates import coerce_date
from briefing.corpus.htmldates import choose_date, visible_date
from briefing.corpus.htmlplace import add_date as _add
from briefing.corpus.htmlplace import element_attrs as _attrs
from briefing.corpus.htmlplace import labelled_update as _labelled_update
from briefing.corpus.htmlplace import placement as _placement
from briefing.corpus.htmlplace import teaser as _teaser

__all__ = ["Signals", "choose_date", "choose_title", "is_headline", "is_site", "norm", "signals", "strip_site", "visible_date"]

MAX_FIELD = 300
MAX_CANDIDATES = 200  # byline and date elements read on one page
_SEPARATORS = re.compile(r"\s+(?:[|\-–—·•»:/]|::)\s+")
_SPACE = re.compile(r"\s+")
_NON_WORD = re.compile(r"[\W_]+")
_ARTICLE_WORD = re.compile(r"^(?:the|der|die|das|le|la|les|el|los|las|il|lo|de|het|o|a|os|as)\s+")
_MARKS = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")

# Section labels that sites put before or after a headline ("Opinion | …").
_SECTIONS = frozenset(
    """
    opinion opinions comment commentary analysis news latest breaking live world europe politics business
    economy tech technology science culture sport sports features feature blog blogs editorial column
    meinung kommentar politik wirtschaft nachrichten ausland inland kultur
    opinión opinion internacional política economía noticias
    opinione politica esteri cronaca
    tribune éditorial édito politique monde économie actualité actualités international
    opinia polityka świat
    """.split()
)

_BYLINE_ATTR = re.compile(r"(?i)(?:^|[\s_-])(?:authors?|byl|byline|autor(?:in|en)?|auteurs?|writer|columnist|reporter|journalist|correspondent|firma|signature|podpis|creator|credits?)(?:$|[\s_-]|name)")
_BYLINE_TAGS = (
    "p", "div", "span", "address", "li", "small", "a", "section", "header", "strong", "em", "b", "time",
    "h2", "h3", "h4", "h5", "h6", "abbr", "dd", "dt", "meta",
)  # fmt: skip
_BYLINE_START = re.compile(
    r"(?i)^\s*(?:[—–-]\s*)?(?:by|posted\s+by|written\s+by|story\s+by|words\s+by|reporting\s+by|von|par|por|di|door|av|"
    r"autor(?:ka|in)?\s*:|auteur\s*:|author\s*:|автор\s*:|текст\s*:|текст\s+і\s+фото\s*:|interview(?:ed)?\s+by|"
    r"розмовля\w*\s*:|беседовал\w*\s*:|r[ée]dac(?:tion|ción)\s*:|redaktion\s*:|texte?\s*:|texto\s*:|testo\s*:|tekst\s*:)\s+\S"
)
_CREDIT = re.compile(
    r"(?i)^\s*(?:(?:photo|foto|фото|image|bild|illustrat|video|grafik|infografik|zdjęci|ілюстрац|иллюстрац)[^\W\d]*\s*[:©]"
    r"|(?:fact[- ]checked|edited|reviewed|photographs?|photos?|illustrations?|graphics|translated|additional\s+reporting)\s+by\b)"
)
_DATE_ATTR = re.compile(r"(?i)(?:^|[\s_-])(?:date|dateline|time|datum|fecha|data|дата|published|pubdate|timestamp)(?:$|[\s_-])")
_HOME = re.compile(r"(?i)^(?:/|\./|(?:https?:)?//[^/]+/?)(?:index\.\w+)?$")
_LOGO = re.compile(r"(?i)logo|brand|masthead|site-?(?:title|name)|blog-?title")
_PUBLISHED_ATTR = re.compile(r"(?i)publish|posted|pubdate|entry-date|byline")
# A class that states the first publication (microformats2); ``<time pubdate>`` does too.
_EXPLICIT_PUBLISHED = re.compile(r"(?i)(?:^|\s)dt-published(?:$|\s)")


@dataclass
class Signals:
    """What an HTML page says about itself, read once."""

    title_tag: str | None = None
    meta_titles: list[str] = field(default_factory=list)  # og:title, twitter:title, JSON-LD headline
    h1: list[str] = field(default_factory=list)
    article_h1: list[str] = field(default_factory=list)  # h1 inside <article>/<main> or marked as the headline
    sites: list[str] = field(default_factory=list)  # the site's and publisher's names, host name words
    authors: list[str] = field(default_factory=list)  # JSON-LD and meta author values
    bylines: list[str] = field(default_factory=list)  # the text of byline elements
    byline_parts: list[list[str]] = field(default_factory=list)  # each byline's text nodes, photo credits left out
    byline_groups: list[int] = field(default_factory=list)  # per byline: a number shared by bylines of one parent
    side_bylines: list[list[str]] = field(default_factory=list)  # author cards in a sidebar or footer
    header_date: dt.date | None = None  # the first full date in a short line above the text
    updated: set[dt.date] = field(default_factory=set)  # dates the page labels as updates or modifications
    skipped_dates: set[dt.date] = field(default_factory=set)  # dates of comments and related lists
    stated: list[dt.date] = field(default_factory=list)  # explicitly published dates: metadata, JSON-LD, microdata
    instants: list[htmldates.Instant] = field(default_factory=list)  # those of them written with a time zone
    weak: dt.date | None = None  # a metadata date not named as the published one (``<meta name="date">``)
    url_date: dt.date | None = None  # a date in the canonical URL's path
    shown: dt.date | None = None  # a <time> in the article or a date in a byline element


def _text(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    text = _SPACE.sub(" ", value).strip()
    return text[:MAX_FIELD] or None


def norm(text: str) -> str:
    """Case-, accent- and punctuation-free form for comparing names and titles."""
    folded = text.casefold()
    if not folded.isascii():
        folded = _MARKS.sub("", unicodedata.normalize("NFKD", folded))
    return " ".join(_NON_WORD.sub(" ", folded).split())


def _jsonld_items(data: Any, depth: int = 0) -> list[dict[str, Any]]:
    if depth > 6:
        return []
    if isinstance(data, list):
        return [item for part in data[:50] for item in _jsonld_items(part, depth + 1)]
    if isinstance(data, dict):
        items = [data]
        graph = data.get("@graph")
        if graph is not None:
            items.extend(_jsonld_items(graph, depth + 1))
        return items
    return []


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        found = _text(value)
        return [found] if found else []
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        return [name for part in value[:10] for name in _names(part)]
    return []


def _without_credits(segments: list[str]) -> list[str]:
    """Text nodes of a byline without photo, fact-check or editing credits: a credit's
    label (``Фото:``, ``Fact-checked by``) and, when the names stand apart, the next node."""
    kept: list[str] = []
    skip_next = False
    for seg in segments:
        if skip_next:
            skip_next = False
            continue
        m = _CREDIT.match(seg)
        if m:
            skip_next = not seg[m.end() :].strip(" :©")
            continue
        kept.append(seg)
    return kept


def _host_words(url: str | None) -> list[str]:
    if not url:
        return []
    m = re.match(r"(?i)https?://([^/:?#\s]+)", url.strip())
    if not m:
        return []
    host = m.group(1).lower().removeprefix("www.")
    parts = host.split(".")
    core = parts[-2] if len(parts) >= 2 else parts[0]
    return [host, core]


def signals(tree: Any, full: bool = True) -> Signals:
    """Read the page's own statements from an lxml HTML tree (nothing is changed).

    ``full=False`` reads only what costs little on any page (the head's metadata,
    JSON-LD, headings, ``<time>``): no element-by-element scan for logos and bylines.
    """
    sig = Signals()
    order = htmldates.slash_order(tree)

    def seen(text: str) -> dt.date | None:
        return visible_date(text, order)

    head_title = tree.find(".//title")
    if head_title is not None:
        sig.title_tag = _text(head_title.text_content())
    urls: list[str] = []
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        content = _text(meta.get("content"))
        if not key or not content:
            continue
        if not (meta.get("property") or meta.get("name")) and _teaser(meta):
            continue  # microdata of a teaser in a related list (its dates are read below)
        if key in ("og:title", "twitter:title"):
            sig.meta_titles.append(content)
        elif key in ("og:site_name", "application-name", "twitter:site", "publisher", "dc.publisher", "copyright"):
            sig.sites.append(content.lstrip("@"))
        elif key in ("author", "article:author", "dc.creator", "byl", "sailthru.author", "parsely-author"):
            if not content.lower().startswith(("http://", "https://")):
                sig.authors.append(content)
        elif key == "og:url":
            urls.append(content)
        elif key in htmldates.PUBLISHED_KEYS or htmldates.PUBLISHED_KEY.search(key):
            day = coerce_date(content[:40])
            if day and len(sig.stated) < 20:
                sig.stated.append(day)
                htmldates.note_instant(sig.instants, content, day)
        elif key in htmldates.WEAK_DATE_KEYS and sig.weak is None:
            sig.weak = coerce_date(content[:40])
        elif htmldates.MODIFIED.search(key) and len(sig.updated) < 20:
            _add(sig.updated, coerce_date(content[:40]))
    for link in tree.iter("link"):
        if (link.get("rel") or "").strip().lower() == "canonical" and link.get("href"):
            urls.append(link.get("href"))
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        raw = script.text or ""
        if len(raw) > 200_000:
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        for item in _jsonld_items(data):
            kind = item.get("@type")
            kinds = {kind} if isinstance(kind, str) else set(kind) if isinstance(kind, list) else set()
            if kinds & {"Organization", "NewsMediaOrganization", "WebSite"}:
                sig.sites.extend(_names(item.get("name")))
                continue
            headline = _text(item.get("headline"))
            if headline:
                sig.meta_titles.append(headline)
            sig.authors.extend(_names(item.get("author")))
            sig.sites.extend(_names(item.get("publisher")))
            dated = not kinds or any(htmldates.PAGE_TYPE.search(str(k)) for k in kinds)  # not a video's or an event's
            if dated and isinstance(item.get("datePublished"), str) and len(sig.stated) < 20:
                day = coerce_date(item["datePublished"][:40])
                if day:
                    sig.stated.append(day)
                    htmldates.note_instant(sig.instants, item["datePublished"], day)
            if isinstance(item.get("dateModified"), str) and len(sig.updated) < 20:
                _add(sig.updated, coerce_date(item["dateModified"][:40]))
    for url in urls:
        sig.sites.extend(_host_words(url))
        sig.url_date = sig.url_date or htmldates.url_date(url)
    for logo in tree.iter("a", "div", "span", "p", "img") if full else ():
        if _LOGO.search(_attrs(logo)):
            name = _text(logo.get("alt") if logo.tag == "img" else logo.text_content())
            if name and len(name) <= 60:
                sig.sites.append(name)
            if len(sig.sites) > 20:
                break
    for h1 in list(tree.iter("h1"))[:5]:
        text = _text(h1.text_content())
        if not text:
            continue
        links = [a for a in h1.iter("a")]
        to_home = len(links) == 1 and _HOME.match((links[0].get("href") or "").strip()) is not None
        if to_home or _LOGO.search(_attrs(h1)) or any(_LOGO.search(_attrs(a)) for a in h1.iterancestors() if a.tag != "body"):
            sig.sites.append(text)  # the site's name in a heading, not a headline
            continue
        sig.h1.append(text)
        marked = (h1.get("itemprop") or "").lower() == "headline"
        if marked or any(a.tag in ("article", "main") for a in h1.iterancestors()):
            sig.article_h1.append(text)
    for time in tree.iter("time"):
        attrs = _attrs(time)
        if htmldates.MODIFIED.search(attrs) or _labelled_update(time):
            if len(sig.updated) < 20:
                _add(sig.updated, coerce_date((time.get("datetime") or "")[:40]) or seen(time.text_content()[:80]))
            continue
        if _teaser(time):
            if len(sig.skipped_dates) < 50:
                _add(sig.skipped_dates, coerce_date((time.get("datetime") or "")[:40]) or seen(time.text_content()[:80]))
            continue
        parent = time.getparent()
        if parent is not None and parent.tag == "p" and len(parent.text_content()) > 150:
            if len(sig.skipped_dates) < 50:  # a date the running text mentions
                _add(sig.skipped_dates, coerce_date((time.get("datetime") or "")[:40]))
            continue
        in_article = any(a.tag in ("article", "main", "header") for a in time.iterancestors())
        if in_article or _PUBLISHED_ATTR.search(attrs):
            sig.shown = coerce_date((time.get("datetime") or "")[:40]) or seen(time.text_content()[:80])
            if sig.shown:
                break
    if not full:
        return sig
    looked = 0
    parents: dict[str, int] = {}
    in_body = False  # past the first long paragraph: dates found there are not the page's own
    for element in tree.iter(*_BYLINE_TAGS):
        if element.tag == "p" and not in_body and len(element.text_content()) >= 200:
            in_body = True
        attrs = _attrs(element)
        by_class = bool(attrs and _BYLINE_ATTR.search(attrs))
        date_class = bool(attrs and _DATE_ATTR.search(attrs))
        published = (element.get("itemprop") or "").strip().lower() == "datepublished" or _EXPLICIT_PUBLISHED.search(
            element.get("class") or ""
        ) is not None or (element.tag == "time" and element.get("pubdate") is not None)
        if published and len(sig.stated) < 20:
            stamp = element.get("datetime") or element.get("content") or element.get("title") or ""
            day = coerce_date(stamp[:40]) or seen(element.text_content()[:80])
            if day and not _teaser(element):
                sig.stated.append(day)
                htmldates.note_instant(sig.instants, stamp, day)
            elif day and len(sig.skipped_dates) < 50:
                sig.skipped_dates.add(day)
        if not (by_class or date_class):
            # Only the element's opening words are read here: text_content() of every
            # element would cost the square of the page's size on deeply nested pages.
            first = element[0] if len(element) else None
            head = (element.text or "") + ((first.text or "") if first is not None and isinstance(first.tag, str) else "")
            if not _BYLINE_START.match(head[:60]):
                if not in_body and sig.header_date is None and element.tag in ("p", "div", "span", "li", "small") and len(element) <= 3:
                    short = _text(element.text_content())
                    if short and len(short) <= 100 and not _teaser(element):
                        before = htmldates.published_part(short)
                        sig.header_date = seen(before) if htmldates.date_like(before) else None
                        if len(before) < len(short) and len(sig.updated) < 20:
                            _add(sig.updated, seen(short[len(before) :]))
                continue
        looked += 1
        if looked > MAX_CANDIDATES:
            break
        text = _text(element.text_content())
        if not text:
            continue
        starts = bool(_BYLINE_START.match(text))
        if len(text) > 150 and not starts:
            continue
        text = text[:300]
        is_byline = by_class or starts
        is_date = date_class and len(text) <= 60 and not in_body
        place = _placement(element)
        if date_class and len(text) <= 60 and len(sig.skipped_dates) < 50 and (place == "skip" or _teaser(element)):
            day = seen(text)
            if day:
                sig.skipped_dates.add(day)
        if not (is_byline or is_date) or place == "skip":
            continue
        if is_byline and len(sig.bylines) < 10:
            if place == "side":
                if by_class:  # an author card beside the text: used when nothing better is found
                    sig.side_bylines.append(_without_credits([seg for seg in (_text(t) for t in element.itertext()) if seg]))
                continue
            sig.bylines.append(text)
            sig.byline_parts.append(_without_credits([seg for seg in (_text(t) for t in element.itertext()) if seg]))
            parent = element.getparent()
            key = element.getroottree().getpath(parent) if parent is not None else ""
            sig.byline_groups.append(parents.setdefault(key, len(parents)))
        if sig.shown is None and place == "main" and not in_body and not htmldates.MODIFIED.search(attrs) and not _teaser(element):
            sig.shown = seen(htmldates.published_part(text))
    return sig


# --- titles -------------------------------------------------------------------------


def _bare(name: str) -> str:
    return _ARTICLE_WORD.sub("", name).replace(" ", "")


def is_site(segment: str, sites: set[str]) -> bool:
    """``segment`` is empty or one of the site's names ``sites`` (normalized; "The" aside)."""
    n = norm(segment)
    if not n:
        return True
    if n in sites:
        return True
    return any(_bare(n) == _bare(s) for s in sites)


def _names_site(segment: str, sites: set[str]) -> bool:
    """The segment holds one of the site's names (of five letters or more) as words."""
    padded = f" {norm(segment)} "
    return any(len(s) >= 5 and f" {s} " in padded for s in sites)


def _is_section(segment: str) -> bool:
    words = norm(segment).split()
    return 0 < len(words) <= 2 and all(w in _SECTIONS for w in words)


def strip_site(title: str, site_names: list[str]) -> str:
    """``title`` without the site's name and section labels around it."""
    sites = {norm(s) for s in site_names if norm(s)}
    m = re.match(r"\s*(.{3,80}?)\s*:\s+(?=\S)", title)
    if m and is_site(m.group(1), sites) and len(title) - m.end() >= 10:
        title = title[m.end() :]  # "Site: Headline"
    parts = [p for p in _SEPARATORS.split(title) if p.strip()]
    if len(parts) <= 1:
        return title.strip()
    kept = [p for p in parts if not is_site(p, sites) and not _is_section(p)]
    named = [p for p in kept if _names_site(p, sites)]
    if named and len(named) < len(kept):
        kept = [p for p in kept if p not in named]  # "City portal «Site» | Headline"
    if not kept:
        return title.strip()
    if len(kept) == len(parts):
        # Nothing recognised: a trailing short segment after " | " or " - " is still most
        # likely the site ("Headline | Radio Name"), unless it is the longer part.
        last = parts[-1]
        if len(parts) == 2 and len(last.split()) <= 4 and len(last) < len(parts[0]) / 2 and re.search(r"\s[|–—-]\s[^|–—-]+$", title):
            return parts[0].strip()
        return title.strip()
    while len(kept) >= 2 and max(len(k.split()) for k in kept) >= 4:
        if len(kept[-1].split()) <= 2:
            kept.pop()  # a section label the site did not spell like ours ("… | Money")
        elif len(kept[0].split()) <= 2:
            kept.pop(0)
        else:
            break
    # Rejoin what is left with the separators the title used between those parts.
    start = title.find(kept[0])
    end = title.rfind(kept[-1]) + len(kept[-1])
    return title[start:end].strip() if 0 <= start < end else kept[0].strip()


def _agrees(a: str, b: str) -> bool:
    na, nb = norm(a), norm(b)
    if not na or not nb:
        return False
    if na == nb or (len(na) >= 12 and na in nb) or (len(nb) >= 12 and nb in na):
        return True
    wa, wb = set(na.split()), set(nb.split())
    return len(wa & wb) / max(1, min(len(wa), len(wb))) >= 0.8 and min(len(wa), len(wb)) >= 3


def is_headline(name: str, sig: Signals) -> bool:
    """``name`` (a site name from elsewhere) is the page's visible headline, not a site."""
    n = norm(name)
    return len(n.split()) >= 4 and any(norm(h) == n for h in sig.h1)


def choose_title(sig: Signals, found: str | None) -> str | None:
    """The page's headline (see the module's docstring)."""
    sites = [*sig.sites]
    stated = [t for t in (sig.title_tag, *sig.meta_titles, found) if t]
    cleaned = [strip_site(t, sites) for t in stated]
    site_norms = {norm(s) for s in sites}
    for h1 in sig.h1:
        if norm(h1) in site_norms or len(h1.split()) < 2:
            continue
        if any(_agrees(h1, c) for c in cleaned):
            return h1
    headlines = [h for h in sig.article_h1 if len(h.split()) >= 3 and not is_site(h, site_norms) and not _is_section(h)]
    if len(headlines) == 1:
        return headlines[0]  # the article's own headline, whatever the metadata says
    if len(sig.h1) == 1 and not stated and len(sig.h1[0].split()) >= 3:
        return sig.h1[0]
    if sig.title_tag:
        tag = strip_site(sig.title_tag, sites)
        # A meta title that the <title> contains is the same headline; one that it does
        # not contain may be a teaser: the <title> is the page's own statement.
        if tag and not is_site(tag, site_norms):
            return tag
    for c in cleaned:
        if c and not is_site(c, site_norms):
            return c
    others = [h for h in sig.h1 if len(h.split()) >= 2 and not is_site(h, site_norms)]
    if others:
        return others[0]  # every stated title is the site's name: the page's heading is the headline
    return found
