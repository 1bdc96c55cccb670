"""The reader's briefing export honours "include private" exactly as the command's
``--include-private`` (issue 17): the options the reader composes with
(``compose_options``) give the same bytes as ``briefing brief export``, with and
without private text."""

from __future__ import annotations

from click.testing import CliRunner

from briefing.annotations import open_store
from briefing.brief.build import compose
from briefing.brief.model import configured_scale
from briefing.brief.store import load_brief
from briefing.cli import main
from briefing.cli.common import reader_settings
from briefing.corpus import open_corpus
from briefing.export import render
from briefing.tui.features.brief import compose_options


def cli(root, *args):
    result = CliRunner().invoke(main, ["brief", "--corpus", str(root), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_reader_options_give_the_command_lines_bytes_with_and_without_private(brief_corpus):
    cli(brief_corpus, "new", "w")
    cli(brief_corpus, "add", "w", "a_story.md", "c_hostile.md")
    shared = cli(brief_corpus, "export", "w", "-f", "md")
    everything = cli(brief_corpus, "export", "w", "-f", "md", "--include-private")
    for secret in ("PRIVATE-NOTE: source is my cousin", "PRIVATE-COMMENT: check with health ministry"):
        assert secret not in shared and secret in everything
    doc = load_brief(brief_corpus, "w").doc
    corpus = open_corpus(brief_corpus)
    store, _ = open_store(brief_corpus, corpus.articles)
    for include_private, expected in ((False, shared), (True, everything)):
        options = compose_options(doc, None, reader_settings(), include_private)
        assert options.include_private is include_private
        made = compose(corpus, store, doc, options, scale=configured_scale())
        assert render(made, "md").decode("utf-8") == expected
    assert compose_options(doc, None, reader_settings()).include_private is False  # the default: kept out
