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
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
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


def stdout_is_terminal() -> bool:
    """True when standard output is a terminal: tables, wrapping and styles; False
    for a pipe or a file: plain text (`list`: tab-separated lines). Tests replace it."""
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream
        return False


def echo_plain(renderable: Any) -> None:
    """A rich ``Text`` (or a ``Group`` of them) as its plain text: no styles, no wrapping
    at any width, one line per line."""
    from rich.console import Group

    parts: list[Any] = list(renderable.renderables) if isinstance(renderable, Group) else [renderable]
    click.echo("\n".join(part.plain for part in parts))


def print_rich(renderable: Any, soft_wrap: bool = False) -> None:
    from rich.console import Console

    Console(highlight=False, markup=False, emoji=False, soft_wrap=soft_wrap).print(renderable)


def summary_methods() -> tuple[str, ...]:
    from briefing.summarize.registry import METHODS  # plain Python, no sumy/numpy

    return METHODS


class SummaryMethod(click.Choice):  # type: ignore[type-arg]
    """``--method``: one of :func:`summary_methods`, looked up when first needed (on
    parsing or help), not when the command is defined: importing the summarizer's
    registry at every start cost every command (``briefing tag`` too) ~15 ms."""

    def __init__(self) -> None:
        super().__init__(())

    @property
    def choices(self) -> tuple[str, ...]:
        return summary_methods()

    @choices.setter
    def choices(self, value: object) -> None:  # (click.Choice's __init__ sets it)
        pass


def reader_settings() -> Settings:
    """The reader's preferences from config.yaml (its problems on stderr): the
    summary method and length a command uses when the article has no choice of its own."""
    from briefing.config import load_settings

    loaded = load_settings()
    for problem in loaded.problems:
        warn(problem)
    return loaded.settings


class HumanDate(click.ParamType):  # type: ignore[type-arg]
    """A date as people type it (:mod:`briefing.humandates`): ``2024-03-15``,
    ``2024-03``, ``March 2024``, ``today``, ``7d``, ``last week`` ... A range gives
    its first day (``edge="start"``, for ``--since``) or its last (``"end"``, for
    ``--until``). What is not understood is a usage error (exit 2) quoting the value."""

    name = "date"

    def __init__(self, edge: str) -> None:
        self.edge = edge

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        import datetime as dt

        from briefing.humandates import HumanDateError, parse_range
        from briefing.sanitize import clean_line

        if isinstance(value, dt.date):
            return value
        try:
            days = parse_range(str(value))
        except HumanDateError as err:
            self.fail(clean_line(str(err)), param, ctx)
        if ctx is not None and param is not None:
            ctx.meta[f"briefing.typed.{param.name}"] = str(value)  # for check_date_order's message
        return days.start if self.edge == "start" else days.end


DATE_HELP = "a day (2024-03-15), a month (2024-03, March 2024), today, yesterday, 7d, 2w, last week, this month"


def check_date_order(ctx: click.Context, since: Any, until: Any) -> None:
    """Exit 2 naming both values (as typed, and the days they gave) when ``since``
    is after ``until``: such a range could never match anything."""
    from briefing.humandates import HumanDateError, check_order
    from briefing.sanitize import clean_line

    try:
        check_order(since, until)
    except HumanDateError:
        typed_since = clean_line(ctx.meta.get("briefing.typed.since", str(since)))
        typed_until = clean_line(ctx.meta.get("briefing.typed.until", str(until)))
        raise click.UsageError(
            f"--since {typed_since!r} ({since.isoformat()}) is after --until {typed_until!r} ({until.isoformat()}): "
            "nothing could match"
        ) from None


def split_tags(tags: Iterable[str]) -> list[str]:
    from briefing.annotations.filter import split_tags as split

    return list(split(tags))


def find_or_fail(root: Path, article_id: str, unreadable: int = 1) -> Article:
    """The article ``article_id`` of ``root``: an exact id, else a unique prefix or
    substring of one (:func:`resolve_id_or_fail`). Exits with ``unreadable`` when its
    file cannot be read as an article."""
    from briefing.corpus import ArticleError, find_article
    from briefing.corpus.discover import kind_of
    from briefing.ids import split_item
    from briefing.sanitize import clean_line

    from_index = _index_ids(root, article_id)  # a fresh index: what the text can name, with no walk of the folder
    whole = from_index.exact if from_index is not None else article_id
    if whole is not None and (kind_of(split_item(whole)[0]) or kind_of(whole)):
        try:  # a whole id: no walk when it names a plain file
            return find_article(root, whole)
        except KeyError:
            pass
        except ArticleError as err:
            fail(f"{clean_line(whole)}: {err.message}", code=unreadable)
    resolved = resolve_id_or_fail(root, article_id, from_index=from_index)  # else one walk of the folder for the ids
    try:
        return find_article(root, resolved)
    except KeyError:
        fail(f"no article with id {clean_line(article_id)!r} in {root} (see `briefing list`)")
    except ArticleError as err:
        fail(f"{clean_line(resolved)}: {err.message}", code=unreadable)


