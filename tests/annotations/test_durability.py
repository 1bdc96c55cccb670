"""Saves survive SIGKILL at any moment, and concurrent saves lose nothing.

Children are forked (no interpreter start-up) so that many kills fit in a second.
"""

from __future__ import annotations

import os
import select
import signal
import time
import traceback
from pathlib import Path

from briefing.annotations import AnnotationStore, yamlio
from briefing.annotations.location import backup_dir
from briefing.annotations.schema import AnnotationDoc, ArticleNotes

A = "a.txt"


def _fork(body, errors: Path | None = None) -> int:
    """Run ``body`` in a forked child; an exception it raises is written, with its
    traceback, to ``errors/<pid>.txt`` (see :func:`_child_error`) and exits 1."""
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            body()
            status = 0
        except BaseException:
            if errors is not None:
                (errors / f"{os.getpid()}.txt").write_text(traceback.format_exc())
        finally:
            os._exit(status)
    return pid


def _child_error(errors: Path, pid: int) -> str:
    report = errors / f"{pid}.txt"
    return report.read_text() if report.exists() else "(no exception recorded)"


def _saver(corpus, first: int, ready_fd: int) -> None:
    store = AnnotationStore.open(corpus)
    n = first
    while True:
        store.add_tags(A, [f"t{n:06}"])
        if n == first:
            os.write(ready_fd, b"1")  # saving in a loop from now on
        n += 1


def _temp_files(folder) -> list:
    return [p for p in folder.iterdir() if p.name.endswith(".tmp")]


def _wait_until(condition, what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, what
        os.sched_yield()


def test_a_save_killed_at_any_moment_leaves_the_old_or_the_new_file(corpus_dir):
    path = corpus_dir / "annotations.yaml"
    path.write_bytes(yamlio.dumps_bytes(AnnotationDoc({A: ArticleNotes(tags=("base",), notes=())})))
    expected = {"base"}
    kills, with_temp_left, grew = 52, 0, 0
    ready_read, ready_write = os.pipe()
    for k in range(kills):
        first = k * 100_000
        pid = _fork(lambda first=first: _saver(corpus_dir, first, ready_write))
        assert select.select([ready_read], [], [], 30)[0], "the saving child never saved"
        os.read(ready_read, 1)
        # Spread the kills over the save cycle: right after a save, inside a write
        # (its temp file is there), right after a replace (the temp file just went).
        if k % 3:
            _wait_until(lambda: _temp_files(corpus_dir), "the child never started a write")
        if k % 3 == 2:
            _wait_until(lambda: not _temp_files(corpus_dir), "the child's write never finished")
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        if any(p.name.endswith(".tmp") for p in corpus_dir.iterdir()):
            with_temp_left += 1
        doc = yamlio.load(path.read_bytes())  # parses: never a partial file
        tags = set(doc.get(A).tags)
        assert expected <= tags
        new = sorted(tags - expected)
        # Exactly the first m tags this child saved, m >= 0: a complete version.
        assert new == [f"t{n:06}" for n in range(first, first + len(new))]
        grew += bool(new)
        expected = tags
        backup = backup_dir(corpus_dir.resolve()) / "annotations.yaml.bak"  # (in the state folder since issue 21)
        if backup.exists():
            yamlio.load(backup.read_bytes())
    os.close(ready_read)
    os.close(ready_write)
    print(f"kills={kills} temp_left={with_temp_left}")
    assert grew == kills  # every child had saved at least once before the kill
    assert with_temp_left >= 1  # and some kills landed inside a write
    # The next save clears what killed saves left behind.
    AnnotationStore.open(corpus_dir).add_tags(A, ["after"])
    assert not [p for p in corpus_dir.iterdir() if p.name.endswith(".tmp")]


def test_two_processes_adding_100_tags_each_lose_none(corpus_dir, tmp_path):
    go_read, go_write = os.pipe()

    def adder(name: str) -> None:
        store = AnnotationStore.open(corpus_dir)
        os.read(go_read, 1)  # start together
        for i in range(100):
            store.add_tags(A, [f"{name}-{i:03}"])  # one save each

    errors = tmp_path / "errors"
    errors.mkdir()
    pids = [_fork(lambda: adder("left"), errors), _fork(lambda: adder("right"), errors)]
    os.write(go_write, b"xx")
    for pid in pids:
        _, status = os.waitpid(pid, 0)
        assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, _child_error(errors, pid)
    os.close(go_read)
    os.close(go_write)
    tags = AnnotationStore.open(corpus_dir).get(A).tags
    assert sorted(tags) == sorted([f"left-{i:03}" for i in range(100)] + [f"right-{i:03}" for i in range(100)])


def test_backups_live_in_the_state_folder_and_the_corpus_keeps_only_the_file_and_its_lock(corpus_dir):
    """Issue 21: nothing but annotations.yaml and its lock in a shared corpus folder;
    the backups (and the migrated version's) go to the user's state folder, with a
    note naming the corpus they are of."""
    (corpus_dir / "annotations.yaml").write_bytes(b'articles:\n  "a.txt":\n    status: "read"\nversion: 1\n')
    before = set(os.listdir(corpus_dir))
    store = AnnotationStore.open(corpus_dir)
    store.add_tags("a.txt", ["x"])
    store.add_tags("a.txt", ["y"])
    assert set(os.listdir(corpus_dir)) - before == {".annotations.yaml.lock"}
    folder = backup_dir(corpus_dir.resolve())
    assert folder.is_relative_to(os.environ["BRIEFING_STATE_DIR"])
    assert sorted(os.listdir(folder)) == ["annotations.yaml.bak", "annotations.yaml.v1.bak", "corpus.txt"]
    assert (folder / "corpus.txt").read_text().strip() == str(corpus_dir.resolve())
    assert b'"x"' in (folder / "annotations.yaml.bak").read_bytes()  # the version before the last save
