"""Composed briefings on disk: one YAML file per briefing, ``briefings/NAME.yaml``.

The folder sits beside ``annotations.yaml`` (in the corpus folder; in briefing's
data folder when the annotations are kept there, see
:mod:`briefing.annotations.location`). Every read and write goes through
:class:`briefing.durable.StoreFolder`: never through a symbolic link (the folder or
the file), a lock file per briefing, a temp file beside the target, fsync, read
back, atomic replace. The YAML is read with :mod:`briefing.yamlsafe` (no tags, no
aliases, every scalar text); a broken or hostile file gives a :class:`BriefError`
that names the file, the line and the problem, and is never rewritten.

Concurrent change: :func:`load_brief` returns a :class:`Stamp` (the bytes read);
:func:`save_brief` compares the file on disk with it and, when another program or
analyst saved in between, merges three ways (:func:`merge_docs`, the same merge
the git driver uses for ``briefings/*.yaml``): the changes on both sides are kept;
a value both changed differently keeps this side's and the other is listed under
the file's ``conflicts``.

File shape (every value a double-quoted string; written in this order)::

    version: "1"
    title: "Weekly energy"
    marking: "OFFICIAL - team only"
    analyst: "Ana"
    date: "2026-12-05"          # or ~
    bluf: "Grid attacks are widening."
    judgments:
      - text: "Outages will spread west."
        confidence: "likely / probable"
        cites: ["001.txt"]
        highlights:
          - article: "001.txt"
            quote: "half of consumers"
    sections:
      - name: "Energy"
        tag: "energy"           # only for a section by tag
        items:
          - id: "001.txt"
            why: "First strike on the west."   # only when given
"""

from __future__ import annotations

import datetime as dt
import re
import stat
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefing import yamlsafe
from briefing.annotations.location import locate
from briefing.annotations.merge import merge_scalar, merge_sets
from briefing.brief.model import BriefDoc, BriefItem, HighlightRef, Judgment, Section
from briefing.durable import FolderGone, LinkRefused, LockTimeout, StoreFolder, UnsafeFileError
from briefing.team.kinds import FileMerge, MergeRefused

FOLDER = "briefings"
SUFFIX = ".yaml"
VERSION = "1"
MAX_BYTES = 16 * 1024 * 1024
MAX_NAME = 100
HEADER = """\
# briefing: a composed briefing (edit with `briefing brief ...` or the reader's briefing screen).
# Merged by "briefing merge-file" (git merge driver): "conflicts" lists values two analysts
# changed differently; the document keeps "kept" (ours), "other" is theirs.
"""

_NAME = re.compile(r"[\w][\w.\- ]*", re.UNICODE)