def _corpus_ids(root: Path) -> list[str]:
    """Every id of ``root`` from a walk of the folder; a feed, a JSON-lines file or a
    mailbox gives the ids of its items (``file#key``), which is what can be shown or
    annotated, so a unique part of an item's key names it."""
    from briefing.corpus.discover import discover
    from briefing.corpus.items import CONTAINER_KINDS

    out: list[str] = []
    for article_id, path, kind in discover(root):
        out += _item_ids(article_id, path, kind) if kind in CONTAINER_KINDS else [article_id]
    return out


def _item_ids(file_id: str, path: str, kind: str) -> list[str]:
    """The ids of the articles a many-article file holds (``file#key``), read from its
    items without parsing their text; the file's own id when it cannot be read (the
    problem is said where the file is loaded). (Here, not in the corpus loader: a
    change there is a change of the index's fingerprint, which rebuilds every cache.)"""
    from briefing.corpus.items import read_container
    from briefing.corpus.load import read_bytes
    from briefing.corpus.problems import ArticleError
    from briefing.ids import item_id

    try:
        return [item_id(file_id, item.key) for item in read_container(kind, read_bytes(path)).items] or [file_id]
    except (OSError, ArticleError, ValueError, LookupError, RecursionError):
        return [file_id]


def _corpus_titles(root: Path, ids: Sequence[str]) -> dict[str, str]:
    """Titles for "did you mean": the index's when there is one, else the files'
    (read only for a small folder: this is an error path)."""
    try:
        if index_exists(root):
            from briefing.index import CorpusIndex

            return {m.id: m.title for m in CorpusIndex(root).snapshot().articles}
        if len(ids) <= TITLES_READ_AT_MOST:
            from briefing.corpus import open_corpus

            return {m.id: m.title for m in open_corpus(root).articles}
    except Exception:  # noqa: BLE001 - suggestions are a courtesy; the message stands without them
        return {}
    return {}


def _checked_in_this_command() -> set[Path]:
    """The corpus folders the running command brought up to date by the quick check
    (several ids in one command check once; the next command checks again)."""
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return set()
    checked: set[Path] = ctx.find_root().meta.setdefault("briefing.quick_checked", set())
    return checked


@dataclass
class IndexIds:
    """What the index says a typed id can be (:func:`_index_ids`): ``exact``, the id
    it names exactly, else ``ids``, every file id it could resolve to; ``everything()``
    gives every id and title (for "did you mean")."""

    exact: str | None
    ids: list[str]
    everything: Callable[[], tuple[list[str], dict[str, str]]]


def _index_ids(root: Path, typed: str) -> IndexIds | None:
    """The ids ``typed`` could name, from the index cache after the quick freshness
    check (:mod:`briefing.index.quick`; once per command) instead of a walk of the
    folder (:mod:`briefing.listing.idlookup`). None when there is no index or the
    check cannot decide: the caller walks the folder."""
    import sqlite3

    if not index_exists(root):
        return None
    from briefing.index.quick import IndexRef, quick_refresh
    from briefing.listing.idlookup import all_ids_and_titles, exact_id, typed_id_candidates
    from briefing.listing.stream import connect

    ref = IndexRef(root)
    checked = _checked_in_this_command()
    if root not in checked:
        try:
            if quick_refresh(ref) is None:
                return None
        except (OSError, sqlite3.Error):
            return None
        checked.add(root)

    def everything() -> tuple[list[str], dict[str, str]]:
        conn = connect(ref.path)
        try:
            return all_ids_and_titles(conn)
        finally:
            conn.close()

    try:
        conn = connect(ref.path)
        try:
            exact = exact_id(conn, typed)
            return IndexIds(exact, [exact] if exact is not None else typed_id_candidates(conn, typed), everything)
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def _short(title: str, width: int = 60) -> str:
    return title if len(title) <= width else title[: width - 1].rstrip() + "…"


TITLES_READ_AT_MOST = 5000  # without an index, "did you mean" reads titles only from this many files


