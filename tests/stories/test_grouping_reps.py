"""A regroup reads one signature per class from the index cache (briefing/stories/reps.py):
the same stories as with every signature in memory, and the fall back to that when
the store cannot be trusted to be read twice."""

from __future__ import annotations

import random
import sqlite3

import numpy as np
import pytest

from briefing.index import cache_path, open_index
from briefing.stories import cluster, group_stories, reps
from briefing.stories import group as group_module
from briefing.stories import workers as story_workers
from briefing.stories.store import StoryStore
from tests.stories.story_texts import sentence, sentences_text, write


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    for var in ("CONFIG", "DATA", "CACHE"):
        monkeypatch.setenv(f"BRIEFING_{var}_DIR", str(tmp_path / f"_{var.lower()}"))


def near_duplicates(root, seed: int = 5):
    """Families of near-copies (sentences shifted, dropped or added), exact copies (one
    body), copies whose paragraphs break elsewhere (another body, the same words),
    dated within days of each other or undated, and loners."""
    rng = random.Random(seed)
    for family in range(8):
        first = 1000 * family
        for k in range(rng.randint(2, 6)):
            shift, count = rng.randint(0, 3), rng.randint(8, 12)
            day = f"2024-03-{rng.randint(1, 20):02d}" if rng.random() < 0.7 else None
            text = sentences_text(first + shift, count, date=day)
            write(root, f"f{family}/m{k}.txt", text)
            if rng.random() < 0.4:
                write(root, f"copies/f{family}-m{k}.txt", text)
            if rng.random() < 0.4:
                body = "\n\n".join(sentence(n) for n in range(first + shift, first + shift + count))
                write(root, f"split/f{family}-m{k}.txt", f"date {day} {body}\n" if day else body + "\n")
    for k in range(6):
        write(root, f"loners/{k}.txt", sentences_text(50_000 + 100 * k, 9))
    return root


def told(stories):
    return [(s.members, s.scores) for s in stories.stories]


def spy(monkeypatch, kinds: list[str] | None = None) -> list[bool]:
    """Whether each call of read_classes gave classes (False: the caller fell back);
    ``kinds``: "every" or "banded" for each that did (every class's signature, or
    the pairs from band keys and the paired classes' signatures)."""
    calls: list[bool] = []
    real = group_module.read_classes

    def wrapped(*args, **kwargs):
        found = real(*args, **kwargs)
        calls.append(found is not None)
        if found is not None and kinds is not None:
            kinds.append("banded" if isinstance(found[1], reps.Compact) else "every")
        return found

    monkeypatch.setattr(group_module, "read_classes", wrapped)
    return calls


def test_classes_read_from_the_store_give_the_stories_of_every_signature_in_memory(tmp_path, monkeypatch):
    root = near_duplicates(tmp_path / "c")
    monkeypatch.setattr(group_module, "STORE_EVERY", 5)  # many packs
    monkeypatch.setattr(story_workers, "BATCH", 4)
    kinds: list[str] = []
    calls = spy(monkeypatch, kinds)
    signed_now = group_stories(open_index(root), threshold=0.3, window_days=3)  # signs and stores every body
    assert calls == [True] and signed_now.stats.signed > 0
    assert told(signed_now) == told(group_stories(open_index(root), threshold=0.3, window_days=3, use_cache=False))
    conn = sqlite3.connect(cache_path(root))
    with conn:  # one pack twice (the later one holds): the same signatures
        conn.execute("INSERT INTO story_signatures(keys, sizes, sigs) SELECT keys, sizes, sigs FROM story_signatures WHERE pack = 2")
        packs = conn.execute("SELECT count(*) FROM story_signatures").fetchone()[0]
    conn.close()
    assert packs > 3
    for threshold, window, budget in [(0.2, 0, None), (0.35, 3, None), (0.2, 0, 0), (0.35, 3, 0), (0.5, 7, 0)]:
        if budget is not None:  # many classes: the pairs from band keys, 3 bands a read
            monkeypatch.setattr(reps, "REPS_BUDGET", budget)
            monkeypatch.setattr(reps, "BAND_GROUP", 3)
        calls.clear()
        kinds.clear()
        regrouped = group_stories(open_index(root), threshold=threshold, window_days=window)
        assert calls == [True] and kinds == ["every" if budget is None else "banded"]
        assert regrouped.stats.signed == 0 and not regrouped.stats.from_cache
        whole = group_stories(open_index(root), threshold=threshold, window_days=window, use_cache=False)
        assert calls == [True]  # (no store: every signature in memory)
        assert told(regrouped) == told(whole)
        assert regrouped.stats.candidates == whole.stats.candidates and regrouped.stats.verified == whole.stats.verified
        assert sum(len(s) for s in whole.stories) > 20 and regrouped.stats.distinct < regrouped.stats.articles


