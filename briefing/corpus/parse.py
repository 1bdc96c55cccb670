"""Step 3: turn clean text into an article: title, date, author, body, headings.

The input is text that has already been through :func:`briefing.sanitize.clean_text`
(LF newlines, no control bytes). The work is line based and cheap:

1. lines are stripped, site furniture (``Previous article…``, ``Share this article``,
   follow/subscribe lines) is dropped, and lines are grouped into blocks at blank lines;
2. the head of the text gives up its metadata: the ``date YYYY-MM-DD`` marker (even
   glued to the first sentence), a headline line, a byline, ``Published: …`` lines;
3. the tail gives up a trailing byline or date line;
4. blocks become paragraphs: one per line, unless the block is hard-wrapped prose,
   whose lines are joined;
5. short heading-like paragraphs inside the body are kept and listed as headings;
6. without a headline, the title is derived from the first sentence and flagged.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from briefing.corpus import dates
from briefing.corpus.frontmatter import Known, split_front_matter
from briefing.corpus.url import MAX_URL, clean_url, host_of

TITLE_LIMIT = 80
MAX_HEADLINE = 200
MAX_META_LINE = 160
MAX_HEADING = 100
MAX_HEADING_WORDS = 12

_OPEN_QUOTES = "\"'“‘«„"
_CLOSERS = "\"'”’»)]"
_SENTENCE_END = ".!?…"

# Site furniture: whole lines, matched at the start, only on short lines.
_BOILER = re.compile(
    r"""(?x)
      (?i:previous|next|older|newer)\s*(?i:article|post|story|page)(?!\s*[a-z]|-)
    | (?i:share)(?:\s+(?i:this|the)\s+(?i:article|story|post|page))?(?:\s+(?i:on|via)\s+\w+)?\s*[:!]?\s*$
    | (?i:share|tweet|e-?mail|print|comments?)
          (?:\s*[|/·•,]\s*(?i:share|tweet|e-?mail|print|facebook|twitter|x|whatsapp|linkedin|telegram|reddit|comments?|copy\s+link))+\s*$
    | (?i:facebook|twitter|whatsapp|linkedin|e-?mail|pinterest|reddit|telegram|copy\s+link)\s*$
    | (?i:follow)\s+(?i:us\b|@\w+|\w+(?:\s+\w+)?\s+on\s+(?:facebook|twitter|x|instagram|telegram|linkedin|youtube|tiktok|threads|bluesky|mastodon)\b).*
    | (?i:subscribe)(?:\s+(?i:to|now|for|here|today)\b.*|\s*[.!]?\s*$)
    | (?i:sign\s+up)\s+(?i:for|to|here|now)\b.*
    | (?i:read|see)\s+(?i:more|also)(?:\s*$|\s*[:>»|–—-].*)
    | (?i:related)(?:\s+(?i:articles?|stories|posts|coverage|content|reading|topics))?\s*:?\s*$
    | (?i:advertisement|advert|sponsored(?:\s+content)?)\s*$
    | (?i:click|tap)\s+(?i:here)\b.*
    | (?i:all\s+rights\s+reserved).*
    | (?:©|(?i:copyright)\s*(?:©|\(c\)|\d{4})).*
    | (?i:back\s+to\s+top|skip\s+to\s+(?:main\s+)?content)\s*$
    | (?i:get\s+(?:our|the)\s+\w+\s+newsletter).*
    """
)
_RULE = re.compile(r"[-=_*~#•·—–]{3,}")
_MD_HEADING = re.compile(r"(#{1,6})\s+(.*?)(?:\s+#+)?\s*")
_URL_LINE = re.compile(r"<?(https?://([^/\s:>]+)[^\s>]*)>?")
_META_LINE = re.compile(r"(?P<key>title|headline|source|author|authors|site|publication)\s*:\s*(?P<value>.{1,200})", re.IGNORECASE)
# "Source: https://…", "URL: <https://…>", "Link: https://…", "Original: https://…":
# a line that only names the article's address (kept as its url, dropped from the body).
_URL_META_LINE = re.compile(r"(?i:source|url|link|original|permalink|canonical)\s*:\s*<?(https?://[^\s<>]+)>?")

_UPPER = "A-ZÀ-ÖØ-ÞĀ-ſ"
_NAME = rf"[{_UPPER}][\w'’.\-]*"  # one way to match a token: no backtracking blow-up
_CONNECT = r"(?:and|&|de|da|del|der|den|van|von|la|le|al|el|bin|ibn|du|dos|di|y)"
_BYLINE = re.compile(
    rf"(?i:by|written\s+by|words\s+by|reporting\s+by|author:)\s+"
    rf"(?P<names>{_NAME}(?:\s+(?:{_NAME}|{_CONNECT}))*)"
    rf"(?:\s*(?:[,|•·]|\s[–—-])\s*(?P<rest>.{{1,80}}?))?\s*\.?"
)
_CONNECT_RE = re.compile(_CONNECT)
_NAMEISH = re.compile(rf"{_NAME}(?:\s+(?:{_NAME}|{_CONNECT}|of|the))*\.?")

_SENT_BREAK = re.compile(r"[.!?…][\"'”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st gen col lt sgt capt cpl maj adm rep sen gov pres rev jr sr no nos vs "
    "inc ltd co corp dept est fig gov't mt ft jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_CLAUSE_BREAKS = (", ", "; ", ": ", " – ", " — ", " - ", " that ", " which ", " who ", " while ", " after ", " as ", " but ", " because ")
_TRAILING_WEAK = frozenset(
    "a an the of to in on at for and or but nor that which who whom whose with by from as "
    "into onto than then so its his her their our your my is are was were be been has have had "
    "may might will would can could should shall do does did not".split()
)


@dataclass
class Parsed:
    title: str
    title_derived: bool
    date: dt.date | None
    author: str | None
    source: str | None
    tags: tuple[str, ...]
    body: str
    headings: frozenset[str]
    warnings: list[str]
    paragraphs: int = 0
    url: str | None = None  # of the body: its lines are joined with "\n\n" and hold no newline


# Date evidence, strongest first.
_P_KNOWN, _P_MARKER, _P_HEAD, _P_BYLINE, _P_DATELINE, _P_TAIL, _P_UPDATED = range(7)


class _State:
    __slots__ = ("title", "title_derived", "date", "date_rank", "author", "source", "marker_seen", "url", "updates_ok")

    def __init__(self, known: Known) -> None:
        self.title = known.title or None
        self.title_derived = False
        self.date = known.date
        self.date_rank = _P_KNOWN if known.date else 99
        self.author = known.author or None
        self.source = known.source or None
        self.marker_seen = False
        self.url = known.url
        self.updates_ok = known.update_dates

    def offer_date(self, d: dt.date | None, rank: int) -> None:
        if rank == _P_UPDATED and not self.updates_ok:
            return
        if d is not None and rank < self.date_rank:
            self.date, self.date_rank = d, rank


def parse_text(text: str, kind: str = "text", known: Known | None = None, *, headings: bool = True) -> Parsed:
    """Parse clean ``text`` of a file of ``kind`` (``text``, ``markdown``, ``html``).

    ``headings=False``: the caller has no use for the body's section headings (an
    index); ``Parsed.headings`` is then empty for plain text, which saves a pass."""
    want_headings = headings
    known = known or Known()
    warnings = list(known.warnings)
    tags = known.tags
    if kind != "html" and text.lstrip("\ufeff").startswith("---"):
        fm, text = split_front_matter(text)
        if fm is not None:
            warnings.extend(fm.warnings)
            known = Known(
                title=known.title or fm.title,
                date=known.date or fm.date,
                author=known.author or fm.author,
                source=known.source or fm.source,
                tags=tags or fm.tags,
                url=known.url or fm.url,
            )
            tags = known.tags
    markdown = kind in ("markdown", "html")
    st = _State(known)
    blocks = _blocks(text, markdown)
    _head(blocks, st, markdown)
    _tail(blocks, st)
    paras, heading_paras = _paragraphs(blocks, markdown)
    if kind == "html":  # trafilatura's Markdown escapes (\[sic\], snake\_case), now that the Markdown is read
        from briefing.corpus.html import unescape_markdown

        paras = [unescape_markdown(p) for p in paras]
        heading_paras = [unescape_markdown(h) for h in heading_paras]
        if st.title is not None and st.title != known.title:  # a title from the text, not the page's metadata
            st.title = unescape_markdown(st.title)
    if not markdown:
        heading_paras = _find_headings(paras) if want_headings else []
    if paras and st.date_rank > _P_DATELINE:
        found = dates.dateline(paras[0])
        if found:
            st.offer_date(found[0], _P_DATELINE)
            if found[1] and not st.source:
                st.source = found[1]
    if st.title is None:
        st.title = derive_title(paras)
        st.title_derived = True
    body = "\n\n".join(paras)
    return Parsed(
        title=st.title,
        title_derived=st.title_derived,
        date=st.date,
        author=st.author,
        source=st.source,
        tags=tuple(tags),
        body=body,
        headings=frozenset(heading_paras),
        warnings=warnings,
        paragraphs=len(paras),
        url=st.url,
    )


def _blocks(text: str, markdown: bool) -> list[list[str]]:
    """Stripped lines grouped at blank lines, without furniture or rule lines."""
    blocks: list[list[str]] = []
    cur: list[str] = []
    boiler = _BOILER.match
    rule = _RULE.fullmatch
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            if cur:
                blocks.append(cur)
                cur = []
            continue
        if len(line) < 200:
            if boiler(line):
                continue
            if line[0] in "-=_*~#•·—–" and rule(line):
                if markdown and cur and line[0] in "=-" and not cur[-1].startswith("#"):
                    cur[-1] = ("# " if line[0] == "=" else "## ") + cur[-1]  # setext heading
                    blocks.append(cur)
                    cur = []
                continue
        cur.append(line)
    if cur:
        blocks.append(cur)
    return blocks


def _pop_first(blocks: list[list[str]]) -> str:
    line = blocks[0].pop(0)
    if not blocks[0]:
        blocks.pop(0)
    return line


def _pop_last(blocks: list[list[str]]) -> str:
    line = blocks[-1].pop()
    if not blocks[-1]:
        blocks.pop()
    return line


def _url_line(line: str, st: _State) -> bool:
    """Consume a line that only holds a web address (bare, ``<…>``, or after ``Source:``,
    ``URL:``, ``Link:``): the first becomes the article's url, its host the source."""
    m = _URL_LINE.fullmatch(line)
    if m:
        if not st.source:
            st.source = m.group(2).lower().removeprefix("www.")
        if st.url is None:
            st.url = clean_url(m.group(1))
        return True
    m = _URL_META_LINE.fullmatch(line)
    if m:
        url = clean_url(m.group(1))
        if url is not None:
            if st.url is None:
                st.url = url
            if not st.source:
                st.source = host_of(url)
            return True
    return False


