"""The SQL aggregate behind the statistics (issue 23): ``(date, source, tags, lang,
count)`` groups of the indexed articles, answered by the ``articles_stats`` index alone.
One statement for :meth:`briefing.index.IndexedCorpus.stats_groups` and
:class:`briefing.listing.view.IndexView`; no imports beyond the standard library, so a
command on a big corpus can count without loading the index's parser modules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

Group = tuple[dt.date | None, str | None, tuple[str, ...], str | None, int]


def stats_sql(since: dt.date | None, until: dt.date | None, with_langs: bool) -> tuple[str, list[Any]]:
    """The aggregate over ``articles`` behind ``stats_groups``: ``(date, source, tags,
    lang, count)`` groups with a file date within ``since``/``until`` (inclusive;
    undated left out when either is given), or of all; grouped in the order of the
    ``articles_stats`` index, which answers it alone."""
    lang = "lang" if with_langs else "NULL"
    where: list[str] = []
    params: list[Any] = []
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
           + " GROUP BY date, source, tags" + (", lang" if with_langs else ""))
    return sql, params


def groups_of(rows: Iterable[tuple[Any, ...]]) -> list[Group]:
    """The rows of :func:`stats_sql` as values."""
    fromordinal = dt.date.fromordinal
    return [(fromordinal(d) if d is not None else None, s, tuple(t.split("\n")) if t else (), g, n) for d, s, t, g, n in rows]
