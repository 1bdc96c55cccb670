"""Saves off the UI thread (issue 22 item 6), the cache notice (item 3) and a corpus
folder moved away while open (item 9), as the analyst meets them in the reader."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time

import yaml

from briefing.corpus import open_corpus
from briefing.tui.app import BriefingApp
from briefing.tui.widgets.article_list import ArticleList
from briefing.tui.widgets.status_bar import StatusBar

from .conftest import drive, flush_saves, plain, settle, wait_until

HOLD_LOCK = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o666)
fcntl.flock(fd, fcntl.LOCK_EX)
print("locked", flush=True)
sys.stdin.readline()          # hold until the test says so
fcntl.flock(fd, fcntl.LOCK_UN)
"""


class LockHolder:
    """Another process holding the annotation store's lock until :meth:`release`."""

    def __init__(self, lock_path) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(lock_path)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None and self.proc.stdout.readline().strip() == "locked"

    def release(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.write("go\n")
            self.proc.stdin.flush()
            self.proc.wait(timeout=10)


def on_disk(root) -> dict:
    path = root / "annotations.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))["articles"] if path.exists() else {}


def status_line(app) -> str:
    return plain(app.screen.query_one(StatusBar))


def toasts(app) -> list[str]:
    return [plain(t) for t in app.screen.query("Toast")]


def test_a_lock_held_by_another_process_never_freezes_the_reader(seeds):
    ids = [m.id for m in open_corpus(seeds).articles]
    app = BriefingApp(seeds)

    async def test(pilot):
        screen = app.screen
        articles = screen.query_one(ArticleList)
        articles.focus()
        articles.highlight_id(ids[0])
        seen: list[str] = []
        handle = screen.saving.status
        screen.saving.status = lambda message: (seen.append(message.status.state), handle(message))
        holder = LockHolder(seeds / ".annotations.yaml.lock")
        try:
            await pilot.press("t")
            await pilot.press(*"energy")
            started = time.monotonic()
            await pilot.press("enter")  # the save that used to wait 15 s for the lock
            assert time.monotonic() - started < 3.0
            await wait_until(pilot, lambda: "waiting" in status_line(app), what="the status says waiting")
            assert "energy" in app.marks.markers(ids[0]).tags  # shown at once, saved later
            await pilot.press("j")  # the screen answers keys meanwhile
            await wait_until(pilot, lambda: articles.highlighted_id == ids[1], timeout=3, what="the cursor moved")
            await wait_until(pilot, lambda: seen.count("waiting") >= 3, what="retries")
            told = [t for t in toasts(app) if "lock is held" in t]
            assert len(told) == 1  # once per reason, not once per retry
            assert ids[0] not in on_disk(seeds)
        finally:
            holder.release()
        await wait_until(pilot, lambda: on_disk(seeds).get(ids[0], {}).get("tags") == ["energy"],
                         what="the tag written once the lock is free")
        await wait_until(pilot, lambda: "waiting" not in status_line(app) and "saving" not in status_line(app),
                         what="the status cleared")

    drive(app, test)


def test_changes_pending_at_quit_are_written(seeds):
    ids = [m.id for m in open_corpus(seeds).articles]
    app = BriefingApp(seeds)

    async def test(pilot):
        articles = app.screen.query_one(ArticleList)
        articles.focus()
        articles.highlight_id(ids[1])
        holder = LockHolder(seeds / ".annotations.yaml.lock")
        try:
            await pilot.press("f")
            await wait_until(pilot, lambda: "waiting" in status_line(app), what="the status says waiting")
        finally:
            holder.release()
        await pilot.press("q")

    drive(app, test)
    assert on_disk(seeds)[ids[1]].get("flagged") is True


def test_an_unusable_cache_folder_is_told_once_in_the_reader(tmp_path, seeds, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(blocker / "cache"))
    app = BriefingApp(seeds)

    async def test(pilot):
        await wait_until(pilot, lambda: any("a-file" in t for t in toasts(app)), what="the cache notice")
        told = [t for t in toasts(app) if "a-file" in t]
        assert len(told) == 1 and str(blocker / "cache") in told[0]
        assert app.screen.state.corpus is not None and app.screen.state.corpus.articles

    drive(app, test)


def test_a_corpus_moved_away_stops_saving_and_keeps_the_change(tmp_path, seeds):
    ids = [m.id for m in open_corpus(seeds).articles]
    app = BriefingApp(seeds)
    moved = tmp_path / "moved"

    async def test(pilot):
        articles = app.screen.query_one(ArticleList)
        articles.focus()
        articles.highlight_id(ids[0])
        await settle(pilot)
        shutil.move(str(seeds), str(moved))
        await pilot.press("f")
        problem = app.screen.query_one("#annotations-problem")
        await wait_until(pilot, lambda: problem.display and "Saving stopped" in plain(problem),
                         what="the line saying saving stopped")
        assert "saving stopped" in status_line(app)
        assert app.marks.markers(ids[0]).flagged  # kept in memory
        assert not seeds.exists()  # the old folder is never recreated
        assert sum("Saving stopped" in t for t in toasts(app)) == 1

    drive(app, test)
    assert not seeds.exists()
    assert ids[0] not in on_disk(moved)


def test_flush_saves_helper_waits_for_the_queue(seeds):
    ids = [m.id for m in open_corpus(seeds).articles]
    app = BriefingApp(seeds)

    async def test(pilot):
        articles = app.screen.query_one(ArticleList)
        articles.focus()
        articles.highlight_id(ids[2])
        await pilot.press("f")
        flush_saves(app)
        assert on_disk(seeds)[ids[2]].get("flagged") is True

    drive(app, test)
