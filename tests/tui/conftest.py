"""Shared fixtures for driving the reader headless.

pytest-asyncio is not installed: each test is a plain function that runs its
coroutine with ``asyncio.run`` (see :func:`drive`).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import os
import shutil
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import textual._wait
from textual.command import CommandList
from textual.worker import WorkerCancelled

from briefing.model import Article, ArticleMeta

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path, monkeypatch):
    """Every test gets its own config/data/cache folders; the real home is never touched."""
    dirs = {}
    for name in ("CONFIG", "DATA", "CACHE", "STATE"):
        path = tmp_path / name.lower()
        path.mkdir()
        monkeypatch.setenv(f"BRIEFING_{name}_DIR", str(path))
        dirs[name.lower()] = path
    monkeypatch.delenv("BRIEFING_CORPUS", raising=False)
    return dirs


@pytest.fixture(autouse=True)
def quick_pilot_idle_checks() -> Iterator[None]:
    """Every reader test, snapshot tests included, runs the Pilot's idle checks in
    short steps (see :func:`quick_idle_checks`)."""
    with quick_idle_checks():
        yield


@pytest.fixture
def seeds(tmp_path) -> Path:
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target, ignore=shutil.ignore_patterns("formats"))  # the five shared articles (seeds/formats: the format examples)
    return target


def drive(app, test: Callable[..., Awaitable[None]], size=(100, 30)) -> None:
    """Run ``app`` headless, wait until the corpus is listed, then run ``test(pilot)``."""

    async def main() -> None:
        app.animation_level = "none"  # smooth scrolling on screen; instant in tests
        async with app.run_test(size=size, notifications=True) as pilot:
            await settle(pilot)
            await test(pilot)

    with quick_idle_checks():
        asyncio.run(main())


# The Pilot waits after every key press (and in ``pilot.pause()``) until the app is
# idle: it sleeps in steps of ``SLEEP_GRANULARITY`` (1/50 s) until a step passes in
# which the process used less than ``SLEEP_IDLE`` of CPU (1/20 of the step). Typing a
# word costs two steps a character at least, which made most of a reader test's time.
# Shorter steps keep the same test of idleness (under 1/20 of the step busy) and
# answer sooner.
IDLE_STEP_S = float(os.environ.get("BRIEFING_TEST_IDLE_STEP_S", "0.005"))


@contextlib.contextmanager
def quick_idle_checks(step: float = IDLE_STEP_S) -> Iterator[None]:
    saved = textual._wait.SLEEP_GRANULARITY, textual._wait.SLEEP_IDLE
    textual._wait.SLEEP_GRANULARITY, textual._wait.SLEEP_IDLE = step, step / 20.0
    try:
        yield
    finally:
        textual._wait.SLEEP_GRANULARITY, textual._wait.SLEEP_IDLE = saved


async def settle(pilot, delay: float = 0.0) -> None:
    """Let messages flow and every worker finish (loading, reading, summarizing, searching)."""
    if delay:
        await pilot.pause(delay)
    for _ in range(3):
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:  # replaced meanwhile by a newer one (the preview opened another article)
            pass
        await pilot.pause()


async def wait_until(pilot, condition: Callable[[], object], timeout: float = 10.0, what: str = "") -> None:
    """Let the app run until ``condition()`` holds (a timer fired, a worker's result
    was drawn); fail after ``timeout`` seconds. Never a fixed sleep."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what or condition}"
        await pilot.pause(0.01)


def record_notifications(app) -> list[str]:
    """Every message ``app`` shows in a toast from now on, kept after the toast has
    expired (a loaded machine can take longer than a toast lasts to reach a check)."""
    said: list[str] = []
    notify = app.notify

    def recording(message, *args, **kwargs):
        said.append(str(message))
        return notify(message, *args, **kwargs)

    app.notify = recording
    return said


def palette_offers(app, text: str) -> bool:
    """The command palette is open with ``text`` in its highlighted command."""
    lists = app.screen.query(CommandList)
    option = lists.first().highlighted_option if lists else None
    return option is not None and text in str(option.prompt)


def screen_strips(app) -> list:
    """The screen as the terminal would get it, line by line (Strips). Textual has no
    public API for the composited screen: this is the one place that reaches in."""
    return app.screen._compositor.render_strips()


def screen_text(app) -> str:
    """What the terminal would show right now, as plain lines."""
    strips = screen_strips(app)
    return "\n".join(strip.text.rstrip() for strip in strips)


def plain(widget) -> str:
    """The plain text a widget renders (Static, OptionList option prompts)."""
    return str(widget.render())


# --- a corpus made of known metadata, for order and grouping tests ------------------


def meta(article_id: str, title: str, date: dt.date | None, *, derived=False, author=None, source=None) -> ArticleMeta:
    return ArticleMeta(
        id=article_id,
        path=f"/nowhere/{article_id}",
        title=title,
        title_derived=derived,
        date=date,
        author=author,
        source=source,
        tags=(),
        fingerprint="sha256:" + article_id,
        words=10,
    )


@dataclass
class FakeCorpus:
    root: Path
    articles: list[ArticleMeta]
    bodies: dict[str, str] = field(default_factory=dict)
    problems: list = field(default_factory=list)

    def get(self, article_id: str) -> ArticleMeta:
        for m in self.articles:
            if m.id == article_id:
                return m
        raise KeyError(article_id)

    def article(self, article_id: str) -> Article:
        return Article(self.get(article_id), self.bodies.get(article_id, "Body text of the article. It has sentences."))


def flush_saves(app, timeout: float = 10.0) -> None:
    """Wait until the reader's queued annotation saves are on disk (saves run in the
    SaveQueue's thread): a test that reads annotations.yaml right after an action
    calls this first. Read marks kept for later are written too."""
    store = getattr(getattr(app, "marks", None), "store", None)
    saver = getattr(store, "saver", None)
    if saver is not None:
        assert saver.flush(timeout), "the annotations were not saved in time"