def resolve_id_or_fail(root: Path, typed: str, ids: Sequence[str] | None = None,
                       titles: Mapping[str, str] | None = None, *,
                       from_index: IndexIds | None | bool = True) -> str:
    """The one id of ``root`` that ``typed`` names (:func:`briefing.ids.match_typed`:
    exact, else unique prefix, else unique substring). Exits 2 listing the
    candidates when several match, or saying ``did you mean …`` when none does."""
    from briefing.ids import CANDIDATES_SHOWN, match_typed
    from briefing.sanitize import clean_line

    if ids is None:
        if from_index is True:
            from_index = _index_ids(root, typed)
        if isinstance(from_index, IndexIds):
            ids = from_index.ids
            if not match_typed(typed, ids).id and not match_typed(typed, ids).candidates:
                ids, titles = from_index.everything()  # nothing found: suggestions look at every id and title
    all_ids = list(ids) if ids is not None else _corpus_ids(root)
    match = match_typed(typed, all_ids, titles or {})
    if match.id is not None:
        return match.id
    shown = clean_line(typed)
    if match.candidates:
        lines = [f"{clean_line(i)}" for i in match.candidates[:CANDIDATES_SHOWN]]
        more = len(match.candidates) - CANDIDATES_SHOWN
        if more > 0:
            lines.append(f"… and {more} more")
        fail(f"{shown!r} matches {len(match.candidates)} articles; type more of the id:\n  " + "\n  ".join(lines))
    known = titles if titles is not None else _corpus_titles(root, all_ids)
    match = match_typed(typed, all_ids, known)
    hint = ""
    if match.suggestions:
        named = [repr(clean_line(i)) + (f" ({_short(clean_line(known[i]))})" if i in known else "") for i in match.suggestions]
        hint = "; did you mean " + " or ".join(named) + "?"
    fail(f"no article with id {shown!r} in {root}{hint} (see `briefing list`)")


def report_warnings(metas: Iterable[ArticleMeta]) -> None:
    for meta in metas:
        for warning in meta.warnings:
            warn(f"{meta.id}: warning: {warning}")


def report_indexed_warnings(corpus: IndexedCorpus) -> None:
    """:func:`report_warnings` of every article of ``corpus``, read from its index's
    rows that hold any (in list order) when it reads its articles from one: no meta
    is made per article (a million of them took seconds)."""
    from briefing.listing.stream import reads_from_index

    if not reads_from_index(corpus):
        report_warnings(corpus.articles)
        return
    rows = corpus._conn().execute(
        "SELECT id, warnings FROM articles WHERE warnings != '' ORDER BY date DESC, id")  # the list's order
    for article_id, warnings in rows:
        for warning in warnings.split("\n"):
            warn(f"{article_id}: warning: {warning}")


def open_corpus_reporting(root: Path) -> Corpus:
    """Open the corpus; each problem and each article warning goes to stderr, one line each."""
    from briefing.corpus import open_corpus

    corpus = open_corpus(root, on_problem=lambda problem: warn(str(problem)))
    report_warnings(corpus.articles)
    return corpus


def index_exists(root: Path) -> bool:
    from briefing.index import cache_path

    return cache_path(root).exists()


def open_indexed_reporting(root: Path, progress: bool = False, *, quick: bool = False) -> IndexedCorpus:
    """Open the corpus through its index (refreshed first); problems and warnings to
    stderr like :func:`open_corpus_reporting`. A progress bar on stderr when asked
    and stderr is a terminal. ``quick``: brought up to date by the quick check of
    :mod:`briefing.index.quick` when it can decide (a command's way: no stat of every
    file, 15 s at a million articles), else by the full refresh."""
    from briefing.index import open_index

    def on_problem(problem: object) -> None:
        warn(str(problem))

    if quick and index_exists(root) and root.is_dir():
        from briefing.index import CorpusIndex
        from briefing.index.quick import IndexRef, quick_refresh

        if quick_refresh(IndexRef(root)) is not None:
            corpus = CorpusIndex(root).snapshot()
            for problem in corpus.problems:
                on_problem(problem)
            report_indexed_warnings(corpus)
            return corpus
    if progress and sys.stderr.isatty():
        with progress_bar("indexing", "index") as callback:
            corpus = open_index(root, progress=callback, on_problem=on_problem)
    else:
        corpus = open_index(root, on_problem=on_problem)
    report_indexed_warnings(corpus)
    return corpus


def open_for_listing(root: Path, search: str | None) -> Corpus | IndexedCorpus:
    """The index when there is one or a search needs it (built on demand), else the files."""
    if search is not None or index_exists(root):
        return open_indexed_reporting(root, progress=True, quick=True)
    return open_corpus_reporting(root)