def test_two_signatures_with_one_hash_fall_back_to_every_signature(tmp_path, monkeypatch):
    root = near_duplicates(tmp_path / "c", seed=9)
    expected_03 = told(group_stories(open_index(root), threshold=0.3))
    expected = told(group_stories(open_index(root), threshold=0.25, use_cache=False))
    calls = spy(monkeypatch)
    monkeypatch.setattr(cluster, "row_hashes", lambda rows: np.zeros(len(rows), dtype=np.uint64))  # all collide
    assert told(group_stories(open_index(root), threshold=0.25)) == expected
    monkeypatch.setattr(reps, "REPS_BUDGET", 0)  # noticed by the band keys too
    assert told(group_stories(open_index(root), threshold=0.3)) == expected_03
    assert calls == [False, False]


def test_packs_rewritten_between_the_two_reads_fall_back_to_every_signature(tmp_path, monkeypatch):
    """Another process prunes the signatures (every pack rewritten, ids from 1 again,
    other bodies in them) after the first read: the second read notices."""
    root = near_duplicates(tmp_path / "c", seed=11)
    monkeypatch.setattr(group_module, "STORE_EVERY", 5)
    monkeypatch.setattr(story_workers, "BATCH", 4)
    group_stories(open_index(root), threshold=0.3)
    expected = told(group_stories(open_index(root), threshold=0.25, use_cache=False))
    calls = spy(monkeypatch)
    real = StoryStore.signatures_in

    def rewritten_first(self, bins):
        conn = sqlite3.connect(cache_path(root))
        with conn:
            packs = conn.execute("SELECT keys, sizes, sigs FROM story_signatures ORDER BY pack DESC").fetchall()
            conn.execute("DELETE FROM story_signatures")
            conn.executemany("INSERT INTO story_signatures(pack, keys, sizes, sigs) VALUES (?, ?, ?, ?)",
                             [(k + 1, *p) for k, p in enumerate(packs)])
        conn.close()
        monkeypatch.setattr(StoryStore, "signatures_in", real)
        return real(self, bins)

    monkeypatch.setattr(StoryStore, "signatures_in", rewritten_first)
    assert told(group_stories(open_index(root), threshold=0.25)) == expected
    assert calls == [False]


def test_the_fall_back_signs_a_body_signed_in_the_first_pass_once(tmp_path, monkeypatch):
    """A file changed since the index read it (its body is not the one the index
    knows): the first pass signs it; when read_classes then gives up, the fall back
    takes that signature and neither signs nor counts the body again."""
    root = near_duplicates(tmp_path / "c", seed=13)
    group_stories(open_index(root), threshold=0.3)  # every body signed and stored
    write(root, "loners/0.txt", sentences_text(60_000, 9))
    index = open_index(root)  # knows this body (the stored grouping no longer holds)...
    write(root, "loners/0.txt", sentences_text(70_000, 9))  # ...not this one, written after
    expected = told(group_stories(index, threshold=0.3, use_cache=False))
    jobs: list[str] = []
    real_sign_all = group_module.sign_all

    def counting(batch, *args, **kwargs):
        jobs.extend(article_id for article_id, _ in batch)
        return real_sign_all(batch, *args, **kwargs)

    monkeypatch.setattr(group_module, "sign_all", counting)
    calls = spy(monkeypatch)
    monkeypatch.setattr(cluster, "row_hashes", lambda rows: np.zeros(len(rows), dtype=np.uint64))  # all collide
    regrouped = group_stories(index, threshold=0.3)
    assert calls == [False]  # the fall back ran
    assert jobs == ["loners/0.txt"] and regrouped.stats.signed == 1
    assert regrouped.stats.reused == regrouped.stats.articles - 1  # every other body, once
    assert told(regrouped) == expected
    # A new file the index knows: signed and stored under the key the fall back reads
    # by; it is still the first pass's, not counted again as found in the store.
    write(root, "loners/new.txt", sentences_text(80_000, 9))
    calls.clear()
    jobs.clear()
    again = group_stories(open_index(root), threshold=0.3)
    assert calls == [False] and jobs == ["loners/new.txt"]
    assert again.stats.signed == 1 and again.stats.reused == again.stats.articles - 1


