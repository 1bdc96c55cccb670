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


def json_array_chunks(items: Iterable[object]) -> Iterator[str]:
    """:func:`to_json_text` of ``list(items)``, piece by piece as the items come (the
    same text once joined): a listing of a million articles is never held whole."""
    first = True
    for item in items:
        body = to_json_text(item).replace("\n", "\n  ")
        yield ("[\n  " if first else ",\n  ") + body
        first = False
    yield "[]" if first else "\n]"
