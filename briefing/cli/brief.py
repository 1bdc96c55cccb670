"""``briefing brief ...``: compose a briefing (bottom line, judgments, sections of
items in the analyst's order) and export it. The document is kept in
``briefings/NAME.yaml`` beside the annotations (:mod:`briefing.brief.store`)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from briefing.cli.app import main
from briefing.cli.common import EXIT_USAGE, SummaryMethod, fail, resolve_corpus, resolve_id_or_fail, warn
from briefing.cli.export import paper_option
from briefing.sanitize import clean_line

if TYPE_CHECKING:
    from briefing.brief.model import BriefDoc
    from briefing.brief.store import Loaded

BRIEF_FORMATS = ("md", "html", "json", "docx", "pdf")
_BINARY = ("docx", "pdf")
_SUFFIXES = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".json": "json", ".docx": "docx", ".pdf": "pdf"}

_corpus = click.option("--corpus", "corpus", metavar="DIR", default=None,
                       help="The corpus folder (default: the group's --corpus, $BRIEFING_CORPUS, else the sample corpus).")


def _root(ctx: click.Context, corpus: str | None) -> Path:
    node: click.Context | None = ctx
    while not corpus and node is not None:
        corpus = node.params.get("corpus")
        node = node.parent
    return resolve_corpus(corpus)


def _load(root: Path, name: str) -> Loaded:
    from briefing.brief.store import BriefError, load_brief

    try:
        return load_brief(root, name)
    except BriefError as err:
        fail(str(err))


def _save(root: Path, loaded: Loaded) -> Loaded:
    from briefing.annotations import yamlio
    from briefing.annotations.author import current_author
    from briefing.brief.store import BriefError, save_and_reload

    try:
        saved = save_and_reload(root, loaded.doc, loaded.stamp, now=yamlio.utc_now(), by=current_author(root))
    except BriefError as err:
        fail(str(err), code=1)
    if saved.doc != loaded.doc:
        warn(f"briefing {saved.doc.name!r} was changed by someone else meanwhile; both changes are kept")
    for c in saved.conflicts[len(loaded.conflicts):]:
        warn(f"conflict: {c.get('field', '')}: kept {c.get('kept', '')!r}, the other value {c.get('other', '')!r} is kept in the file")
    return saved


def _change(ctx: click.Context, corpus: str | None, name: str, edit: Callable[[Path, BriefDoc], str]) -> None:
    """Load, apply ``edit`` (returns the line to print), save."""
    from briefing.brief.model import BriefDocError

    root = _root(ctx, corpus)
    loaded = _load(root, name)
    try:
        message = edit(root, loaded.doc)
    except (BriefDocError, ValueError, IndexError) as err:
        fail(clean_line(str(err)))
    except KeyError as err:
        fail(f"{clean_line(str(err.args[0]))!r} is not an item of briefing {loaded.doc.name!r}")
    _save(root, loaded)
    click.echo(message)


def _corpus_id(root: Path, typed: str) -> str:
    return resolve_id_or_fail(root, typed)


def _item_id(root: Path, doc: BriefDoc, typed: str) -> str:
    """An item of ``doc`` as typed (exact, unique prefix or substring of its ids),
    else the corpus's article it names."""
    from briefing.ids import match_typed

    match = match_typed(typed, doc.item_ids())
    if match.id is not None:
        return match.id
    if match.candidates:
        fail(f"{clean_line(typed)!r} matches {len(match.candidates)} items of the briefing: " + ", ".join(clean_line(c) for c in match.candidates[:10]))
    return _corpus_id(root, typed)


def _text_arg(text: str) -> str:
    return sys.stdin.read() if text == "-" else text


@main.group("brief")
@_corpus
def brief_group(corpus: str | None) -> None:
    """Compose a briefing: bottom line, key judgments, sections of items, and export it.

    Each briefing is one file, briefings/NAME.yaml beside annotations.yaml (shared
    in git like the annotations: `briefing team init` sets up its merge).
    """


