"""Step 2, for e-mail: one message (``.eml``) or a mailbox (``.mbox``, one article
per message), read with the standard library's :mod:`email`.

An article from a message: the subject is its title, the sender's display name (else
the address) its author, the sender's domain its source, the ``Date`` header its
date, an ``Archived-At`` header its url. The body is the HTML part cleaned by the
HTML path (:func:`briefing.corpus.html.extract_html`), else the plain-text part. A
newsletter with several stories stays one article. Attachments are never decoded.

Bounds: at most :data:`MAX_PARTS` MIME parts looked at per message, a text part of
at most :data:`MAX_PART` bytes once decoded, :data:`MAX_MESSAGES` messages per
mailbox (past it a warning says how many were left out).
"""

from __future__ import annotations

import email
import email.policy
import email.utils
import re
from dataclasses import dataclass
from typing import Any

from briefing.corpus.dates import coerce_date
from briefing.corpus.frontmatter import Known
from briefing.corpus.problems import ArticleError
from briefing.corpus.url import clean_url
from briefing.sanitize import clean_line

MAX_PARTS = 200
MAX_PART = 8 * 1024 * 1024
MAX_MESSAGES = 10_000

_ANGLE_URL = re.compile(r"<?\s*(https?://[^\s>]+)\s*>?")


@dataclass
class Mail:
    text: str  # the body: Markdown-ish text from the HTML path, or plain text
    kind: str  # "html" (text is extract_html's output) or "text"
    known: Known
    message_id: str | None


def _header(msg: Any, name: str, limit: int = 300) -> str | None:
    try:
        value = msg.get(name)
    except Exception:  # noqa: BLE001 - a malformed header is a missing header
        return None
    if value is None:
        return None
    text = " ".join(clean_line(str(value)).split())[:limit]
    return text or None


def _sender(msg: Any) -> tuple[str | None, str | None]:
    """(display name or address, domain of the address) of From (else Sender)."""
    raw = _header(msg, "From") or _header(msg, "Sender")
    if not raw:
        return None, None
    name, addr = email.utils.parseaddr(raw)
    name = " ".join(clean_line(name).split())[:200]
    addr = clean_line(addr)[:200]
    domain = addr.rsplit("@", 1)[1].lower() if "@" in addr else None
    return (name or addr or None), domain


def _date(msg: Any) -> Any:
    raw = _header(msg, "Date", 100)
    if not raw:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return coerce_date(raw)
    return parsed.date() if parsed else None


def _text_parts(msg: Any) -> tuple[str | None, str | None, list[str]]:
    """(first HTML part, first plain part, warnings), attachments skipped unread."""
    html = plain = None
    warnings: list[str] = []
    seen = 0
    for part in msg.walk():
        seen += 1
        if seen > MAX_PARTS:
            warnings.append(f"more than {MAX_PARTS} MIME parts; the rest were not read")
            break
        if part.is_multipart():
            continue
        ctype = part.get_content_type()
        if ctype not in ("text/html", "text/plain") or part.get_content_disposition() == "attachment":
            continue
        if (ctype == "text/html" and html is not None) or (ctype == "text/plain" and plain is not None):
            continue
        raw = part.get_payload(decode=True) or b""
        if len(raw) > MAX_PART:
            warnings.append(f"a {ctype} part of {len(raw) // (1024 * 1024)} MB was not read (limit {MAX_PART // (1024 * 1024)} MB)")
            continue
        charset = part.get_content_charset() or "utf-8"
        try:
            text = raw.decode(charset, "replace")
        except LookupError:
            text = raw.decode("utf-8", "replace")
            warnings.append(f"unknown charset {clean_line(charset)[:40]!r}; read as UTF-8")
        if ctype == "text/html":
            html = text
        else:
            plain = text
    return html, plain, warnings


