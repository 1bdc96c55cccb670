"""A guarded YAML reader for every file briefing reads: annotations, config, themes,
Markdown front matter.

The text is walked as a stream of parser events (libyaml when available) and turned
into a small node tree; no Python object is ever built from a YAML tag. So:

- tags (``!!python/object/apply:os.system`` and every other) are refused, except the
  harmless ``!!str``, ``!!map``, ``!!seq`` and ``!``;
- anchors and aliases are refused outright (no billion laughs);
- nesting deeper than :data:`MAX_DEPTH` stops the walk at once (a 50,000-deep file
  gives an error, not a RecursionError);
- duplicate keys and several documents are refused;
- every scalar is text: a plain ``no``, ``on``, ``0123`` or ``2023-11-06`` stays the
  string written; only a plain ``~``/``null``/empty value means "nothing". Callers
  that want a number or a yes/no use :func:`as_int`, :func:`as_float`, :func:`as_bool`.

Every refusal is a :class:`YamlError` with a 1-based line number.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import yaml

MAX_DEPTH = 32

# yaml (its regular expressions compiled at import: ~8 ms) is imported by the first
# parse, not here: a command that reads no YAML (``list`` on a corpus without
# annotations.yaml, ``tag`` once the annotations' index is cached) never pays for it.
_Loader: Any = None  # the safe loader (libyaml's when available): :func:`loader_class`
_SETUP = threading.Lock()  # held while loader_class() sets the globals up
_ALLOWED_TAGS = {None, "!", "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_NULLS = {"", "~", "null", "Null", "NULL"}


class YamlError(ValueError):
    """The text is not YAML briefing accepts; ``line`` is 1-based."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


@dataclass(slots=True)
class Node:
    kind: str  # "map" | "seq" | "scalar"
    value: Any  # list[tuple[Node, Node]] | list[Node] | str | None
    line: int  # 1-based


def _line(mark: yaml.Mark | None) -> int:
    return (mark.line + 1) if mark is not None else 1


def loader_class() -> Any:
    """The loader :func:`parse` uses (libyaml's safe loader when available), yaml
    imported on the first call. The event classes :func:`_build` reads are set
    first, under a lock, and the loader last: a thread that sees the loader sees
    them all (two first parses at once, in two threads, never see half of them)."""
    global _Loader, _SCALAR, _MAP, _SEQ, _ENDS, _STREAM_END, _DOCUMENT_START, _ALIAS
    if _Loader is None:
        with _SETUP:
            if _Loader is None:
                import yaml
                from yaml import events as ev

                _SCALAR, _MAP, _SEQ = ev.ScalarEvent, ev.MappingStartEvent, ev.SequenceStartEvent
                _ENDS = (ev.MappingEndEvent, ev.SequenceEndEvent)
                _STREAM_END, _DOCUMENT_START, _ALIAS = ev.StreamEndEvent, ev.DocumentStartEvent, ev.AliasEvent
                _Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return _Loader


