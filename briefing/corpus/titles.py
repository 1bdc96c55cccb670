"""Finding articles by their title, fast enough for every keypress at 100k articles.

:class:`TitleFinder` holds every title folded to lower case in one string, a line
each, so a typed word is looked for by ``str.find`` over the whole corpus at C speed;
only the lines it lands on are looked at in Python, and the search stops after
:data:`SCAN_AT_MOST` titles have matched, so one keypress costs a few milliseconds
whatever the corpus size. Every typed word must appear in the title, in any order
(``kyiv power`` finds "Power cuts in Kyiv"); when no title has them all, the letters
are matched in order as a subsequence (``pwrcts`` finds "Power cuts"). Results are
ranked: the whole text at the start of the title, then as a phrase, then words at
word starts; ties keep the corpus's order (newest first).

Plain Python (the reader's command palette uses it; so could a command).
"""

from __future__ import annotations

import re
import time
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from briefing import repeats
from briefing.sanitize import clean_line

SCAN_AT_MOST = 400  # titles matched before the search stops looking (then ranked)
LIMIT = 20  # results returned by default
BUDGET_S = 0.15  # a search stops looking after this long (the titles found so far are ranked)
CHUNK = 1 << 16  # the subsequence search looks at this many characters between checks of the clock


@dataclass(frozen=True)
class TitleMatch:
    id: str
    title: str  # display-clean, one line
    score: float  # 0 < score <= 1
    spans: tuple[tuple[int, int], ...]  # matched parts of ``title``


def _fold(title: str) -> str:
    """``title`` in lower case, character for character (offsets still hold)."""
    low = title.lower()
    if len(low) == len(title):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in title)  # e.g. "İ" grows when lowered


class TitleFinder:
    def __init__(self, titles: Iterable[tuple[str, str]]) -> None:
        """``titles``: (article id, title) in the order results should favour."""
        self._ids: list[str] = []
        self._titles: list[str] = []
        folded: list[str] = []
        for article_id, title in titles:
            shown = title if title.isprintable() else clean_line(title)
            self._ids.append(article_id)
            self._titles.append(shown)
            folded.append(_fold(shown))
        self._folded = folded
        self._blob = "\n".join(folded) + "\n"
        starts = [0]
        for text in folded:
            starts.append(starts[-1] + len(text) + 1)
        self._starts = starts

    def __len__(self) -> int:
        return len(self._ids)

    def _line(self, pos: int) -> int:
        return bisect_right(self._starts, pos) - 1

    def _lines_with(self, word: str) -> Iterable[int]:
        """Indexes of the titles containing ``word``, in order."""
        starts, find = self._starts, self._blob.find
        pos = find(word)
        while pos >= 0:
            line = self._line(pos)
            yield line
            pos = find(word, starts[line + 1])  # on to the next title

    def find(self, text: str, limit: int = LIMIT) -> list[TitleMatch]:
        words = [w for w in _fold(clean_line(text)).split() if w]
        if not words or not self._ids:
            return []
        deadline = time.perf_counter() + BUDGET_S
        anchor = max(words, key=len)  # the longest word: usually the fewest titles to look at
        found: list[TitleMatch] = []
        phrase = " ".join(words)
        for seen, line in enumerate(self._lines_with(anchor)):
            title = self._folded[line]
            if all(w in title for w in words):
                found.append(self._match(line, words, phrase))
                if len(found) >= SCAN_AT_MOST:
                    break
            if not seen % 256 and time.perf_counter() > deadline:
                break
        if not found:
            found = self._subsequence(phrase.replace(" ", ""), time.perf_counter() + BUDGET_S / 3)
        found.sort(key=lambda m: -m.score)  # stable: ties keep the corpus's order
        return found[:limit]

    def _match(self, line: int, words: list[str], phrase: str) -> TitleMatch:
        title = self._folded[line]
        score = 0.5
        at = title.find(phrase)
        if at == 0:
            score = 1.0
        elif at > 0:
            score = 0.8
        spans: list[tuple[int, int]] = []
        if at >= 0:
            spans.append((at, at + len(phrase)))
        else:
            for word in words:
                start = title.find(word)
                spans.append((start, start + len(word)))
                if start == 0 or not title[start - 1].isalnum():
                    score += 0.2 / len(words)
        score -= min(len(title), 200) / 2000  # a short title that matches is the better guess
        return TitleMatch(self._ids[line], self._titles[line], max(score, 0.01), tuple(sorted(spans)))

    def _subsequence(self, letters: str, deadline: float) -> list[TitleMatch]:
        """Titles holding ``letters`` in order (the first place each can be), bounded
        by :data:`SCAN_AT_MOST` and by ``deadline`` (the newest titles are looked at first)."""
        if not letters or len(letters) > 64:
            return []
        parts = []
        for i, c in enumerate(letters):
            if i:
                # possessive: never backtracks (ordinary on an older Python: the same
                # matches, the class leaving out the letter that follows)
                parts.append(repeats.for_this_python("[^\\n" + re.escape(c) + "]*+"))
            parts.append(f"({re.escape(c)})")
        pattern = re.compile("".join(parts))
        found: list[TitleMatch] = []
        seen: set[int] = set()
        blob, starts = self._blob, self._starts
        begin = 0
        while begin < len(blob) and len(found) < SCAN_AT_MOST and time.perf_counter() < deadline:
            end = starts[min(self._line(min(begin + CHUNK, len(blob) - 1)) + 1, len(starts) - 1)]  # a whole title
            for m in pattern.finditer(blob, begin, end):
                line = self._line(m.start())
                if line in seen:
                    continue
                seen.add(line)
                base = starts[line]
                spans = tuple((m.start(g) - base, m.end(g) - base) for g in range(1, len(letters) + 1))
                spread = spans[-1][1] - spans[0][0]
                score = 0.3 * len(letters) / max(spread, 1)
                found.append(TitleMatch(self._ids[line], self._titles[line], max(score, 0.01), spans))
                if len(found) >= SCAN_AT_MOST:
                    break
            begin = end
        return found
