"""JSON text for the terminal and for pipes: what ``--json`` prints.

Light on purpose (``json`` and ``re`` only): ``briefing list --json`` streams a
million rows through it without importing the table renderer.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator

# Characters that must never reach a terminal raw, and that JSON itself lets through
# unescaped (json.dumps escapes C0 already; the indent's newlines are structure): DEL,
# C1, bidi controls, zero-width and line/paragraph separators, BOM, lone surrogates
# (undecodable bytes of a file name).
_JSON_UNSAFE = re.compile(
    "[\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb\ud800-\udfff]"
)


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group(0)):04x}"


def to_json_text(data: object) -> str:
    """Pretty JSON with every value exactly as held, readable non-ASCII text kept,
    and each control, bidi or separator character written as a ``\\uXXXX`` escape:
    nothing raw reaches a terminal, and ``json.loads`` gives back the same strings
    (U+0085 stays U+0085; a lone surrogate from an undecodable name stays one)."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    # Outside strings JSON is plain ASCII, so every match is inside a string value.
    return _JSON_UNSAFE.sub(_json_escape, text)


def _pretty(value: object, level: int, out: list[str]) -> None:
    """Append ``json.dumps(value, ensure_ascii=False, indent=2)`` as it would appear
    nested ``level`` deep, without the pure-Python encoder an ``indent`` forces (its
    generators cost several times more per row; strings go through the C escaper)."""
    if value.__class__ is str:
        out.append(_encode_str(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = "\n" + "  " * (level + 1)
        out.append("{")
        first = True
        for key, item in value.items():
            out.append(inner if first else "," + inner)
            first = False
            if key.__class__ is not str:
                out.append(json.dumps({key: None}, ensure_ascii=False)[1:-7])  # json's own key rules
            else:
                out.append(_encode_str(key))
            out.append(": ")
            _pretty(item, level + 1, out)
        out.append("\n" + "  " * level + "}")
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
            return
        inner = "\n" + "  " * (level + 1)
        out.append("[")
        for i, item in enumerate(value):
            out.append(inner if i == 0 else "," + inner)
            _pretty(item, level + 1, out)
        out.append("\n" + "  " * level + "]")
    else:  # numbers and anything else: json's own text (and its TypeError)
        out.append(json.dumps(value, ensure_ascii=False))


_encode_str = json.encoder.encode_basestring  # the C one when available


class Rendered(str):
    """An array item already written as :func:`json_array_chunks` writes an item
    (``_pretty`` at level 1, not yet escaped for the terminal): taken as it is. A
    caller that writes a million rows of one shape renders them from a template."""

    __slots__ = ()


def _terminal_safe(text: str) -> str:
    """``text`` with :data:`_JSON_UNSAFE` escaped; plain ASCII without DEL (nearly
    every chunk of a listing) is returned as it is after two C scans."""
    if text.isascii() and "\x7f" not in text:
        return text
    return _JSON_UNSAFE.sub(_json_escape, text)


def json_array_chunks(items: Iterable[object], *, size: int = 1 << 16, level: int = 0) -> Iterator[str]:
    """:func:`to_json_text` of ``list(items)``, piece by piece as the items come (the
    same text once joined), in pieces of about ``size`` characters (one write each,
    whatever the stream's buffering): a listing of a million articles is never held
    whole, and its first row comes out as soon as it is known. ``level``: the array's
    depth when it is a value inside an object or array written around it (a
    :class:`Rendered` item is taken only at level 0)."""
    out: list[str] = []
    pending = 0
    first = True
    inner = "\n" + "  " * (level + 1)
    for item in items:
        out.append("[" + inner if first else "," + inner)
        if item.__class__ is Rendered:
            if level:
                raise ValueError("a Rendered item is written for an array at level 0")
            out.append(item)
            pending += len(item) + 4
        else:
            start = len(out) - 1
            _pretty(item, level + 1, out)
            pending += sum(len(part) for part in out[start:])
        if first or pending >= size:  # the first row at once, then in large pieces
            yield _terminal_safe("".join(out))
            out, pending = [], 0
        first = False
    out.append("[]" if first else "\n" + "  " * level + "]")
    yield _terminal_safe("".join(out))
