"""Watchlists over a corpus: which articles each matches, unread counts, and the
automatic tags (applied to every match, except where the analyst took one off).
All evaluation goes through :mod:`briefing.watchlists.evaluate`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from briefing.watchlists import evaluate
from briefing.watchlists.model import Watchlist

if TYPE_CHECKING:
    from briefing.annotations import AnnotationStore, Change
    from briefing.model import ArticleMeta


@dataclass(frozen=True)
class Count:
    name: str
    total: int
    unread: int


def match_all(watchlists: Iterable[Watchlist], corpus: Any, store: AnnotationStore | None = None) -> dict[str, set[str]]:
    """Each watchlist's matching ids over the whole corpus."""
    return {w.name: evaluate.matching_ids(w.query, corpus, store) for w in watchlists}


def read_ids(store: AnnotationStore | None) -> set[str] | None:
    """The ids marked read (of a large indexed file: found in its lines, nothing parsed;
    None is still understood by :func:`unread_count`: it then asks per article)."""
    if store is None:
        return set()
    articles = store.document.articles
    if getattr(articles, "lazy", False):  # a large indexed file: read from its lines, not parsed whole
        return set(store.ids_with("read"))
    return {i for i, a in articles.items() if a.read}


def unread_count(ids: Iterable[str], store: AnnotationStore | None, read: set[str] | None = None) -> int:
    """How many of ``ids`` are not read (``read``: :func:`read_ids`, when known)."""
    if read is None:
        read = read_ids(store)
    if read is not None:
        return sum(1 for i in ids if i not in read)
    assert store is not None
    return sum(1 for i in ids if not store.get(i).read)


def counts(matches: Mapping[str, set[str]], store: AnnotationStore | None) -> dict[str, Count]:
    read = read_ids(store)
    return {name: Count(name, len(ids), unread_count(ids, store, read)) for name, ids in matches.items()}


def matches_of(watchlists: Iterable[Watchlist], meta: ArticleMeta, body: str,
               store: AnnotationStore | None = None) -> list[str]:
    """The names of the watchlists one article matches (a file that just arrived)."""
    return [w.name for w in watchlists if evaluate.article_matches(w.query, meta, body, store)]


def wanted_tags(watchlists: Iterable[Watchlist], matches: Mapping[str, Iterable[str]]) -> dict[str, list[str]]:
    """Article id -> the automatic tags its watchlists want on it."""
    out: dict[str, list[str]] = {}
    for w in watchlists:
        if not w.tags:
            continue
        for article_id in matches.get(w.name, ()):
            out.setdefault(article_id, []).extend(w.tags)
    return out


def apply_tags(watchlists: Iterable[Watchlist], matches: Mapping[str, Iterable[str]],
               store: AnnotationStore) -> Change | None:
    """Apply the watchlists' tags to their matches (never one the analyst removed
    from that article); None when nothing changed."""
    wanted = wanted_tags(list(watchlists), matches)
    return store.apply_auto_tags(wanted) if wanted else None


def remove_watchlist_tags(watchlist: Watchlist, store: AnnotationStore) -> Change | None:
    """Take a watchlist's automatic tags off every article that carries them (not
    remembered per article: the caller also clears the watchlist's tags, so they are
    not applied again)."""
    ids = store.auto_tagged(watchlist.tags)
    if not ids or not watchlist.tags:
        return None
    return store.remove_auto_tags(ids, watchlist.tags, remember=False)
