"""Who is making a change: the name recorded beside notes, highlights, corrections
and status changes (format version 3).

In order: the ``analyst`` name in the config file, else ``git config user.name``
as seen from the corpus folder (its repository's, else the user's global one),
else the login name. The name is made one plain line (control characters
replaced, at most :data:`MAX_LENGTH` characters): it is written into a shared
file and shown on other analysts' screens.
"""

from __future__ import annotations

import getpass
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

from briefing.annotations import snapshot
from briefing.sanitize import clean_line

MAX_LENGTH = 80
GIT_TIMEOUT = 5.0


def tidy(name: str) -> str:
    """A name as recorded: one line, trimmed, bounded ("" when nothing is left)."""
    return clean_line(name).strip()[:MAX_LENGTH].strip()


def git_user_name(folder: Path | None) -> str:
    """``git config user.name`` run in ``folder`` ("" when git is missing, the
    name is unset, or git fails)."""
    git = shutil.which("git")
    if git is None:
        return ""
    cwd = folder if folder is not None and folder.is_dir() else None
    try:
        result = subprocess.run(
            [git, "config", "--get", "user.name"], cwd=cwd, capture_output=True, timeout=GIT_TIMEOUT,
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0"}, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    if result.returncode != 0:
        return ""
    return tidy(result.stdout.decode("utf-8", "replace"))


def login_name() -> str:
    try:
        return tidy(getpass.getuser())
    except (OSError, KeyError, ImportError):
        return ""


def configured_analyst() -> str:
    from briefing.config import load_settings

    return tidy(load_settings().settings.analyst)


def current_author(corpus: Path | None = None) -> str:
    """The name to record for changes made now (see the module docstring)."""
    return configured_analyst() or git_user_name(corpus) or login_name() or "unknown"


# A name's line (``by``, ``kept_by``, ``other_by``, ``{by: ``): found from the literal
# ``by: "``, which the regex engine looks for quickly (found from the start of a line,
# a pass over 100,000 entries took 0.27 s, again after every save). Inside quoted text
# the quote would be escaped; a literal block's line can look like one (a name too many
# at worst: the reader then names the authors).
_BY = re.compile(rb'by: ("[^"\\\n]*(?:\\.[^"\\\n]*)*")')  # (one repeat per escape, not per character)


def authors_of(doc: Any) -> set[str]:
    """Every name recorded in an annotation document (notes, highlights, changes,
    conflicts).
    On a large indexed file the names are found in its text (one regex pass), with
    the changes made since on top; nothing is parsed whole."""
    articles = doc.articles
    names: set[str] = set()
    if getattr(articles, "lazy", False):
        from briefing import yamlsafe

        for raw in set(_BY.findall(articles.index.data)):
            node = yamlsafe.parse(raw.decode("utf-8", "replace"))
            if node is not None and isinstance(node.value, str):
                names.add(node.value)
        snapshot.release(articles.index.data)  # (a pass over every entry's bytes)
        values = list(articles.overlay.values())
    else:
        values = list(articles.values())
    for a in values:
        names.update(n.by for n in a.notes)
        names.update(h.by for h in a.highlights)
        names.update(s.by for s in a.changed)
        names.update(n for c in a.conflicts for n in (c.kept_by, c.other_by, c.by))
    names.discard("")
    return names
