"""apply_paths: the cache follows named paths without a walk, and ends where a full
refresh would."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

import briefing.corpus.discover as discover_mod
import briefing.index.refresh as refresh_mod
from briefing.corpus import open_corpus
from briefing.durable import LockTimeout, locked
from briefing.index import CorpusIndex
from briefing.index.incremental import IndexUnavailable, apply_paths

from .conftest import age


def cached(root) -> list:
    """The articles the cache holds now (a new CorpusIndex: no walk, no refresh)."""
    return CorpusIndex(root, workers=1).snapshot().articles


def problems_cached(root) -> list[str]:
    return sorted(str(p) for p in CorpusIndex(root, workers=1).snapshot().problems)


@pytest.fixture
def indexed(corpus_dir):
    index = CorpusIndex(corpus_dir, workers=1)
    index.refresh()
    for path in corpus_dir.rglob("*.txt"):
        age(path)  # out of the racy window: unchanged files are trusted by their stat
    index.refresh()
    return corpus_dir, index


@pytest.fixture
def no_walk(monkeypatch):
    """Fail if anything walks the whole corpus folder."""
    real = discover_mod._walk
    roots: list[str] = []

    def spy(root, report, want_stat, *dirs):
        roots.append(os.path.realpath(os.fspath(root)))
        return real(root, report, want_stat, *dirs)

    monkeypatch.setattr(discover_mod, "_walk", spy)
    return roots


@pytest.fixture
def parsed_ids(monkeypatch):
    seen: list[str] = []
    real = refresh_mod.extract_many

    def spy(root, jobs):
        seen.extend(job[0] for job in jobs)
        return real(root, jobs)

    monkeypatch.setattr(refresh_mod, "extract_many", spy)
    return seen


def test_added_changed_removed_renamed(indexed, no_walk, parsed_ids):
    root, index = indexed
    (root / "2020" / "01" / "new.txt").write_text("Fresh headline\n\nA brand new article about harbours.\n")
    (root / "2020" / "01" / "0000.txt").write_text("Rewritten headline\n\nThe text is now different.\n")
    (root / "2021" / "02" / "0001.txt").unlink()
    os.rename(root / "2022" / "03" / "0002.txt", root / "2022" / "03" / "moved.txt")
    names = ["2020/01/new.txt", "2020/01/0000.txt", "2021/02/0001.txt", "2022/03/0002.txt", "2022/03/moved.txt",
             "2020/04/0003.txt"]  # the last one did not change
    update = apply_paths(index, [root / n for n in names])
    assert [m.id for m in update.added] == ["2020/01/new.txt"]
    assert [(m.id, m.title) for m in update.changed] == [("2020/01/0000.txt", "Rewritten headline")]
    assert update.removed == ["2021/02/0001.txt"]
    assert [(old, m.id) for old, m in update.renamed] == [("2022/03/0002.txt", "2022/03/moved.txt")]
    assert update.unchanged == 1
    assert sorted(parsed_ids) == ["2020/01/0000.txt", "2020/01/new.txt", "2022/03/moved.txt"]
    assert no_walk == []
    assert cached(root) == open_corpus(root).articles
    found = CorpusIndex(root).snapshot()
    assert [h.id for h in found.search("harbours")] == ["2020/01/new.txt"]


def test_relative_paths_and_paths_outside_or_ignored(indexed):
    root, index = indexed
    (root / ".hidden.txt").write_text("Hidden\n\nNot an article.\n")
    (root / "annotations.yaml").write_text("version: 1\narticles: {}\n")
    (root / "2020" / "01" / "rel.txt").write_text("Relative\n\nNamed relative to the folder.\n")
    outside = root.parent / "outside.txt"
    outside.write_text("Outside\n\nNot in the corpus.\n")
    update = apply_paths(index, [".hidden.txt", "annotations.yaml", "2020/01/rel.txt", outside])
    assert [m.id for m in update.added] == ["2020/01/rel.txt"]
    assert cached(root) == open_corpus(root).articles


def test_folders_moved_in_out_and_renamed(indexed, no_walk, tmp_path):
    root, index = indexed
    before = {m.id for m in cached(root)}
    os.rename(root / "2020", root / "2030")
    update = apply_paths(index, [root / "2020", root / "2030"])
    assert {old for old, _m in update.renamed} == {i for i in before if i.startswith("2020/")}
    assert no_walk == [os.path.realpath(root / "2030")]  # the folder moved in, not the corpus
    elsewhere = tmp_path / "elsewhere"
    os.rename(root / "2021", elsewhere)
    update = apply_paths(index, [root / "2021"])
    assert sorted(update.removed) == sorted(i for i in before if i.startswith("2021/"))
    os.rename(elsewhere, root / "2021")
    update = apply_paths(index, [root / "2021"])
    assert sorted(m.id for m in update.added) == sorted(i for i in before if i.startswith("2021/"))
    assert cached(root) == open_corpus(root).articles


def test_a_folder_is_not_confused_with_a_sibling_sharing_its_prefix(indexed):
    root, index = indexed
    (root / "2020-extra").mkdir()
    (root / "2020-extra" / "x.txt").write_text("Sibling\n\nA folder whose name starts like another.\n")
    (root / "2020" / "01.5").mkdir()
    apply_paths(index, [root / "2020-extra"])
    os.rename(root / "2020", root.parent / "gone")
    apply_paths(index, [root / "2020"])
    ids = {m.id for m in cached(root)}
    assert "2020-extra/x.txt" in ids and not any(i.startswith("2020/") for i in ids)


def test_a_burst_of_a_thousand_files(indexed):
    root, index = indexed
    burst = root / "burst"
    burst.mkdir()
    paths = []
    for n in range(1000):
        path = burst / f"{n:04d}.txt"
        path.write_text(f"Burst headline {n}\n\nBody of burst article number {n} about ports.\n")
        paths.append(path)
    update = apply_paths(index, paths, workers=2)  # worker processes for a burst this size
    assert len(update.added) == 1000
    assert cached(root) == open_corpus(root).articles
    assert len(CorpusIndex(root).snapshot().match_ids("burst")) == 1000


def test_files_removed_before_they_are_read(indexed, monkeypatch):
    """Stat'ed, then gone when the parser opens them: removed, never a problem."""
    root, index = indexed
    doomed = [root / "2020" / "01" / "0000.txt", root / "2020" / "01" / "late.txt"]
    doomed[1].write_text("Late\n\nWritten, then deleted at once.\n")
    doomed[0].write_text("Changed\n\nthen deleted before the parser reads it.\n")
    real = refresh_mod.extract_many

    def delete_first(root_, jobs):
        for _id, path, _stat in jobs:
            os.unlink(path)
        return real(root_, jobs)

    monkeypatch.setattr(refresh_mod, "extract_many", delete_first)
    update = apply_paths(index, doomed)
    assert update.removed == ["2020/01/0000.txt"] and update.added == [] and update.problems == []
    assert cached(root) == open_corpus(root).articles
    assert problems_cached(root) == []


