"""Stories kept in the index cache: read back, incremental, damaged tables, cancel,
threads and worker processes, hostile text."""

from __future__ import annotations

import os
import sqlite3
import threading

import pytest

from briefing.index import CorpusIndex, cache_path, open_index
from briefing.stories import Cancelled, group_stories
from briefing.stories import store as story_store
from briefing.stories import workers as story_workers
from tests.stories.story_texts import ORIGINAL, REWRITE, copy_seeds, sentences_text, write


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    for var in ("CONFIG", "DATA", "CACHE"):
        monkeypatch.setenv(f"BRIEFING_{var}_DIR", str(tmp_path / f"_{var.lower()}"))


def members(stories):
    return [story.members for story in stories.stories]


def small_corpus(root, n_stories: int = 3):
    """``n_stories`` pairs of near-copies plus two loners."""
    for k in range(n_stories):
        write(root, f"s{k}/a.txt", sentences_text(100 * k, 10, date=f"2024-02-{10 + k:02d}"))
        write(root, f"s{k}/b.txt", sentences_text(100 * k + 1, 10, date=f"2024-02-{11 + k:02d}"))
    write(root, "loner1.txt", sentences_text(5000, 9))
    write(root, "loner2.txt", sentences_text(6000, 9))
    return root


def story_tables(root) -> dict[str, int]:
    """Rows of each story table; for story_signatures, signatures (8-byte keys) in its packs."""
    conn = sqlite3.connect(cache_path(root))
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE name LIKE 'story_%' AND type = 'table'")]
        count = {name: f"SELECT count(*) FROM {name}" for name in names}
        if "story_signatures" in count:
            count["story_signatures"] = "SELECT coalesce(sum(length(keys)), 0) / 8 FROM story_signatures"
        return {name: conn.execute(sql).fetchone()[0] for name, sql in count.items()}
    finally:
        conn.close()


def test_second_open_reads_the_same_stories_back_without_reading_files(tmp_path, monkeypatch):
    root = copy_seeds(tmp_path / "seeds")
    first = group_stories(open_index(root))
    assert not first.stats.from_cache and first.stats.signed == 5 and first.stats.stored
    assert story_tables(root) == {"story_meta": 3, "story_signatures": 5, "story_groups": 1}

    def no_reading(*args, **kwargs):
        raise AssertionError("a file was read")

    monkeypatch.setattr(story_workers, "read_bytes", no_reading)
    calls = []
    second = group_stories(open_index(root), progress=lambda done, total: calls.append((done, total)))
    assert second.stats.from_cache and second.stats.signed == 0
    assert members(second) == members(first) == [(REWRITE, ORIGINAL)]
    assert [s.id for s in second.stories] == [s.id for s in first.stories]
    assert [s.scores for s in second.stories] == [s.scores for s in first.stories]
    assert calls == [(0, 0)]
    monkeypatch.undo()
    third = group_stories(open_index(root), use_cache=False)  # computed afresh: still the same
    assert members(third) == members(first) and [s.scores for s in third] == [s.scores for s in first]


def test_a_changed_file_is_the_only_one_signed_again(tmp_path):
    root = small_corpus(tmp_path / "c")
    group_stories(open_index(root))
    write(root, "s1/b.txt", sentences_text(900, 10, date="2024-02-12"))  # no longer a copy of s1/a
    after = group_stories(open_index(root))
    assert after.stats.signed == 1 and after.stats.reused == 7
    assert members(after) == [("s2/a.txt", "s2/b.txt"), ("s0/a.txt", "s0/b.txt")]
    write(root, "loner2.txt", sentences_text(2, 10, date="2024-02-10"))  # now a near-copy of s0/a
    after = group_stories(open_index(root))
    assert after.stats.signed == 1
    assert members(after) == [("s2/a.txt", "s2/b.txt"), ("loner2.txt", "s0/a.txt", "s0/b.txt")]
    write(root, "loner1.txt", sentences_text(200, 10, date="2024-02-12"))  # the same body as s2/a:
    after = group_stories(open_index(root))  # its signature is found by fingerprint
    assert after.stats.signed == 0
    assert members(after)[0] == ("loner1.txt", "s2/a.txt", "s2/b.txt")  # same date: id order


def test_deleting_a_member_updates_its_story(tmp_path, monkeypatch):
    monkeypatch.setattr(story_store, "PRUNE_MIN", 0)  # prune a single unused signature
    monkeypatch.setattr(story_store, "PRUNE_RATIO", 0.0)
    root = small_corpus(tmp_path / "c")
    before = group_stories(open_index(root))
    assert before.story_of("s0/a.txt") is not None
    os.unlink(root / "s0" / "b.txt")
    after = group_stories(open_index(root))
    assert after.stats.signed == 0 and not after.stats.from_cache
    assert after.story_of("s0/a.txt") is None
    assert members(after) == [("s2/a.txt", "s2/b.txt"), ("s1/a.txt", "s1/b.txt")]
    assert story_tables(root)["story_signatures"] == 7  # the deleted body's signature is pruned
    os.unlink(root / "s1" / "a.txt")
    assert members(group_stories(open_index(root))) == [("s2/a.txt", "s2/b.txt")]


