"""Watchlists (issue 16): named queries saved beside the corpus, their counts, and
the tags they apply automatically. Plain Python: never imports textual.

- :mod:`briefing.watchlists.model`: the file's shape, parse and dump;
- :mod:`briefing.watchlists.store`: :class:`WatchlistStore` (safe read, durable
  write, merge on concurrent change);
- :mod:`briefing.watchlists.evaluate`: every evaluation of a query (one module, so
  the evaluator can change without touching the rest);
- :mod:`briefing.watchlists.run`: counts and the automatic tags over a corpus.
"""

from __future__ import annotations

from briefing.watchlists.model import FILENAME, Watchlist, WatchlistError
from briefing.watchlists.store import WatchlistReadOnly, WatchlistStore, open_watchlists

__all__ = ["FILENAME", "Watchlist", "WatchlistError", "WatchlistReadOnly", "WatchlistStore", "open_watchlists"]
