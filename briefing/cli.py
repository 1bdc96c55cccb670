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


def _corpus_arg(ctx: click.Context, corpus: str | None) -> str | None:
    """The subcommand's --corpus, else the group's (`briefing --corpus DIR list`, `briefing DIR list`)."""
    if corpus:
        return corpus
    parent = ctx.parent.params if ctx.parent is not None else {}
    return parent.get("corpus")


def _warn(line: str) -> None:
    from briefing.sanitize import clean_line

    click.echo(f"briefing: {clean_line(line)}", err=True)


def _open_corpus_reporting(root: Path):
    """Open the corpus; each problem and each article warning goes to stderr, one line each."""
    from briefing.corpus import open_corpus

    corpus = open_corpus(root, on_problem=lambda problem: _warn(str(problem)))
    for meta in corpus.articles:
        for warning in meta.warnings:
            _warn(f"{meta.id}: warning: {warning}")
    return corpus


def _print_rich(renderable, soft_wrap: bool = False) -> None:
    from rich.console import Console

    Console(highlight=False, markup=False, emoji=False, soft_wrap=soft_wrap).print(renderable)


@main.command("list")
@corpus_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array instead of a table.")
@click.option("--tag", "tags", multiple=True, metavar="T", help="Only articles tagged T (repeat: all the tags).")
@click.option(
    "--status",
    type=click.Choice(["unread", "read", "flagged", "annotated"]),
    default=None,
    help="Only articles with this status (annotated: tags, notes, highlights or corrections).",
)
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), default=None, metavar="YYYY-MM-DD", help="Only articles dated on or after.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), default=None, metavar="YYYY-MM-DD", help="Only articles dated on or before.")
@click.option(
    "--search",
    "search",
    metavar="QUERY",
    default=None,
    help="Only articles whose title or text contains every word of QUERY (the last word may be a prefix). Uses the index.",
)
@click.pass_context
def list_command(ctx: click.Context, corpus: str | None, as_json: bool, tags: tuple[str, ...], status: str | None, since, until, search: str | None) -> None:
    """List the articles, newest first, undated last.

    Dates, titles and tags are the analyst's where set (annotations.yaml).
    """
    root = resolve_corpus(_corpus_arg(ctx, corpus))
    if search is not None or _index_exists(root):  # the index: built on demand for a search
        loaded = _open_indexed_reporting(root, progress=True)
    else:
        loaded = _open_corpus_reporting(root)
    metas = list(loaded.articles)
    if search is not None:
        metas = _search_listing(loaded, metas, search)
    metas, annotations = _annotated_listing(root, loaded.articles, metas, tags, status, since, until, as_json)
    from briefing.corpus.render import articles_table, to_json_text

    if as_json:
        click.echo(to_json_text([{**meta.to_json(), **annotations[meta.id]} for meta in metas]))
    elif metas:
        from rich.console import Console

        _print_rich(articles_table(metas, width=Console(stderr=False).width))
    else:
        click.echo("No articles.", err=True)


@main.command("show")
@click.argument("article_id", metavar="ARTICLE_ID")
@corpus_option
@click.option("--json", "as_json", is_flag=True, help="Print the article (with its body) as JSON.")
@click.pass_context
def show_command(ctx: click.Context, article_id: str, corpus: str | None, as_json: bool) -> None:
    """Print one article: its metadata and clean body."""
    from briefing.corpus import ArticleError, find_article
    from briefing.corpus.render import article_body, article_header, to_json_text
    from briefing.sanitize import clean_line

    root = resolve_corpus(_corpus_arg(ctx, corpus))
    try:
        article = find_article(root, article_id)
    except KeyError:
        fail(f"no article with id {clean_line(article_id)!r} in {root} (see `briefing list`)")
    except ArticleError as err:
        fail(f"{clean_line(article_id)}: {err.message}", code=1)
    for warning in article.meta.warnings:
        _warn(f"{article.id}: warning: {warning}")
    if as_json:
        click.echo(to_json_text(article.to_json(with_body=True)))
        return
    _print_rich(article_header(article.meta), soft_wrap=True)
    _print_rich(article_body(article), soft_wrap=True)


# --- summary commands (summarize) ---


def _summary_methods() -> tuple[str, ...]:
    from briefing.summarize.registry import METHODS  # plain Python, no sumy/numpy

    return METHODS


