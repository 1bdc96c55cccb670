"""Counts of a view of the corpus: by day, week or month, by source, tag, language and
reading state (issue 23). Plain Python: never imports Textual.

    count_view(corpus, annotations, ids=None, *, since=None, until=None, show_dismissed=False) -> Counts
    timeline(counts.days, unit=None) -> Timeline      # buckets chosen by the span
    sparkline(values) -> str                           # one line of block characters

:func:`count_view` asks the index for SQL aggregates when the view is the whole
corpus or a date range of it, and counts the articles of an explicit view (a search,
a tag or status filter, a watchlist) from their metadata; the analyst's annotations
(dates, tags, reading state, dismissals) correct either. Undated articles are counted
apart, never placed on a guessed date.
"""

from __future__ import annotations

from briefing.stats.buckets import UNITS, Timeline, sparkline, timeline, unit_for
from briefing.stats.counts import STATES, Counts, count_view

__all__ = ["STATES", "UNITS", "Counts", "Timeline", "count_view", "sparkline", "timeline", "unit_for"]
