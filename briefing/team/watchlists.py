"""Three-way merge of a watchlists file, keyed by watchlist name.

The file (built on the watch branch) is a YAML mapping::

    watchlists:
      "energy":
        query: "grid OR outage"
        tags: ["energy"]
    version: "1"

Entries are matched by name. Within an entry, a list (``tags``) merges as a set
(additions from both sides kept, an item one side removed goes) and a single value
(``query``, any other text field) takes the side that changed it; both changed to
different values is a true conflict: ours stays, and an entry in the file's
top-level ``conflicts`` list keeps theirs, the base and who/when. A watchlist
deleted on one side and edited on the other is kept as edited, with a conflict
entry saying the other side deleted it. Nothing is ever lost silently.

Top-level keys other than ``watchlists`` and ``conflicts`` (``version``) take the
side that changed; both changed keeps the higher version number.
"""

from __future__ import annotations

from typing import Any

from briefing import yamlsafe
from briefing.annotations.merge import merge_scalar, merge_sets
from briefing.team.kinds import FileMerge, MergeRefused, plain

HEADER = """\
# briefing watchlists: saved queries, keyed by name. Merged by "briefing merge-file"
# (git merge driver): "conflicts" lists values two analysts changed differently;
# the field keeps "kept" (ours), "other" is theirs, "base" what both started from.
"""

Entry = dict[str, Any]


def _load(data: bytes, side: str) -> dict[str, Any]:
    if not data.strip():
        return {}
    try:
        root = yamlsafe.load_plain(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise MergeRefused(f"{side} is not UTF-8 text") from None
    except yamlsafe.YamlError as exc:
        raise MergeRefused(f"{side}: line {exc.line}: {exc.message}") from None
    if root is None:
        return {}
    if not isinstance(root, dict):
        raise MergeRefused(f"{side} is not a watchlists file (expected a mapping)")
    lists = root.get("watchlists") or {}
    if not isinstance(lists, dict):
        raise MergeRefused(f"{side}: watchlists must be a mapping of name to watchlist")
    for name, entry in lists.items():
        if not isinstance(entry, dict):
            raise MergeRefused(f"{side}: watchlist {name!r} must be a mapping")
        for key, value in entry.items():
            ok = value is None or isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))
            if not ok:
                raise MergeRefused(f"{side}: watchlist {name!r} field {key!r} is neither text nor a list of text")
    conflicts = root.get("conflicts") or []
    if not isinstance(conflicts, list) or not all(isinstance(c, dict) for c in conflicts):
        raise MergeRefused(f"{side}: conflicts must be a list of entries")
    return root


def _freeze(conflict: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in conflict.items()))


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return ", ".join(value)


def merge_entry(name: str, b: Entry | None, o: Entry | None, t: Entry | None, now: str, by: str) -> tuple[Entry | None, list[dict[str, Any]]]:
    """One watchlist merged, and the conflict entries it gives."""
    if o == t or t == b:
        return o, []
    if o == b:
        return t, []
    stamp = {"by": by, "at": now} if by else {"at": now}
    if o is None or t is None:  # deleted on one side, edited on the other: kept as edited
        kept = o if o is not None else t
        return kept, [{"watchlist": name, "field": "watchlist", "kept": "edited", "other": "deleted",
                       "base": "present", "deleted_by": "ours" if o is None else "theirs", **stamp}]
    base = b or {}
    out: Entry = {}
    found = []
    for key in list(dict.fromkeys([*o, *t, *base])):
        bv, ov, tv = base.get(key), o.get(key), t.get(key)
        if isinstance(ov, list) or isinstance(tv, list):
            value: Any = list(merge_sets(bv or [], ov or [], tv or []))
        else:
            value, conflicted = merge_scalar(bv, ov, tv)
            if conflicted:
                found.append({"watchlist": name, "field": key, "kept": _text(ov), "other": _text(tv), "base": _text(bv), **stamp})
        if value is not None:
            out[key] = value
    return out, found


