"""Real git repositories for the team tests: an origin and analysts' clones under
tmp_path, the ``git`` executable, and the merge driver run from this source tree."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from briefing.annotations import AnnotationStore
from briefing.team.gitsetup import init

SOURCE = Path(__file__).resolve().parents[2]  # the tree whose briefing the driver must run
ARTICLES = {
    "a.txt": "Power cuts hit Kyiv after strikes on the grid. Engineers worked overnight.",
    "b.txt": "Gas prices rose across Europe on Monday. Traders blamed the cold.",
    "c.txt": "A new pipeline opened in the north. Officials praised the project.",
}


def git_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(SOURCE), *filter(None, [env.get("PYTHONPATH")])])
    env.update(GIT_CONFIG_NOSYSTEM="1", GIT_TERMINAL_PROMPT="0", GIT_EDITOR="true", GIT_MERGE_AUTOEDIT="no")
    return env


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, env=git_env(), timeout=120)
    if check and result.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def identify(repo: Path, name: str) -> None:
    git(repo, "config", "user.name", name)
    git(repo, "config", "user.email", f"{name.lower()}@example.org")


def make_origin(tmp_path: Path) -> Path:
    """A repository with three articles, `team init` done and committed, and a
    first annotations.yaml (a tag on a.txt) committed: the common base."""
    origin = tmp_path / "origin"
    origin.mkdir()
    git(origin, "init", "-q", "-b", "main")
    identify(origin, "Lead")
    for name, body in ARTICLES.items():
        (origin / name).write_text(body + "\n", encoding="utf-8")
    init(origin, sys.executable)
    store = AnnotationStore.open(origin)
    store.author = "Lead"
    store.add_tags("a.txt", ["base"])
    git(origin, "add", "-A")
    git(origin, "commit", "-q", "-m", "articles and first annotations")
    git(origin, "config", "receive.denyCurrentBranch", "ignore")
    return origin


def clone(origin: Path, tmp_path: Path, name: str) -> Path:
    repo = tmp_path / name.lower()
    git(tmp_path, "clone", "-q", str(origin), str(repo))
    identify(repo, name)
    init(repo, sys.executable)  # the git config entry is per clone
    return repo


def store_of(repo: Path, author: str) -> AnnotationStore:
    store = AnnotationStore.open(repo)
    store.author = author
    return store


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def unmerged(repo: Path) -> list[str]:
    return git(repo, "diff", "--name-only", "--diff-filter=U").stdout.split()


def has_markers(text: str) -> bool:
    return any(line.startswith(("<<<<<<<", ">>>>>>>", "=======", "|||||||")) for line in text.splitlines())