@pytest.mark.parametrize("damage", [
    "DROP TABLE story_signatures",
    "DROP TABLE story_groups",
    "DELETE FROM story_meta",
    "UPDATE story_signatures SET sigs = x'00ff'",
    "UPDATE story_signatures SET sizes = 'many'",
    "UPDATE story_groups SET scores = x'00ff'",
    "UPDATE story_groups SET members = x'ff'",
    "UPDATE story_meta SET value = 'other' WHERE key = 'params'",
    "DROP TABLE story_groups; CREATE TABLE story_groups(x)",
    "DROP TABLE story_meta; CREATE VIEW story_meta AS SELECT 1 AS key, 2 AS value",
])
def test_damaged_story_tables_are_rebuilt_silently(tmp_path, damage):
    root = copy_seeds(tmp_path / "seeds")
    expected = members(group_stories(open_index(root)))
    fresh = group_stories(open_index(root), threshold=0.25, use_cache=False)
    conn = sqlite3.connect(cache_path(root))
    conn.executescript(damage)
    conn.commit()
    conn.close()
    again = group_stories(open_index(root))
    assert members(again) == expected
    # Regrouping (another threshold) goes through the stored signatures: a bad row is
    # signed again, never used.
    other = group_stories(open_index(root), threshold=0.25)
    assert members(other) == members(fresh) and [s.scores for s in other] == [s.scores for s in fresh]
    assert "sigs = x" not in damage or other.stats.signed == 5
    assert "sizes = 'many'" not in damage or other.stats.signed == 5
    third = group_stories(open_index(root), threshold=0.25)
    assert members(third) == members(fresh) and third.stats.from_cache
    assert story_tables(root)["story_signatures"] == 5


def test_a_rebuilt_index_loses_the_tables_and_they_come_back(tmp_path):
    root = copy_seeds(tmp_path / "seeds")
    group_stories(open_index(root))
    CorpusIndex(root).rebuild()  # a new file renamed over the old one
    assert "story_signatures" not in story_tables(root)
    again = group_stories(open_index(root))
    assert members(again) == [(REWRITE, ORIGINAL)] and again.stats.signed == 5
    assert story_tables(root)["story_signatures"] == 5


def test_without_an_index_file_stories_are_computed_in_memory(tmp_path):
    from briefing.corpus import open_corpus

    root = copy_seeds(tmp_path / "seeds")
    stories = group_stories(open_corpus(root))
    assert members(stories) == [(REWRITE, ORIGINAL)] and not stories.stats.stored
    assert not cache_path(root).exists()


def test_an_unreadable_member_is_left_out_and_nothing_is_stored(tmp_path):
    root = copy_seeds(tmp_path / "seeds")
    index = open_index(root)
    os.unlink(root / ORIGINAL)  # gone after the index saw it
    stories = group_stories(index)
    assert stories.stories == [] and stories.stats.unreadable == 1 and not stories.stats.stored
    write(root, ORIGINAL, (copy_seeds(tmp_path / "again") / ORIGINAL).read_text(encoding="utf-8"))
    assert members(group_stories(open_index(root))) == [(REWRITE, ORIGINAL)]


def test_cancel_stops_and_keeps_what_was_signed(tmp_path, monkeypatch):
    monkeypatch.setattr(story_workers, "BATCH", 3)
    root = small_corpus(tmp_path / "c", n_stories=4)  # 10 articles: 4 batches
    index = open_index(root)
    seen = []

    def progress(done, total):
        seen.append((done, total))

    with pytest.raises(Cancelled):
        group_stories(index, progress=progress, cancel=lambda: len(seen) >= 3, workers=1)
    assert seen[0] == (0, 10) and seen[-1] == (6, 10)
    assert story_tables(index.root)["story_signatures"] == 6
    done = group_stories(index, workers=1)
    assert done.stats.signed == 4 and done.stats.reused == 6 and len(done) == 4


def test_signing_in_blocks_gives_the_same_stories_and_cancels_between_blocks(tmp_path, monkeypatch):
    from briefing.stories import group as story_group

    root = small_corpus(tmp_path / "c", n_stories=4)  # 10 articles
    whole = members(group_stories(open_index(root), use_cache=False, workers=1))
    assert len(whole) == 4
    monkeypatch.setattr(story_group, "SIGN_BLOCK", 4)  # blocks of 4, 4 and 2 bodies
    monkeypatch.setattr(story_workers, "BATCH", 2)
    seen = []
    index = open_index(root)
    with pytest.raises(Cancelled):
        group_stories(index, progress=lambda done, total: seen.append(done), cancel=lambda: 6 in seen, workers=1)
    assert seen[-1] == 6 and story_tables(index.root)["story_signatures"] == 6  # stopped in the second block
    again = group_stories(index, workers=1)
    assert again.stats.signed == 4 and again.stats.reused == 6
    assert members(again) == whole


