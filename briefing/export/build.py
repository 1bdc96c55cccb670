"""Turn a corpus, its annotations and a filter into a :class:`Briefing`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from briefing.annotations.corrected import CorrectedCorpus, Corrections
from briefing.annotations.filter import Filter, worked_on
from briefing.annotations.schema import Highlight as AnnotatedHighlight
from briefing.annotations.schema import Note as AnnotatedNote
from briefing.annotations.store import AnnotationStore, ArticleView
from briefing.config import Settings
from briefing.corpus.url import clean_url
from briefing.export.model import Briefing, Group, Highlight, Item, Note, Source
from briefing.export.select import group_items, select_for_export
from briefing.model import ArticleMeta, CorpusView
from briefing.sanitize import clean_line, clean_text

DEFAULT_TITLE = "Briefing"
NoteLike = TypeVar("NoteLike", bound=AnnotatedNote)


@dataclass(frozen=True)
class BriefingOptions:
    """How the briefing is made (the format is chosen when rendering)."""

    title: str = DEFAULT_TITLE
    analyst: str | None = None
    produced: dt.date | None = None  # the date produced; None leaves it out
    group_by: str = "date"  # date | tag
    method: str | None = None  # summary method for every item (None: each article's, see summary_choice)
    sentences: int | None = None  # summary length for every item (None: each article's)
    settings: Settings | None = None  # the reader's preferences (config.yaml); None: the defaults
    stories: bool = False  # one item per story of near-duplicates, listing its sources
    authors: bool = False  # name who wrote each note and highlight (off: a briefing sent out names no one)
    include_private: bool = False  # private notes and highlight comments go out too (off: never)


def summary_for(view: ArticleView | None, options: BriefingOptions) -> tuple[str, int]:
    """The method and length of an item's summary (:func:`briefing.export.summaries.summary_for`)."""
    from briefing.export import summaries

    return summaries.summary_for(view, options)


def shared_notes(notes: Iterable[NoteLike], options: BriefingOptions) -> list[NoteLike]:
    """The notes that may go out: all with ``include_private``, else the shared ones."""
    return [n for n in notes if options.include_private or not getattr(n, "private", False)]


def shared_comment(highlight: AnnotatedHighlight, options: BriefingOptions) -> str:
    """A highlight's comment as it may go out ("" when private and not included);
    the quote itself (the article's own text) always goes."""
    if getattr(highlight, "private", False) and not options.include_private:
        return ""
    return highlight.note.strip()


def methods_line(methods: Iterable[str]) -> str:
    """The one appendix line that says how summaries were made (method names only here)."""
    names = sorted({m for m in methods if m})
    if not names:
        return ""
    which = ", ".join(names)
    return f"Summaries are sentences taken from each article as written (selection method: {which})."


def shared_highlights(highlights: Iterable[AnnotatedHighlight], options: BriefingOptions) -> list[Highlight]:
    """An article's highlights as they go out: the quote always, the comment unless
    private (:func:`shared_comment`), who made it only with ``options.authors``."""
    return [Highlight(h.quote.strip(), shared_comment(h, options), h.by if options.authors else "") for h in highlights]


def item_from(number: int, meta: ArticleMeta, view: ArticleView, summary: tuple[tuple[str, ...], str, str | None],
              notes: Iterable[Note], highlights: Iterable[Highlight], *, tags: Iterable[str] | None = None,
              status: str | None = None, **extras: Any) -> Item:
    """The :class:`Item` both briefings make (this module's export and a composed
    briefing, :mod:`briefing.brief.build`): the article's identity and cleaned
    metadata, ``summary`` as (sentences, method, note), the notes and highlights that
    go out, tags and status (default: the article's own), and ``extras`` for the
    fields only one of them fills (``sources``; ``story_summary``, ``differences``)."""
    sentences, method, note = summary
    return Item(
        number=number,
        id=meta.id,
        headline=clean_line(view.title).strip() or meta.id,
        date=view.date,
        source=clean_line(meta.source).strip() or None if meta.source else None,
        author=clean_line(meta.author).strip() or None if meta.author else None,
        url=clean_url(meta.url),  # checked again: an ArticleMeta may come from anywhere
        path=clean_line(meta.id),
        tags=tuple(view.tags if tags is None else tags),
        status=view.status if status is None else status,
        summary=sentences,
        summary_method=method,
        summary_note=note,
        highlights=tuple(highlights),
        notes=tuple(notes),
        text_changed=view.text_changed,
        **extras,
    )


def _summary(corpus: CorpusView, meta: ArticleMeta, options: BriefingOptions,
             view: ArticleView | None = None) -> tuple[tuple[str, ...], str, str | None]:
    """An item's summary in the article's language, from the summary cache when it
    has it (:mod:`briefing.export.summaries`): (sentences, method used, note)."""
    from briefing.export.summaries import item_summary

    method, length = summary_for(view, options)
    result = item_summary(corpus, meta, method, length, view)
    if isinstance(result, str):
        return (), method, result
    sentences = tuple(" ".join(clean_text(s).split()) for s in result.sentences)
    return sentences, result.method, result.note


