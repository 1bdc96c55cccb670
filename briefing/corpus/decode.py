"""Step 2: turn a file's bytes into text, and say so when the encoding was a guess.

Order: a byte-order mark decides (UTF-8, UTF-16, UTF-32); otherwise strict UTF-8;
otherwise Windows-1252, then Latin-1, each recorded as a guess in the warnings.
A file whose bytes look binary (many NUL or control bytes) is refused. UTF-16 written
without a BOM is recognised by its NUL pattern. Newlines are left to the sanitizer
(CRLF and CR become LF there).
"""

from __future__ import annotations

import codecs
import re
from typing import NamedTuple

from briefing.corpus.problems import ArticleError

SAMPLE = 8192
# Bytes that never occur in text: C0 controls except TAB, LF, VT, FF, CR, ESC.
_TEXT_BYTES = bytes(b for b in range(256) if b >= 0x20 or b in (9, 10, 11, 12, 13, 27))
_MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "an executable"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
)


class BinaryFile(ArticleError):
    """The file holds binary data, not text."""


class Decoded(NamedTuple):
    text: str
    warnings: list[str]
    encoding: str  # the codec used: "utf-8", "utf-8-sig", "utf-16", "cp1252", ...


def decode_bytes(data: bytes) -> Decoded:
    """Decode ``data`` to text; return ``(text, warnings, encoding)``.

    Raises :class:`BinaryFile` when the bytes are not text at all.
    """
    if data[:3] == codecs.BOM_UTF8:
        try:
            return Decoded(data[3:].decode("utf-8"), [], "utf-8-sig")
        except UnicodeDecodeError:
            return Decoded(data[3:].decode("utf-8", "replace"), ["invalid UTF-8 after a UTF-8 byte-order mark; bad bytes replaced"], "utf-8-sig")
    if data[:4] in (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE):
        return _decode_bom(data, "utf-32", "UTF-32")
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return _decode_bom(data, "utf-16", "UTF-16")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if b"\x00" in data or text is None:
        sample = data[:SAMPLE]
        utf16 = _utf16_without_bom(sample)
        if utf16:
            try:
                guess = data.decode(utf16)
            except UnicodeDecodeError:
                guess = None
            if guess is not None and _mostly_text(guess[:4096]):
                return Decoded(guess, [f"no byte-order mark; decoded as {utf16.upper()} (guess)"], utf16)
        # Not UTF-8 either: legacy 8-bit text has almost no C0 control bytes, random or
        # compressed data has about one in ten, so the bar is lower on this path.
        _refuse_binary(sample, control_share=33 if text is None else 10)
    if text is not None:
        return Decoded(text, [], "utf-8")
    try:
        return Decoded(data.decode("cp1252"), ["not valid UTF-8; decoded as Windows-1252 (guess)"], "cp1252")
    except UnicodeDecodeError:
        return Decoded(data.decode("latin-1"), ["not valid UTF-8; decoded as Latin-1 (guess)"], "latin-1")


def _decode_bom(data: bytes, codec: str, label: str) -> Decoded:
    try:
        return Decoded(data.decode(codec), [], codec)
    except UnicodeDecodeError:
        return Decoded(data.decode(codec, "replace"), [f"invalid {label} after a byte-order mark; bad bytes replaced"], codec)


# Fast path for the sanitizer: bytes that can start something clean_text would change.
# Deleting every other byte leaves only suspects; most files leave none.
_SUSPECT_FREE = bytes(b for b in range(256) if not ((b < 0x20 and b not in (9, 10)) or b in (0x7F, 0xC2, 0xD8, 0xE2, 0xEF)))
_C1_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")
_FORMAT_UTF8 = re.compile(rb"\xe2(?:\x80[\x8b-\x8f\xaa-\xae]|\x81[\xa0\xa6-\xa9])")


def utf8_is_clean(data: bytes) -> bool:
    """True when UTF-8 ``data`` holds nothing :func:`briefing.sanitize.clean_text` would change.

    Conservative: no CR, C0/C1 control, DEL, BOM, bidi or zero-width format character.
    A False answer only means "run the sanitizer". Valid for plain UTF-8 only.
    """
    residue = data.translate(None, _SUSPECT_FREE)
    if not residue:
        return True
    if residue.translate(None, b"\xc2\xe2"):
        return False  # C0/DEL, or a lead byte we do not inspect: let the sanitizer decide
    if b"\xc2" in residue and _C1_UTF8.search(data):
        return False
    if b"\xe2" in residue and _FORMAT_UTF8.search(data):
        return False
    return True


def _utf16_without_bom(sample: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when NULs sit on one parity only, as in ASCII-heavy UTF-16."""
    n = len(sample) - len(sample) % 2
    if n < 8:
        return None
    even = sample[0:n:2]
    odd = sample[1:n:2]
    half = n // 2
    if odd.count(0) > 0.6 * half and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) > 0.6 * half and odd.count(0) == 0:
        return "utf-16-be"
    return None


def _mostly_text(sample: str) -> bool:
    """Fewer than 5% control characters (other than whitespace) in a decoded sample."""
    bad = sum(1 for c in sample if c < " " and c not in "\t\n\r\f\v")
    return bad * 20 < max(1, len(sample))


def _refuse_binary(sample: bytes, control_share: int = 10) -> None:
    """Raise BinaryFile if the sample looks binary; return when a few stray bytes are all.

    More than one byte in ``control_share`` being a C0 control (other than text
    whitespace and ESC) counts as binary."""
    for magic, what in _MAGIC:
        if sample.startswith(magic):
            raise BinaryFile(f"binary file ({what}); skipped")
    nuls = sample.count(0)
    controls = len(sample.translate(None, _TEXT_BYTES))
    if nuls > max(2, len(sample) // 100) or controls > max(8, len(sample) // control_share):
        raise BinaryFile(
            f"binary file ({nuls} NUL and {controls} other control bytes in the first {len(sample)} bytes); skipped"
        )
