"""The cache follows the folder: added, changed, renamed and deleted files."""

from __future__ import annotations

import os
import shutil

import pytest

import briefing.index.refresh as refresh_mod
import briefing.index.workers as workers_mod
from briefing.corpus import open_corpus
from briefing.index import CorpusIndex, cache_path, open_index

from .conftest import make_corpus


def same_as_corpus(root):
    """The index gives exactly what the corpus loader gives (articles and problems)."""
    indexed = open_index(root)
    loaded = open_corpus(root)
    assert indexed.articles == loaded.articles
    assert sorted(map(str, indexed.problems)) == sorted(map(str, loaded.problems))
    return indexed


@pytest.fixture
def parsed_ids(monkeypatch):
    """Record every file the refresh parses."""
    seen: list[str] = []
    real = refresh_mod.extract_many

    def spy(root, jobs):
        seen.extend(job[0] for job in jobs)
        return real(root, jobs)

    monkeypatch.setattr(refresh_mod, "extract_many", spy)
    return seen


def test_first_open_matches_the_corpus_loader(corpus_dir):
    indexed = same_as_corpus(corpus_dir)
    assert len(indexed.articles) == 60
    assert indexed.stats.new == 60 and indexed.stats.unchanged == 0
    assert cache_path(corpus_dir).exists()


def test_unchanged_files_are_not_parsed_again(corpus_dir, parsed_ids):
    open_index(corpus_dir)
    parsed_ids.clear()
    again = open_index(corpus_dir)
    assert parsed_ids == []
    assert again.stats.unchanged == 60
    assert (again.stats.new, again.stats.changed, again.stats.deleted) == (0, 0, 0)


def test_added_changed_deleted_files(corpus_dir, parsed_ids):
    open_index(corpus_dir)
    parsed_ids.clear()
    (corpus_dir / "2020" / "01" / "new.txt").write_text("Fresh headline\n\nA brand new article about harbours.\n")
    (corpus_dir / "2020" / "01" / "0000.txt").write_text("Rewritten headline\n\nThe text is now different and longer.\n")
    (corpus_dir / "2021" / "02" / "0001.txt").unlink()
    indexed = same_as_corpus(corpus_dir)
    stats = indexed.stats
    assert (stats.new, stats.changed, stats.deleted) == (1, 1, 1)
    assert sorted(parsed_ids) == ["2020/01/0000.txt", "2020/01/new.txt"]
    assert indexed.get("2020/01/0000.txt").title == "Rewritten headline"
    assert "2021/02/0001.txt" not in [m.id for m in indexed.articles]
    assert [h.id for h in indexed.search("harbours")] == ["2020/01/new.txt"]
    assert indexed.search("rewritten")[0].id == "2020/01/0000.txt"


def test_same_size_same_mtime_change_is_detected(corpus_dir):
    """os.utime can put the old mtime back, but not the ctime, and a file written in
    the last seconds is re-read anyway (racy timestamps): the change is seen."""
    path = corpus_dir / "2020" / "01" / "0000.txt"
    path.write_text("Alpha headline\n\nThe quick brown fox.\n")
    before = open_index(corpus_dir)
    assert before.get("2020/01/0000.txt").title == "Alpha headline"
    st = path.stat()
    path.write_text("Omega headline\n\nThe quick brown cat.\n")  # same length
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns
    after = same_as_corpus(corpus_dir)
    assert after.get("2020/01/0000.txt").title == "Omega headline"
    assert after.stats.changed == 1
    assert [h.id for h in after.search("cat")] == ["2020/01/0000.txt"]
    assert after.search("fox") == []


def test_stale_stat_with_equal_bytes_only_updates_the_stat(corpus_dir, parsed_ids):
    open_index(corpus_dir)
    parsed_ids.clear()
    path = corpus_dir / "2020" / "01" / "0000.txt"
    os.utime(path, ns=(0, 10**18))  # touched: new mtime, same bytes
    again = open_index(corpus_dir)
    assert parsed_ids == []
    assert again.stats.unchanged == 60 and again.stats.rehashed >= 1


