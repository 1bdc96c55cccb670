"""Rows laid out in a worker for a long list (issue 20).

At a million articles making the listing and laying its rows out takes seconds: the
article list asks a thread worker for them and keeps showing its rows meanwhile
(keys move on them). :class:`LayoutRequests` holds what was asked for: the latest
request wins (an older worker's result is dropped by its number), and the article
the cursor is to land on when the rows arrive. No Textual here.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from briefing.heap import give_back
from briefing.index.query import SearchHit
from briefing.listing.layout import ListLayout
from briefing.listing.window import Listing

LAY_OUT_IN_WORKER_ABOVE = 50_000  # listed articles above which the rows are laid out in a worker


def lay_out(listing: Listing, stories: Any, expanded: Collection[str], snippets: Collection[str],
            compact: bool) -> ListLayout:
    """The layout of ``listing`` (any thread: reads only what it is given)."""
    return ListLayout(listing, stories, expanded, snippets, compact)


def lay_out_in_worker(listing: Listing, stories: Any, expanded: Collection[str], snippets: Collection[str],
                      compact: bool) -> ListLayout:
    """:func:`lay_out` in the worker of a long list or a large corpus, then the memory
    that making the listing and its layout freed handed back to the system. Even a
    short result (a filter keeping 8,000 of 100,000 articles) walked the whole
    corpus to find its rows (with 100,000 annotated articles, a few MB less after
    the filters: ``bench/reader_steps.py``)."""
    layout = lay_out(listing, stories, expanded, snippets, compact)
    give_back()
    return layout


@dataclass
class Pending:
    """A layout a worker makes: of ``make(should_stop)``, with these hits and stories; the cursor
    to ``keep``'s row when it arrives (None: where it is then); ``then`` called after."""

    make: Callable[[Callable[[], bool]], Listing]  # given should_stop (a newer request was made)
    hits: Mapping[str, SearchHit] | None
    stories: Any
    keep: str | None
    then: Callable[[], None] | None


class LayoutRequests:
    """The layouts asked for, numbered: only the latest is shown."""

    def __init__(self) -> None:
        self.token = 0
        self.pending: Pending | None = None

    def ask(self, pending: Pending) -> int:
        self.token += 1
        self.pending = pending
        return self.token

    def drop(self) -> None:
        """Rows laid out some other way meanwhile: a worker's still coming is out of date."""
        self.token += 1
        self.pending = None

    def take(self, token: int) -> Pending | None:
        """The request a worker's result ``token`` answers; None when a newer one was made."""
        if token != self.token or self.pending is None:
            return None
        pending, self.pending = self.pending, None
        return pending

    def keep(self, key: str | None) -> None:
        """The cursor goes to ``key``'s row when the rows arrive (None: it stays where it is)."""
        if self.pending is not None:
            self.pending.keep = key

    @property
    def kept(self) -> str | None:
        return self.pending.keep if self.pending is not None else None
