"""Summaries in the article's effective language (issue 19), the same in every path
(plain export, composed briefing, ``briefing summarize``), and the summary cache that
keeps one summary per language (an override is never served the other's).

The text is German and detected as German. Its second sentence holds German function
words (und, der, die, dem, in, auf, mit) and otherwise words no other sentence
uses. With German stopwords those words leave the ranking, the sentence shares
nothing and is passed over; ranked as English (the analyst says ``en``), the same
words are content words every sentence shares, which makes it the most central one.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from briefing.annotations import open_store
from briefing.brief.build import compose
from briefing.brief.model import BriefDoc
from briefing.cli import main
from briefing.corpus import open_corpus
from briefing.export import BriefingOptions
from briefing.export.build import build_briefing
from briefing.export.select import Filter

LEAD = "Kurz notiert am Morgen."
FUNCTION_WORDS = "Und der Minister sagte dass die Lage mit der Armee und dem Volk in der Stadt und auf dem Land ernst ist."
ATTACKS = "Die Angriffe auf Kraftwerke trafen Charkiw, Angriffe auf Umspannwerke trafen Odessa und weitere Angriffe folgten."
TEXT = f"""---
title: Strom fällt nach Angriffen aus
---

{LEAD}

{FUNCTION_WORDS}

{ATTACKS}

Nach den Angriffen auf Kraftwerke fiel der Strom in Charkiw aus, Umspannwerke brannten nach Angriffen.

Neue Angriffe auf Kraftwerke und Umspannwerke meldeten Behörden, Angriffe in Charkiw und Odessa.

Der Angriff auf das Kraftwerk in Odessa war der schwerste Angriff auf Umspannwerke seit Monaten.
"""
OPTIONS = BriefingOptions(method="default", sentences=2)


@pytest.fixture
def german(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))  # an empty summary cache
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "de.md").write_text(TEXT, encoding="utf-8")
    return root


def _exported(root):
    corpus = open_corpus(root)
    store, _ = open_store(root, corpus.articles)
    return build_briefing(corpus, store, Filter(everything=True), OPTIONS).items[0].summary


def _composed(root):
    corpus = open_corpus(root)
    store, _ = open_store(root, corpus.articles)
    doc = BriefDoc(name="b", title="B")
    doc.add(["de.md"], section="S")
    return compose(corpus, store, doc, OPTIONS, stories=False).items[0].summary


def test_an_override_changes_the_summary_in_every_path_and_the_cache_keeps_both(german):
    corpus = open_corpus(german)
    assert corpus.get("de.md").lang == "de"  # detected
    assert _exported(german) == (LEAD, ATTACKS)  # German stopwords: the function-word sentence shares nothing
    assert _composed(german) == (LEAD, ATTACKS)
    store, _ = open_store(german, corpus.articles)
    store.set_lang("de.md", "en")
    # the German summary is in the cache now: the override must not be served it
    assert _exported(german) == (FUNCTION_WORDS, ATTACKS)
    assert _composed(german) == (FUNCTION_WORDS, ATTACKS)
    store.set_lang("de.md", None)  # back to the detected language: its summary again
    assert _exported(german) == (LEAD, ATTACKS)


def test_briefing_summarize_uses_the_analysts_language(german):
    runner = CliRunner()

    def summary() -> list[str]:
        result = runner.invoke(main, ["summarize", "de.md", "-n", "2", "--json", "--corpus", str(german)],
                               catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return list(json.loads(result.output)["sentences"])

    assert summary() == [LEAD, ATTACKS]
    assert runner.invoke(main, ["lang", "de.md", "en", "--corpus", str(german)], catch_exceptions=False).exit_code == 0
    assert summary() == [FUNCTION_WORDS, ATTACKS]


def test_an_export_reads_the_summary_cache(german, monkeypatch):
    from briefing.export import summaries
    from briefing.summarize import Summary
    from briefing.summarize.cache import key

    meta = open_corpus(german).get("de.md")
    kept = Summary([ATTACKS], "default", "default", None)
    summaries.export_cache().put(key(meta.fingerprint, "default", 2, "de"), kept)  # as the reader keeps it

    def never(*args, **kwargs):
        raise AssertionError("summarized again although the cache had it")

    monkeypatch.setattr("briefing.summarize.summarize_detail", never)
    assert _exported(german) == (ATTACKS,)
