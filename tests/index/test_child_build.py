"""The first build of a large folder's index in a child process (briefing.index.child):
the same cache as a build in-process, its progress and first rows reported as they
come, a stop that keeps what was built, and a child that dies or cannot start
leaving the build to the caller."""

from __future__ import annotations

import os
import time

from briefing import childjob
from briefing.corpus import sort_key
from briefing.index import CorpusIndex, child
from briefing.index import workers as index_workers

from .conftest import make_corpus


def test_a_folder_counts_as_large_past_the_limit_and_links_are_not_followed(tmp_path):
    root = tmp_path / "c"
    make_corpus(root, 8)  # 8 files in 3 years' folders of months: 8 + 3 + 8 month folders at most
    assert not child.looks_large(root, limit=40)
    assert child.looks_large(root, limit=8)
    big = tmp_path / "elsewhere"
    make_corpus(big, 50)
    small = tmp_path / "small"
    small.mkdir()
    (small / "a.txt").write_text("One article.\n", encoding="utf-8")
    os.symlink(big, small / "link")  # a folder linked in: one entry, not its 50 files
    assert not child.looks_large(small, limit=10)
    assert not child.looks_large(tmp_path / "missing", limit=0)


def test_the_child_builds_the_same_cache_and_reports_progress_and_first_rows(tmp_path):
    root = tmp_path / "c"
    make_corpus(root, 40)
    progress: list[tuple[int, int]] = []
    heads: list[list] = []
    done = child.build_in_child(root, 5, progress=lambda d, t: progress.append((d, t)),
                                on_head=heads.append, should_stop=lambda: False)
    assert done is True
    assert progress and progress[-1] == (40, 40)
    assert len(heads) == 1 and 0 < len(heads[0]) <= 5
    assert heads[0] == sorted(heads[0], key=sort_key)
    index = CorpusIndex(root)
    stats = index.refresh()  # over the child's cache: nothing to add
    assert (stats.new, stats.changed, stats.rebuilt, stats.unchanged) == (0, 0, False, 40)
    listed = index.snapshot().articles
    assert sorted(m.id for m in listed) == sorted(p.relative_to(root).as_posix() for p in root.rglob("*.txt"))
    by_id = {m.id: m for m in listed}
    assert all(by_id[m.id].title == m.title and by_id[m.id].date == m.date for m in heads[0])


def test_a_stopped_child_keeps_what_it_built_and_the_next_refresh_carries_on(tmp_path):
    root = tmp_path / "c"
    make_corpus(root, 30)
    started = time.monotonic()
    done = child.build_in_child(root, 5, progress=lambda d, t: None, on_head=lambda m: None,
                                should_stop=lambda: True)
    assert done is False
    assert time.monotonic() - started < childjob.STOP_WAIT_S
    index = CorpusIndex(root)
    index.refresh()
    assert len(index.snapshot().articles) == 30


def test_a_child_that_dies_or_cannot_start_leaves_the_build_to_the_caller(tmp_path, monkeypatch):
    root = tmp_path / "c"
    make_corpus(root, 5)
    died = child.build_in_child(root, 5, progress=lambda d, t: None, on_head=lambda m: None,
                                should_stop=lambda: False, module="briefing.no_such_module")
    assert died is None

    def cannot(*args, **kwargs):
        raise OSError("no processes left")

    monkeypatch.setattr(index_workers, "Worker", cannot)
    assert child.build_in_child(root, 5, progress=lambda d, t: None, on_head=lambda m: None,
                                should_stop=lambda: False) is None


def test_the_mark_of_a_stopped_build_is_taken_away_by_a_whole_index_command(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from briefing.cli import main

    for var in ("CONFIG", "DATA", "CACHE"):
        monkeypatch.setenv(f"BRIEFING_{var}_DIR", str(tmp_path / f"_{var.lower()}"))
    root = tmp_path / "c"
    make_corpus(root, 6)
    path = CorpusIndex(root).path
    child.note_unfinished(path, stopped=True)
    assert child.unfinished(path) and child.unfinished_mark(path).parent == path.parent
    result = CliRunner().invoke(main, ["index", "--corpus", str(root)], catch_exceptions=False)
    assert result.exit_code == 0 and "6 articles indexed" in result.output
    assert not child.unfinished(path)
