"""The export model of a composed briefing, and the suggested overview.

:func:`compose` turns a :class:`~briefing.brief.model.BriefDoc` into the same
:class:`briefing.export.model.Briefing` every format renders, with the composed
fields filled:

- ``groups``: the analyst's sections in order (``key`` ``section:N`` or ``tag:T``),
  the items in the analyst's order, numbered through the document;
- each item: its "why it matters" line (``why``), its number in the source list
  (``cite``), outlet, author, date, title, URL and file; private notes and private
  highlight comments only with ``include_private``;
- an item that is a story (near-duplicate versions, :mod:`briefing.stories`): one
  summary across its versions (``story_summary``), each fact once (near-identical
  sentences merged) followed by the source numbers that carry it, and the
  differences the analyst cited (notes written by ``briefing compare --cite`` /
  the reader) as sentences (``differences``), which then leave the notes;
- ``cited``: the numbered source list (the items first, in order, then the other
  versions of their stories, then articles only a judgment cites);
- ``judgments``: source numbers, and the highlights as ``"quote" [n]``;
- ``methods``: the one line naming how summaries were made.

:func:`suggest_overview` offers the most central summary sentences across the
items, each with its source number; the analyst accepts or edits them into the
bottom line (never inserted by this module).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from briefing.annotations.store import AnnotationStore
from briefing.brief.model import ICD203, BriefDoc, ConfidenceScale
from briefing.corpus.url import clean_url
from briefing.export.build import BriefingOptions, item_from, methods_line, shared_highlights, shared_notes
from briefing.export.model import Briefing, Cited, Group, Item, Judgment, Note
from briefing.model import ArticleMeta, CorpusView
from briefing.sanitize import clean_line, clean_text

ALIKE = 0.6  # word-set overlap (Jaccard) at which two sentences say the same thing
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Suggestion:
    text: str  # one sentence, plain text
    cite: int  # its source number (Briefing.cited)
    id: str = ""  # the article it comes from


# ------------------------------------------------------------------ sentences


def _words(text: str) -> frozenset[str]:
    return frozenset(w.casefold() for w in _WORD.findall(text) if len(w) > 2 or w.isdigit())


def alike(a: frozenset[str], b: frozenset[str]) -> bool:
    if not a or not b:
        return a == b
    return len(a & b) / len(a | b) >= ALIKE


def merge_sentences(versions: Sequence[tuple[int, Sequence[str]]]) -> list[tuple[str, tuple[int, ...]]]:
    """Sentences of several versions, each fact once: a sentence near-identical to
    one already kept adds its source number to it (the first wording stays).
    ``versions``: (source number, sentences) in the order to read them."""
    kept: list[tuple[str, frozenset[str], list[int]]] = []
    for number, sentences in versions:
        for sentence in sentences:
            words = _words(sentence)
            for _, other, numbers in kept:
                if alike(words, other):
                    if number not in numbers:
                        numbers.append(number)
                    break
            else:
                kept.append((sentence, words, [number]))
    return [(text, tuple(sorted(numbers))) for text, _, numbers in kept]


def cite_marks(numbers: Iterable[int]) -> str:
    """``[1, 3]``: source numbers as they follow a sentence."""
    return "[" + ", ".join(str(n) for n in numbers) + "]"


# A source named in the bottom line by its article id (``brief bluf --from-suggestion``
# writes one after each sentence it takes; an analyst may type one too): replaced by
# the source's number when the briefing is composed, so the number follows the items
# as they are moved, removed or added. A number written into the text would go on
# pointing at whatever article came to hold it.
SOURCE_MARK = re.compile(r"\[source: ([^\]\n]+)\]")


def source_mark(article_id: str) -> str | None:
    """The mark naming ``article_id`` as a source in the bottom line; None for an id
    the mark cannot hold (a "]", a line break, blanks around it)."""
    mark = f"[source: {article_id}]"
    held = SOURCE_MARK.fullmatch(mark)
    return mark if held is not None and held.group(1).strip() == article_id else None


def bluf_sources(doc: BriefDoc) -> list[str]:
    """The article ids the bottom line names as its sources, in order, once each."""
    return list(dict.fromkeys(m.group(1).strip() for m in SOURCE_MARK.finditer(doc.bluf)))


def _bluf_text(bluf: str, numbers: dict[str, int]) -> str:
    """The bottom line with each source mark replaced by the source's number (a source
    the corpus no longer has: its mark is left out; the CLI says so, see
    :func:`missing_sources`)."""

    def number(m: re.Match[str]) -> str:
        n = numbers.get(m.group(2).strip())
        return f"{m.group(1)}[{n}]" if n is not None else ""  # (with the blank before it)

    return _SPACED_MARK.sub(number, bluf)


_SPACED_MARK = re.compile(r"([ \t]*)" + SOURCE_MARK.pattern)


# ------------------------------------------------------------------ cited differences

_QUOTED = r'(?:"(?P<{0}>(?:[^"\\]|\\.)*?)"|\(not mentioned\))'
_SOURCE = r'"(?P<title>.*?)" \((?P<date>undated|\d{4}-\d{2}-\d{2}), (?P<id>[^)]*)\)'
_TWO = re.compile(rf"^(?P<kind>Number|Date|Name|Wording) differs from {_SOURCE}: {_QUOTED.format('mine')} vs {_QUOTED.format('theirs')}$")
_ONLY = re.compile(r"^Only here, not in (?P<rest>.+): \"(?P<mine>.*)\"$")
_NOT = re.compile(r"^Not here; only in (?P<rest>.+): \"(?P<theirs>.*)\"$")
_MANY = re.compile(r"^(?P<kind>Number|Date|Name|Wording) differs: here (?P<rest>.+)$")
_SOURCES = re.compile(_SOURCE)
_KIND_WORDS = {"Number": "a figure", "Date": "a date", "Name": "a name", "Wording": "the wording"}


def _strip_label(text: str) -> str:
    return re.sub(r"^On [^:]+: ", "", text)


def difference_sentence(note: str, this: str, number_of: dict[str, int]) -> str | None:
    """A note written by citing a difference between versions, as a sentence a
    reader understands; None when the note is not such a citation. ``this``: how
    the item's own version is called; ``number_of``: article id to source number."""

    def who(m: re.Match[str]) -> str:
        n = number_of.get(m.group("id"))
        title = m.group("title")
        return f"\u201c{title}\u201d" + (f" [{n}]" if n else "")

    def said(value: str | None) -> str:
        return f"\u201c{value}\u201d" if value else ""

    text = _strip_label(note.strip())
    if m := _TWO.match(text):
        kind = _KIND_WORDS[m.group("kind")]
        mine, theirs = m.group("mine"), m.group("theirs")
        if mine and theirs:
            return f"The versions differ on {kind}: {this} says {said(mine)}, while {who(m)} says {said(theirs)}."
        if mine:
            return f"Only {this} gives {kind} here: {said(mine)}; {who(m)} does not mention it."
        if theirs:
            return f"{who(m)[0].upper()}{who(m)[1:]} gives {kind} that {this} does not mention: {said(theirs)}."
        return None
    if m := _ONLY.match(text):
        others = [who(s) for s in _SOURCES.finditer(m.group("rest"))] or ["the other versions"]
        return f"Only {this} reports: {said(m.group('mine'))}; it is not in {' or '.join(others)}."
    if m := _NOT.match(text):
        others = [who(s) for s in _SOURCES.finditer(m.group("rest"))] or ["another version"]
        return f"{this[0].upper()}{this[1:]} leaves out what {' and '.join(others)} report: {said(m.group('theirs'))}."
    if m := _MANY.match(text):
        parts = m.group("rest").split("; ")
        first = re.match(r'^"(.*)"$', parts[0])
        if first is None:
            return None
        pieces = [f"{this} says {said(first.group(1))}"]
        for part in parts[1:]:
            s = re.match(rf"^{_SOURCE}: {_QUOTED.format('v')}$", part)
            if s is None:
                return None
            pieces.append(f"{who(s)} says {said(s.group('v'))}" if s.group("v") else f"{who(s)} does not mention it")
        return f"The versions differ on {_KIND_WORDS[m.group('kind')]}: " + "; ".join(pieces) + "."
    return None


