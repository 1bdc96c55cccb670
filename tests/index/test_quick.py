"""The quick freshness check (briefing.index.quick): what it notices without a full
walk of the folder, and what it leaves to the next full refresh, exactly as the
module docstring and the README say."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import briefing.index.quick as quick_mod
import briefing.index.refresh as refresh_mod
from briefing.index import CorpusIndex
from briefing.index.quick import quick_refresh

from .conftest import age


def cached_ids(root: Path) -> set[str]:
    return {m.id for m in CorpusIndex(root, workers=1).snapshot().articles}


def cached_title(root: Path, id_: str) -> str:
    return CorpusIndex(root, workers=1).snapshot().get(id_).title


def age_all(root: Path) -> None:
    """Files and folders out of the racy window (as an hour-old corpus is)."""
    for path in sorted(root.rglob("*"), key=lambda p: -len(p.parts)):
        age(path)
    age(root)


@pytest.fixture
def indexed(corpus_dir):
    age_all(corpus_dir)
    index = CorpusIndex(corpus_dir, workers=1)
    index.refresh()
    return corpus_dir, index


@pytest.fixture
def full_walks(monkeypatch):
    """Count full refreshes' walks (the scan of the whole folder)."""
    calls: list[str] = []
    real = refresh_mod.scan

    def spy(root, report=None, *, stat=True):
        calls.append(root)
        return real(root, report, stat=stat)

    monkeypatch.setattr(refresh_mod, "scan", spy)
    return calls


def write_article(path: Path, title: str) -> None:
    path.write_text(f"{title}\n\ndate 2024-05-01 Some text about the grid and the port.\n", encoding="utf-8")


def test_unchanged_folder_lists_nothing_and_walks_nothing(indexed, full_walks):
    root, index = indexed
    check = quick_refresh(index)
    assert check is not None and check.how == "folders"
    assert check.listed == []
    assert check.folders == len([p for p in root.rglob("*") if p.is_dir()]) + 1
    assert check.update is None or check.update.empty
    assert full_walks == []


def test_added_file_is_noticed(indexed, full_walks):
    root, index = indexed
    new = root / "2021" / "05" / "new_one.txt"
    write_article(new, "A brand new article")
    check = quick_refresh(index)
    assert check is not None and "2021/05/" in check.listed
    assert check.listed == ["2021/05/"]  # only the folder that changed is listed
    assert "2021/05/new_one.txt" in cached_ids(root)
    assert full_walks == []


def test_removed_file_is_noticed(indexed):
    root, index = indexed
    victim = sorted((root / "2020" / "01").glob("*.txt"))[0]
    (root / "2020" / "01" / victim.name).unlink()
    quick_refresh(index)
    assert f"2020/01/{victim.name}" not in cached_ids(root)


def test_renamed_file_is_noticed(indexed):
    root, index = indexed
    old = sorted((root / "2020" / "01").glob("*.txt"))[0]
    title = cached_title(root, f"2020/01/{old.name}")
    old.rename(root / "2022" / "renamed.txt")
    check = quick_refresh(index)
    ids = cached_ids(root)
    assert f"2020/01/{old.name}" not in ids
    assert "2022/renamed.txt" in ids and cached_title(root, "2022/renamed.txt") == title
    assert check is not None and check.update is not None and check.update.renamed


def test_new_and_removed_folders_are_noticed(indexed):
    root, index = indexed
    (root / "2031" / "02").mkdir(parents=True)
    write_article(root / "2031" / "02" / "deep.txt", "Deep in a new folder")
    gone = sorted(p for p in (root / "2020").iterdir() if p.is_dir())[0]
    gone_ids = {f"2020/{gone.name}/{p.name}" for p in gone.glob("*.txt")}
    for p in gone.glob("*"):
        p.unlink()
    gone.rmdir()
    quick_refresh(index)
    ids = cached_ids(root)
    assert "2031/02/deep.txt" in ids
    assert not gone_ids & ids
    # the new folders are remembered, the removed one forgotten
    import sqlite3

    with sqlite3.connect(index.path) as conn:
        rels = {r[0] for r in conn.execute("SELECT rel FROM dirs")}
    assert {"2031/", "2031/02/"} <= rels and f"2020/{gone.name}/" not in rels
    age_all(root)
    index.refresh()  # a full walk records today's stats
    check = quick_refresh(index)
    assert check is not None and check.listed == []


