"""An article's source URL: only ``http``/``https``, printable, bounded.

Every format's reader hands what it found (an HTML canonical link, a front matter
``url``, a ``Source: https://…`` line, a feed item's link, a JSON ``url``) to
:func:`clean_url`, which keeps it only when it is a plain web address: a
``javascript:``, ``data:``, ``file:`` or relative value is dropped, control and
format characters are removed, spaces inside are refused, and it is at most
:data:`MAX_URL` characters (a longer one is dropped, never cut: a cut URL points
somewhere else).
"""

from __future__ import annotations

import re

MAX_URL = 2048
# C0/C1 controls, DEL, bidi and zero-width format characters: removed, never kept.
_STRIP = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
# No space, quote, angle bracket, backtick or backslash anywhere: such a value is not
# a URL as written in a page, and each could break out of an attribute or a link.
_WEB = re.compile(r"https?://[^\s/?#@\"'<>`\\]+(?:[/?#][^\s\"'<>`\\]*)?", re.IGNORECASE)
# In running text: a URL that a line holds by itself, optionally in angle brackets.
URL_LINE = re.compile(r"<?(https?://[^\s<>]+)>?", re.IGNORECASE)


def clean_url(value: object) -> str | None:
    """``value`` as a safe http(s) URL, or None when it is not one."""
    if not isinstance(value, str):
        return None
    text = _STRIP.sub("", value).strip()
    if not text or len(text) > MAX_URL:
        return None
    if not _WEB.fullmatch(text):
        return None
    scheme, rest = text.split(":", 1)
    return scheme.lower() + ":" + rest


def host_of(url: str) -> str:
    """The host of a URL made by :func:`clean_url`, without ``www.`` (a source name)."""
    host = url.split("://", 1)[1]
    for sep in "/?#":
        host = host.split(sep, 1)[0]
    host = host.rsplit("@", 1)[-1].split(":", 1)[0].lower()
    return host.removeprefix("www.")
