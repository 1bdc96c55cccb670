"""Quoted text of an annotation file read back from its line, without a parse: the
inverse of :func:`briefing.yamlsafe.quote` for exactly what it writes (issue 20: an
indexed file's titles are read from their lines; a file the writer made is
recognised by :mod:`briefing.annotations.fastcheck`)."""

from __future__ import annotations

import re

from briefing.yamlsafe import _ESCAPES, _NEEDS_ESCAPE

# The escapes quote() makes, nothing else (\x for the C0 and C1 controls without a
# name, \u for U+FEFF, U+FFFE, U+FFFF), as a bytes pattern.
WRITTEN_ESCAPE = rb'\\(?:[\\"ntabvfre0N_LP]|x(?:0[1-6EF]|1[0-9AC-F]|7F|8[0-46-9A-F]|9[0-9A-F])|u(?:FEFF|FFF[EF]))'
_WRITTEN_ESCAPE = re.compile(WRITTEN_ESCAPE)
_UNESCAPE = {value[1]: key for key, value in _ESCAPES.items()}
_ESCAPED = re.compile(r"\\(x[0-9A-F]{2}|u[0-9A-F]{4}|.)")


def unescape(body: str) -> str:
    """The text between the quotes of a scalar quote() wrote (its escapes checked
    already), its escapes made characters."""
    if "\\" not in body:
        return body
    return _ESCAPED.sub(lambda m: _UNESCAPE.get(m.group(1)) or chr(int(m.group(1)[1:], 16)), body)


def unquote_written(body: bytes) -> str | None:
    """The text of the UTF-8 ``body`` of a one-line double-quoted scalar (between its
    quotes) when it is written as quote() writes it, escapes and all; None for
    anything else (another escape, a bare quote or backslash, a character quote()
    escapes, not UTF-8)."""
    rest = _WRITTEN_ESCAPE.sub(b"", body) if b"\\" in body else body  # (left to right, as YAML reads them)
    try:
        if _NEEDS_ESCAPE.search(rest.decode("utf-8")):  # (a quote, a backslash, a newline, a control...)
            return None
        return unescape(body.decode("utf-8"))
    except UnicodeDecodeError:
        return None
