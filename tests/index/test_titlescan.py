"""The palette's title search on a corpus read from its index (briefing.listing.
titlescan: nothing held per article) answers as TitleFinder over every title: the
same articles, order, scores and spans, with the analyst's titles in place."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.corpus.titles import TitleFinder
from briefing.index import open_index
from briefing.listing import titlescan
from briefing.listing.titlescan import IndexTitles

WORDS = ("Power", "grid", "Kyiv", "élections", "ÉLECTIONS", "storm", "market", "50%", "a_b", "minister", "İstanbul")


@pytest.fixture(scope="module")
def indexed(tmp_path_factory):
    root = tmp_path_factory.mktemp("titles") / "corpus"
    root.mkdir()
    rng = random.Random(7)
    for n in range(60):
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 6)))
        day = f"date 2024-{1 + n % 12:02d}-{1 + n % 27:02d} " if n % 5 else ""
        (root / f"{n:03d}.txt").write_text(f"{title} {n}\n\n{day}Some words of the body.\n", encoding="utf-8")
    return open_index(root, workers=1)


ANALYST = {"004.txt": "The analyst's own grid title", "010.txt": "Nothing alike"}


def whole(corpus, titles):
    return TitleFinder((m.id, titles.get(m.id, m.title)) for m in corpus.articles)


@pytest.mark.parametrize("text", ["grid", "GRID kyiv", "power grid", "élections", "électi", "istanbul", "50%", "a_b",
                                  "pwrgrd", "kyv", "zzz", "own grid", "  ", "nothing", "%", "_"])
def test_the_same_answers_as_over_every_title(indexed, text) -> None:
    for titles in ({}, ANALYST):
        assert IndexTitles(indexed, titles).find(text, 50) == whole(indexed, titles).find(text, 50), (text, titles)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(picks=st.lists(st.tuples(st.integers(0, len(WORDS) - 1), st.integers(0, 8), st.integers(1, 9)), min_size=1, max_size=3))
def test_pieces_of_titles_typed(indexed, picks) -> None:
    text = " ".join(WORDS[w][start:start + size] for w, start, size in picks)
    assert IndexTitles(indexed, ANALYST).find(text, 30) == whole(indexed, ANALYST).find(text, 30)


def test_a_search_started_after_makes_the_scan_give_up(indexed, monkeypatch) -> None:
    finder = IndexTitles(indexed, {})
    assert finder.find("grid")
    monkeypatch.setattr(titlescan, "_CHECK_EVERY", 1)
    original = IndexTitles._run

    def run_while_another_starts(self, conn, where, params):
        self._latest += 1  # as a keypress's next search would
        return original(self, conn, where, params)

    monkeypatch.setattr(IndexTitles, "_run", run_while_another_starts)
    assert finder.find("grid") == []
    monkeypatch.setattr(IndexTitles, "_run", original)
    assert [m.id for m in finder.find("grid")] == [m.id for m in whole(indexed, {}).find("grid")]  # the next one answers