def _meta_line(line: str, st: _State, rank: int, update_rank: int) -> bool:
    """Consume ``line`` if it is a byline, a date line, a URL or a ``Key: value`` line."""
    if len(line) > MAX_META_LINE:
        return len(line) <= MAX_URL + 16 and line[0] in "hH<SsUuLlOoPpCc" and _url_line(line, st)
    by = byline(line)
    if by is not None:
        author, rest = by
        if not st.author:
            st.author = author
        if rest:
            found = dates.date_line(rest)
            if found:
                st.offer_date(found[0], _P_BYLINE)
            elif not st.source:
                st.source = rest
        return True
    c = line[0]
    if c.isdigit() or c in "DdPpUuLlFfMmTtWSsJjAaONn":
        found = dates.date_line(line)
        if found:
            st.offer_date(found[0], update_rank if found[1] else rank)
            return True
    if c in "hH<SsUuLlOoPpCc" and _url_line(line, st):
        return True
    m = _META_LINE.fullmatch(line)
    if m:
        key, value = m.group("key").lower(), m.group("value").strip().rstrip(".")
        if key in ("title", "headline"):
            if st.title is None:
                st.title = value
        elif key in ("author", "authors"):
            st.author = st.author or value
        else:
            st.source = st.source or value
        return True
    return False


