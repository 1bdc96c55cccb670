"""The summaries of an export's items: in the article's language, from the reader's
summary cache, the missing ones computed together up front.

- :func:`item_summary` is one item's summary (``export.build._summary`` and
  ``brief.build._summary_of`` go through it): the method and length the analyst
  read it with (or the options'), in its effective language
  (:func:`briefing.annotations.corrected.effective_lang`: the analyst's override,
  else the index's detected one, else detected from the text), read from the
  summary cache the reader fills, else computed and put there.
- :func:`prefetch` is called once with every article an export will summarize:
  it computes the ones the cache lacks together (:func:`briefing.summarize.batch.summarize_many`:
  in a process pool when they are many), so that :func:`item_summary` then finds
  each one in memory. It changes no output: a summary is the same whether it was
  cached, computed here or computed in a pool.

Exports run in a worker thread in the reader and in the command line's own
process: the cache's disk is touched only from there, never from a UI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.model import ArticleMeta, CorpusView
from briefing.summarize.cache import FILE_NAME, SummaryCache, key

if TYPE_CHECKING:
    from briefing.annotations.results import ArticleView
    from briefing.annotations.store import AnnotationStore
    from briefing.export.build import BriefingOptions
    from briefing.model import Article
    from briefing.summarize import Summary

MEMORY_ITEMS = 4096  # summaries an export keeps in memory (a 500-item briefing with its stories' versions)

_lock = threading.Lock()
_cache: SummaryCache | None = None


def export_cache() -> SummaryCache:
    """The summary cache exports read and write: the reader's file in the cache
    folder (:func:`briefing.cachedir.cache_root`), one object per process and folder."""
    global _cache
    from briefing.cachedir import cache_root

    path = Path(cache_root()) / FILE_NAME
    with _lock:
        if _cache is None or _cache.path != path:
            if _cache is not None:
                _cache.close_all()  # every thread's connection, not only this one's
            _cache = SummaryCache(path, memory_items=MEMORY_ITEMS)
        return _cache


def summary_for(view: ArticleView | None, options: BriefingOptions) -> tuple[str, int]:
    """The method and length of an item's summary: what the options force, else the
    one the analyst read (:func:`briefing.summarize.choice.summary_choice`)."""
    from briefing.summarize.choice import summary_choice

    method, length = summary_choice(view, options.settings)
    return options.method or method, options.sentences or length


def _lang(meta: ArticleMeta, view: ArticleView | None) -> str | None:
    if view is not None:
        return view.lang
    return meta.lang


def summary_of_article(article: Article, method: str, length: int, lang: str | None,
                       cache: SummaryCache | None = None) -> Summary:
    """The summary of ``article`` by ``method`` at ``length`` in ``lang`` (None:
    detected from the text): from ``cache`` (default: :func:`export_cache`), else
    computed and put there."""
    from briefing.summarize.batch import Job, summarize_many

    cache = export_cache() if cache is None else cache
    job = Job(key(article.fingerprint, method, length, lang), article.body, tuple(article.headings))
    return summarize_many([job], cache)[0]


def item_summary(corpus: CorpusView, meta: ArticleMeta, method: str, length: int,
                 view: ArticleView | None = None) -> Summary | str:
    """The summary of ``meta``'s article (see the module docstring); a string says
    why there is none (the file could not be read)."""
    from briefing.corpus import ArticleError
    from briefing.sanitize import clean_line

    try:
        article = corpus.article(meta.id)
    except (ArticleError, KeyError, OSError) as err:
        reason = getattr(err, "message", None) or str(err)
        return f"the file could not be read: {clean_line(reason)}"
    return summary_of_article(article, method, length, _lang(meta, view))


def prefetch(corpus: CorpusView, store: AnnotationStore, metas: Iterable[ArticleMeta],
             options: BriefingOptions) -> None:
    """Make sure the summary of each of ``metas`` (as :func:`item_summary` will ask
    for it) is in the export cache, computing the missing ones together. An article
    that cannot be read is skipped (its item says so when it is built)."""
    from briefing.corpus import ArticleError
    from briefing.summarize.batch import Job, Stopped, summarize_many

    cache = export_cache()
    jobs: list[Job] = []
    seen: set[str] = set()
    for meta in metas:
        if meta.id in seen:
            continue
        seen.add(meta.id)
        view = store.view(meta)
        method, length = summary_for(view, options)
        lang = _lang(meta, view)
        if meta.fingerprint and cache.get(key(meta.fingerprint, method, length, lang)) is not None:
            continue  # kept from the reader or an earlier export (the item checks the file's text again)
        try:
            article = corpus.article(meta.id)
        except (ArticleError, KeyError, OSError):
            continue
        jobs.append(Job(key(article.fingerprint, method, length, lang), article.body, tuple(article.headings)))
    if jobs:
        try:
            summarize_many(jobs, cache)
        except Stopped:  # the export was given up (:func:`briefing.summarize.batch.stopping`)
            raise
        except Exception:  # noqa: BLE001 - only a head start: each item then summarizes (and reports) on its own
            pass
