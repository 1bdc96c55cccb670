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


def test_the_english_shortcut_takes_english_and_leaves_other_latin_text_to_the_model():
    from briefing.lang.detect import _plainly_english

    english = "Officials said the strike hit a \u201cpower plant\u201d in the city \u2014 and that it was the third this week."
    assert _plainly_english(english) and detect(english) == "en"
    dutch = "Het was in de stad over de brug en het is een van de mooiste van het land, we hadden geluk."
    german = "Die Angriffe gingen in der Nacht weiter, was die Regierung in Berlin an diesem Tag verurteilte."
    assert not _plainly_english(dutch) and not _plainly_english(german)
    assert not _plainly_english("Prezydent Volodymyr Zelenskyi zustrivsia z partneramy u Kyievi.")
    assert not _plainly_english("The café in Zürich was closed, and the owners said that they will reopen.")  # ü: model


def test_english_naming_people_and_places_in_their_spelling_is_english_without_the_model():
    from briefing.lang.detect import _plainly_english

    text = ("Real Sociedad midfielder Gonzalo Castro scored one of the goals of the season, and the coach "
            "José Mourinho said that it was the best he had seen this year. The club, which has been in "
            "the league for decades, would not say when the contract with the player from Málaga will end.")
    assert _plainly_english(text) and detect(text) == "en"
    # The same words with more than a few accented letters, or any non-Latin letter: the model decides.
    assert not _plainly_english(text.replace("e", "é"))
    assert not _plainly_english(text + " Київ")
    # Too few function words beside an accent: the model, as before.
    assert not _plainly_english("The café in Zürich was closed, and the owners said that they will reopen.")


@pytest.mark.parametrize("path", sorted(p.name for p in CORPUS.glob("*.txt") if p.name[:2] in LANGUAGES))
def test_no_article_in_another_language_takes_the_english_shortcut(path):
    from briefing.lang.detect import ENGLISH_SAMPLE, _plainly_english

    text = text_of(path)
    for start in range(0, max(1, len(text) - ENGLISH_SAMPLE), 100):  # every window, as if it came first
        assert not _plainly_english(text[start:start + ENGLISH_SAMPLE])