def test_unreadable_file_becomes_a_problem_and_back(indexed):
    root, index = indexed
    target = root / "2020" / "01" / "0000.txt"
    target.write_bytes(b"")
    update = apply_paths(index, [target])
    assert update.removed == ["2020/01/0000.txt"] and [p.id for p in update.problems] == ["2020/01/0000.txt"]
    assert cached(root) == open_corpus(root).articles
    target.write_text("Back again\n\nReadable once more.\n")
    update = apply_paths(index, [target])
    assert [m.id for m in update.added] == ["2020/01/0000.txt"] and update.cleared == ["2020/01/0000.txt"]
    assert problems_cached(root) == []


def test_a_symlink_is_not_followed(indexed):
    root, index = indexed
    target = root / "2020" / "01" / "0000.txt"
    link = root / "link.txt"
    link.symlink_to(target)
    update = apply_paths(index, [link])
    assert update.added == [] and [p.id for p in update.problems] == ["link.txt"]
    assert cached(root) == open_corpus(root).articles


def test_touched_file_is_not_reparsed(indexed, parsed_ids):
    root, index = indexed
    target = root / "2020" / "01" / "0000.txt"
    os.utime(target)  # same bytes, new times
    update = apply_paths(index, [target])
    assert update.empty and update.unchanged == 1 and parsed_ids == []


