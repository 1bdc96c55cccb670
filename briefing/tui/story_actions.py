"""The reader's story keys and background work: grouping, comparison, keywords.

:class:`StoryActions` is mixed into the main screen (before ``AnnotateActions``):

- once the whole corpus is loaded, the stories are grouped in a worker thread
  (``briefing.stories.group_stories``: read back from the index cache when nothing
  changed), with progress in the status line; the list then shows one row per story,
  keeping its cursor and marked rows. ``g`` turns the grouping off and on (saved in
  config.yaml as ``group_stories``);
- ``c`` compares the versions of the story in focus (or the marked rows) in
  :class:`~briefing.tui.screens.compare.CompareScreen`; citing a difference there adds
  a note to the article it was opened from, through the annotation store;
- tagging, flagging or marking read a story row acts on every member of the story in
  one change (one undo step) and says so;
- the reading pane shows the open article's keywords and suggested tags, computed in
  a worker and kept by fingerprint; ``A`` opens the tag dialog filled with them.

Workers only post messages; the handlers here own the state.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import OrderedDict
from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.worker import get_current_worker

from briefing.sanitize import clean_line, shorten

if TYPE_CHECKING:
    from briefing.model import Article

STORY_BINDINGS = [
    Binding("c", "compare", "Compare", id="compare"),
    Binding("g", "toggle_grouping", "Group stories", id="group-stories", show=False),
    Binding("A", "accept_tags", "Accept suggested tags", id="tag-suggested", show=False),
]

KEYWORDS_KEPT = 512  # articles whose keywords are kept (by fingerprint)
KEYWORDS_SHOWN = 4  # keywords on the reader's line
KEYWORDS_DELAY_S = 0.15  # the keywords worker starts once the reader stays this long on an article
PROGRESS_EVERY_S = 0.2
TITLE_MAX = 50


class StoriesProgress(Message):
    def __init__(self, corpus, done: int, total: int) -> None:
        super().__init__()
        self.corpus = corpus
        self.done = done
        self.total = total


class StoriesReady(Message):
    def __init__(self, corpus, stories) -> None:
        super().__init__()
        self.corpus = corpus
        self.stories = stories  # briefing.stories.Stories


class StoriesFailed(Message):
    def __init__(self, corpus, message: str) -> None:
        super().__init__()
        self.corpus = corpus
        self.message = message


class KeywordsReady(Message):
    def __init__(self, corpus, article_id: str, fingerprint: str, keywords: list) -> None:
        super().__init__()
        self.corpus = corpus
        self.article_id = article_id
        self.fingerprint = fingerprint
        self.keywords = keywords


class TagCountsReady(Message):
    def __init__(self, corpus, generation: int, counts: dict) -> None:
        super().__init__()
        self.corpus = corpus
        self.generation = generation
        self.counts = counts


def _close(stats) -> None:
    """Close keyword statistics (an index connection); a failure there changes nothing."""
    close = getattr(stats, "close", None)
    if close is not None:
        with contextlib.suppress(Exception):
            close()


def _title(meta) -> str:
    return shorten(meta.title, TITLE_MAX) or shorten(meta.id, TITLE_MAX)


_VERBS = {
    "add tags": "Tagged",
    "remove tags": "Removed the tag from",
    "mark flagged": "Flagged",
    "mark read": "Marked read",
    "mark unread": "Marked unread",
}


class StoryActions:
    """Mixed into MainScreen (which provides corpus, marks, current_id, store, …)."""

    # --- state (set up lazily: the mixin has no __init__ of its own) -------------

    stories = None  # briefing.stories.Stories of self.corpus, once grouped
    stories_note = ""  # the status line's note while grouping
    _stories_for = None  # the corpus the grouping was started for
    _story_context = None  # (story, title) when the targets of an action are a story row's members
    _keyword_cache: OrderedDict | None = None
    _keyword_stats = None  # (corpus, DocumentStats)
    _keyword_lock: threading.Lock | None = None
    _tag_counts: dict | None = None  # every tag of the corpus with its count (for suggestions)
    _tag_generation = 0  # bumped by each change: counts worked out before it are stale
    _tag_counts_pending = False
    _keywords_shown: tuple[str, list] | None = None  # (fingerprint, keywords) in the pane
    _keywords_timer = None  # starts the keywords worker once the reader stays on an article

    @property
    def grouping(self) -> bool:
        settings = getattr(self.app, "settings", None)
        return bool(getattr(settings, "group_stories", True))

    # --- grouping ------------------------------------------------------------------

    def start_grouping(self) -> None:
        """Group the loaded corpus into stories in a worker (once per corpus)."""
        from briefing.tui.loading import HeadCorpus

        corpus = self.corpus
        if corpus is None or isinstance(corpus, HeadCorpus) or not self.grouping:
            return
        if self._stories_for is corpus:
            return
        self._stories_for = corpus
        self.stories = None
        self.stories_note = "grouping stories…"
        self._status()
        self.run_worker(lambda: self._group(corpus), thread=True, exclusive=True, group="stories",
                        name="group stories", exit_on_error=False)

    def _group(self, corpus) -> None:
        from briefing.stories import Cancelled, group_stories

        worker = get_current_worker()
        last = [0.0]

        def progress(done: int, total: int) -> None:
            now = time.monotonic()
            if total and (done == 0 or done >= total or now - last[0] >= PROGRESS_EVERY_S):
                last[0] = now
                self.post_message(StoriesProgress(corpus, done, total))

        try:
            stories = group_stories(corpus, progress=progress, cancel=lambda: worker.is_cancelled)
        except Cancelled:
            return
        except Exception as exc:  # noqa: BLE001 - grouping is a help, never a reason to stop reading
            if not worker.is_cancelled:
                self.post_message(StoriesFailed(corpus, f"{type(exc).__name__}: {exc}"))
            return
        if not worker.is_cancelled:
            self.post_message(StoriesReady(corpus, stories))

    def on_stories_progress(self, message: StoriesProgress) -> None:
        if message.corpus is not self._stories_for or self.stories is not None or not self.grouping:
            return  # stale: grouping was turned off (the worker stops at its next batch)
        self.stories_note = f"grouping stories {message.done:,}/{message.total:,}"
        self._status()

    def on_stories_ready(self, message: StoriesReady) -> None:
        if message.corpus is not self.corpus or not self.grouping:
            return  # a result for a corpus since replaced, or grouping turned off meanwhile
        self.stories = message.stories
        self.stories_note = ""
        if self.corpus.articles:
            self._show_list()
        else:
            self._status()

    def on_stories_failed(self, message: StoriesFailed) -> None:
        if message.corpus is not self.corpus:
            return
        self.stories_note = ""
        self._status()
        self.app.notify(clean_line(message.message), title="Stories not grouped", severity="warning",
                        timeout=8, markup=False)

    def shown_stories(self):
        """The stories the list groups by (None when grouping is off or not ready)."""
        return self.stories if self.grouping else None

    def action_toggle_grouping(self) -> None:
        settings = getattr(self.app, "settings", None)
        on = not self.grouping
        if settings is not None:
            settings.group_stories = on
            save = getattr(self.app, "_save", None)
            if save is not None:
                save()
        if on:
            self.app.notify("Stories grouped: one row per story." if self.stories is not None
                            else "Grouping stories…", timeout=3, markup=False)
            if self.stories is None:
                self._stories_for = None
                self.start_grouping()
        else:
            self.workers.cancel_group(self, "stories")
            if self.stories is None:
                self._stories_for = None
                self.stories_note = ""
            self.app.notify("Stories not grouped: one row per article.", timeout=3, markup=False)
        if self.corpus is not None and self.corpus.articles:
            self._show_list()

    def read_story(self, ids) -> None:
        """Opening a story row reads the story: every version is marked read (in
        memory at once, written with the other read marks). A version added later
        comes in unread, and the story row shows ● again."""
        if not ids:
            return
        from briefing.tui.widgets.article_list import ArticleList

        for article_id in ids:
            self.marks.mark_read(article_id)
        articles = self.query_one(ArticleList)
        for article_id in ids:
            articles.refresh_row(article_id)
        self._schedule_read_flush()

    # --- which articles: a story row stands for all its members ----------------------

    def _story_row(self):
        """The list's highlighted row when it is a story row and the list has the focus."""
        from briefing.tui.widgets.article_list import ArticleList

        articles = self.query_one(ArticleList)
        if not articles.has_focus:
            return None
        row = articles.highlighted_row
        return row if row is not None and row.is_story else None

    def _targets(self, bulk: bool) -> list[str]:
        from briefing.tui.widgets.article_list import ArticleList

        self._story_context = None
        if bulk and not self.query_one(ArticleList).marked_ids:
            row = self._story_row()
            if row is not None:
                self._story_context = (row.story, _title(self.shown_meta(self.corpus.get(row.story.lead))))
                return list(row.story.members)
        return super()._targets(bulk)

    def _describe(self, ids: list[str]) -> str:
        context = self._story_context
        if context is not None and set(ids) == set(context[0].members):
            return f"the {len(ids)} articles of the story “{context[1]}”"
        return super()._describe(ids)

    def apply_change(self, do, *, reorder: bool = True):
        change = super().apply_change(do, reorder=reorder)
        context, self._story_context = self._story_context, None
        if change is not None and context is not None and not change.action.startswith("undo"):
            story, title = context
            verb = _VERBS.get(change.action)
            before = [getattr(change.before.get(i), "status", None) for i in change.article_ids]
            if change.action == "mark read" and before and all(b == "flagged" for b in before):
                verb = "Unflagged"  # f on a flagged story: set to read, which is an unflag
            if verb is not None and set(change.article_ids) == set(story.members):
                self.app.notify(f"{verb} {len(story.members)} articles of the story “{title}” (one undo step).",
                                timeout=4, markup=False)
        return change

    def after_change(self, ids: list[str], *, reorder: bool = True) -> None:
        self._tag_counts = None  # tags may have changed: suggestions are computed again
        self._tag_generation += 1
        self._tag_counts_pending = False
        super().after_change(ids, reorder=reorder)  # redraws story rows too (ArticleList.refresh_row)
        if self.current_id in ids and self._keywords_shown is not None:
            self._show_keywords(*self._keywords_shown)

    # --- compare -------------------------------------------------------------------

    def _compare_ids(self) -> tuple[list[str], int] | None:
        """The articles to compare, the one whose notes take citations first, and
        the size of the story (None after saying why there is nothing to compare)."""
        from briefing.tui.widgets.article_list import ArticleList

        articles = self.query_one(ArticleList)
        marked = articles.marked_ids
        if len(marked) >= 2:
            return marked, len(marked)
        stories = self.stories
        if articles.has_focus or self.current_id is None:
            row = articles.highlighted_row
            if row is None:
                self._refuse("No article to compare: choose a story in the list.")
                return None
            own = row.story.lead if row.is_story else row.article_id
        else:
            own = self.current_id
        if stories is None:
            if not self.grouping:
                self._refuse("Stories are not grouped (g groups them), or mark two rows (m) to compare them.")
            else:
                self._refuse("Stories are still being grouped: try again in a moment.")
            return None
        story = stories.story_of(own)
        if story is None:
            meta = self.corpus.get(own)
            self._refuse(f"“{_title(self.shown_meta(meta))}” has no other version in this folder. "
                         "Mark two or more rows (m) to compare them anyway.")
            return None
        return [own, *[m for m in story.members if m != own]], len(story.members)

    def action_compare(self) -> None:
        from briefing.tui.screens.compare import CompareScreen

        if self.corpus is None:
            return
        found = self._compare_ids()
        if found is None:
            return
        ids, size = found
        metas = []
        for article_id in ids:
            try:
                metas.append(self.shown_meta(self.corpus.get(article_id)))
            except KeyError:
                continue
        if len(metas) < 2:
            self._refuse("Fewer than two of these articles are still in the folder.")
            return
        self.app.push_screen(CompareScreen(self.corpus, metas, cite_into=self.cite_into, story_size=size))

    def cite_into(self, article_id: str, text: str) -> bool:
        """Add ``text`` as a note of ``article_id`` (undoable); say where it went."""
        store = self._writable_store()
        if store is None:
            return False
        change = self.apply_change(lambda: store.add_note(article_id, text), reorder=False)
        if change is None:
            return False
        try:
            meta = self.shown_meta(self.corpus.get(article_id))
            count = len(store.get(article_id).notes)
        except KeyError:
            return True
        self.app.notify(f"Cited in note {count} of “{_title(meta)}” (back in the reader, ctrl+z undoes it).",
                        title="Note added", timeout=5, markup=False)
        return True

    # --- keywords ------------------------------------------------------------------

    def request_keywords(self, article: Article) -> None:
        """Show the keywords of ``article`` (the open one): from the cache, or from a
        worker. Nothing while only the first page of a big folder is known."""
        from briefing.tui.loading import HeadCorpus
        from briefing.tui.widgets.reader import Reader

        self._keywords_shown = None
        reader = self.query_one(Reader)
        if self._keywords_timer is not None:
            self._keywords_timer.stop()
            self._keywords_timer = None
        corpus = self.corpus
        if corpus is None or isinstance(corpus, HeadCorpus):
            reader.show_keywords(None)
            return
        # The line keeps its row while the keywords are worked out: no second layout.
        reader.show_keywords(Content.styled("Keywords …", "dim"))
        if self._keyword_cache is None:
            self._keyword_cache = OrderedDict()
            self._keyword_lock = threading.Lock()
        from briefing.stories.keywords import keywords_key

        key = keywords_key(article)  # title + body + version: not the body's fingerprint alone (issue 22, item 5)
        cached = self._keyword_cache.get(key)
        if cached is not None:
            self._keyword_cache.move_to_end(key)
            self._show_keywords(key, cached)
            return
        def start() -> None:
            self._keywords_timer = None
            if self.current_article is not article:
                return  # moved on: the next article asked for its own
            self.run_worker(lambda: self._keywords(corpus, article), thread=True, exclusive=True, group="keywords",
                            name="keywords", exit_on_error=False)

        # A moment after the article opens, so that paging through articles does not
        # run a keywords worker per keypress, competing with the summary for the CPU.
        self._keywords_timer = self.set_timer(KEYWORDS_DELAY_S, start)

    def _stats_for(self, corpus):
        with self._keyword_lock:
            held = self._keyword_stats
            if held is not None and held[0] is corpus:
                return held[1]
            from briefing.stories.keywords import document_stats

            stats = document_stats(corpus)
            old, self._keyword_stats = held, (corpus, stats)
        if old is not None:
            _close(old[1])
        return stats

    def _keywords(self, corpus, article: Article) -> None:
        from briefing.stories.keywords import keywords_for, keywords_key

        worker = get_current_worker()
        try:
            stats = self._stats_for(corpus)
            if worker.is_cancelled:
                return
            found = keywords_for(article, stats, limit=KEYWORDS_SHOWN)
        except Exception:  # noqa: BLE001 - keywords are a help: the pane just shows none
            return
        if not worker.is_cancelled:
            self.post_message(KeywordsReady(corpus, article.id, keywords_key(article), found))

    def on_keywords_ready(self, message: KeywordsReady) -> None:
        if message.corpus is not self.corpus or self._keyword_cache is None:
            return
        self._keyword_cache[message.fingerprint] = message.keywords
        while len(self._keyword_cache) > KEYWORDS_KEPT:
            self._keyword_cache.popitem(last=False)
        article = self.current_article
        from briefing.stories.keywords import keywords_key

        if article is not None and article.id == message.article_id and keywords_key(article) == message.fingerprint:
            self._show_keywords(message.fingerprint, message.keywords)

    def _counts_or_start(self) -> dict | None:
        """The corpus's tag counts, or None after starting a worker for them: counting
        every article's tags takes ~80 ms at 100k articles, too long for the UI thread
        after every change."""
        if self._tag_counts is not None or self._tag_counts_pending:
            return self._tag_counts
        store, corpus, generation = self.store, self.corpus, self._tag_generation
        self._tag_counts_pending = True

        def count() -> None:
            counts = store.tag_counts(corpus.articles)
            self.post_message(TagCountsReady(corpus, generation, counts))

        self.run_worker(count, thread=True, exclusive=True, group="tag-counts", name="tag counts",
                        exit_on_error=False)
        return None

    def on_tag_counts_ready(self, message: TagCountsReady) -> None:
        if message.corpus is not self.corpus or message.generation != self._tag_generation:
            return  # counted before a change: the change started a new count
        self._tag_counts = message.counts
        self._tag_counts_pending = False
        if self._keywords_shown is not None:
            self._show_keywords(*self._keywords_shown)

    def suggested_tags(self, keywords: list, *, wait: bool = False) -> list[str]:
        """Tags to suggest; without ``wait``, none until the corpus's tag counts are
        known (the line is redrawn when they are)."""
        from briefing.stories.keywords import suggest_tags

        store = self.store
        if store is None or self.corpus is None or self.current_id is None:
            return []
        if self._tag_counts is None and wait:
            self._tag_counts = store.tag_counts(self.corpus.articles)
        elif self._counts_or_start() is None:
            return []
        try:
            meta = self.corpus.get(self.current_id)
        except KeyError:
            return []
        return suggest_tags(keywords, self._tag_counts, store.tags(meta))

    def _show_keywords(self, fingerprint: str, keywords: list) -> None:
        from briefing.tui.keys import key_display
        from briefing.tui.widgets.keywords import keywords_content
        from briefing.tui.widgets.reader import Reader

        self._keywords_shown = (fingerprint, keywords)
        suggested = self.suggested_tags(keywords)
        keymap = getattr(self.app, "keymap", {})
        keys = keymap.get("tag-suggested", "A").split(",")
        shown = key_display(self.app, tuple(k.strip() for k in keys[:1] if k.strip()))
        self.query_one(Reader).show_keywords(keywords_content(keywords, suggested, shown))

    def action_accept_tags(self) -> None:
        from briefing.tui.screens.tags import TagScreen

        if self.corpus is None:
            return
        if self.current_id is None or self._keywords_shown is None:
            self._refuse("Open an article first: A adds the tags suggested under its details.")
            return
        suggested = self.suggested_tags(self._keywords_shown[1], wait=True)
        if not suggested:
            self._refuse("No tags to suggest for this article.")
            return
        store = self._writable_store()
        if store is None:
            return
        article_id = self.current_id
        self._story_context = None

        def done(tags: list[str] | None) -> None:
            if tags:
                self.apply_change(lambda: store.add_tags([article_id], tags), reorder=self.filtering)

        what = self._describe([article_id])
        self.app.push_screen(TagScreen(what, store.all_tags(self.corpus.articles), initial=", ".join(suggested)), done)

    def close_story_work(self) -> None:
        """The screen is closing: release the keyword statistics (an index connection)."""
        held, self._keyword_stats = self._keyword_stats, None
        if held is not None:
            _close(held[1])
