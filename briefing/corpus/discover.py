"""Step 1: find the article files under a corpus folder.

Walks nested folders in a stable (sorted) order. Hidden files and folders, editor
swap/backup/lock files and the annotations file are ignored silently. Symbolic links
are never followed (a link can loop or lead outside the corpus); each one that could
have been an article or a folder is reported. Folders that cannot be listed and
entries that are not regular files are reported too; the walk always goes on.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from briefing.corpus.problems import LoadProblem
from briefing.ids import article_id
from briefing.sanitize import clean_line

# Extension -> kind. One article per file, except the many-article kinds (feed,
# jsonl, mbox: briefing.corpus.items.CONTAINER_KINDS).
_KINDS = {
    ".txt": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html",
    ".pdf": "pdf", ".docx": "docx", ".odt": "odt", ".eml": "email", ".mbox": "mbox",
    ".xml": "feed", ".rss": "feed", ".atom": "feed", ".jsonl": "jsonl",
}
ACCEPTED_EXTENSIONS = frozenset(_KINDS)
IGNORED_NAMES = frozenset({"annotations.yaml", "thumbs.db", "desktop.ini", "__macosx"})

Report = Callable[[LoadProblem], None]


def is_ignored(name: str) -> bool:
    """Names a person never meant as articles: hidden, swap, backup, lock files."""
    return (
        name.startswith(".")  # hidden, .DS_Store, vim .x.swp, emacs .#lock
        or name.endswith("~")  # editor backups
        or (name.startswith("#") and name.endswith("#"))  # emacs autosave
        or name.startswith("~$")  # office lock files
        or name.lower() in IGNORED_NAMES
    )


def kind_of(name: str) -> str | None:
    """The kind of an accepted file name (``"text"``, ``"markdown"``, ``"html"``,
    ``"pdf"``, ``"docx"``, ``"odt"``, ``"email"``, ``"mbox"``, ``"feed"``,
    ``"jsonl"``), else None."""
    return _KINDS.get(os.path.splitext(name)[1].lower())


def display_id(rel: str) -> str:
    """A relative path made safe to show: undecodable bytes and controls replaced."""
    if rel.isascii() and rel.isprintable():
        return rel
    fixed = rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return clean_line(fixed)


def error_reason(err: OSError) -> str:
    """An OS error in a few lower-case words ("permission denied"), for a problem message."""
    return (err.strerror or err.__class__.__name__).lower()


def _symlink_problem(entry: os.DirEntry[str], root_real: str) -> str | None:
    """Why a symbolic link was not followed, or None when it is not worth a word."""
    try:
        st = os.stat(entry.path)
    except OSError as err:
        if err.errno == errno.ELOOP:
            return "symbolic link loop; not followed"
        if err.errno in (errno.ENOENT, errno.ENOTDIR):
            return "broken symbolic link; skipped" if kind_of(entry.name) else None
        return f"symbolic link cannot be resolved ({error_reason(err)}); not followed"
    is_dir = stat.S_ISDIR(st.st_mode)
    if not is_dir and kind_of(entry.name) is None:
        return None  # a link to something that is not an article anyway
    target = os.path.realpath(entry.path)
    inside = target == root_real or target.startswith(root_real.rstrip(os.sep) + os.sep)
    if not inside:
        return "symbolic link points outside the corpus folder; not followed"
    if is_dir:
        parent = os.path.realpath(os.path.dirname(entry.path))
        if parent == target or parent.startswith(target.rstrip(os.sep) + os.sep):
            return "symbolic link loop (points to a folder that contains it); not followed"
        return "symbolic link to a folder inside the corpus; not followed (listed where it is)"
    return "symbolic link to a file inside the corpus; not followed (listed where it is)"


# A folder's stat as a walk records it (``dirs=``): (relative path with a trailing
# "/", "" for the corpus folder; real path; mtime_ns; ctime_ns; inode), taken before
# the folder is listed, so a change made while it is listed moves its mtime past it.
DirStat = tuple[str, str, int, int, int]


def discover(root: str | os.PathLike[str], report: Report | None = None, *,
             dirs: list[DirStat] | None = None) -> list[tuple[str, str, str]]:
    """Every article file under ``root`` as ``(id, path, kind)``.

    ``id`` is the canonical article id (:func:`briefing.ids.article_id`: the path
    relative to ``root``, ``/``-separated, odd bytes and controls escaped);
    ``path`` is the real file system path to open; ``kind`` is from :func:`kind_of`.
    Problems (unlistable folders, links, special files) go to ``report``.
    ``dirs``: a list that receives the stat of every folder walked (:data:`DirStat`).
    """
    return list(_unique(_walk(root, report, False, dirs)))


def discover_stat(root: str | os.PathLike[str], report: Report | None = None, *,
                  dirs: list[DirStat] | None = None) -> list[tuple[str, str, str, os.stat_result]]:
    """Like :func:`discover`, with each file's ``os.stat_result`` (not following
    links) as a fourth item, taken from the walk's own directory entries: the
    cheapest way to learn what changed in a big folder. A file that vanishes or
    cannot be examined between listing and stat is reported and left out."""
    return list(_unique(_walk(root, report, True, dirs)))


def walk_stat(root: str | os.PathLike[str], report: Report | None = None, *,
              dirs: list[DirStat] | None = None) -> Iterator[tuple[str, str, str, os.stat_result]]:
    """:func:`discover_stat` as a generator: the files one at a time, in the same
    order, so that a caller who keeps only a digest of them (the index's freshness
    check) holds one folder's entries at a time, not a million stat results."""
    return _unique(_walk(root, report, True, dirs))