@main.command("summarize")
@click.argument("article_id", metavar="[ARTICLE_ID]", required=False)
@click.option(
    "--file",
    "file_path",
    metavar="PATH",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Summarize this file instead of an article of the corpus.",
)
@corpus_option
@click.option(
    "--method",
    "-m",
    type=click.Choice(_summary_methods()),
    default="default",
    show_default=True,
    help="Summary method: our ranker (default), the first sentences (lead), or one of sumy's.",
)
@click.option(
    "--sentences",
    "-n",
    type=click.IntRange(1, 10),
    default=3,
    show_default=True,
    help="Number of sentences (1-10).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_context
def summarize_command(
    ctx: click.Context,
    article_id: str | None,
    file_path: Path | None,
    corpus: str | None,
    method: str,
    sentences: int,
    as_json: bool,
) -> None:
    """Print an extractive summary of ARTICLE_ID (or of --file PATH)."""
    from briefing.corpus import ArticleError, find_article, read_article
    from briefing.sanitize import clean_line
    from briefing.summarize import summarize_detail

    if (article_id is None) == (file_path is None):
        raise click.UsageError("give either ARTICLE_ID or --file PATH (one of them)")
    if file_path is not None:
        shown = clean_line(str(file_path))
        try:
            article = read_article(file_path.resolve().parent, file_path.resolve())
        except ArticleError as err:
            fail(f"{shown}: {err.message}", code=1)
    else:
        root = resolve_corpus(_corpus_arg(ctx, corpus))
        shown = clean_line(article_id)
        try:
            article = find_article(root, article_id)
        except KeyError:
            fail(f"no article with id {shown!r} in {root} (see `briefing list`)")
        except ArticleError as err:
            fail(f"{shown}: {err.message}", code=1)
    result = summarize_detail(article.body, sentences, method, headings=article.headings)
    if as_json:
        data = {
            "id": article.id,
            "title": article.title,
            "method": result.method,
            "requested": result.requested,
            "sentences": result.sentences,
            "note": result.note,
        }
        from briefing.corpus.render import to_json_text

        click.echo(to_json_text(data))  # controls and bidi as \u escapes (issue 22)
        return

    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False, markup=False, emoji=False)
    console.print(Text(clean_line(article.title), style="bold"))
    if result.sentences:
        for sentence in result.sentences:
            line = Text("• ")
            line.append(" ".join(sentence.split()))  # plain content, never markup
            console.print(line)
    else:
        console.print(Text("(no summary)", style="italic"))
    used = result.method if result.method == result.requested else f"{result.method} (asked for {result.requested})"
    console.print(Text(f"method: {used}", style="dim"))
    if result.note:
        console.print(Text(f"note: {result.note}", style="dim"))


# --- annotation commands (tag, note, flag) ---


def _annotations_for(root: Path, metas=None, *, writing: bool = False):
    """The corpus's annotation store; exits 2 naming the file and line when the
    annotation file is unusable and we are about to write."""
    from briefing.annotations import open_store

    store, report = open_store(root, metas)
    for line in [*report.messages(), *store.messages]:
        _warn(line)
    if store.error:
        if writing:
            fail(store.error)
        _warn(store.error)
    elif writing and not store.location.in_corpus:
        _warn(store.location.message)
    return store


def _annotated_listing(root: Path, every: list, metas: list, tags, status, since, until, with_json: bool):
    """Filter ``metas`` (some of ``every`` article) by annotations and return them
    with the analyst's date, title and tags applied, plus (only ``with_json``) each
    one's annotation fields for the JSON output."""
    from briefing.export.select import Filter, apply_filter

    store = _annotations_for(root, list(every))  # all articles: renames are followed
    flt = Filter(tags=tuple(_split_tags(tags)), status=status, since=since.date() if since else None, until=until.date() if until else None)
    chosen = apply_filter(metas, store, flt)  # the filter logic `export` shares
    fields = {m.id: store.json_fields(m) for m in chosen} if with_json else {}  # raw values
    return [store.effective_meta(m) for m in chosen], fields


def _annotation_target(ctx: click.Context, corpus: str | None, article_id: str):
    """(store, meta) for a command that changes one article's annotations."""
    from briefing.corpus import ArticleError, find_article
    from briefing.sanitize import clean_line

    root = resolve_corpus(_corpus_arg(ctx, corpus))
    try:
        meta = find_article(root, article_id).meta
    except KeyError:
        fail(f"no article with id {clean_line(article_id)!r} in {root} (see `briefing list`)")
    except ArticleError as err:
        fail(f"{clean_line(article_id)}: {err.message}")
    store = _annotations_for(root, writing=True)
    store.attach([meta])  # records its fingerprint, knows its front-matter tags
    return store, meta


