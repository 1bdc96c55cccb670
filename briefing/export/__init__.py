"""Export the annotated briefing: Markdown, HTML, JSON, Word or PDF.

Plain Python (never imports textual). API for the command line and the reader's
export dialog::

    from briefing.export import Filter, BriefingOptions, export_briefing, write_export

    flt = Filter(tags=("energy",), status=None, since=None, until=None, search=None,
                 everything=False)            # see briefing.annotations.filter for the rules
    result = export_briefing(corpus, store, flt, "md", BriefingOptions(title="Kyiv",
                             analyst="A. Analyst", produced=None, group_by="date"))
    result.count, result.data (bytes), result.text (str; None for docx and pdf)
    count_items(corpus, store, flt)           # how many items would go out (no summaries)
    suggested_name("Energy week", "md", produced)  # "energy-week.md" for the dialog
    write_export(path, result.data, force=False)   # ExportWriteError(.message, .kind)

``corpus`` is a :class:`briefing.corpus.Corpus` or an indexed corpus (required for
``flt.search``: it answers ``match_ids``); ``store`` comes from
:func:`briefing.annotations.open_store`.

Decisions:
- Items: the articles matching the filter that the analyst worked on (tags, notes,
  highlights, a correction, or flagged); articles without annotations only when the
  filter asks for them (``everything``, a ``status`` unread/read/flagged, or a tag).
- Grouped by day (default) or by tag; newest first, undated last.
- Produced date: left out unless given, so Markdown and JSON are byte-for-byte
  reproducible. :func:`default_produced` gives the front ends' rule: HTML and DOCX
  (documents to send) show today's date unless told otherwise.
- File paths are the article ids (relative to the corpus folder): no local
  absolute path leaks into a briefing sent to someone else.
- Templates: ``<config dir>/templates/briefing.md.j2`` / ``briefing.html.j2``
  override the built-ins (see :mod:`briefing.export.templating`).
- Errors: :class:`TemplateProblem` (a user template), :class:`ExportWriteError`
  (the output path), ``ValueError`` (a bad option, e.g. an unknown summary method).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from briefing.annotations.filter import Filter, apply_filter, split_tags
from briefing.annotations.store import AnnotationStore
from briefing.export.build import BriefingOptions, build_briefing
from briefing.export.model import Briefing, Group, Highlight, Item, Note
from briefing.export.select import GROUP_BY, select_for_export
from briefing.export.templating import TemplateProblem, user_template_dir
from briefing.export.write import ExportWriteError, write_export
from briefing.model import CorpusView
from briefing.papers import PAPERS

FORMATS = ("md", "html", "json", "docx", "pdf")
SUFFIXES = {"md": ".md", "html": ".html", "json": ".json", "docx": ".docx", "pdf": ".pdf"}
BINARY_FORMATS = ("docx", "pdf")


@dataclass(frozen=True)
class ExportResult:
    format: str
    data: bytes  # what to write
    briefing: Briefing

    @property
    def count(self) -> int:
        return self.briefing.item_count

    @property
    def text(self) -> str | None:
        """The output as text (None for a binary format)."""
        return None if self.format in BINARY_FORMATS else self.data.decode("utf-8")


def default_produced(fmt: str, today: dt.date | None = None) -> dt.date | None:
    """The produced date when none is asked for: today for HTML and DOCX, none for
    Markdown, JSON and PDF (reproducible output: a PDF without a produced date carries
    a fixed creation date, so the same state gives the same bytes)."""
    if fmt in ("html", "docx"):
        return today or dt.date.today()
    return None


def suggested_name(title: str, fmt: str, produced: dt.date | None = None) -> str:
    """A file name for a dialog to offer: ``energy-week-2026-11-21.md``."""
    import re
    import unicodedata

    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:60].strip("-") or "briefing"
    when = f"-{produced.isoformat()}" if produced else ""
    return f"{slug}{when}{SUFFIXES[fmt]}"


def render(briefing: Briefing, fmt: str, template_dir: Path | None = None, *, paper: str = "a4") -> bytes:
    """``briefing`` in format ``fmt``; ``template_dir`` holds user templates
    (default: ``<config dir>/templates``); ``paper`` the PDF's page size (a4 or letter;
    HTML prints on either)."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if fmt == "json":
        from briefing.export.jsonfmt import render_json

        return render_json(briefing).encode("utf-8")
    if fmt == "docx":
        from briefing.export.docxfmt import render_docx

        return render_docx(briefing)
    if fmt == "pdf":
        from briefing.export.pdffmt import render_pdf

        return render_pdf(briefing, paper)
    from briefing.export.templating import render_template

    folder = user_template_dir() if template_dir is None else template_dir
    return render_template(fmt, briefing, folder).encode("utf-8")


def export_briefing(
    corpus: CorpusView,
    store: AnnotationStore,
    flt: Filter = Filter(),
    fmt: str = "md",
    options: BriefingOptions = BriefingOptions(),
    template_dir: Path | None = None,
    *,
    paper: str = "a4",
) -> ExportResult:
    """Select, summarize and render: the bytes to write and the item count."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    briefing = build_briefing(corpus, store, flt, options)
    return ExportResult(fmt, render(briefing, fmt, template_dir, paper=paper), briefing)


def count_items(corpus: CorpusView, store: AnnotationStore, flt: Filter = Filter()) -> int:
    """How many items an export with ``flt`` would hold (cheap: no summaries)."""
    return len(select_for_export(corpus, store, flt))


__all__ = [
    "BINARY_FORMATS",
    "FORMATS",
    "PAPERS",
    "GROUP_BY",
    "SUFFIXES",
    "Briefing",
    "BriefingOptions",
    "ExportResult",
    "ExportWriteError",
    "Filter",
    "Group",
    "Highlight",
    "Item",
    "Note",
    "TemplateProblem",
    "apply_filter",
    "build_briefing",
    "count_items",
    "default_produced",
    "export_briefing",
    "render",
    "select_for_export",
    "split_tags",
    "suggested_name",
    "write_export",
]
