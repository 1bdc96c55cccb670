"""Step 2, for files that hold many articles: RSS/Atom feeds (``.xml``, ``.rss``,
``.atom``), JSON lines (``.jsonl``) and mailboxes (``.mbox``).

Each item becomes an article with the id ``<file id>#<key>``
(:func:`briefing.ids.item_id`), the key chosen so that it survives a re-export of
the file with items added, removed or reordered:

- feed item: its ``guid`` (Atom ``id``), else its link, else ``sha-<hash of title
  and date>``, else ``item <n>`` (its position: the only unstable key, for items
  with neither id, link, title nor date);
- JSON line: its ``id`` field, else its ``url``, else ``sha-<hash of title and
  date>``, else ``line <n>``;
- mbox message: its ``Message-ID``, else ``sha-<hash of subject, date and
  sender>``, else ``message <n>``.

A key met twice in one file gets ``~2``, ``~3``... after it (in file order).

Bounds: :data:`MAX_ITEMS` items per file (past it, one problem says how many were
left out), a JSON line of at most :data:`MAX_LINE` bytes, an item's text at most
:data:`MAX_ITEM_TEXT` characters. XML is read with :mod:`defusedxml` as a stream
(no DTD entities, no external references; each item is dropped from memory once read).
A bad item (a line that is not JSON, an item without text) is a problem naming the
file and the line or item; the other items load.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from briefing.corpus.dates import coerce_date
from briefing.corpus.frontmatter import Known
from briefing.corpus.problems import ArticleError
from briefing.corpus.url import clean_url, host_of
from briefing.sanitize import clean_line, clean_text

MAX_ITEMS = 10_000
MAX_LINE = 1024 * 1024
MAX_ITEM_TEXT = 1_000_000
CONTAINER_KINDS = frozenset({"feed", "jsonl", "mbox"})


@dataclass
class Item:
    key: str
    text: str
    kind: str  # how parse_text reads ``text``: "text", "markdown" or "html"
    known: Known


@dataclass
class Container:
    items: list[Item] = field(default_factory=list)
    problems: list[tuple[str | None, str]] = field(default_factory=list)  # (item label or None for the file, message)


def _short(value: object, limit: int = 300) -> str | None:
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    text = " ".join(clean_line(str(value)).split())[:limit]
    return text or None


def content_hash(*parts: object) -> str:
    h = hashlib.sha256("\n".join("" if p is None else str(p) for p in parts).encode("utf-8", "surrogatepass"))
    return "sha-" + h.hexdigest()[:16]


class _Keys:
    """Unique keys in file order: a repeat gets ``~2``, ``~3``..."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def make(self, key: str) -> str:
        key = key[:500]
        n = self.seen.get(key, 0) + 1
        self.seen[key] = n
        return key if n == 1 else f"{key}~{n}"


# -- HTML fragments (feed descriptions, JSON "content") --------------------------------

