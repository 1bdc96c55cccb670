"""Command palette entries with a parameter (ctrl+p, issue 15).

- ``Summary method: NAME``, one per method: that method for the open article (and
  as the preference), as ``s`` would;
- ``Theme: NAME``, one per theme the reader knows;
- ``Filter by tag: TAG``, one per tag in the corpus: the list filter's tag (the
  filter's status and dates stay);
- ``Open: TITLE``, for the titles matching what is typed
  (:class:`briefing.corpus.titles.TitleFinder`, or the index's titles scanned by
  :class:`briefing.listing.titlescan.IndexTitles`, searched in a thread, at most
  :data:`ARTICLE_HITS` shown): opens the article as ``enter`` on its row would;
- ``Saved filter: NAME``, one per pair ``MainScreen.saved_filters()`` returns.

The saved-filter hook: ``MainScreen.saved_filters()`` returns ``(name, apply)``
pairs, ``apply()`` taking no argument and setting that saved filter on the list. It
returns ``[]`` until the watchlists (issue 16) are wired in: give it one pair per
watchlist, e.g. ``[(w.name, partial(self.watch.apply, w)) for w in ...]``.

Everything shown that came from a file or was typed (titles, tags, names) is plain
:class:`~textual.content.Content`, never markup; help lines are fixed text.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content

from briefing.corpus.titles import TitleFinder
from briefing.listing.tagrows import tag_source
from briefing.listing.titlescan import IndexTitles
from briefing.sanitize import clean_line
from briefing.summarize import METHODS
from briefing.tui.screens.main import MainScreen
from briefing.tui.widgets.article_list import ArticleList

ARTICLE_HITS = 20  # "Open: …" entries at most, the best first
TAGS_DISCOVERED = 30  # "Filter by tag: …" entries listed before anything is typed


def plain_hit(matcher: Matcher, prefix: str, value: str) -> tuple[float, Content]:
    """The score of ``prefix + value`` for what was typed, and its text with the
    matched letters styled; ``value`` is untrusted and stays plain text."""
    text = prefix + clean_line(value)
    score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    content = Content(text)
    for offset in offsets if score else ():
        if not text[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return score, content


class _Entries(Provider):
    """A provider of fixed entries: ``(label prefix, value, action, help)``."""

    def entries(self) -> Iterable[tuple[str, str, Callable[[], Any], str]]:
        return ()

    def discovered(self) -> Iterable[tuple[str, str, Callable[[], Any], str]]:
        return self.entries()

    def main(self) -> MainScreen | None:
        return self.screen if isinstance(self.screen, MainScreen) else None

    async def discover(self) -> Hits:
        for prefix, value, action, help_text in self.discovered():
            yield DiscoveryHit(Content(prefix + clean_line(value)), action, text=prefix + clean_line(value), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for prefix, value, action, help_text in self.entries():
            score, shown = plain_hit(matcher, prefix, value)
            if score > 0:
                yield Hit(score, shown, action, text=prefix + clean_line(value), help=help_text)


class MethodCommands(_Entries):
    def entries(self) -> Iterable[tuple[str, str, Callable[[], Any], str]]:
        screen = self.main()
        if screen is None:
            return
        current = screen.summaries.choice(screen.state.current_id)[0]
        for method in METHODS:
            help_text = "the summary method now" if method == current else "summarize the open article this way (and from now on)"
            yield "Summary method: ", method, partial(screen.choose_method, method), help_text


class ThemeCommands(_Entries):
    def entries(self) -> Iterable[tuple[str, str, Callable[[], Any], str]]:
        app = self.app
        names = list(getattr(app, "theme_names", None) or app.available_themes)
        for name in names:
            yield "Theme: ", name, partial(self._use, name), "the theme now" if name == app.theme else "change the colours"

    def _use(self, name: str) -> None:
        self.app.theme = name
        self.app.notify(f"Theme: {clean_line(name)}", timeout=2, markup=False)


class TagFilterCommands(_Entries):
    """One entry per tag of the corpus (counted in a thread when the palette opens)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tags: list[str] = []

    async def startup(self) -> None:
        screen = self.main()
        if screen is None or screen.state.corpus is None or screen.store is None:
            return
        store, articles = screen.store, tag_source(screen.state.corpus)
        try:
            self.tags = await asyncio.to_thread(store.all_tags, articles)
        except Exception:  # noqa: BLE001 - no tag entries rather than a broken palette
            self.tags = []

    def entries(self) -> Iterable[tuple[str, str, Callable[[], Any], str]]:
        screen = self.main()
        if screen is None:
            return
        for tag in self.tags:
            yield "Filter by tag: ", tag, partial(self._filter, screen, tag), "show only the articles with this tag"

    def discovered(self) -> Iterable[tuple[str, str, Callable[[], Any], str]]:
        return list(self.entries())[:TAGS_DISCOVERED]

    @staticmethod
    def _filter(screen: MainScreen, tag: str) -> None:
        screen.search.set_filter(replace(screen.state.filter, tags=(tag,)))