def test_the_next_full_refresh_finds_nothing_left_to_do(indexed, parsed_ids):
    root, index = indexed
    (root / "2020" / "01" / "new.txt").write_text("Fresh\n\nNew article.\n")
    (root / "2021" / "02" / "0001.txt").unlink()
    apply_paths(index, [root / "2020" / "01" / "new.txt", root / "2021" / "02" / "0001.txt"])
    age(root / "2020" / "01" / "new.txt")
    parsed_ids.clear()
    stats = CorpusIndex(root, workers=1).refresh()
    assert (stats.new, stats.changed, stats.deleted) == (0, 0, 0)


def test_a_missing_folder_never_empties_the_cache(indexed, tmp_path):
    root, index = indexed
    count = len(cached(root))
    os.rename(root, tmp_path / "away")
    with pytest.raises(IndexUnavailable):
        apply_paths(index, [root / "2020"])
    os.rename(tmp_path / "away", root)
    assert len(cached(root)) == count


def test_no_cache_yet(corpus_dir):
    with pytest.raises(IndexUnavailable):
        apply_paths(CorpusIndex(corpus_dir), [corpus_dir / "2020"])


def test_waits_for_the_writer_lock_then_gives_up(indexed):
    root, index = indexed
    (root / "new.txt").write_text("New\n\nArticle.\n")
    held, release = threading.Event(), threading.Event()

    def holder():
        with locked(Path(f"{index.path}.lock")):
            held.set()
            release.wait(10)

    thread = threading.Thread(target=holder)
    thread.start()
    held.wait(5)
    try:
        with pytest.raises(LockTimeout):
            apply_paths(index, [root / "new.txt"], lock_timeout=0.1)
    finally:
        release.set()
        thread.join()
    assert "new.txt" not in {m.id for m in cached(root)}
    assert [m.id for m in apply_paths(index, [root / "new.txt"]).added] == ["new.txt"]


def test_update_corpus_keeps_an_open_corpus_equal_to_a_fresh_load(indexed):
    from briefing.index.incremental import update_corpus

    root, index = indexed
    corpus = CorpusIndex(root, workers=1).snapshot()
    (root / "2020" / "01" / "new.txt").write_text("Fresh\n\ndate 2030-01-01 Newest of all.\n")
    (root / "2020" / "01" / "0000.txt").write_text("Rewritten\n\nNow undated.\n")
    (root / "2021" / "02" / "0001.txt").unlink()
    os.rename(root / "2022" / "03" / "0002.txt", root / "2022" / "03" / "moved.txt")
    (root / "2020" / "04" / "0003.txt").write_bytes(b"")
    names = ["2020/01/new.txt", "2020/01/0000.txt", "2021/02/0001.txt", "2022/03/0002.txt",
             "2022/03/moved.txt", "2020/04/0003.txt"]
    update = apply_paths(index, [root / n for n in names])
    update_corpus(corpus, update)
    loaded = open_corpus(root)
    assert corpus.articles == loaded.articles
    update_corpus(corpus, update)  # again (a reader applying a batch its snapshot already had)
    assert corpus.articles == loaded.articles
    assert corpus.articles[0].id == "2020/01/new.txt"
    assert corpus.get("2022/03/moved.txt").id == "2022/03/moved.txt"
    with pytest.raises(KeyError):
        corpus.get("2022/03/0002.txt")
    assert [h.id for h in corpus.search("newest")] == ["2020/01/new.txt"]
    assert sorted(map(str, corpus.problems)) == sorted(map(str, loaded.problems))


def test_a_path_through_a_linked_folder_is_not_followed(indexed, tmp_path):
    """root/link -> a folder outside: root/link/secret.txt is not an article."""
    root, index = indexed
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("Secret\n\nOutside the corpus.\n")
    (root / "link").symlink_to(outside)
    update = apply_paths(index, [root / "link" / "secret.txt", root / "link"])
    assert update.added == []
    assert cached(root) == open_corpus(root).articles
