"""The ``export`` command: the annotated briefing as Markdown, HTML, JSON or Word."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any

import click

from briefing.cli.app import main
from briefing.cli.common import (
    DATE_HELP,
    EXIT_USAGE,
    QUERY_HELP,
    HumanDate,
    SummaryMethod,
    annotations_over,
    check_date_order,
    check_query,
    corpus_option,
    corpus_root,
    fail,
    indexed_store,
    open_for_listing,
    open_indexed_reporting,
    reader_settings,
    refuse_unreadable,
    split_tags,
    warn,
)
from briefing.cli.corpus import lang_code
from briefing.papers import DEFAULT_PAPER, PAPERS

_EXPORT_SUFFIXES = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".json": "json", ".docx": "docx", ".pdf": "pdf"}


def warn_suffix(target: Path | None, fmt: str) -> None:
    """Say so when the file's name says another format than the one written (a
    recipient's program goes by the name)."""
    from briefing.sanitize import clean_line

    named = _EXPORT_SUFFIXES.get(target.suffix.lower()) if target is not None else None
    if target is not None and named is not None and named != fmt:
        warn(f"{clean_line(target.name)} is named like a {named} file but gets {fmt}; "
             f"a recipient's program goes by the name (-f {named}, or name it .{fmt})")


def _produced_date(value: str) -> dt.date:
    """The day ``--date`` names: one day as people type it (2026-11-21, today, yesterday)."""
    from briefing.humandates import HumanDateError, parse_day
    from briefing.sanitize import clean_line

    try:
        return parse_day(value)
    except HumanDateError as err:
        raise click.BadParameter(clean_line(str(err)), param_hint="--date") from None


def _write_stdout(data: bytes) -> bool:
    """Write ``data`` to standard output; False when the reader has gone
    (`briefing export | head`: not an error)."""
    stream = getattr(sys.stdout, "buffer", None)
    try:
        if stream is None:
            sys.stdout.write(data.decode("utf-8"))
            sys.stdout.flush()
        else:
            sys.stdout.flush()
            stream.write(data)
            stream.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return False
    return True


paper_option = click.option(
    "--paper", type=click.Choice(PAPERS, case_sensitive=False), default=None,
    help="A PDF's page size (default: paper in config.yaml, else a4). HTML prints on either.")


def paper_for(fmt: str, paper: str | None, settings: Any) -> str:
    """The PDF page size: ``--paper``, else the config's ``paper``, else a4 (a note
    on standard error when ``--paper`` is given for another format)."""
    if paper is not None and fmt != "pdf":
        warn(f"--paper applies to PDF only; ignored for {fmt}")
    return (paper or getattr(settings, "paper", "") or DEFAULT_PAPER).lower()


@main.command("export")
@corpus_option
@click.option("--format", "-f", "fmt", type=click.Choice(["md", "html", "json", "docx", "pdf"]), default=None, help="Output format (default: from the -o suffix, else md).")
@click.option("-o", "--output", "output", metavar="PATH", default=None, help="Write to PATH (default: standard output; '-' too). DOCX needs a PATH.")
@click.option("--force", is_flag=True, help="Replace PATH if it exists (a symbolic link is never written through).")
@click.option("--tag", "tags", multiple=True, metavar="T", help="Only articles tagged T (repeat: all the tags; front-matter tags count).")
@click.option("--status", type=click.Choice(["unread", "read", "flagged", "dismissed", "annotated"]), default=None, help="Only articles with this status (dismissed ones are left out unless this asks for them).")
@click.option("--since", type=HumanDate("start"), default=None, metavar="DATE",
              help=f"Only articles dated on or after DATE ({DATE_HELP}; a range counts from its first day).")
@click.option("--until", type=HumanDate("end"), default=None, metavar="DATE",
              help="Only articles dated on or before DATE (same spellings; a range counts to its last day).")
@click.option("--query", "--search", "search", metavar="QUERY", default=None, help=QUERY_HELP)
@click.option("--all", "everything", is_flag=True, help="Include matching articles without annotations.")
@click.option("--lang", "lang", metavar="CODE", default=None,
              help="Only articles in this language (ISO 639-1: uk, ru, de...; und: unknown); the analyst's where set.")
@click.option("--group-by", type=click.Choice(["date", "tag"]), default="date", show_default=True, help="Group items by day or by tag.")
@click.option("--title", default="Briefing", show_default=True, help="The briefing's title.")
@click.option("--analyst", metavar="NAME", default=None, help="The analyst's name for the header.")
@click.option("--date", "produced", metavar="YYYY-MM-DD", default=None, help="Date produced for the header: one day (2026-11-21, today, yesterday). Default: today for html/docx, none for md/json/pdf (reproducible).")
@click.option("--method", "-m", type=SummaryMethod(), default=None,
              help="Summary method for every item. Default: each article's as read in the reader, else summary_method in config.yaml.")
@click.option("--sentences", "-n", type=click.IntRange(1, 10), default=None,
              help="Summary sentences per item (1-10). Default: each article's as read, else summary_length in config.yaml.")
