"""Annotation commands: ``tag`` and ``note`` (one article each), and ``read``,
``unread``, ``flag [--off]`` and ``dismiss [--undo]`` (one or more articles, each
changing only the state it names, idempotent); every change is saved at once."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from briefing.cli.app import main
from briefing.cli.common import annotations_for, corpus_option, corpus_root, fail, find_or_fail, split_tags, warn
from briefing.sanitize import clean_line

if TYPE_CHECKING:
    from pathlib import Path

    from briefing.annotations import AnnotationStore
    from briefing.annotations.store import Change
    from briefing.model import ArticleMeta


def _annotation_target(ctx: click.Context, corpus: str | None, article_id: str) -> tuple[AnnotationStore, ArticleMeta]:
    """(store, meta) for a command that changes one article's annotations."""
    from briefing.lang.detect import language_unneeded

    root = corpus_root(ctx, corpus)
    with language_unneeded():  # (the store keeps the id, fingerprint and tags)
        meta = find_or_fail(root, article_id, unreadable=2).meta
    store = _writing_store(ctx, root)
    store.attach([meta])  # records its fingerprint, knows its front-matter tags
    return store, meta


def _writing_store(ctx: click.Context, root: Path) -> AnnotationStore:
    """The store of a command that saves at once: the index of a large file is kept
    when the command ends, only the last one (that of the file it wrote; see
    :func:`briefing.annotations.kept.kept_last`)."""
    from briefing.annotations.kept import kept_last

    ctx.with_resource(kept_last())
    return annotations_for(root, writing=True)


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
    own front matter cannot be removed here (edit the file). --remove matches a tag
    ignoring case; a tag the article does not carry is named on stderr and the exit
    status is 1 (the other tags are still removed).
    """
    store, meta = _annotation_target(ctx, corpus, article_id)
    wanted = split_tags(tags)
    if not wanted:
        fail("no tag given")
    missing: list[str] = []
    if remove:
        present, missing = _tags_to_remove(store.tags(meta), wanted)
        if present:
            _apply(lambda: store.remove_tags(meta.id, present))
        for tag in missing:
            warn(f"{meta.id}: no tag {tag!r} to remove")
    else:
        _apply(lambda: store.add_tags(meta.id, wanted))
    shown = ", ".join(clean_line(t) for t in store.tags(meta)) or "(none)"
    click.echo(f"{clean_line(meta.id)}: tags: {shown}")
    if missing:
        sys.exit(1)  # like rm: the others were removed, a tag that was not there is a failure


def _tags_to_remove(current: tuple[str, ...], wanted: list[str]) -> tuple[list[str], list[str]]:
    """(tags of the article to remove, tags named that it does not carry). A tag
    matches ignoring case and line breaks (``Energy`` removes ``energy`` and ``ENERGY``:
    :func:`~briefing.annotations.schema.tag_key`)."""
    from briefing.annotations.schema import normalize_tag, tag_key

    present: list[str] = []
    missing: list[str] = []
    for tag in wanted:
        key = tag_key(normalize_tag(tag))
        same = [t for t in current if tag_key(t) == key]
        if same:
            present += [t for t in same if t not in present]
        else:
            missing.append(tag)
    return present, missing


@main.command("note")
@click.argument("article_id", metavar="ID")
@click.argument("text", metavar="TEXT")
@click.option("--private", is_flag=True, help="Keep the note out of every export (unless the export is given --include-private).")
@corpus_option
@click.pass_context
def note_command(ctx: click.Context, article_id: str, text: str, corpus: str | None, private: bool = False) -> None:
    """Add a note to an article (TEXT `-` reads the note from standard input)."""
    if text == "-":
        text = sys.stdin.read()
    store, meta = _annotation_target(ctx, corpus, article_id)
    change = _apply(lambda: store.add_note(meta.id, text, private=private))
    count = len(change.after[meta.id].notes)
    kind = "private note" if private else "note"
    click.echo(f"{clean_line(meta.id)}: {kind} added ({count} note{'s' if count != 1 else ''})")


def _set_state(ctx: click.Context, corpus: str | None, article_ids: tuple[str, ...], setter: str, value: bool,
               done: str, already: str) -> None:
    """Resolve ``article_ids`` (each as typed: the canonical id rules of
    ``briefing show``), call ``store.<setter>(ids, value)`` once (one save), and
    say per article what changed: ``done`` or ``already``."""
    root = corpus_root(ctx, corpus)
    metas = list({m.id: m for m in (find_or_fail(root, i, unreadable=2).meta for i in article_ids)}.values())
    store = _writing_store(ctx, root)
    store.attach(metas)
    ids = [m.id for m in metas]
    change = _apply(lambda: getattr(store, setter)(ids, value))
    changed = set(change.changed_ids)
    for i in ids:
        click.echo(f"{clean_line(i)}: {done if i in changed else already}")
    if len(ids) > 1:
        click.echo(change.message)


@main.command("read")
@click.argument("article_ids", nargs=-1, required=True, metavar="ID...")
@corpus_option
@click.pass_context
def read_command(ctx: click.Context, article_ids: tuple[str, ...], corpus: str | None) -> None:
    """Mark articles read (a flag stays; idempotent)."""
    _set_state(ctx, corpus, article_ids, "set_read", True, "marked read", "already read")


@main.command("unread")
@click.argument("article_ids", nargs=-1, required=True, metavar="ID...")
@corpus_option
@click.pass_context
def unread_command(ctx: click.Context, article_ids: tuple[str, ...], corpus: str | None) -> None:
    """Mark articles unread (a flag stays; idempotent)."""
    _set_state(ctx, corpus, article_ids, "set_read", False, "marked unread", "already unread")


@main.command("flag")
@click.argument("article_ids", nargs=-1, required=True, metavar="ID...")
@click.option("--off", is_flag=True, help="Take the flag off (read/unread stays as it is).")
@corpus_option
@click.pass_context
def flag_command(ctx: click.Context, article_ids: tuple[str, ...], off: bool, corpus: str | None) -> None:
    """Flag articles for follow-up (idempotent; read/unread stays as it is)."""
    if off:
        _set_state(ctx, corpus, article_ids, "set_flagged", False, "flag taken off", "not flagged")
    else:
        _set_state(ctx, corpus, article_ids, "set_flagged", True, "flagged", "already flagged")


@main.command("dismiss")
@click.argument("article_ids", nargs=-1, required=True, metavar="ID...")
@click.option("--undo", is_flag=True, help="Bring dismissed articles back.")
@corpus_option
@click.pass_context
def dismiss_command(ctx: click.Context, article_ids: tuple[str, ...], undo: bool, corpus: str | None) -> None:
    """Dismiss articles as not relevant: `list` leaves them out unless asked
    (`--status dismissed`). Idempotent; nothing else changes."""
    if undo:
        _set_state(ctx, corpus, article_ids, "set_dismissed", False, "no longer dismissed", "not dismissed")
    else:
        _set_state(ctx, corpus, article_ids, "set_dismissed", True, "dismissed", "already dismissed")
