"""An unusable cache folder never stops briefing: every cache falls back to a
temporary folder for the run, with one line saying so.

The tests run as root in CI, and root ignores permission bits, so an unusable folder
is made the way that fails for anyone: a cache path that is a regular file, or that
runs through one (``XDG_CACHE_HOME`` pointing under a file).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from briefing.resources import sample_corpus
from tests.seedfiles import copy_shared_seeds

FIRST = "001_91c4a80b16629b6a.txt"


def _env(tmp_path: Path, how: str) -> dict:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n")
    env = {k: v for k, v in os.environ.items() if k not in ("BRIEFING_CACHE_DIR", "XDG_CACHE_HOME")}
    env.update(BRIEFING_CONFIG_DIR=str(tmp_path / "config"), BRIEFING_DATA_DIR=str(tmp_path / "data"),
               TMPDIR=str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    if how == "cache dir is a file":
        env["BRIEFING_CACHE_DIR"] = str(blocker)
    elif how == "cache dir under a file":
        env["BRIEFING_CACHE_DIR"] = str(blocker / "cache")
    else:  # the platform default, with XDG_CACHE_HOME under a file
        env["XDG_CACHE_HOME"] = str(blocker / "xdg")
    return env


def _run(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "briefing", *args], capture_output=True, text=True,
                          env=env, timeout=120, check=False)


HOWS = ["cache dir is a file", "cache dir under a file", "XDG_CACHE_HOME under a file"]


# Each command end to end (a process of its own, started and finished: nothing left
# in TMPDIR), each way of making the folder unusable end to end at least once; that
# every way is caught, for both caches, by the one place that decides is checked
# in-process below (test_one_place_decides_for_every_cache).
@pytest.mark.parametrize(
    "args, expect, how",
    [
        (("list", "--search", "kyiv"), FIRST, HOWS[0]),
        (("keywords", FIRST), "keywords:", HOWS[1]),
        (("stories",), "lead", HOWS[2]),
        (("index",), "articles indexed", HOWS[0]),
        (("export", "--all", "--search", "kyiv", "--format", "json"), FIRST, HOWS[1]),
    ],
    ids=["list --search", "keywords", "stories", "index", "export --search"],
)
def test_commands_fall_back_to_a_temporary_cache_with_one_notice(tmp_path, how, args, expect):
    env = _env(tmp_path, how)
    corpus = tmp_path / "corpus"
    copy_shared_seeds(corpus)
    result = _run(env, *args, "--corpus", str(corpus))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert expect in result.stdout
    notices = [line for line in result.stderr.splitlines() if "temporary cache" in line]
    assert len(notices) == 1 and notices[0].startswith("briefing: cache folder ")
    assert "cannot be used" in notices[0]
    # The temporary cache is gone after the run (nothing left in TMPDIR).
    assert list((tmp_path / "tmp").iterdir()) == []


def test_a_usable_cache_folder_says_nothing(tmp_path):
    env = _env(tmp_path, "cache dir is a file")
    env["BRIEFING_CACHE_DIR"] = str(tmp_path / "cache")
    result = _run(env, "list", "--search", "kyiv", "--corpus", str(sample_corpus()))
    assert result.returncode == 0 and "temporary cache" not in result.stderr
    assert any((tmp_path / "cache" / "index").glob("*.sqlite"))


@pytest.mark.parametrize("how", HOWS)
def test_one_place_decides_for_every_cache(tmp_path, monkeypatch, how):
    from briefing import cachedir
    from briefing.index import cache_path
    from briefing.summarize.cache import default_cache

    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    unusable = {HOWS[0]: blocker, HOWS[1]: blocker / "cache", HOWS[2]: blocker / "xdg"}[how]
    if how == HOWS[2]:  # the platform default, under XDG_CACHE_HOME
        monkeypatch.delenv("BRIEFING_CACHE_DIR")
        monkeypatch.setenv("XDG_CACHE_HOME", str(unusable))
    else:
        monkeypatch.setenv("BRIEFING_CACHE_DIR", str(unusable))
    heard: list[str] = []
    cachedir.on_cache_notice(heard.append)
    try:
        index_file = cache_path(tmp_path / "corpus")
        summaries = default_cache().path
    finally:
        cachedir._listeners.remove(heard.append)
    assert not str(index_file).startswith(str(blocker)) and not str(summaries).startswith(str(blocker))
    assert index_file.parent.parent == summaries.parent  # one temporary root for both
    assert index_file.parent.is_dir()
    assert len(heard) == 1 and str(unusable) in heard[0]
    assert cachedir.cache_notice() == heard[0]  # what the reader shows


def test_the_reader_opens_a_corpus_with_an_unusable_cache_folder(tmp_path, monkeypatch):
    from briefing.tui.app import BriefingApp

    from .tui.conftest import drive

    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    for name in ("CONFIG", "DATA"):
        monkeypatch.setenv(f"BRIEFING_{name}_DIR", str(tmp_path / name.lower()))
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(blocker / "cache"))
    corpus = tmp_path / "corpus"
    copy_shared_seeds(corpus)
    app = BriefingApp(corpus)

    async def test(pilot):
        from tests.tui.conftest import plain

        shown = " ".join(plain(t) for t in app.screen.query("Toast"))
        assert "Cannot" not in shown
        corpus = app.screen.state.corpus
        assert corpus is not None and len(corpus.articles) == 5

    drive(app, test)


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores permission bits: a read-only folder is writable to it")
def test_a_read_only_cache_folder_falls_back_too(tmp_path):
    env = _env(tmp_path, "cache dir is a file")
    locked = tmp_path / "read-only"
    locked.mkdir()
    locked.chmod(0o555)
    env["BRIEFING_CACHE_DIR"] = str(locked / "cache")
    try:
        result = _run(env, "list", "--search", "kyiv", "--corpus", str(sample_corpus()))
    finally:
        locked.chmod(0o755)
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert FIRST in result.stdout and "temporary cache" in result.stderr
