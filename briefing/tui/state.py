"""What the reader shows, as one typed object, and pure functions over it.

:class:`ReaderState` holds the corpus view, the open article, the search and its
hits, the list filter, the stories, the summary method and length, and the listing
generation (bumped whenever the analyst's dates or titles may have changed). The
screen owns one; the features read and change it; widgets are drawn from it.

The functions below take the state (and a :class:`Selection`, what the list shows
under the cursor and which rows are marked) and answer the questions every action
asks: which rows the list shows, which articles an action touches, and how to
describe them to the user. No Textual here: they are unit-tested directly.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.annotations import effective_sort_key, filter_articles
from briefing.annotations.filter import Filter
from briefing.corpus.view import CorpusView
from briefing.index.query import SearchHit
from briefing.listing import window
from briefing.model import Article, ArticleMeta
from briefing.sanitize import clean_line, shorten

if TYPE_CHECKING:
    from briefing.annotations import AnnotationStore, Change
    from briefing.stories import Stories, Story
    from briefing.tui.stories import ListRow

TITLE_MAX = 50  # a title in a message


@dataclass
class ReaderState:
    root: Path
    method: str
    length: int
    grouping: bool = True  # stories are one row (saved as group_stories)
    corpus: CorpusView | None = None
    current_id: str | None = None  # the article open in the reading pane
    current_article: Article | None = None  # its text, once read
    query_text: str = ""
    hits: Mapping[str, SearchHit] | None = None  # None: no search (everything listed)
    filter: Filter = field(default_factory=Filter)
    stories: Stories | None = None  # the corpus's stories, once grouped
    listing_generation: int = 0  # bumped when the analyst's dates or titles may have changed
    indexing: str = ""  # the status line's note while the index refreshes
    stories_note: str = ""  # the status line's note while the stories are grouped
    travel: int = 1  # the direction n/p last went
    compact: bool = False  # the list shows one line per article (v; saved as compact_list)
    layout: str = "split"  # split | list | reader (z; saved as layout)

    @property
    def loaded(self) -> bool:
        """Articles are listed (the corpus, or its first page, has some)."""
        return self.corpus is not None and bool(self.corpus.articles)

    @property
    def filtering(self) -> bool:
        """A list filter is on: a change of tags or status may add or drop rows."""
        return is_filtering(self.filter)

    @property
    def searched(self) -> str:
        """The search the list shows ("" when none)."""
        return self.query_text if self.hits is not None else ""

    def shown_stories(self) -> Stories | None:
        """The stories the list groups by (None when grouping is off or not ready)."""
        return self.stories if self.grouping else None

    def listed(self, article_id: str) -> bool:
        if self.corpus is None:
            return False
        try:
            self.corpus.get(article_id)
        except KeyError:
            return False
        return True


def is_filtering(flt: Filter) -> bool:
    return bool(flt.tags or flt.statuses or flt.since or flt.until or flt.show_dismissed
                or flt.watchlist_ids is not None)


# --- which rows -----------------------------------------------------------------------


def shown_meta(meta: ArticleMeta, store: AnnotationStore | None) -> ArticleMeta:
    """``meta`` with the analyst's title and date (tags stay the file's: the list row
    adds the analyst's from the markers)."""
    if store is None:
        return meta
    title, date = store.corrections(meta.id)  # (a large annotation file is not parsed for them)
    if title is None and date is None:
        return meta
    return replace(meta, title=clean_line(title) if title is not None else meta.title,
                   title_derived=meta.title_derived and title is None, date=date or meta.date)


def listed_metas(metas: Sequence[ArticleMeta], store: AnnotationStore | None, flt: Filter) -> list[ArticleMeta]:
    """The articles the list shows: the filter applied, the analyst's dates and titles
    in, sorted by effective date (the corpus order when nothing was overridden)."""
    if store is None:
        return list(metas)
    if is_filtering(flt):
        if flt.watchlist_ids is not None:
            metas = [m for m in metas if m.id in flt.watchlist_ids]
        metas = filter_articles(metas, store, tag=list(flt.tags) or None, status=flt.statuses, since=flt.since,
                                until=flt.until, show_dismissed=flt.show_dismissed)
    else:
        # (store.ids_with: a large annotation file is not parsed whole for these)
        dismissed = store.ids_with("dismissed")
        if dismissed:  # hidden unless shown (H)
            metas = [m for m in metas if m.id not in dismissed]
        if store.ids_with("date"):
            metas = sorted(metas, key=lambda m: effective_sort_key(m, store))
    corrected = store.ids_with("title") | store.ids_with("date")
    if not corrected:
        return list(metas)
    return [shown_meta(m, store) if m.id in corrected else m for m in metas]