@brief_group.command("new")
@click.argument("name")
@click.option("--title", default="", help="The title (default: NAME).")
@click.option("--marking", default="", help="The handling line printed on every page (e.g. an organisation's caveat).")
@click.option("--analyst", default="", help="The analyst's name.")
@click.option("--date", "day", metavar="YYYY-MM-DD", default=None,
              help="The briefing's date, printed in every format (2026-11-21, today, yesterday; default: none, and an "
                   "export's --date or today for html/docx/pdf).")
@_corpus
@click.pass_context
def new_command(ctx: click.Context, name: str, title: str, marking: str, analyst: str, day: str | None, corpus: str | None) -> None:
    """Start a new briefing NAME."""
    from briefing.brief.store import BriefError, new_brief, path_of
    from briefing.cli.export import _produced_date

    when = _produced_date(day) if day is not None else None
    root = _root(ctx, corpus)
    try:
        doc = new_brief(root, name, title=title, marking=marking, analyst=analyst, date=when)
        path = path_of(root, doc.name)
    except BriefError as err:
        fail(str(err))
    click.echo(f"briefing {clean_line(doc.name)!r} created: {clean_line(str(path))}")


@brief_group.command("list")
@_corpus
@click.pass_context
def list_command(ctx: click.Context, corpus: str | None) -> None:
    """The briefings of the corpus: name, items, title."""
    from briefing.brief.store import BriefError, list_briefs

    root = _root(ctx, corpus)
    try:
        infos = list_briefs(root)
    except BriefError as err:
        fail(str(err))
    if not infos:
        click.echo("no briefings yet (start one with `briefing brief new NAME`)")
    for info in infos:
        if info.problem:
            click.echo(f"{clean_line(info.name)}\t(cannot be read: {clean_line(info.problem)})")
        else:
            click.echo(f"{clean_line(info.name)}\t{info.items} item{'s' if info.items != 1 else ''}\t{clean_line(info.title)}")


def _doc_json(doc: BriefDoc) -> dict[str, Any]:
    return {
        "name": doc.name,
        "title": doc.title,
        "marking": doc.marking,
        "analyst": doc.analyst,
        "date": doc.date.isoformat() if doc.date else None,
        "bluf": doc.bluf,
        "judgments": [
            {"text": j.text, "confidence": j.confidence, "cites": list(j.cites),
             "highlights": [{"article": h.article, "quote": h.quote} for h in j.highlights]}
            for j in doc.judgments
        ],
        "sections": [
            {"name": s.name, "tag": s.tag, "items": [{"id": i.id, "why": i.why} for i in s.items]} for s in doc.sections
        ],
    }


@brief_group.command("show")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="The document as JSON.")
@_corpus
@click.pass_context
def show_command(ctx: click.Context, name: str, as_json: bool, corpus: str | None) -> None:
    """Show briefing NAME: bottom line, judgments, sections and items."""
    root = _root(ctx, corpus)
    loaded = _load(root, name)
    doc = loaded.doc
    if as_json:
        click.echo(json.dumps(_doc_json(doc), ensure_ascii=False, indent=2))
        return
    c = clean_line
    click.echo(f"{c(doc.title)}  [{c(doc.name)}]")
    for label, value in (("marking", doc.marking), ("analyst", doc.analyst), ("date", doc.date.isoformat() if doc.date else "")):
        if value:
            click.echo(f"  {label}: {c(value)}")
    click.echo("bottom line: " + (c(doc.bluf) if doc.bluf else "(none yet: `briefing brief bluf NAME TEXT`)"))
    if doc.judgments:
        click.echo("key judgments:")
        for k, j in enumerate(doc.judgments, 1):
            extra = f" ({c(j.confidence)})" if j.confidence else ""
            cites = f"; cites {', '.join(c(i) for i in j.cites)}" if j.cites else ""
            click.echo(f"  {k}. {c(j.text)}{extra}{cites}")
            for h in j.highlights:
                click.echo(f"     rests on \u201c{c(h.quote)}\u201d ({c(h.article)})")
    n = 0
    for section in doc.sections:
        click.echo(f"section {c(section.name)}" + (f" (tag {c(section.tag)})" if section.tag else "") + ":")
        if not section.items:
            click.echo("  (empty)")
        for item in section.items:
            n += 1
            click.echo(f"  {n}. {c(item.id)}" + (f" - why: {c(item.why)}" if item.why else ""))
    if not doc.sections:
        click.echo("no items yet (`briefing brief add NAME ID...`)")
    for conflict in loaded.conflicts:
        warn(f"conflict kept in the file: {c(conflict.get('field', ''))}: other value {c(conflict.get('other', ''))!r}")