def test_rename_is_detected_and_not_reindexed(corpus_dir):
    open_index(corpus_dir)
    old = corpus_dir / "2020" / "01" / "0000.txt"
    title = open_corpus(corpus_dir).get("2020/01/0000.txt").title
    shutil.move(old, corpus_dir / "2020" / "01" / "renamed.txt")
    indexed = same_as_corpus(corpus_dir)
    assert indexed.stats.renames == [("2020/01/0000.txt", "2020/01/renamed.txt")]
    assert (indexed.stats.renamed, indexed.stats.deleted, indexed.stats.new) == (1, 0, 1)
    assert indexed.get("2020/01/renamed.txt").title == title
    word = title.split()[0]
    assert "2020/01/renamed.txt" in indexed.match_ids(word)
    assert "2020/01/0000.txt" not in indexed.match_ids(word)


def test_bad_file_is_a_problem_until_fixed(corpus_dir, parsed_ids):
    bad = corpus_dir / "broken.txt"
    bad.write_bytes(b"\x00\x01\x02" * 200)
    first = same_as_corpus(corpus_dir)
    assert [p.id for p in first.problems] == ["broken.txt"]
    parsed_ids.clear()
    second = open_index(corpus_dir)
    assert [p.id for p in second.problems] == ["broken.txt"]
    bad.write_text("Repaired headline\n\nNow it is text.\n")
    third = same_as_corpus(corpus_dir)
    assert third.problems == []
    assert third.get("broken.txt").title == "Repaired headline"


def test_problems_reach_on_problem(corpus_dir):
    (corpus_dir / "empty.txt").write_text("")
    seen = []
    open_index(corpus_dir, on_problem=seen.append)
    assert [p.id for p in seen] == ["empty.txt"]
    seen.clear()
    open_index(corpus_dir, on_problem=seen.append)  # stored problem, reported again
    assert [p.id for p in seen] == ["empty.txt"]


def test_emptied_folder_empties_the_index(corpus_dir):
    open_index(corpus_dir)
    shutil.rmtree(corpus_dir)
    corpus_dir.mkdir()
    indexed = open_index(corpus_dir)
    assert indexed.articles == [] and indexed.stats.deleted == 60
    assert indexed.search("power") == []


def test_missing_folder_leaves_the_cache_alone(corpus_dir, tmp_path):
    open_index(corpus_dir)
    size = cache_path(corpus_dir).stat().st_size
    moved = tmp_path / "elsewhere"
    corpus_dir.rename(moved)
    problems = []
    gone = open_index(corpus_dir, on_problem=problems.append)
    assert gone.articles == [] and len(problems) == 1 and gone.search("power") == []
    moved.rename(corpus_dir)
    back = open_index(corpus_dir)
    assert back.stats.unchanged == 60 and cache_path(corpus_dir).stat().st_size >= size


def test_progress_and_first_batch(tmp_path, monkeypatch):
    root = tmp_path / "c"
    make_corpus(root, 130)
    monkeypatch.setattr(refresh_mod, "FIRST_BATCH", 20)
    monkeypatch.setattr(refresh_mod, "BATCH", 50)
    calls, batches = [], []
    index = CorpusIndex(root)
    index.refresh(progress=lambda done, total: calls.append((done, total)), on_batch=batches.append)
    assert calls[0] == (0, 130) and calls[-1] == (130, 130)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert [len(b) for b in batches] == [20, 50, 50, 10]
    assert sorted(m.id for b in batches for m in b) == sorted(m.id for m in index.snapshot().articles)


def test_worker_processes_give_the_same_index(tmp_path, monkeypatch):
    root = tmp_path / "c"
    make_corpus(root, 90)
    (root / "broken.txt").write_bytes(b"\x00" * 100)
    monkeypatch.setattr(refresh_mod, "FIRST_BATCH", 10)
    monkeypatch.setattr(refresh_mod, "BATCH", 16)
    monkeypatch.setattr(refresh_mod, "POOL_THRESHOLD", 1)
    in_process: list[str] = []
    real = workers_mod.extract_many
    monkeypatch.setattr(workers_mod, "extract_many", lambda r, jobs: in_process.extend(j[0] for j in jobs) or real(r, jobs))
    indexed = open_index(root, workers=2)
    assert len(in_process) == 10  # only the first batch; the rest came from the workers
    loaded = open_corpus(root)
    assert indexed.articles == loaded.articles
    assert [p.id for p in indexed.problems] == ["broken.txt"]