def _item(number: int, corpus: CorpusView, store: AnnotationStore, meta: ArticleMeta, options: BriefingOptions,
          sources: tuple[Source, ...] = (), others: tuple[ArticleMeta, ...] = ()) -> Item:
    """``others``: the story's other selected articles (``--stories``), whose tags,
    notes and highlights join this item's (each note and highlight saying which
    version it was made on), so that folding a story never drops the analyst's work."""
    view = store.view(meta)
    sentences, method, note = _summary(corpus, meta, options, view)
    tags = list(view.tags)
    who = options.authors
    notes = [Note(n.text.strip(), n.at, n.by if who else "") for n in shared_notes(view.notes, options)]
    highlights = shared_highlights(view.highlights, options)
    status = view.status
    for other in others:
        seen = store.view(other)
        label = f"On {clean_line(other.id)}"
        tags += [t for t in seen.tags if t not in tags]
        notes += [Note(f"{label}: {n.text.strip()}", n.at, n.by if who else "") for n in shared_notes(seen.notes, options)]
        highlights += [Highlight(h.quote.strip(), f"{label}: {c}" if (c := shared_comment(h, options)) else label, h.by if who else "")
                       for h in seen.highlights]
        if seen.status == "flagged":
            status = "flagged"
    return item_from(number, meta, view, (sentences, method, note), notes, highlights, tags=tags, status=status, sources=sources)


def _source(meta: ArticleMeta, store: AnnotationStore) -> Source:
    view = store.view(meta)
    return Source(
        id=meta.id,
        headline=clean_line(view.title).strip() or meta.id,
        date=view.date,
        source=clean_line(meta.source).strip() or None if meta.source else None,
    )


def fold_stories(
    corpus: CorpusView, store: AnnotationStore, metas: list[ArticleMeta]
) -> tuple[list[ArticleMeta], dict[str, tuple[Source, ...]], dict[str, tuple[ArticleMeta, ...]]]:
    """One article per story among ``metas`` (``--stories``), the sources of each,
    and the story's other selected articles (whose annotations join the item).

    The story's representative is its first article in ``metas`` (newest first)
    that the analyst worked on, else its first article there; the others leave the
    list. Its sources are every article of the story, chosen or not, oldest first.
    Stories come from :func:`briefing.stories.group_stories` (the config's threshold).
    """
    from briefing.stories import group_stories

    # The analyst's dates (lead and window) as a snapshot: an indexed corpus is grouped through its index.
    stories = group_stories(CorrectedCorpus(corpus, fix=Corrections(store)))
    chosen: dict[str, ArticleMeta] = {}  # story id -> representative meta
    for meta in metas:
        story = stories.story_of(meta.id)
        if story is None:
            continue
        current = chosen.get(story.id)
        if current is None or (not worked_on(current, store) and worked_on(meta, store)):
            chosen[story.id] = meta
    kept: list[ArticleMeta] = []
    folded: dict[str, list[ArticleMeta]] = {}
    for meta in metas:
        story = stories.story_of(meta.id)
        if story is None or chosen[story.id] is meta:
            kept.append(meta)
        else:
            folded.setdefault(chosen[story.id].id, []).append(meta)
    sources: dict[str, tuple[Source, ...]] = {}
    for story_id, rep in chosen.items():
        story = stories.get(story_id)
        assert story is not None  # the story of one of ``metas``
        sources[rep.id] = tuple(_source(corpus.get(member), store) for member in story.members)
    return kept, sources, {rep: tuple(others) for rep, others in folded.items()}


def build_briefing(corpus: CorpusView, store: AnnotationStore, flt: Filter = Filter(), options: BriefingOptions = BriefingOptions()) -> Briefing:
    """The briefing for the articles ``flt`` selects (see :mod:`briefing.export.select`).

    ``corpus`` is a :class:`briefing.corpus.Corpus` or an indexed corpus (needed for
    ``flt.search``); ``store`` its annotation store. Reads each chosen article's body
    once to summarize it.
    """
    metas = select_for_export(corpus, store, flt)
    sources: dict[str, tuple[Source, ...]] = {}
    others: dict[str, tuple[ArticleMeta, ...]] = {}
    if options.stories:
        metas, sources, others = fold_stories(corpus, store, metas)
    from briefing.export.summaries import prefetch

    prefetch(corpus, store, metas, options)  # the summaries the cache lacks, made together
    views = {meta.id: store.view(meta) for meta in metas}
    plans = group_items([(m.id, views[m.id].date, views[m.id].tags) for m in metas], options.group_by, flt.tags)
    by_id = {meta.id: meta for meta in metas}
    made: dict[str, Item] = {}
    groups = []
    for plan in plans:
        shown = []
        for article_id in plan.ids:
            made[article_id] = _item(len(made) + 1, corpus, store, by_id[article_id], options,
                                     sources.get(article_id, ()), others.get(article_id, ()))
            shown.append(made[article_id])
        groups.append(Group(plan.key, plan.label, tuple(shown), tuple(made[i] for i in plan.also)))
    items = tuple(made.values())
    from briefing.export.chart import day_counts  # matplotlib is imported only to draw the picture

    timeline, undated = day_counts(items)
    dates = [item.date for item in items if item.date]
    since = flt.since or (min(dates) if dates else None)
    until = flt.until or (max(dates) if dates else None)
    return Briefing(
        title=clean_line(options.title).strip() or DEFAULT_TITLE,
        analyst=clean_line(options.analyst).strip() or None if options.analyst else None,
        produced=options.produced,
        since=since,
        until=until,
        filter=clean_line(flt.describe()),
        group_by=options.group_by,
        groups=tuple(groups),
        items=items,
        stories=options.stories,
        methods=methods_line(item.summary_method for item in items if item.summary),
        timeline=timeline,
        undated=undated,
    )