def _head(blocks: list[list[str]], st: _State, markdown: bool) -> None:
    known_title = st.title
    for _ in range(10):
        if not blocks:
            return
        line = blocks[0][0]
        if not st.marker_seen:
            m = dates.DATE_MARKER.match(line)
            if m:
                st.marker_seen = True
                st.offer_date(dates.make_date(int(m[1]), int(m[2]), int(m[3])), _P_MARKER)
                rest = line[m.end() :].lstrip()
                if rest:
                    blocks[0][0] = rest
                else:
                    _pop_first(blocks)
                continue
        if _meta_line(line, st, _P_HEAD, _P_UPDATED):
            _pop_first(blocks)
            continue
        if markdown and line.startswith("#") and len(line) <= MAX_HEADLINE:
            m = _MD_HEADING.fullmatch(line)
            if m and (st.title is None or _same(m.group(2), st.title)) and len(m.group(1)) <= 2:
                if st.title is None:
                    st.title = m.group(2)[:MAX_HEADLINE]
                _pop_first(blocks)
                continue
        if known_title and _same(line, known_title):
            _pop_first(blocks)  # the known headline repeated at the top of the text
            continue
        if st.title is None and headline_like(line, first_line=True) and _stands_alone(blocks):
            st.title = line
            _pop_first(blocks)
            continue
        if (
            st.title is None
            and not st.marker_seen
            and len(blocks) > 1
            and len(blocks[0]) == 1
            and len(line) <= MAX_HEADLINE
            and dates.DATE_MARKER.match(blocks[1][0])
        ):
            st.title = line.rstrip(".")  # a line of its own above the date marker is a headline
            _pop_first(blocks)
            continue
        return


