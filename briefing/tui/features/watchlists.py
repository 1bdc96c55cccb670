"""Watchlists in the reader (issue 16): the panel (``w``), live counts, the list
narrowed to a watchlist, a notification when a new article matches, and the
automatic tags.

- The watchlists file is read when the full corpus is there (and again each time
  the panel opens); its problems are shown in the panel, plain text, and the rest
  of the reader keeps working.
- Counting runs in a thread worker (:func:`count_worker`), which posts
  :class:`~briefing.tui.messages.WatchlistsCounted`; a new file is checked in
  another (:func:`arrival_worker`) that reads only the new articles and posts
  :class:`~briefing.tui.messages.WatchlistsArrived`. The live feature tells this one
  what arrived (:meth:`Watchlists.corpus_changed`).
- Choosing a watchlist sets the list filter's ``watchlist`` (shown in the status
  line's filter text, cleared with the rest of the filter by ``C``/escape; choosing
  it again takes it off).
- The watchlists' tags are applied to what they match, as automatic tags (never
  one the analyst removed from that article); ``delete`` in the panel takes a
  watchlist's automatic tags off every article and stops it applying them,
  ``backspace`` takes every automatic tag off the open article.

Every evaluation goes through :mod:`briefing.watchlists.evaluate` (via
:mod:`briefing.watchlists.run`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol

from textual import work
from textual.screen import Screen

from briefing.sanitize import clean_line
from briefing.tui.features.host import AnnotationsHost
from briefing.tui.loading import HeadCorpus
from briefing.tui.messages import WatchlistsArrived, WatchlistsCounted
from briefing.tui.widgets.watchlists_panel import PanelRow, WatchlistsPanel
from briefing.watchlists import Watchlist, WatchlistError, WatchlistStore
from briefing.watchlists.run import apply_tags, counts, match_all, matches_of, remove_watchlist_tags

if TYPE_CHECKING:
    from briefing.annotations import AnnotationStore
    from briefing.model import ArticleMeta
    from briefing.tui.features.search import Search

NOTIFY_TITLES = 3  # titles named in one arrival notification
TAG_RETRY_S = 0.2  # a new file's automatic tags wait until the store knows the article
TAG_RETRIES = 25


@work(thread=True, exclusive=True, group="watchlists", exit_on_error=False, description="count watchlists")
def count_worker(screen: Screen[Any], corpus: Any, watchlists: list[Watchlist], store: AnnotationStore | None,
                 generation: int) -> None:
    matches = match_all(watchlists, corpus, store)
    unread = {c.name: c.unread for c in counts(matches, store).values()}
    screen.post_message(WatchlistsCounted(corpus, generation, {n: frozenset(i) for n, i in matches.items()}, unread))


@work(thread=True, group="watchlists-new", exit_on_error=False, description="check new articles")
def arrival_worker(screen: Screen[Any], corpus: Any, ids: list[str], watchlists: list[Watchlist],
                   store: AnnotationStore | None, generation: int) -> None:
    found: dict[str, list[str]] = {}
    for article_id in ids:
        try:
            meta = corpus.get(article_id)
            body = corpus.article(article_id).body
        except Exception:  # noqa: BLE001 - gone or unreadable meanwhile: matches nothing
            continue
        names = matches_of(watchlists, meta, body, store)
        if names:
            found[article_id] = names
    screen.post_message(WatchlistsArrived(corpus, generation, found, list(ids)))


def mark_auto_tags(meta: ArticleMeta, store: AnnotationStore | None) -> ArticleMeta:
    """``meta`` (as shown) with the automatic tags written ``+tag``, after the others."""
    if store is None:
        return meta
    auto = store.get(meta.id).auto_tags
    if not auto:
        return meta
    shown = {*auto, *(clean_line(t) for t in auto)}  # effective_meta's tags are display-clean
    own = tuple(t for t in meta.tags if t not in shown)
    return replace(meta, tags=(*own, *(f"+{clean_line(t)}" for t in auto)))


class WatchHost(AnnotationsHost, Protocol):
    search: Search


class Watchlists:
    def __init__(self, host: WatchHost) -> None:
        self.host = host
        self.store: WatchlistStore | None = None
        self.problem = ""  # the file could not be opened at all
        self.matches: dict[str, set[str]] = {}
        self.unread: dict[str, int] = {}
        self.counted_corpus: Any = None
        self.generation = 0
        self._untagged: dict[str, set[str]] = {}  # matches of new files the store does not know yet
        self._retries = 0

    # --- the file -----------------------------------------------------------------------

    @property
    def panel(self) -> WatchlistsPanel:
        return self.host.node.query_one(WatchlistsPanel)

    def _open(self) -> None:
        if self.store is None:
            try:
                self.store = WatchlistStore(self.host.state.root)
                self.problem = ""
            except OSError as exc:
                self.problem = f"Watchlists cannot be opened: {exc}"
        elif self.store.reload():
            self.counted_corpus = None

    @property
    def watchlists(self) -> list[Watchlist]:
        store = self.store
        return [store.watchlists[n] for n in store.names()] if store is not None else []

    def loaded(self) -> None:
        """The full corpus is there: read the watchlists and count (for the panel and
        to know what a new file adds)."""
        self._open()
        if self.watchlists:
            self.count()

    # --- counting -------------------------------------------------------------------------

    def count(self) -> None:
        corpus = self.host.state.corpus
        if corpus is None or isinstance(corpus, HeadCorpus):
            return  # counted once the full corpus is there
        self.generation += 1
        count_worker(self.host.node, corpus, self.watchlists, self.host.store, self.generation)

    def counted(self, message: WatchlistsCounted) -> None:
        if message.generation != self.generation or message.corpus is not self.host.state.corpus:
            return
        self.counted_corpus = message.corpus
        self.matches = {n: set(ids) for n, ids in message.matches.items()}
        self.unread = dict(message.unread)
        self._apply_tags(self.matches)
        self._refilter()
        self.draw()

    def corpus_changed(self, checked: list[str], removed: list[str] | tuple[str, ...] = (),
                       renamed: list[tuple[str, str]] | tuple[()] = ()) -> None:
        """Files arrived, changed, went or were renamed (the live feature's batch,
        already applied to the corpus): the new and changed ones are checked in a
        worker; removed ones leave the counts at once; a renamed one keeps its matches."""
        for ids in self.matches.values():
            for article_id in removed:
                ids.discard(article_id)
            for old, new in renamed:
                if old in ids:
                    ids.discard(old)
                    ids.add(new)
        if (removed or renamed) and self.matches:
            self._recount_unread()
        lists = self.watchlists
        corpus = self.host.state.corpus
        if checked and lists and corpus is not None and self.counted_corpus is not None:
            arrival_worker(self.host.node, corpus, list(checked), lists, self.host.store, self.generation)
        elif removed or renamed:
            self._refilter()
            self.draw()

    def arrived(self, message: WatchlistsArrived) -> None:
        if message.generation != self.generation or message.corpus is not self.host.state.corpus:
            return
        store = self.host.store
        per_list: dict[str, list[str]] = {}
        left = False
        for article_id in message.checked:
            names = message.matches.get(article_id, [])
            for name, ids in self.matches.items():
                if name in names and article_id not in ids:
                    ids.add(article_id)
                    per_list.setdefault(name, []).append(article_id)
                elif name not in names and article_id in ids:  # changed and no longer matching
                    ids.discard(article_id)
                    left = True
        if not per_list and not left:
            return
        self._recount_unread()
        app, corpus = self.host.node.app, self.host.state.corpus
        for name, arrived in per_list.items():
            titles = []
            for article_id in arrived[:NOTIFY_TITLES]:
                try:
                    titles.append(f"“{clean_line(corpus.get(article_id).title) if corpus else article_id}”")
                except KeyError:
                    titles.append(clean_line(article_id))
            more = f" and {len(arrived) - NOTIFY_TITLES} more" if len(arrived) > NOTIFY_TITLES else ""
            what = "a new article" if len(arrived) == 1 else f"{len(arrived)} new articles"
            app.notify(f"Watchlist “{clean_line(name)}”: {what}: {', '.join(titles)}{more}", title="Watchlist",
                       timeout=8, markup=False)
        if store is not None and per_list:
            self._apply_tags({n: set(ids) for n, ids in per_list.items()})
        self._refilter()
        self.draw()

    def _recount_unread(self) -> None:
        self.unread = {c.name: c.unread for c in counts(self.matches, self.host.store).values()}

    def _apply_tags(self, matches: dict[str, set[str]]) -> None:
        store = self.host.store
        lists = [w for w in self.watchlists if w.tags]
        if store is None or store.read_only or not lists:
            return
        known = {n: {i for i in ids if store.knows(i)} for n, ids in matches.items()}
        for name, ids in matches.items():
            later = ids - known[name]
            if later:  # a file just arrived: the store learns of it at the next redraw
                self._untagged.setdefault(name, set()).update(later)
        if any(known.values()):
            self.host.apply_change(lambda: apply_tags(lists, known, store), reorder=self.host.state.filtering)
        if self._untagged and self._retries < TAG_RETRIES:
            self._retries += 1
            self.host.node.set_timer(TAG_RETRY_S, self._tag_later)
        elif not self._untagged:
            self._retries = 0

    def _tag_later(self) -> None:
        waiting, self._untagged = self._untagged, {}
        if waiting:
            self._apply_tags(waiting)

    # --- the panel ----------------------------------------------------------------------

    def toggle(self) -> None:
        panel = self.panel
        if panel.display:
            panel.display = False
            if self.host.articles.display:
                self.host.articles.focus()
            return
        panel.display = True
        self._open()
        self.draw()
        panel.options.focus()
        if self.watchlists:
            self.count()  # fresh counts (read states changed meanwhile)

    def draw(self) -> None:
        panel = self.panel
        if not panel.display:
            return
        active = self.host.state.filter.watchlist
        counted = self.counted_corpus is not None and self.counted_corpus is self.host.state.corpus
        rows = [
            PanelRow(w.name, self.unread.get(w.name) if counted else None,
                     len(self.matches.get(w.name, ())) if counted else None, w.tags, w.name == active)
            for w in self.watchlists
        ]
        problems = [*self.store.problems, *self.store.conflict_notes] if self.store is not None else []
        panel.show_rows(rows, "\n".join([*([self.problem] if self.problem else []), *problems]))

    def choose(self, name: str) -> None:
        """Narrow the list to ``name``'s matches; the same one again takes it off."""
        host = self.host
        flt = host.state.filter
        if flt.watchlist == name:
            host.search.set_filter(replace(flt, watchlist=None, watchlist_ids=None))
        elif name not in self.matches:
            host.node.app.notify("Still counting; choose it again in a moment.", timeout=3, markup=False)
            return
        else:
            host.search.set_filter(replace(flt, watchlist=name, watchlist_ids=frozenset(self.matches[name])))
        self.draw()

    def select(self, name: str) -> None:
        """Narrow the list to ``name``'s matches (the palette's "Saved filter: NAME")."""
        if self.host.state.filter.watchlist != name:
            self.choose(name)

    def saved_filters(self) -> list[tuple[str, Callable[[], object]]]:
        """One ``(name, apply)`` pair a watchlist, for the command palette."""
        self._open()
        return [(w.name, partial(self.select, w.name)) for w in self.watchlists]

    def _refilter(self) -> None:
        host = self.host
        flt = host.state.filter
        if flt.watchlist is None:
            return
        ids = frozenset(self.matches.get(flt.watchlist, ()))
        if ids != flt.watchlist_ids:
            host.search.set_filter(replace(flt, watchlist_ids=ids))

    # --- automatic tags off ---------------------------------------------------------------

    def untag_watchlist(self) -> None:
        """The highlighted watchlist's automatic tags off every article, and not applied
        again (its tags are cleared in the file; its query stays)."""
        panel, host = self.panel, self.host
        name = panel.highlighted_name if panel.display else host.state.filter.watchlist
        if name is None or self.store is None or name not in self.store.watchlists:
            host.node.app.bell()
            return
        watchlist = self.store.get(name)
        if not watchlist.tags:
            host.node.app.notify(f"“{clean_line(name)}” applies no tags.", timeout=3, markup=False)
            return
        store = host.writable_store()
        if store is None:
            return
        try:
            self.store.set_tags(name, [])
        except WatchlistError as exc:
            host.refuse(str(exc))
            return
        change = host.apply_change(lambda: remove_watchlist_tags(watchlist, store), reorder=host.state.filtering)
        count = len(change.article_ids) if change is not None else 0
        host.node.app.notify(f"Automatic tags of “{clean_line(name)}” removed from {count} article(s); "
                             "it no longer applies them.", timeout=5, markup=False)
        self.draw()

    def untag_article(self) -> None:
        """Every automatic tag off the open article (remembered: never applied again)."""
        host = self.host
        article_id = host.state.current_id
        store = host.store
        if article_id is None or store is None or not store.get(article_id).auto_tags:
            host.node.app.bell()
            return
        if host.writable_store() is None:
            return
        gone = store.get(article_id).auto_tags
        host.apply_change(lambda: store.remove_auto_tags(article_id), reorder=host.state.filtering)
        host.node.app.notify(f"Automatic tags removed: {', '.join(clean_line(t) for t in gone)}", timeout=4,
                             markup=False)
