"""Messages the workers post to the screen (workers never touch widgets)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message

from briefing.index.query import SearchHit
from briefing.model import Article


@dataclass(frozen=True)
class SummaryKey:
    """What a summary was computed for; a result for another key is stale."""

    article_id: str
    fingerprint: str
    method: str
    length: int


class CorpusLoaded(Message):
    def __init__(self, corpus: Any) -> None:
        super().__init__()
        self.corpus = corpus


class CorpusFailed(Message):
    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message


class ArticleLoaded(Message):
    def __init__(self, article: Article) -> None:
        super().__init__()
        self.article = article


class ArticleFailed(Message):
    def __init__(self, article_id: str, message: str) -> None:
        super().__init__()
        self.article_id = article_id
        self.message = message


class SummaryReady(Message):
    def __init__(self, key: SummaryKey, summary: Any) -> None:
        super().__init__()
        self.key = key
        self.summary = summary  # briefing.summarize.Summary


class SummaryFailed(Message):
    def __init__(self, key: SummaryKey, message: str) -> None:
        super().__init__()
        self.key = key
        self.message = message


class SearchDone(Message):
    def __init__(self, query: str, hits: list[SearchHit]) -> None:
        super().__init__()
        self.query = query
        self.hits = hits


class PreferencesChanged(Message):
    """The screen changed the summary method or length; the app saves them."""

    def __init__(self, method: str, length: int) -> None:
        super().__init__()
        self.method = method
        self.length = length
