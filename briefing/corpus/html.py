"""Step 3c: the main text and metadata of a saved HTML page, via trafilatura.

trafilatura (imported only when an HTML file is met) drops navigation, footers,
scripts and comments and returns the article text with headings marked (``## …``),
plus title, author, site name and date from the page's metadata. Dates come from
htmldate in its non-extensive mode; any date that the page itself does not show
(htmldate's upper bound is "today") is refused, so an undated page stays undated.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any

from briefing.corpus.dates import coerce_date
from briefing.corpus.frontmatter import Known
from briefing.corpus.problems import ArticleError
from briefing.corpus.url import clean_url
from briefing.sanitize import clean_line, clean_text

# trafilatura's emphasis marks (``**bold**``, ``*italic*``); an asterisk of the text
# itself comes escaped (``\*``) and is no mark.
_BOLD = re.compile(r"(?<!\\)\*\*(?=\S)(.+?)(?<=\S)(?<!\\)\*\*")
_ITALIC = re.compile(r"(?<![\w*\\])\*(?=\S)([^*\n]+?)(?<=\S)(?<!\\)\*(?![\w*])")

# The Markdown escapes trafilatura writes into the text (see unescape_markdown).
_CODE_SPAN = re.compile(r"(?<![\\`])(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)
_INLINE_ESCAPE = re.compile(r"(\\+)([*_`~\[\]<])")
_BLOCK_ESCAPE = re.compile(r"(?<!\S)(?:\\(>)|\\(#{1,6}|[-+])(?=\s|$)|(\d{1,9})\\([.)])(?=\s|$))")
_quiet = False
# Character references to control characters (&#27; &#x1b; &#133; ...): lxml refuses
# the whole page over them, so they become U+FFFD before parsing.
_CONTROL_REF = re.compile(
    r"&#(?:0*(?:[0-8]|1[124-9]|2\d|3[01]|12[7-9]|1[3-5]\d)|[xX]0*(?:[0-8]|[bBcCeEfF]|1[0-9a-fA-F]|7[fF]|[89][0-9a-fA-F]));"
)


def _quiet_loggers() -> None:
    """trafilatura/htmldate log through the root fallback otherwise (stderr noise)."""
    global _quiet
    if not _quiet:
        for name in ("trafilatura", "htmldate", "courlan", "justext"):
            logger = logging.getLogger(name)
            logger.addHandler(logging.NullHandler())
            logger.propagate = False
        _quiet = True


def _meta(value: object, limit: int = 300) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(clean_line(value).split())
    return text[:limit] or None


def page_date(found: object, html: str) -> dt.date | None:
    """The page's date, unless it could only have come from a fallback (today)."""
    d = coerce_date(found) if found else None
    if d is None:
        return None
    if str(d.year) not in html:
        return None  # the page never mentions that year: not its date
    if d == dt.date.today() and d.isoformat() not in html:
        return None  # htmldate's upper bound, not something the page says
    return d


