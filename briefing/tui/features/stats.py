"""The timeline strip (``G``) and the statistics view (``S``), issue 23.

Both show the counts of what the list shows (search, filter, watchlist, dismissed
hidden), computed in a worker (:func:`count_worker`), never on the UI thread: with
no search and at most a date filter through the index's SQL aggregates
(:func:`briefing.stats.count_view`), else from the listed articles' metadata; the
annotations correct both. A recount is asked for whenever the list is drawn again
(a search, a filter, an annotation that reorders, articles arriving through the
live feature): :meth:`StatsFeature.list_changed`, debounced; a result overtaken by a
newer request is dropped.

Narrowing (the strip's enter/space/d, or a dates row of the statistics view) sets
the list filter's ``since``/``until`` -- so the filter line shows it and every other
feature honours it -- and pushes the previous filter on a small undo stack
(backspace or ctrl+z in the strip). The strip's visibility is saved as
``timeline_strip`` in config.yaml.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from textual import work
from textual.dom import DOMNode
from textual.timer import Timer
from textual.worker import get_current_worker

from briefing.annotations.filter import Filter
from briefing.listing.window import make_listing
from briefing.stats import Counts, count_view, timeline
from briefing.tui import state as view
from briefing.tui.features.host import AnnotationsHost
from briefing.tui.messages import PreferencesChanged, ViewCounted
from briefing.tui.screens.stats import Choice, StatsScreen
from briefing.tui.widgets.timeline_strip import StripData, TimelineStrip

RECOUNT_DELAY_S = 0.12  # a burst of list redraws (typing a search) makes one count
STACK_TOP = 5
STACK_MODES = ("", "tag", "watchlist")
UNDO_DEPTH = 50


def view_ids(state: view.ReaderState, store: Any) -> list[str] | None:
    """The ids the list shows, or None when it shows the whole corpus but for dismissed
    articles and a date filter (then the index's aggregates answer)."""
    flt = state.filter
    plain = not (flt.tags or flt.statuses or flt.watchlist_ids is not None)
    if state.hits is None and plain:
        return None
    if state.corpus is None:
        return []
    corpus = state.corpus
    listing = make_listing(corpus, lambda: view.listed_metas(corpus.articles, store, flt), store, flt, state.hits)
    return list(listing.ids())


def count_now(state: view.ReaderState, store: Any, stack: str = "",
              watch: Mapping[str, set[str]] | None = None) -> tuple[Counts, tuple[tuple[str, dict[Any, int]], ...]]:
    """The counts of the list (and, stacked, each row's days). Any thread."""
    corpus, flt = state.corpus, state.filter
    if corpus is None:
        return Counts(), ()
    doc = store.document if store is not None else None
    ids = view_ids(state, store)
    if ids is None:
        counts = count_view(corpus, doc, since=flt.since, until=flt.until, show_dismissed=flt.show_dismissed,
                            tag_days=stack == "tag")
    else:
        counts = count_view(corpus, doc, ids, tag_days=stack == "tag")
    rows: list[tuple[str, dict[Any, int]]] = []
    if stack == "tag" and counts.tag_days is not None:
        top = [t for t, _n in counts.top("tags", STACK_TOP)]
        rows = [(t, dict(counts.tag_days[t])) for t in top if t in counts.tag_days]
    elif stack == "watchlist" and watch:
        shown = set(ids) if ids is not None else None
        sized = []
        for name, matched in watch.items():
            chosen = [i for i in matched if (i in shown if shown is not None else _in_view(corpus, doc, i, flt))]
            if chosen:
                sized.append((name, count_view(corpus, doc, chosen)))
        sized.sort(key=lambda nc: (-nc[1].total, nc[0]))
        rows = [(name, dict(c.days)) for name, c in sized[:STACK_TOP]]
    if rows:
        covered: dict[Any, int] = {}
        for _label, days in rows:
            for day, n in days.items():
                covered[day] = covered.get(day, 0) + n
        if stack == "tag":  # an article has several tags: "other" is those with none of the top ones
            other = {d: n for d, n in _untagged_days(corpus, doc, ids, flt, {r[0] for r in rows}).items() if n}
        else:
            other = {d: max(0, n - covered.get(d, 0)) for d, n in counts.days.items()}
        rows.append(("other", other))
    return counts, tuple(rows)


def _in_view(corpus: Any, doc: Any, article_id: str, flt: Filter) -> bool:
    try:
        meta = corpus.get(article_id)
    except KeyError:
        return False
    notes = doc.articles.get(article_id) if doc is not None else None
    if notes is not None and notes.dismissed and not flt.show_dismissed:
        return False
    date = (notes.date if notes is not None else None) or meta.date
    if flt.since is None and flt.until is None:
        return True
    return date is not None and (flt.since is None or date >= flt.since) and (flt.until is None or date <= flt.until)


def _untagged_days(corpus: Any, doc: Any, ids: list[str] | None, flt: Filter, top: set[str]) -> dict[Any, int]:
    """Days of the view's articles that carry none of the ``top`` tags."""
    out: dict[Any, int] = {}
    chosen = ids if ids is not None else [m.id for m in corpus.articles if _in_view(corpus, doc, m.id, flt)]
    for article_id in chosen:
        try:
            meta = corpus.get(article_id)
        except KeyError:
            continue
        notes = doc.articles.get(article_id) if doc is not None else None
        tags = set(meta.tags) | (set(notes.tags) | set(notes.auto_tags) if notes is not None else set())
        date = (notes.date if notes is not None else None) or meta.date
        if date is not None and not tags & top:
            out[date] = out.get(date, 0) + 1
    return out


@work(thread=True, exclusive=True, group="stats", exit_on_error=False, description="count the view")
def count_worker(node: DOMNode, generation: int, snapshot: view.ReaderState, store: Any, stack: str,
                 watch: Mapping[str, set[str]] | None) -> None:
    worker = get_current_worker()
    started = time.perf_counter()
    try:
        counts, rows = count_now(snapshot, store, stack, watch)
    except Exception as exc:  # noqa: BLE001 - a count must never take the reader down
        node.app.call_from_thread(node.app.notify, f"Counting failed: {exc}", severity="warning", markup=False)
        return
    if not worker.is_cancelled:
        node.post_message(ViewCounted(generation, (counts, rows), (time.perf_counter() - started) * 1000))


class StatsFeature:
    def __init__(self, host: AnnotationsHost, set_filter: Callable[[Filter], None],
                 search_for: Callable[[str], None], watch_matches: Callable[[], Mapping[str, set[str]]]) -> None:
        self.host = host
        self.set_filter = set_filter
        self.search_for = search_for
        self.watch_matches = watch_matches
        self.shown = False
        self.stack = ""
        self.generation = 0
        self.counts: Counts | None = None
        self.rows: tuple[tuple[str, dict[Any, int]], ...] = ()
        self.millis = 0.0  # how long the last count took (in its worker)
        self.undo_stack: list[Filter] = []
        self._timer: Timer | None = None
        self._screen: StatsScreen | None = None

    @property
    def strip(self) -> TimelineStrip:
        return self.host.node.query_one(TimelineStrip)

    @property
    def wanted(self) -> bool:
        """Someone looks at the counts: the strip is shown or the statistics view is open."""
        return self.shown or self._screen is not None

    # --- G and S ---------------------------------------------------------------------------

    def start(self, shown: bool) -> None:
        self.shown = shown
        self.strip.display = shown

    def toggle(self) -> None:
        """``G``: hidden → shown and focused; shown elsewhere → focused; focused → hidden."""
        strip = self.strip
        if self.shown and not strip.has_focus:
            strip.focus()
            return
        self.shown = not self.shown
        strip.display = self.shown
        node = self.host.node
        state = self.host.state
        node.post_message(PreferencesChanged(state.method, state.length, state.grouping, timeline_strip=self.shown))
        if self.shown:
            strip.focus()
            self.list_changed()
        elif self.host.articles.display:
            self.host.articles.focus()

    def open_screen(self) -> None:
        """``S``: the statistics view of what the list shows."""
        if self.host.state.corpus is None:
            self.host.node.app.bell()
            return
        screen = StatsScreen(self.counts if self._fresh else None, self.describe())
        self._screen = screen

        def done(choice: Choice | None) -> None:
            self._screen = None
            if choice is not None:
                self.choose(choice)

        self.host.node.app.push_screen(screen, done)
        if not self._fresh:
            self.recount()

    _fresh = False  # the counts held are those of the list as it is now

    def describe(self) -> str:
        state = self.host.state
        parts = []
        if state.searched:
            parts.append(f"search “{state.searched}”")
        if state.filter.describe():
            parts.append(state.filter.describe())
        return "; ".join(parts) or "every article (dismissed hidden)"

    # --- counting --------------------------------------------------------------------------

    def list_changed(self) -> None:
        """The list was drawn again: count again soon (once for a burst)."""
        self._fresh = False
        if not self.wanted:
            return
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.host.node.set_timer(RECOUNT_DELAY_S, self.recount)

    def recount(self) -> None:
        self._timer = None
        state = self.host.state
        if state.corpus is None:
            return
        self.generation += 1
        snapshot = replace(state)  # the fields as they are now; the worker reads no live state
        watch = {n: set(i) for n, i in self.watch_matches().items()} if self.stack == "watchlist" else None
        count_worker(self.host.node, self.generation, snapshot, self.host.store, self.stack, watch)

    def counted(self, message: ViewCounted) -> None:
        if message.generation != self.generation:
            return  # overtaken by a newer request
        self.counts, self.rows = message.counts
        self.millis = message.millis
        self._fresh = True
        self._draw()
        if self._screen is not None and self._screen.is_attached:
            self._screen.show_counts(self.counts)

    def _draw(self) -> None:
        counts = self.counts
        if counts is None:
            return
        line = timeline(counts.days)
        aligned = []
        for label, days in self.rows:  # each stacked row on the total's buckets
            per = [0] * len(line)
            for day, n in days.items():
                i = line.index_of(day)
                if i is not None:
                    per[i] += n
            aligned.append((label, tuple(per)))
        self.strip.show(StripData(line, counts.undated, tuple(aligned), self.stack), self._marked_day())

    def _marked_day(self) -> Any:
        article_id = self.host.articles.highlighted_id
        if article_id is None or self.host.state.corpus is None:
            return None
        try:
            meta = self.host.state.corpus.get(article_id)
        except KeyError:
            return None
        store = self.host.store
        return store.effective_date(meta) if store is not None else meta.date

    def moved(self) -> None:
        """The list's cursor moved: mark its article's date on the strip."""
        if self.shown and self.counts is not None:
            self.strip.mark_day(self._marked_day())

    # --- narrowing ---------------------------------------------------------------------------

    def narrow(self, since: Any, until: Any) -> None:
        flt = self.host.state.filter
        self._push(flt)
        self.set_filter(replace(flt, since=since, until=until))
        self._say(f"Narrowed to {since.isoformat()}" + (f" – {until.isoformat()}" if until != since else "")
                  + " (backspace in the timeline undoes; C clears the filter)")

    def choose(self, choice: Choice) -> None:
        flt = self.host.state.filter
        if choice.kind == "dates" and choice.since is not None:
            self.narrow(choice.since, choice.until)
        elif choice.kind == "tag":
            self._push(flt)
            self.set_filter(replace(flt, tags=(*[t for t in flt.tags if t.casefold() != choice.value.casefold()],
                                               choice.value)))
        elif choice.kind == "state":
            self._push(flt)
            statuses = tuple(dict.fromkeys((*flt.statuses, choice.value)))
            self.set_filter(replace(flt, statuses=statuses, show_dismissed=flt.show_dismissed or choice.value == "dismissed"))
        elif choice.kind in ("source", "lang"):
            value = choice.value.replace('"', " ").strip()
            self.search_for(f'{choice.kind}:"{value}"')

    def _push(self, flt: Filter) -> None:
        self.undo_stack.append(flt)
        del self.undo_stack[:-UNDO_DEPTH]

    def undo(self) -> None:
        if not self.undo_stack:
            self.host.node.app.bell()
            return
        self.set_filter(self.undo_stack.pop())
        described = self.host.state.filter.describe()
        self._say(f"Filter back to: {described}" if described else "Filter cleared")

    def cycle_stack(self) -> None:
        self.stack = STACK_MODES[(STACK_MODES.index(self.stack) + 1) % len(STACK_MODES)]
        self._say(f"Timeline stacked by {self.stack} (top {STACK_TOP} and other)" if self.stack else "Timeline: one line")
        self.recount()

    def _say(self, text: str) -> None:
        self.host.node.app.notify(text, timeout=3, markup=False)
