"""Article identity: one canonical id for every article file, and back again.

The id of a single-article file is its path relative to the corpus root,
``/``-separated, with every character that could not be written, read back or shown
safely replaced by a backslash escape. So an id is always printable text that
survives UTF-8, YAML, JSON, SQLite, a terminal and a command line, and it maps back
to exactly one file name:

- a byte of the name that is not valid UTF-8 (which Python holds as a surrogate
  escape, U+DC80..U+DCFF)   -> ``\\xHH`` (two lower-case hex digits: the raw byte);
- a C0 or C1 control, DEL, a bidi control, a zero-width or line/paragraph separator
  (a fixed list, :data:`_UNSAFE`, so that ids never depend on the Unicode version)
                            -> ``\\uHHHH`` (the code point, lower-case hex);
- the backslash itself      -> ``\\\\``.

Everything else (letters of any script, spaces, punctuation, emoji) is kept as is, so
ordinary names are their own ids. ``\\x85`` (the byte 0x85 in a Latin-1 name) and
``\\u0085`` (the character NEXT LINE in a UTF-8 name) are different files and get
different ids.

Many-article files (feeds, JSON lines, mbox) will name an item as ``path#key``:
:func:`item_id` escapes ``#`` inside the key (``\\u0023``), so the last ``#`` of an
id always separates the key, and :func:`split_item` undoes it. A ``#`` in a file
name stays as it is.

What a user types is resolved with :func:`typed_candidates`: the text as a raw file
name (what a shell passes for a name with odd bytes), or as an id in the escaped
form (what ``briefing list`` prints).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

_UNSAFE = re.compile(
    "[\\\\\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb\ud800-\udfff]"
)
_ESCAPE = re.compile(r"\\(\\|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4})")
_ITEM_SEP = "#"
_HASH_ESCAPE = "\\u0023"


def _escape_char(match: re.Match[str]) -> str:
    ch = match.group(0)
    if ch == "\\":
        return "\\\\"
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte, held as a surrogate escape
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}"


def escape_name(name: str) -> str:
    """``name`` (text as ``os.fsdecode`` gives it) in the escaped, printable form."""
    return _UNSAFE.sub(_escape_char, name)


def unescape_name(text: str) -> str:
    """The inverse of :func:`escape_name`; ValueError for a stray backslash or an
    escape that no file name can produce."""
    out: list[str] = []
    pos = 0
    for match in _ESCAPE.finditer(text):
        if "\\" in text[pos : match.start()]:
            raise ValueError(f"a backslash that starts no escape in {text!r}")
        out.append(text[pos : match.start()])
        body = match.group(1)
        if body == "\\":
            out.append("\\")
        elif body[0] == "x":
            byte = int(body[1:], 16)
            if byte < 0x80:  # a valid ASCII byte is never escaped as a raw byte
                raise ValueError(f"\\x{body[1:]} is not an undecodable byte")
            out.append(chr(0xDC00 + byte))
        else:
            code = int(body[1:], 16)
            if 0xD800 <= code <= 0xDFFF:
                raise ValueError(f"\\u{body[1:]} is not a character")
            out.append(chr(code))
        pos = match.end()
    if "\\" in text[pos:]:
        raise ValueError(f"a backslash that starts no escape in {text!r}")
    out.append(text[pos:])
    return "".join(out)


def article_id(rel: str | bytes | os.PathLike[str]) -> str:
    """The canonical id of a file at ``rel``, a path relative to the corpus root
    (text with surrogate escapes as ``os.fsdecode`` gives it, or bytes)."""
    text = os.fsdecode(rel)
    if os.sep != "/":
        text = text.replace(os.sep, "/")
    if text.isascii() and text.isprintable() and "\\" not in text:
        return text  # the common case, no regex
    return escape_name(text)


def relpath_of(article_id_: str) -> str:
    """The relative file path (``/``-separated, surrogate-escaped text ready for
    ``os`` calls) that ``article_id_`` names. ValueError if it is not an id."""
    return unescape_name(article_id_)


def is_canonical(text: str) -> bool:
    """True when ``text`` is an id exactly as :func:`article_id` makes it."""
    try:
        return article_id(relpath_of(text)) == text
    except ValueError:
        return False


def typed_candidates(typed: str) -> list[str]:
    """The canonical ids that ``typed`` may mean, most likely first: the text as an
    id in the escaped form (what ``briefing list`` prints), then as a raw file name
    (what a shell passes for a name with odd bytes). Empty for empty text."""
    if not typed:
        return []
    out: list[str] = []
    if "#" in typed:  # an item id of a many-article file, typed as printed (its key's "#" as \u0023)
        try:
            path_id, key = split_item(typed)
            if key is not None and item_id(path_id, key) == typed and is_canonical(path_id):
                out.append(typed)
        except ValueError:
            pass
    with_escapes: str | None
    try:
        with_escapes = article_id(relpath_of(typed))
    except ValueError:
        with_escapes = None
    as_raw = article_id(typed)
    for candidate in (with_escapes, as_raw):
        if candidate is not None and candidate not in out:
            out.append(candidate)
    return out


def item_id(path_id: str, key: str) -> str:
    """The id of one item of a many-article file: ``path_id#key``, the key escaped
    like a name and its ``#`` as ``\\u0023``, so :func:`split_item` finds it."""
    return path_id + _ITEM_SEP + escape_name(key).replace(_ITEM_SEP, _HASH_ESCAPE)


def split_item(article_id_: str) -> tuple[str, str | None]:
    """``(path id, key)`` of an item id, ``(id, None)`` when there is no ``#``.
    The caller decides whether the path part is a many-article file: a single-article
    file may have ``#`` in its name, and its id is then the whole text."""
    path_id, sep, key = article_id_.rpartition(_ITEM_SEP)
    if not sep:
        return article_id_, None
    return path_id, unescape_name(key)


