"""A persistent index of a corpus folder: instant re-opens and fast full-text search.

Plain Python (sqlite3 from the standard library, FTS5); never imports textual.

The cache is an SQLite file in :func:`briefing.config.cache_dir` named from a hash
of the corpus folder's absolute path. It is only a cache: the files are the truth.
Every open walks the folder and stats every file, reparses only what is new or
changed, drops what vanished, and rebuilds the whole cache silently when it is
corrupt, unreadable, from another schema version or from another parser version.

Public API::

    index = open_index(root, progress=None, on_batch=None)   # -> IndexedCorpus
    index.articles / .problems / .get(id) / .article(id)      # like briefing.corpus.Corpus
    index.search("kyiv power gr", limit=50)                   # -> list[SearchHit]
    index.stats                                               # what the refresh did

For a front end that wants its first screen before a cold build finishes, use
:class:`CorpusIndex` directly (see :meth:`CorpusIndex.refresh` and ``on_batch``).
"""

from briefing.index.indexed import CorpusIndex, IndexedCorpus, open_index
from briefing.index.query import Query, SearchHit, match_expression
from briefing.index.refresh import RefreshStats
from briefing.index.store import cache_path

__all__ = [
    "CorpusIndex",
    "IndexedCorpus",
    "Query",
    "RefreshStats",
    "SearchHit",
    "cache_path",
    "match_expression",
    "open_index",
]