def _unescape_inline(match: re.Match[str]) -> str:
    run, char = match.group(1), match.group(2)
    if len(run) % 2 == 0:
        return match.group()  # not an escape of trafilatura's: it writes an odd run
    return "\\" * (len(run) // 2) + char


def _unescape_block(match: re.Match[str]) -> str:
    if match.group(3) is not None:
        return str(match.group(3) + match.group(4))
    return str(match.group(1) or match.group(2))


def _unescape_prose(text: str) -> str:
    return _BLOCK_ESCAPE.sub(_unescape_block, _INLINE_ESCAPE.sub(_unescape_inline, text))


def unescape_markdown(text: str) -> str:
    """Undo the escapes trafilatura's Markdown output puts in a page's own text, so
    that the reader, summaries and exports show ``[sic]``, ``snake_case`` and ``2*3``
    rather than ``\\[sic\\]``, ``snake\\_case`` and ``2\\*3``.

    The exact inverse of what it writes, nothing more: a character of ``*_`~[]<``
    after an odd run of backslashes (it doubles the page's own backslashes before one
    of them and adds one), and ``\\#``, ``\\>``, ``\\-``, ``\\+``, ``1\\.`` where a line
    could have started (it escapes Markdown block markers). Any other backslash is the
    page's own (``C:\\new``, ``\\\\server``, a regex) and stays; so does the text of
    a code span. For HTML-derived text only: call it after the Markdown structure
    (headings, list items) has been read, since an unescaped ``#`` would read as one.
    """
    if "\\" not in text:
        return text
    out: list[str] = []
    pos = 0
    for m in _CODE_SPAN.finditer(text):
        out.append(_unescape_prose(text[pos : m.start()]))
        out.append(m.group())
        pos = m.end()
    out.append(_unescape_prose(text[pos:]))
    return "".join(out)


# Inline formatting that trafilatura would keep as raw tags (<u>, <sub>, ...): unwrapped
# in the tree before extraction, so the text reads "CO2" and "emergency plan".
_INLINE_TAGS = ("u", "sub", "sup", "ins", "small", "mark", "font", "abbr", "tt", "big", "bdi", "bdo", "wbr")
# Tag residue that survives anyway: whole tags of inline or structural kinds.
_TAG_RESIDUE = re.compile(
    r"</?(?:u|sub|sup|ins|del|s|small|mark|span|font|b|i|em|strong|abbr|cite|q|br|wbr|a|code|kbd|tt|big|div|p|bdi|bdo)"
    r"(?:\s[^<>\n]{0,200})?/?>",
    re.IGNORECASE,
)
_XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]{0,200}\?>")  # lxml refuses one in a str
_TABLE_RULE = re.compile(r"\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?")
# Lines that are page furniture in the languages of the held-out pages (captions'
# credits, "related articles" headings); dropped wherever they stand.
_FURNITURE = re.compile(
    r"""(?ix)^(?:
        (?:photo|image|picture|video)s?\s*(?:credits?)?\s*[:©]
      | (?:crédits?\s+(?:photos?|images?)|photos?\s*:|bildquelle|foto\s*:|fotos?\s*:|quelle\s*:\s*(?:dpa|afp|reuters))
      | (?:weitere|mehr)\s+(?:artikel|beiträge|nachrichten|infos?)(?:\s+zum\s+thema)?\b
      | (?:lesen\s+sie\s+(?:auch|mehr)|das\s+könnte\s+sie\s+(?:auch\s+)?interessieren|zum\s+thema)\s*:?\s*$
      | (?:à\s+lire\s+(?:aussi|également)|lire\s+(?:aussi|également|la\s+suite)|sur\s+le\s+même\s+sujet|nos\s+articles\s+sur)\b
      | (?:le\s+(?:également|también)|lee\s+también|leer\s+más|te\s+puede\s+interesar|noticias\s+relacionadas|más\s+noticias)\b
      | (?:leggi\s+anche|potrebbe\s+interessarti|articoli\s+correlati)\b
      | (?:czytaj\s+(?:też|także|więcej)|zobacz\s+(?:też|także))\b
      | (?:читайте\s+(?:також|также)|дивіться\s+також|смотрите\s+также)\b
      | (?:more\s+(?:on\s+this\s+(?:story|topic)|from\s+\w+|stories|articles)|you\s+may\s+(?:also\s+)?like|recommended(?:\s+for\s+you)?|most\s+(?:read|popular|viewed))\s*:?\s*$
      | (?:image\s+caption|image\s+source|getty\s+images|associated\s+press)\s*[:,]?
    )""",
)


def _table_row(line: str, header: list[str] | None) -> tuple[str, list[str]]:
    cells = [c.strip().replace("\\|", "|") for c in line.strip().strip("|").split(" | ")]
    cells = [re.sub(r"\s+", " ", c) for c in cells]
    if header and len(header) == len(cells):
        pairs = [f"{h}: {c}" if h else c for h, c in zip(header, cells, strict=True) if c]
        return "; ".join(pairs), cells
    return "; ".join(c for c in cells if c), cells


def readable_tables(text: str) -> str:
    """Markdown tables as readable rows: one paragraph a row, ``Header: cell; …``."""
    if "|" not in text:
        return text
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        if line.startswith("|") and line.endswith("|") and line.count("|") >= 2:
            rows = []
            while i < len(lines) and lines[i].strip().startswith("|"):
                rows.append(lines[i].strip())
                i += 1
            header: list[str] | None = None
            if len(rows) >= 2 and _TABLE_RULE.fullmatch(rows[1]):
                header = [c.strip() for c in rows[0].strip("|").split(" | ")]
                rows = rows[2:]
                out.append("")
            for row in rows:
                if _TABLE_RULE.fullmatch(row):
                    continue
                text_row, _ = _table_row(row, header)
                if text_row:
                    out.extend([text_row, ""])
            continue
        out.append(lines[i])
        i += 1
    return "\n".join(out)


