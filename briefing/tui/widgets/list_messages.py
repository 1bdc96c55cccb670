"""The messages the article list posts (:class:`~briefing.tui.widgets.article_list.ArticleList`).

They are the list's attributes too (``ArticleList.Open``...), in Textual's way, and
their namespace keeps the handler names a class nested in the list would have
(``on_article_list_open``, ``on_article_list_marks_changed``...). Each speaks of
articles (a story row stands for the article it shows), never of rows.
"""

from __future__ import annotations

from textual.message import Message

from briefing.listing.layout import ListLayout
from briefing.listing.window import Listing


class Open(Message, namespace="article_list"):
    """The user chose an article (enter, l or a click). On a story row: the
    article it shows, and ``story`` the ids of every version of the story."""

    def __init__(self, article_id: str, story: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.article_id = article_id
        self.story = story


class Highlighted(Message, namespace="article_list"):
    """The cursor moved to another article (the screen summarizes ahead around it)."""

    def __init__(self, article_id: str) -> None:
        super().__init__()
        self.article_id = article_id


class Listed(Message, namespace="article_list"):
    """Rows laid out by a worker are shown (a long list: ``ArticleList.show_articles_later``)."""

    def __init__(self, count: int) -> None:
        super().__init__()
        self.count = count


class LaidOut(Message, namespace="article_list"):
    """A worker's layout, for the request numbered ``token``."""

    def __init__(self, token: int, listing: Listing | None, layout: ListLayout | None, error: str = "") -> None:
        super().__init__()
        self.token = token
        self.listing = listing
        self.layout = layout
        self.error = error  # the worker failed: why


class MarksChanged(Message, namespace="article_list"):
    """Rows were marked or unmarked (m / space) for a bulk action."""

    def __init__(self, count: int) -> None:
        super().__init__()
        self.count = count