def held_spy(monkeypatch) -> list[tuple[int, int, tuple[int, ...]]]:
    """For each call of read_classes: how many bodies were signed now, how many of
    them are held in memory, and the held signatures' shape."""
    seen: list[tuple[int, int, tuple[int, ...]]] = []
    real = group_module.read_classes

    def wrapped(located, *args, **kwargs):
        seen.append((len(located.signed_rows), len(located.held_rows), located.held_sigs.shape))
        return real(located, *args, **kwargs)

    monkeypatch.setattr(group_module, "read_classes", wrapped)
    return seen


def test_a_first_grouping_holds_in_memory_only_the_signatures_the_store_does_not_hold_by_the_index(tmp_path, monkeypatch):
    """Nothing signed yet: every body is signed, stored and located in its pack; only a
    file changed since the index read it (stored under its new body) and one no
    longer readable are held. The stories are those of every signature in memory."""
    root = near_duplicates(tmp_path / "c", seed=17)
    monkeypatch.setattr(group_module, "STORE_EVERY", 5)  # many packs
    monkeypatch.setattr(story_workers, "BATCH", 4)
    index = open_index(root)
    write(root, "loners/0.txt", sentences_text(70_000, 9))  # changed after the index read it
    (root / "loners" / "1.txt").unlink()  # gone after the index read it
    seen = held_spy(monkeypatch)
    calls = spy(monkeypatch)
    first = group_stories(index, threshold=0.3, window_days=3)
    bodies = first.stats.signed + 1  # (the unreadable one is not counted as signed)
    assert calls == [True] and seen == [(bodies, 2, (2, 128))]
    assert first.stats.unreadable == 1 and first.stats.reused == 0 and not first.stats.from_cache
    whole = group_stories(index, threshold=0.3, window_days=3, use_cache=False)
    assert told(first) == told(whole)
    assert first.stats.candidates == whole.stats.candidates and first.stats.verified == whole.stats.verified
    assert sum(len(s) for s in whole.stories) > 20
    # Another threshold: every body found in the store (the changed one under the
    # index's key is not: signed again and held), the same stories as in memory.
    seen.clear()
    again = group_stories(index, threshold=0.2, window_days=0)
    assert calls == [True, True] and seen == [(2, 2, (2, 128))]
    assert told(again) == told(group_stories(index, threshold=0.2, window_days=0, use_cache=False))


def test_bodies_whose_pack_could_not_be_stored_are_held(tmp_path, monkeypatch):
    root = near_duplicates(tmp_path / "c", seed=19)
    monkeypatch.setattr(group_module, "STORE_EVERY", 5)
    monkeypatch.setattr(story_workers, "BATCH", 4)
    real = StoryStore.put_pack
    refused: list[int] = []

    def some_refused(self, keys, sizes, sigs):  # (as when the disk is full or the file locked)
        if int(keys[0]) % 2:
            refused.append(len(keys))
            return None
        return real(self, keys, sizes, sigs)

    monkeypatch.setattr(StoryStore, "put_pack", some_refused)
    seen = held_spy(monkeypatch)
    calls = spy(monkeypatch)
    stories = group_stories(open_index(root), threshold=0.3)
    assert refused and calls == [True]
    assert seen[0][0] == stories.stats.signed and seen[0][1] == sum(refused) < stories.stats.signed
    assert told(stories) == told(group_stories(open_index(root), threshold=0.3, use_cache=False))