def remove_residue(text: str) -> str:
    """Drop what must never reach the reader from an extracted page: raw tags and
    furniture lines; tables become readable rows. (trafilatura's Markdown escapes are
    undone later, by :func:`unescape_markdown`, once the Markdown has been read.)"""
    text = readable_tables(text)
    if "<" in text:
        text = _TAG_RESIDUE.sub("", text)
    kept = [line for line in text.split("\n") if len(line) > 160 or not _FURNITURE.match(line.strip().lstrip("#").strip())]
    return "\n".join(_without_link_list_tail(kept))


_LIST_ITEM = re.compile(r"\s*(?:[-*+•]|\d{1,3}[.)])\s+(.*)")


def _without_link_list_tail(lines: list[str]) -> list[str]:
    """A list of three or more headline-like items (capitalised, three words or more,
    no sentence punctuation) closing the page is a "related articles" list: dropped,
    with a heading right above it."""
    end = len(lines)
    while end and not lines[end - 1].strip():
        end -= 1
    start = end
    items = 0
    while start:
        line = lines[start - 1].strip()
        if not line:
            start -= 1
            continue
        m = _LIST_ITEM.fullmatch(line)
        item = m.group(1).strip() if m else ""
        if not m or len(item) > 120 or item.endswith((".", "!", "?", ":", ";", ",")) or len(item.split()) < 3 or not item[0].isupper():
            break
        items += 1
        start -= 1
    if items < 3:
        return lines
    while start and not lines[start - 1].strip():
        start -= 1
    if start and lines[start - 1].lstrip().startswith("#"):
        start -= 1
    return lines[:start]


def _drop_byline_lines(text: str, bylines: list[str], author: str | None) -> str:
    """The byline element's text, repeated as the first lines of the body, removed."""
    if not bylines and not author:
        return text
    from briefing.corpus.htmlmeta import norm

    marks = {norm(b) for b in bylines if b}
    lines = text.split("\n")
    for index, line in enumerate(lines[:12]):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        n = norm(stripped)
        if n and len(stripped) <= 120 and (n in marks or (author and n.endswith(norm(author)) and len(n.split()) <= len(norm(author).split()) + 3)):
            lines[index] = ""
    return "\n".join(lines)


_CANONICAL = re.compile(
    r"""<link\b(?=[^>]*\brel\s*=\s*["']?canonical\b)[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""",
    re.IGNORECASE,
)
_OG_URL = re.compile(
    r"""<meta\b(?=[^>]*\bproperty\s*=\s*["']?og:url\b)[^>]*?\bcontent\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""",
    re.IGNORECASE,
)


def page_url(html: str, found: object = None) -> str | None:
    """The page's own address: its canonical link, else ``og:url``, else what the
    extractor found; http(s) only (:func:`briefing.corpus.url.clean_url`). Looks at
    the head only (the first 64 KiB), so a huge page costs nothing more."""
    import html as html_mod

    head = html[:65536]
    for pattern in (_CANONICAL, _OG_URL):
        m = pattern.search(head)
        if m:
            url = clean_url(html_mod.unescape(next(g for g in m.groups() if g is not None)))
            if url:
                return url
    return clean_url(found)


# A page with more elements than this is read by the plain path below instead of
# trafilatura and the byline scan, whose time grows with the element count (a 1.7 MB
# page of 50,000 spans took 17-22 s): real article pages hold a few thousand.
MAX_ELEMENTS = 15_000
_NOT_TEXT = ("script", "style", "noscript", "template", "svg", "nav", "header", "footer", "aside", "form",
             "button", "select", "iframe", "object", "head")
_BLOCK = ("p", "div", "section", "article", "main", "li", "ul", "ol", "tr", "table", "blockquote", "pre",
          "h1", "h2", "h3", "h4", "h5", "h6", "dd", "dt", "figcaption", "br", "hr")