_BOUNDARY = re.compile(rb"""boundary\s*=\s*(?:"([^"\r\n]{1,200})"|([^\s;"]{1,200}))""", re.IGNORECASE)
_HEAD_END = re.compile(rb"\r?\n\r?\n")
_CTYPE = re.compile(rb"content-type:\s*([\w.+-]+/[\w.+-]+)", re.IGNORECASE)
BIG_MESSAGE = 1024 * 1024


def drop_attachment_bodies(data: bytes) -> bytes:
    """``data`` with the body of every MIME part that is not text, multipart or a
    message removed (its headers kept). The standard parser reads a message line by
    line: a 50 MB attachment costs it seconds, and it is never read anyway. Only for
    messages over :data:`BIG_MESSAGE`; a small one is parsed as it is."""
    if len(data) < BIG_MESSAGE:
        return data
    for m in {m.group(1) or m.group(2) for m in _BOUNDARY.finditer(data)}:
        delim = b"\n--" + m
        pieces = data.split(delim)
        if len(pieces) < 2:
            continue
        out = [pieces[0]]
        for piece in pieces[1:]:
            head = _HEAD_END.search(piece)
            if head is not None and not piece.startswith(b"--"):
                ctype = _CTYPE.search(piece, 0, head.start())
                kind = ctype.group(1).lower() if ctype else b"text/plain"
                if not kind.startswith((b"text/", b"multipart/", b"message/")):
                    piece = piece[: head.end()]
            out.append(piece)
        data = delim.join(out)
    return data


def read_message(data: bytes) -> Mail:
    """One message's article text and metadata. ArticleError when it has no text."""
    data = drop_attachment_bodies(data)
    try:
        msg = email.message_from_bytes(data, policy=email.policy.default)
    except (ValueError, TypeError, IndexError, LookupError) as err:  # pragma: no cover - the parser is lenient
        raise ArticleError(f"e-mail could not be parsed ({err.__class__.__name__}); skipped") from err
    if not any(msg.get(h) for h in ("From", "Subject", "Date", "Message-ID", "To")):
        raise ArticleError("not an e-mail message (no From, Subject, Date or Message-ID header); skipped")
    author, domain = _sender(msg)
    archived = _header(msg, "Archived-At", 2100)
    url = None
    if archived:
        m = _ANGLE_URL.search(archived)
        url = clean_url(m.group(1)) if m else None
    known = Known(title=_header(msg, "Subject"), date=_date(msg), author=author, source=domain, url=url)
    html, plain, warnings = _text_parts(msg)
    known.warnings = warnings
    message_id = _header(msg, "Message-ID", 500)
    if html is not None:
        from briefing.corpus.html import extract_html

        try:
            text, page = extract_html(html)
        except ArticleError:
            pass  # no main text in the HTML part: the plain part, if any
        else:
            known.url = known.url or page.url
            known.warnings += page.warnings
            return Mail(text, "html", known, message_id)
    if plain is not None and plain.strip():
        return Mail(plain, "text", known, message_id)
    raise ArticleError("e-mail without a readable text or HTML part; skipped")


def split_mbox(data: bytes) -> tuple[list[tuple[int, bytes]], int]:
    """The messages of an mbox as ``(line number, bytes)``, at most :data:`MAX_MESSAGES`,
    and how many there were in all. A message starts at a ``From `` line at the top
    or after a blank line; ``>From `` quoting (mboxrd) is undone."""
    if not data.startswith(b"From "):
        raise ArticleError("not an mbox mailbox (it does not start with a 'From ' line); skipped")
    starts = [0] + [m.start() + 2 for m in re.finditer(rb"\n\n(?=From )", data)]
    total = len(starts)
    out: list[tuple[int, bytes]] = []
    line = 1
    prev = 0
    for i, start in enumerate(starts[:MAX_MESSAGES]):
        line += data.count(b"\n", prev, start)
        prev = start
        end = starts[i + 1] if i + 1 < len(starts) else len(data)
        chunk = data[start:end]
        nl = chunk.find(b"\n")
        body = chunk[nl + 1 :] if nl >= 0 else b""
        body = re.sub(rb"(?m)^>(>*From )", rb"\1", body)
        out.append((line, body))
    return out, total
