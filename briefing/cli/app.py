"""The ``briefing`` group: the entry point, and the reader when no command is given."""

from __future__ import annotations

import click

from briefing.cli.common import corpus_option, resolve_corpus, warn


class _Group(click.Group):
    """A group whose first word may be a folder to open instead of a command."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and not args[0].startswith("-") and args[0] not in self.commands:
            args = ["--corpus", args[0], *args[1:]]
        return super().parse_args(ctx, args)


@click.group(cls=_Group, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@corpus_option
@click.version_option(package_name="briefing")
@click.pass_context
def main(ctx: click.Context, corpus: str | None) -> None:
    """Read, summarize, annotate and export a folder of news articles.

    With no command, opens the reader on DIR (or --corpus, or the sample corpus).
    """
    if ctx.invoked_subcommand is not None:  # (the reader shows it on its screen instead)
        from briefing.cachedir import on_cache_notice

        on_cache_notice(warn)  # an unusable cache folder: one line on stderr, then a temporary cache
    if ctx.invoked_subcommand is None:
        root = resolve_corpus(corpus)
        from briefing.tui.app import run

        run(root)