# ------------------------------------------------------------------ compose


def _summary_of(corpus: CorpusView, meta: ArticleMeta, store: AnnotationStore, options: BriefingOptions) -> tuple[tuple[str, ...], str, str | None]:
    from briefing.export.build import _summary

    return _summary(corpus, meta, options, store.view(meta))


def _prefetch_summaries(corpus: CorpusView, store: AnnotationStore, ids: Iterable[str], options: BriefingOptions) -> None:
    """The summaries :func:`_summary_of` will ask for (``ids``: items, their stories'
    versions), the ones the summary cache lacks made together, in parallel when many."""
    from briefing.export.summaries import prefetch

    prefetch(corpus, store, [m for i in dict.fromkeys(ids) if (m := _meta(corpus, i)) is not None], options)


def _meta(corpus: CorpusView, article_id: str) -> ArticleMeta | None:
    try:
        return corpus.get(article_id)
    except (KeyError, OSError):
        return None


def _text_or_none(value: str | None) -> str | None:
    return (clean_line(value).strip() or None) if value else None


def _stories(corpus: CorpusView, store: AnnotationStore, wanted: bool):  # type: ignore[no-untyped-def]
    if not wanted:
        return None
    from briefing.annotations.corrected import CorrectedCorpus, Corrections
    from briefing.stories import group_stories

    # The analyst's titles and dates as a snapshot: an indexed corpus is grouped
    # through its index (read back at a million articles, no meta per article).
    return group_stories(CorrectedCorpus(corpus, fix=Corrections(store)))