class Listing:
    """:func:`listed_metas`, kept while nothing it depends on changed. Without a
    filter the list depends only on the corpus and the analyst's dates and titles
    (the listing generation): a search rebuilds the rows, not this."""

    def __init__(self) -> None:
        self._key: tuple[int, int, int, int] | None = None
        self._metas: list[ArticleMeta] = []
        self._listing_key: tuple[object, ...] | None = None
        self._wanted: tuple[int | bool, ...] | None = None  # the key of the list asked for last (want)
        self._listing: window.Listing | None = None
        self._listing_ids: object = None  # the search's ids the listing was made for (kept: compared by identity)
        self._lock = threading.Lock()  # (a long list is made in a worker; one at a time)

    def listing(self, state: ReaderState, store: AnnotationStore | None,
                should_stop: Callable[[], bool] = lambda: False) -> window.Listing:
        """What the list shows, searched too, read a window at a time: over the index
        when the corpus reads its articles from one (no object per article), else
        over :meth:`metas`. Kept while nothing it depends on changed. Any thread
        (give a worker a copy of ``state``); ``should_stop``: the making is stopped
        (:class:`~briefing.listing.window.ListingStopped`) when a newer list is asked for."""
        key = self._key_of(state, store)

        def stop() -> bool:  # (asked while making) a newer list asked for, and not this one again
            return should_stop() and (self._wanted != key or state.filtering)

        with self._lock:
            return self._listing_of(state, store, key, stop)

    def want(self, state: ReaderState, store: AnnotationStore | None) -> None:
        """(the screen's thread, as a worker is asked for it) The list of ``state`` is
        the one wanted now: one being made for the same list goes on (the newer
        request takes it when made), one for another list stops."""
        self._wanted = self._key_of(state, store)

    @staticmethod
    def _key_of(state: ReaderState, store: AnnotationStore | None) -> tuple[int | bool, ...]:
        # the search's ids, not its hits: the same hits with their snippets read (a second
        # answer of the same search) list the same articles
        corpus = state.corpus
        return (id(corpus), len(corpus.articles) if corpus is not None else 0, id(store), state.listing_generation,
                id(getattr(state.hits, "ids", state.hits)), id(state.filter), state.filtering)

    def _listing_of(self, state: ReaderState, store: AnnotationStore | None, key: tuple[int | bool, ...],
                    should_stop: Callable[[], bool]) -> window.Listing:
        corpus = state.corpus
        if corpus is None:
            return window.MetaListing([])
        ids = getattr(state.hits, "ids", state.hits)  # (kept with the listing, so its id is never another's)
        # (a filter reads tags and states, which change without a new generation: made again)
        if (key == self._listing_key and ids is self._listing_ids and self._listing is not None
                and not state.filtering):
            return self._listing
        self._listing, self._listing_ids = None, None  # (its arrays freed before the next are made)
        listing = window.make_listing(corpus, lambda: self.metas(state, store), store, state.filter, state.hits,
                                      should_stop)
        self._listing_key, self._listing, self._listing_ids = key, listing, ids
        return listing

    def metas(self, state: ReaderState, store: AnnotationStore | None) -> list[ArticleMeta]:
        corpus = state.corpus
        if corpus is None:
            return []
        if store is None:
            return list(corpus.articles)
        filtered = state.filtering
        key = (id(corpus), len(corpus.articles), id(store), state.listing_generation)
        if not filtered and key == self._key:
            return self._metas
        listed = listed_metas(corpus.articles, store, state.filter)
        if not filtered:
            self._key, self._metas = key, listed
        return listed


def list_message(state: ReaderState, has_rows: bool) -> str | None:
    """What the list pane says instead of rows (None: it shows rows)."""
    if state.hits is not None and not state.hits:
        return f"No articles match “{clean_line(state.query_text)}”.\nEscape clears the search."
    if not has_rows:
        return f"No articles match the filter ({state.filter.describe()}).\nC or escape clears the filter; F changes it."
    return None


@dataclass(frozen=True)
class StatusFields:
    folder: str
    shown: int | None
    total: int | None
    query: str
    busy: str
    filter_text: str


def status_fields(state: ReaderState, shown_count: int, busy: str = "") -> StatusFields:
    """The status line: counts (``shown`` is the list's count when narrowed)."""
    total = len(state.corpus.articles) if state.corpus is not None else None
    narrowed = state.hits is not None or state.filter != Filter()
    shown = shown_count if narrowed and total is not None else total
    return StatusFields(
        folder=state.root.name or str(state.root),
        shown=shown,
        total=total,
        query=state.query_text,
        busy=busy or state.indexing or state.stories_note,
        filter_text=state.filter.describe(),
    )


def export_filter(state: ReaderState) -> Filter:
    """The list's filter and search, as the export takes them."""
    search = state.query_text.strip() if state.hits is not None else ""
    return replace(state.filter, search=search or None)