def _plain_text(tree: object) -> str:
    """The page's text, a paragraph per block element, from its ``<article>``, else
    ``<main>``, else ``<body>``: linear in the page's size, no boilerplate scoring."""
    from lxml import etree

    root: Any = tree
    for tag in ("article", "main", "body"):
        found = next(root.iter(tag), None)
        if found is not None:
            root = found
            break
    for el in list(root.iter(*_NOT_TEXT)):
        if el.getparent() is not None:
            el.drop_tree()  # lxml.html: the element goes, the text after it stays
    for el in root.iter(*_BLOCK):
        el.tail = "\n" + (el.tail or "")
        if el.tag != "br":
            el.text = "\n" + (el.text or "")
    raw = etree.tostring(root, method="text", encoding="unicode", with_tail=False)
    lines = (" ".join(line.split()) for line in raw.split("\n"))
    return "\n\n".join(line for line in lines if line)


def _extract_plain(html: str, tree: object, elements: int) -> tuple[str, Known]:
    from briefing.corpus import htmlauthors, htmlmeta

    signals = htmlmeta.signals(tree, full=False)
    text = clean_text(_plain_text(tree))
    if not text.strip():
        raise ArticleError(f"no main text found in the HTML page ({elements:,} elements); skipped")
    author = htmlauthors.choose_author(signals, None, text[:600], text[-400:])
    title = htmlmeta.choose_title(signals, signals.title_tag)
    known = Known(
        title=_meta(title) if title else None,
        date=page_date(htmlmeta.choose_date(signals, None), html),
        author=author,
        source=_meta(signals.sites[0], 200) if signals.sites else None,
        url=page_url(html),
        update_dates=False,
        warnings=[f"a very large page ({elements:,} elements, over {MAX_ELEMENTS:,}): "
                  "its text was read whole, without removing menus or side lists"],
    )
    return text, known


def extract_html(html: str) -> tuple[str, Known]:
    """``(main text in light Markdown, known metadata)`` of an HTML page.

    Raises :class:`ArticleError` when the page has no main text.
    """
    import trafilatura
    from lxml import etree
    from lxml import html as lxml_html

    from briefing.corpus import htmlauthors, htmlmeta

    _quiet_loggers()
    html = _CONTROL_REF.sub("\ufffd", clean_text(html))
    signals = htmlmeta.Signals()
    page: object = html
    try:
        tree = lxml_html.fromstring(_XML_DECLARATION.sub("", html, count=1))
    except (etree.ParserError, ValueError):
        tree = None
    if tree is not None:
        elements = sum(1 for _ in tree.iter())
        if elements > MAX_ELEMENTS:
            return _extract_plain(html, tree, elements)
        signals = htmlmeta.signals(tree)
        etree.strip_tags(tree, *_INLINE_TAGS)
        page = tree
    try:
        doc = trafilatura.bare_extraction(
            page,
            with_metadata=True,
            include_comments=False,
            include_formatting=True,
            include_tables=True,
            include_images=False,
            include_links=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as err:  # a library failure on one page must not stop the load
        raise ArticleError(f"HTML could not be parsed ({err.__class__.__name__}); skipped") from err
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        raise ArticleError("no main text found in the HTML page; skipped")
    text = remove_residue(_ITALIC.sub(r"\1", _BOLD.sub(r"\1", clean_text(text))))
    found_title = _meta(getattr(doc, "title", None))
    site = _meta(getattr(doc, "sitename", None), 200)
    if site and htmlmeta.is_headline(site, signals):
        site = None  # the library took the headline for the site's name
    if site:
        signals.sites.append(site)
    author = htmlauthors.choose_author(signals, _meta(getattr(doc, "author", None), 200), text[:600], text[-400:])
    text = _drop_byline_lines(text, signals.bylines, author)
    title = htmlmeta.choose_title(signals, found_title)
    known = Known(
        title=_meta(title) if title else None,
        date=page_date(htmlmeta.choose_date(signals, getattr(doc, "date", None)), html),
        author=author,
        source=site or _meta(getattr(doc, "hostname", None), 200),
        url=page_url(html, getattr(doc, "url", None)),
        update_dates=False,
    )
    return text, known