def _tail(blocks: list[list[str]], st: _State) -> None:
    for _ in range(6):
        if not blocks or (len(blocks) == 1 and len(blocks[0]) == 1):
            return  # never eat the last remaining paragraph
        if _meta_line(blocks[-1][-1], st, _P_TAIL, _P_UPDATED):
            _pop_last(blocks)
            continue
        return


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _stands_alone(blocks: list[list[str]]) -> bool:
    """The first line is a line of its own, with body text after it."""
    first = blocks[0]
    if len(first) == 1:
        return len(blocks) > 1
    after = first[1]
    if len(after) <= MAX_META_LINE and (byline(after) or dates.date_line(after) or dates.DATE_MARKER.match(after)):
        return True
    return not hard_wrapped(first)


def ends_sentence(s: str) -> bool:
    last = s[-1]
    if last in _SENTENCE_END:
        return True
    return last in _CLOSERS and len(s) > 1 and s[-2] in _SENTENCE_END


def headline_like(s: str, first_line: bool = False) -> bool:
    """A line that reads as a headline: short, capitalised, no closing full stop.

    ``first_line``: the line opens the text and stands alone, which is evidence
    enough; it may then start in lower case or with a bracket (``(CNN) …``).
    """
    n = len(s)
    if n < 2 or n > MAX_HEADLINE:
        return False
    last = s[-1]
    if last in ".,;:":
        return False
    if last in _CLOSERS and s[-2] in ".,;:!?…":
        return False
    if s.count(" ") >= 30:
        return False
    c = s[0]
    if c in _OPEN_QUOTES or (first_line and c in "([<"):
        c = s[1]
    return c.isupper() or c.isdigit() or (first_line and c.isalpha())


def hard_wrapped(lines: list[str]) -> bool:
    """True when a block's lines are one paragraph wrapped at a fixed width."""
    if len(lines) < 2:
        return False
    if max(len(x) for x in lines) > 110:
        return False
    head = lines[:-1]
    open_ended = sum(1 for x in head if not ends_sentence(x))
    return open_ended * 2 > len(head)


