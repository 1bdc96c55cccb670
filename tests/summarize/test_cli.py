"""`briefing summarize`."""

import json

import pytest
from click.testing import CliRunner

from briefing.cli import main
from briefing.resources import sample_corpus

from .conftest import seed


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_summarize_article_as_json():
    article = seed("001")
    res = run("summarize", article.id, "--corpus", str(sample_corpus()), "--method", "lead", "--sentences", "2", "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["id"] == article.id and data["method"] == "lead" and data["requested"] == "lead"
    assert data["note"] is None
    assert len(data["sentences"]) == 2 and all(s in article.body for s in data["sentences"])


def test_summarize_plain_output_lists_sentences_and_method():
    article = seed("003")
    res = run("summarize", article.id, "-n", "1")
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert sum(line.startswith("• ") for line in lines) == 1
    assert "method: default" in res.output


def test_summarize_file_with_markup_is_printed_as_text(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(
        "A headline here\n\n"
        "The [bold red]council[/] voted to close the bridge for repairs on Monday. "
        "Drivers were told to use the ring road until the end of the month. "
        "Shops near the bridge said they expected to lose customers.\n",
        encoding="utf-8",
    )
    res = run("summarize", "--file", str(path), "--sentences", "3", "--method", "default")
    assert res.exit_code == 0, res.output
    assert "[bold red]council[/]" in res.output
    assert res.output.count("• ") == 3


def test_summarize_note_is_shown(tmp_path):
    path = tmp_path / "short.txt"
    path.write_text("Only one sentence in this file, and it is long enough.\n", encoding="utf-8")
    res = run("summarize", "--file", str(path), "-n", "5")
    assert res.exit_code == 0, res.output
    assert "note: the text has only 1 sentence to choose from" in res.output


@pytest.mark.parametrize(
    "args, message",
    [
        (["summarize"], "give either ARTICLE_ID or --file PATH"),
        (["summarize", "x.txt", "--file", "seeds/000_c25f74af4bc17e80.txt"], "give either ARTICLE_ID or --file PATH"),
        (["summarize", "x.txt", "--sentences", "0"], "0 is not in the range 1<=x<=10"),
        (["summarize", "x.txt", "--sentences", "11"], "11 is not in the range 1<=x<=10"),
        (["summarize", "x.txt", "--method", "bogus"], "'bogus' is not one of"),
        (["summarize", "no-such-article.txt"], "no article with id 'no-such-article.txt'"),
        (["summarize", "--file", "/no/such/file.txt"], "does not exist"),
    ],
)
def test_summarize_usage_errors(args, message):
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 2
    assert message in res.output
