"""The watchlists file: ``watchlists.yaml`` beside ``annotations.yaml``.

Shape::

    version: 1
    watchlists:
      "grid attacks":
        query: "power grid tag:energy"
        tags: ["grid"]            # optional: applied automatically to every match

Read with the guarded YAML reader (:mod:`briefing.yamlsafe`: no tags, no anchors,
every scalar text). A problem in the file as a whole (not YAML, a YAML tag, wrong
types, a newer version) means no watchlists; a problem in one entry (a query that
does not parse, a bad tag) leaves that entry out and the others working. Either way
the problems name the file and the line, and the file is not rewritten until fixed.
Written deterministically: names sorted, every value double-quoted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from briefing import yamlsafe
from briefing.annotations.schema import normalize_tag, sorted_tags
from briefing.watchlists.evaluate import check_query

FILENAME = "watchlists.yaml"
VERSION = "1"
MAX_BYTES = 4 * 1024 * 1024
MAX_NAME = 100
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")

HEADER = """\
# briefing watchlists: named queries over the articles in this folder.
#
# Written by briefing; you may edit it by hand. Under "watchlists", each key is a
# watchlist's name; "query" is what it looks for, "tags" (optional) are applied
# automatically to every matching article (kept apart from the analyst's own tags
# in annotations.yaml, as auto_tags). Comments are not kept when briefing saves.
"""


class WatchlistError(ValueError):
    """A name, query or tag briefing will not save; ``str()`` is for the user."""


@dataclass(frozen=True)
class Watchlist:
    name: str
    query: str
    tags: tuple[str, ...] = ()
    line: int = field(default=0, compare=False)  # where it is in the file (0: not from a file)

    def __post_init__(self) -> None:
        object.__setattr__(self, "tags", sorted_tags(self.tags))


def check_name(name: str) -> str:
    """The name as stored (surrounding blanks trimmed), or WatchlistError."""
    if not isinstance(name, str):
        raise WatchlistError("a watchlist name must be text")
    cleaned = name.strip()
    if not cleaned:
        raise WatchlistError("a watchlist name cannot be empty")
    if _CONTROL.search(cleaned):
        raise WatchlistError("a watchlist name cannot hold control characters or bytes that are not UTF-8")
    if len(cleaned) > MAX_NAME:
        raise WatchlistError(f"a watchlist name can have at most {MAX_NAME} characters")
    return cleaned


def make(name: str, query: str, tags: tuple[str, ...] | list[str] = ()) -> Watchlist:
    """A checked watchlist (WatchlistError says what is wrong)."""
    name = check_name(name)
    if _CONTROL.search(query.replace("\t", " ")):
        raise WatchlistError("the query holds control characters or bytes that are not UTF-8")
    problem = check_query(query)
    if problem:
        raise WatchlistError(f"the query does not parse: {problem}")
    try:
        cleaned = tuple(normalize_tag(t) for t in tags)
    except (ValueError, TypeError) as exc:
        raise WatchlistError(str(exc)) from None
    return Watchlist(name, query, cleaned)


@dataclass
class Parsed:
    watchlists: dict[str, Watchlist]
    problems: list[tuple[int, str]]  # (line, message)
    whole_file: bool = False  # the file as a whole is unusable (no watchlists read)
    newer: bool = False
    # Values two analysts changed differently, kept by a git merge (briefing merge-file):
    # each a mapping of text (watchlist, field, kept, other, base, by, at).
    conflicts: list[dict[str, str]] = field(default_factory=list)


def _kind(node: yamlsafe.Node) -> str:
    if node.kind == "scalar":
        return "nothing" if node.value is None else "text"
    return "a mapping" if node.kind == "map" else "a list"


def parse(data: bytes) -> Parsed:
    """The watchlists in ``data`` and the problems found (lines are 1-based)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Parsed({}, [(data[: exc.start].count(b"\n") + 1, "not UTF-8 text")], True)
    try:
        root = yamlsafe.parse(text)
    except yamlsafe.YamlError as exc:
        return Parsed({}, [(exc.line, exc.message)], True)
    if root is None:
        return Parsed({}, [(1, "the file is empty (no 'version' and no 'watchlists')")], True)
    if root.kind != "map":
        return Parsed({}, [(root.line, f"the file must be a mapping, found {_kind(root)}")], True)
    top = {k.value: (k, v) for k, v in root.value}
    for key, (knode, _) in top.items():
        if key not in ("version", "watchlists", "conflicts"):
            return Parsed({}, [(knode.line, f"unknown field {key!r} (known: version, watchlists, conflicts)")], True)
    if "version" not in top:
        return Parsed({}, [(root.line, f"missing 'version: {VERSION}'")], True)
    vnode = top["version"][1]
    version = vnode.value.strip() if vnode.kind == "scalar" and isinstance(vnode.value, str) else None
    if version != VERSION:
        if version and version.isascii() and version.isdigit() and int(version) > int(VERSION):
            return Parsed({}, [(vnode.line, f"format version {version} was written by a newer briefing "
                                            f"(this one knows version {VERSION}); it is never rewritten here")], True, True)
        return Parsed({}, [(vnode.line, f"version must be {VERSION}, found {vnode.value!r}")], True)
    out: dict[str, Watchlist] = {}
    problems: list[tuple[int, str]] = []
    conflicts: list[dict[str, str]] = []
    if "conflicts" in top:
        cnode = top["conflicts"][1]
        items = cnode.value if cnode.kind == "seq" else None
        if items is None and not (cnode.kind == "scalar" and cnode.value is None):
            return Parsed({}, [(cnode.line, f"conflicts must be a list, found {_kind(cnode)}")], True)
        for item in items or []:
            if item.kind != "map" or any(v.kind != "scalar" for _, v in item.value):
                return Parsed({}, [(item.line, "each conflict must be a mapping of text (watchlist, field, kept, other, ...)")], True)
            conflicts.append({str(k.value): "" if v.value is None else str(v.value) for k, v in item.value})
    if "watchlists" not in top:
        return Parsed(out, problems, conflicts=conflicts)
    lists = top["watchlists"][1]
    if lists.kind == "scalar" and lists.value is None:
        return Parsed(out, problems)
    if lists.kind != "map":
        return Parsed({}, [(lists.line, f"watchlists must be a mapping of name to query, found {_kind(lists)}")], True)
    for knode, entry in lists.value:
        try:
            name = check_name(knode.value or "")
        except WatchlistError as exc:
            problems.append((knode.line, str(exc)))
            continue
        found = _entry(name, entry, problems)
        if found is not None:
            out[name] = found
    return Parsed(out, problems, conflicts=conflicts)