def _apply(action):
    """Run a store mutation; its messages go to stderr, its errors exit with a message."""
    from briefing.annotations import AnnotationError, SaveError

    try:
        change = action()
    except SaveError as err:
        fail(str(err), code=1)
    except (AnnotationError, ValueError) as err:
        fail(str(err))
    for line in change.messages:
        _warn(line)
    return change


def _split_tags(tags: tuple[str, ...]) -> list[str]:
    from briefing.export.select import split_tags

    return list(split_tags(tags))


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
    from briefing.sanitize import clean_line

    store, meta = _annotation_target(ctx, corpus, article_id)
    wanted = _split_tags(tags)
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
    from briefing.sanitize import clean_line

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
    from briefing.sanitize import clean_line

    store, meta = _annotation_target(ctx, corpus, article_id)
    if off and store.status(meta.id) != "flagged":
        click.echo(f"{clean_line(meta.id)}: not flagged")
        return
    _apply(lambda: store.set_status(meta.id, "read" if off else "flagged"))
    click.echo(f"{clean_line(meta.id)}: {'not flagged (read)' if off else 'flagged'}")


# --- export commands ---


_EXPORT_SUFFIXES = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".json": "json", ".docx": "docx"}


def _produced_date(value: str | None):
    import datetime as dt

    if value is None:
        return None
    if value.strip().lower() == "today":
        return dt.date.today()
    from briefing.isodate import parse_iso_date

    try:
        produced = parse_iso_date(value)
    except ValueError:
        produced = None
    if produced is None:
        raise click.BadParameter(f"{value!r} is not a date like 2026-11-21 (or 'today')", param_hint="--date")
    return produced


@main.command("export")
@corpus_option
@click.option("--format", "-f", "fmt", type=click.Choice(["md", "html", "json", "docx"]), default=None, help="Output format (default: from the -o suffix, else md).")
@click.option("-o", "--output", "output", metavar="PATH", default=None, help="Write to PATH (default: standard output; '-' too). DOCX needs a PATH.")
@click.option("--force", is_flag=True, help="Replace PATH if it exists (a symbolic link is never written through).")
@click.option("--tag", "tags", multiple=True, metavar="T", help="Only articles tagged T (repeat: all the tags; front-matter tags count).")
@click.option("--status", type=click.Choice(["unread", "read", "flagged", "annotated"]), default=None, help="Only articles with this status.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), default=None, metavar="YYYY-MM-DD", help="Only articles dated on or after.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), default=None, metavar="YYYY-MM-DD", help="Only articles dated on or before.")
@click.option("--search", metavar="QUERY", default=None, help="Only articles whose title or text contains every word of QUERY (uses the index).")
@click.option("--all", "everything", is_flag=True, help="Include matching articles without annotations.")
@click.option("--group-by", type=click.Choice(["date", "tag"]), default="date", show_default=True, help="Group items by day or by tag.")
@click.option("--title", default="Briefing", show_default=True, help="The briefing's title.")
@click.option("--analyst", metavar="NAME", default=None, help="The analyst's name for the header.")
@click.option("--date", "produced", metavar="YYYY-MM-DD", default=None, help="Date produced for the header ('today' works). Default: today for html/docx, none for md/json (reproducible).")
@click.option("--method", "-m", type=click.Choice(_summary_methods()), default="default", show_default=True, help="Summary method.")
@click.option("--sentences", "-n", type=click.IntRange(1, 10), default=3, show_default=True, help="Summary sentences per item (1-10).")
@click.option("--stories", "by_story", is_flag=True, help="One item per story: near-duplicate articles folded into one, listed as its sources (see `briefing stories`).")
@click.pass_context
def export_command(ctx: click.Context, corpus: str | None, fmt: str | None, output: str | None, force: bool, tags, status, since, until, search, everything: bool, group_by: str, title: str, analyst: str | None, produced: str | None, method: str, sentences: int, by_story: bool) -> None:
    """Export the annotated briefing (Markdown, HTML, JSON or Word).

    Takes the articles matching the filters that you annotated (tags, notes,
    highlights, corrections) or flagged; articles without annotations only with
    --all, --status unread/read/flagged or --tag. Templates in the config folder's
    templates/ (briefing.md.j2, briefing.html.j2) replace the built-in ones.
    Exit status: 0 written; 2 a usage problem or a path refused (exists, symbolic
    link, missing folder, no permission); 1 the disk failed while writing.
    """
    from briefing.export import BriefingOptions, ExportWriteError, TemplateProblem, default_produced, export_briefing, write_export
    from briefing.export.select import Filter
    from briefing.export.write import check_target

    to_stdout = output in (None, "-")
    if fmt is None:
        fmt = "md" if to_stdout else _EXPORT_SUFFIXES.get(Path(output).suffix.lower(), "md")
    if fmt == "docx" and to_stdout:
        fail("a Word document is binary: give the file to write with -o PATH (e.g. -o briefing.docx)")
    if not to_stdout:
        try:
            check_target(Path(output).expanduser(), force)  # before the slow part
        except ExportWriteError as err:
            fail(err.message)
    root = resolve_corpus(_corpus_arg(ctx, corpus))
    if search is not None or _index_exists(root):
        loaded = _open_indexed_reporting(root, progress=True)
    else:
        loaded = _open_corpus_reporting(root)
    store = _annotations_for(root, list(loaded.articles))
    flt = Filter(
        tags=tuple(_split_tags(tags)),
        status=status,
        since=since.date() if since else None,
        until=until.date() if until else None,
        search=search,
        everything=everything,
    )
    date = _produced_date(produced) if produced is not None else default_produced(fmt)
    options = BriefingOptions(title=title, analyst=analyst, produced=date, group_by=group_by, method=method, sentences=sentences, stories=by_story)
    try:
        result = export_briefing(loaded, store, flt, fmt, options)
    except TemplateProblem as err:
        fail(f"template: {err}")
    except ValueError as err:
        fail(str(err))
    count = f"{result.count} item{'s' if result.count != 1 else ''}"
    if to_stdout:
        stream = getattr(sys.stdout, "buffer", None)
        try:
            if stream is None:
                sys.stdout.write(result.data.decode("utf-8"))
                sys.stdout.flush()
            else:
                sys.stdout.flush()
                stream.write(result.data)
                stream.flush()
        except BrokenPipeError:  # `briefing export | head`: the reader left; not an error
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return
        click.echo(f"briefing: {count} exported ({fmt}) to standard output", err=True)
    else:
        try:
            written = write_export(Path(output).expanduser(), result.data, force=force)
        except ExportWriteError as err:
            fail(err.message, code=1 if err.kind == "io" else EXIT_USAGE)
        click.echo(f"briefing: wrote {count} ({fmt}) to {written}", err=True)
    if result.count == 0 and not flt.asks_for_unannotated:
        click.echo("briefing: no annotated or flagged article matches; --all includes the others", err=True)


