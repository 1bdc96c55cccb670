"""Annotation commands: ``tag``, ``note`` and ``flag`` (one article each, saved at once)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from briefing.cli.app import main
from briefing.cli.common import annotations_for, corpus_option, corpus_root, fail, find_or_fail, split_tags, warn
from briefing.sanitize import clean_line

if TYPE_CHECKING:
    from briefing.annotations import AnnotationStore
    from briefing.annotations.store import Change
    from briefing.model import ArticleMeta


def _annotation_target(ctx: click.Context, corpus: str | None, article_id: str) -> tuple[AnnotationStore, ArticleMeta]:
    """(store, meta) for a command that changes one article's annotations."""
    root = corpus_root(ctx, corpus)
    meta = find_or_fail(root, article_id, unreadable=2).meta
    store = annotations_for(root, writing=True)
    store.attach([meta])  # records its fingerprint, knows its front-matter tags
    return store, meta


def _apply(action: Callable[[], Change]) -> Change:
    """Run a store mutation; its messages go to stderr, its errors exit with a message."""
    from briefing.annotations import AnnotationError, SaveError

    try:
        change = action()
    except SaveError as err:
        fail(str(err), code=1)
    except (AnnotationError, ValueError) as err:
        fail(str(err))
    for line in change.messages:
        warn(line)
    return change


@main.command("tag")
@click.argument("article_id", metavar="ID")
@click.argument("tags", nargs=-1, required=True, metavar="TAG...")
@click.option("--remove", is_flag=True, help="Remove the tags instead of adding them.")
@corpus_option
@click.pass_context
def tag_command(ctx: click.Context, article_id: str, tags: tuple[str, ...], remove: bool, corpus: str | None) -> None:
    """Add tags to an article (or remove them with --remove).

    Commas separate tags too: `briefing tag ID energy,kyiv`. Tags from the article's
    own front matter cannot be removed here (edit the file).
    """
    store, meta = _annotation_target(ctx, corpus, article_id)
    wanted = split_tags(tags)
    if not wanted:
        fail("no tag given")
    if remove:
        _apply(lambda: store.remove_tags(meta.id, wanted))
    else:
        _apply(lambda: store.add_tags(meta.id, wanted))
    shown = ", ".join(clean_line(t) for t in store.tags(meta)) or "(none)"
    click.echo(f"{clean_line(meta.id)}: tags: {shown}")


@main.command("note")
@click.argument("article_id", metavar="ID")
@click.argument("text", metavar="TEXT")
@corpus_option
@click.pass_context
def note_command(ctx: click.Context, article_id: str, text: str, corpus: str | None) -> None:
    """Add a note to an article (TEXT `-` reads the note from standard input)."""
    if text == "-":
        text = sys.stdin.read()
    store, meta = _annotation_target(ctx, corpus, article_id)
    change = _apply(lambda: store.add_note(meta.id, text))
    count = len(change.after[meta.id].notes)
    click.echo(f"{clean_line(meta.id)}: note added ({count} note{'s' if count != 1 else ''})")


@main.command("flag")
@click.argument("article_id", metavar="ID")
@click.option("--off", is_flag=True, help="Unflag (the article stays marked read).")
@corpus_option
@click.pass_context
def flag_command(ctx: click.Context, article_id: str, off: bool, corpus: str | None) -> None:
    """Flag an article for follow-up (idempotent: flagging twice keeps it flagged)."""
    store, meta = _annotation_target(ctx, corpus, article_id)
    if off and store.status(meta.id) != "flagged":
        click.echo(f"{clean_line(meta.id)}: not flagged")
        return
    _apply(lambda: store.set_status(meta.id, "read" if off else "flagged"))
    click.echo(f"{clean_line(meta.id)}: {'not flagged (read)' if off else 'flagged'}")
