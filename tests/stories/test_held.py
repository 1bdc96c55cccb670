"""The reader's packed Stories answer as a dict from member to story would."""

from __future__ import annotations

import random

import pytest

from briefing.stories.held import Stories, Story


def _groups(seed: int) -> list[list[str]]:
    rng = random.Random(seed)
    ids = [f"{rng.choice('abc')}/{k:04d}-é.txt" for k in range(400)]
    rng.shuffle(ids)
    groups, at = [], 0
    while at < 300:
        size = rng.randint(2, 6)
        groups.append(ids[at : at + size])
        at += size
    return groups


@pytest.mark.parametrize("compare_ids", [False, True])
@pytest.mark.parametrize("seed", [1, 2])
def test_packed_stories_answer_as_the_groups_say(seed: int, compare_ids: bool) -> None:
    groups = _groups(seed)
    made = [Story(g[0], tuple(g), tuple(1.0 if k == 0 else 0.5 for k in range(len(g)))) for g in groups]
    stories = Stories(made, 0.2, 7)
    stories._shared = compare_ids  # the path taken when two members share a hash
    expected = {m: k for k, g in enumerate(groups) for m in g}
    asked = [f"{c}/{k:04d}-é.txt" for c in "abc" for k in range(400)] + ["nope.txt"]
    assert len(stories) == len(groups)
    assert stories.grouped == len(expected)
    assert stories.sizes == [len(g) for g in groups]
    assert list(stories) == made
    for article_id in asked:
        k = expected.get(article_id)
        assert stories.story_of(article_id) == (made[k] if k is not None else None)
        assert stories.get(article_id) == (made[k] if k is not None and groups[k][0] == article_id else None)
    pairs = stories.members_at(asked)
    for article_id, (k, rank) in zip(asked, pairs, strict=True):
        if article_id in expected:
            assert (k, rank) == (expected[article_id], groups[expected[article_id]].index(article_id))
        else:
            assert (k, rank) == (-1, -1)
    assert stories.group_of(asked) == {a: made[k] for a, k in expected.items()}
    assert [stories.lead(k) for k in range(len(groups))] == [g[0] for g in groups]
    assert stories.members(groups[0][0]) == tuple(groups[0])
    assert stories.members(groups[0][1]) == ()


def test_no_stories_answer_none() -> None:
    stories = Stories([], 0.2, 7)
    assert len(stories) == 0 and stories.grouped == 0
    assert stories.story_of("a.txt") is None
    assert stories.members_at(["a.txt"]) == [(-1, -1)]
    assert stories.indexes(["a.txt"]).tolist() == [-1]
