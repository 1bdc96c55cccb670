"""Language detection (briefing.lang.detect): offline, ISO 639-1, None when unsure."""

from __future__ import annotations

import pytest

from briefing.lang import check_code, detect, mark, name
from tests.lang.conftest import CORPUS, LANGUAGES, text_of


@pytest.mark.parametrize("path", sorted(p.name for p in CORPUS.glob("*.txt") if p.name[:2] in LANGUAGES))
def test_every_article_of_a_named_language_is_detected(path):
    assert detect(text_of(path)) == path[:2]


@pytest.mark.parametrize("path, code", [("th_01.txt", "th"), ("zh_01.txt", "zh"), ("ar_01.txt", "ar"),
                                        ("en_01.txt", "en")])
def test_scripts_without_support_are_still_named(path, code):
    assert detect(text_of(path)) == code


@pytest.mark.parametrize("text, code", [
    ("Удари по Харкову тривають", "uk"),          # short: the letters і/ї/є settle uk against ru
    ("Удары по Харькову продолжаются", "ru"),
    ("Die Angriffe auf Kiew gehen weiter", "de"),
    ("Les frappes sur Kyiv continuent", "fr"),
])
def test_short_titles(text, code):
    assert detect(text) == code


@pytest.mark.parametrize("text", ["", "   ", "12 345 67", "ok", "— 2024-03-01 —"])
def test_too_little_to_judge_is_none(text):
    assert detect(text) is None


def test_mixed_article_gets_one_language_or_none_never_an_error():
    assert detect(text_of("mixed_01.txt")) in ("en", "uk", None)


def test_codes_from_the_analyst_are_checked():
    assert check_code(" UK ") == "uk" and check_code("und") == "und"
    for bad in ("ukr", "u", "", "u1", "[b]"):
        with pytest.raises(ValueError, match="two-letter"):
            check_code(bad)


def test_display_helpers():
    assert name("uk") == "Ukrainian (uk)" and name(None) == "unknown" and name("th") == "th"
    assert mark("uk") == "uk" and mark("en") == "" and mark(None) == ""