def test_edit_through_rename_is_noticed(corpus_dir, monkeypatch):
    """An editor that saves through a temporary file and a rename changes the folder
    (the file is not among the recent ones: the folder's time alone finds it)."""
    monkeypatch.setattr(refresh_mod, "RECENT_FILES", 1)
    age_all(corpus_dir)
    root, index = corpus_dir, CorpusIndex(corpus_dir, workers=1)
    index.refresh()
    target = sorted((root / "2021").rglob("*.txt"))[0]
    id_ = target.relative_to(root).as_posix()
    tmp = target.with_name(".tmp-save")
    write_article(tmp, "Saved through a rename")
    os.replace(tmp, target)
    check = quick_refresh(index)
    assert check is not None and check.recent == 1 and check.listed == [target.parent.relative_to(root).as_posix() + "/"]
    assert cached_title(root, id_) == "Saved through a rename"


def test_edit_in_place_of_a_recent_file_is_noticed(indexed, monkeypatch):
    root, index = indexed
    target = sorted(root.rglob("*.txt"))[0]
    id_ = target.relative_to(root).as_posix()
    os.utime(target)  # the newest file of the corpus
    age(target.parent)
    index.refresh()  # records it among the recent files
    dir_stat = target.parent.stat()
    with open(target, "w", encoding="utf-8") as handle:  # same inode: the folder does not change
        handle.write("Rewritten in place\n\ndate 2024-05-01 New words.\n")
    assert target.parent.stat().st_mtime_ns == dir_stat.st_mtime_ns
    check = quick_refresh(index)
    assert check is not None and check.listed == [] and check.recent >= 1
    assert cached_title(root, id_) == "Rewritten in place"


def test_edit_in_place_of_an_old_file_waits_for_a_full_refresh(indexed, monkeypatch):
    """The stated cost: not among the recent files, no watcher, same inode -> the quick
    check does not see it; `briefing index` (a full refresh) does."""
    monkeypatch.setattr(refresh_mod, "RECENT_FILES", 1)
    root, index = indexed
    files = sorted(root.rglob("*.txt"))
    os.utime(files[-1])  # the one recent file
    age(files[-1].parent)
    index.refresh()
    target = files[0]
    id_ = target.relative_to(root).as_posix()
    before = cached_title(root, id_)
    with open(target, "w", encoding="utf-8") as handle:  # same inode: its folder does not change
        handle.write("Quietly rewritten\n\ndate 2024-05-01 New words.\n")
    check = quick_refresh(index)
    assert check is not None and check.listed == []
    assert cached_title(root, id_) == before  # not noticed: the stated limit
    index.refresh()
    assert cached_title(root, id_) == "Quietly rewritten"


def test_a_live_watcher_stamp_skips_every_stat(indexed, monkeypatch):
    root, index = indexed
    monkeypatch.setattr(quick_mod.fresh, "is_fresh", lambda r, at=None: True)
    write_article(root / "2020" / "unseen.txt", "Not looked for")
    check = quick_refresh(index)
    assert check is not None and check.how == "watcher" and check.folders == 0
    assert "2020/unseen.txt" not in cached_ids(root)


def test_edit_in_place_is_noticed_with_a_running_watcher(indexed):
    """With a real watcher running, an in-place edit to an old file reaches the cache
    (the watcher applies it) and the stamp lets the command skip every stat."""
    import time

    from briefing.index.fresh import wait_fresh
    from briefing.watch import CorpusWatcher

    root, index = indexed
    target = sorted(root.rglob("*.txt"))[0]
    id_ = target.relative_to(root).as_posix()
    watcher = CorpusWatcher(root, lambda batch: None, index=index, mode="polling", poll_interval=0.05)
    watcher.start()
    try:
        watcher.refresh_index()
        with open(target, "w", encoding="utf-8") as handle:
            handle.write("Edited while watched\n\ndate 2024-05-01 Words.\n")
        written = time.time_ns()
        assert wait_fresh(root, written, timeout=10)
        check = quick_refresh(index, at_ns=written)
        assert check is not None and check.how == "watcher" and check.folders == 0
        assert cached_title(root, id_) == "Edited while watched"
    finally:
        watcher.stop()


def test_no_folder_record_means_a_full_refresh(corpus_dir):
    assert quick_refresh(CorpusIndex(corpus_dir, workers=1)) is None  # no cache yet


def test_racy_folder_is_listed_again(corpus_dir):
    index = CorpusIndex(corpus_dir, workers=1)
    index.refresh()  # folders just written: their stat is racy
    check = quick_refresh(index)
    assert check is not None and check.listed  # listed again, never trusted


