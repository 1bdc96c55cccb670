"""What the commands share: the corpus option and where the folder comes from,
messages and exits, opening a corpus (plain or through its index) with its problems
on stderr, the annotation store, progress bars.

Imports stay light here: every heavy package is imported inside the function that
needs it, so ``briefing list`` does not pay for the reader, sumy or numpy.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from briefing.resources import sample_corpus

if TYPE_CHECKING:
    from briefing.annotations import AnnotationStore
    from briefing.config import Settings
    from briefing.corpus import Corpus
    from briefing.index import IndexedCorpus
    from briefing.model import Article, ArticleMeta

EXIT_USAGE = 2

Progress = Callable[[int, int], None]


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


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    click.echo(f"briefing: {message}", err=True)
    sys.exit(code)


corpus_option = click.option(
    "--corpus",
    "corpus",
    metavar="DIR",
    default=None,
    help="The corpus folder (default: $BRIEFING_CORPUS, else the bundled sample corpus).",
)


def corpus_root(ctx: click.Context, corpus: str | None) -> Path:
    """The folder for a subcommand: its --corpus, else the group's (`briefing --corpus
    DIR list`, `briefing DIR list`), else the environment or the sample."""
    if not corpus:
        parent = ctx.parent.params if ctx.parent is not None else {}
        corpus = parent.get("corpus")
    return resolve_corpus(corpus)


def warn(line: str) -> None:
    from briefing.sanitize import clean_line

    click.echo(f"briefing: {clean_line(line)}", err=True)


def print_rich(renderable: Any, soft_wrap: bool = False) -> None:
    from rich.console import Console

    Console(highlight=False, markup=False, emoji=False, soft_wrap=soft_wrap).print(renderable)


def summary_methods() -> tuple[str, ...]:
    from briefing.summarize.registry import METHODS  # plain Python, no sumy/numpy

    return METHODS


def reader_settings() -> Settings:
    """The reader's preferences from config.yaml (its problems on stderr): the
    summary method and length a command uses when the article has no choice of its own."""
    from briefing.config import load_settings

    loaded = load_settings()
    for problem in loaded.problems:
        warn(problem)
    return loaded.settings


def split_tags(tags: Iterable[str]) -> list[str]:
    from briefing.annotations.filter import split_tags as split

    return list(split(tags))


def find_or_fail(root: Path, article_id: str, unreadable: int = 1) -> Article:
    """The article ``article_id`` of ``root``; exits 2 when there is none, with
    ``unreadable`` when its file cannot be read as an article."""
    from briefing.corpus import ArticleError, find_article
    from briefing.sanitize import clean_line

    try:
        return find_article(root, article_id)
    except KeyError:
        fail(f"no article with id {clean_line(article_id)!r} in {root} (see `briefing list`)")
    except ArticleError as err:
        fail(f"{clean_line(article_id)}: {err.message}", code=unreadable)


def report_warnings(metas: Iterable[ArticleMeta]) -> None:
    for meta in metas:
        for warning in meta.warnings:
            warn(f"{meta.id}: warning: {warning}")


def open_corpus_reporting(root: Path) -> Corpus:
    """Open the corpus; each problem and each article warning goes to stderr, one line each."""
    from briefing.corpus import open_corpus

    corpus = open_corpus(root, on_problem=lambda problem: warn(str(problem)))
    report_warnings(corpus.articles)
    return corpus


def index_exists(root: Path) -> bool:
    from briefing.index import cache_path

    return cache_path(root).exists()


def open_indexed_reporting(root: Path, progress: bool = False) -> IndexedCorpus:
    """Open the corpus through its index (refreshed first); problems and warnings to
    stderr like :func:`open_corpus_reporting`. A progress bar on stderr when asked
    and stderr is a terminal."""
    from briefing.index import open_index

    def on_problem(problem: object) -> None:
        warn(str(problem))

    if progress and sys.stderr.isatty():
        with progress_bar("indexing", "index") as callback:
            corpus = open_index(root, progress=callback, on_problem=on_problem)
    else:
        corpus = open_index(root, on_problem=on_problem)
    report_warnings(corpus.articles)
    return corpus


def open_for_listing(root: Path, search: str | None) -> Corpus | IndexedCorpus:
    """The index when there is one or a search needs it (built on demand), else the files."""
    if search is not None or index_exists(root):
        return open_indexed_reporting(root, progress=True)
    return open_corpus_reporting(root)


@contextlib.contextmanager
def progress_bar(label: str, task_name: str) -> Iterator[Progress]:
    """A ``progress(done, total)`` callback drawing a bar labelled ``label`` on stderr."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
    from rich.progress import Progress as Bar

    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Bar(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(task_name, total=None)

        def callback(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total or None)

        yield callback


def annotations_for(root: Path, metas: Sequence[ArticleMeta] | None = None, *, writing: bool = False) -> AnnotationStore:
    """The corpus's annotation store; exits 2 naming the file and line when the
    annotation file is unusable and we are about to write."""
    from briefing.annotations import open_store

    store, report = open_store(root, metas)
    for line in [*report.messages(), *store.messages]:
        warn(line)
    if store.error:
        if writing:
            fail(store.error)
        warn(store.error)
    elif writing and not store.location.in_corpus:
        warn(store.location.message)
    return store


QUERY_HELP = ("Only articles matching QUERY, in the query language: words (all), \"a phrase\", a OR b, -word, "
              "prefix*, (brackets), title: source: author: tag: id: is: date: since: until: sort: "
              "(see `briefing.querylang`). Uses the index. --search is the same option.")


def check_query(text: str | None) -> None:
    """Exit 2 with where and why when ``text`` is not a query (before any slow work)."""
    if text is None:
        return
    from briefing.querylang import QueryError, parse
    from briefing.sanitize import clean_line

    try:
        parse(text)
    except QueryError as err:
        shown = clean_line(text)
        if len(shown) > 120 or len(shown) != len(text):  # a caret only where the columns are the query's
            fail(f"--query: {err.message} (at character {err.start + 1})")
        caret = " " * err.start + "^" * max(1, min(err.end, len(text)) - err.start)
        fail(f"--query: {err.message}\n  {shown}\n  {caret}")
