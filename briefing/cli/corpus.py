"""Corpus commands: ``list`` and ``show``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import click

from briefing.cli import common
from briefing.cli.app import main
from briefing.cli.common import (
    DATE_HELP,
    QUERY_HELP,
    HumanDate,
    annotations_for,
    annotations_over,
    check_date_order,
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
from briefing.model import ArticleMeta


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
@click.option("--since", type=HumanDate("start"), default=None, metavar="DATE",
              help=f"Only articles dated on or after DATE ({DATE_HELP}; a range counts from its first day).")
@click.option("--until", type=HumanDate("end"), default=None, metavar="DATE",
              help="Only articles dated on or before DATE (same spellings; a range counts to its last day).")
@click.option("--query", "--search", "search", metavar="QUERY", default=None, help=QUERY_HELP)
@click.option("--lang", "lang", metavar="CODE", default=None,
              help="Only articles in this language (ISO 639-1: uk, ru, de...; und: unknown); the analyst's where set.")
@click.pass_context
def list_command(
    ctx: click.Context,
    corpus: str | None,
    as_json: bool,
    tags: tuple[str, ...],
    statuses: tuple[str, ...],
    since: dt.date | None,
    until: dt.date | None,
    search: str | None,
    lang: str | None = None,
) -> None:
    """List the articles, newest first, undated last.

    Dates, titles and tags are the analyst's where set (annotations.yaml). When
    standard output is not a terminal: one tab-separated line per article (id, date,
    source, title, tags comma-separated, status).
    """
    check_date_order(ctx, since, until)
    check_query(search)
    root = corpus_root(ctx, corpus)
    from briefing.annotations.filter import Filter, annotated_listing
    from briefing.corpus.render import articles_table, to_json_text

    flt = Filter(
        tags=tuple(split_tags(tags)),
        statuses=tuple(dict.fromkeys(statuses)),
        since=since,
        until=until,
        search=search,
        lang=lang_code(ctx, lang) if lang is not None else None,
    )
    index = common.index_for_listing(root, search)  # up to date without a walk when it can be; built for a search
    if index is not None and _list_streamed(index, root, flt, as_json):
        return
    loaded = open_for_listing(root, search)  # the index: built on demand for a search
    store = annotations_over(root, loaded)  # all articles: renames are followed
    metas, annotations = annotated_listing(loaded.articles, store, flt, corpus=loaded, with_fields=as_json)
    if as_json:
        click.echo(to_json_text([{**meta.to_json(), **annotations[meta.id]} for meta in metas]))
    elif metas and not common.stdout_is_terminal():
        from briefing.annotations.flags import state_of
        from briefing.corpus.render import articles_tsv

        def row(meta: ArticleMeta) -> tuple[str, ...]:
            view = store.view(meta)
            state = state_of(view)
            status = ",".join(["read" if state["read"] else "unread", *(k for k in ("flagged", "dismissed") if state[k])])
            date = meta.date.isoformat() if meta.date else ""
            return (meta.id, date, meta.source or "", meta.title, ",".join(view.tags), status)  # automatic tags too

        click.echo(articles_tsv(row(m) for m in metas), nl=False)
    elif metas:
        from rich.console import Console

        print_rich(articles_table(metas, width=Console(stderr=False).width))
    else:
        click.echo("No articles.", err=True)


def _list_streamed(index: object, root: object, flt: object, as_json: bool) -> bool:
    """``list`` from the index as a stream (:mod:`briefing.listing.stream`): rows are
    printed as the SQL cursor gives them. False when the filter asks for an order the
    stream cannot give (``sort:oldest``, ``sort:relevance``): nothing was printed."""
    import sqlite3

    from briefing.annotations import open_store
    from briefing.annotations.filter import Filter
    from briefing.jsontext import json_array_chunks
    from briefing.listing.stream import connect, reconcile_subset, rows

    assert isinstance(flt, Filter)
    try:
        conn = connect(index.path)  # type: ignore[attr-defined]
    except sqlite3.Error:
        return False
    try:
        store, _report = open_store(root)  # type: ignore[arg-type]
        report = store.reconcile(reconcile_subset(conn, store.document), persist=False)  # renamed files (in memory)
        for line in [*report.messages(), *store.messages]:
            warn(line)
        if store.error:
            warn(store.error)
        metas = rows(conn, store, flt)
        if metas is None:
            return False

        def shown() -> Iterator[ArticleMeta]:
            for meta in metas:
                for warning in meta.warnings:
                    warn(f"{meta.id}: warning: {warning}")
                yield meta

        annotated = store.document.articles  # the others: an empty entry, one shape of row
        if as_json:
            from briefing.annotations.schema import sorted_tags
            from briefing.listing.jsonrow import plain_row_json

            def item(m: ArticleMeta) -> object:
                if m.id in annotated:
                    return {**store.effective_meta(m).to_json(), **store.json_fields(m)}
                return plain_row_json(m, sorted_tags(m.tags) if m.tags else ())

            any_row = False
            for chunk in json_array_chunks(item(m) for m in shown()):
                click.echo(chunk, nl=False)
                any_row = True
            if any_row:
                click.echo("")
            return True
        if not common.stdout_is_terminal():
            from briefing.annotations.flags import state_of
            from briefing.corpus.render import articles_tsv

            printed = False
            pending: list[str] = []
            size = 0
            for raw in shown():
                if raw.id in annotated:
                    meta = store.effective_meta(raw)
                    view = store.view(raw)
                    state = state_of(view)
                    status = ",".join(["read" if state["read"] else "unread", *(k for k in ("flagged", "dismissed") if state[k])])
                    tags = view.tags  # the file's, the analyst's and the automatic ones, as --json gives them
                else:  # no entry: unread, the file's own metadata
                    meta, status, tags = raw, "unread", raw.tags
                date = meta.date.isoformat() if meta.date else ""
                line = articles_tsv([(meta.id, date, meta.source or "", meta.title, ",".join(tags), status)])
                pending.append(line)
                size += len(line)
                if not printed or size >= 1 << 16:  # the first row at once, then in large writes
                    click.echo("".join(pending), nl=False)
                    pending, size = [], 0
                printed = True
            if pending:
                click.echo("".join(pending), nl=False)
            if not printed:
                click.echo("No articles.", err=True)
            return True
        listed = [store.effective_meta(m) for m in shown()]
        if listed:
            from rich.console import Console

            from briefing.corpus.render import articles_table

            print_rich(articles_table(listed, width=Console(stderr=False).width))
        else:
            click.echo("No articles.", err=True)
        return True
    finally:
        conn.close()


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
    from briefing.annotations.corrected import date_origin, effective_article, lang_origin, title_origin
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
    origins = {"Date": date_origin(article.meta, store), "Title": title_origin(article.meta, store),
               "Language": lang_origin(article.meta, store)}
    print_rich(article_header(shown.meta, origins=origins, status=state_text(view),
                              notes=[f"(private) {n.text}" if n.private else n.text for n in view.notes], summary=f"{method}, {length} sentence{'s' if length != 1 else ''}"), soft_wrap=True)
    print_rich(article_body(shown), soft_wrap=True)


def lang_code(ctx: click.Context, typed: str) -> str:
    """A ``--lang`` value, checked (a usage error names what is wrong)."""
    from briefing.lang import check_code

    try:
        return check_code(typed)
    except ValueError as err:
        raise click.BadParameter(str(err), ctx=ctx, param_hint="'--lang'") from None