@brief_group.command("add")
@click.argument("name")
@click.argument("article_ids", nargs=-1, metavar="ID...")
@click.option("--section", default=None, metavar="S", help="Add to section S (made if new; default: the last section, else 'Items').")
@click.option("--tag", "tag", default=None, metavar="T",
              help="Also add every article you tagged T, to a section for that tag (made if new; unless --section names one).")
@_corpus
@click.pass_context
def add_command(ctx: click.Context, name: str, article_ids: tuple[str, ...], section: str | None, tag: str | None,
                corpus: str | None) -> None:
    """Add articles (ids as `briefing show` takes them, or --tag T) to briefing NAME."""
    if not article_ids and not tag:
        raise click.UsageError("give article ids, or --tag T")

    def edit(root: Path, doc: BriefDoc) -> str:
        ids = [_corpus_id(root, typed) for typed in article_ids]
        wanted = (tag or "").strip()
        if wanted:
            from briefing.annotations import open_store

            store, _report = open_store(root)
            folded = wanted.casefold()
            ids += sorted(i for i, notes in store.document.articles.items() if any(t.casefold() == folded for t in notes.tags))
            if not ids:
                raise ValueError(f"no article is tagged {wanted!r}")
        added = doc.add(ids, section=section, tag=wanted or None)
        skipped = len(set(ids)) - added
        more = f" ({skipped} already in it)" if skipped else ""
        return f"{added} item{'s' if added != 1 else ''} added to {clean_line(doc.name)!r}{more}; {len(doc.item_ids())} in all"

    _change(ctx, corpus, name, edit)


@brief_group.command("remove")
@click.argument("name")
@click.argument("article_ids", nargs=-1, required=True, metavar="ID...")
@_corpus
@click.pass_context
def remove_command(ctx: click.Context, name: str, article_ids: tuple[str, ...], corpus: str | None) -> None:
    """Remove items from briefing NAME."""

    def edit(root: Path, doc: BriefDoc) -> str:
        ids = [_item_id(root, doc, typed) for typed in article_ids]
        missing = [i for i in ids if i not in doc.item_ids()]
        if missing:
            raise ValueError(f"not in briefing {doc.name!r}: {', '.join(missing)}")
        whys = [(i, doc.item(i).why) for i in ids if doc.item(i).why.strip()]
        gone = doc.remove(ids)
        told = f"{gone} item{'s' if gone != 1 else ''} removed from {clean_line(doc.name)!r}; {len(doc.item_ids())} left"
        for article_id, why in whys:  # the analyst's words go with the item: printed, so they are not lost
            told += (f"\n{clean_line(article_id)}: its 'why it matters' was {clean_line(why)!r} "
                     f"(`briefing brief why {clean_line(doc.name)} ID TEXT` puts it back once the item is added again)")
        return told

    _change(ctx, corpus, name, edit)


