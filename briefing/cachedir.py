"""Where the caches live, decided in one place, with a fallback when that place is unusable.

Every cache (the index of a corpus and what is kept in it: stories, keyword counts;
the summary cache) asks :func:`cache_folder` for its folder. That is
:func:`briefing.config.cache_dir` (``BRIEFING_CACHE_DIR``, else the platform's user
cache folder, e.g. ``$XDG_CACHE_HOME/briefing``) when it can be created and written
to. When it cannot (a read-only folder, a path that is a file or runs through one,
no space), a temporary folder is used for the rest of the process and deleted at
exit: everything still works, only nothing is kept for the next run. That is said
once, in one line: :func:`cache_notice` gives it to a front end that shows it (the
reader), and callbacks given to :func:`on_cache_notice` receive it as it happens
(the command line prints it on stderr).

A cache is only a cache: nothing is lost by using a temporary one.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

_lock = threading.Lock()
_decided: dict[tuple[str, str], Path] = {}  # (configured folder, subfolder) -> the folder used
_temporary: Path | None = None
_notices: dict[str, str] = {}  # configured folder -> what was said about it
_listeners: list[Callable[[str], None]] = []


def cache_root() -> Path:
    """The folder the caches use (see the module's docstring)."""
    return cache_folder("")


def cache_folder(name: str) -> Path:
    """The cache subfolder ``name`` (``""``: the cache folder itself), created and
    writable: in the configured cache folder, else in this process's temporary one."""
    from briefing.config import cache_dir

    configured = Path(cache_dir())
    key = (str(configured), name)
    with _lock:
        found = _decided.get(key)
        if found is not None:
            return found
        wanted = configured / name if name else configured
        problem = _unusable(wanted)
        if problem is None:
            _decided[key] = wanted
            return wanted
        fallback = _temporary_root() / name if name else _temporary_root()
        fallback.mkdir(parents=True, exist_ok=True)
        _decided[key] = fallback
        fresh = str(configured) not in _notices
        if fresh:
            from briefing.sanitize import clean_line

            _notices[str(configured)] = (
                f"cache folder {clean_line(str(wanted))} cannot be used ({clean_line(problem)}); "
                f"using a temporary cache for this run ({_temporary})"
            )
        message = _notices[str(configured)]
        listeners = list(_listeners)
    if fresh:
        for listener in listeners:
            listener(message)
    return fallback


def cache_notice() -> str | None:
    """The one-line notice about the cache folder now configured (None when it is
    usable, or has not been needed yet)."""
    from briefing.config import cache_dir

    with _lock:
        return _notices.get(str(Path(cache_dir())))


def on_cache_notice(listener: Callable[[str], None]) -> None:
    """Call ``listener(message)`` when a cache folder turns out unusable (once per
    folder per process)."""
    with _lock:
        if listener not in _listeners:
            _listeners.append(listener)


def _unusable(folder: Path) -> str | None:
    """Why ``folder`` cannot hold the caches, or None: it is created if missing, and a
    file is made and deleted in it (write permission bits mean nothing to root)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".briefing-probe-", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        return exc.strerror or type(exc).__name__
    return None


def _temporary_root() -> Path:
    global _temporary
    if _temporary is None:
        _temporary = Path(tempfile.mkdtemp(prefix="briefing-cache-"))
        atexit.register(shutil.rmtree, _temporary, True)
    return _temporary