# --- which articles an action touches -------------------------------------------------


@dataclass(frozen=True)
class Selection:
    """What the list shows the user: where its cursor is, whether it has the focus,
    and the articles of the marked rows (in list order)."""

    list_focused: bool = False
    highlighted_id: str | None = None
    highlighted_row: ListRow | None = None
    marked_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Targets:
    """The articles an action acts on; ``story`` (and its title) when they are the
    members of the story row in focus."""

    ids: list[str]
    story: Story | None = None
    story_title: str = ""

    def __bool__(self) -> bool:
        return bool(self.ids)


def focused_id(selection: Selection, current_id: str | None) -> str | None:
    """The article in focus: the highlighted row when the list has the focus (or
    nothing is open), else the article open in the reading pane."""
    if selection.list_focused or current_id is None:
        return selection.highlighted_id
    return current_id


def story_row(selection: Selection) -> ListRow | None:
    """The highlighted row when it is a story row and the list has the focus."""
    row = selection.highlighted_row
    if not selection.list_focused or row is None or not row.is_story:
        return None
    return row


def targets(
    selection: Selection, current_id: str | None, *, bulk: bool, title_of: Callable[[str], str]
) -> Targets:
    """``bulk`` actions (t, T, f, u) act on the marked rows, else on every member of
    the story row in focus, else on the article in focus; the others act on the
    article in focus. ``title_of(article_id)`` names a story (its lead's title)."""
    if bulk:
        if selection.marked_ids:
            return Targets(list(selection.marked_ids))
        row = story_row(selection)
        if row is not None and row.story is not None:
            story: Story = row.story
            return Targets(list(story.members), story, title_of(story.lead))
    one = focused_id(selection, current_id)
    return Targets([one] if one is not None else [])


def title_line(meta: ArticleMeta, limit: int = TITLE_MAX) -> str:
    """An article's title for a message (its file when it has none)."""
    return shorten(meta.title, limit) or shorten(meta.id, limit)


def describe(chosen: Targets, title_of: Callable[[str], str]) -> str:
    """How a dialog or a message names the articles: the story, the count of marked
    articles, or the one title (quoted, cut at 50 characters)."""
    ids = chosen.ids
    if chosen.story is not None and set(ids) == set(chosen.story.members):
        return f"the {len(ids)} articles of the story “{chosen.story_title}”"
    if len(ids) != 1:
        return f"{len(ids)} marked articles"
    title = title_of(ids[0])
    return f"“{title[:TITLE_MAX]}{'…' if len(title) > TITLE_MAX else ''}”"


_VERBS = {
    "add tags": "Tagged",
    "remove tags": "Removed the tag from",
    "mark flagged": "Flagged",
    "flag": "Flagged",
    "unflag": "Unflagged",
    "dismiss": "Dismissed",
    "undismiss": "Brought back",
    "mark read": "Marked read",
    "mark unread": "Marked unread",
}


def story_change_note(change: Change, chosen: Targets) -> str | None:
    """What to say after a change made on a story row (None: nothing to add)."""
    story = chosen.story
    if story is None or change.action.startswith("undo"):
        return None
    verb = _VERBS.get(change.action)
    if verb is None or set(change.article_ids) != set(story.members):
        return None
    return f"{verb} {len(story.members)} articles of the story “{chosen.story_title}” (one undo step)."


@dataclass(frozen=True)
class CompareChoice:
    """The articles to compare (the first takes citations) and the story's size;
    or ``refusal``, what to say when there is nothing to compare."""

    ids: list[str] = field(default_factory=list)
    size: int = 0
    refusal: str = ""


def compare_choice(
    selection: Selection, state: ReaderState, title_of: Callable[[str], str]
) -> CompareChoice:
    """``c``: two or more marked rows, else the story of the article in focus."""
    marked = list(selection.marked_ids)
    if len(marked) >= 2:
        return CompareChoice(marked, len(marked))
    if selection.list_focused or state.current_id is None:
        row = selection.highlighted_row
        if row is None:
            return CompareChoice(refusal="No article to compare: choose a story in the list.")
        own = row.story.lead if row.is_story and row.story is not None else row.article_id
    else:
        own = state.current_id
    if state.stories is None:
        if not state.grouping:
            return CompareChoice(refusal="Stories are not grouped (g groups them), or mark two rows (m) to compare them.")
        return CompareChoice(refusal="Stories are still being grouped: try again in a moment.")
    story = state.stories.story_of(own)
    if story is None:
        return CompareChoice(refusal=f"“{title_of(own)}” has no other version in this folder. "
                                     "Mark two or more rows (m) to compare them anyway.")
    return CompareChoice([own, *[m for m in story.members if m != own]], len(story.members))