def test_worker_processes_from_a_background_thread_give_the_same_stories(tmp_path, monkeypatch):
    root = small_corpus(tmp_path / "c", n_stories=6)
    expected = members(group_stories(open_index(root), use_cache=False, workers=1))
    monkeypatch.setattr(story_workers, "POOL_THRESHOLD", 4)
    monkeypatch.setattr(story_workers, "BATCH", 2)
    started = []
    real = story_workers.Worker.__init__

    def counting(self, *args, **kwargs):
        started.append(kwargs.get("module"))
        real(self, *args, **kwargs)

    monkeypatch.setattr(story_workers.Worker, "__init__", counting)
    box = {}
    thread = threading.Thread(target=lambda: box.update(result=group_stories(open_index(root), workers=2)))
    thread.start()
    thread.join(60)
    assert started == ["briefing.stories.workers"] * 2  # two signing processes, not the index's
    assert members(box["result"]) == expected and box["result"].stats.signed == 14


def test_signing_processes_run_at_the_niceness_asked_and_give_the_same_results(tmp_path, monkeypatch):
    from briefing.stories.signature import SHINGLE, Signer

    root = small_corpus(tmp_path / "c", n_stories=3)
    jobs = [(path.relative_to(root).as_posix(), str(path)) for path in sorted(root.rglob("*.txt"))]
    signer = Signer(SHINGLE, 128)
    expected = story_workers.sign_jobs(jobs, signer)
    monkeypatch.setattr(story_workers, "POOL_THRESHOLD", 4)
    monkeypatch.setattr(story_workers, "BATCH", 2)
    pools: list[list[int]] = []
    real = story_workers.Worker.__init__

    def recording(self, *args, **kwargs):
        real(self, *args, **kwargs)
        pools[-1].append(self.proc.pid)

    monkeypatch.setattr(story_workers.Worker, "__init__", recording)
    ours = os.getpriority(os.PRIO_PROCESS, 0)
    for nice in (0, 5):
        pools.append([])
        results = []
        for k, batch in enumerate(story_workers.sign_all(jobs, signer, workers=2, nice=nice)):
            if k < 2:  # batch k came from process k: it is serving (its niceness set)
                assert len(pools[-1]) == 2
                assert os.getpriority(os.PRIO_PROCESS, pools[-1][k]) == min(ours + nice, 19)
            results.extend(batch)
        assert results == expected


def test_hostile_text_is_grouped_as_text(tmp_path):
    root = tmp_path / "c"
    nasty = (
        "Headline \x1b]0;owned\x07 [bold red]x[/]\n\n"
        "date 2024-05-01 \x1b[31mRed\x1b[0m text \u202eevil\u202c and \x00 NUL, [link=http://x]click[/link]. "
        + "A very long word " + "z" * 5000 + ". "
        + sentences_text(300, 8)
    )
    write(root, "nasty1.txt", nasty)
    write(root, "nasty2.txt", nasty.replace("2024-05-01", "2024-05-02"))
    write(root, "punctuation.txt", "Title\n\n" + "!?… — ;; ... ,,, " * 200 + "\n")
    write(root, "punct2.txt", "Other\n\n" + "!?… — ;; ... ,,, " * 200 + "\n")
    write(root, "huge.txt", "Big\n\n" + ("word " * 200_000) + "\n")
    stories = group_stories(open_index(root))
    assert members(stories) == [("nasty1.txt", "nasty2.txt")]  # no words: never a story


def test_a_missing_folder_leaves_the_cache_alone(tmp_path):
    import shutil

    root = copy_seeds(tmp_path / "seeds")
    group_stories(open_index(root))
    moved = tmp_path / "elsewhere"
    shutil.move(root, moved)  # an unmounted share
    offline = open_index(root)
    assert offline.articles == [] and group_stories(offline).stories == []
    shutil.move(moved, root)
    back = group_stories(open_index(root))
    assert back.stats.from_cache and members(back) == [(REWRITE, ORIGINAL)]


def test_a_cache_file_that_is_not_a_database_is_left_as_it_is(tmp_path):
    from briefing.corpus import open_corpus

    root = copy_seeds(tmp_path / "seeds")
    path = cache_path(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"not sqlite at all\x00" * 100)
    stories = group_stories(open_corpus(root))  # no index refresh: the file stays bad
    assert members(stories) == [(REWRITE, ORIGINAL)] and not stories.stats.stored
    assert path.read_bytes() == b"not sqlite at all\x00" * 100


def test_a_lock_held_by_another_process_is_not_taken_for_damage(tmp_path, monkeypatch):
    from briefing.stories import store as story_store
    from briefing.stories.signature import PARAMS

    root = copy_seeds(tmp_path / "seeds")
    group_stories(open_index(root))
    monkeypatch.setattr(story_store, "BUSY_TIMEOUT_MS", 50)
    store = story_store.StoryStore(cache_path(root), PARAMS)
    assert store.open()
    other = sqlite3.connect(cache_path(root), isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # e.g. another instance refreshing the index
    try:
        assert store.put_signatures([("sha256:" + "0" * 64, 1, bytes(256))]) is False
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert not store.dropped  # the tables were not thrown away...
    store.close()
    assert story_tables(root)["story_signatures"] == 5  # ...and every signature is still there
    assert group_stories(open_index(root)).stats.from_cache
