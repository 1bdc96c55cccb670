"""The ``summarize`` command."""

from __future__ import annotations

from pathlib import Path

import click

from briefing.cli import common
from briefing.cli.app import main
from briefing.cli.common import (
    SummaryMethod,
    annotations_for,
    corpus_option,
    corpus_root,
    echo_plain,
    fail,
    find_or_fail,
    print_rich,
    reader_settings,
)


@main.command("summarize")
@click.argument("article_id", metavar="[ARTICLE_ID]", required=False)
@click.option(
    "--file",
    "file_path",
    metavar="PATH",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Summarize this file instead of an article of the corpus.",
)
@corpus_option
@click.option(
    "--method",
    "-m",
    type=SummaryMethod(),
    default=None,
    help="Summary method: our ranker (default), the first sentences (lead), or one of sumy's. "
    "Default: the method chosen for this article in the reader, else summary_method in config.yaml.",
)
@click.option(
    "--sentences",
    "-n",
    type=click.IntRange(1, 10),
    default=None,
    help="Number of sentences (1-10). Default: the length chosen for this article in the reader, "
    "else summary_length in config.yaml.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_context
def summarize_command(
    ctx: click.Context,
    article_id: str | None,
    file_path: Path | None,
    corpus: str | None,
    method: str | None,
    sentences: int | None,
    as_json: bool,
) -> None:
    """Print an extractive summary of ARTICLE_ID (or of --file PATH)."""
    from briefing.annotations.corrected import effective_article
    from briefing.corpus import ArticleError, read_article
    from briefing.corpus.render import to_json_text
    from briefing.sanitize import clean_line
    from briefing.summarize import AUTO, summarize_detail
    from briefing.summarize.choice import summary_choice
    from briefing.summarize.render import summary_json, summary_text

    if file_path is not None and article_id is None:
        try:
            article = read_article(file_path.resolve().parent, file_path.resolve())
        except ArticleError as err:
            fail(f"{clean_line(str(file_path))}: {err.message}", code=1)
        view = None
    elif article_id is not None and file_path is None:
        root = corpus_root(ctx, corpus)
        article = find_or_fail(root, article_id)
        store = annotations_for(root)
        view = store.view(article.meta)
        article = effective_article(store, article)  # the analyst's title and date
    else:
        raise click.UsageError("give either ARTICLE_ID or --file PATH (one of them)")
    chosen_method, chosen_length = summary_choice(view, reader_settings())
    # in the article's language: the analyst's (briefing lang), else the one detected when it was read
    result = summarize_detail(article.body, sentences or chosen_length, method or chosen_method, headings=article.headings,
                              lang=article.meta.lang or AUTO)
    if as_json:
        click.echo(to_json_text(summary_json(article, result)))  # controls and bidi as \u escapes (issue 22)
        return
    if common.stdout_is_terminal():
        print_rich(summary_text(article, result))
    else:  # a pipe or a file: each sentence on one line, whatever its length; no styles
        echo_plain(summary_text(article, result))
