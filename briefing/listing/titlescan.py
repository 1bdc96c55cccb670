"""The command palette's ``Open: TITLE`` on a corpus read from its index (issue 20).

:class:`briefing.corpus.titles.TitleFinder` holds every title in memory, three times
over (as shown, folded, and in one string): 400 MB and several seconds of building
at a million articles, more than the reader's whole bound. :class:`IndexTitles`
answers the same ``find`` holding nothing per article: each search scans the
index's titles newest first in SQLite (``instr`` on the lower-cased title, every
typed word), stopping once :data:`~briefing.corpus.titles.SCAN_AT_MOST` titles
matched; when none has every word, the letters in order (``LIKE '%p%w%r%'``). The
titles found, with the analyst's titles in place of the files' (and the articles
whose analyst's title matches), are then ranked by a :class:`TitleFinder` of those
few: the same ranking and spans as over the whole corpus.

A scan costs at most one pass over the index's rows (about 0.6-1 s at a million
articles for a word no title holds; a common word stops at once), in the palette's
thread. A search started after it makes it give up (a keypress each). SQLite's
``lower`` folds ASCII letters only: a typed word with other letters is matched by
this module's Python fold instead (one call per title, slower).
"""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING

from briefing.corpus.titles import LIMIT, SCAN_AT_MOST, TitleFinder, TitleMatch, _fold
from briefing.sanitize import clean_line

if TYPE_CHECKING:
    from briefing.index.indexed import IndexedCorpus

SCAN_BUDGET_S = 3.0  # a scan gives up after this long (the titles found so far are ranked)
_CHECK_EVERY = 20_000  # SQLite virtual machine steps between checks of the clock and of newer searches
_ORDER = "ORDER BY date DESC, id"  # the list's order (articles_order)


def _list_key(row: tuple[str, str, int | None]) -> tuple[bool, int, str]:
    """:data:`_ORDER` in Python: newest first, undated last, then the id (SQLite
    compares ids as UTF-8 bytes: the order of their code points, as Python does)."""
    article_id, _, date = row
    return date is None, -(date or 0), article_id


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class IndexTitles:
    """``find(text, limit)`` as :meth:`TitleFinder.find` over every article of
    ``corpus`` (newest first), with the analyst's ``titles`` (id -> title) in place
    of the files'."""

    def __init__(self, corpus: IndexedCorpus, titles: Mapping[str, str]) -> None:
        self._corpus = corpus
        self._titles = dict(titles)
        self._count = len(corpus.articles)
        self._latest = 0  # the number of the last search started: an older one gives up
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return self._count

    def find(self, text: str, limit: int = LIMIT) -> list[TitleMatch]:
        words = [w for w in _fold(clean_line(text)).split() if w]
        if not words:
            return []
        with self._lock:
            self._latest += 1
            mine = self._latest
        deadline = time.monotonic() + SCAN_BUDGET_S
        conn = self._corpus._conn()

        def give_up() -> int:
            return int(self._latest != mine or time.monotonic() > deadline)

        conn.set_progress_handler(give_up, _CHECK_EVERY)
        try:
            rows = self._scan(conn, words)
            if not rows:
                rows = self._letters(conn, "".join(words))
        finally:
            conn.set_progress_handler(None, 0)
        if self._latest != mine:
            return []  # a newer search is under way: its answer is the one shown
        found = {i for i, _, _ in rows}
        # The analyst's titles may match where the file's do not (those that do, by TitleFinder's rules).
        mine_only = TitleFinder((i, t) for i, t in self._titles.items() if i not in found)
        others = [m.id for m in mine_only.find(text, SCAN_AT_MOST)]
        if others:
            rows += self._dates_of(conn, others)
            rows.sort(key=_list_key)  # in the list's order: ties keep it
        return TitleFinder((i, self._titles.get(i, title)) for i, title, _ in rows).find(text, limit)

    @staticmethod
    def _dates_of(conn: sqlite3.Connection, ids: list[str]) -> list[tuple[str, str, int | None]]:
        from briefing.listing.stream import rows_by_id

        return list(rows_by_id(conn, "SELECT a.id, a.title, a.date FROM articles AS a", ids))

    def _run(self, conn: sqlite3.Connection, where: str, params: list[str]) -> list[tuple[str, str, int | None]]:
        sql = f"SELECT id, title, date FROM articles WHERE {where} {_ORDER} LIMIT {SCAN_AT_MOST}"
        rows: list[tuple[str, str, int | None]] = []
        try:
            for row in conn.execute(sql, params):
                rows.append(row)
        except sqlite3.OperationalError as err:  # interrupted (a newer search, the budget): what was found
            if "interrupt" not in str(err):
                raise
        return rows

    def _scan(self, conn: sqlite3.Connection, words: list[str]) -> list[tuple[str, str, int | None]]:
        if all(w.isascii() for w in words):
            return self._run(conn, " AND ".join("instr(lower(title), ?) > 0" for _ in words), words)
        conn.create_function("briefing_fold", 1, _fold, deterministic=True)
        # Python is called only on the titles holding each word's longest ASCII piece
        # (SQLite stops at the first false term of an AND).
        clauses: list[str] = []
        params: list[str] = []
        for word in words:
            piece = max(re.findall(r"[\x00-\x7f]+", word), key=len, default="")
            if len(piece.strip()) >= 2:
                clauses.append("instr(lower(title), ?) > 0")
                params.append(piece)
        clauses += ["instr(briefing_fold(title), ?) > 0" for _ in words]
        return self._run(conn, " AND ".join(clauses), params + words)

    def _letters(self, conn: sqlite3.Connection, letters: str) -> list[tuple[str, str, int | None]]:
        """Titles holding ``letters`` in order (TitleFinder's fallback)."""
        if not letters or len(letters) > 64:
            return []
        pattern = "%" + "%".join(_like_escape(c) for c in letters) + "%"
        if letters.isascii():  # LIKE folds ASCII letters only
            return self._run(conn, "title LIKE ? ESCAPE '\\'", [pattern])
        conn.create_function("briefing_fold", 1, _fold, deterministic=True)
        ascii_letters = [c for c in letters if c.isascii()]  # in order too: Python only on the titles holding them
        if len(ascii_letters) >= 2:
            first = "%" + "%".join(_like_escape(c) for c in ascii_letters) + "%"
            return self._run(conn, "title LIKE ? ESCAPE '\\' AND briefing_fold(title) LIKE ? ESCAPE '\\'",
                             [first, pattern])
        return self._run(conn, "briefing_fold(title) LIKE ? ESCAPE '\\'", [pattern])