@brief_group.command("move")
@click.argument("name")
@click.argument("article_id", metavar="ID")
@click.option("--to", "to", type=click.IntRange(min=1), default=None, metavar="N", help="The 1-based position in its section (or in --section).")
@click.option("--section", default=None, metavar="S", help="Move to section S (made if new).")
@_corpus
@click.pass_context
def move_command(ctx: click.Context, name: str, article_id: str, to: int | None, section: str | None, corpus: str | None) -> None:
    """Move an item of briefing NAME: --to N (position), --section S, or both."""
    if to is None and section is None:
        fail("say where: --to N, --section S, or both")

    def edit(root: Path, doc: BriefDoc) -> str:
        item = _item_id(root, doc, article_id)
        doc.move(item, to=to, section=section)
        s, i = doc.find(item)
        return f"{clean_line(item)}: now {i + 1} of {len(doc.sections[s].items)} in section {clean_line(doc.sections[s].name)!r}"

    _change(ctx, corpus, name, edit)


@brief_group.command("why")
@click.argument("name")
@click.argument("article_id", metavar="ID")
@click.argument("text")
@_corpus
@click.pass_context
def why_command(ctx: click.Context, name: str, article_id: str, text: str, corpus: str | None) -> None:
    """Set the "why it matters" line of an item (TEXT `-` reads standard input; "" clears it)."""
    value = _text_arg(text)

    def edit(root: Path, doc: BriefDoc) -> str:
        item = _item_id(root, doc, article_id)
        doc.set_why(item, value)
        return f"{clean_line(item)}: why it matters " + ("set" if doc.item(item).why else "cleared")

    _change(ctx, corpus, name, edit)


def _suggestions(root: Path, doc: BriefDoc) -> list[Any]:
    from briefing.brief.build import suggest_overview
    from briefing.cli.common import annotations_over, open_for_listing

    corpus = open_for_listing(root, None)
    store = annotations_over(root, corpus)
    return suggest_overview(corpus, doc, store=store)


@brief_group.command("bluf")
@click.argument("name")
@click.argument("text", required=False)
@click.option("--from-suggestion", "accepted", type=click.IntRange(min=1), multiple=True, metavar="K",
              help="Use suggested sentence K (see `briefing brief suggest NAME`); repeat to take several, in order.")
@_corpus
@click.pass_context
def bluf_command(ctx: click.Context, name: str, text: str | None, accepted: tuple[int, ...], corpus: str | None) -> None:
    """Write the bottom line up front (TEXT `-` reads standard input). With
    --from-suggestion, the sentences chosen from `brief suggest` (with their source
    numbers) make the bottom line, after TEXT when both are given."""
    if text is None and not accepted:
        fail("give the bottom line as TEXT (`-` reads standard input) or choose sentences with --from-suggestion K")
    value = _text_arg(text) if text is not None else ""

    def edit(root: Path, doc: BriefDoc) -> str:
        from briefing.brief.build import cite_marks, source_mark

        parts = [value.strip()] if value.strip() else []
        if accepted:
            offered = _suggestions(root, doc)
            for k in accepted:
                if k > len(offered):
                    raise ValueError(f"there is no suggestion {k} (there are {len(offered)}; see `briefing brief suggest {doc.name}`)")
                s = offered[k - 1]
                # by id: its number is worked out when the briefing is composed (an id the
                # mark cannot hold: the number as it stands)
                parts.append(f"{s.text} {source_mark(s.id) or cite_marks([s.cite])}")
        from briefing.brief.model import check_text

        doc.bluf = check_text(" ".join(parts), "the bottom line")
        return f"bottom line of {clean_line(doc.name)!r} " + ("set" if doc.bluf else "cleared")

    _change(ctx, corpus, name, edit)


@brief_group.command("suggest")
@click.argument("name")
@click.option("-n", "count", type=click.IntRange(1, 20), default=5, show_default=True, help="How many sentences.")
@_corpus
@click.pass_context
def suggest_command(ctx: click.Context, name: str, count: int, corpus: str | None) -> None:
    """Suggest an overview: the most central summary sentences across the items of
    NAME (no two alike), each with its source number. Nothing is changed: accept
    some with `briefing brief bluf NAME --from-suggestion K`."""
    from briefing.brief.build import suggest_overview
    from briefing.cli.common import annotations_over, open_for_listing

    root = _root(ctx, corpus)
    doc = _load(root, name).doc
    loaded = open_for_listing(root, None)
    store = annotations_over(root, loaded)
    offered = suggest_overview(loaded, doc, count, store=store)
    if not offered:
        click.echo("nothing to suggest: the briefing has no items with a summary")
        return
    for k, s in enumerate(offered, 1):
        click.echo(f"{k}. {clean_line(s.text)} [{s.cite}]")