def byline(line: str) -> tuple[str, str | None] | None:
    """``(author, rest)`` for a ``By Jane Doe[, Source | date]`` line, else None."""
    c = line[0]
    if c not in "BbWwRrAa" or len(line) > MAX_META_LINE:
        return None
    m = _BYLINE.fullmatch(line)
    if not m:
        return None
    names = m.group("names").rstrip(".")
    if len(names) < 3 or _CONNECT_RE.fullmatch(names.rsplit(None, 1)[-1].lower()):
        return None
    rest = m.group("rest")
    if rest:
        rest = rest.strip().rstrip(".")
        if not (dates.parse_date_fast(rest) or dates.date_line(rest) or _NAMEISH.fullmatch(rest)):
            return None
    return names, rest or None


def _paragraphs(blocks: list[list[str]], markdown: bool) -> tuple[list[str], list[str]]:
    paras: list[str] = []
    headings: list[str] = []
    for block in blocks:
        if markdown:
            _markdown_block(block, paras, headings)
        elif len(block) == 1:
            paras.append(block[0])
        elif hard_wrapped(block):
            paras.append(" ".join(block))
        else:
            paras.extend(block)
    return paras, headings


_MD_ITEM = re.compile(r"(?:[-*+]|\d{1,3}[.)])\s")


def _markdown_block(block: list[str], paras: list[str], headings: list[str]) -> None:
    cur: list[str] = []
    for line in block:
        if line.startswith("#") and len(line) <= MAX_HEADLINE:
            m = _MD_HEADING.fullmatch(line)
            if m and m.group(2):
                if cur:
                    paras.append(" ".join(cur))
                    cur = []
                paras.append(m.group(2))
                headings.append(m.group(2))
                continue
        if cur and (_MD_ITEM.match(line) or line.startswith(">")):
            paras.append(" ".join(cur))
            cur = []
        cur.append(line)
    if cur:
        paras.append(" ".join(cur))


_INITIALS = re.compile(r"(?:[a-z]\.)+[a-z]?")  # "u.s", "e.g": a full stop that ends no sentence
_INNER_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s")


def _find_headings(paras: list[str]) -> list[str]:
    """Short headline-like paragraphs followed by longer text: inner section headings.

    A one-line question ("Is Russia preparing a new offensive?") counts only when the
    text has other, statement-like headings too: on its own it is more likely a
    question quoted in the story than a section title.
    """
    found = []
    statements = False
    for i in range(len(paras) - 1):
        p = paras[i]
        if (
            len(p) <= MAX_HEADING
            and p.count(" ") < MAX_HEADING_WORDS
            and p[0] not in _OPEN_QUOTES
            and not p.endswith("!")
            and headline_like(p)
            and len(paras[i + 1]) > len(p)
            and not _INNER_SENTENCE_END.search(p)
        ):
            found.append(p)
            statements = statements or not p.endswith("?")
    return found if statements else []


def first_sentence(text: str) -> str:
    """The first sentence of ``text`` (looked for in its first 400 characters)."""
    head = text[:400]
    pos = 0
    while True:
        m = _SENT_BREAK.search(head, pos)
        if not m:
            return head if len(text) <= 400 else head
        end = m.start() + 1
        word = head[:end].rsplit(None, 1)[-1].rstrip(".").lower()
        if word in _ABBREVIATIONS or (len(word) <= 1) or _INITIALS.fullmatch(word):
            pos = m.end()
            continue
        return head[: m.end()].rstrip()


def shorten(text: str, limit: int = TITLE_LIMIT) -> str:
    """Cut ``text`` at a word boundary to at most ``limit`` characters, marking the cut."""
    text = " ".join(text.split())
    stripped = text.rstrip(".")
    if len(stripped) <= limit:
        return stripped
    cut = stripped[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    clause = max((cut.rfind(b) for b in _CLAUSE_BREAKS), default=-1)
    if clause >= limit // 2:
        cut = cut[:clause]  # end at a clause boundary rather than mid-clause
    words = cut.split(" ")
    while len(words) > 3 and words[-1].lower().strip(",;:—–-") in _TRAILING_WEAK:
        words.pop()
    return " ".join(words).rstrip(",;:—–- ") + "…"


def derive_title(paras: list[str]) -> str:
    """A title made from the first sentence of the body (empty when there is no body)."""
    if not paras:
        return ""
    return shorten(first_sentence(paras[0]))