class BriefError(Exception):
    """A briefing that cannot be read, written or found; the message names the file."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Stamp:
    """What a briefing file held when it was read (None: it did not exist)."""

    data: bytes | None = None

    @property
    def digest(self) -> str:
        import hashlib

        return "" if self.data is None else hashlib.sha256(self.data).hexdigest()


@dataclass
class Loaded:
    doc: BriefDoc
    stamp: Stamp
    conflicts: list[dict[str, str]] = field(default_factory=list)  # kept by a merge (git or concurrent save)


@dataclass(frozen=True)
class BriefInfo:
    name: str
    title: str
    items: int
    modified: dt.datetime | None
    problem: str = ""  # set when the file cannot be read (title then is "")


# ------------------------------------------------------------------------ names


def check_name(name: str) -> str:
    """A briefing's name as a file name: letters, digits, ``_ - . space``; no path
    parts, no leading dot, at most :data:`MAX_NAME` characters. A trailing
    ``.yaml`` is dropped. BriefError otherwise."""
    text = name.strip()
    if text.endswith(SUFFIX):
        text = text[: -len(SUFFIX)]
    if not text:
        raise BriefError("a briefing needs a name (letters, digits, '-', '_', '.', spaces)")
    if len(text) > MAX_NAME:
        raise BriefError(f"a briefing name is at most {MAX_NAME} characters")
    if "/" in text or "\\" in text or text.startswith(".") or not _NAME.fullmatch(text) or text.endswith((".", " ")):
        raise BriefError(f"{text!r} cannot name a briefing: use letters, digits, '-', '_', '.' and spaces, no '/' and no leading or trailing dot")
    return text


def folder_path(root: Path | str) -> Path:
    """Where the briefings of corpus ``root`` are kept (beside its annotations)."""
    return locate(root).path.parent / FOLDER


def path_of(root: Path | str, name: str) -> Path:
    return folder_path(root) / (check_name(name) + SUFFIX)


# ------------------------------------------------------------------------ writing


def _q(text: str) -> str:
    return yamlsafe.quote(text)


def dumps(doc: BriefDoc, conflicts: list[dict[str, str]] | None = None) -> bytes:
    """The file's bytes: deterministic (the same document gives the same bytes)."""
    lines = [
        HEADER.rstrip("\n"),
        f"version: {_q(VERSION)}",
        f"title: {_q(doc.title)}",
        f"marking: {_q(doc.marking)}",
        f"analyst: {_q(doc.analyst)}",
        f"date: {_q(doc.date.isoformat()) if doc.date else '~'}",
        f"bluf: {_q(doc.bluf)}",
    ]
    if doc.judgments:
        lines.append("judgments:")
        for j in doc.judgments:
            lines.append(f"  - text: {_q(j.text)}")
            lines.append(f"    confidence: {_q(j.confidence)}")
            if j.cites:
                lines.append("    cites:")
                lines += [f"      - {_q(c)}" for c in j.cites]
            if j.highlights:
                lines.append("    highlights:")
                for h in j.highlights:
                    lines.append(f"      - article: {_q(h.article)}")
                    lines.append(f"        quote: {_q(h.quote)}")
    else:
        lines.append("judgments: []")
    if doc.sections:
        lines.append("sections:")
        for s in doc.sections:
            lines.append(f"  - name: {_q(s.name)}")
            if s.tag is not None:
                lines.append(f"    tag: {_q(s.tag)}")
            if s.items:
                lines.append("    items:")
                for item in s.items:
                    lines.append(f"      - id: {_q(item.id)}")
                    if item.why:
                        lines.append(f"        why: {_q(item.why)}")
            else:
                lines.append("    items: []")
    else:
        lines.append("sections: []")
    if conflicts:
        lines.append("conflicts:")
        for c in conflicts:
            first = True
            for key in sorted(c):
                lines.append(f"  {'- ' if first else '  '}{_q(key)}: {_q(c[key])}")
                first = False
    return ("\n".join(lines) + "\n").encode("utf-8")


# ------------------------------------------------------------------------ reading


