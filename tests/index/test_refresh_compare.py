"""The refresh of a folder changed while nothing watched compares the walk with the
cache through a table on disk (briefing.index.compare), not dicts of every file: it
must find exactly what changed (counts, renames, rows), as the comparison held in
memory did, and leave no scratch file behind."""

from __future__ import annotations

import itertools
import json
import os
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.corpus import open_corpus
from briefing.index import CorpusIndex, open_index
from briefing.index import refresh as refresh_mod

from .conftest import article_text

OPS = ("add", "edit", "delete", "rename", "case", "break", "fix", "touch", "link", "items")
_examples = itertools.count()


@pytest.fixture(autouse=True)
def no_racy(monkeypatch):
    monkeypatch.setattr(refresh_mod, "RACY_WINDOW_NS", 0)  # a change is seen by its stat


def write_items(path, keys):
    lines = [json.dumps({"id": f"k{k}", "title": f"Item {k}", "date": f"2023-05-0{k}",
                         "text": f"Item {k} says the port reopened after {k} days."}) for k in keys]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def build(root, seed, count):
    """``count`` articles in nested folders (names with capitals), an unreadable file
    and a JSON lines file of three items."""
    rng = random.Random(seed)
    files = []
    for n in range(count):
        folder = root / f"Y{n % 2}" / f"m{n % 3}" if n % 4 else root
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"Note{n:03d}.txt"
        path.write_text(article_text(rng, n), encoding="utf-8")
        files.append(path)
    (root / "broken.txt").write_bytes(b"")  # refused by the parser: a problem row
    write_items(root / "dump.jsonl", [1, 2, 3])
    return files, rng


def rel(root, path):
    return path.relative_to(root).as_posix()


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(count=st.integers(3, 9), seed=st.integers(0, 10_000),
       ops=st.lists(st.tuples(st.sampled_from(OPS), st.integers(0, 100)), max_size=8))
def test_a_changed_folder_is_compared_exactly(tmp_path, count, seed, ops):
    root = tmp_path / f"ex{next(_examples)}"
    files, rng = build(root, seed, count)
    open_index(root)
    expect = {"new": 0, "changed": 0, "deleted": 0, "renamed": 0, "rehashed": 0}
    renames = []
    untouched = list(files)  # one change per file, so each is counted once
    broken_fixed = items_changed = False
    for n, (op, k) in enumerate(ops):
        if op == "add":
            path = root / "Y1" / f"New{n}.txt"
            path.parent.mkdir(exist_ok=True)
            path.write_text(article_text(rng, 1000 + n), encoding="utf-8")
            expect["new"] += 1
            continue
        if op == "fix":
            if not broken_fixed:
                (root / "broken.txt").write_text(article_text(rng, 2000 + n), encoding="utf-8")
                expect["changed"] += 1
                broken_fixed = True
            continue
        if op == "items":
            if not items_changed and k % 2:  # the file goes, and its three items
                (root / "dump.jsonl").unlink()
                expect["deleted"] += 3
            elif not items_changed:  # the file changes; item 3 is gone, item 4 arrives
                write_items(root / "dump.jsonl", [1, 2, 4])
                expect["changed"] += 1
                expect["deleted"] += 1
            items_changed = True
            continue
        if not untouched:
            continue
        path = untouched.pop(k % len(untouched))
        if op == "edit":
            path.write_text(path.read_text(encoding="utf-8") + f"\nOne more line {n}.\n", encoding="utf-8")
            expect["changed"] += 1
        elif op == "delete":
            path.unlink()
            expect["deleted"] += 1
        elif op in ("rename", "case"):
            new = (path.with_name(path.name.lower()) if op == "case"
                   else root / "Y0" / f"Moved{n}_{path.name}")
            new.parent.mkdir(exist_ok=True)
            path.rename(new)
            renames.append((rel(root, path), rel(root, new)))
            expect["new"] += 1
            expect["renamed"] += 1
        elif op == "break":
            path.write_bytes(b"")
            expect["changed"] += 1
        elif op == "touch":  # same bytes, another mtime: read again, found unchanged
            st_ = path.stat()
            os.utime(path, ns=(st_.st_atime_ns, st_.st_mtime_ns - 5_000_000_000))
            expect["rehashed"] += 1
        elif op == "link":  # a link is never followed: a walk problem, the file unchanged
            (root / f"link{n}.txt").symlink_to(path)

    refreshed = open_index(root)
    stats = refreshed.stats
    assert {key: getattr(stats, key) for key in expect} == expect
    assert sorted(stats.renames) == sorted(renames)
    assert stats.unchanged == stats.files - stats.new - stats.changed
    loaded = open_corpus(root)
    assert refreshed.articles == loaded.articles
    assert sorted(p.id for p in refreshed.problems) == sorted(p.id for p in loaded.problems)
    again = open_index(root)  # what the refresh stored is current: nothing left to do
    assert (again.stats.new, again.stats.changed, again.stats.deleted) == (0, 0, 0)
    assert again.articles == loaded.articles
    assert not [f for f in (tmp_path / "cache").rglob("*") if ".walk-" in f.name]


