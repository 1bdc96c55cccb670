"""The freshness stamp: a running folder watcher's word that the cache is up to date.

While a :class:`briefing.watch.CorpusWatcher` with an index runs, it keeps one row
in the cache's ``meta`` table (key ``watch``, a JSON object)::

    {"v": 1, "host": ..., "pid": ..., "token": ..., "mode": "native" | "polling",
     "synced": bool, "through_ns": int, "heartbeat_ns": int}

The rule (:func:`is_fresh`): the cache holds every change made to the folder
before ``through_ns`` when all of these hold:

- the stamp exists, was written on this machine (``host``) by a process that is
  still alive (``pid``), and its ``heartbeat_ns`` is under :data:`STALE_NS` old
  (a watcher heartbeats every :data:`HEARTBEAT_S` seconds while idle, and between
  the walks of a polling one, which take seconds at 100k files; a watcher that hangs
  cannot move ``through_ns`` either, so the guarantee rests on ``through_ns``);
- ``synced``: a full refresh whose walk started after the watch was established has
  completed (so nothing changed between the last walk and the first event), and no
  event may have been lost since (a replaced folder, a watcher restart, a queue
  overflow all clear it until the next full refresh);
- ``through_ns``: every change the watcher had seen by then is applied. A native
  watcher sets it, after applying what it saw, to the moment its wait for events
  returned minus :data:`DELIVERY_MARGIN_NS` (the kernel queues an event when the
  write returns; the margin covers its way to the watcher's thread); a polling
  watcher to the start of its last complete walk minus the same margin.

So a command started at ``T`` may trust the cache without a stat walk when
``is_fresh(root, T)``; the stamp advances at least every :data:`HEARTBEAT_S`
seconds, so :func:`wait_fresh` answers within about that long. A change made
while no watcher ran is only noticed by the next full refresh (a stat walk):
that is the cost the scale work has to bound otherwise.

The stamp is advisory: it is removed when the watcher stops (by token, so a
second watcher's stamp is never removed by the first), and a stale one is simply
ignored. Writes go through their own short connection (a cold rebuild may replace
the cache file under a long-lived one).
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import time
from pathlib import Path
from typing import Any

from briefing.index import store

KEY = "watch"
HEARTBEAT_S = 0.25
STALE_NS = 10_000_000_000
DELIVERY_MARGIN_NS = 200_000_000

# The stamp as stored: a JSON object (see the module docstring). Its values come from
# json.loads of a row another process wrote, so they are checked where they are used.
Stamp = dict[str, Any]


def _host() -> str:
    import socket  # here: only a stamp's check needs it (its enums cost every command ~3 ms at start)

    return socket.gethostname()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    except OSError:
        return False
    return True


def write_stamp(cache: Path, stamp: Stamp) -> bool:
    """Store ``stamp`` (see the module docstring) in the cache at ``cache``; False when
    there is no cache to write to or SQLite refused (the stamp is advisory)."""
    if not cache.exists():
        return False
    try:
        conn = store.connect(cache, create=False)
    except sqlite3.Error:
        return False
    try:
        conn.execute("PRAGMA busy_timeout = 200")
        conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (KEY, json.dumps(stamp)))
        return True
    except sqlite3.Error:
        return False
    finally:
        conn.close()


def clear_stamp(cache: Path, token: str) -> None:
    """Remove the stamp if it is the one written with ``token``."""
    if not cache.exists():
        return
    with contextlib.suppress(sqlite3.Error):
        conn = store.connect(cache, create=False)
        try:
            conn.execute("PRAGMA busy_timeout = 1000")
            conn.execute("DELETE FROM meta WHERE key = ? AND json_extract(value, '$.token') = ?", (KEY, token))
        finally:
            conn.close()


def read_stamp(cache: Path) -> Stamp | None:
    """The stamp stored in the cache at ``cache``, or None."""
    if not cache.exists():
        return None
    try:
        conn = store.connect(cache, readonly=True)
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = ?", (KEY,)).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    if row is None:
        return None
    try:
        stamp = json.loads(row[0])
    except ValueError:
        return None
    return stamp if isinstance(stamp, dict) else None


def _live(stamp: Stamp | None, now_ns: int) -> bool:
    """The stamp of a watcher that runs now, on this machine."""
    if stamp is None or stamp.get("v") != 1:
        return False
    try:
        return (stamp["host"] == _host() and now_ns - int(stamp["heartbeat_ns"]) <= STALE_NS
                and _alive(int(stamp["pid"])))
    except (KeyError, TypeError, ValueError):
        return False


def fresh_through(root: str | os.PathLike[str], *, now_ns: int | None = None) -> int | None:
    """The time (``time.time_ns()``) before which every change to ``root`` is in its
    cache, by a live watcher's stamp; None when no live, synced watcher vouches for it."""
    stamp = read_stamp(store.cache_path(root))
    now = time.time_ns() if now_ns is None else now_ns
    if stamp is None or not _live(stamp, now) or stamp.get("synced") is not True:
        return None
    try:
        return int(stamp["through_ns"])
    except (KeyError, TypeError, ValueError):
        return None


def is_fresh(root: str | os.PathLike[str], at_ns: int | None = None) -> bool:
    """True when the cache of ``root`` holds every change made before ``at_ns``
    (default: now), by the rule of the module docstring."""
    through = fresh_through(root)
    at = time.time_ns() if at_ns is None else at_ns
    return through is not None and through >= at


def wait_fresh(root: str | os.PathLike[str], at_ns: int | None = None, timeout: float = 1.0) -> bool:
    """:func:`is_fresh` for ``at_ns`` (default: the moment of the call), waiting up to
    ``timeout`` seconds for a live watcher's stamp to pass it (or to be synced, when
    its reader is still refreshing). False at once when no watcher runs for ``root``;
    a command then walks the folder as before."""
    at = time.time_ns() if at_ns is None else at_ns
    deadline = time.monotonic() + timeout
    cache = store.cache_path(root)
    while True:
        if not _live(read_stamp(cache), time.time_ns()):
            return False
        if is_fresh(root, at):
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.02)