class _Bad(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def _kind(node: yamlsafe.Node) -> str:
    if node.kind == "scalar":
        return "nothing" if node.value is None else "text"
    return "a mapping" if node.kind == "map" else "a list"


def _text(node: yamlsafe.Node, what: str, *, optional: bool = True) -> str:
    if node.kind == "scalar" and node.value is None and optional:
        return ""
    if node.kind != "scalar" or node.value is None:
        raise _Bad(node.line, f"{what} must be text, found {_kind(node)}")
    return str(node.value)


def _seq(node: yamlsafe.Node, what: str) -> list[yamlsafe.Node]:
    if node.kind == "scalar" and node.value is None:
        return []
    if node.kind != "seq":
        raise _Bad(node.line, f"{what} must be a list, found {_kind(node)}")
    return list(node.value)


def _map(node: yamlsafe.Node, what: str, known: tuple[str, ...]) -> dict[str, yamlsafe.Node]:
    if node.kind != "map":
        raise _Bad(node.line, f"{what} must be a mapping, found {_kind(node)}")
    out = {}
    for key, value in node.value:
        if key.value not in known:
            raise _Bad(key.line, f"unknown field {key.value!r} in {what} (known: {', '.join(known)})")
        out[key.value] = value
    return out


_TOP = ("version", "title", "marking", "analyst", "date", "bluf", "judgments", "sections", "conflicts")


def parse(data: bytes, name: str) -> tuple[BriefDoc, list[dict[str, str]]]:
    """The document in ``data`` (and its conflict entries); _Bad with a line on error."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _Bad(data[: exc.start].count(b"\n") + 1, "the file is not UTF-8 text") from None
    try:
        root = yamlsafe.parse(text)
    except yamlsafe.YamlError as exc:
        raise _Bad(exc.line, exc.message) from None
    if root is None:
        raise _Bad(1, "the file is empty")
    top = _map(root, "a briefing file", _TOP)
    version = _text(top["version"], "version") if "version" in top else VERSION
    if version != VERSION:
        line = top["version"].line
        if version.isdigit() and int(version) > int(VERSION):
            raise _Bad(line, f"version {version} was written by a newer briefing; this one reads version {VERSION}")
        raise _Bad(line, f"unknown version {version!r} (this briefing reads version {VERSION})")
    date = None
    if "date" in top and (raw := _text(top["date"], "date")):
        try:
            date = dt.date.fromisoformat(raw)
        except ValueError:
            raise _Bad(top["date"].line, f"date {raw!r} is not a date written YYYY-MM-DD") from None
    doc = BriefDoc(
        name=name,
        title=_text(top["title"], "title") if "title" in top else "",
        marking=_text(top["marking"], "marking") if "marking" in top else "",
        analyst=_text(top["analyst"], "analyst") if "analyst" in top else "",
        date=date,
        bluf=_text(top["bluf"], "bluf") if "bluf" in top else "",
    )
    for node in _seq(top["judgments"], "judgments") if "judgments" in top else []:
        f = _map(node, "a judgment", ("text", "confidence", "cites", "highlights"))
        if "text" not in f:
            raise _Bad(node.line, "a judgment needs text")
        cites = list(dict.fromkeys(_text(c, "a cited article id", optional=False) for c in _seq(f["cites"], "cites"))) if "cites" in f else []
        highs = []
        for h in _seq(f["highlights"], "highlights") if "highlights" in f else []:
            hf = _map(h, "a highlight reference", ("article", "quote"))
            if "article" not in hf or "quote" not in hf:
                raise _Bad(h.line, "a highlight reference needs article and quote")
            highs.append(HighlightRef(_text(hf["article"], "article", optional=False), _text(hf["quote"], "quote", optional=False)))
        doc.judgments.append(
            Judgment(
                _text(f["text"], "a judgment's text", optional=False), _text(f["confidence"], "confidence") if "confidence" in f else "", cites, highs
            )
        )
    seen_ids: dict[str, int] = {}
    seen_sections: set[str] = set()
    for node in _seq(top["sections"], "sections") if "sections" in top else []:
        f = _map(node, "a section", ("name", "tag", "items"))
        if "name" not in f:
            raise _Bad(node.line, "a section needs a name")
        sname = " ".join(_text(f["name"], "a section's name", optional=False).split())
        if not sname or sname.casefold() in seen_sections:
            raise _Bad(f["name"].line, f"section name {sname!r} is empty or used twice")
        seen_sections.add(sname.casefold())
        tag = (_text(f["tag"], "tag") or None) if "tag" in f else None
        section = Section(sname, tag)
        for inode in _seq(f["items"], "items") if "items" in f else []:
            itf = _map(inode, "an item", ("id", "why"))
            if "id" not in itf:
                raise _Bad(inode.line, "an item needs an id")
            article = _text(itf["id"], "an item's id", optional=False)
            if article in seen_ids:
                raise _Bad(inode.line, f"article {article!r} is listed twice (first on line {seen_ids[article]})")
            seen_ids[article] = inode.line
            section.items.append(BriefItem(article, _text(itf["why"], "why") if "why" in itf else ""))
        doc.sections.append(section)
    conflicts = []
    for node in _seq(top["conflicts"], "conflicts") if "conflicts" in top else []:
        if node.kind != "map":
            raise _Bad(node.line, f"a conflict entry must be a mapping, found {_kind(node)}")
        conflicts.append({str(k.value): _text(v, str(k.value)) for k, v in node.value})
    return doc, conflicts


def _parse_file(data: bytes, path: Path, name: str) -> tuple[BriefDoc, list[dict[str, str]]]:
    try:
        return parse(data, name)
    except _Bad as exc:
        raise BriefError(f"{path}: line {exc.line}: {exc.message}; the briefing is not changed until the file is fixed") from None


# ------------------------------------------------------------------------ folder


_locks: dict[str, threading.RLock] = {}
_locks_guard = threading.Lock()


def _thread_lock(path: Path) -> threading.RLock:
    with _locks_guard:
        return _locks.setdefault(str(path), threading.RLock())


class _Folder:
    """The briefings folder of a corpus, opened through StoreFolder (no links)."""

    def __init__(self, root: Path | str, *, create: bool) -> None:
        location = locate(root)
        self.path = location.path.parent / FOLDER
        self.parent = StoreFolder(location.path.parent, create=not location.in_corpus)
        self.folder: StoreFolder | None = None
        try:
            if create or (self.parent.lstat(FOLDER) is not None):
                self.folder = self.parent.subfolder(FOLDER, create=create)
        except (LinkRefused, UnsafeFileError) as exc:
            self.parent.close()
            raise BriefError(f"{exc}; briefings are not read or written there") from None
        except OSError as exc:
            self.parent.close()
            raise BriefError(f"{self.path}: cannot be opened ({exc.strerror or exc})") from None

    def close(self) -> None:
        if self.folder is not None:
            self.folder.close()
        self.parent.close()

    def __enter__(self) -> _Folder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def read(self, file: str) -> bytes | None:
        if self.folder is None:
            return None
        try:
            return self.folder.read(file, MAX_BYTES)
        except (LinkRefused, UnsafeFileError) as exc:
            raise BriefError(f"{exc}; the briefing is not read") from None
        except OSError as exc:
            raise BriefError(f"{self.path / file}: cannot be read ({exc.strerror or exc})") from None


def list_briefs(root: Path | str) -> list[BriefInfo]:
    """Every briefing of the corpus, by name. A file that cannot be read is listed
    with ``problem`` set (naming the file and the line), never skipped silently."""
    import os

    out: list[BriefInfo] = []
    with _Folder(root, create=False) as folder:
        if folder.folder is None:
            return []
        try:
            with folder.folder.opened() as dfd:
                names = sorted(e.name for e in os.scandir(dfd) if e.name.endswith(SUFFIX) and not e.name.startswith("."))
        except OSError as exc:
            raise BriefError(f"{folder.path}: cannot be listed ({exc.strerror or exc})") from None
        for file in names:
            name = file[: -len(SUFFIX)]
            st = folder.folder.lstat(file)
            modified = dt.datetime.fromtimestamp(st.st_mtime, dt.timezone.utc) if st is not None else None
            try:
                check_name(name)
                if st is not None and not stat.S_ISREG(st.st_mode):
                    raise BriefError(f"{folder.path / file} is not a regular file (a link or something else); not read")
                data = folder.read(file)
                if data is None:
                    continue
                doc, _ = _parse_file(data, folder.path / file, name)
                out.append(BriefInfo(name, doc.title, len(doc.item_ids()), modified))
            except BriefError as exc:
                out.append(BriefInfo(name, "", 0, modified, exc.message))
    return out


def load_brief(root: Path | str, name: str) -> Loaded:
    """The briefing ``name``; BriefError when it does not exist or cannot be read."""
    clean = check_name(name)
    file = clean + SUFFIX
    with _Folder(root, create=False) as folder:
        data = folder.read(file)
        if data is None:
            raise BriefError(f"there is no briefing named {clean!r} ({folder.path / file} does not exist)")
        doc, conflicts = _parse_file(data, folder.path / file, clean)
    return Loaded(doc, Stamp(data), conflicts)


def _check_doc(doc: BriefDoc) -> None:
    ids = doc.item_ids()
    if len(ids) != len(set(ids)):
        raise BriefError(f"briefing {doc.name!r}: an article is listed twice; not saved")


def save_brief(root: Path | str, doc: BriefDoc, stamp: Stamp, *, now: str = "", by: str = "") -> Stamp:
    """Write ``doc`` as ``briefings/<doc.name>.yaml`` (durably) and return the new
    stamp. When the file on disk is no longer what ``stamp`` says was read, the
    changes are merged (see the module docstring); the merged document is then what
    the file holds: call :func:`load_brief` again to see it (or use
    :func:`save_and_reload`). A file created since (``stamp.data`` None) by someone
    else is refused: names are not merged."""
    return save_and_reload(root, doc, stamp, now=now, by=by).stamp


def save_and_reload(root: Path | str, doc: BriefDoc, stamp: Stamp, *, now: str = "", by: str = "") -> Loaded:
    """:func:`save_brief`, returning the document as saved (merged when needed)."""
    clean = check_name(doc.name)
    _check_doc(doc)
    file = clean + SUFFIX
    with _Folder(root, create=True) as folder, _thread_lock(folder.path / file):
        assert folder.folder is not None
        path = folder.path / file
        try:
            with folder.folder.locked(f".{file}.lock"):
                folder.folder.remove_stale_temps(file)
                current = folder.read(file)
                conflicts: list[dict[str, str]] = []
                merged = doc
                if current != stamp.data:
                    if current is None:
                        pass  # deleted since it was read: written again as this side has it
                    elif stamp.data is None:
                        raise BriefError(f"a briefing named {clean!r} exists already ({path}); choose another name")
                    else:
                        base, base_conflicts = _parse_file(stamp.data, path, clean)
                        theirs, their_conflicts = _parse_file(current, path, clean)
                        merged, added = merge_docs(base, doc, theirs, now=now, by=by)
                        conflicts = _merge_conflicts(base_conflicts, their_conflicts) + added
                elif current is not None:
                    conflicts = _parse_file(current, path, clean)[1]
                data = dumps(merged, conflicts)
                if parse(data, clean) != (merged, conflicts):
                    raise BriefError(f"could not save {path}: the file would not read back as written; nothing was written")
                if data != current:
                    folder.folder.replace(file, data)
        except BriefError:
            raise
        except (LinkRefused, FolderGone, LockTimeout, UnsafeFileError) as exc:
            raise BriefError(f"could not save {path}: {exc}") from None
        except OSError as exc:
            raise BriefError(f"could not save {path}: {exc.strerror or exc}") from None
    return Loaded(merged, Stamp(data), conflicts)


def _merge_conflicts(*lists: list[dict[str, str]]) -> list[dict[str, str]]:
    seen: dict[tuple[tuple[str, str], ...], dict[str, str]] = {}
    for entries in lists:
        for c in entries:
            seen.setdefault(tuple(sorted(c.items())), c)
    return list(seen.values())


def new_brief(root: Path | str, name: str, *, title: str = "", marking: str = "", analyst: str = "",
              date: dt.date | None = None) -> BriefDoc:
    """Create ``briefings/NAME.yaml`` (BriefError when it exists) and return it."""
    doc = BriefDoc(name=check_name(name), title=(title.strip() or check_name(name)), marking=marking.strip(), analyst=analyst.strip(),
                   date=date)
    save_brief(root, doc, Stamp(None))
    return doc


# ------------------------------------------------------------------------ merge


def _conflict(where: str, kept: str, other: str, base: str, now: str, by: str) -> dict[str, str]:
    entry = {"field": where, "kept": kept, "other": other, "base": base}
    if now:
        entry["at"] = now
    if by:
        entry["by"] = by
    return entry


def _show(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _scalar(where: str, b: Any, o: Any, t: Any, found: list[dict[str, str]], now: str, by: str) -> Any:
    value, conflicted = merge_scalar(b, o, t)
    if conflicted:
        found.append(_conflict(where, _show(o), _show(t), _show(b), now, by))
    return value


def _hkey(ref: HighlightRef) -> tuple[str, str]:
    return (ref.article, ref.quote)


def _placement(doc: BriefDoc) -> dict[str, tuple[str, int]]:
    return {item.id: (s.name.casefold(), i) for s in doc.sections for i, item in enumerate(s.items)}


def _order(primary: list[str], other: list[str], members: set[str]) -> list[str]:
    """``primary``'s members in its order, then the members only ``other`` has, each
    after its nearest preceding neighbour in ``other`` (at the front when none)."""
    out = [i for i in primary if i in members]
    placed = set(out)
    for k, item in enumerate(other):
        if item not in members or item in placed:
            continue
        pos = 0
        for prev in reversed(other[:k]):
            if prev in placed:
                pos = out.index(prev) + 1
                break
        out.insert(pos, item)
        placed.add(item)
    return out


def merge_docs(base: BriefDoc, ours: BriefDoc, theirs: BriefDoc, *, now: str = "", by: str = "") -> tuple[BriefDoc, list[dict[str, str]]]:
    """Three-way merge of a briefing: the changes of both sides since ``base``.

    Text fields take the side that changed; both changed differently keeps ours and
    gives a conflict entry. Judgments are matched by their text (one side's edit of
    the text is a removal and an addition); their cites and highlights merge as sets.
    Sections are matched by name, items by article id: an item either side removed
    goes, an item either side added comes, an item one side moved goes where that
    side put it (both moved: ours), and the order within a section is the order of
    the side that reordered it (both: ours, with theirs' new items after their
    neighbours)."""
    found: list[dict[str, str]] = []
    out = BriefDoc(name=ours.name, title="")
    for attr in ("title", "marking", "analyst", "date", "bluf"):
        setattr(out, attr, _scalar(attr, getattr(base, attr), getattr(ours, attr), getattr(theirs, attr), found, now, by))
    # judgments, by text
    jb, jo, jt = ({j.text: j for j in d.judgments} for d in (base, ours, theirs))
    for text in merge_sets(jb, jo, jt):
        b, o, t = jb.get(text), jo.get(text), jt.get(text)
        if o is None or t is None:
            kept = o or t
            assert kept is not None
            out.judgments.append(Judgment(kept.text, kept.confidence, list(kept.cites), list(kept.highlights)))
            continue
        bb = b or Judgment(text)
        conf = _scalar(f"confidence of judgment {text[:60]!r}", bb.confidence, o.confidence, t.confidence, found, now, by)
        cites = list(merge_sets(bb.cites, o.cites, t.cites))
        highs = [HighlightRef(*k) for k in merge_sets(map(_hkey, bb.highlights), map(_hkey, o.highlights), map(_hkey, t.highlights))]
        out.judgments.append(Judgment(text, conf, cites, highs))
    # sections, by name
    sb, so, st = ({s.name.casefold(): s for s in d.sections} for d in (base, ours, theirs))
    names = list(merge_sets(sb, so, st))
    pb, po, pt = _placement(base), _placement(ours), _placement(theirs)
    ids = merge_sets(pb, po, pt)
    where: dict[str, str] = {}
    for article in ids:
        at_b, at_o, at_t = pb.get(article), po.get(article), pt.get(article)
        if at_o is not None and (at_b is None or at_o[0] != at_b[0]):
            where[article] = at_o[0]
        elif at_t is not None and (at_b is None or at_t[0] != at_b[0]):
            where[article] = at_t[0]
        else:
            placed = at_o or at_t or at_b
            assert placed is not None
            where[article] = placed[0]
    for key in set(where.values()):  # a section one side removed, the other filled
        if key not in names:
            names.append(key)
    wb, wo, wt = ({item.id: item.why for s in d.sections for item in s.items} for d in (base, ours, theirs))
    for key in names:
        model = so.get(key) or st.get(key) or sb.get(key)
        assert model is not None
        bs, os_, ts = sb.get(key), so.get(key), st.get(key)
        tag = _scalar(
            f"tag of section {model.name!r}",
            bs.tag if bs else None,
            os_.tag if os_ else (ts.tag if ts else None),
            ts.tag if ts else (os_.tag if os_ else None),
            found,
            now,
            by,
        )
        members = {a for a, k in where.items() if k == key}
        lb, lo, lt = ([i.id for i in s.items] if s else [] for s in (bs, os_, ts))
        ours_reordered = [i for i in lo if i in set(lb)] != [i for i in lb if i in set(lo)]
        theirs_reordered = [i for i in lt if i in set(lb)] != [i for i in lb if i in set(lt)]
        primary, other = (lt, lo) if theirs_reordered and not ours_reordered else (lo, lt)
        order = _order(primary, other, members)
        order = _order(order, sorted(members - set(order)), members)
        section = Section(model.name, tag)
        for article in order:
            why = _scalar(
                f"why it matters for {article!r}",
                wb.get(article, ""),
                wo.get(article, wt.get(article, "")),
                wt.get(article, wo.get(article, "")),
                found,
                now,
                by,
            )
            section.items.append(BriefItem(article, why or ""))
        out.sections.append(section)
    return out, found


# ------------------------------------------------------------------------ git merge driver


def _load_side(data: bytes, side: str) -> tuple[BriefDoc, list[dict[str, str]]]:
    if not data.strip():
        return BriefDoc(name="", title=""), []
    try:
        return parse(data, "")
    except _Bad as exc:
        raise MergeRefused(f"{side} is not a valid briefing file (line {exc.line}: {exc.message})") from None


def merge_files(base: bytes, ours: bytes, theirs: bytes, now: str, by: str) -> FileMerge:
    """The git merge driver's kind for ``briefings/*.yaml`` (see :func:`merge_docs`)."""
    (b, bc), (o, oc), (t, tc) = _load_side(base, "base"), _load_side(ours, "ours"), _load_side(theirs, "theirs")
    merged, added = merge_docs(b, o, t, now=now, by=by)
    conflicts = _merge_conflicts(oc, tc, bc) + added
    data = dumps(merged, conflicts)
    if parse(data, "") != (merged, conflicts):
        raise MergeRefused("the merged briefing would not read back as merged; nothing was written")
    lines = [
        f"briefing: {c['field']} was changed on both sides; kept {c['kept']!r}, the other value {c['other']!r} is listed under conflicts"
        for c in added
    ]
    return FileMerge(data, lines, "briefing")
