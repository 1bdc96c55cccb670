"""Listings streamed from the index (``briefing list`` at a million articles): rows
come from an SQL cursor in list order, filters and queries are said in SQL where
they can be, and only the annotated articles are held in memory.

Plain Python: never imports textual. See :mod:`briefing.listing.stream`.
"""
