"""Keywords in the article's language, stories within a language, export --lang,
and bidi text shown safely."""

from __future__ import annotations

import json

from click.testing import CliRunner

from briefing.cli import main
from briefing.corpus import open_corpus
from briefing.stories.group import group_stories
from briefing.stories.keywords import CountedStats, keywords_for


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_keywords_leave_out_the_languages_function_words(lang_corpus):
    corpus = open_corpus(lang_corpus)
    stats = CountedStats.from_articles(corpus.article(m.id) for m in corpus.articles)
    for aid, function_words in (("uk_01.txt", {"по", "за", "уже", "це"}), ("de_02.txt", {"die", "der", "auf", "über"}),
                                ("fr_03.txt", {"les", "des", "ils", "une"})):
        keys = {k.key for k in keywords_for(corpus.article(aid), stats, limit=20)}
        assert keys and not keys & function_words, (aid, keys)


UK = ("Уночі російські війська завдали нових ударів по енергетичній інфраструктурі Харкова. "
      "За словами міського голови, без світла залишилися десятки тисяч родин. "
      "Енергетики працюють над відновленням живлення. Обленерго просить мешканців економити електроенергію.")
RU = ("Ночью российские войска нанесли новые удары по энергетической инфраструктуре Харькова. "
      "По словам городского головы, без света остались десятки тысяч семей. "
      "Энергетики работают над восстановлением питания. Облэнерго просит жителей экономить электроэнергию.")


def test_stories_group_near_duplicates_within_a_language_never_across(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "c"
    root.mkdir()
    (root / "uk_a.md").write_text(f"---\ndate: 2024-03-01\n---\n\n{UK}\n", encoding="utf-8")
    (root / "uk_b.md").write_text(f"---\ndate: 2024-03-01\n---\n\n{UK} Подробиці згодом.\n", encoding="utf-8")
    (root / "ru_a.md").write_text(f"---\ndate: 2024-03-01\n---\n\n{RU}\n", encoding="utf-8")
    stories = group_stories(str(root))
    story = stories.story_of("uk_a.md")
    assert story is not None and set(story.members) == {"uk_a.md", "uk_b.md"}
    assert stories.story_of("ru_a.md") is None or stories.story_of("ru_a.md") is not story


def test_export_lang_takes_only_that_language(lang_corpus):
    result = run("export", "--corpus", lang_corpus, "--all", "--lang", "pl", "-f", "json")
    assert result.exit_code == 0, result.output
    json.loads(result.stdout)  # valid JSON
    text = result.stdout
    assert all(f"pl_0{i}.txt" in text for i in range(1, 6))
    assert not any(other in text for other in ("uk_01.txt", "de_01.txt", "en_01.txt", "ru_02.txt"))
    # (translit_01.txt, Ukrainian in Latin letters, is detected as Polish: the analyst can override it)


def test_bidi_controls_never_reach_the_terminal(lang_corpus):
    shown = run("show", "bidi_01.txt", "--corpus", lang_corpus).stdout
    assert "\u202e" not in shown and "\u202c" not in shown
    assert "مرحبا" in shown and "evil" in shown  # the text itself is kept, Arabic included
    listed = run("list", "--corpus", lang_corpus).stdout
    assert "\u202e" not in listed