def compose(
    corpus: CorpusView,
    store: AnnotationStore,
    doc: BriefDoc,
    options: BriefingOptions = BriefingOptions(),
    *,
    scale: ConfidenceScale = ICD203,
    stories: bool = True,
) -> Briefing:
    """The export model of ``doc`` (see the module docstring). Items whose article
    is no longer in the corpus are left out (their ids are in ``Briefing.filter``'s
    place: never silently: see :func:`missing_items`). ``options``: title/analyst/
    produced override the document's when given; method, sentences, authors,
    include_private as for a plain export."""
    grouped = _stories(corpus, store, stories)
    metas: dict[str, ArticleMeta] = {}
    for article_id in doc.item_ids():
        meta = _meta(corpus, article_id)
        if meta is not None:
            metas[article_id] = meta
    # the numbered source list: items in order, then their stories' other versions,
    # then articles only judgments cite
    numbers: dict[str, int] = {}

    def number(article_id: str) -> int:
        if article_id not in numbers:
            numbers[article_id] = len(numbers) + 1
        return numbers[article_id]

    for article_id in metas:
        number(article_id)
    story_of: dict[str, tuple[str, ...]] = {}
    if grouped is not None:
        for article_id in metas:
            story = grouped.story_of(article_id)
            if story is not None:
                story_of[article_id] = story.members
                for member in story.members:
                    if _meta(corpus, member) is not None:
                        number(member)
    for j in doc.judgments:
        for article_id in [*j.cites, *(h.article for h in j.highlights)]:
            if _meta(corpus, article_id) is not None:
                number(article_id)
    for article_id in bluf_sources(doc):  # a source of the bottom line no longer an item is still listed
        if _meta(corpus, article_id) is not None:
            number(article_id)
    _prefetch_summaries(corpus, store, [*metas, *(i for members in story_of.values() for i in members)], options)
    used_methods: list[str] = []
    items: list[Item] = []
    groups: list[Group] = []
    for s_index, section in enumerate(doc.sections):
        shown: list[Item] = []
        for entry in section.items:
            meta = metas.get(entry.id)
            if meta is None:
                continue
            item = _item(len(items) + 1, corpus, store, meta, options, numbers, story_of.get(entry.id, ()), used_methods)
            item = replace(item, why=clean_text(entry.why).strip(), cite=numbers[entry.id])
            items.append(item)
            shown.append(item)
        key = f"tag:{section.tag}" if section.tag else f"section:{s_index + 1}"
        groups.append(Group(key, clean_line(section.name), tuple(shown)))
    cited = []
    for article_id, n in numbers.items():
        meta = _meta(corpus, article_id)
        assert meta is not None
        view = store.view(meta)
        cited.append(Cited(n, article_id, clean_line(view.title).strip() or article_id, _text_or_none(meta.source),
                           _text_or_none(meta.author), view.date, clean_url(meta.url)))
    judgments = []
    for j in doc.judgments:
        cites = tuple(dict.fromkeys(numbers[c] for c in j.cites if c in numbers))
        highs = tuple(f"\u201c{clean_text(h.quote).strip()}\u201d" + (f" [{numbers[h.article]}]" if h.article in numbers else "")
                      for h in j.highlights)
        judgments.append(Judgment(clean_text(j.text).strip(), clean_line(j.confidence).strip(), cites, highs))
    dates = [i.date for i in items if i.date]
    title = options.title if options.title and options.title != "Briefing" else doc.title
    analyst = options.analyst or doc.analyst
    from briefing.export.chart import day_counts  # matplotlib is imported only to draw the picture

    timeline, undated = day_counts(items)
    return Briefing(
        title=clean_line(title).strip() or "Briefing",
        analyst=clean_line(analyst).strip() or None if analyst else None,
        produced=options.produced or doc.date,
        since=min(dates) if dates else None,
        until=max(dates) if dates else None,
        filter="",
        group_by="section",
        groups=tuple(groups),
        items=tuple(items),
        marking=clean_line(doc.marking).strip(),
        bluf=clean_text(_bluf_text(doc.bluf, numbers)).strip(),
        judgments=tuple(judgments),
        scale=scale.name,
        cited=tuple(cited),
        methods=methods_line(used_methods),
        timeline=timeline,
        undated=undated,
    )