def _highlight_ref(root: Path, typed: str) -> tuple[str, int, str]:
    """``ID:N`` as (article id, N, quote): the N-th highlight of the article (1-based,
    in the order of annotations.yaml, as `briefing show ID --json` lists them). The id
    is resolved like ``--cite`` (exit 2 when it names no article); only the
    annotations are read, not the article."""
    from briefing.cli.common import annotations_for

    typed_id, sep, number = typed.rpartition(":")
    if not sep or not typed_id or not number.strip().isdigit() or int(number) < 1:
        fail(f"--highlight takes ID:N (the article and the number of its highlight, from 1), not {clean_line(typed)!r}")
    article_id = _corpus_id(root, typed_id)
    highlights = annotations_for(root).get(article_id).highlights
    n = int(number)
    if n > len(highlights):
        listed = "; ".join(f"{k}. \u201c{clean_line(h.quote)[:60]}\u201d" for k, h in enumerate(highlights, 1))
        fail(f"{clean_line(article_id)!r} has {len(highlights)} highlight{'s' if len(highlights) != 1 else ''}"
             + (f": {listed}" if listed else ""))
    return article_id, n, highlights[n - 1].quote


@brief_group.command("judge")
@click.argument("name")
@click.argument("text")
@click.option("--confidence", required=True, metavar="TERM", help="A term of the confidence scale (ICD 203 by default: likely, very unlikely, ...; config.yaml confidence_scale).")
@click.option("--cite", "cites", multiple=True, metavar="ID", help="An article that supports it (repeat).")
@click.option("--highlight", "highlights", multiple=True, metavar="ID:N",
              help="A highlight it rests on: article ID's N-th highlight, counting from 1 in the order "
                   "`briefing show ID --json` lists them (repeat). Printed as a quote under the judgment.")
@_corpus
@click.pass_context
def judge_command(ctx: click.Context, name: str, text: str, confidence: str, cites: tuple[str, ...],
                  highlights: tuple[str, ...], corpus: str | None) -> None:
    """Add a key judgment with its confidence term (TEXT `-` reads standard input)."""
    from briefing.brief.model import HighlightRef, Judgment, check_term, configured_scale

    try:
        term = check_term(configured_scale(), confidence)
    except ValueError as err:
        fail(clean_line(str(err)))
    value = _text_arg(text)

    def edit(root: Path, doc: BriefDoc) -> str:
        ids = list(dict.fromkeys(_corpus_id(root, typed) for typed in cites))
        # one per highlight (article and number): two highlights with the same words stay two
        refs = list({(article, n): quote for article, n, quote in (_highlight_ref(root, typed) for typed in highlights)}.items())
        number = doc.add_judgment(Judgment(value, term, ids, [HighlightRef(article, quote) for (article, _n), quote in refs]))
        linked = f", {len(refs)} highlight{'s' if len(refs) != 1 else ''}" if refs else ""
        return f"judgment {number} added to {clean_line(doc.name)!r} ({term}{linked})"

    _change(ctx, corpus, name, edit)


