"""Where on an HTML page an element stands: in the article, beside it (a sidebar, a
footer, a menu), or in something that is not the article's own (comments, related
lists, teasers, the masthead). :mod:`briefing.corpus.htmlmeta` asks this of bylines
and dates; lxml elements in, plain answers out.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from briefing.corpus import htmldates

# The article's own container (h-entry microformat, schema.org Article/BlogPosting):
# a widget or share box around it is the page's frame, not a reason to skip its byline.
_ARTICLE_ROOT = re.compile(r"(?i)(?:^|\s)(?:hentry|h-entry)(?:$|\s)")
_ARTICLE_TYPE = re.compile(r"(?i)schema\.org/(?:\w*Article|BlogPosting|Report)\b")
_SIDE = re.compile(r"(?i)(?:^|[\s_-])(?:sidebar|aside|rail|footer)(?:$|[\s_-])")
_NOT_BYLINE = re.compile(
    r"(?i)(?:^|[\s_-])(?:comments?|commentlist|repl(?:y|ies)|respons(?:e|es)|avatar|related|recommend\w*|teasers?|"
    r"widgets?|promo|newsletter|share|sharing|social|discussion|forum|reactions?|kommentare?|commentaires?|comentarios?|"
    r"komentarze?|коммент\w*|комент\w*|reacties)(?:$|[\s_-])"
)


def element_attrs(element: Any) -> str:
    return " ".join(filter(None, (element.get("class"), element.get("id"), element.get("itemprop"), element.get("rel"))))


def placement(element: Any) -> str:
    """``"skip"`` inside comments, related lists, widgets or a picture's caption;
    ``"side"`` inside a sidebar, a footer or navigation; else ``"main"``."""
    place = "main"
    for node in (element, *element.iterancestors()):
        if node.tag in ("body", "html"):
            break
        if node.tag in ("figure", "figcaption"):
            return "skip"
        attrs = element_attrs(node)
        if attrs and _NOT_BYLINE.search(attrs):
            return "skip"
        if node.tag in ("footer", "aside", "nav") or (attrs and _SIDE.search(attrs)):
            place = "side"
        if node.tag == "article" or (attrs and _ARTICLE_ROOT.search(attrs)) or _ARTICLE_TYPE.search(node.get("itemtype") or ""):
            break  # what wraps the article is the page's frame
    return place


def add_date(found: set[dt.date], day: dt.date | None) -> None:
    if day is not None:
        found.add(day)


def teaser(element: Any) -> bool:
    """A date element that is not the article's own: outside the main placement, in an
    ``<article>`` that is itself a teaser inside a related list, an aside or a menu, or
    in the page's masthead (today's date above every page)."""
    if placement(element) != "main":
        return True
    inside = False  # past the article's own element
    for node in (element, *element.iterancestors()):
        if node.tag in ("body", "html"):
            return False
        attrs = element_attrs(node)
        if node.tag in ("aside", "nav") or htmldates.TEASER_FRAME.search(attrs):
            return True
        if node.tag == "li" and any(a.tag == "a" and a.get("href") for a in node):
            return True  # a dated link in a list: another page's date
        if node.tag in ("article", "main"):
            inside = True
        elif not inside and (htmldates.PAGE_CHROME.search(attrs) or (node.tag == "header" and site_header(node))):
            return True
    return False


def site_header(header: Any) -> bool:
    """A ``<header>`` that is the site's (menus, no headline), not the article's."""
    return header.find(".//nav") is not None or (header.find(".//h1") is None and header.find(".//h2") is None)


def labelled_update(time: Any) -> bool:
    """A ``<time>`` labelled as an update ("Updated <time>…") by its text or the words before it."""
    prev = time.getprevious()
    parent = time.getparent()
    before = (prev.tail if prev is not None else parent.text if parent is not None else None) or ""
    return bool(htmldates.MODIFIED.search(f"{before[-40:]} {time.text_content()[:40]}"))
