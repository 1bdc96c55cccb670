"""Story commands: ``stories`` (near-duplicate groups), ``compare`` (versions side by
side) and ``keywords`` (an article's keywords and suggested tags)."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator

import click

from briefing.cli import common
from briefing.cli.app import main
from briefing.cli.common import (
    Progress,
    annotations_for,
    annotations_over,
    corpus_option,
    corpus_root,
    echo_plain,
    fail,
    find_or_fail,
    open_indexed_reporting,
    print_rich,
    progress_bar,
)


@contextlib.contextmanager
def _stories_progress() -> Iterator[Progress | None]:
    """A ``progress(done, total)`` callback: a bar on stderr while article bodies are
    read and signed (None when stderr is not a terminal)."""
    if not sys.stderr.isatty():
        yield None
        return
    with progress_bar("grouping stories", "stories") as callback:
        yield callback


@main.command("stories")
@corpus_option
@click.option("--json", "as_json", is_flag=True, help="Print the stories as JSON (see briefing.stories.render).")
@click.option("--threshold", type=click.FloatRange(0.05, 1.0), default=None, metavar="X",
              help="Similarity needed to merge, 0.05-1 (default: story_threshold in config.yaml, else 0.2).")
@click.option("--window", "window_days", type=click.IntRange(0, 3650), default=None, metavar="DAYS",
              help="Dated members at most DAYS from the story's first article; 0: no limit (default: story_window_days, else 7).")
@click.pass_context
def stories_command(ctx: click.Context, corpus: str | None, as_json: bool, threshold: float | None, window_days: int | None) -> None:
    """List the stories: near-duplicate articles (copies, rewrites) grouped together.

    One block per story, its members oldest first (the first is the lead; the
    percentage is each member's estimated similarity to it). Articles in no story
    are not listed. Computed through the index and kept in its cache.
    """
    from briefing.annotations.corrected import CorrectedCorpus, Corrections
    from briefing.stories import group_stories
    from briefing.stories.render import stories_json_chunks, stories_text_chunks

    root = corpus_root(ctx, corpus)
    indexed = open_indexed_reporting(root, progress=True, quick=True)
    # The analyst's dates and titles, as a snapshot the grouping reads through the index (as the reader's).
    loaded = CorrectedCorpus(indexed, fix=Corrections(annotations_over(root, indexed)))
    with _stories_progress() as callback:
        stories = group_stories(loaded, threshold=threshold, progress=callback, window_days=window_days)
    if as_json:  # written as the stories' metas are read (a million articles: 200 MB of JSON, never held)
        for chunk in stories_json_chunks(stories, loaded):
            click.echo(chunk, nl=False)
        click.echo("")
        return
    if not stories.stories:
        click.echo(f"No stories among {len(loaded.articles)} articles (threshold {stories.threshold:g}).", err=True)
        return
    for chunk in stories_text_chunks(stories, loaded):
        click.echo(chunk, nl=False)


@main.command("compare")
@click.argument("article_ids", nargs=-1, required=True, metavar="ID ID [ID...]")
@corpus_option
@click.option("--json", "as_json", is_flag=True, help="Print the aligned rows and the differences as JSON.")
@click.pass_context
def compare_command(ctx: click.Context, article_ids: tuple[str, ...], corpus: str | None, as_json: bool) -> None:
    """Line up the sentences of two or more versions of a story and mark what differs.

    The first ID is the reference. Numbers, dates, names, sentences found in only some
    versions and other wording changes are marked.
    """
    if len(article_ids) < 2:
        raise click.UsageError("give at least two article ids to compare")
    from briefing.annotations.corrected import effective_article

    root = corpus_root(ctx, corpus)
    store = annotations_for(root)
    members = [effective_article(store, find_or_fail(root, article_id)) for article_id in article_ids]
    from briefing.stories.compare import compare

    result = compare(members)
    if as_json:
        from briefing.corpus.render import to_json_text

        data = {"members": [m.meta.to_json() for m in members], **result.to_json()}
        click.echo(to_json_text(data))
        return
    from briefing.stories.compare_text import comparison_text

    if common.stdout_is_terminal():
        print_rich(comparison_text(result, members), soft_wrap=True)
    else:  # a pipe or a file: plain lines, no legend of colours it cannot have
        echo_plain(comparison_text(result, members, with_legend=False))


@main.command("keywords")
@click.argument("article_id", metavar="ID")
@corpus_option
@click.option("--limit", type=click.IntRange(1, 20), default=6, show_default=True, help="How many keywords.")
@click.option("--json", "as_json", is_flag=True, help="Print the keywords and suggested tags as JSON.")
@click.pass_context
def keywords_command(ctx: click.Context, article_id: str, corpus: str | None, limit: int, as_json: bool) -> None:
    """Print an article's keywords and the tags suggested for it.

    Keywords are ranked against the whole corpus (word frequencies from the index,
    built if missing); suggestions come from the corpus's existing tags and the keywords.
    """
    from briefing.annotations.corrected import effective_article
    from briefing.listing.tagrows import tag_source
    from briefing.sanitize import clean_line
    from briefing.stories.keywords import corpus_keywords, suggest_tags

    root = corpus_root(ctx, corpus)
    loaded = open_indexed_reporting(root, progress=True, quick=True)
    found = find_or_fail(root, article_id)  # the typed id resolved through the index, no list of every id
    try:
        meta = loaded.get(found.meta.id)
    except KeyError:
        fail(f"no article with id {clean_line(article_id)!r} in {root} (see `briefing list`)")
    store = annotations_over(root, loaded)
    article = effective_article(store, found)  # the analyst's title weighs in
    keywords = corpus_keywords(loaded, article, limit)
    tags = list(store.tags(meta))
    suggested = suggest_tags(keywords, store.tag_counts(tag_source(loaded)), tags)
    if as_json:
        from briefing.corpus.render import to_json_text

        click.echo(to_json_text({
            "id": meta.id,
            "title": article.meta.title,
            "keywords": [k.to_json() for k in keywords],
            "tags": tags,
            "suggested_tags": suggested,
        }))
        return
    from briefing.stories.compare_text import keywords_text

    print_rich(keywords_text(article, keywords, suggested, tags), soft_wrap=True)
