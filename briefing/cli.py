"""The command line: the only place that parses arguments.

``briefing`` with no command opens the reader; ``briefing DIR`` opens it on DIR.
Every command takes ``--corpus DIR`` (or ``BRIEFING_CORPUS``); without either the
bundled sample corpus is used.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from briefing.resources import sample_corpus

EXIT_USAGE = 2


class _Group(click.Group):
    """A group whose first word may be a folder to open instead of a command."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and not args[0].startswith("-") and args[0] not in self.commands:
            args = ["--corpus", args[0], *args[1:]]
        return super().parse_args(ctx, args)


def resolve_corpus(corpus: str | None) -> Path:
    """The corpus folder from the option, the environment or the bundled sample.

    Exits with code 2 and a one-line message when the folder is missing or unreadable.
    """
    chosen = corpus or os.environ.get("BRIEFING_CORPUS") or None
    path = Path(chosen).expanduser() if chosen else sample_corpus()
    if not path.exists():
        fail(f"corpus folder not found: {path}")
    if not path.is_dir():
        fail(f"not a folder: {path}")
    if not os.access(path, os.R_OK | os.X_OK):
        fail(f"corpus folder is not readable: {path}")
    return path.resolve()


def fail(message: str, code: int = EXIT_USAGE) -> None:
    click.echo(f"briefing: {message}", err=True)
    sys.exit(code)


corpus_option = click.option(
    "--corpus",
    "corpus",
    metavar="DIR",
    default=None,
    help="The corpus folder (default: $BRIEFING_CORPUS, else the bundled sample corpus).",
)


@click.group(cls=_Group, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@corpus_option
@click.version_option(package_name="briefing")
@click.pass_context
def main(ctx: click.Context, corpus: str | None) -> None:
    """Read, summarize, annotate and export a folder of news articles.

    With no command, opens the reader on DIR (or --corpus, or the sample corpus).
    """
    if ctx.invoked_subcommand is None:
        root = resolve_corpus(corpus)
        from briefing.tui.app import run

        run(root)


# --- corpus commands (list, show) ---


# --- summary commands (summarize) ---


# --- annotation commands (tag, note, flag) ---


# --- export commands ---


# --- index commands ---
