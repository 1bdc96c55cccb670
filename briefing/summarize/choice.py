"""Which summary an article gets: one rule for the reader, ``summarize``, ``show``
and every export, so that the summary that goes out is the one the analyst read.

The method and length the analyst chose while reading an article (stored in
``annotations.yaml`` as the article's ``summary``) win; otherwise the current
preference of ``config.yaml`` (``summary_method`` / ``summary_length``). A stored
choice naming a method this program does not know, or a length out of bounds,
falls back to the preference for that part.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from briefing.config import DEFAULT_LENGTH, DEFAULT_METHOD, MAX_LENGTH, MIN_LENGTH, Settings
from briefing.summarize.registry import METHODS

if TYPE_CHECKING:
    from briefing.annotations.results import ArticleView


def stored_choice(view: ArticleView | None) -> tuple[str | None, int | None]:
    """The per-article choice held by an annotations view (``view.summary``: a
    ``(method, length)`` pair or None); (None, None) when there is none. A part of
    the wrong type (a hand-edited file) counts as not chosen."""
    found = getattr(view, "summary", None) if view is not None else None
    if not found:
        return None, None
    method, length = (tuple(found) + (None, None))[:2]
    return (method if isinstance(method, str) else None,
            length if isinstance(length, int) and not isinstance(length, bool) else None)


def summary_choice(view: ArticleView | None, settings: Settings | None) -> tuple[str, int]:
    """``(method, length)`` for the article ``view`` describes (None: no article
    annotations): the analyst's choice for it, else the config's preference."""
    method = settings.summary_method if settings is not None else DEFAULT_METHOD
    length = settings.summary_length if settings is not None else DEFAULT_LENGTH
    if method not in METHODS:
        method = DEFAULT_METHOD
    if not MIN_LENGTH <= length <= MAX_LENGTH:
        length = DEFAULT_LENGTH
    chosen_method, chosen_length = stored_choice(view)
    if chosen_method in METHODS:
        method = chosen_method
    if chosen_length is not None and MIN_LENGTH <= chosen_length <= MAX_LENGTH:
        length = chosen_length
    return method, length
