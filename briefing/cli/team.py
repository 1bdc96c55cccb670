"""Team commands: ``merge-file`` (the git merge driver) and ``team init``."""

from __future__ import annotations

from pathlib import Path

import click

from briefing.cli.app import main
from briefing.cli.common import corpus_option, corpus_root, fail, warn
from briefing.sanitize import clean_line


@main.command("merge-file")
@click.argument("base", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("ours", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("theirs", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("path", required=False)
def merge_file_command(base: Path, ours: Path, theirs: Path, path: str | None) -> None:
    """Three-way merge of a briefing file, for git (%O %A %B [%P]).

    The result is written over OURS. Exit 0: merged; 1: true conflicts were kept
    in the file's `conflicts` entries (git marks the file conflicted); 2: the
    versions could not be merged (OURS left as it was).
    """
    from briefing.annotations.author import current_author
    from briefing.annotations.yamlio import utc_now
    from briefing.team.mergefile import MergeRefused, merge_file

    name = clean_line(path or str(ours))
    try:
        result = merge_file(base, ours, theirs, path, utc_now(), current_author(Path.cwd()))
    except MergeRefused as exc:
        fail(f"merge-file: {name}: {exc}. The file now holds only your version (git marks it conflicted): "
             "`git add` it as it is and their changes are dropped from the merge. Fix the cause and run "
             f"`git checkout -m {name}` to merge again, or `git merge --abort`.", code=2)
    if result.conflicts:
        for line in result.conflicts:
            warn(f"merge-file: {name}: CONFLICT {clean_line(line)}")
        warn(f"merge-file: {name}: {len(result.conflicts)} conflict(s) kept in the file; "
             "resolve them in the reader (key !), then git add the file")
        raise SystemExit(1)


@main.group("team")
def team_group() -> None:
    """Share a corpus's annotations through git."""


@team_group.command("init")
@corpus_option
@click.pass_context
def team_init_command(ctx: click.Context, corpus: str | None) -> None:
    """Set up the corpus's git repository for briefing: merge driver, attributes, ignores."""
    from briefing.team.gitsetup import NotARepository, init

    root = corpus_root(ctx, corpus or ctx.find_root().params.get("corpus"))
    try:
        report = init(root)
    except NotARepository as exc:
        fail(f"team init: {exc}", code=2)
    for line in report.lines():
        click.echo(clean_line(line))
    if report.done:
        click.echo("commit .gitattributes and .gitignore so that every clone merges with briefing;"
                   " each analyst runs `briefing team init` once in their clone")
