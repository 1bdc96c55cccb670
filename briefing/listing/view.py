"""An indexed corpus read by SQL as it is asked, never loaded whole: what a command
on a million articles needs (``briefing stats``), where
:class:`briefing.index.IndexedCorpus` would hold every row in Python objects.

:class:`IndexView` answers :func:`briefing.stats.count_view`: ``get`` (one article's
metadata, the annotated ones fetched together up front), ``has_languages`` and
``stats_groups`` (the SQL aggregates of :mod:`briefing.index.statsql`, shared with
:meth:`briefing.index.IndexedCorpus.stats_groups`).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable

from briefing.index.statsql import Group, groups_of, stats_sql
from briefing.listing.stream import metas_by_id
from briefing.model import ArticleMeta


class IndexView:
    """The articles of an index cache, through an open connection (the caller closes
    it). ``known``: ids to fetch now, in a few statements (the annotated articles,
    which :func:`~briefing.stats.count_view` asks for one by one)."""

    def __init__(self, conn: sqlite3.Connection, known: Iterable[str] = (), metas: Iterable[ArticleMeta] = ()) -> None:
        self._conn = conn
        self._metas = {m.id: m for m in metas}
        self._metas.update((m.id, m) for m in metas_by_id(conn, (i for i in known if i not in self._metas)))

    def get(self, article_id: str) -> ArticleMeta:
        meta = self._metas.get(article_id)
        if meta is None:
            found = metas_by_id(self._conn, [article_id])
            if not found:
                raise KeyError(article_id)
            meta = self._metas[article_id] = found[0]
        return meta

    @property
    def has_languages(self) -> bool:
        return any(r[1] == "lang" for r in self._conn.execute("PRAGMA table_info(articles)"))

    def stats_groups(self, since: dt.date | None = None, until: dt.date | None = None) -> list[Group]:
        sql, params = stats_sql(since, until, self.has_languages)
        return groups_of(self._conn.execute(sql, params))