@brief_group.command("export")
@click.argument("name")
@click.option("--format", "-f", "fmt", type=click.Choice(BRIEF_FORMATS), default=None, help="Output format (default: from the -o suffix, else md).")
@click.option("-o", "--output", "output", metavar="PATH", default=None, help="Write to PATH (default: standard output). DOCX and PDF need a PATH.")
@click.option("--force", is_flag=True, help="Replace PATH if it exists (a symbolic link is never written through).")
@click.option("--include-private", is_flag=True, help="Include private notes and highlight comments (left out by default).")
@click.option("--date", "produced", metavar="YYYY-MM-DD", default=None, help="The date printed (default: the briefing's date, else today for html/docx/pdf, none for md/json).")
@click.option("--method", "-m", type=SummaryMethod(), default=None, help="Summary method for every item (default: each article's).")
@click.option("--sentences", "-n", type=click.IntRange(1, 10), default=None, help="Summary sentences per item (default: each article's).")
@paper_option
@_corpus
@click.pass_context
def export_command(ctx: click.Context, name: str, fmt: str | None, output: str | None, force: bool, include_private: bool,
                   produced: str | None, method: str | None, sentences: int | None, paper: str | None, corpus: str | None) -> None:
    """Export briefing NAME (Markdown, HTML, JSON, Word or PDF).

    Exit status: 0 written; 2 a usage problem or a path refused; 1 the disk failed,
    or the annotation file cannot be read (nothing is exported without its annotations)."""
    from briefing import export as export_pkg
    from briefing.brief.build import compose, missing_items, missing_sources
    from briefing.brief.model import configured_scale
    from briefing.cli.common import annotations_over, open_indexed_reporting, reader_settings, refuse_unreadable
    from briefing.cli.export import _produced_date, _write_stdout, paper_for, warn_suffix
    from briefing.export import BriefingOptions, ExportWriteError, TemplateProblem, default_produced, write_export
    from briefing.export.write import check_target

    target = None if output in (None, "-") else Path(str(output)).expanduser()
    if fmt is None:
        fmt = "md" if target is None else _SUFFIXES.get(target.suffix.lower(), "md")
    else:
        warn_suffix(target, fmt)
    if fmt not in export_pkg.FORMATS:
        fail(f"the {fmt} renderer is not available in this installation (formats here: {', '.join(export_pkg.FORMATS)})")
    if fmt in _BINARY and target is None:
        fail(f"{fmt} is binary: give the file to write with -o PATH")
    if target is not None:
        try:
            check_target(target, force)
        except ExportWriteError as err:
            fail(err.message)
    try:
        scale = configured_scale()
    except ValueError as err:
        fail(clean_line(str(err)))
    root = _root(ctx, corpus)
    doc = _load(root, name).doc
    # Through the index, built on demand: the stories' signatures and grouping are
    # kept in its file, so a second export reads them back instead of signing every
    # body again (the files read without an index have nowhere to keep them).
    loaded = open_indexed_reporting(root, progress=True)
    store = annotations_over(root, loaded)
    refuse_unreadable(store)
    for gone in missing_items(loaded, doc):
        warn(f"item {clean_line(gone)!r} is no longer in the corpus; left out")
    for gone in missing_sources(loaded, doc):
        warn(f"the bottom line names {clean_line(gone)!r} as a source; it is no longer in the corpus: its mark is left out")
    date: dt.date | None = _produced_date(produced) if produced is not None else (doc.date or default_produced(fmt))
    settings = reader_settings()
    options = BriefingOptions(title="", analyst=None, produced=date, method=method, sentences=sentences,
                              settings=settings, include_private=include_private)
    try:
        briefing = compose(loaded, store, doc, options, scale=scale)
        data = export_pkg.render(briefing, fmt, paper=paper_for(fmt, paper, settings))
    except TemplateProblem as err:
        fail(f"template: {err}")
    except ValueError as err:
        fail(clean_line(str(err)))
    count = f"{briefing.item_count} item{'s' if briefing.item_count != 1 else ''}"
    if target is None:
        if _write_stdout(data):
            click.echo(f"briefing: {count} exported ({fmt}) to standard output", err=True)
        return
    try:
        written = write_export(target, data, force=force)
    except ExportWriteError as err:
        fail(err.message, code=1 if err.kind == "io" else EXIT_USAGE)
    click.echo(f"briefing: wrote {count} ({fmt}) to {written}", err=True)


__all__: Sequence[str] = ("brief_group",)
