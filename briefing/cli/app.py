"""The ``briefing`` group: the entry point, and the reader when no command is given."""

from __future__ import annotations

import importlib

import click

from briefing.cli.common import corpus_option, resolve_corpus, warn

# Each command's module (``briefing.cli.<module>``, which registers it on :data:`main`),
# imported when the command is looked up: a command pays only for the imports of its
# own module (``briefing tag`` for annotate's, not for export's or brief's); help and
# completion import them all. tests/test_cli_commands.py checks that this is every command.
COMMANDS = {
    "tag": "annotate", "note": "annotate", "read": "annotate", "unread": "annotate", "flag": "annotate",
    "dismiss": "annotate", "list": "corpus", "show": "corpus", "export": "export", "index": "index",
    "stories": "stories", "compare": "stories", "keywords": "stories", "summarize": "summarize",
    "merge-file": "team", "team": "team", "brief": "brief", "lang": "lang", "stats": "stats", "watch": "watch",
}


def load_commands() -> None:
    """Import every command's module (each registers its commands on :data:`main`)."""
    for module in dict.fromkeys(COMMANDS.values()):
        importlib.import_module(f"briefing.cli.{module}")


class _Group(click.Group):
    """A group whose first word may be a folder to open instead of a command, and
    whose commands are imported when looked up (:data:`COMMANDS`)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and not args[0].startswith("-") and args[0] not in self.commands and args[0] not in COMMANDS:
            args = ["--corpus", args[0], *args[1:]]
        return super().parse_args(ctx, args)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            importlib.import_module(f"briefing.cli.{COMMANDS[cmd_name]}")
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        load_commands()
        return super().list_commands(ctx)


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
