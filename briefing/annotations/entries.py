"""Three-way merge of whole annotation files entry by entry, on their bytes.

Files briefing wrote are canonical (:func:`briefing.annotations.yamlio.dump`): the
header, ``articles:``, one entry per article id in sorted order, each starting with
its quoted key two spaces in, and ``version: 3`` last. The same value always has
the same bytes, so for each id:

- the same bytes on both sides, or theirs unchanged from base: ours is kept as is;
- ours unchanged from base: theirs is taken as is;
- both changed: the three entries are parsed and merged by
  :func:`briefing.annotations.merge.merge_article` (the store's merge), then
  rendered.

Only the entries both sides changed are parsed, so merging two 10,000-article
files costs about what their changes cost, not three full parses. Every entry
that does not come unchanged from ours (taken from theirs, or merged) is parsed
back before the result is trusted; entries copied from ours are as valid as ours
was. A file that does not look canonical (hand-edited, an older version, keys
out of order) gives None, and the caller parses the files whole.
"""

from __future__ import annotations

import re

from briefing import yamlsafe
from briefing.annotations import yamlio
from briefing.annotations.merge import MergeConflict, merge_article
from briefing.annotations.schema import ArticleNotes, SchemaError

_ARTICLES = b"articles:\n"
_TAIL = b"version: " + yamlio.VERSION.encode() + b"\n"
_HEAD = yamlio.HEADER.encode("utf-8") + _ARTICLES
_EMPTY = yamlio.HEADER.encode("utf-8") + b"articles: {}\n" + _TAIL
_ENTRY_START = re.compile(rb"\n  (?=[^ :\n])")  # (a newline before: found with a fast scan for "\n")
_SIMPLE_KEY = re.compile(rb'  "([^"\\\n]*)":\n')
_QUOTED_KEY = re.compile(rb'  (?:\? )?("(?:[^"\\\n]|\\.)*"):?\n')


class NotCanonical(ValueError):
    pass


def _key(chunk: bytes) -> str:
    simple = _SIMPLE_KEY.match(chunk)
    if simple:
        return simple.group(1).decode("utf-8")
    quoted = _QUOTED_KEY.match(chunk)
    if not quoted:
        raise NotCanonical("an entry does not start with a quoted key")
    node = yamlsafe.parse(quoted.group(1).decode("utf-8"))
    if node is None or node.kind != "scalar" or not isinstance(node.value, str):
        raise NotCanonical("an entry key is not text")
    return node.value


def split(data: bytes) -> dict[str, bytes]:
    """Article id -> entry bytes of a canonical file (NotCanonical otherwise)."""
    if not data.strip() or data == _EMPTY:
        return {}
    if not data.startswith(_HEAD) or not data.endswith(_TAIL):
        raise NotCanonical("not a file briefing wrote in the current format")
    end = len(data) - len(_TAIL)
    starts = [m.start() + 1 for m in _ENTRY_START.finditer(data, len(_HEAD) - 1, end)]
    if not starts or starts[0] != len(_HEAD):
        raise NotCanonical("unexpected text before the first entry")
    out: dict[str, bytes] = {}
    last = None
    for n, start in enumerate(starts):
        chunk = data[start : starts[n + 1] if n + 1 < len(starts) else end]
        key = _key(chunk)
        if last is not None and key <= last:
            raise NotCanonical("entries out of order")
        out[key] = chunk
        last = key
    return out


def _parse(article_id: str, chunk: bytes | None) -> ArticleNotes | None:
    if chunk is None:
        return None
    doc = yamlio.load(_ARTICLES + chunk + _TAIL)
    if list(doc.articles) not in ([article_id], []):
        raise SchemaError(1, f"the entry of {article_id!r} does not read as that article")
    return doc.articles.get(article_id)


def merge(base: bytes, ours: bytes, theirs: bytes, now: str = "", by: str = "") -> tuple[bytes, list[MergeConflict]] | None:
    """The merged file and its true conflicts, or None when a side is not canonical
    (SchemaError when an entry that must be parsed is not valid)."""
    try:
        b, o, t = split(base), split(ours), split(theirs)
    except (NotCanonical, UnicodeDecodeError, yamlsafe.YamlError):
        return None
    out: dict[str, bytes] = {}
    check: dict[str, bytes] = {}  # entries not copied from ours: parsed back below
    found: list[MergeConflict] = []
    for article_id in sorted(set(o) | set(t) | set(b)):
        bc, oc, tc = b.get(article_id), o.get(article_id), t.get(article_id)
        if oc == tc or tc == bc:
            chosen = oc
        elif oc == bc:
            chosen = tc
            if chosen is not None:
                check[article_id] = chosen
        else:
            merged, conflicts = merge_article(article_id, _parse(article_id, bc), _parse(article_id, oc), _parse(article_id, tc), now, by)
            found.extend(conflicts)
            chosen = None if merged.is_empty() else ("\n".join(yamlio.article_lines(article_id, merged)) + "\n").encode("utf-8")
            if chosen is not None:
                check[article_id] = chosen
        if chosen is not None:
            out[article_id] = chosen
    if not out:
        return _EMPTY, found
    if check:  # one parse for all of them (sorted ids: a valid file of its own)
        back = yamlio.load(_ARTICLES + b"".join(check.values()) + _TAIL)
        if list(back.articles) != list(check):
            raise SchemaError(1, "the entries taken from theirs or merged do not read back as the same articles")
    return _HEAD + b"".join(out.values()) + _TAIL, found
