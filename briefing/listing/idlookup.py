"""What a user typed for an article id, looked up in the index cache instead of a walk
of the folder (``briefing show 0012`` at a million articles).

:func:`briefing.ids.match_typed` decides among the ids of the corpus's files (as
:func:`briefing.corpus.discover.discover` lists them: a many-article file once, by
its file id). :func:`typed_id_candidates` gives a subset of those ids, taken from the
index with one SQL scan, that holds every id the rules could pick: an exact form,
the ids starting with or containing the text, ignoring case. So ``match_typed`` over
the subset decides as it would over every id when it finds something; when it finds
nothing, its suggestions need every id (:func:`all_ids_and_titles`).

The subset: ids that contain one of the typed forms ignoring ASCII case (SQL
``LIKE``), plus every id that is not plain ASCII (``casefold`` may fold other
letters to ASCII ones) and every item id (``path#key``: the key is matched as
typed too). A typed text that is not ASCII gets every id. Problems (files the index
could not read as articles) count as files, as the walk lists them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from briefing.corpus.discover import kind_of
from briefing.ids import split_item, typed_candidates

_CONTAINERS = frozenset({"feed", "jsonl", "mbox"})  # briefing.corpus.items.CONTAINER_KINDS (not imported: the parsers)


def file_id(article_id: str) -> str:
    """The id of the file an indexed id lives in: an item's file, else the id itself."""
    path_id, key = split_item(article_id)
    if key is not None and kind_of(path_id.rsplit("/", 1)[-1]) in _CONTAINERS:
        return path_id
    return article_id


def _file_ids(rows: Iterable[tuple[object, ...]]) -> list[str]:
    return list(dict.fromkeys(file_id(str(r[0])) for r in rows))


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


# An id with a letter beyond ASCII: its UTF-8 bytes outnumber its characters. Not a
# GLOB on a character class: at a million ids that GLOB alone took most of a second.
_NOT_ASCII = "length(CAST(id AS BLOB)) != length(id)"


def typed_id_candidates(conn: sqlite3.Connection, typed: str) -> list[str]:
    """The file ids of the index that ``match_typed(typed, ...)`` could choose (see the
    module docstring), in id order."""
    wanted = list(dict.fromkeys([typed, *typed_candidates(typed)])) if typed else []
    if not wanted or not all(w.isascii() for w in wanted):
        return all_ids(conn)
    likes = " OR ".join("id LIKE ? ESCAPE '\\'" for _ in wanted)
    where = f"({likes}) OR {_NOT_ASCII} OR instr(id, '#') > 0"
    params = list(map(_like, wanted))
    sql = f"SELECT id FROM articles WHERE {where} UNION SELECT id FROM problems WHERE {where} ORDER BY 1"
    return _file_ids(conn.execute(sql, params * 2))


def exact_id(conn: sqlite3.Connection, typed: str) -> str | None:
    """The indexed id (an article, an item of a many-article file, or a file the index
    could not read) that ``typed`` names exactly, in any of its typed forms
    (:func:`briefing.ids.typed_candidates`, the likeliest first); None when none."""
    forms = typed_candidates(typed)
    if not forms:
        return None
    marks = ",".join("?" * len(forms))
    found = {str(r[0]) for r in conn.execute(
        f"SELECT id FROM articles WHERE id IN ({marks}) UNION SELECT id FROM problems WHERE id IN ({marks})", forms * 2)}
    return next((f for f in forms if f in found), None)


def all_ids(conn: sqlite3.Connection) -> list[str]:
    """Every file id of the index, in id order."""
    return _file_ids(conn.execute("SELECT id FROM articles UNION SELECT id FROM problems ORDER BY 1"))


def all_ids_and_titles(conn: sqlite3.Connection) -> tuple[list[str], dict[str, str]]:
    """Every file id, and the titles of the articles by id (for "did you mean")."""
    titles = {str(i): t for i, t in conn.execute("SELECT id, title FROM articles")}
    return all_ids(conn), titles