@click.option("--authors/--no-authors", "authors", default=False, help="Name who wrote each note and highlight (default: no names, for a briefing sent out).")
@click.option("--include-private", is_flag=True, help="Include private notes and highlight comments (left out by default).")
@click.option("--stories", "by_story", is_flag=True, help="One item per story: near-duplicate articles folded into one, listed as its sources (see `briefing stories`).")
@paper_option
@click.pass_context
def export_command(
    ctx: click.Context,
    corpus: str | None,
    fmt: str | None,
    output: str | None,
    force: bool,
    tags: tuple[str, ...],
    status: str | None,
    since: dt.date | None,
    until: dt.date | None,
    search: str | None,
    everything: bool,
    group_by: str,
    title: str,
    analyst: str | None,
    produced: str | None,
    method: str | None,
    sentences: int | None,
    by_story: bool,
    authors: bool = False,
    lang: str | None = None,
    include_private: bool = False,
    paper: str | None = None,
) -> None:
    """Export the annotated briefing (Markdown, HTML, JSON, Word or PDF).

    Takes the articles matching the filters that you annotated (tags, notes,
    highlights, corrections) or flagged; articles without annotations only with
    --all, --status unread/read/flagged or --tag. Templates in the config folder's
    templates/ (briefing.md.j2, briefing.html.j2) replace the built-in ones.
    Exit status: 0 written; 2 a usage problem or a path refused (exists, symbolic
    link, missing folder, no permission); 1 the disk failed while writing, or the
    annotation file cannot be read (nothing is exported without its annotations).
    """
    from briefing.annotations.filter import Filter
    from briefing.export import BriefingOptions, ExportWriteError, TemplateProblem, default_produced, export_briefing, write_export
    from briefing.export.write import check_target

    check_date_order(ctx, since, until)
    target = None if output in (None, "-") else Path(str(output)).expanduser()  # None: standard output
    if fmt is None:
        fmt = "md" if target is None else _EXPORT_SUFFIXES.get(target.suffix.lower(), "md")
    else:
        warn_suffix(target, fmt)
    if fmt == "docx" and target is None:
        fail("a Word document is binary: give the file to write with -o PATH (e.g. -o briefing.docx)")
    if fmt == "pdf" and target is None:
        fail("a PDF is binary: give the file to write with -o PATH (e.g. -o briefing.pdf)")
    if target is not None:
        try:
            check_target(target, force)  # before the slow part
        except ExportWriteError as err:
            fail(err.message)
    check_query(search)
    root = corpus_root(ctx, corpus)
    flt = Filter(
        tags=tuple(split_tags(tags)),
        statuses=(status,) if status else (),
        since=since,
        until=until,
        search=search,
        everything=everything,
        lang=lang_code(ctx, lang) if lang is not None else None,
    )
    selected = None if by_story else _streamed_selection(root, flt)  # stories group the whole corpus
    if selected is not None:
        loaded, store = selected
    else:
        # --stories: through the index (built on demand), where the grouping is kept
        # for the next export; the files alone would be signed again every time.
        loaded = open_indexed_reporting(root, progress=True) if by_story else open_for_listing(root, search)
        store = annotations_over(root, loaded)
    refuse_unreadable(store)
    date = _produced_date(produced) if produced is not None else default_produced(fmt)
    settings = reader_settings()
    options = BriefingOptions(title=title, analyst=analyst, produced=date, group_by=group_by, method=method, sentences=sentences, stories=by_story,
                              settings=settings, authors=authors, include_private=include_private)
    try:
        result = export_briefing(loaded, store, flt, fmt, options, paper=paper_for(fmt, paper, settings))
    except TemplateProblem as err:
        fail(f"template: {err}")
    except ValueError as err:
        fail(str(err))
    count = f"{result.count} item{'s' if result.count != 1 else ''}"
    if target is None:
        if not _write_stdout(result.data):
            return
        click.echo(f"briefing: {count} exported ({fmt}) to standard output", err=True)
    else:
        try:
            written = write_export(target, result.data, force=force)
        except ExportWriteError as err:
            fail(err.message, code=1 if err.kind == "io" else EXIT_USAGE)
        click.echo(f"briefing: wrote {count} ({fmt}) to {written}", err=True)
    if result.count == 0 and not flt.asks_for_unannotated:
        click.echo("briefing: no annotated or flagged article matches; --all includes the others", err=True)


def _streamed_selection(root: Path, flt: Any) -> tuple[Any, Any] | None:
    """(corpus, store) holding only the articles the export can take, read from the
    index as ``list`` streams them (:mod:`briefing.listing.stream`; only the annotated
    ones unless the filter asks for the others), the query answered already; None
    when there is no index to read or the query asks for another order."""
    from briefing.corpus import Corpus
    from briefing.corpus.view import ListedCorpus
    from briefing.listing.stream import rows

    with indexed_store(root, flt.search) as opened:
        if opened is None:
            return None
        conn, store = opened
        found = rows(conn, store, flt, annotated_only=not flt.asks_for_unannotated)
        if found is None:
            return None
        chosen = list(found)
    small = Corpus(root=root, articles=chosen)
    return ListedCorpus(small, dict.fromkeys(m.id for m in chosen)), store
