"""Bytes to text: BOMs, UTF-16, Windows-1252 guesses, newlines, binary files."""

from __future__ import annotations

import codecs

import pytest

from briefing.corpus.decode import BinaryFile, decode_bytes, utf8_is_clean
from briefing.sanitize import clean_text

from .helpers import load, load_one, write

TEXT = "Ukraine’s grid — “hit again”\n\nThe strikes came at night.\n"


def test_utf8_without_bom(tmp_path):
    a = load_one(tmp_path, "a.txt", TEXT.encode("utf-8"))
    assert a.title == "Ukraine’s grid — “hit again”"
    assert a.meta.warnings == ()


def test_utf8_with_bom_does_not_leak_the_bom(tmp_path):
    a = load_one(tmp_path, "a.txt", codecs.BOM_UTF8 + TEXT.encode("utf-8"))
    assert a.title == "Ukraine’s grid — “hit again”"
    assert "\ufeff" not in a.title + a.body
    assert a.meta.warnings == ()


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be"])
def test_utf16_with_bom(tmp_path, codec):
    data = TEXT.encode(codec) if codec == "utf-16" else codecs.BOM_UTF16_BE + TEXT.encode(codec)
    a = load_one(tmp_path, "a.txt", data)
    assert a.title == "Ukraine’s grid — “hit again”"
    assert a.body == "The strikes came at night."


def test_utf16_without_bom_is_a_recorded_guess(tmp_path):
    a = load_one(tmp_path, "a.txt", TEXT.encode("utf-16-le"))
    assert a.body == "The strikes came at night."
    assert any("UTF-16-LE (guess)" in w for w in a.meta.warnings)


def test_cp1252_smart_quotes_are_a_recorded_guess(tmp_path):
    data = "It\x92s \x93quoted\x94 \x96 fine\n\nBody text follows here.\n".encode("latin-1")
    a = load_one(tmp_path, "a.txt", data)
    assert a.title == "It’s “quoted” – fine"
    assert a.meta.warnings == ("not valid UTF-8; decoded as Windows-1252 (guess)",)


def test_latin1_when_cp1252_cannot_decode(tmp_path):
    data = b"Caf\xe9 news\n\nA byte \x81 that cp1252 lacks.\n"
    a = load_one(tmp_path, "a.txt", data)
    assert a.title == "Café news"
    assert "\x81" not in a.body and "\ufffd" in a.body  # the C1 control is replaced, visibly
    assert a.meta.warnings == ("not valid UTF-8; decoded as Latin-1 (guess)",)


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_and_cr_newlines(tmp_path, newline):
    text = "Headline here\n\nFirst paragraph.\n\n\n\nSecond paragraph.\n".replace("\n", newline)
    a = load_one(tmp_path, "a.txt", text)
    assert a.title == "Headline here"
    assert a.body == "First paragraph.\n\nSecond paragraph."


def test_empty_and_blank_files_are_skipped_with_a_problem(tmp_path):
    write(tmp_path, "empty.txt", b"")
    write(tmp_path, "blank.txt", b" \n\n\t \r\n")
    write(tmp_path, "ok.txt", TEXT)
    corpus = load(tmp_path)
    assert [m.id for m in corpus.articles] == ["ok.txt"]
    assert {p.id: p.message for p in corpus.problems} == {
        "blank.txt": "empty file (only blank space); skipped",
        "empty.txt": "empty file; skipped",
    }


def test_binary_file_with_nul_bytes_is_skipped(tmp_path):
    write(tmp_path, "image.txt", b"\x00\x01\x02\x03binary\x00\x00\xff\xfe\x00" * 100)
    write(tmp_path, "doc.md", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    write(tmp_path, "ok.txt", TEXT)
    corpus = load(tmp_path)
    assert [m.id for m in corpus.articles] == ["ok.txt"]
    messages = {p.id: p.message for p in corpus.problems}
    assert messages["image.txt"].startswith("binary file") and "NUL" in messages["image.txt"]
    assert messages["doc.md"] == "binary file (a PDF document); skipped"


def test_a_stray_nul_in_text_is_replaced_not_fatal(tmp_path):
    a = load_one(tmp_path, "a.txt", "Headline\x00 here\n\nBody with a NUL\x00 byte.\n")
    assert "\x00" not in a.title + a.body
    assert a.title == "Headline\ufffd here"
    assert a.body == "Body with a NUL\ufffd byte."


def test_decode_refuses_binary_directly():
    with pytest.raises(BinaryFile):
        decode_bytes(bytes(range(256)) * 4)


def test_one_megabyte_single_line(tmp_path):
    sentence = "The grid held up through another long night of strikes. "
    data = (sentence * (1024 * 1024 // len(sentence) + 1)).encode()
    assert len(data) > 1024 * 1024 and b"\n" not in data
    a = load_one(tmp_path, "big.txt", data)
    assert a.meta.title_derived
    assert a.title == "The grid held up through another long night of strikes"
    assert a.meta.words == len(data.split())
    assert len(a.paragraphs()) == 1


def test_fast_clean_check_agrees_with_the_sanitizer():
    """utf8_is_clean lets the loader skip clean_text: it must never say "clean" when
    clean_text would change the text. Checked for every code point up to U+3000 and the
    specials block, alone and between letters."""
    points = list(range(0, 0x3000)) + list(range(0xFE00, 0x10000))
    for cp in points:
        if 0xD800 <= cp <= 0xDFFF:
            continue
        text = f"a{chr(cp)}b"
        if utf8_is_clean(text.encode("utf-8")):
            assert clean_text(text) == text, hex(cp)
    assert utf8_is_clean("plain “quoted” text — fine\n".encode())
    assert not utf8_is_clean("evil \u202e text".encode())
    assert not utf8_is_clean("c1 \x85 text".encode())
    assert not utf8_is_clean(b"crlf\r\n")


def test_random_bytes_are_binary_not_latin1_text():
    """Random data has no NUL majority and ~10% C0 bytes; it must not pass as a legacy
    8-bit text file (it used to, with a title of mojibake)."""
    import random

    rng = random.Random(1)
    for _ in range(20):
        data = bytes(rng.getrandbits(8) for _ in range(3000))
        with pytest.raises(BinaryFile):
            decode_bytes(data)


def test_cp1252_text_with_a_few_stray_controls_still_decodes():
    text = ("Caf\xe9 \x93quoted\x94 text, a sentence of the usual kind. " * 40).encode("latin-1")
    data = text[:500] + b"\x01\x02" + text[500:]
    decoded = decode_bytes(data)
    assert decoded.encoding == "cp1252" and "Café “quoted”" in decoded.text