def test_odd_names_get_the_ids_a_full_walk_gives(indexed):
    """A file noticed by the quick check (through apply_paths) gets the canonical id
    (briefing.ids.article_id), not a display form: a full refresh afterwards finds
    nothing to change. (apply_paths used the display form before.)"""
    root, index = indexed
    for name in ("two\nlines.txt", "evil\u202etxt.exe.txt", "back\\slash.txt", "next\u0085line.txt"):
        write_article(root / "2020" / name, "An odd name " + name.encode("unicode_escape").decode())
    quick_refresh(index)
    quick_ids = cached_ids(root)
    stats = index.refresh()
    assert stats.new == 0 and stats.deleted == 0 and stats.renamed == 0
    assert cached_ids(root) == quick_ids


def test_the_folder_racy_window_is_the_files_one():
    assert quick_mod.RACY_WINDOW_NS == refresh_mod.RACY_WINDOW_NS


def test_a_check_that_finds_nothing_imports_no_parser(indexed):
    """Whole-process time of `briefing list`: an unchanged corpus is checked without
    importing the parsers (briefing.corpus.load), in a fresh interpreter."""
    import subprocess
    import sys

    root, _index = indexed
    # (nothing racy: the test's files had their ctime set a moment ago by age())
    code = ("import sys; import briefing.index.quick as q; q.RACY_WINDOW_NS = 0; "
            "from briefing.index.quick import IndexRef, quick_refresh; "
            f"c = quick_refresh(IndexRef({str(root)!r})); "
            "print(c.how, c.listed, 'briefing.corpus.load' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(Path(quick_mod.__file__).parents[2])})
    assert out.stdout.split() == ["folders", "[]", "False"]


def test_the_corpus_folder_listed_again_finds_its_own_files_and_items_only(tmp_path, monkeypatch):
    """Files and items directly in the corpus folder (a "#" in a file name, a "/" in an
    item's key) are told from those below it by their ids, not by reading every row."""
    import json

    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "flat"
    (root / "sub").mkdir(parents=True)
    write_article(root / "a#b.txt", "Hash in the name")
    write_article(root / "top.txt", "At the top")
    write_article(root / "sub" / "deep.txt", "Below")
    write_article(root / "sub" / "c#d.txt", "Below with a hash")
    body = "The grid operator said power was restored to most homes by the evening."
    (root / "dump.jsonl").write_text(json.dumps({"id": "https://ex.example/a/1", "title": "Item", "text": body}) + "\n")
    age_all(root)
    CorpusIndex(root, workers=1).refresh()
    before = cached_ids(root)
    assert {"a#b.txt", "top.txt", "sub/c#d.txt"} <= before and any(i.startswith("dump.jsonl#") and "/" in i for i in before)

    from briefing.index import store

    conn = store.connect(CorpusIndex(root, workers=1).path, create=False)
    try:
        top = quick_mod._stored_children(conn, "", str(root))
        below = quick_mod._stored_children(conn, "sub/", str(root / "sub"))
    finally:
        conn.close()
    items = {str(root / "dump.jsonl")}  # an item's row carries its file's path
    assert set(top) == {str(root / "a#b.txt"), str(root / "top.txt")} | items
    assert set(below) == {str(root / "sub" / "deep.txt"), str(root / "sub" / "c#d.txt")}

    write_article(root / "new.txt", "Added at the top")
    (root / "a#b.txt").unlink()
    (root / "dump.jsonl").unlink()
    assert quick_refresh(quick_mod.IndexRef(root)) is not None
    assert cached_ids(root) == {"top.txt", "new.txt", "sub/deep.txt", "sub/c#d.txt"}


def _recent_rows(index) -> dict[str, tuple[int, ...]]:
    import sqlite3

    conn = sqlite3.connect(index.path)
    try:
        return {p: tuple(rest) for p, *rest in conn.execute("SELECT path, size, mtime_ns, ctime_ns, inode FROM recent")}
    finally:
        conn.close()


def test_recent_files_with_a_new_stat_and_the_same_bytes_are_compared_once(indexed, monkeypatch):
    """chmod (or touch, or a copy with its times) moves every recent file's ctime: the
    first check compares them with the index (the same bytes: nothing changes), and
    stores their new stat, so that the next check hands nothing to apply_paths (it did
    every time before, until a full refresh: 70 ms per command at 100k articles)."""
    monkeypatch.setattr(quick_mod, "RACY_WINDOW_NS", 0)  # the fixture's files have just had their ctime set
    root, index = indexed
    recent = _recent_rows(index)
    assert recent
    for path in recent:
        os.chmod(path, 0o600)
    first = quick_refresh(index)
    assert first is not None and first.paths == len(recent)
    assert first.update is not None and first.update.unchanged == len(recent) and first.update.empty
    again = quick_refresh(index)
    assert again is not None and again.paths == 0 and again.update is None
    assert _recent_rows(index) == {p: (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
                                   for p, st in ((p, os.lstat(p)) for p in recent)}


def test_a_recent_file_rewritten_while_it_is_compared_is_compared_again(indexed, monkeypatch):
    """A recent file handed to apply_paths and rewritten in place just after it was
    read: its row takes the time from before the read, so however long the rest took
    (the racy window set to nothing here) the next check sees a newer change and
    compares the file again: the index never keeps the old text."""
    import briefing.index.incremental as incremental

    monkeypatch.setattr(quick_mod, "RACY_WINDOW_NS", 0)
    root, index = indexed
    recent = sorted(_recent_rows(index))
    for path in recent:
        os.chmod(path, 0o600)  # every recent file handed to apply_paths (the same bytes)
    target = Path(recent[0])
    real = incremental.apply_paths

    def then_rewritten(*args, **kwargs):
        done = real(*args, **kwargs)
        with open(target, "w", encoding="utf-8") as handle:  # same inode, after apply_paths read it
            handle.write("Rewritten meanwhile\n\ndate 2024-05-01 New words.\n")
        return done

    monkeypatch.setattr(incremental, "apply_paths", then_rewritten)
    first = quick_refresh(index)
    assert first is not None and first.paths == len(recent)
    monkeypatch.setattr(incremental, "apply_paths", real)
    again = quick_refresh(index)
    assert again is not None and again.paths == 1
    assert cached_title(root, target.relative_to(root).as_posix()) == "Rewritten meanwhile"


def test_a_deleted_recent_file_leaves_the_recent_files(indexed, monkeypatch):
    monkeypatch.setattr(quick_mod, "RACY_WINDOW_NS", 0)
    root, index = indexed
    gone = sorted(_recent_rows(index))[0]
    os.remove(gone)
    first = quick_refresh(index)
    assert first is not None and first.update is not None
    assert Path(gone).relative_to(root).as_posix() in first.update.removed
    assert gone not in _recent_rows(index)
    again = quick_refresh(index)
    assert again is not None and again.paths == 0 and again.listed == []


@pytest.fixture
def validations(monkeypatch):
    """Count the full validations of the cache (briefing.index.store.validate)."""
    import briefing.index.store as store_mod

    calls: list[str] = []
    real = store_mod.validate

    def spy(conn, root, fingerprint, **kw):
        calls.append(root)
        return real(conn, root, fingerprint, **kw)

    monkeypatch.setattr(store_mod, "validate", spy)
    return calls


def test_an_unchanged_cache_is_validated_once(indexed, monkeypatch, validations):
    """The validation (its probe of the full text grows with the corpus) is skipped
    while the cache's files are those that passed it last time: the stamp beside it."""
    monkeypatch.setattr(quick_mod, "RACY_WINDOW_NS", 0)  # the cache was written a moment ago
    root, index = indexed
    first = quick_refresh(index)
    assert first is not None and len(validations) == 1
    assert Path(f"{index.path}.valid").is_file()
    again = quick_refresh(index)
    assert again is not None and again.how == "folders" and len(validations) == 1


def test_a_changed_or_damaged_cache_is_validated_again(indexed, monkeypatch, validations):
    import sqlite3

    monkeypatch.setattr(quick_mod, "RACY_WINDOW_NS", 0)
    root, index = indexed
    assert quick_refresh(index) is not None and len(validations) == 1
    conn = sqlite3.connect(index.path)
    conn.execute("UPDATE meta SET value = 'another parser' WHERE key = 'parser'")
    conn.commit()
    conn.close()
    assert quick_refresh(index) is None  # validated again: not trusted (the caller runs a full refresh)
    assert len(validations) == 2


def test_a_cache_written_a_moment_ago_gets_no_stamp(indexed, monkeypatch, validations):
    monkeypatch.setattr(quick_mod, "RACY_WINDOW_NS", 10**18)  # every write is "a moment ago"
    root, index = indexed
    assert quick_refresh(index) is not None
    before = len(validations)
    assert quick_refresh(index) is not None
    assert len(validations) > before and not Path(f"{index.path}.valid").exists()


def test_another_parser_never_trusts_the_stamp(indexed, monkeypatch, validations):
    monkeypatch.setattr(quick_mod, "RACY_WINDOW_NS", 0)
    root, index = indexed
    assert quick_refresh(index) is not None
    monkeypatch.setattr(index, "_fingerprint", "another version")
    assert quick_refresh(index) is None and len(validations) == 2
