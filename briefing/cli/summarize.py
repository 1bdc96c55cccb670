"""The ``summarize`` command."""

from __future__ import annotations

from pathlib import Path

import click

from briefing.cli.app import main
from briefing.cli.common import corpus_option, corpus_root, fail, find_or_fail, print_rich, summary_methods


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
    type=click.Choice(summary_methods()),
    default="default",
    show_default=True,
    help="Summary method: our ranker (default), the first sentences (lead), or one of sumy's.",
)
@click.option(
    "--sentences",
    "-n",
    type=click.IntRange(1, 10),
    default=3,
    show_default=True,
    help="Number of sentences (1-10).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_context
def summarize_command(
    ctx: click.Context,
    article_id: str | None,
    file_path: Path | None,
    corpus: str | None,
    method: str,
    sentences: int,
    as_json: bool,
) -> None:
    """Print an extractive summary of ARTICLE_ID (or of --file PATH)."""
    from briefing.corpus import ArticleError, read_article
    from briefing.corpus.render import to_json_text
    from briefing.sanitize import clean_line
    from briefing.summarize import summarize_detail
    from briefing.summarize.render import summary_json, summary_text

    if file_path is not None and article_id is None:
        try:
            article = read_article(file_path.resolve().parent, file_path.resolve())
        except ArticleError as err:
            fail(f"{clean_line(str(file_path))}: {err.message}", code=1)
    elif article_id is not None and file_path is None:
        article = find_or_fail(corpus_root(ctx, corpus), article_id)
    else:
        raise click.UsageError("give either ARTICLE_ID or --file PATH (one of them)")
    result = summarize_detail(article.body, sentences, method, headings=article.headings)
    if as_json:
        click.echo(to_json_text(summary_json(article, result)))  # controls and bidi as \u escapes (issue 22)
        return
    print_rich(summary_text(article, result))