def test_undecodable_file_name(corpus_dir):
    raw = os.fsencode(corpus_dir) + b"/caf\xe9 \xff.txt"
    with open(raw, "wb") as handle:
        handle.write(b"Odd name\n\nThe name of this file is not UTF-8.\n")
    indexed = same_as_corpus(corpus_dir)
    odd = [m for m in indexed.articles if m.title == "Odd name"]
    assert len(odd) == 1
    assert indexed.article(odd[0].id).body == "The name of this file is not UTF-8."
    assert [h.id for h in indexed.search("utf")] == [odd[0].id]
    again = open_index(corpus_dir)
    assert again.stats.unchanged == 61


def test_head_is_the_top_of_the_cached_list(corpus_dir):
    index = CorpusIndex(corpus_dir)
    assert index.head(5) == []  # no cache yet, and head() does not make one
    assert not cache_path(corpus_dir).exists()
    index.refresh()
    full = index.snapshot().articles
    assert index.head(5) == full[:5]
    assert index.head(1000) == full
    cache_path(corpus_dir).write_bytes(b"garbage")
    assert index.head(5) == []


def test_a_stopped_refresh_keeps_its_batches_and_resumes(tmp_path, monkeypatch, parsed_ids):
    root = tmp_path / "c"
    make_corpus(root, 100)
    monkeypatch.setattr(refresh_mod, "FIRST_BATCH", 10)
    monkeypatch.setattr(refresh_mod, "BATCH", 30)
    batches = []
    index = CorpusIndex(root)
    stats = index.refresh(on_batch=batches.append, should_stop=lambda: len(batches) >= 2)
    assert stats.stopped and [len(b) for b in batches] == [10, 30]
    assert len(index.snapshot().articles) == 40
    parsed_ids.clear()
    resumed = open_index(root)
    assert len(parsed_ids) == 60 and resumed.stats.new == 60
    assert resumed.articles == open_corpus(root).articles


def test_an_unchanged_open_keeps_no_list_of_files_and_a_change_still_takes_the_exact_path(tmp_path, monkeypatch):
    """The common open (nothing changed) walks the folder keeping only a digest: the
    comparison's walk table (every file, on disk) is not made; a change makes it, and
    is found."""
    monkeypatch.setattr(refresh_mod, "RACY_WINDOW_NS", 0)  # nothing racy: the digest is stored
    root = tmp_path / "c"
    paths = make_corpus(root, 40, seed=3)
    open_index(root)
    scans = []
    real_table = refresh_mod.WalkTable
    monkeypatch.setattr(refresh_mod, "WalkTable", lambda *a, **k: scans.append(1) or real_table(*a, **k))
    again = open_index(root)
    assert scans == [] and (again.stats.files, again.stats.unchanged) == (40, 40)
    assert again.articles == open_corpus(root).articles
    paths[5].write_text(paths[5].read_text(encoding="utf-8") + "\nA new last line.\n", encoding="utf-8")
    changed = open_index(root)
    assert scans == [1] and changed.stats.changed == 1
    assert changed.articles == open_corpus(root).articles
    assert open_index(root).stats.unchanged == 40 and scans == [1]


def test_files_whose_bytes_were_hashed_again_leave_the_walk_digest_for_the_next_open(tmp_path, monkeypatch):
    """A refresh that had to hash files (stat moved, size not: here a chmod, which
    moves the ctime) stores the digest of its walk, so the next open skips the
    comparison (it used to store the last file's hash instead, and compare again)."""
    monkeypatch.setattr(refresh_mod, "RACY_WINDOW_NS", 0)
    root = tmp_path / "c"
    paths = make_corpus(root, 30, seed=4)
    open_index(root)
    for path in paths:
        os.chmod(path, 0o640)
    rehashed = open_index(root)
    assert (rehashed.stats.rehashed, rehashed.stats.unchanged) == (30, 30)
    compared = []
    real = refresh_mod.Refresher._stored
    monkeypatch.setattr(refresh_mod.Refresher, "_stored", lambda self: compared.append(1) or real(self))
    assert open_index(root).stats.unchanged == 30 and compared == []
