"""The ``watch`` commands: saved queries (watchlists) beside the corpus (issue 16).

``briefing watch list`` (each watchlist with its matches and unread count),
``watch add NAME QUERY [--tag T...]``, ``watch remove NAME``, ``watch run [NAME]``
(applies the automatic tags over the whole corpus and prints the counts) and
``watch untag`` (takes automatic tags off: a watchlist's, or one article's).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from briefing.cli.app import main
from briefing.cli.common import annotations_for, annotations_over, corpus_option, fail, open_indexed_reporting, resolve_corpus, split_tags, warn

if TYPE_CHECKING:
    from briefing.watchlists import WatchlistStore


def _root(ctx: click.Context, corpus: str | None) -> Path:
    """--corpus of the subcommand, else of `watch`, else of `briefing`."""
    node: click.Context | None = ctx
    while not corpus and node is not None:
        corpus = node.params.get("corpus")
        node = node.parent
    return resolve_corpus(corpus)


def _store(root: Path, *, writing: bool = False) -> WatchlistStore:
    from briefing.watchlists import WatchlistStore

    store = WatchlistStore(root)
    for problem in store.problems:
        warn(problem)
    for note in store.conflict_notes:
        warn(note)
    if writing and store.read_only:
        fail(f"{store.path} is not changed while it has problems (fix the line named above)")
    return store


def _dump_json(rows: list[dict[str, Any]]) -> None:
    click.echo(json.dumps(rows, indent=2))


@main.group("watch", invoke_without_command=False)
@corpus_option
def watch_group(corpus: str | None) -> None:
    """Watchlists: named queries saved beside the corpus (watchlists.yaml), with
    tags they apply automatically to every matching article."""


@watch_group.command("list")
@corpus_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@click.pass_context
def list_command(ctx: click.Context, corpus: str | None, as_json: bool) -> None:
    """Every watchlist: its query, its automatic tags, how many articles match and
    how many of them are unread."""
    from briefing.sanitize import clean_line
    from briefing.watchlists.run import counts, match_all

    root = _root(ctx, corpus)
    store = _store(root)
    watchlists = [store.watchlists[n] for n in store.names()]
    found: dict[str, Any] = {}
    if watchlists:
        loaded = open_indexed_reporting(root)
        notes = annotations_over(root, loaded)
        found = counts(match_all(watchlists, loaded, notes), notes)
    rows: list[dict[str, Any]] = [{"name": w.name, "query": w.query, "tags": list(w.tags),
                                   "matches": found[w.name].total, "unread": found[w.name].unread} for w in watchlists]
    if as_json:
        _dump_json(rows)
        return
    if not rows:
        click.echo(f"no watchlists (add one: briefing watch add NAME QUERY); file: {store.path}")
        return
    for row in rows:
        tags = f"  tags: {', '.join(clean_line(t) for t in row['tags'])}" if row["tags"] else ""
        click.echo(f"{clean_line(row['name'])}: {row['matches']} matching, {row['unread']} unread"
                   f"  query: {clean_line(row['query'])}{tags}")


@watch_group.command("add")
@click.argument("name")
@click.argument("query")
@click.option("--tag", "tags", multiple=True, metavar="T", help="A tag applied automatically to every match (repeatable; commas separate).")
@click.option("--replace", is_flag=True, help="Replace a watchlist of the same name.")
@corpus_option
@click.pass_context
def add_command(ctx: click.Context, name: str, query: str, tags: tuple[str, ...], replace: bool, corpus: str | None) -> None:
    """Save QUERY as the watchlist NAME."""
    from briefing.sanitize import clean_line
    from briefing.watchlists import WatchlistError

    store = _store(_root(ctx, corpus), writing=True)
    try:
        made = store.add(name, query, split_tags(tags), replace=replace)
    except WatchlistError as exc:
        fail(clean_line(str(exc)))
    extra = f" (tags {', '.join(clean_line(t) for t in made.tags)}; `briefing watch run` applies them)" if made.tags else ""
    click.echo(f"watchlist {clean_line(made.name)!r} saved in {store.path}{extra}")


@watch_group.command("remove")
@click.argument("name")
@corpus_option
@click.pass_context
def remove_command(ctx: click.Context, name: str, corpus: str | None) -> None:
    """Remove the watchlist NAME (the tags it applied stay; `watch untag NAME` first
    takes them off)."""
    from briefing.sanitize import clean_line
    from briefing.watchlists import WatchlistError

    store = _store(_root(ctx, corpus), writing=True)
    try:
        store.remove(name)
    except KeyError:
        fail(f"no watchlist named {clean_line(name)!r} (see `briefing watch list`)")
    except WatchlistError as exc:
        fail(clean_line(str(exc)))
    click.echo(f"watchlist {clean_line(name.strip())!r} removed")


@watch_group.command("run")
@click.argument("name", required=False)
@corpus_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@click.pass_context
def run_command(ctx: click.Context, name: str | None, corpus: str | None, as_json: bool) -> None:
    """Run every watchlist (or NAME) over the whole corpus: apply its automatic
    tags to the matches (never one the analyst removed from an article) and print
    how many match, how many are unread and how many were newly tagged."""
    from briefing.annotations import AnnotationError
    from briefing.sanitize import clean_line
    from briefing.watchlists.run import apply_tags, counts, match_all

    root = _root(ctx, corpus)
    store = _store(root)
    if name is not None:
        try:
            chosen = [store.get(name)]
        except KeyError:
            fail(f"no watchlist named {clean_line(name)!r} (see `briefing watch list`)")
    else:
        chosen = [store.watchlists[n] for n in store.names()]
    loaded = open_indexed_reporting(root)
    notes = annotations_over(root, loaded, writing=any(w.tags for w in chosen))
    matches = match_all(chosen, loaded, notes)
    before = {i: notes.get(i).auto_tags for ids in matches.values() for i in ids}
    tagged: dict[str, int] = {w.name: 0 for w in chosen}
    if any(w.tags for w in chosen):
        try:
            change = apply_tags(chosen, matches, notes)
        except AnnotationError as exc:
            fail(clean_line(str(exc)), code=1)
        if change is not None:
            for line in change.messages:
                warn(line)
            for w in chosen:
                tagged[w.name] = sum(1 for i in matches[w.name]
                                     if set(w.tags) & (set(notes.get(i).auto_tags) - set(before.get(i, ()))))
    found = counts(matches, notes)
    rows: list[dict[str, Any]] = [
        {"name": w.name, "query": w.query, "tags": list(w.tags), "matches": found[w.name].total,
         "unread": found[w.name].unread, "tagged": tagged[w.name]} for w in chosen]
    if as_json:
        _dump_json(rows)
        return
    for row in rows:
        extra = f", {row['tagged']} newly tagged" if row["tags"] else ""
        click.echo(f"{clean_line(row['name'])}: {row['matches']} matching, {row['unread']} unread{extra}")


@watch_group.command("untag")
@click.argument("name", required=False)
@click.option("--article", "article_id", metavar="ID", help="Take every automatic tag off this article instead "
              "(remembered: none of them is applied to it again).")
@corpus_option
@click.pass_context
def untag_command(ctx: click.Context, name: str | None, article_id: str | None, corpus: str | None) -> None:
    """Take the automatic tags of the watchlist NAME off every article and stop the
    watchlist applying them (its query stays); or, with --article, take every
    automatic tag off one article."""
    from briefing.annotations import AnnotationError
    from briefing.sanitize import clean_line
    from briefing.watchlists import WatchlistError
    from briefing.watchlists.run import remove_watchlist_tags

    if (name is None) == (article_id is None):
        fail("give a watchlist NAME or --article ID (one of them)")
    root = _root(ctx, corpus)
    if article_id is not None:
        loaded = open_indexed_reporting(root, quick=True)  # through the index: no parse of every file
        notes = annotations_over(root, loaded, writing=True)
        if article_id not in loaded.by_id:
            fail(f"no article with id {clean_line(article_id)!r} in {root}")
        gone = notes.get(article_id).auto_tags
        try:
            notes.remove_auto_tags(article_id)
        except AnnotationError as exc:
            fail(clean_line(str(exc)), code=1)
        shown = ", ".join(clean_line(t) for t in gone) or "none"
        click.echo(f"{clean_line(article_id)}: automatic tags removed ({shown})")
        return
    assert name is not None
    store = _store(root, writing=True)
    try:
        watchlist = store.get(name)
    except KeyError:
        fail(f"no watchlist named {clean_line(name)!r} (see `briefing watch list`)")
    notes = annotations_for(root, writing=True)
    try:
        change = remove_watchlist_tags(watchlist, notes)
        store.set_tags(watchlist.name, [])
    except (AnnotationError, WatchlistError) as exc:
        fail(clean_line(str(exc)), code=1)
    count = len([i for i in change.article_ids if change.before[i] != change.after[i]]) if change else 0
    click.echo(f"watchlist {clean_line(watchlist.name)!r}: its tags were taken off {count} articles and are no longer applied")