_BLOCKS = frozenset("p div br li h1 h2 h3 h4 h5 h6 blockquote tr section article figure figcaption pre table ul ol".split())


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in _BLOCKS:
            self.out.append("\n\n")
        elif tag in ("td", "th"):
            self.out.append(" · ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCKS:
            self.out.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.out.append(data)


def html_fragment_text(fragment: str) -> str:
    """Plain paragraphs of a small HTML fragment (tags dropped, blocks split)."""
    if "<" not in fragment and "&" not in fragment:
        return fragment
    parser = _Text()
    parser.feed(fragment[:MAX_ITEM_TEXT])
    parser.close()
    text = "".join(parser.out)
    paras = [" ".join(p.split()) for p in text.split("\n\n")]
    return "\n\n".join(p for p in paras if p)


def _body_text(value: object) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    text = clean_text(value[:MAX_ITEM_TEXT])
    if "<" in text and ">" in text:
        text = html_fragment_text(text)
    return text if text.strip() else None


# -- JSON lines ------------------------------------------------------------------------


def read_jsonl(data: bytes) -> Container:
    out = Container()
    keys = _Keys()
    count = 0
    start = 0
    lineno = 0
    n = len(data)
    while start < n:
        end = data.find(b"\n", start)
        if end < 0:
            end = n
        lineno += 1
        raw = data[start:end]
        start = end + 1
        if not raw.strip():
            continue
        label = f"line {lineno}"
        if len(raw) > MAX_LINE:
            out.problems.append((label, f"line {lineno} is {len(raw) / (1024 * 1024):.1f} MB (the limit is {MAX_LINE // (1024 * 1024)} MB); skipped"))
            continue
        count += 1
        if count > MAX_ITEMS:
            rest = 1 + data.count(b"\n", start) if start < n else 1
            out.problems.append((None, f"more than {MAX_ITEMS} lines; lines {lineno} to about {lineno + rest - 1} were not read"))
            break
        try:
            obj = json.loads(raw)
        except (ValueError, RecursionError) as err:
            msg = err.msg if isinstance(err, json.JSONDecodeError) else err.__class__.__name__
            out.problems.append((label, f"line {lineno}: not valid JSON ({clean_line(msg)[:80]}); skipped"))
            continue
        if not isinstance(obj, dict):
            out.problems.append((label, f"line {lineno}: not a JSON object; skipped"))
            continue
        text = None
        for name in ("text", "body", "content", "maintext", "article"):
            text = _body_text(obj.get(name))
            if text:
                break
        if not text:
            out.problems.append((label, f"line {lineno}: no text (no text, body or content field); skipped"))
            continue
        title = _short(obj.get("title") or obj.get("headline"))
        raw_date = next((obj[k] for k in ("date", "published", "pubDate", "date_publish", "created") if obj.get(k)), None)
        date = coerce_date(raw_date) if isinstance(raw_date, str) else None
        url = clean_url(obj.get("url") or obj.get("link"))
        author = obj.get("author") or obj.get("authors")
        if isinstance(author, list):
            author = ", ".join(a for a in (_short(x, 100) for x in author[:10]) if a)
        source = _short(obj.get("source") or obj.get("site") or obj.get("publisher"), 200) or (host_of(url) if url else None)
        ident = obj.get("id", obj.get("guid"))
        if isinstance(ident, (str, int)) and not isinstance(ident, bool) and str(ident).strip():
            key = _short(ident, 500) or label
        elif isinstance(obj.get("url"), str) and obj["url"].strip():
            key = _short(obj["url"], 500) or label
        elif title or raw_date:
            key = content_hash(title, raw_date)
        else:
            key = label
        known = Known(title=title, date=date, author=_short(author, 200), source=source, url=url)
        out.items.append(Item(keys.make(key), text, "text", known))
    return out


# -- RSS / Atom ------------------------------------------------------------------------

_ATOM = "{http://www.w3.org/2005/Atom}"
_NAMES = {
    "title": ("title", f"{_ATOM}title"),
    "link": ("link", f"{_ATOM}link"),
    "guid": ("guid", f"{_ATOM}id"),
    "date": ("pubDate", "{http://purl.org/dc/elements/1.1/}date", f"{_ATOM}published", f"{_ATOM}updated", "published", "updated"),
    "author": ("{http://purl.org/dc/elements/1.1/}creator", "author", f"{_ATOM}author"),
    "content": ("{http://purl.org/rss/1.0/modules/content/}encoded", f"{_ATOM}content", "description", f"{_ATOM}summary"),
}
_RSS_AUTHOR = re.compile(r"\S+@\S+\s*\((.{1,200})\)")
_ITEM_TAGS = ("item", f"{_ATOM}entry", "{http://purl.org/rss/1.0/}item")


def _child_text(el: Any, names: tuple[str, ...]) -> str | None:
    for name in names:
        child = el.find(name)
        if child is None:
            continue
        if name.endswith("author") and child.find(f"{_ATOM}name") is not None:
            name_text = child.find(f"{_ATOM}name").text
            return str(name_text) if name_text else None
        if child.text and child.text.strip():
            return str(child.text)
    return None


def _link(el: Any) -> str | None:
    for child in el.findall(f"{_ATOM}link"):
        if child.get("rel", "alternate") == "alternate" and child.get("href"):
            return str(child.get("href"))
    child = el.find("link")
    if child is not None and child.text:
        return str(child.text).strip()
    return None


def read_feed(data: bytes) -> Container:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, iterparse

    out = Container()
    keys = _Keys()
    feed_title: str | None = None
    count = 0
    seen_root = False
    try:
        for event, el in iterparse(io.BytesIO(data), events=("start", "end"), forbid_dtd=False,
                                   forbid_entities=True, forbid_external=True):
            if event == "start":
                if not seen_root:
                    seen_root = True
                    if el.tag not in ("rss", f"{_ATOM}feed", "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}RDF"):
                        raise ArticleError(f"XML file that is not an RSS or Atom feed (root element {clean_line(str(el.tag))[:60]}); skipped")
                continue
            tag = el.tag
            if tag in ("title", f"{_ATOM}title") and feed_title is None and count == 0:
                feed_title = _short(el.text, 200)
                continue
            if tag not in _ITEM_TAGS:
                continue
            count += 1
            if count > MAX_ITEMS:
                el.clear()
                continue
            _feed_item(el, count, keys, feed_title, out)
            el.clear()
    except ArticleError:
        raise
    except DefusedXmlException as err:
        raise ArticleError("feed declares entities or external references (refused: entity expansion and fetching are not allowed); skipped") from err
    except ParseError as err:
        if not out.items:
            raise ArticleError(f"not well-formed XML ({clean_line(str(err))[:80]}); skipped") from err
        out.problems.append((None, f"XML broken after item {count} ({clean_line(str(err))[:80]}); the items before it were read"))
    except RecursionError as err:
        raise ArticleError("XML nested too deeply; skipped") from err
    if count > MAX_ITEMS:
        out.problems.append((None, f"feed has {count} items; only the first {MAX_ITEMS} were read"))
    if not seen_root:
        raise ArticleError("empty XML file; skipped")
    return out


def _feed_item(el: Any, n: int, keys: _Keys, feed_title: str | None, out: Container) -> None:
    label = f"item {n}"
    title = _short(_child_text(el, _NAMES["title"]))
    link_raw = _link(el)
    url = clean_url(link_raw)
    guid = _short(_child_text(el, _NAMES["guid"]), 500)
    raw_date = _short(_child_text(el, _NAMES["date"]), 100)
    date = None
    if raw_date:
        import email.utils

        try:
            date = email.utils.parsedate_to_datetime(raw_date).date()
        except (TypeError, ValueError, IndexError):
            date = coerce_date(raw_date[:25])
    text = _body_text(_child_text(el, _NAMES["content"]))
    if not text:
        out.problems.append((label, f"{label} ({title or 'untitled'}): no text (no description or content); skipped"))
        return
    if guid:
        key = guid
    elif link_raw:
        key = _short(link_raw, 500) or label
    elif title or raw_date:
        key = content_hash(title, raw_date)
    else:
        key = label
    author = _short(_child_text(el, _NAMES["author"]), 200)
    if author:  # RSS writes "desk@example.com (Desk Name)": the name, never the address
        m = _RSS_AUTHOR.fullmatch(author)
        if m:
            author = m.group(1).strip() or None
        elif "@" in author and " " not in author:
            author = None
    known = Known(title=title, date=date, author=author,
                  source=feed_title or (host_of(url) if url else None), url=url)
    out.items.append(Item(keys.make(key), text, "text", known))


# -- mbox --------------------------------------------------------------------------------


def read_mbox(data: bytes) -> Container:
    from briefing.corpus.mail import read_message, split_mbox

    out = Container()
    keys = _Keys()
    messages, total = split_mbox(data)
    for n, (line, raw) in enumerate(messages, 1):
        label = f"message {n}"
        try:
            mail = read_message(raw)
        except ArticleError as err:
            out.problems.append((label, f"message {n} (line {line}): {err.message}"))
            continue
        k = mail.known
        if mail.message_id:
            key = mail.message_id.strip("<>") or label
        elif k.title or k.date:
            key = content_hash(k.title, k.date, k.author)
        else:
            key = label
        out.items.append(Item(keys.make(key), mail.text, mail.kind, k))
    if total > len(messages):
        out.problems.append((None, f"mailbox has {total} messages; only the first {len(messages)} were read"))
    return out


def read_container(kind: str, data: bytes) -> Container:
    """The items of a many-article file of ``kind`` ("feed", "jsonl", "mbox").
    ArticleError when the file as a whole cannot be read."""
    if kind == "jsonl":
        return read_jsonl(data)
    if kind == "feed":
        return read_feed(data)
    if kind == "mbox":
        return read_mbox(data)
    raise ArticleError(f"unknown many-article kind {kind}")


def iter_keys(container: Container) -> Iterator[str]:
    return (item.key for item in container.items)
