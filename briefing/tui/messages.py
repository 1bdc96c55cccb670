"""Every message a worker posts to a screen, as a dataclass (workers never touch widgets).

A worker's result names what it was computed for (the corpus, a key, a token): the
handler drops a result for something since replaced. Progress messages coalesce: a
newer one replaces one still waiting in the queue (:meth:`Message.can_replace`), so a
fast worker cannot flood the screen.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.message import Message

from briefing.annotations.savequeue import SaveStatus
from briefing.corpus.view import CorpusView
from briefing.index.query import SearchHit
from briefing.model import Article, ArticleMeta
from briefing.watch import CorpusWatcher, WatchBatch

if TYPE_CHECKING:
    from briefing.stories import Stories
    from briefing.stories.compare import Comparison
    from briefing.stories.keywords import Keyword
    from briefing.summarize import Summary


@dataclass(frozen=True)
class SummaryKey:
    """What a summary was computed for; a result for another key is stale."""

    article_id: str
    fingerprint: str
    method: str
    length: int
    lang: str | None = None  # the article's effective language (None: detected from the text)


# --- loading the corpus ---------------------------------------------------------------


@dataclass
class CorpusHead(Message):
    """The first page of the list, shown while the index is being refreshed."""

    corpus: CorpusView
    shown: threading.Event = field(default_factory=threading.Event)  # set once the page is drawn


@dataclass
class IndexProgress(Message):
    done: int
    total: int

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, IndexProgress)


@dataclass
class CorpusLoaded(Message):
    corpus: CorpusView
    watcher: CorpusWatcher | None = None  # watching the folder since before the refresh (None: not watched)
    watch_error: str = ""  # why the folder is not watched


@dataclass
class CorpusChanged(Message):
    """The folder watcher saw changes (posted from its thread). Never replaced by a
    newer one: each carries its own update; the screen coalesces the redraws."""

    batch: WatchBatch


@dataclass
class CorpusRescanned(Message):
    """A full refresh after events were lost: the corpus as the index has it now."""

    corpus: CorpusView


@dataclass
class CorpusFailed(Message):
    message: str


# --- reading an article and its summary -------------------------------------------------


@dataclass
class ArticleLoaded(Message):
    article: Article


@dataclass
class ArticleFailed(Message):
    article_id: str
    message: str


@dataclass
class SummaryReady(Message):
    key: SummaryKey
    summary: Summary


@dataclass
class SummaryFailed(Message):
    key: SummaryKey
    message: str


# --- search -------------------------------------------------------------------------------


@dataclass
class SearchDone(Message):
    query: str
    hits: Mapping[str, SearchHit]  # by id, in the query's order (briefing.tui.searching.Hits)
    corpus: CorpusView  # the corpus searched: results for one since replaced are stale


# --- stories and keywords -------------------------------------------------------------------


@dataclass
class StoriesProgress(Message):
    corpus: Any
    done: int
    total: int

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, StoriesProgress) and message.corpus is self.corpus


@dataclass
class StoriesReady(Message):
    corpus: Any
    stories: Stories


@dataclass
class StoriesFailed(Message):
    corpus: Any
    message: str


@dataclass
class KeywordsReady(Message):
    corpus: Any
    article_id: str
    fingerprint: str
    keywords: list[Keyword]


@dataclass
class TagCountsReady(Message):
    corpus: Any
    generation: int
    counts: dict[str, int]


# --- the comparison screen and the export dialog ------------------------------------------


@dataclass
class ComparisonReady(Message):
    token: int
    result: Comparison
    metas: list[ArticleMeta]


@dataclass
class ComparisonFailed(Message):
    token: int
    message: str


@dataclass
class ExportFinished(Message):
    path: Path | None
    count: int
    error: str | None


# --- saving annotations (the SaveQueue's thread) -------------------------------------------


@dataclass
class AnnotationsChecked(Message):
    """The background check of an annotation file opened unverified is done (posted
    from the check's thread; ``store.settle_check()`` applies it)."""

    store: object


@dataclass
class SaveStatusChanged(Message):
    """Where the annotations' saving stands (posted from the save queue's thread)."""

    status: SaveStatus


# --- the app -----------------------------------------------------------------------------


@dataclass
class PreferencesChanged(Message):
    """The reader changed a saved preference; the app writes config.yaml. The one
    route for every preference the reader changes."""

    summary_method: str
    summary_length: int
    group_stories: bool
    compact_list: bool | None = None  # None: unchanged
    layout: str | None = None  # None: unchanged
    timeline_strip: bool | None = None  # None: unchanged (issue 23)


# --- watchlists (issue 16) ----------------------------------------------------------------


@dataclass
class WatchlistsCounted(Message):
    """Every watchlist's matches over the whole corpus (a worker's result)."""

    corpus: Any
    generation: int
    matches: dict[str, frozenset[str]]
    unread: dict[str, int]


@dataclass
class WatchlistsArrived(Message):
    """Articles that arrived or changed (``checked``) and the watchlists each now
    matches (id -> names; an id checked but absent matches none)."""

    corpus: Any
    generation: int
    matches: dict[str, list[str]]
    checked: list[str] = field(default_factory=list)


# --- the composed briefing (issue 17) ---------------------------------------------------------


@dataclass
class BriefSaved(Message):
    """A save of the open briefing ended (the briefing saver's thread):
    a :class:`briefing.tui.features.brief.SaveResult`."""

    result: Any


# --- statistics and the timeline strip (issue 23) -----------------------------------------


@dataclass
class ViewCounted(Message):
    """The counts of what the list shows (a worker's result); ``generation`` names
    the request, so a result overtaken by a newer one is dropped."""

    generation: int
    counts: Any
    millis: float
