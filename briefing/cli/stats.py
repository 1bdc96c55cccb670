"""The ``stats`` command: the shape of a corpus (or of a query's articles) in counts."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from briefing.cli import common
from briefing.cli.app import main
from briefing.cli.common import QUERY_HELP, annotations_over, check_query, corpus_option, corpus_root, fail, open_for_listing

if TYPE_CHECKING:
    from briefing.stats import Counts

FACETS = {"source": ("sources", "Source"), "tag": ("tags", "Tag"), "lang": ("langs", "Language")}
UNKNOWN = {"source": "(no source)", "tag": "", "lang": "(unknown)"}


def stats_rows(counts: Counts, by: str | None) -> tuple[str, list[dict[str, Any]]]:
    """``(by, rows)``: each row ``{"key", "count"}`` (time buckets also ``start``/``end``);
    ``by`` None: day, week or month chosen by the span."""
    from briefing.stats import timeline

    if by in FACETS:
        values = getattr(counts, FACETS[by][0])
        if values is None:
            fail("this index holds no article languages (--by lang needs them)")
        return by, [{"key": key or UNKNOWN[by], "count": n} for key, n in counts.top(FACETS[by][0])]
    line = timeline(counts.days, by)
    rows = [{"key": line.label(i), "start": line.starts[i].isoformat(), "end": line.end(i).isoformat(), "count": n}
            for i, n in enumerate(line.counts)]
    return line.unit, rows


@main.command("stats")
@corpus_option
@click.option("--by", type=click.Choice(["day", "week", "month", "source", "tag", "lang"]), default=None,
              help="Count by day, week or month (default: chosen by the span), or by source, tag or language.")
@click.option("--query", "--search", "search", metavar="QUERY", default=None, help=QUERY_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.pass_context
def stats_command(ctx: click.Context, corpus: str | None, by: str | None, search: str | None, as_json: bool) -> None:
    """Count the articles by day, week, month, source, tag or language.

    Dates and tags are the analyst's where set; dismissed articles are left out
    (unless the query asks for them); undated articles are counted apart. On a
    terminal a one-line sparkline of the span comes first; through a pipe, one
    tab-separated line per row.
    """
    check_query(search)
    root = corpus_root(ctx, corpus)
    from briefing.stats import sparkline, timeline

    counts = _counts_from_index(root, search)
    if counts is None:
        from briefing.stats import count_view

        loaded = open_for_listing(root, search)
        store = annotations_over(root, loaded)
        if search is None:
            counts = count_view(loaded, store)
        else:
            from briefing.annotations.filter import Filter, apply_filter

            chosen = apply_filter(loaded.articles, store, Filter(search=search), loaded)
            counts = count_view(loaded, store, [m.id for m in chosen])
    unit, rows = stats_rows(counts, by)
    if as_json:
        from briefing.corpus.render import to_json_text

        click.echo(to_json_text({"by": unit, "total": counts.total, "undated": counts.undated, "rows": rows}))
        return
    if not common.stdout_is_terminal():
        from briefing.sanitize import clean_line

        lines = [f"{clean_line(str(r['key']))}\t{r['count']}" for r in rows]
        if unit not in FACETS:
            lines.append(f"undated\t{counts.undated}")
        click.echo("\n".join(lines))
        return
    from rich.table import Table
    from rich.text import Text

    line = timeline(counts.days)
    if line.counts:
        import shutil

        width = max(10, shutil.get_terminal_size().columns - 40)
        common.print_rich(Text.assemble(line.starts[0].isoformat(), " ", (sparkline(line.counts, width), "bold"), " ",
                                        line.end(len(line) - 1).isoformat(), f"  (one mark per {line.unit})"))
    title = FACETS[unit][1] if unit in FACETS else unit.capitalize()
    table = Table(show_edge=False, header_style="bold")
    table.add_column(title)
    table.add_column("Articles", justify="right")
    for row in rows:
        table.add_row(Text(str(row["key"])), str(row["count"]))
    if unit not in FACETS:
        table.add_row(Text("undated", style="italic"), str(counts.undated))
    table.add_section()
    table.add_row(Text("total", style="bold"), str(counts.total))
    common.print_rich(table)


def _counts_from_index(root: Path, search: str | None) -> Counts | None:
    """The counts read from the index cache by SQL (:class:`briefing.listing.view.IndexView`),
    after the quick freshness check of ``list`` (:func:`briefing.cli.common.index_for_listing`):
    no row is loaded but the annotated ones and, for a query, its matches (the
    list's, streamed). None when there is no index to read (and no query to build one
    for), or the query asks for what the stream cannot give: the caller loads the corpus."""
    import sqlite3

    from briefing.annotations import open_store
    from briefing.annotations.filter import Filter
    from briefing.listing.stream import connect, reconcile_subset, rows
    from briefing.listing.view import IndexView
    from briefing.stats import count_view

    index = common.index_for_listing(root, search)
    if index is None:
        return None
    try:
        conn = connect(index.path)
    except sqlite3.Error:
        return None
    try:
        store, _report = open_store(root)
        report = store.reconcile(reconcile_subset(conn, store.document), persist=False)  # renamed files (in memory)
        for line in [*report.messages(), *store.messages]:
            common.warn(line)
        if store.error:
            common.warn(store.error)
        if search is None:
            return count_view(IndexView(conn, store.document.articles), store)
        found = rows(conn, store, Filter(search=search))
        if found is None:
            return None
        chosen = list(found)
        return count_view(IndexView(conn, metas=chosen), store, [m.id for m in chosen])
    finally:
        conn.close()