def index_for_listing(root: Path, search: str | None, *, full: bool = False) -> Any:
    """The corpus's :class:`~briefing.index.CorpusIndex`, brought up to date, for a
    command that streams from it (``list``): by the quick check
    (:mod:`briefing.index.quick`: a live watcher's stamp, else folder stats and the
    recent files; no walk of every file) when it can decide, else by a full refresh
    (``full``: always). None when there is no index and no search needs one (the
    files are read as before). Problems of a full refresh go to stderr as it finds
    them; after a quick check, the stored problems do (files that are not articles)."""
    if search is None and not index_exists(root) and not full:
        return None
    from briefing.index.quick import IndexRef, quick_refresh

    if not full:
        ref = IndexRef(root)  # the parsers are imported only if something changed
        if quick_refresh(ref) is not None:
            for problem in stored_problems(ref):
                warn(problem)
            return ref
    from briefing.index import CorpusIndex

    index = CorpusIndex(root)

    def on_problem(problem: object) -> None:
        warn(str(problem))

    if sys.stderr.isatty():
        with progress_bar("indexing", "index") as callback:
            index.refresh(progress=callback, on_problem=on_problem)
    else:
        index.refresh(on_problem=on_problem)
    for line in stored_problems(index):
        warn(line)
    return index


@contextlib.contextmanager
def indexed_store(root: Path, search: str | None) -> Iterator[tuple[Any, AnnotationStore] | None]:
    """(connection to the index cache, annotation store) for a command that reads
    the index (``stats``, ``export``): the index brought up to date
    (:func:`index_for_listing`), the store reconciled with it (renamed files) and its
    messages warned; the connection is closed when the block ends. None when there is
    no index to read or it cannot be opened (the files are read as before)."""
    import sqlite3

    index = index_for_listing(root, search)
    if index is None:
        yield None
        return
    from briefing.annotations import open_store
    from briefing.listing.stream import connect, reconcile_subset

    try:
        conn = connect(index.path)
    except sqlite3.Error:
        yield None
        return
    try:
        store, _report = open_store(root)
        # renamed files, as with every article (in memory: the commands reading this way write nothing)
        report = store.reconcile(reconcile_subset(conn, store.document), persist=False)
        for line in [*report.messages(), *store.messages]:
            warn(line)
        if store.error:
            warn(store.error)
        yield conn, store
    finally:
        conn.close()


def stored_problems(index: Any) -> list[str]:
    """The files the index could not read as articles, one line each (id: why)."""
    import sqlite3

    from briefing.corpus.problems import LoadProblem
    from briefing.listing.stream import connect

    try:
        conn = connect(index.path)
        try:
            return [str(LoadProblem(i, m)) for i, m in conn.execute("SELECT id, message FROM problems ORDER BY id")]
        finally:
            conn.close()
    except sqlite3.Error:
        return []


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

    store, report = open_store(root, metas, persist=writing)  # a command that only reads writes nothing
    return _told(store, report, writing)


def annotations_over(root: Path, corpus: Any, *, writing: bool = False) -> AnnotationStore:
    """:func:`annotations_for` with every article of ``corpus`` (renamed files
    followed, ids checked and fingerprints recorded on a change), without making
    every article's meta when ``corpus`` reads them from its index: the store is
    reconciled with the articles a rename could concern
    (:func:`briefing.listing.stream.reconcile_subset`, as ``list`` does), then knows
    the others through the index's lookup by id."""
    from briefing.listing.stream import reads_from_index, reconcile_subset

    if not reads_from_index(corpus):
        return annotations_for(root, list(corpus.articles), writing=writing)
    from briefing.annotations import open_store

    store, _report = open_store(root)
    report = store.reconcile(reconcile_subset(corpus._conn(), store.document), persist=writing)
    store.attach(corpus.by_id)  # every article, looked up by id when asked
    return _told(store, report, writing)


def refuse_unreadable(store: AnnotationStore) -> None:
    """Exit 1 when the annotation file is there but cannot be read: an export made
    now would go out without a single tag, note or highlight, as if there were none
    (the reason is on stderr already, naming the file and line)."""
    if store.unreadable:
        fail(f"nothing exported: the annotations in {store.path} cannot be read (above); an export now "
             "would leave out every tag, note and highlight", code=1)


def _told(store: AnnotationStore, report: Any, writing: bool) -> AnnotationStore:
    """``store`` once its messages and ``report``'s are on stderr; exits 2 when its
    file is unusable and a command is about to write."""
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