def parse(text: str) -> Node | None:
    """Parse YAML text into a node tree; None for a document with no content."""
    import yaml

    loader = None
    try:
        loader = loader_class()(text)
        return _build(loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or str(exc)
        if exc.context:
            problem = f"{exc.context}, {problem}"
        raise YamlError(_line(mark), f"not valid YAML: {problem}") from None
    except yaml.YAMLError as exc:  # reader errors (control characters) carry a position
        position = getattr(exc, "position", None)
        line = text[:position].count("\n") + 1 if isinstance(position, int) else 1
        raise YamlError(line, f"not valid YAML: {exc}") from None
    finally:
        if loader is not None:
            loader.dispose()


# yaml's event classes, set by loader_class() (the first parse)
_SCALAR: Any = None
_MAP: Any = None
_SEQ: Any = None
_ENDS: tuple[Any, ...] = ()
_STREAM_END: Any = None
_DOCUMENT_START: Any = None
_ALIAS: Any = None


def _build(loader: yaml.SafeLoader) -> Node | None:
    """Events -> node tree, with an explicit stack (no recursion): depth is checked
    before it grows, anchors, aliases and tags are refused as soon as they appear.
    Written for speed: this loop runs once per scalar of the file."""
    get_event: Callable[[], Any] = loader.get_event
    stack: list[tuple[Node, list[Any]]] = []  # (container node, [pending key, {key: line}])
    root: Node | None = None
    documents = 0
    while True:
        event = get_event()
        cls = event.__class__
        if cls is _SCALAR or cls is _MAP or cls is _SEQ:
            line = event.start_mark.line + 1
            if event.anchor is not None:
                raise YamlError(line, f"YAML anchors (&{event.anchor}) are not allowed")
            tag = event.tag
            if tag is not None and tag not in _ALLOWED_TAGS:
                shown = tag.replace("tag:yaml.org,2002:", "!!")
                raise YamlError(line, f"YAML tags are not allowed (found {shown})")
            if cls is not _SCALAR:
                if len(stack) >= MAX_DEPTH:
                    raise YamlError(line, f"nested more than {MAX_DEPTH} levels deep")
                stack.append((Node("map" if cls is _MAP else "seq", [], line), [None, {}]))
                continue
            value: str | None = event.value
            if tag is None and not event.style and value in _NULLS:
                value = None  # a plain ~, null or nothing
            node = Node("scalar", value, line)
        elif cls in _ENDS:
            node = stack.pop()[0]
        elif cls is _STREAM_END:
            return root
        elif cls is _DOCUMENT_START:
            documents += 1
            if documents > 1:
                raise YamlError(_line(event.start_mark), "more than one YAML document in the file")
            continue
        elif cls is _ALIAS:
            raise YamlError(_line(event.start_mark), f"YAML aliases (*{event.anchor}) are not allowed")
        else:  # stream start, document end
            continue
        # Attach the finished node to its parent.
        if not stack:
            root = node
            continue
        parent, pending = stack[-1]
        if parent.kind == "seq":
            parent.value.append(node)
        elif pending[0] is not None:
            parent.value.append((pending[0], node))
            pending[0] = None
        else:
            if node.kind != "scalar":
                raise YamlError(node.line, "a mapping key must be plain text")
            key = node.value if node.value is not None else ""
            seen = pending[1]
            if key in seen:
                raise YamlError(node.line, f"duplicate key {key!r} (first on line {seen[key]})")
            seen[key] = node.line
            pending[0] = Node("scalar", key, node.line)


def to_plain(node: Node | None) -> Any:
    """A node tree as plain dicts, lists, strings and None."""
    if node is None:
        return None
    if node.kind == "scalar":
        return node.value
    if node.kind == "seq":
        return [to_plain(n) for n in node.value]
    return {k.value: to_plain(v) for k, v in node.value}


def load_plain(text: str) -> Any:
    """Guarded YAML for any small file: dicts, lists, text and None only."""
    return to_plain(parse(text))


_TRUE = {"true", "yes", "on"}
_FALSE = {"false", "no", "off"}


def as_bool(value: Any) -> bool | None:
    """``true``/``yes``/``on`` and ``false``/``no``/``off`` (any case); None otherwise."""
    if isinstance(value, str):
        low = value.strip().lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
    return None


def as_int(value: Any) -> int | None:
    """A whole number written as text (``3``, ``+3``, ``-1``); None otherwise."""
    if isinstance(value, str):
        text = value.strip()
        if text.lstrip("+-").isdigit() and text.isascii():
            return int(text)
    return None


def as_float(value: Any) -> float | None:
    """A finite number written as text; None otherwise."""
    if isinstance(value, str) and value.strip().isascii():
        try:
            number = float(value)
        except ValueError:
            return None
        if number == number and number not in (float("inf"), float("-inf")):
            return number
    return None


# ---------------------------------------------------------------- writing a scalar

_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\n": "\\n",
    "\t": "\\t",
    "\0": "\\0",
    "\x07": "\\a",
    "\x08": "\\b",
    "\x0b": "\\v",
    "\x0c": "\\f",
    "\r": "\\r",
    "\x1b": "\\e",
    "\x85": "\\N",
    "\xa0": "\\_",
    "\u2028": "\\L",
    "\u2029": "\\P",
}
_NEEDS_ESCAPE = re.compile(
    "[\\\\\"\n\t\xa0\u2028\u2029\ufeff]|[^\x20-\x7e\xa1-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


def _escape_char(match: re.Match[str]) -> str:
    ch = match.group(0)
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02X}"
    if code <= 0xFFFF:
        return f"\\u{code:04X}"
    return f"\\U{code:08X}"


def quote(text: str) -> str:
    """A double-quoted YAML scalar that reads back as exactly ``text``."""
    return '"' + _NEEDS_ESCAPE.sub(_escape_char, text) + '"'
