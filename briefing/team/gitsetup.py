"""``briefing team init``: make a corpus's git repository merge briefing's files
with briefing, and keep briefing's working files out of it.

Three things, each checked first and only written when missing or different
(so running it again changes nothing and says so):

1. ``.gitattributes`` in the corpus folder: ``annotations.yaml``,
   ``watchlists.yaml`` and ``briefings/*.yaml`` use the ``briefing`` merge driver.
   This file is committed: it tells every clone which files the driver merges.
2. the repository's git config (``.git/config``, not committed: each clone runs
   ``team init`` once): ``merge.briefing.name`` and ``merge.briefing.driver``.
3. ``.gitignore`` in the corpus folder: the lock file and temp files the store
   keeps beside ``annotations.yaml`` (and the watchlists file), and the backups
   older versions left there (backups now go to the user's state folder).

The driver command. Git runs it through the shell. It names the interpreter
running ``team init`` by its absolute path (``python -m briefing``, which works for
an installed command and a source checkout alike), and falls back to ``briefing``
on the ``PATH`` when that interpreter is gone (a virtual environment moved or
deleted), so a moved environment degrades to the command the analyst has rather
than to a failing merge; running ``team init`` again rewrites the path.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

DRIVER = "briefing"
DRIVER_NAME = "briefing: three-way merge of annotations, watchlists and briefings"
MERGED_PATTERNS = ("annotations.yaml", "watchlists.yaml", "briefings/*.yaml")
IGNORED = (
    "/.annotations.yaml.lock",
    "/annotations.yaml.bak",
    "/annotations.yaml.v*.bak",
    "/.annotations.yaml.*.tmp",
    "/.watchlists.yaml.lock",
    "/watchlists.yaml.bak",
    "/watchlists.yaml.v*.bak",
    "/.watchlists.yaml.*.tmp",
    "/briefings/.*.lock",
    "/briefings/*.bak",
    "/briefings/.*.tmp",
)
IGNORE_COMMENT = "# briefing: lock and temporary files, and backups older versions left here (never shared)"
ATTRIBUTES_COMMENT = "# briefing: merged by `briefing merge-file` (set up with `briefing team init`)"


class NotARepository(RuntimeError):
    pass


@dataclass
class InitReport:
    done: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"done: {d}" for d in self.done] + [f"already in place: {a}" for a in self.already]
        if not self.done:
            out.append("nothing to change: this repository is already set up for briefing")
        return out


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    git = shutil.which("git")
    if git is None:
        raise NotARepository("git is not installed (no `git` on the PATH); briefing team init needs it")
    return subprocess.run([git, *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=30,
                          env={**os.environ, "GIT_TERMINAL_PROMPT": "0"})


def work_tree(corpus: Path) -> Path:
    """The top of the git work tree ``corpus`` is in (NotARepository if none)."""
    result = _git(["rev-parse", "--is-inside-work-tree", "--show-toplevel"], corpus)
    lines = result.stdout.split("\n")
    if result.returncode != 0 or not lines or lines[0].strip() != "true":
        raise NotARepository(
            f"{corpus} is not in a git work tree; clone the team's repository (or run `git init` there) "
            "and run `briefing team init` again"
        )
    return Path(lines[1].strip())


def driver_command(python: str | None = None) -> str:
    """The shell command git runs for the driver (see the module docstring)."""
    exe = python or sys.executable
    args = "merge-file %O %A %B %P"
    q = shlex.quote(exe)
    return f"if test -x {q}; then {q} -m briefing {args}; else briefing {args}; fi"


def _ensure_lines(path: Path, comment: str, lines: tuple[str, ...], what: str, report: InitReport) -> None:
    from briefing.durable import StoreFolder

    folder = StoreFolder(path.parent)
    try:
        data = folder.read(path.name, 1 << 20)
        text = data.decode("utf-8", "surrogateescape") if data is not None else ""
        have = {line.strip() for line in text.splitlines()}
        missing = [line for line in lines if line not in have]
        if not missing:
            report.already.append(f"{what} in {path}")
            return
        add = ([comment] if comment not in have else []) + missing
        new = text + ("" if text.endswith("\n") or not text else "\n") + "\n".join(add) + "\n"
        folder.replace(path.name, new.encode("utf-8", "surrogateescape"))
        report.done.append(f"{what}: added {len(missing)} line(s) to {path}")
    finally:
        folder.close()


def _ensure_config(top: Path, key: str, value: str, report: InitReport) -> None:
    current = _git(["config", "--local", "--get", key], top)
    if current.returncode == 0 and current.stdout.rstrip("\n") == value:
        report.already.append(f"git config {key}")
        return
    result = _git(["config", "--local", key, value], top)
    if result.returncode != 0:
        raise NotARepository(f"git config {key} could not be set: {result.stderr.strip()}")
    verb = "updated" if current.returncode == 0 else "set"
    report.done.append(f"{verb} git config {key} = {value}")


def init(corpus: Path, python: str | None = None) -> InitReport:
    """Set up the repository ``corpus`` is in (see the module docstring)."""
    corpus = corpus.resolve()
    top = work_tree(corpus)
    report = InitReport()
    attributes = tuple(f"{p} merge={DRIVER}" for p in MERGED_PATTERNS)
    _ensure_lines(corpus / ".gitattributes", ATTRIBUTES_COMMENT, attributes, "merge attributes", report)
    _ensure_config(top, f"merge.{DRIVER}.name", DRIVER_NAME, report)
    _ensure_config(top, f"merge.{DRIVER}.driver", driver_command(python), report)
    _ensure_lines(corpus / ".gitignore", IGNORE_COMMENT, IGNORED, "ignore entries", report)
    _ensure_in_effect(corpus, attributes, report)
    return report


# A path under each pattern, for asking git which merge driver is in effect.
_SAMPLES = {"annotations.yaml": "annotations.yaml", "watchlists.yaml": "watchlists.yaml",
            "briefings/*.yaml": "briefings/x.yaml"}


def _drivers_in_effect(corpus: Path) -> dict[str, str]:
    """Pattern -> the merge attribute git applies to a file under it (``git check-attr``)."""
    samples = [_SAMPLES[p] for p in MERGED_PATTERNS]
    result = _git(["check-attr", "merge", "--", *samples], corpus)
    found: dict[str, str] = {}
    for line in result.stdout.splitlines():  # "<path>: merge: <value>"
        path, _, rest = line.partition(": merge: ")
        found[path] = rest.strip()
    return {p: found.get(_SAMPLES[p], "unspecified") for p in MERGED_PATTERNS}


def _ensure_in_effect(corpus: Path, attributes: tuple[str, ...], report: InitReport) -> None:
    """The ``merge=briefing`` lines are there; make sure nothing after them (a later
    line, a sub-folder's ``.gitattributes``, ``.git/info/attributes``) overrides them:
    git applies the last matching line, so they are added again at the end."""
    wrong = {p: v for p, v in _drivers_in_effect(corpus).items() if v != DRIVER}
    if not wrong:
        return
    path = corpus / ".gitattributes"
    from briefing.durable import StoreFolder

    folder = StoreFolder(path.parent)
    try:
        data = folder.read(path.name, 1 << 20) or b""
        text = data.decode("utf-8", "surrogateescape")
        last = [line.strip() for line in text.splitlines() if line.strip()][-len(attributes):]
        if last != list(attributes):  # (already last: what overrides them is elsewhere; said below)
            new = text + ("" if text.endswith("\n") or not text else "\n") + "\n".join((ATTRIBUTES_COMMENT, *attributes)) + "\n"
            folder.replace(path.name, new.encode("utf-8", "surrogateescape"))
            said = ", ".join(f"{p} merge={v}" for p, v in wrong.items())
            report.done.append(f"merge attributes: another setting was in effect ({said}); the lines were added "
                               f"again at the end of {path} (the last one wins)")
    finally:
        folder.close()
    still = {p: v for p, v in _drivers_in_effect(corpus).items() if v != DRIVER}
    if still:
        report.done.append("WARNING: git still merges " + ", ".join(f"{p} with merge={v}" for p, v in still.items())
                           + ": .git/info/attributes or a .gitattributes in a sub-folder overrides it; remove that line")
