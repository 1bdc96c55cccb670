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


def extract_html(html: str) -> tuple[str, Known]:
    """``(main text in light Markdown, known metadata)`` of an HTML page.

    Raises :class:`ArticleError` when the page has no main text.
    """
    import trafilatura

    _quiet_loggers()
    html = _CONTROL_REF.sub("\ufffd", clean_text(html))
    try:
        doc = trafilatura.bare_extraction(
            html,
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
    text = _ITALIC.sub(r"\1", _BOLD.sub(r"\1", clean_text(text)))
    known = Known(
        title=_meta(getattr(doc, "title", None)),
        date=page_date(getattr(doc, "date", None), html),
        author=_meta(getattr(doc, "author", None), 200),
        source=_meta(getattr(doc, "sitename", None), 200) or _meta(getattr(doc, "hostname", None), 200),
        url=page_url(html, getattr(doc, "url", None)),
    )
    return text, known