def resolve_typed(typed: str, lookup: Callable[[str], object]) -> str:
    """The canonical id among :func:`typed_candidates` of ``typed`` that ``lookup``
    (e.g. a corpus's ``get``) knows, without raising KeyError; ``typed`` itself when
    none is known (so the caller's own "no such article" message names what was typed)."""
    for candidate in typed_candidates(typed):
        try:
            lookup(candidate)
        except KeyError:
            continue
        return candidate
    return typed


# --- what a user typed, against the ids a corpus has ------------------------------------

SUGGESTIONS = 3  # "did you mean" names at most this many articles
CANDIDATES_SHOWN = 10  # an ambiguous prefix lists at most this many


@dataclass(frozen=True)
class TypedMatch:
    """What a typed id names among a corpus's ids: ``id`` when exactly one article;
    else the ``candidates`` it could mean (ambiguous; all of them, in corpus order),
    or, when nothing matches, ``suggestions``: the closest ids (by id or by title)."""

    typed: str
    id: str | None = None
    candidates: tuple[str, ...] = ()
    suggestions: tuple[str, ...] = ()
    how: str = ""  # "exact", "prefix", "substring" (how ``id`` or ``candidates`` matched)


def _shown_forms(article_id_: str) -> tuple[str, ...]:
    """The texts a user may type for ``article_id_``: the id, and for an item of a
    many-article file also ``path#key`` with the key as it is (``#`` unescaped)."""
    path_id, key = split_item(article_id_)
    if key is None:
        return (article_id_,)
    raw = path_id + _ITEM_SEP + key
    return (article_id_,) if raw == article_id_ else (article_id_, raw)


def match_typed(typed: str, ids: Iterable[str], titles: Mapping[str, str] | None = None) -> TypedMatch:
    """Resolve what a user typed for an article id (``briefing show 002``).

    In order, the first rule that finds something decides:

    1. an exact id (escaped or raw, :func:`typed_candidates`) always wins;
    2. the ids that start with the text (``002`` for ``002_779c….txt``);
    3. the ids that contain the text (``old.md`` for ``sub/old.md``), then the same
       ignoring case.

    One id found: that one. Several: ambiguous, all returned as ``candidates``.
    None: ``suggestions``, the ids closest to the text and the ids of the titles
    closest to it (``difflib``), at most :data:`SUGGESTIONS`. Items of many-article
    files (``path#key``) match by their id and by ``path#key`` with the key as typed.
    """
    ids = list(ids)
    known = set(ids)
    forms = typed_candidates(typed)
    for candidate in forms:
        if candidate in known:
            return TypedMatch(typed, id=candidate, how="exact")
    wanted = tuple(dict.fromkeys([typed, *forms])) if typed else ()
    if wanted:
        # the texts each id may be typed as: itself, and ``path#key`` with the key unescaped
        texts = [(i, i) for i in ids] + [(i, t) for i in ids if _ITEM_SEP in i for t in _shown_forms(i)[1:]]
        folded = tuple(w.casefold() for w in wanted)
        rules: list[tuple[str, Callable[[str], bool]]] = [
            ("prefix", lambda text: text.startswith(wanted)),
            ("substring", lambda text: any(w in text for w in wanted)),
            ("substring", lambda text: any(w in text.casefold() for w in folded)),
        ]
        for how, test in rules:
            found = list(dict.fromkeys(i for i, text in texts if test(text)))
            if len(found) == 1:
                return TypedMatch(typed, id=found[0], how=how)
            if found:
                return TypedMatch(typed, candidates=tuple(found), how=how)
    return TypedMatch(typed, suggestions=tuple(_suggest(typed, ids, titles or {})))


SHORTLIST = 500  # difflib compares what was typed with at most this many ids (and titles)


def _shortlist(typed: str, texts: Iterable[str]) -> list[str]:
    """The texts sharing the most three-letter pieces with ``typed`` (ignoring case):
    difflib is slow, so at 100k ids it only looks at these."""
    low = typed.casefold()
    grams = {low[i : i + 3] for i in range(max(1, len(low) - 2))}
    if len(grams) > 16:  # enough to tell texts apart, few enough to stay fast
        ordered = sorted(grams)
        grams = set(ordered[:: max(1, len(ordered) // 16)])
    scored = []
    for text in texts:
        low_text = text.casefold()
        shared = sum(1 for g in grams if g in low_text)
        if shared:
            scored.append((-shared, text))
    scored.sort(key=lambda pair: pair[0])  # stable: ties keep the corpus order
    return [text for _, text in scored[:SHORTLIST]]


def _suggest(typed: str, ids: list[str], titles: Mapping[str, str]) -> list[str]:
    import difflib

    if not typed.strip():
        return []
    out = difflib.get_close_matches(typed, _shortlist(typed, ids), n=SUGGESTIONS, cutoff=0.6)
    by_title: dict[str, list[str]] = {}
    for article_id_, title in titles.items():
        by_title.setdefault(title.casefold(), []).append(article_id_)
    needle = typed.casefold()
    for title in difflib.get_close_matches(needle, _shortlist(needle, by_title), n=SUGGESTIONS, cutoff=0.5):
        out += by_title[title]
    # a title containing the typed text is a good guess too (``grid`` for "Grid attack")
    if len(needle) >= 3:
        out += [i for t, found in by_title.items() if needle in t for i in found][:SUGGESTIONS]
    return list(dict.fromkeys(out))[:SUGGESTIONS]
