"""Summaries in the article's language: every method on every supported language,
its stopwords and stems in the ranking, and a summary by position for a script we
do not support (never an error)."""

from __future__ import annotations

import pytest

from briefing.lang import stopwords
from briefing.summarize import METHODS, summarize_detail
from briefing.summarize.ranker import _terms
from tests.lang.conftest import CORPUS, LANGUAGES, text_of


def body(name: str) -> str:
    text = text_of(name)
    return text.split("\n\n", 1)[1]  # without the headline


def long_text(lang: str) -> str:
    """Every article of a language, one after the other: enough sentences to choose among."""
    return "\n\n".join(body(p.name) for p in sorted(CORPUS.glob(f"{lang}_*.txt")))


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("method", METHODS)
def test_every_method_works_on_every_supported_language(lang, method):
    text = long_text(lang)
    result = summarize_detail(text, 3, method)
    assert len(result.sentences) == 3
    assert all(s in text for s in result.sentences)
    assert result.method == method, result.note  # no fallback: the method itself ran


@pytest.mark.parametrize("name", ["th_01.txt", "zh_01.txt", "ar_01.txt", "bidi_01.txt"])
def test_a_script_without_support_is_summarised_never_an_error(name):
    text = text_of(name)
    result = summarize_detail(text, 2, "default")
    assert result.sentences and all(s in text for s in result.sentences)
    for method in METHODS:
        assert all(s in text for s in summarize_detail(text, 2, method).sentences)


def test_the_ranking_uses_the_languages_stopwords_and_stems():
    tokens = ("удари", "по", "харкову", "ударів", "та", "атаки")
    terms = _terms(tokens, "uk")
    assert "по" not in terms and "та" not in terms          # Ukrainian stopwords (sumy's list)
    assert terms.count("удар") == 2                          # удари, ударів: one stem
    de = _terms(("die", "angriffe", "auf", "angriffen"), "de")
    assert de == ["angriff", "angriff"]
    assert _terms(("die", "angriffe"), "th") == ["die", "angriffe"]  # unsupported: as English (no German stems)


def test_every_supported_language_has_stopwords():
    for lang in LANGUAGES:
        assert len(stopwords(lang)) > 50, lang


def test_an_explicit_language_wins_over_detection():
    text = long_text("de")
    auto = summarize_detail(text, 3, "luhn")
    declared = summarize_detail(text, 3, "luhn", lang="de")
    assert auto.sentences == declared.sentences  # detection says German too
    assert summarize_detail(text, 3, "luhn", lang=None).sentences  # no language: still a summary


def test_search_highlights_the_inflected_forms_in_the_articles_language():
    from briefing.querylang import highlight_terms, parse

    text = "Нові удари та ударів по місту; ударник грав."
    uk = highlight_terms(parse("удар"), "uk")
    assert [text[s:e] for s, e in uk.spans(text)] == ["удари", "ударів", "ударник"]  # a stem is a prefix: ударник too
    assert highlight_terms(parse("удар")).spans(text) == []  # no language: the word itself only
    assert highlight_terms(parse('"удар"'), "uk").spans(text) == []  # quoted: exact
