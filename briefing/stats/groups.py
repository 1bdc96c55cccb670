"""The SQL aggregates behind :func:`briefing.stats.count_view`, and a counter that
asks them of an index cache directly (:class:`IndexStats`): the counts of a whole
corpus, or of a date range of it, for a command on a big corpus without every
article's row in Python (a million rows would take about a gigabyte).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterable
from typing import Any

from briefing.model import ArticleMeta

StatsGroup = tuple[dt.date | None, str | None, tuple[str, ...], str | None, int]


def stats_groups(query: Callable[[str, tuple[Any, ...]], Iterable[tuple[Any, ...]]], with_langs: bool,
                 since: dt.date | None = None, until: dt.date | None = None) -> list[StatsGroup]:
    """``(date, source, tags, lang, count)`` groups of the indexed articles with a file
    date within ``since``/``until`` (inclusive; undated left out when either is given),
    or of all, through ``query(sql, params)`` on an index connection: one GROUP BY
    along the ``articles_stats`` index, never a row per article in Python.

    :meth:`briefing.index.indexed.IndexedCorpus.stats_groups` asks the same (its own
    copy, for now: a change to briefing/index makes every cache be rebuilt, see
    ``store.parser_fingerprint``; tests/stats/test_counts.py holds both to the same
    brute-force count)."""
    lang = "lang" if with_langs else "NULL"
    where, params = [], []
    if since is not None or until is not None:
        where.append("date IS NOT NULL")
    if since is not None:
        where.append("date >= ?")
        params.append(since.toordinal())
    if until is not None:
        where.append("date <= ?")
        params.append(until.toordinal())
    sql = (f"SELECT date, source, tags, {lang}, count(*) FROM articles"
           + (" WHERE " + " AND ".join(where) if where else "")
           + " GROUP BY date, source, tags" + (", lang" if lang == "lang" else ""))  # by the index's order
    fromordinal = dt.date.fromordinal
    return [(fromordinal(d) if d is not None else None, s, tuple(t.split("\n")) if t else (), g, n)
            for d, s, t, g, n in query(sql, tuple(params))]


class IndexStats:
    """What :func:`~briefing.stats.count_view` needs of an indexed corpus, from a read
    connection to its cache: the aggregates (:meth:`stats_groups`), whether languages
    are known, and the metadata of the annotated articles (read by id once, here)
    that correct them. ``count_view(IndexStats(conn, store.document.articles), store)``."""

    def __init__(self, conn: sqlite3.Connection, annotated: Iterable[str]) -> None:
        from briefing.listing.stream import metas_by_id

        self._conn = conn
        self.has_languages = any(r[1] == "lang" for r in conn.execute("PRAGMA table_info(articles)"))
        self._by_id = {m.id: m for m in metas_by_id(conn, annotated)}

    def stats_groups(self, since: dt.date | None = None, until: dt.date | None = None) -> list[StatsGroup]:
        return stats_groups(self._conn.execute, self.has_languages, since, until)

    def get(self, article_id: str) -> ArticleMeta:
        """An annotated article's metadata; KeyError for any other (none is asked)."""
        return self._by_id[article_id]
