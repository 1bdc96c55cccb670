"""The ``index`` command: build or refresh a corpus's search index ahead of time."""

from __future__ import annotations

import sys
import time

import click

from briefing.cli.app import main
from briefing.cli.common import corpus_option, corpus_root, progress_bar, warn


@main.command("index")
@corpus_option
@click.option("--rebuild", is_flag=True, help="Throw the cache away and index every file again.")
@click.pass_context
def index_command(ctx: click.Context, corpus: str | None, rebuild: bool) -> None:
    """Build or refresh the search index of a corpus ahead of time.

    The index lives in the cache folder; only new and changed files are read again.
    `briefing list --search` and the reader use it. This is the full walk (every
    file stat'ed): `list` and `export` only check folder times and the newest files,
    so a file rewritten in place while nothing watched is noticed here (see README,
    "Commands on a big corpus").
    """
    from briefing.index import CorpusIndex
    from briefing.index.compare import WalkFailed

    root = corpus_root(ctx, corpus)
    started = time.perf_counter()
    index = CorpusIndex(root)
    if rebuild:
        index.clear()

    def on_problem(problem: object) -> None:
        warn(str(problem))

    try:
        if sys.stderr.isatty():
            with progress_bar("indexing", "index") as callback:
                stats = index.refresh(progress=callback, on_problem=on_problem)
        else:
            stats = index.refresh(on_problem=on_problem)
    except WalkFailed as exc:  # (a full disk under the cache: the cache is kept as it was)
        raise click.ClickException(str(exc)) from None
    from briefing.index.child import note_unfinished

    note_unfinished(index.path, stopped=False)  # a reader's stopped first build is done now
    snapshot = index.snapshot()
    for problem in index.parse_problems(snapshot):
        warn(str(problem))
    elapsed = time.perf_counter() - started
    try:
        size = sum(p.stat().st_size for p in index.cache_files()) / 1e6  # main file + full-text shards
    except OSError:
        size = 0.0
    click.echo(
        f"{len(snapshot.articles)} articles indexed in {elapsed:.2f} s: "
        f"{stats.new} new, {stats.changed} changed, {stats.deleted} deleted, "
        f"{stats.renamed} renamed, {stats.unchanged} unchanged"
        + (f", {len(snapshot.problems)} problems" if snapshot.problems else "")
        + (" (cache rebuilt)" if stats.rebuilt or rebuild else "")
    )
    click.echo(f"cache: {index.path} ({size:.1f} MB)")
