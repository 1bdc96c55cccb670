"""The folder watcher, on real files, with system events and with polling."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time

import pytest

from briefing.corpus import open_corpus
from briefing.index import CorpusIndex, fresh
from briefing.watch import CorpusWatcher, SourceFailed
from briefing.watch import watcher as watcher_mod

from .conftest import POLL_INTERVAL, Batches, watcher_threads

ARTICLE = "Headline {n}\n\ndate 2024-03-0{d} The text of article {n} about grain exports.\n"


def cached(index):
    """The corpus as the cache holds it now (a new CorpusIndex: the first snapshot
    after a cold build would hand back the list that build made)."""
    return CorpusIndex(index.root, workers=1).snapshot()


def rel(batch, root) -> set[str]:
    prefix = os.path.realpath(root) + os.sep
    return {p[len(prefix):].replace(os.sep, "/") for p in batch.paths if p.startswith(prefix)}


def test_added_file_is_reported_and_indexed_within_two_seconds(watched):
    root, index, _watcher, batches = watched
    written = time.monotonic()
    (root / "new.txt").write_text(ARTICLE.format(n=1, d=1))
    batch = batches.wait(lambda b: "new.txt" in rel(b, root))
    assert time.monotonic() - written < 2.0
    assert [m.id for m in batch.update.added] == ["new.txt"]
    assert batch.update.added[0].title == "Headline 1"
    assert "new.txt" in {m.id for m in cached(index).articles}


def test_changed_file_is_reported_with_its_new_metadata(watched):
    root, index, _watcher, batches = watched
    target = root / "2020" / "01" / "0000.txt"
    written = time.monotonic()
    target.write_text("Corrected headline\n\nThe article now says something else entirely.\n")
    batch = batches.wait(lambda b: b.update is not None and b.update.changed)
    assert time.monotonic() - written < 2.0
    assert [(m.id, m.title) for m in batch.update.changed] == [("2020/01/0000.txt", "Corrected headline")]
    assert cached(index).get("2020/01/0000.txt").title == "Corrected headline"


def test_removed_file_is_reported_and_dropped(watched):
    root, index, _watcher, batches = watched
    written = time.monotonic()
    (root / "2021" / "02" / "0001.txt").unlink()
    batch = batches.wait(lambda b: b.update is not None and b.update.removed)
    assert time.monotonic() - written < 2.0
    assert batch.update.removed == ["2021/02/0001.txt"]
    assert "2021/02/0001.txt" not in {m.id for m in cached(index).articles}


def test_renamed_file_is_reported_as_a_rename(watched):
    root, index, _watcher, batches = watched
    written = time.monotonic()
    os.rename(root / "2022" / "03" / "0002.txt", root / "2022" / "03" / "moved.txt")
    batch = batches.wait(lambda b: b.update is not None and b.update.renamed)
    assert time.monotonic() - written < 2.0
    assert [(old, new.id) for old, new in batch.update.renamed] == [("2022/03/0002.txt", "2022/03/moved.txt")]
    ids = {m.id for m in cached(index).articles}
    assert "2022/03/moved.txt" in ids and "2022/03/0002.txt" not in ids


def test_folder_renamed_inside_the_corpus_moves_its_articles(watched):
    root, index, _watcher, batches = watched
    before = {m.id for m in cached(index).articles if m.id.startswith("2020/")}
    os.rename(root / "2020", root / "2030")
    seen: set[str] = set()
    batches.wait(lambda b: seen.update(old for old, _ in (b.update.renamed if b.update else ()))
                 or seen == before)
    assert cached(index).articles == open_corpus(root).articles


def test_annotations_edited_by_another_process(watched):
    root, _index, _watcher, batches = watched
    code = (
        "import sys, pathlib\n"
        "pathlib.Path(sys.argv[1]).write_text('version: 1\\narticles:\\n  \"2020/01/0000.txt\":\\n    tags: [\"kyiv\"]\\n')\n"
    )
    subprocess.run([sys.executable, "-c", code, str(root / "annotations.yaml")], check=True)
    written = time.monotonic()  # the other process has written and exited
    batch = batches.wait(lambda b: b.annotations)
    assert time.monotonic() - written < 1.0
    assert batch.paths == frozenset()  # annotations.yaml is not an article


def test_annotations_saved_by_the_store_are_reported_without_its_companions(watched):
    """A save by the store (lock file, temp file, backup, atomic replace) is one
    annotations change; none of its companion files is reported as an article."""
    from briefing.annotations.store import AnnotationStore

    root, _index, _watcher, batches = watched
    store = AnnotationStore.open(root)
    store.add_tags("2020/01/0000.txt", ["energy"])
    store.add_tags("2020/01/0000.txt", ["kyiv"])  # a second save: the backup is written
    batches.wait(lambda b: b.annotations)
    (root / "sentinel.txt").write_text(ARTICLE.format(n=9, d=9))
    batches.wait(lambda b: "sentinel.txt" in rel(b, root))
    assert all(not b.paths - {str(root / "sentinel.txt")} for b in batches.all)


def test_burst_of_a_thousand_files(watched):
    root, index, _watcher, batches = watched
    burst = root / "burst"
    burst.mkdir()
    began = time.monotonic()
    for n in range(1000):
        (burst / f"{n:04d}.txt").write_text(f"Burst headline {n}\n\nBody of burst article number {n}.\n")
    writing = time.monotonic() - began
    added: set[str] = set()

    def all_in(batch) -> bool:
        if batch.update is not None:
            added.update(m.id for m in batch.update.added)
        return len(added) == 1000

    batches.wait(all_in, timeout=30)
    assert added == {f"burst/{n:04d}.txt" for n in range(1000)}
    # Debounced: at most one batch per debounce period while the files were being
    # written, and a few after (0.2 s each, or a polling interval), not 1,000 callbacks.
    assert len(batches.all) <= 5 + writing / 0.2
    assert len(cached(index).articles) == 1012


def test_ignored_files_are_not_reported(watched):
    root, _index, _watcher, batches = watched
    (root / ".hidden.txt").write_text("hidden")
    (root / ".0000.txt.swp").write_text("swap")
    (root / "draft.txt~").write_text("backup")
    (root / "#autosave.txt#").write_text("emacs")
    (root / "~$lock.txt").write_text("office")
    (root / ".annotations.yaml.lock").write_text("")
    (root / ".annotations.yaml.x1y2.tmp").write_text("temp")
    (root / "annotations.yaml.bak").write_text("backup")
    (root / "picture.png").write_bytes(b"\x89PNG")  # not an article (a .pdf is one since issue 18)
    (root / "briefings").mkdir()
    (root / "briefings" / "monday.md").write_text("# A briefing\n\nNot an article.\n")
    (root / ".git").mkdir()
    (root / ".git" / "HEAD.txt").write_text("ref")
    (root / "sentinel.txt").write_text(ARTICLE.format(n=2, d=2))
    batches.wait(lambda b: "sentinel.txt" in rel(b, root))
    reported = set().union(*(rel(b, root) for b in batches.all))
    assert reported == {"sentinel.txt"}
    assert not any(b.annotations for b in batches.all)


def test_folder_removed_then_made_again(watched):
    root, index, _watcher, batches = watched
    count = len(cached(index).articles)
    shutil.rmtree(root)
    batch = batches.wait(lambda b: b.root is not None)
    assert batch.root == "removed" and str(root) in batch.message
    assert len(cached(index).articles) == count  # a vanished folder does not empty the index
    with pytest.raises(FileNotFoundError):
        _watcher.refresh_index()  # nor does a refresh asked for meanwhile
    assert len(cached(index).articles) == count
    root.mkdir()
    (root / "fresh.txt").write_text(ARTICLE.format(n=3, d=3))
    batch = batches.wait(lambda b: b.root is not None)
    assert batch.root == "replaced" and batch.rescan


def test_folder_replaced_by_another(watched, tmp_path):
    root, index, watcher, batches = watched
    other = tmp_path / "other"
    other.mkdir()
    (other / "a.txt").write_text(ARTICLE.format(n=4, d=4))
    os.rename(root, tmp_path / "moved-away")
    os.rename(other, root)
    batch = batches.wait(lambda b: b.root == "replaced", timeout=5)
    assert batch.rescan
    # Events may have been lost: the stamp says so by the time the batch comes, and
    # nothing is vouched for until a full refresh.
    assert fresh.read_stamp(index.path)["synced"] is False
    assert not fresh.is_fresh(root, 0)
    stats = watcher.refresh_index()
    assert stats.files == 1
    assert fresh.wait_fresh(root, timeout=2.0)
    (root / "b.txt").write_text(ARTICLE.format(n=5, d=5))  # the new folder is watched
    batches.wait(lambda b: "b.txt" in rel(b, root))


def test_stop_leaves_no_thread(corpus_dir, mode):
    before = len(watcher_threads())
    watcher = CorpusWatcher(corpus_dir, Batches(), mode=mode, poll_interval=POLL_INTERVAL)
    watcher.start()
    assert len(watcher_threads()) == before + 1
    began = time.monotonic()
    watcher.stop()
    assert time.monotonic() - began < 1.0
    assert len(watcher_threads()) == before and not watcher.running


def test_a_failing_callback_does_not_stop_the_watcher(corpus_dir, mode):
    got = Batches()
    calls = []

    def flaky(batch):
        calls.append(batch)
        if len(calls) == 1:
            raise ValueError("receiver bug")
        got(batch)

    with CorpusWatcher(corpus_dir, flaky, mode=mode, poll_interval=POLL_INTERVAL) as watcher:
        (corpus_dir / "one.txt").write_text(ARTICLE.format(n=1, d=1))
        deadline = time.monotonic() + 5
        while not calls and time.monotonic() < deadline:
            threading.Event().wait(0.02)
        (corpus_dir / "two.txt").write_text(ARTICLE.format(n=2, d=2))
        got.wait(lambda b: "two.txt" in rel(b, corpus_dir))
        assert any("receiver bug" in e for e in watcher.errors)


def test_without_an_index_the_batch_names_the_paths(corpus_dir, mode):
    got = Batches()
    with CorpusWatcher(corpus_dir, got, mode=mode, poll_interval=POLL_INTERVAL):
        (corpus_dir / "2020" / "01" / "0000.txt").unlink()
        batch = got.wait(lambda b: b.paths)
        assert rel(batch, corpus_dir) == {"2020/01/0000.txt"} and batch.update is None


# -- choosing and falling back --------------------------------------------------------


def test_env_selects_polling(corpus_dir, monkeypatch):
    monkeypatch.setenv("BRIEFING_WATCH", "polling")
    with CorpusWatcher(corpus_dir, Batches()) as watcher:
        assert watcher.mode == "polling"


def test_unknown_mode_is_refused(corpus_dir):
    with pytest.raises(ValueError, match="watch mode"):
        CorpusWatcher(corpus_dir, Batches(), mode="sometimes")


def test_falls_back_to_polling_when_events_are_unavailable(corpus_dir, monkeypatch):
    def no_events(*args, **kwargs):
        raise SourceFailed("OSError: OS file watch limit reached")

    monkeypatch.setattr(watcher_mod, "_native_source", no_events)
    got = Batches()
    with CorpusWatcher(corpus_dir, got, poll_interval=POLL_INTERVAL) as watcher:
        assert watcher.mode == "polling"
        notice = got.wait(lambda b: b.message)
        assert "watch limit" in notice.message and "polling" in notice.message
        (corpus_dir / "late.txt").write_text(ARTICLE.format(n=6, d=6))
        got.wait(lambda b: "late.txt" in rel(b, corpus_dir))


def test_native_only_mode_fails_to_start_without_events(corpus_dir, monkeypatch):
    def no_events(*args, **kwargs):
        raise SourceFailed("OSError: inotify unavailable")

    monkeypatch.setattr(watcher_mod, "_native_source", no_events)
    with pytest.raises(RuntimeError, match="inotify unavailable"):
        CorpusWatcher(corpus_dir, Batches(), mode="native").start()
    assert watcher_threads() == []


def test_a_name_that_is_not_utf8_switches_to_polling_and_asks_for_a_rescan(corpus_dir):
    """watchfiles fails for good on such a name: the watcher says events may be lost,
    polls from then on, and still sees the file and later changes."""
    got = Batches()
    with CorpusWatcher(corpus_dir, got, mode="auto", poll_interval=POLL_INTERVAL) as watcher:
        assert watcher.mode == "native"
        with open(os.path.join(os.fsencode(corpus_dir), b"bad\xff.txt"), "w") as handle:
            handle.write(ARTICLE.format(n=7, d=7))
        batch = got.wait(lambda b: b.rescan)
        assert watcher.mode == "polling" and "polling" in batch.message
        (corpus_dir / "after.txt").write_text(ARTICLE.format(n=8, d=8))
        got.wait(lambda b: "after.txt" in rel(b, corpus_dir))


# -- the freshness stamp --------------------------------------------------------------


def test_fresh_only_while_a_synced_watcher_runs(corpus_dir, mode):
    index = CorpusIndex(corpus_dir, workers=1)
    index.refresh()  # before the watcher: a change in between would be missed
    watcher = CorpusWatcher(corpus_dir, Batches(), index=index, mode=mode, poll_interval=POLL_INTERVAL)
    watcher.start()
    try:
        assert fresh.read_stamp(index.path)["synced"] is False
        assert not fresh.wait_fresh(corpus_dir, timeout=0.5)
        watcher.refresh_index()
        assert fresh.wait_fresh(corpus_dir, timeout=2.0)
        assert not fresh.is_fresh(corpus_dir, time.time_ns() + 60_000_000_000)  # not for the future
    finally:
        watcher.stop()
    assert fresh.read_stamp(index.path) is None
    assert not fresh.is_fresh(corpus_dir, 0)


def test_a_change_is_in_the_index_once_the_stamp_passes_it(watched):
    root, index, _watcher, _batches = watched
    (root / "stamped.txt").write_text(ARTICLE.format(n=5, d=5))
    after_write = time.time_ns()
    assert fresh.wait_fresh(root, after_write, timeout=5.0)
    assert "stamped.txt" in {m.id for m in cached(index).articles}


def test_a_stamp_from_a_dead_process_is_not_trusted(corpus_dir):
    index = CorpusIndex(corpus_dir, workers=1)
    index.refresh()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stamp = {"v": 1, "host": fresh._host(), "pid": int(dead.stdout), "token": "x", "mode": "native",
             "synced": True, "through_ns": time.time_ns() + 10**12, "heartbeat_ns": time.time_ns()}
    assert fresh.write_stamp(index.path, stamp)
    assert not fresh.is_fresh(corpus_dir)
    stamp["pid"] = os.getpid()
    assert fresh.write_stamp(index.path, stamp)
    assert fresh.is_fresh(corpus_dir)  # the same stamp from a live process is


def test_index_busy_elsewhere_the_paths_wait_and_are_applied_later(watched):
    """Another process refreshing the index holds its writer lock: the batch comes at
    once (annotations and paths named, not applied yet), and the update follows."""
    from pathlib import Path

    from briefing.durable import locked

    root, index, _watcher, batches = watched
    held, release = threading.Event(), threading.Event()

    def holder():
        with locked(Path(f"{index.path}.lock")):
            held.set()
            release.wait(10)

    thread = threading.Thread(target=holder)
    thread.start()
    assert held.wait(5)
    try:
        written_ns = time.time_ns()
        (root / "waiting.txt").write_text(ARTICLE.format(n=3, d=3))
        (root / "annotations.yaml").write_text("version: 1\narticles: {}\n")
        first = batches.wait(lambda b: "waiting.txt" in rel(b, root))
        assert first.update is None and "retrying" in first.index_error
        if not first.annotations:  # in the same burst, or the next one
            batches.wait(lambda b: b.annotations)
        assert not fresh.is_fresh(root, written_ns)  # the write waits: not vouched for
    finally:
        release.set()
        thread.join()
    applied = batches.wait(lambda b: b.update is not None and b.update.added)
    assert [m.id for m in applied.update.added] == ["waiting.txt"]


def test_folder_moved_away(watched, tmp_path):
    root, index, _watcher, batches = watched
    count = len(cached(index).articles)
    os.rename(root, tmp_path / "elsewhere")
    batch = batches.wait(lambda b: b.root is not None)
    assert batch.root == "removed"
    assert len(CorpusIndex(index.root, workers=1).snapshot().articles) == count


@pytest.mark.skipif(shutil.which("git") is None, reason="needs the git command")
def test_git_checkout_of_another_branch(watched):
    """The folder stays, its files change at once: the index ends as a fresh load."""
    root, index, _watcher, batches = watched

    def git(*args):
        subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True,
                       env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
                            "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"})

    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-q", "-m", "main")
    git("checkout", "-q", "-b", "other")
    (root / "2020" / "01" / "0000.txt").write_text("Other branch headline\n\nOnly on the other branch.\n")
    shutil.rmtree(root / "2021")
    (root / "branch-only").mkdir()
    for n in range(30):
        (root / "branch-only" / f"{n}.txt").write_text(ARTICLE.format(n=n, d=1 + n % 9))
    git("add", "-A")
    git("commit", "-q", "-m", "other")
    batches.wait(lambda b: cached(index).articles == open_corpus(root).articles, timeout=10)
    git("checkout", "-q", "main")
    assert not (root / "branch-only").exists()
    batches.wait(lambda b: cached(index).articles == open_corpus(root).articles, timeout=10)
    assert not any(b.root for b in batches.all)  # .git is ignored, the folder was never replaced


def test_annotations_kept_outside_the_corpus_are_watched_too(corpus_dir, tmp_path, mode):
    """A read-only corpus keeps its annotations in the data folder: that file is watched."""
    kept = tmp_path / "data" / "annotations" / "abc"
    kept.mkdir(parents=True)
    got = Batches()
    with CorpusWatcher(corpus_dir, got, annotations=kept / "annotations.yaml", mode=mode,
                       poll_interval=POLL_INTERVAL):
        (kept / "unrelated.txt").write_text("not an article of the corpus")
        (kept / "annotations.yaml").write_text("version: 1\narticles: {}\n")
        batch = got.wait(lambda b: b.annotations)
        assert batch.paths == frozenset()