def test_the_scratch_walk_file_is_removed_when_the_comparison_fails(tmp_path, monkeypatch):
    root = tmp_path / "c"
    files, _rng = build(root, 1, 4)
    open_index(root)
    files[0].write_text("A changed headline\n\nA changed body of the first note.\n", encoding="utf-8")

    def failing(*_args):
        raise OSError("disk went away")

    with monkeypatch.context() as patched:
        patched.setattr(refresh_mod.Refresher, "_classify", failing)
        with pytest.raises(OSError, match="disk went away"):
            open_index(root)
    assert not [f for f in (tmp_path / "cache").rglob("*") if ".walk-" in f.name]
    after = open_index(root)  # the next open finds the change
    assert (after.stats.new, after.stats.changed) == (0, 1)


def test_racy_rows_are_read_again_even_when_their_stat_is_unchanged(tmp_path, monkeypatch):
    """A row stat'ed within the racy window of its own timestamps cannot vouch for its
    file by the stat alone: the comparison hands it back and its bytes are hashed."""
    root = tmp_path / "c"
    build(root, 2, 5)
    open_index(root)
    monkeypatch.setattr(refresh_mod, "RACY_WINDOW_NS", 10**18)  # every stored row is racy
    (root / "Fresh.txt").write_text("A fresh headline\n\nA fresh body arrives.\n", encoding="utf-8")
    stats = open_index(root).stats
    assert (stats.new, stats.changed, stats.files) == (1, 0, 8)
    assert stats.rehashed == stats.unchanged == 7  # five notes, broken.txt, dump.jsonl


def test_a_scratch_file_left_by_a_killed_refresh_is_removed_by_the_next(tmp_path):
    root = tmp_path / "c"
    files, _rng = build(root, 3, 4)
    open_index(root)
    left = CorpusIndex(root).path.with_name(CorpusIndex(root).path.name + ".walk-killed")
    left.write_bytes(b"half a walk")
    files[1].unlink()
    assert open_index(root).stats.deleted == 1
    assert not left.exists()


def test_files_with_odd_names_are_compared_and_read_through_their_own_path(tmp_path):
    """An escaped id is not its path: the walk table keeps such a file's real path."""
    root = tmp_path / "c"
    build(root, 4, 3)
    odd = [os.path.join(os.fsencode(root), b"caf\xe9 news.txt"), os.path.join(os.fsencode(root), b"tab\there.txt")]
    for n, name in enumerate(odd):
        with open(name, "wb") as f:
            f.write(f"Odd headline {n}\n\nAn odd body number {n} about the harbour.\n".encode())
    first = open_index(root)
    assert len(first.articles) == 8  # three notes, three items, two odd names
    for n, name in enumerate(odd):
        with open(name, "ab") as f:
            f.write(f"\nAnd a further line {n}.\n".encode())
    again = open_index(root)
    assert (again.stats.changed, again.stats.new, again.stats.deleted) == (2, 0, 0)
    assert again.articles == open_corpus(root).articles
    assert sum("further line" in again.article(m.id).body for m in again.articles) == 2


def test_a_scratch_file_that_cannot_be_written_fails_the_refresh_but_keeps_the_cache(tmp_path, monkeypatch):
    """A full disk under the scratch walk table is not a damaged cache: the refresh
    fails with a message naming the scratch file, and the cache is neither removed nor
    rebuilt (at a million articles a rebuild is minutes, and on a full disk it fails)."""
    from briefing.index import compare

    root = tmp_path / "c"
    files, _rng = build(root, 2, 5)
    open_index(root)
    (root / "added.txt").write_text("An added headline\n\nThe body of the added note.\n", encoding="utf-8")

    def unwritable(self, id, path, st):  # a row the scratch table refuses, as a full disk would
        self._pending.append((id, None, None, *st[1:]))

    with monkeypatch.context() as patched:
        patched.setattr(compare.WalkTable, "add", unwritable)
        with pytest.raises(compare.WalkFailed, match=r"scratch file .*\.walk-.*NOT NULL"):
            CorpusIndex(root).refresh()
    assert not [f for f in (tmp_path / "cache").rglob("*") if ".walk-" in f.name]
    after = CorpusIndex(root)
    stats = after.refresh()
    assert not after.rebuilt
    assert (stats.new, stats.changed, stats.deleted) == (1, 0, 0) and stats.unchanged >= len(files)