def missing_items(corpus: CorpusView, doc: BriefDoc) -> list[str]:
    """The items of ``doc`` whose article the corpus no longer has (left out of exports)."""
    return [i for i in doc.item_ids() if _meta(corpus, i) is None]


def missing_sources(corpus: CorpusView, doc: BriefDoc) -> list[str]:
    """The sources the bottom line names that the corpus no longer has (their marks
    are left out of exports)."""
    return [i for i in bluf_sources(doc) if _meta(corpus, i) is None]


def _item(
    n: int,
    corpus: CorpusView,
    store: AnnotationStore,
    meta: ArticleMeta,
    options: BriefingOptions,
    numbers: dict[str, int],
    members: tuple[str, ...],
    used_methods: list[str],
) -> Item:
    view = store.view(meta)
    sentences, method, note = _summary_of(corpus, meta, store, options)
    if sentences:
        used_methods.append(method)
    who = options.authors
    notes: list[Note] = []
    differences: list[str] = []
    for entry in shared_notes(view.notes, options):
        # a cited difference reads as a sentence (also when the grouping no longer
        # makes this article a story: the note's wording is internal either way)
        sentence = difference_sentence(entry.text, "this report", numbers)
        if sentence is not None:
            differences.append(sentence)
        else:
            notes.append(Note(entry.text.strip(), entry.at, entry.by if who else ""))
    highlights = shared_highlights(view.highlights, options)
    story_summary: tuple[str, ...] = ()
    if members:
        versions: list[tuple[int, Sequence[str]]] = [(numbers[meta.id], sentences)]
        for member in members:
            other = _meta(corpus, member)
            if other is None or member == meta.id or member not in numbers:
                continue
            more, m_method, _ = _summary_of(corpus, other, store, options)
            if more:
                used_methods.append(m_method)
            versions.append((numbers[member], more))
        merged = merge_sentences(versions)
        story_summary = tuple(f"{text} {cite_marks(nums)}" for text, nums in merged)
    return item_from(n, meta, view, (sentences, method, note), notes, highlights,
                     story_summary=story_summary, differences=tuple(differences))


def suggest_overview(corpus: CorpusView, doc: BriefDoc, n: int = 5, *, store: AnnotationStore | None = None,
                     options: BriefingOptions = BriefingOptions()) -> list[Suggestion]:
    """The ``n`` most central summary sentences across the items of ``doc``: each
    sentence scored by how much it shares with the sentences of the other items
    (word-set overlap), no two alike, most central first (so the first K of a
    longer list are the K of a shorter one: `brief bluf --from-suggestion K` means
    the same sentence whatever ``n`` was shown). Each carries its item's source
    number (the items are numbered first, in order)."""
    from briefing.annotations import open_store

    if store is None:
        store = open_store(corpus.root)[0]
    _prefetch_summaries(corpus, store, doc.item_ids(), options)
    pool: list[tuple[int, int, str, str, frozenset[str]]] = []  # (cite, position, id, text, words)
    cite = 0
    for article_id in doc.item_ids():
        meta = _meta(corpus, article_id)
        if meta is None:
            continue
        cite += 1
        sentences, _, _ = _summary_of(corpus, meta, store, options)
        for k, sentence in enumerate(sentences):
            pool.append((cite, k, article_id, sentence, _words(sentence)))
    if not pool:
        return []
    df: dict[str, int] = {}
    for _, _, _, _, words in pool:
        for w in words:
            df[w] = df.get(w, 0) + 1
    scored = []
    for index, (_, k, _, _, words) in enumerate(pool):
        shared = sum(df[w] - 1 for w in words)  # how often its words recur in the other sentences
        score = shared / (len(words) ** 0.5 or 1) - 0.01 * k
        scored.append((-score, index))
    scored.sort()
    chosen: list[int] = []
    for _, index in scored:
        words = pool[index][4]
        if any(alike(words, pool[c][4]) for c in chosen):
            continue
        chosen.append(index)
        if len(chosen) >= n:
            break
    return [Suggestion(pool[i][3], pool[i][0], pool[i][2]) for i in chosen]


def today() -> dt.date:
    return dt.date.today()
