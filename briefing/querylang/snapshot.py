"""What the evaluator keeps about one corpus snapshot between queries.

A query over a 100k-article corpus must not walk every article in Python: a walk
of 100k metas costs tens of milliseconds, and the reader's budget for a word or a
field is 100 ms in all. So, once per snapshot (the same ``articles`` list) and
only when a query first needs it, this module keeps:

- the articles in list order, by id, their ids as a set, and each id's position
  (ordering a few thousand results is a sort by position, not a walk of the list);
- the ids of the articles in each language (the file's language);
- the file tags, folded, with the ids that carry each (``tag:`` looks one up);
- the dates as a sorted key, when the list is newest first (always, for an index):
  ``date:``/``since:``/``until:`` is then a slice found by bisection;
- the last few ``id:`` globs' answers;
- the titles, sources and authors a query folded (``title:`` folds thousands).

Used by :class:`~briefing.querylang.evaluate.MemoryEvaluation` only: a corpus whose
articles are a list (tests, a folder read without an index) or ``sort:relevance``;
an index read by window is queried in SQL (:mod:`briefing.querylang.indexed`).

Everything here is the file's: the analyst's corrections (titles, dates, tags,
languages) are applied by the evaluator on top, for the few articles they touch.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections.abc import Callable
from operator import attrgetter
from typing import Any

from briefing.index.query import fold_like_index

SMALL = 1000  # corpora up to this size are cheap to redo (and tests build many): not kept


class Snapshot:
    def __init__(self, articles: Any) -> None:
        self.articles = articles
        self.metas: list[Any] = list(articles)
        self.by_id: dict[str, Any] = {m.id: m for m in self.metas}
        self.universe: frozenset[str] = frozenset(self.by_id)
        self._position: dict[str, int] | None = None
        self._langs: set[str | None] | None = None
        self._lang_ids: dict[str | None, frozenset[str]] = {}
        self._tags: dict[str, frozenset[str]] | None = None
        self._dates: list[float] | None = None
        self._dates_sorted: bool | None = None
        self._globs: dict[str, frozenset[str]] = {}
        self._folded: dict[str, str] = {}

    def folded(self, value: str) -> str:
        """A field of an article (title, source, author) folded, kept while the
        snapshot is (a ``title:`` query folds thousands of titles)."""
        found = self._folded.get(value)
        if found is None:
            if len(self._folded) > 300_000:
                self._folded.clear()
            found = self._folded[value] = fold_like_index(value)
        return found

    @property
    def position(self) -> dict[str, int]:
        if self._position is None:
            self._position = {m.id: i for i, m in enumerate(self.metas)}
        return self._position

    def in_order(self, ids: frozenset[str] | set[str]) -> list[str]:
        """``ids`` in list order (a sort for a few, a walk for many)."""
        if len(ids) * 8 > len(self.metas):
            return [m.id for m in self.metas if m.id in ids]
        return sorted(ids, key=self.position.__getitem__)

    def langs(self) -> set[str | None]:
        """The (detected) languages of the articles; None: unknown."""
        if self._langs is None:
            try:
                self._langs = set(map(attrgetter("lang"), self.metas))  # no Python loop: most corpora hold one or two
            except AttributeError:
                self._langs = {getattr(m, "lang", None) for m in self.metas}
        return self._langs

    def lang_ids(self, lang: str | None) -> frozenset[str]:
        """The ids of the articles whose (detected) language is ``lang``."""
        found = self._lang_ids.get(lang)
        if found is None:
            found = frozenset(m.id for m in self.metas if getattr(m, "lang", None) == lang)
            self._lang_ids[lang] = found
        return found

    def tags(self) -> dict[str, frozenset[str]]:
        """Each file tag, folded as ``tag:`` compares them, with the ids that carry it."""
        if self._tags is None:
            groups: dict[str, set[str]] = {}
            for m in self.metas:
                for t in m.tags:
                    groups.setdefault(" ".join(t.split()).casefold(), set()).add(m.id)
            self._tags = {t: frozenset(ids) for t, ids in groups.items()}
        return self._tags

    def tagged(self, value: str, prefix: bool) -> frozenset[str]:
        """The ids whose file tags hold ``value`` (folded; with ``prefix``, a tag starting with it)."""
        groups = self.tags()
        if not prefix:
            return groups.get(value, frozenset())
        found: set[str] = set()
        for tag, ids in groups.items():
            if tag.startswith(value):
                found |= ids
        return frozenset(found)

    def dated_between(self, start: dt.date | None, end: dt.date | None) -> frozenset[str] | None:
        """The ids whose file date is within ``start``..``end`` (inclusive, None: open;
        undated never), or None when the list is not in date order (then the caller walks)."""
        if self._dates is None:
            keys = [-(m.date.toordinal()) if m.date is not None else math.inf for m in self.metas]
            self._dates_sorted = all(keys[i] <= keys[i + 1] for i in range(len(keys) - 1))
            self._dates = keys
        if not self._dates_sorted:
            return None
        keys = self._dates
        lo = bisect.bisect_left(keys, -end.toordinal()) if end is not None else 0
        hi = bisect.bisect_right(keys, -start.toordinal()) if start is not None else bisect.bisect_left(keys, math.inf)
        return frozenset(m.id for m in self.metas[lo:hi]) if hi > lo else frozenset()

    def glob(self, pattern: str, test: Callable[[str], bool]) -> frozenset[str]:
        """The ids ``test`` accepts (an ``id:`` glob), the last few patterns kept."""
        found = self._globs.get(pattern)
        if found is None:
            found = frozenset(i for i in self.universe if test(i))
            if len(self._globs) >= 16:
                self._globs.clear()
            self._globs[pattern] = found
        return found


_KEPT: dict[int, Snapshot] = {}


def snapshot(corpus: Any) -> Snapshot:
    """The snapshot of ``corpus.articles``, kept while the same list is shown."""
    articles = corpus.articles
    kept = _KEPT.get(id(articles))
    if kept is not None and kept.articles is articles and len(kept.metas) == len(articles):
        return kept
    snap = Snapshot(articles)
    if len(snap.metas) > SMALL:
        _KEPT.clear()  # one corpus at a time: the newest snapshot
        _KEPT[id(articles)] = snap
    return snap
