"""Language through the index and the command line: `lang` in `list --json` and
`show --json`, `--lang`, `lang:` in queries, inflected forms found by stem in
ru/uk/de while "..." stays exact, folding of every script, and the analyst's
override (`briefing lang`)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from briefing.cli import main


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def listed(root, *args) -> set[str]:
    result = run("list", "--corpus", root, "--json", *args)
    assert result.exit_code == 0, result.output
    return {item["id"] for item in json.loads(result.stdout)}


def test_list_json_carries_the_detected_language(lang_corpus):
    result = run("list", "--corpus", lang_corpus, "--json")
    rows = {item["id"]: item for item in json.loads(result.stdout)}
    assert rows["uk_01.txt"]["lang"] == "uk" and rows["de_02.txt"]["lang"] == "de"
    assert rows["th_01.txt"]["lang"] == "th" and rows["en_01.txt"]["lang"] == "en"
    assert rows["uk_01.txt"]["lang_overridden"] is False


def test_list_lang_option_and_query_field(lang_corpus):
    uk = {f"uk_0{i}.txt" for i in range(1, 6)}
    assert listed(lang_corpus, "--lang", "uk") == uk
    assert listed(lang_corpus, "--lang", "UK") == uk
    assert listed(lang_corpus, "--query", "lang:uk") == uk
    assert listed(lang_corpus, "--query", "lang:de Angriff") == {"de_01.txt", "de_03.txt"}
    bad = run("list", "--corpus", lang_corpus, "--lang", "ukrainian")
    assert bad.exit_code == 2 and "two-letter" in bad.output
    bad = run("list", "--corpus", lang_corpus, "--query", "lang:xyz")
    assert bad.exit_code != 0 and "two-letter" in bad.output


@pytest.mark.parametrize("query, expected", [
    # Ukrainian: удар finds удари, ударів, ударами (uk_01: "ударів", "удар"; uk_03: "Удари", "ударів"; uk_05: "ударів")
    ("удар", {"uk_01.txt", "uk_03.txt", "uk_05.txt", "ru_01.txt", "ru_03.txt"}),
    ("ударів", {"uk_01.txt", "uk_03.txt", "uk_05.txt"}),
    # Russian: удары / ударов / ударах all find ru_01 (ударах) and ru_03 (ударов, удар)
    ("удары", {"ru_01.txt", "ru_03.txt"}),
    ("ударов", {"ru_01.txt", "ru_03.txt"}),
    # German: Angriff, Angriffe, Angriffen
    ("Angriff", {"de_01.txt", "de_03.txt"}),
    ("angriffen", {"de_01.txt", "de_03.txt"}),
])
def test_inflected_forms_are_found(lang_corpus, query, expected):
    assert listed(lang_corpus, "--query", query) == expected


def test_quotes_keep_the_exact_word(lang_corpus):
    assert listed(lang_corpus, "--query", '"удар"') == {"uk_01.txt", "ru_03.txt"}
    assert listed(lang_corpus, "--query", '"Angriffen"') == {"de_01.txt"}


def test_cyrillic_letters_with_marks_and_latin_accents_are_found(lang_corpus):
    # й, ї, є, ё are letters of their own in the index: a search must not fold them away
    assert listed(lang_corpus, "--query", "Київ") == {"mixed_01.txt"}
    assert "uk_02.txt" in listed(lang_corpus, "--query", "Зеленський")
    assert "uk_02.txt" in listed(lang_corpus, "--query", "ЗЕЛЕНСЬКИЙ")
    # Latin accents fold both ways
    assert "fr_01.txt" in listed(lang_corpus, "--query", "deja OR epuisee")
    assert "de_04.txt" in listed(lang_corpus, "--query", "Fluchtlinge")


def test_scripts_without_stems_are_searched_by_exact_word(lang_corpus):
    assert listed(lang_corpus, "--query", "مسؤولون") == {"ar_01.txt"}
    # Thai writes no spaces between words: a token is a run between spaces (its vowel
    # marks kept, as the index keeps them); a prefix finds the start of a run
    assert listed(lang_corpus, "--query", "กองทัพรัสเซียโจมตีเมืองเคียฟในตอนกลางคืน") == {"th_01.txt"}
    assert listed(lang_corpus, "--query", "กองทัพ*") == {"th_01.txt"}


def test_no_transliteration_between_scripts(lang_corpus):
    # A decision (issue 19): Zelensky does not find Зеленський; the Latin spelling finds Latin text only.
    assert listed(lang_corpus, "--query", "Zelenskyi") == {"translit_01.txt"}
    assert "uk_02.txt" not in listed(lang_corpus, "--query", "Zelensky")


def test_show_json_and_header_name_the_language(lang_corpus):
    data = json.loads(run("show", "uk_01.txt", "--corpus", lang_corpus, "--json").stdout)
    assert data["lang"] == "uk" and data["lang_overridden"] is False
    text = run("show", "de_01.txt", "--corpus", lang_corpus).stdout
    assert "Language: German (de)" in text


def test_the_analysts_language_overrides_the_detected_one(lang_corpus):
    result = run("lang", "translit_01.txt", "uk", "--corpus", lang_corpus)
    assert result.exit_code == 0, result.output
    assert "language set to Ukrainian (uk)" in result.stderr
    assert 'lang: "uk"' in (lang_corpus / "annotations.yaml").read_text(encoding="utf-8")
    assert "translit_01.txt" in listed(lang_corpus, "--lang", "uk")
    assert "translit_01.txt" in listed(lang_corpus, "--query", "lang:uk")
    data = json.loads(run("show", "translit_01.txt", "--corpus", lang_corpus, "--json").stdout)
    assert data["lang"] == "uk" and data["lang_overridden"] is True
    shown = run("show", "translit_01.txt", "--corpus", lang_corpus).stdout
    assert "Language: Ukrainian (uk)" in shown and "set by analyst; detected" in shown
    # Cleared: the detected language stands again.
    assert run("lang", "translit_01.txt", "--clear", "--corpus", lang_corpus).exit_code == 0
    assert "translit_01.txt" not in listed(lang_corpus, "--lang", "uk")


def test_an_override_changes_which_stems_search_uses(lang_corpus):
    # en_01 is English (exact words); declared German, "struck" is not stemmed either,
    # but a German word stem now applies: "Grid" -> no change; use a German-looking query.
    assert listed(lang_corpus, "--query", "Angriff") == {"de_01.txt", "de_03.txt"}
    (lang_corpus / "extra.txt").write_text("Angriffe überall\n\nDie Angriffe gingen weiter und weiter in der Nacht.\n",
                                           encoding="utf-8")
    run("lang", "extra.txt", "en", "--corpus", lang_corpus)
    assert "extra.txt" not in listed(lang_corpus, "--query", "Angriff")  # as English: exact words only
    run("lang", "extra.txt", "--clear", "--corpus", lang_corpus)
    assert "extra.txt" in listed(lang_corpus, "--query", "Angriff")


def test_bad_codes_are_refused(lang_corpus):
    result = run("lang", "uk_01.txt", "ukr", "--corpus", lang_corpus)
    assert result.exit_code != 0 and "two-letter" in result.output
    assert not (lang_corpus / "annotations.yaml").exists()


def test_an_override_in_the_file_that_is_not_a_code_names_the_line(lang_corpus):
    (lang_corpus / "annotations.yaml").write_text('version: 4\narticles:\n  "uk_01.txt":\n    lang: "[bold]x"\n',
                                                   encoding="utf-8")
    result = run("list", "--corpus", lang_corpus, "--json")
    assert "line 4" in result.stderr and "two-letter" in result.stderr


def test_tag_and_note_do_not_load_the_language_model(lang_corpus, monkeypatch):
    """`tag` and `note` read the article for its id, fingerprint and tags only: a text
    that is not plainly English must not load the identifier's model (0.4 s of a
    command that is otherwise a quarter of a second); `lang` still tells the detected
    language."""
    import importlib

    detect = importlib.import_module("briefing.lang.detect")
    ukrainian = next(p.name for p in lang_corpus.iterdir() if p.name.startswith("uk"))

    def no_model():
        raise AssertionError("the language model was loaded")

    monkeypatch.setattr(detect, "_identifier", None)
    monkeypatch.setattr(detect, "_model", no_model)
    assert "tags: energy" in run("tag", ukrainian, "energy", "--corpus", lang_corpus).output
    assert "note added" in run("note", ukrainian, "Seen in Kyiv", "--corpus", lang_corpus).output
    monkeypatch.undo()
    said = CliRunner().invoke(main, ["lang", ukrainian, "de", "--corpus", str(lang_corpus)])
    assert said.exit_code == 0 and "(detected: Ukrainian (uk))" in said.output