def merge(base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any], now: str = "", by: str = "") -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The merged mapping and the conflict entries this merge added."""
    bl, ol, tl = (d.get("watchlists") or {} for d in (base, ours, theirs))
    lists: dict[str, Entry] = {}
    added: list[dict[str, Any]] = []
    for name in dict.fromkeys([*ol, *tl, *bl]):
        merged, found = merge_entry(name, bl.get(name), ol.get(name), tl.get(name), now, by)
        if merged is not None:
            lists[name] = merged
        added.extend(found)
    frozen = [list(map(_freeze, d.get("conflicts") or [])) for d in (base, ours, theirs)]
    by_key = {_freeze(c): c for d in (base, ours, theirs) for c in d.get("conflicts") or []}
    conflicts = [by_key[k] for k in merge_sets(*frozen)] + added
    out: dict[str, Any] = {}
    for key in dict.fromkeys([*ours, *theirs, *base]):
        if key in ("watchlists", "conflicts"):
            continue
        value, conflicted = merge_scalar(base.get(key), ours.get(key), theirs.get(key))
        if conflicted and key == "version":
            value = max((ours.get(key), theirs.get(key)), key=lambda v: int(v) if isinstance(v, str) and v.isdigit() else -1)
        elif conflicted:
            added.append({"watchlist": "", "field": key, "kept": _text(ours.get(key)), "other": _text(theirs.get(key)),
                          "base": _text(base.get(key)), "at": now})
            conflicts.append(added[-1])
        if value is not None:
            out[key] = value
    out["watchlists"] = lists
    if conflicts:
        out["conflicts"] = conflicts
    return out, added


def _value_lines(key: str, value: Any, indent: int) -> list[str]:
    pad = " " * indent
    if value is None:
        return [f"{pad}{yamlsafe.quote(key)}: ~"]
    if isinstance(value, str):
        return [f"{pad}{yamlsafe.quote(key)}: {yamlsafe.quote(value)}"]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        if not value:
            return [f"{pad}{yamlsafe.quote(key)}: []"]
        return [f"{pad}{yamlsafe.quote(key)}:"] + [f"{pad}  - {yamlsafe.quote(v)}" for v in value]
    if isinstance(value, dict):
        lines = [f"{pad}{yamlsafe.quote(key)}:" if value else f"{pad}{yamlsafe.quote(key)}: {{}}"]
        for k, v in value.items():
            lines += _value_lines(k, v, indent + 2)
        return lines
    if isinstance(value, list):
        lines = [f"{pad}{yamlsafe.quote(key)}:"]
        for item in value:
            sub = _value_lines("_", item, indent + 4) if not isinstance(item, dict) else [
                line for k, v in item.items() for line in _value_lines(k, v, indent + 4)
            ]
            sub[0] = f"{pad}  - " + sub[0].lstrip()
            lines += sub
        return lines
    raise MergeRefused(f"cannot write the value of {key!r}")


def dump(doc: dict[str, Any]) -> bytes:
    """Deterministic text: the header, watchlists by name, conflicts, other keys, version last."""
    lines = [HEADER.rstrip("\n")]
    lists = doc.get("watchlists") or {}
    lines += _value_lines("watchlists", {k: lists[k] for k in sorted(lists)}, 0)
    if doc.get("conflicts"):
        lines += _value_lines("conflicts", doc["conflicts"], 0)
    for key, value in doc.items():
        if key not in ("watchlists", "conflicts", "version"):
            lines += _value_lines(key, value, 0)
    if "version" in doc:
        lines += _value_lines("version", doc["version"], 0)
    return ("\n".join(lines) + "\n").encode("utf-8")


def merge_files(base: bytes, ours: bytes, theirs: bytes, now: str, by: str) -> FileMerge:
    merged, added = merge(_load(base, "base"), _load(ours, "ours"), _load(theirs, "theirs"), now, by)
    data = dump(merged)
    if _load(data, "the merged file") != merged:
        raise MergeRefused("the merged watchlists would not read back as merged; nothing was written")
    lines = [
        f"watchlist {c['watchlist']!r}: {c['field']} was changed on both sides; kept {plain(c.get('kept'))}, "
        f"the other value {plain(c.get('other'))} is listed under conflicts"
        for c in added
    ]
    return FileMerge(data, lines, "watchlists")
