"""Three-way merge of the files briefing keeps beside a corpus, for git.

``briefing merge-file BASE OURS THEIRS [PATH]`` is registered as the ``briefing``
merge driver (``%O %A %B %P``) by ``briefing team init``. It reads the three
versions, picks the kind of file (by its name when git gives it, else by what the
file holds), merges with that kind's merge, and writes the result over OURS
durably (temp file, fsync, read back, atomic replace). It never writes conflict
markers into YAML: a field both sides changed differently keeps ours and the other
value goes into the file's ``conflicts`` entries (which side, base, who, when).

Exit status (what git reads): 0 merged cleanly; 1 true conflicts were recorded
(git marks the file conflicted; the file in the work tree is valid YAML with its
``conflicts`` entries); 2 the versions could not be merged (not valid, a newer
format, an unknown kind of file): OURS is left as it was, and git marks the file
conflicted.

Kinds: annotations (:mod:`briefing.annotations.merge`), watchlists
(:mod:`briefing.team.watchlists`), composed briefings (``briefings/*.yaml``,
:func:`briefing.brief.store.merge_files`). Other kinds plug in with
:func:`register`; any other file gets the whole-file rule: the side that changed wins, and both changed is refused (exit 2).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from briefing import yamlsafe
from briefing.team.kinds import FileMerge, MergeRefused

__all__ = ["FileMerge", "Kind", "MergeRefused", "kind_for", "kinds", "merge_bytes", "merge_file", "register", "whole_file"]

MAX_BYTES = 256 * 1024 * 1024


Merge = Callable[[bytes, bytes, bytes, str, str], FileMerge]
"""(base, ours, theirs, now, by) -> FileMerge, or raises MergeRefused."""


@dataclass(frozen=True)
class Kind:
    """A kind of file the driver can merge: ``patterns`` match its path (git's %P,
    "/"-separated, relative to the repository), ``top_keys`` recognise it by content
    (any of these keys at the top of the YAML mapping)."""

    name: str
    patterns: tuple[str, ...]
    top_keys: tuple[str, ...]
    merge: Merge


_KINDS: list[Kind] = []


def register(kind: Kind) -> None:
    """Add (or replace, by name) a kind of file the driver merges."""
    _KINDS[:] = [k for k in _KINDS if k.name != kind.name] + [kind]


def kinds() -> list[Kind]:
    _builtin()
    return list(_KINDS)


# ---------------------------------------------------------------------- annotations
def merge_annotations(base: bytes, ours: bytes, theirs: bytes, now: str, by: str) -> FileMerge:
    """Annotation files: entry by entry on the bytes when all three are canonical
    (:mod:`briefing.annotations.entries`), else parsed whole and merged by
    :func:`briefing.annotations.merge.merge_docs`; the same merge either way."""
    from briefing.annotations import entries, yamlio
    from briefing.annotations.merge import merge_docs
    from briefing.annotations.schema import AnnotationDoc, NewerVersionError, SchemaError

    try:
        fast = entries.merge(base, ours, theirs, now, by)
    except SchemaError as exc:
        raise MergeRefused(f"an entry is not valid annotations (line {exc.line} of the entry: {exc.message})") from None
    if fast is not None:
        data, found = fast
        return FileMerge(data, [c.message() for c in found], "annotations")
    docs = []
    for side, blob in (("base", base), ("ours", ours), ("theirs", theirs)):
        if not blob.strip():
            docs.append(AnnotationDoc())
            continue
        try:
            docs.append(yamlio.load(blob))
        except NewerVersionError as exc:
            raise MergeRefused(f"{side}: {exc.message}") from None
        except SchemaError as exc:
            raise MergeRefused(f"{side} is not a valid annotation file (line {exc.line}: {exc.message})") from None
    merged, found = merge_docs(docs[0], docs[1], docs[2], now, by)
    data = yamlio.dumps_bytes(merged)
    if yamlio.load(data) != merged:  # nothing is written that does not read back
        raise MergeRefused("the merged annotations would not read back as merged; nothing was written")
    return FileMerge(data, [c.message() for c in found], "annotations")


def _builtin() -> None:
    if any(k.name == "annotations" for k in _KINDS):
        return
    from briefing.team import watchlists

    _KINDS.insert(0, Kind("annotations", ("annotations.yaml", "*/annotations.yaml"), ("articles",), merge_annotations))
    _KINDS.insert(1, Kind("watchlists", ("watchlists.yaml", "*/watchlists.yaml"), ("watchlists",), watchlists.merge_files))
    from briefing.brief import store as briefs

    _KINDS.insert(2, Kind("briefing", ("briefings/*.yaml", "*/briefings/*.yaml"), ("sections", "bluf"), briefs.merge_files))


# ---------------------------------------------------------------------- dispatch
def _top_keys(data: bytes) -> set[str]:
    try:
        node = yamlsafe.parse(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, yamlsafe.YamlError):
        return set()
    if node is None or node.kind != "map":
        return set()
    return {k.value for k, _ in node.value if isinstance(k.value, str)}


def kind_for(path: str | None, *versions: bytes) -> Kind | None:
    """The kind of file: by its path when given and matched, else by content."""
    known = kinds()
    if path:
        clean = path.replace("\\", "/").removeprefix("./")
        for kind in known:
            if any(fnmatch.fnmatchcase(clean, p) for p in kind.patterns):
                return kind
    for data in versions:
        keys = _top_keys(data)
        for kind in known:
            if keys & set(kind.top_keys):
                return kind
    return None


def whole_file(base: bytes, ours: bytes, theirs: bytes) -> FileMerge:
    """For a kind briefing cannot merge inside: the changed side, or refused."""
    if ours == theirs or theirs == base:
        return FileMerge(ours, [], "whole file")
    if ours == base:
        return FileMerge(theirs, [], "whole file")
    raise MergeRefused("briefing cannot merge this kind of file and both sides changed it; ours is left in place")


def merge_bytes(base: bytes, ours: bytes, theirs: bytes, path: str | None = None, now: str = "", by: str = "") -> FileMerge:
    """Merge three versions of one file (see the module docstring)."""
    kind = kind_for(path, ours, theirs, base)
    if kind is None:
        return whole_file(base, ours, theirs)
    if ours == theirs or theirs == base:  # nothing to merge: ours is the result, byte for byte
        return FileMerge(ours, [], kind.name)
    if ours == base:
        return FileMerge(theirs, [], kind.name)
    return kind.merge(base, ours, theirs, now, by)


def _read(path: Path, what: str) -> bytes:
    from briefing.durable import UnsafeFileError, read_small_regular_file

    try:
        return read_small_regular_file(path, MAX_BYTES, follow_links=False)
    except FileNotFoundError:
        raise MergeRefused(f"{what} {path} does not exist") from None
    except UnsafeFileError as exc:
        raise MergeRefused(str(exc)) from None
    except OSError as exc:
        raise MergeRefused(f"{what} {path} cannot be read ({exc.strerror or exc})") from None


def merge_file(base: Path, ours: Path, theirs: Path, path: str | None = None, now: str = "", by: str = "") -> FileMerge:
    """Merge the three files and write the result over ``ours`` (durably; left as
    it was when the result is the same bytes, or when MergeRefused is raised)."""
    from briefing.durable import StoreFolder, UnsafeFileError

    base_data, ours_data, theirs_data = _read(base, "the base version"), _read(ours, "our version"), _read(theirs, "their version")
    result = merge_bytes(base_data, ours_data, theirs_data, path, now, by)
    if result.data != ours_data:
        folder = StoreFolder(ours.parent)
        try:
            folder.replace(ours.name, result.data)
        except UnsafeFileError as exc:
            raise MergeRefused(str(exc)) from None
        finally:
            folder.close()
    return result