# --- index commands ---


def _index_exists(root: Path) -> bool:
    from briefing.index import cache_path

    return cache_path(root).exists()


def _open_indexed_reporting(root: Path, progress: bool = False):
    """Open the corpus through its index (refreshed first); problems and warnings to
    stderr like :func:`_open_corpus_reporting`. A progress bar on stderr when asked
    and stderr is a terminal."""
    from briefing.index import open_index

    def on_problem(problem) -> None:
        _warn(str(problem))

    if progress and sys.stderr.isatty():
        with _index_progress() as callback:
            corpus = open_index(root, progress=callback, on_problem=on_problem)
    else:
        corpus = open_index(root, on_problem=on_problem)
    for meta in corpus.articles:
        for warning in meta.warnings:
            _warn(f"{meta.id}: warning: {warning}")
    return corpus


def _index_progress():
    """A context manager yielding a ``progress(done, total)`` callback drawing a bar on stderr."""
    import contextlib

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    @contextlib.contextmanager
    def bar():
        columns = (TextColumn("indexing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
        with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
            task = progress.add_task("index", total=None)

            def callback(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total or None)

            yield callback

    return bar()


def _search_listing(corpus, metas: list, query: str) -> list:
    """``metas`` (in their order) that match ``query`` in title or full text."""
    from briefing.export.select import search_matches

    return search_matches(corpus, metas, query)


@main.command("index")
@corpus_option
@click.option("--rebuild", is_flag=True, help="Throw the cache away and index every file again.")
@click.pass_context
def index_command(ctx: click.Context, corpus: str | None, rebuild: bool) -> None:
    """Build or refresh the search index of a corpus ahead of time.

    The index lives in the cache folder; only new and changed files are read again.
    `briefing list --search` and the reader use it.
    """
    import time

    from briefing.index import CorpusIndex

    root = resolve_corpus(_corpus_arg(ctx, corpus))
    started = time.perf_counter()
    index = CorpusIndex(root)
    if rebuild:
        index.clear()
    show_bar = sys.stderr.isatty()
    on_problem = lambda problem: _warn(str(problem))  # noqa: E731
    if show_bar:
        with _index_progress() as callback:
            stats = index.refresh(progress=callback, on_problem=on_problem)
    else:
        stats = index.refresh(on_problem=on_problem)
    snapshot = index.snapshot()
    for problem in index.parse_problems(snapshot):
        _warn(str(problem))
    elapsed = time.perf_counter() - started
    try:
        size = sum(p.stat().st_size for p in index.cache_files()) / 1e6  # main file + full-text shards
    except OSError:
        size = 0.0
    click.echo(
        f"{len(snapshot.articles)} articles indexed in {elapsed:.2f} s: "
        f"{stats.new} new, {stats.changed} changed, {stats.deleted} deleted, "
        f"{stats.renamed} renamed, {stats.unchanged} unchanged"
        + (f", {len(snapshot.problems)} problems" if snapshot.problems else "")
        + (" (cache rebuilt)" if stats.rebuilt or rebuild else "")
    )
    click.echo(f"cache: {index.path} ({size:.1f} MB)")


# --- stories commands ---


def _stories_progress():
    """A context manager yielding a ``progress(done, total)`` callback: a bar on
    stderr while article bodies are read and signed (nothing when stderr is not a
    terminal or nothing needs reading)."""
    import contextlib

    @contextlib.contextmanager
    def bar():
        if not sys.stderr.isatty():
            yield None
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        columns = (TextColumn("grouping stories"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
        with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
            task = progress.add_task("stories", total=None)

            def callback(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total or None)

            yield callback

    return bar()


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
    from briefing.stories import group_stories
    from briefing.stories.render import stories_json, stories_text

    root = resolve_corpus(_corpus_arg(ctx, corpus))
    loaded = _open_indexed_reporting(root, progress=True)
    with _stories_progress() as callback:
        stories = group_stories(loaded, threshold=threshold, progress=callback, window_days=window_days)
    if as_json:
        from briefing.corpus.render import to_json_text

        click.echo(to_json_text(stories_json(stories, loaded)))
        return
    if not stories.stories:
        click.echo(f"No stories among {len(loaded.articles)} articles (threshold {stories.threshold:g}).", err=True)
        return
    click.echo(stories_text(stories, loaded), nl=False)


# --- story comparison commands (compare, keywords) ---


def _find_or_fail(root: Path, article_id: str):
    from briefing.corpus import ArticleError, find_article
    from briefing.sanitize import clean_line

    try:
        return find_article(root, article_id)
    except KeyError:
        fail(f"no article with id {clean_line(article_id)!r} in {root} (see `briefing list`)")
    except ArticleError as err:
        fail(f"{clean_line(article_id)}: {err.message}", code=1)


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
    root = resolve_corpus(_corpus_arg(ctx, corpus))
    members = [_find_or_fail(root, article_id) for article_id in article_ids]
    from briefing.stories.compare import compare

    result = compare(members)
    if as_json:
        from briefing.corpus.render import to_json_text

        data = {"members": [m.meta.to_json() for m in members], **result.to_json()}
        click.echo(to_json_text(data))
        return
    from briefing.stories.compare_text import comparison_text

    _print_rich(comparison_text(result, members), soft_wrap=True)


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
    from briefing.sanitize import clean_line
    from briefing.stories.keywords import document_stats, keywords_for, suggest_tags

    root = resolve_corpus(_corpus_arg(ctx, corpus))
    loaded = _open_indexed_reporting(root, progress=True)
    from briefing.ids import resolve_typed

    try:
        meta = loaded.get(resolve_typed(article_id, loaded.get))  # raw name or escaped id
    except KeyError:
        fail(f"no article with id {clean_line(article_id)!r} in {root} (see `briefing list`)")
    article = _find_or_fail(root, meta.id)
    stats = document_stats(loaded)
    try:
        keywords = keywords_for(article, stats, limit)
    finally:
        close = getattr(stats, "close", None)
        if close is not None:
            close()
    store = _annotations_for(root, loaded.articles)
    tags = list(store.tags(meta))
    suggested = suggest_tags(keywords, store.tag_counts(loaded.articles), tags)
    if as_json:
        from briefing.corpus.render import to_json_text

        click.echo(to_json_text({
            "id": meta.id,
            "title": meta.title,
            "keywords": [k.to_json() for k in keywords],
            "tags": tags,
            "suggested_tags": suggested,
        }))
        return
    from briefing.stories.compare_text import keywords_text

    _print_rich(keywords_text(article, keywords, suggested, tags), soft_wrap=True)
