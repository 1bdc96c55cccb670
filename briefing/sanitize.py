"""Make untrusted text safe to show: no control bytes, no bidi tricks.

Article files, annotation files and anything typed may carry ESC sequences (a
terminal title change, an OSC 52 clipboard write), C1 controls, NUL bytes or bidi
overrides. Everything read from outside passes through :func:`clean_text` before it
is stored in an Article, and through :func:`clean_line` before a single-line display.
"""

from __future__ import annotations

import re

# C0 controls except TAB and LF, DEL, C1 controls (U+0080-U+009F).
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")
# Bidi embeddings/overrides/isolates and other invisible format characters that can
# reorder or hide text on screen. Zero-width joiner (U+200D) is kept: emoji need it.
_BIDI = re.compile(r"[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff]")
# A complete ANSI escape sequence: CSI ... final, OSC ... BEL/ST, and two-byte ESC x.
_ANSI = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC, terminated or not
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS/SOS/PM/APC
    r"|\x1b[@-Z\\-_]"  # two-byte escapes
)

REPLACEMENT = "\ufffd"


def clean_text(text: str) -> str:
    """Return ``text`` with escape sequences removed and control characters replaced.

    Newlines and tabs survive; CR and CRLF become LF; every other control character
    becomes U+FFFD so that a reader can see something was there.
    """
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ANSI.sub(REPLACEMENT, text)
    text = _CONTROLS.sub(REPLACEMENT, text)
    text = _BIDI.sub("", text)
    return text


def clean_line(text: str) -> str:
    """Like :func:`clean_text`, for one line: newlines and tabs become spaces."""
    return clean_text(text).replace("\n", " ").replace("\t", " ")


def shorten(text: str, limit: int) -> str:
    """``text`` cleaned to one line with its spaces collapsed, cut to at most
    ``limit`` characters with an ellipsis (for titles in lists, toasts and notes)."""
    text = " ".join(clean_line(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
