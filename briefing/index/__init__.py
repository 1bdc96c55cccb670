"""A persistent index of a corpus folder: instant re-opens and fast full-text search.

Plain Python (sqlite3 from the standard library, FTS5); never imports textual.

The cache is an SQLite file in :func:`briefing.config.cache_dir` named from a hash
of the corpus folder's absolute path. It is only a cache: the files are the truth.
Every open walks the folder and stats every file (a first build takes each stat
from the read instead), reparses only what is new or changed, drops what vanished,
and rebuilds the whole cache silently when it is corrupt, unreadable, from another
schema version or from another parser version.

Public API::

    index = open_index(root, progress=None, on_batch=None)   # -> IndexedCorpus
    index.articles / .problems / .get(id) / .article(id)      # like briefing.corpus.Corpus
    index.search("kyiv power gr", limit=50)                   # -> list[SearchHit]
    index.stats                                               # what the refresh did

For a front end that wants its first screen before a cold build finishes, use
:class:`CorpusIndex` directly (see :meth:`CorpusIndex.refresh` and ``on_batch``).
"""

from __future__ import annotations

import importlib

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (see below)
if TYPE_CHECKING:
    from briefing.index.indexed import CorpusIndex, IndexedCorpus, open_index
    from briefing.index.query import Query, SearchHit, match_expression
    from briefing.index.refresh import RefreshStats
    from briefing.index.store import cache_path

# Imported on first use: a worker process (``python -m briefing.index.workers``)
# runs this file too, and needs none of them (it starts in half the time).
_PUBLIC = {
    "CorpusIndex": "indexed",
    "IndexedCorpus": "indexed",
    "open_index": "indexed",
    "Query": "query",
    "SearchHit": "query",
    "match_expression": "query",
    "RefreshStats": "refresh",
    "cache_path": "store",
}

__all__ = ["CorpusIndex", "IndexedCorpus", "Query", "RefreshStats", "SearchHit", "cache_path", "match_expression", "open_index"]
assert __all__ == sorted(_PUBLIC)


def __getattr__(name: str) -> object:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"briefing.index.{module}"), name)
    globals()[name] = value
    return value