def describe_conflict(conflict: dict[str, str]) -> str:
    """One kept conflict in words, for the panel and ``briefing watch list``."""
    return (f"watchlist {conflict.get('watchlist', '?')!r}: {conflict.get('field', 'a value')} kept "
            f"{conflict.get('kept', '')!r}, the other side had {conflict.get('other', '')!r} "
            "(edit watchlists.yaml to choose, then remove its entry under conflicts)")


def _entry(name: str, node: yamlsafe.Node, problems: list[tuple[int, str]]) -> Watchlist | None:
    where = f"watchlist {name!r}"
    if node.kind != "map":
        problems.append((node.line, f"{where} must be a mapping with 'query' (and optional 'tags'), found {_kind(node)}"))
        return None
    fields = {k.value: (k, v) for k, v in node.value}
    for key, (knode, _) in fields.items():
        if key not in ("query", "tags"):
            problems.append((knode.line, f"unknown field {key!r} in {where} (known: query, tags)"))
            return None
    if "query" not in fields:
        problems.append((node.line, f"{where} has no 'query'"))
        return None
    qnode = fields["query"][1]
    if qnode.kind != "scalar" or qnode.value is None:
        problems.append((qnode.line, f"the query of {where} must be text, found {_kind(qnode)}"))
        return None
    tags: list[str] = []
    if "tags" in fields:
        tnode = fields["tags"][1]
        if tnode.kind == "seq":
            for item in tnode.value:
                if item.kind != "scalar" or item.value is None:
                    problems.append((item.line, f"a tag of {where} must be text, found {_kind(item)}"))
                    return None
                tags.append(item.value)
        elif not (tnode.kind == "scalar" and tnode.value is None):
            problems.append((tnode.line, f"the tags of {where} must be a list, found {_kind(tnode)}"))
            return None
    try:
        made = make(name, qnode.value, tags)
    except WatchlistError as exc:
        problems.append((qnode.line if "query" in str(exc) else node.line, f"{where}: {exc}"))
        return None
    return Watchlist(made.name, made.query, made.tags, line=node.line)


def dump(watchlists: dict[str, Watchlist], conflicts: list[dict[str, str]] | None = None) -> bytes:
    """The file for ``watchlists`` (and the ``conflicts`` a merge kept): the same
    watchlists always give the same bytes."""
    q = yamlsafe.quote
    lines = [HEADER.rstrip("\n"), f"version: {VERSION}"]
    if not watchlists:
        lines.append("watchlists: {}")
    else:
        lines.append("watchlists:")
        for name in sorted(watchlists, key=lambda n: (n.casefold(), n)):
            w = watchlists[name]
            lines.append(f"  {q(name)}:")
            lines.append(f"    query: {q(w.query)}")
            if w.tags:
                lines.append("    tags: [" + ", ".join(q(t) for t in w.tags) + "]")
    if conflicts:
        lines.append("conflicts:")
        for conflict in conflicts:
            for index, (key, value) in enumerate(conflict.items()):
                lines.append(("  - " if index == 0 else "    ") + f"{q(key)}: {q(value)}")
    return ("\n".join(lines) + "\n").encode("utf-8")
