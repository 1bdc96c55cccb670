"""The watchlists of one corpus, read and written with the annotations' discipline.

``watchlists.yaml`` lives beside ``annotations.yaml`` (in the corpus folder, or in
briefing's data folder when the annotations are kept there). Through
:class:`briefing.durable.StoreFolder`: never read or written through a symbolic
link, folder pinned at open, a lock file for saves from several processes, atomic
replace with fsync and read back. A save that finds the file changed since it was
read merges by name: the watchlists this store added, changed or removed are
applied to what is on disk now, everything else on disk is kept.

A file with problems (see :mod:`briefing.watchlists.model`) is never rewritten:
:attr:`WatchlistStore.problems` names the file and the line of each, the usable
entries still work, and every change is refused (:class:`WatchlistReadOnly`).
"""

from __future__ import annotations

import threading
from pathlib import Path

from briefing.annotations.location import locate
from briefing.durable import FolderGone, LinkRefused, LockTimeout, StoreFolder, UnsafeFileError
from briefing.watchlists.model import FILENAME, MAX_BYTES, Watchlist, WatchlistError, describe_conflict, dump, make, parse


class WatchlistReadOnly(WatchlistError):
    """The file cannot be changed now (problems in it, a link, a newer version...)."""


class WatchlistStore:
    def __init__(self, corpus: Path | str) -> None:
        location = locate(corpus)
        self.corpus = location.corpus
        self.path: Path = location.path.with_name(FILENAME)
        self.lock_name = f".{FILENAME}.lock"
        self._folder = StoreFolder(self.path.parent, create=not location.in_corpus)
        self._lock = threading.RLock()
        self.watchlists: dict[str, Watchlist] = {}
        self.problems: list[str] = []  # each names the file and the line
        self.conflicts: list[dict[str, str]] = []  # kept by a git merge (briefing merge-file)
        self._base: dict[str, Watchlist] = {}
        self._base_data: bytes | None = None
        self.reload()

    @property
    def read_only(self) -> bool:
        return bool(self.problems)

    @property
    def error(self) -> str | None:
        """All the problems, one line each (None when there are none)."""
        return "\n".join(self.problems) if self.problems else None

    def close(self) -> None:
        self._folder.close()

    # -- reading
    def _read(self) -> bytes | None:
        return self._folder.read(self.path.name, MAX_BYTES)

    def reload(self) -> bool:
        """Read the file again; True when the watchlists changed."""
        with self._lock:
            before = dict(self.watchlists)
            self.problems = []
            try:
                data = self._read()
            except LinkRefused as exc:
                self._set({}, None, [f"{exc}; watchlists are not read from a link (replace it with the file itself)"])
                return before != self.watchlists
            except (FolderGone, UnsafeFileError) as exc:
                self._set({}, None, [f"{exc}; watchlists are off"])
                return before != self.watchlists
            except OSError as exc:
                self._set({}, None, [f"{self.path}: cannot be read ({exc.strerror or exc}); watchlists are off"])
                return before != self.watchlists
            if data is None:
                self._set({}, None, [])
                return before != self.watchlists
            parsed = parse(data)
            self.conflicts = list(parsed.conflicts)
            tail = ("; no watchlists are used" if parsed.whole_file else "; this entry is left out") + \
                " and the file is not changed by briefing until it is fixed"
            problems = [f"{self.path}: line {line}: {message}{tail}" for line, message in parsed.problems]
            self._set(parsed.watchlists, data, problems)
            return before != self.watchlists

    @property
    def conflict_notes(self) -> list[str]:
        """The conflicts a git merge kept in the file, in words (the file stays usable)."""
        return [f"{self.path}: {describe_conflict(c)}" for c in self.conflicts]

    def _set(self, watchlists: dict[str, Watchlist], data: bytes | None, problems: list[str]) -> None:
        self.watchlists = dict(watchlists)
        self._base = dict(watchlists)
        self._base_data = data
        self.problems = problems

    def get(self, name: str) -> Watchlist:
        """KeyError when there is no watchlist ``name``."""
        return self.watchlists[name.strip()]

    def names(self) -> list[str]:
        return sorted(self.watchlists, key=lambda n: (n.casefold(), n))

    # -- changing
    def add(self, name: str, query: str, tags: list[str] | tuple[str, ...] = (), *, replace: bool = False) -> Watchlist:
        """Save a new watchlist (WatchlistError: bad input, or the name is taken and
        ``replace`` is off; :class:`WatchlistReadOnly`: the file cannot be changed)."""
        made = make(name, query, tuple(tags))
        with self._lock:
            self._check_writable()
            if made.name in self.watchlists and not replace:
                raise WatchlistError(f"a watchlist named {made.name!r} exists already (remove it first)")
            wanted = {**self.watchlists, made.name: made}
            self._save(wanted)
        return made

    def remove(self, name: str) -> Watchlist:
        with self._lock:
            self._check_writable()
            key = name.strip()
            if key not in self.watchlists:
                raise KeyError(key)
            gone = self.watchlists[key]
            self._save({n: w for n, w in self.watchlists.items() if n != key})
        return gone

    def set_tags(self, name: str, tags: list[str] | tuple[str, ...]) -> Watchlist:
        """Change the automatic tags of a watchlist (none: it applies no tags)."""
        with self._lock:
            old = self.get(name)
            return self.add(old.name, old.query, tags, replace=True)

    def _check_writable(self) -> None:
        if self.problems:
            raise WatchlistReadOnly(self.problems[0])

    def _save(self, wanted: dict[str, Watchlist]) -> None:
        name = self.path.name
        try:
            if not self._folder.create:
                self._folder.check()
            with self._folder.locked(self.lock_name):
                self._folder.remove_stale_temps(name)
                current = self._read()
                merged = wanted
                if current != self._base_data and current is not None:
                    theirs = parse(current)
                    if theirs.problems:
                        line, message = theirs.problems[0]
                        self.problems = [f"{self.path}: line {line}: {message} (changed by another program); "
                                         "the file is not changed by briefing until it is fixed"]
                        raise WatchlistReadOnly(self.problems[0])
                    merged = merge(self._base, wanted, theirs.watchlists)
                    self.conflicts = list(theirs.conflicts)
                data = dump(merged, self.conflicts)
                back = parse(data)
                if back.problems or back.watchlists != merged:
                    raise WatchlistError(f"could not save {self.path}: the file would not read back as written; nothing was written")
                if data != current:
                    self._folder.replace(name, data)
        except WatchlistError:
            raise
        except (LinkRefused, FolderGone, LockTimeout, UnsafeFileError) as exc:
            raise WatchlistReadOnly(f"could not save {self.path}: {exc}") from None
        except OSError as exc:
            raise WatchlistError(f"could not save {self.path}: {exc.strerror or exc}") from None
        self._set(back.watchlists, data, [])


def merge(base: dict[str, Watchlist], ours: dict[str, Watchlist], theirs: dict[str, Watchlist]) -> dict[str, Watchlist]:
    """What is on disk (``theirs``) with this side's additions, changes and removals
    since ``base`` applied (a name both sides changed takes ours)."""
    out = dict(theirs)
    for name in set(base) | set(ours):
        if ours.get(name) == base.get(name):
            continue
        if name in ours:
            out[name] = ours[name]
        else:
            out.pop(name, None)
    return out


def open_watchlists(corpus: Path | str) -> WatchlistStore:
    return WatchlistStore(corpus)