class SavedFilterCommands(_Entries):
    def entries(self) -> Iterable[tuple[str, str, Callable[[], Any], str]]:
        screen = self.main()
        saved = getattr(screen, "saved_filters", None)
        if saved is None:
            return
        for name, apply in saved():
            yield "Saved filter: ", name, apply, "show the articles this saved filter takes"


# The finder of the corpus last searched (a corpus is replaced, not changed, when the
# folder changes), rebuilt when the analyst's titles change. Held through a weak
# reference: a corpus replaced is not kept alive by its finder.
_FINDER: list[tuple[Callable[[], Any], tuple[tuple[str, str], ...], TitleFinder]] = []


def title_finder(corpus: Any, titles: dict[str, str]) -> TitleFinder | IndexTitles:
    """The :class:`TitleFinder` of ``corpus`` with the analyst's ``titles`` (id ->
    title) in place of the files'; built once per corpus and set of corrections. A
    corpus read from its index is searched in the index instead, each time
    (:class:`~briefing.listing.titlescan.IndexTitles`: nothing held per article)."""
    from briefing.listing.stream import reads_from_index

    if reads_from_index(corpus):
        return IndexTitles(corpus, titles)
    key = tuple(sorted(titles.items()))
    if _FINDER:
        ref, cached_key, finder = _FINDER[0]
        if ref() is corpus and cached_key == key:
            return finder
    finder = TitleFinder((m.id, titles.get(m.id, m.title)) for m in corpus.articles)
    try:
        ref = weakref.ref(corpus)
    except TypeError:  # not weakly referenceable: not kept
        return finder
    _FINDER[:] = [(ref, key, finder)]
    return finder


class ArticleCommands(Provider):
    """``Open: TITLE`` for the titles matching what is typed (nothing before)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.finder: TitleFinder | IndexTitles | None = None

    async def startup(self) -> None:
        screen = self.screen
        if not isinstance(screen, MainScreen) or screen.state.corpus is None:
            return
        corpus, store = screen.state.corpus, screen.store
        titles = store.analyst_titles() if store else {}
        try:
            self.finder = await asyncio.to_thread(title_finder, corpus, titles)
        except Exception:  # noqa: BLE001 - no article entries rather than a broken palette
            self.finder = None

    async def search(self, query: str) -> Hits:
        screen, finder = self.screen, self.finder
        if finder is None or not isinstance(screen, MainScreen):
            return
        text = query.strip()
        for word in ("open ", "open: "):
            if text.lower().startswith(word):
                text = text[len(word):]
        if not text.strip():
            return
        found = await asyncio.to_thread(finder.find, text, ARTICLE_HITS)
        style = self.matcher(query).match_style
        for match in found:
            prefix = "Open: "
            shown = Content(prefix + match.title)
            for start, end in match.spans:
                shown = shown.stylize(style, len(prefix) + start, len(prefix) + end)
            yield Hit(match.score, shown, partial(self._open, screen, match.id), text=prefix + match.title,
                      help=self._help(screen, match.id))

    @staticmethod
    def _help(screen: MainScreen, article_id: str) -> str:
        """Fixed words and a date only: the palette reads help as markup."""
        corpus = screen.state.corpus
        try:
            date = screen.shown_meta(corpus.get(article_id)).date if corpus is not None else None  # the analyst's date
        except KeyError:
            date = None
        return f"open this article · {date.isoformat() if date else 'undated'}"

    @staticmethod
    def _open(screen: MainScreen, article_id: str) -> None:
        screen.articles.post_message(ArticleList.Open(article_id))


PALETTE_PROVIDERS = (MethodCommands, ThemeCommands, TagFilterCommands, ArticleCommands, SavedFilterCommands)