def _walk(root: str | os.PathLike[str], report: Report | None, want_stat: bool,
          dirs: list[DirStat] | None = None) -> Iterator[tuple[Any, ...]]:
    root_real = os.path.realpath(os.fspath(root))
    stack: list[tuple[str, str]] = [(root_real, "")]
    kinds = _KINDS
    ignored_names = IGNORED_NAMES

    def problem(rel: str, message: str) -> None:
        if report is not None:
            report(LoadProblem(display_id(rel) or ".", message))

    while stack:
        dirpath, rel = stack.pop()
        if dirs is not None:
            try:
                dst = os.lstat(dirpath)
                dirs.append((rel, dirpath, dst.st_mtime_ns, dst.st_ctime_ns, dst.st_ino))
            except OSError:
                pass  # listed below, which reports why it cannot be read
        try:
            with os.scandir(dirpath) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as err:
            problem(rel.rstrip("/") or ".", f"folder cannot be read ({error_reason(err)}); skipped")
            continue
        subdirs: list[tuple[str, str]] = []
        for entry in entries:
            name = entry.name
            # is_ignored(), inlined: this loop runs once per file of a 100k-file folder.
            if name[0] in ".#~" or name[-1] == "~":
                if is_ignored(name):
                    continue
            elif name.lower() in ignored_names:
                continue
            relname = rel + name
            try:
                if entry.is_symlink():
                    why = _symlink_problem(entry, root_real)
                    if why:
                        problem(relname, why)
                    continue
                if entry.is_dir(follow_symlinks=False):
                    subdirs.append((entry.path, relname + "/"))
                    continue
                dot = name.rfind(".")
                kind = kinds.get(name[dot:].lower()) if dot > 0 else None  # kind_of(), inlined
                if kind is None:
                    continue
                if entry.is_file(follow_symlinks=False):
                    id_ = relname if relname.isascii() and relname.isprintable() and "\\" not in relname else article_id(relname)
                    if want_stat:
                        yield (id_, entry.path, kind, entry.stat(follow_symlinks=False))
                    else:
                        yield (id_, entry.path, kind)
                else:
                    problem(relname, "not a regular file (a pipe, socket or device); skipped")
            except OSError as err:
                problem(relname, f"cannot be examined ({error_reason(err)}); skipped")
        stack.extend(reversed(subdirs))


def _unique(found: Iterable[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    """Make ids unique when two raw names clean to the same printable id.

    Only escaped ids are remembered: a plain id (printable ASCII, no backslash) is
    its own relative path, so two of them never meet, and an escaped id always holds
    a backslash, which a plain one never does. So the check is exact, and costs
    nothing for a folder of ordinary names however many there are."""
    seen: set[str] = set()
    for item in found:
        id_ = item[0]
        if "\\" not in id_:
            yield item
            continue
        if id_ in seen:
            n = 2
            while f"{id_} ({n})" in seen:
                n += 1
            id_ = f"{id_} ({n})"
            item = (id_, *item[1:])
        seen.add(id_)
        yield item


def relative_id(root: str | os.PathLike[str], path: str | os.PathLike[str]) -> str:
    """The id of ``path`` under ``root`` (:func:`briefing.ids.article_id`)."""
    root_real = os.path.realpath(os.fspath(root))
    p = os.fspath(path)
    if not os.path.isabs(p):
        p = os.path.join(root_real, p)
    try:
        rel = os.path.relpath(os.path.abspath(p), root_real)
    except ValueError:
        rel = os.path.basename(p)
    if rel.startswith(".."):
        rel = Path(p).name
    return article_id(rel)
