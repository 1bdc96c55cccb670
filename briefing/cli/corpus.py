"""Corpus commands: ``list`` and ``show``."""

from __future__ import annotations

import datetime as dt

import click

from briefing.cli.app import main
from briefing.cli.common import (
    QUERY_HELP,
    annotations_for,
    check_query,
    corpus_option,
    corpus_root,
    find_or_fail,
    open_for_listing,
    print_rich,
    reader_settings,
    split_tags,
    warn,
)


@main.command("list")
@corpus_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array instead of a table.")
@click.option("--tag", "tags", multiple=True, metavar="T", help="Only articles tagged T (repeat: all the tags).")
@click.option(
    "--status",
    "statuses",
    type=click.Choice(["unread", "read", "flagged", "dismissed", "annotated"]),
    multiple=True,
    help="Only articles with this status (repeat: all must hold; annotated: tags, notes, highlights or corrections). "
    "Dismissed articles are left out unless asked for.",
)
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), default=None, metavar="YYYY-MM-DD", help="Only articles dated on or after.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), default=None, metavar="YYYY-MM-DD", help="Only articles dated on or before.")
@click.option("--query", "--search", "search", metavar="QUERY", default=None, help=QUERY_HELP)
@click.pass_context
def list_command(
    ctx: click.Context,
    corpus: str | None,
    as_json: bool,
    tags: tuple[str, ...],
    statuses: tuple[str, ...],
    since: dt.datetime | None,
    until: dt.datetime | None,
    search: str | None,
) -> None:
    """List the articles, newest first, undated last.

    Dates, titles and tags are the analyst's where set (annotations.yaml).
    """
    check_query(search)
    root = corpus_root(ctx, corpus)
    loaded = open_for_listing(root, search)  # the index: built on demand for a search
    from briefing.annotations.filter import Filter, annotated_listing
    from briefing.corpus.render import articles_table, to_json_text

    store = annotations_for(root, list(loaded.articles))  # all articles: renames are followed
    flt = Filter(
        tags=tuple(split_tags(tags)),
        statuses=tuple(dict.fromkeys(statuses)),
        since=since.date() if since else None,
        until=until.date() if until else None,
        search=search,
    )
    metas, annotations = annotated_listing(loaded.articles, store, flt, corpus=loaded, with_fields=as_json)
    if as_json:
        click.echo(to_json_text([{**meta.to_json(), **annotations[meta.id]} for meta in metas]))
    elif metas:
        from rich.console import Console

        print_rich(articles_table(metas, width=Console(stderr=False).width))
    else:
        click.echo("No articles.", err=True)


@main.command("show")
@click.argument("article_id", metavar="ARTICLE_ID")
@corpus_option
@click.option("--json", "as_json", is_flag=True, help="Print the article (with its body and annotations) as JSON.")
@click.pass_context
def show_command(ctx: click.Context, article_id: str, corpus: str | None, as_json: bool) -> None:
    """Print one article: its metadata and clean body.

    The title and date are the analyst's where set (the file's shown beside them);
    tags, notes, highlights and state come from annotations.yaml.
    """
    from briefing.annotations.corrected import date_origin, effective_article, title_origin
    from briefing.annotations.flags import state_of, state_text
    from briefing.corpus.render import article_body, article_header, to_json_text
    from briefing.summarize.choice import summary_choice

    root = corpus_root(ctx, corpus)
    article = find_or_fail(root, article_id)
    for warning in article.meta.warnings:
        warn(f"{article.id}: warning: {warning}")
    store = annotations_for(root)
    view = store.view(article.meta)
    shown = effective_article(store, article)
    method, length = summary_choice(view, reader_settings())
    if as_json:
        data = {**shown.to_json(with_body=True), **store.json_fields(article.meta), **state_of(view)}
        data["file_title"] = article.meta.title
        data["file_date"] = article.meta.date.isoformat() if article.meta.date else None
        data["summary"] = {"method": method, "length": length, "chosen": view.summary is not None}
        click.echo(to_json_text(data))
        return
    origins = {"Date": date_origin(article.meta, store), "Title": title_origin(article.meta, store)}
    print_rich(article_header(shown.meta, origins=origins, status=state_text(view),
                              notes=[n.text for n in view.notes], summary=f"{method}, {length} sentence{'s' if length != 1 else ''}"), soft_wrap=True)
    print_rich(article_body(shown), soft_wrap=True)
