"""A large corpus's first grouping in a child process (briefing.stories.child): the
child stores what an in-process grouping finds, with the analyst's corrected dates;
the reader then reads it back; a stop is a stop; a child that dies leaves the
grouping to the reader."""

from __future__ import annotations

import datetime as dt

import pytest

from briefing.annotations.corrected import CorrectedCorpus, Corrections
from briefing.index import open_index
from briefing.stories import Cancelled, NotStored, group_stories
from briefing.stories import child as story_child
from tests.answers import answers
from tests.stories.story_texts import sentences_text, write
from tests.stories.test_grouping_cache import members, small_corpus, story_tables


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    for var in ("CONFIG", "DATA", "CACHE"):
        monkeypatch.setenv(f"BRIEFING_{var}_DIR", str(tmp_path / f"_{var.lower()}"))


def corrected(root, fixes):
    return CorrectedCorpus(open_index(root), fix=Corrections.from_fixes(fixes))


def test_stored_only_reads_back_or_says_not_stored_without_signing(tmp_path):
    root = small_corpus(tmp_path / "c")
    with pytest.raises(NotStored):
        group_stories(open_index(root), stored_only=True)
    assert story_tables(root).get("story_signatures", 0) == 0
    first = group_stories(open_index(root))
    again = group_stories(open_index(root), stored_only=True)
    assert again.stats.from_cache and members(again) == members(first)


def test_the_child_stores_what_the_reader_would_group_with_the_analysts_dates(tmp_path):
    root = small_corpus(tmp_path / "c")
    write(root, "s0/c.txt", sentences_text(2, 10, date="2024-02-12"))  # a third version of story 0
    fixes = {"s0/c.txt": (None, dt.date(2023, 1, 1)), "s1/a.txt": ("Retitled", None)}
    reported: list[tuple[int, int]] = []
    done = story_child.group_in_child(root, fixes, progress=lambda d, t: reported.append((d, t)),
                                      should_stop=lambda: False)
    assert done is True
    assert reported and reported[-1][0] == reported[-1][1] > 0
    back = group_stories(corrected(root, fixes), stored_only=True)  # what the reader shows: read back
    assert back.stats.from_cache
    here = group_stories(corrected(root, fixes), use_cache=False)
    assert members(back) == members(here)
    # The dates count: the same corpus without the analyst's dates is not what was stored.
    with pytest.raises(NotStored):
        group_stories(open_index(root), stored_only=True)


def test_group_large_has_a_child_group_a_large_corpus_then_reads_it_back(tmp_path, monkeypatch):
    root = small_corpus(tmp_path / "c")
    monkeypatch.setattr(story_child, "LARGE_CORPUS", 3)
    calls = answers(monkeypatch, story_child, "group_in_child")
    stories = story_child.group_large(group_stories, open_index(root), root, None, progress=None,
                                      cancel=lambda: False, nice=0)
    assert calls == [True] and stories.stats.from_cache
    assert members(stories) == members(group_stories(open_index(root), use_cache=False))
    again = story_child.group_large(group_stories, open_index(root), root, None, progress=None,
                                    cancel=lambda: False, nice=0)
    assert calls == [True] and again.stats.from_cache  # stored: no child the second time
    monkeypatch.setattr(story_child, "LARGE_CORPUS", 100)
    other = small_corpus(tmp_path / "d")  # small: grouped here
    assert not story_child.group_large(group_stories, open_index(other), other, None, progress=None,
                                       cancel=lambda: False, nice=0).stats.from_cache
    assert calls == [True]


def test_a_stop_raises_cancelled_and_a_dead_child_leaves_the_grouping_here(tmp_path, monkeypatch):
    root = small_corpus(tmp_path / "c")
    monkeypatch.setattr(story_child, "LARGE_CORPUS", 3)
    with pytest.raises(Cancelled):
        story_child.group_large(group_stories, open_index(root), root, None, progress=None,
                                cancel=lambda: True, nice=0)
    assert story_child.group_in_child(root, None, progress=None, should_stop=lambda: False,
                                      module="briefing.no_such_module") is None
    monkeypatch.setattr(story_child, "group_in_child", lambda *a, **k: None)
    stories = story_child.group_large(group_stories, open_index(root), root, None, progress=None,
                                      cancel=lambda: False, nice=0)
    assert not stories.stats.from_cache
    assert members(stories) == members(group_stories(open_index(root), use_cache=False))
