"""Stories in the index cache: signatures by fingerprint, and the last grouping.

Three tables of our own in the corpus's index file
(:func:`briefing.index.store.cache_path`), created here and used by nobody else:

``story_meta(key, value)``
    ``schema`` (:data:`SCHEMA`), ``params`` (the signature settings the stored
    signatures were made with), ``groups`` (a digest of everything the stored
    grouping was computed from: the articles' ids, fingerprints and dates, the
    signature settings, threshold, date window and LSH settings) and ``quick``
    (the same settings with the index's record of its last walk and the analyst's
    dates, :func:`briefing.stories.columns.quick_key`: read back without reading
    the articles).
``story_signatures(pack, keys, sizes, sigs)``
    MinHash signatures of clean bodies, in packs: one row per batch stored (a few
    thousand signatures), holding each body's key (:func:`fingerprint_key`: 64 bits
    of its fingerprint, the sha256 of the body; uint64), its feature count (int32)
    and its signature (``bins`` uint16), all little-endian, packed end to end. An
    unchanged article is never read again, an edited one is signed again (a later
    pack wins), copies with one body share an entry. Loading a million signatures is
    a scan of a few hundred rows and numpy work, no Python per signature; bodies no
    article has any more are dropped when they are many (:data:`PRUNE_MIN`).
``story_groups(ord, members, scores)``
    The last grouping, one row per story in list order (``ord`` from 0): its
    members' ids, UTF-8 joined by NUL bytes, lead first; and each member's
    estimated similarity to the lead, float64 little-endian. Reading 100k stories
    back is one scan and a split per row, no per-article row.

It is a cache inside a cache. A missing index file means nothing is stored (the
grouping is computed in memory); a rebuilt index (a new file renamed over the old
one) has no story tables and they are recreated; tables from another schema, rows
that do not decode, or any SQLite error on our tables drop them and start again
(signatures of the first story schema, a row each, are moved into packs, not
dropped). The index's own tables are never written.
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

from briefing.index.store import is_busy
from briefing.stories.held import Packed

SCHEMA = "2"  # 2: story_groups (one row per story), signatures in packs (story_signatures)
BUSY_TIMEOUT_MS = 30_000

_TABLES = {
    "story_meta": "CREATE TABLE story_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
    "story_signatures": (
        "CREATE TABLE story_signatures(pack INTEGER PRIMARY KEY, keys BLOB NOT NULL, sizes BLOB NOT NULL,"
        " sigs BLOB NOT NULL)"
    ),
    "story_groups": "CREATE TABLE story_groups(ord INTEGER PRIMARY KEY, members BLOB NOT NULL, scores BLOB NOT NULL)",
}
_LEGACY = ("story_members",)  # tables of older schemas, dropped when met
_COLUMNS = {
    "story_meta": ["key", "value"],
    "story_signatures": ["pack", "keys", "sizes", "sigs"],
    "story_groups": ["ord", "members", "scores"],
}

Take = Callable[[np.ndarray, int, np.ndarray, np.ndarray], None]

PACK = 65536  # signatures per pack when packs are rewritten
PRUNE_MIN = 2000  # stored signatures no article has: dropped once more than this...
PRUNE_RATIO = 0.25  # ...or than this share of those stored



class StoryStore:
    """The story tables of one index file. Every method swallows SQLite trouble:
    reads then return nothing, writes are skipped (the caller recomputes)."""

    def __init__(self, path: Path, params: str) -> None:
        self.path = path
        self.params = params
        self.dropped = False  # tables were found bad and recreated (for tests and stats)
        self._conn: sqlite3.Connection | None = None
        self._last_error: BaseException | None = None  # of the last failed _write
        self.stored = 0  # signatures stored, as the last load_signatures found them
        self.used = 0  # how many of those it was asked for
        self.bad_packs = 0  # packs it found that do not decode

    # -- connection ---------------------------------------------------------------

    def open(self) -> bool:
        """Connect (never creating the index file) and make sure our tables are sound.
        False when there is no index file or it cannot be used."""
        if self._conn is not None:
            return True
        if not self.path.exists():
            return False
        try:
            conn = sqlite3.connect(f"{self.path.as_uri()}?mode=rw", uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
                                   check_same_thread=False)
        except sqlite3.Error:
            return False
        conn.isolation_level = None
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA synchronous = NORMAL")  # a cache: WAL without a sync per commit
            self._conn = conn
            self._prepare()
            return True
        except sqlite3.Error:
            self.close()
            return False

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(sqlite3.Error):
                conn.close()

    def __enter__(self) -> StoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _prepare(self) -> None:
        conn = self._conn
        assert conn is not None
        if self._sound():
            meta = self._meta()
            if meta.get("schema") == SCHEMA and meta.get("params") == self.params:
                return
            if meta.get("schema") == SCHEMA:  # other signature settings: signatures and groups go
                self._write(lambda c: (c.execute("DELETE FROM story_signatures"), c.execute("DELETE FROM story_groups"),
                                       c.execute("DELETE FROM story_meta"),
                                       c.executemany("INSERT INTO story_meta VALUES (?, ?)",
                                                     [("schema", SCHEMA), ("params", self.params)])))
                return
        same_params = self._meta().get("params") == self.params
        if same_params and self._legacy_signatures():
            self._write(self._migrate_signatures)  # story schema 1: one row per signature
        keep = same_params and self._sound(("story_signatures",))
        self._recreate(keep_signatures=keep)

    def _legacy_signatures(self) -> bool:
        assert self._conn is not None
        columns = [r[1] for r in self._conn.execute("PRAGMA table_info(story_signatures)")]
        return columns == ["fingerprint", "size", "sig"]

    def _migrate_signatures(self, conn: sqlite3.Connection) -> None:
        """Story schema 1's signatures (a row each) into packs, so an upgrade signs
        nothing again. Rows that do not decode are left behind."""
        conn.execute(_TABLES["story_signatures"].replace("story_signatures", "story_signatures_packs", 1))
        cursor = conn.execute("SELECT fingerprint, size, sig FROM story_signatures")
        while rows := cursor.fetchmany(PACK):
            good = [(fp, size, sig) for fp, size, sig in rows if isinstance(fp, str) and isinstance(size, int)
                    and 0 <= size < 2**31 and isinstance(sig, bytes) and len(sig) == len(rows[0][2])]
            if good:
                keys = fingerprint_keys([r[0] for r in good]).astype("<u8")
                sizes = np.fromiter((r[1] for r in good), dtype="<i4", count=len(good))
                conn.execute("INSERT INTO story_signatures_packs(keys, sizes, sigs) VALUES (?, ?, ?)",
                             (keys.tobytes(), sizes.tobytes(), b"".join(r[2] for r in good)))
        conn.execute("DROP TABLE story_signatures")
        conn.execute("ALTER TABLE story_signatures_packs RENAME TO story_signatures")

    def _sound(self, tables: tuple[str, ...] = tuple(_COLUMNS)) -> bool:
        """Our tables (or ``tables`` of them) exist with the expected columns."""
        conn = self._conn
        if conn is None:
            return False
        try:
            for table in tables:
                columns = _COLUMNS[table]
                found = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
                if found != columns:
                    return False
            return True
        except sqlite3.Error:
            return False

    def _recreate(self, keep_signatures: bool = False) -> None:
        """Drop whatever is under our table names and create them afresh (but keep
        sound signatures made with our settings: another story schema only changes
        how groups are stored)."""
        self.dropped = True

        def run(conn: sqlite3.Connection) -> None:
            for table in (*_TABLES, *_LEGACY):
                if keep_signatures and table == "story_signatures":
                    continue
                kind = conn.execute("SELECT type FROM sqlite_master WHERE name = ?", (table,)).fetchone()
                if kind is not None:
                    conn.execute(f"DROP {'VIEW' if kind[0] == 'view' else 'TABLE'} IF EXISTS {table}")
            for table, sql in _TABLES.items():
                if not (keep_signatures and table == "story_signatures"):
                    conn.execute(sql)
            conn.executemany("INSERT INTO story_meta VALUES (?, ?)", [("schema", SCHEMA), ("params", self.params)])

        self._write(run)

    def _write(self, action: Callable[[sqlite3.Connection], object]) -> bool:
        conn = self._conn
        if conn is None:
            return False
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                action(conn)
                conn.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                raise
            return True
        except sqlite3.Error as exc:
            self._last_error = exc
            return False

    def _meta(self) -> dict[str, str]:
        if self._conn is None:
            return {}
        try:
            return {str(k): str(v) for k, v in self._conn.execute("SELECT key, value FROM story_meta")}
        except sqlite3.Error:
            return {}

    # -- signatures ---------------------------------------------------------------

    def load_signatures(self, keys: np.ndarray, sigs: np.ndarray, sizes: np.ndarray) -> np.ndarray:
        """Fill ``sigs[k]`` and ``sizes[k]`` for each body key ``keys[k]`` (uint64, see
        :func:`fingerprint_key`) that has a sound stored entry; returns which were
        filled (a bool array). A pack that does not decode is ignored (its bodies are
        signed again). Sets :attr:`stored` and :attr:`used`: entries stored, and how
        many of them were asked for."""

        def take(dest: np.ndarray, pack: int, at: np.ndarray, pack_sigs: np.ndarray) -> None:
            sigs[dest] = pack_sigs[at]

        return self.scan_signatures(keys, sizes, sigs.shape[1], take)

    def scan_signatures(self, keys: np.ndarray, sizes: np.ndarray, bins: int, take: Take) -> np.ndarray:
        """As :meth:`load_signatures`, handing each pack's signatures to ``take(dest,
        pack, at, pack_sigs)`` instead of keeping them: body ``dest[j]`` has the entry
        at place ``at[j]`` of pack ``pack`` (its id, see :meth:`signatures_in`); packs
        come oldest first, so a later call's entry of a body is the one that holds.
        On an SQLite error every body is not found (``sizes`` 0) and ``take`` may
        have been called: the caller drops what it took."""
        found = np.zeros(len(keys), dtype=bool)
        self.stored = self.used = self.bad_packs = 0
        if self._conn is None or len(keys) == 0:
            return found
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        try:
            for pack, pack_keys, pack_sizes, pack_sigs in self._packs_with_ids(bins):
                pos = np.minimum(np.searchsorted(sorted_keys, pack_keys), len(keys) - 1)
                hit = sorted_keys[pos] == pack_keys
                dest = order[pos[hit]]
                at = np.flatnonzero(hit)
                take(dest, pack, at, pack_sigs)
                sizes[dest] = pack_sizes[hit]
                found[dest] = True
                self.stored += len(pack_keys)
                self.used += len(at)
        except sqlite3.Error as exc:
            self._reset_after_error(exc)
            sizes[:] = 0
            return np.zeros(len(keys), dtype=bool)
        return found

    def signatures_in(self, bins: int) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
        """``(pack, keys, sigs)`` of each sound pack, oldest first: a second read of what
        :meth:`scan_signatures` handed over (one statement: one snapshot of the table).
        Raises ``sqlite3.Error``."""
        for pack, pack_keys, _, pack_sigs in self._packs_with_ids(bins):
            yield pack, pack_keys, pack_sigs

    def _packs(self, bins: int) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """``(keys, sizes, sigs)`` of each sound pack, oldest first (the others are
        counted in :attr:`bad_packs`)."""
        for _, keys, sizes, sigs in self._packs_with_ids(bins):
            yield keys, sizes, sigs

    def _packs_with_ids(self, bins: int) -> Iterator[tuple[int, np.ndarray, np.ndarray, np.ndarray]]:
        """``(pack, keys, sizes, sigs)`` of each sound pack, oldest first."""
        assert self._conn is not None
        for pack, keys, sizes, sigs in self._conn.execute("SELECT pack, keys, sizes, sigs FROM story_signatures ORDER BY pack"):
            if not (isinstance(keys, bytes) and isinstance(sizes, bytes) and isinstance(sigs, bytes)):
                self.bad_packs += 1
                continue
            n = len(keys) // 8
            if len(keys) != 8 * n or len(sizes) != 4 * n or len(sigs) != 2 * bins * n:
                self.bad_packs += 1
                continue
            pack_sizes = np.frombuffer(sizes, dtype="<i4").astype(np.int64)
            if (pack_sizes < 0).any():
                self.bad_packs += 1
                continue
            yield (int(pack), np.frombuffer(keys, dtype="<u8").astype(np.uint64), pack_sizes,
                   np.frombuffer(sigs, dtype="<u2").reshape(n, bins).astype(np.uint16))

    def put_signatures(self, rows: list[tuple[str, int, bytes]]) -> bool:
        """Store ``(fingerprint, size, signature bytes)`` rows as one pack."""
        return not rows or self.put_pack(fingerprint_keys([r[0] for r in rows]), [r[1] for r in rows],
                                         b"".join(r[2] for r in rows)) is not None

    def put_pack(self, keys: np.ndarray, sizes: list[int], sigs: bytes) -> int | None:
        """Store one pack: body keys (uint64), feature counts and the signatures
        (``bins`` little-endian uint16 each, end to end). Its pack id (the entry of
        ``keys[j]`` is at place ``j`` of it, see :meth:`signatures_in`), None when
        it could not be stored."""
        data = (keys.astype("<u8").tobytes(), np.asarray(sizes, dtype="<i4").tobytes(), sigs)
        pack: list[int] = []

        def run(conn: sqlite3.Connection) -> None:
            cursor = conn.execute("INSERT INTO story_signatures(keys, sizes, sigs) VALUES (?, ?, ?)", data)
            assert cursor.lastrowid is not None  # (an INSERT into a rowid table)
            pack.append(int(cursor.lastrowid))

        if not self._write(run):
            self._reset_after_error(self._last_error)
            return None
        return pack[0]

    @property
    def connection(self) -> sqlite3.Connection | None:
        """The open connection to the index file (None before :meth:`open`)."""
        return self._conn

    def prune_signatures(self, keep: np.ndarray, bins: int) -> bool:
        """Drop the signatures of bodies not in ``keep`` (keys) when the last
        :meth:`load_signatures` found more than :data:`PRUNE_MIN` or
        :data:`PRUNE_RATIO` of the stored ones unused, or a pack that does not decode:
        every pack is rewritten, keeping the newest entry of each body. True when it did."""
        dead = self.stored - self.used
        many = dead > 0 and (dead > PRUNE_MIN or dead > PRUNE_RATIO * self.stored)
        if self._conn is None or not (many or self.bad_packs):
            return False
        wanted = np.unique(keep)

        def run(conn: sqlite3.Connection) -> None:
            parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
            for pack_keys, pack_sizes, pack_sigs in self._packs(bins):
                live = np.isin(pack_keys, wanted)
                parts.append((pack_keys[live], pack_sizes[live], pack_sigs[live]))
            conn.execute("DELETE FROM story_signatures")
            if not parts:
                return
            keys = np.concatenate([p[0] for p in parts])
            sizes = np.concatenate([p[1] for p in parts])
            sigs = np.concatenate([p[2] for p in parts])
            del parts
            # The newest entry of each body: the last one in pack order.
            last = len(keys) - 1 - np.unique(keys[::-1], return_index=True)[1]
            keys, sizes, sigs = keys[last], sizes[last], sigs[last]
            for start in range(0, len(keys), PACK):
                end = start + PACK
                conn.execute("INSERT INTO story_signatures(keys, sizes, sigs) VALUES (?, ?, ?)",
                             (keys[start:end].astype("<u8").tobytes(), sizes[start:end].astype("<i4").tobytes(),
                              sigs[start:end].astype("<u2").tobytes()))

        return self._write(run)

    # -- groups -------------------------------------------------------------------

    def groups(self, *, digest: str | None = None, quick: str | None = None) -> Packed | None:
        """The stored grouping, stories in list order, if it was computed from
        ``digest`` (of every article) or under ``quick`` (the quick key of
        :func:`briefing.stories.columns.quick_key`); else None (also when a row does
        not decode). Packed as it is read (no object per member)."""
        if self._conn is None:
            return None
        meta = self._meta()
        if not ((digest is not None and meta.get("groups") == digest) or (quick is not None and meta.get("quick") == quick)):
            return None
        parts: list[bytes] = []
        sizes: list[int] = [0]
        scores: list[bytes] = []
        try:
            for _, members, member_scores in self._conn.execute("SELECT ord, members, scores FROM story_groups ORDER BY ord"):
                if not (isinstance(members, bytes) and isinstance(member_scores, bytes)):
                    return None
                count = members.count(0) + 1
                if count < 2 or len(member_scores) != 8 * count or members.startswith(b"\0") \
                        or members.endswith(b"\0") or b"\0\0" in members:
                    return None
                members.decode("utf-8", "surrogatepass")  # raises when it does not decode
                parts.append(members)
                sizes.append(count)
                scores.append(member_scores)
        except UnicodeDecodeError:
            return None
        except sqlite3.Error as exc:
            self._reset_after_error(exc)
            return None
        buf = b"\0".join(parts) + (b"\0" if parts else b"")
        return Packed(buf, np.cumsum(np.array(sizes, dtype=np.int64)), np.frombuffer(b"".join(scores), dtype="<f8").astype(np.float64))

    def remember_quick(self, quick: str) -> bool:
        """Record that the stored grouping also holds under the quick key ``quick``
        (found equal through the full digest)."""
        return self._write(lambda c: c.execute("INSERT OR REPLACE INTO story_meta VALUES ('quick', ?)", (quick,)))

    def put_groups(self, digest: str, quick: str | None, packed: Packed) -> bool:
        """Store a grouping (stories in list order) with the digest and quick key of
        what it was computed from."""
        ends = np.flatnonzero(np.frombuffer(packed.buf, dtype=np.uint8) == 0)  # each member's NUL
        bounds = np.asarray(packed.bounds, dtype=np.int64)
        scores = np.asarray(packed.scores, dtype="<f8")
        # Each story's bytes: from after the NUL before its first member to its last member's NUL.
        first_byte = np.where(bounds[:-1] > 0, ends[np.maximum(bounds[:-1] - 1, 0)] + 1, 0).tolist() if len(ends) else []
        last_byte = ends[bounds[1:] - 1].tolist() if len(ends) else []
        del ends
        member_bounds = bounds.tolist()

        def rows() -> Iterator[tuple[int, bytes, bytes]]:
            for k in range(len(member_bounds) - 1):
                lo, hi = member_bounds[k], member_bounds[k + 1]
                yield k, packed.buf[first_byte[k] : last_byte[k]], scores[lo:hi].tobytes()

        def run(conn: sqlite3.Connection) -> None:
            conn.execute("DELETE FROM story_groups")
            conn.executemany("INSERT INTO story_groups VALUES (?, ?, ?)", rows())
            conn.execute("INSERT OR REPLACE INTO story_meta VALUES ('groups', ?)", (digest,))
            conn.execute("DELETE FROM story_meta WHERE key = 'quick'")
            if quick is not None:
                conn.execute("INSERT INTO story_meta VALUES ('quick', ?)", (quick,))

        ok = self._write(run)
        if not ok:
            self._reset_after_error(self._last_error)
        return ok

    def _reset_after_error(self, exc: BaseException | None) -> None:
        """A read or write on our tables failed: try once to start them again, unless
        another process only held a lock (its refresh ends; the signatures stay)."""
        if self._conn is None or is_busy(exc):
            return
        try:
            self._recreate()
        except sqlite3.Error:
            self.close()


_HEX = np.full(256, -1, dtype=np.int64)
_HEX[np.frombuffer(b"0123456789", dtype=np.uint8)] = np.arange(10)
_HEX[np.frombuffer(b"abcdef", dtype=np.uint8)] = np.arange(10, 16)
_SHIFTS = np.arange(60, -1, -4, dtype=np.uint64)


def fingerprint_keys(fingerprints: list[str]) -> np.ndarray:
    """:func:`fingerprint_key` of each of ``fingerprints`` (uint64), with numpy work
    for ``sha256:<hex>`` ones (no Python per fingerprint beyond one join)."""
    n = len(fingerprints)
    out = np.zeros(n, dtype=np.uint64)
    joined = "".join(fingerprints).encode("utf-8", "surrogatepass")
    if n == 0 or len(joined) != 71 * n:  # not all the usual length: one at a time
        return np.fromiter((fingerprint_key(fp) for fp in fingerprints), dtype=np.uint64, count=n)
    table = np.frombuffer(joined, dtype=np.uint8).reshape(n, 71)
    nibbles = _HEX[table[:, 55:]]
    good = (table[:, :7] == np.frombuffer(b"sha256:", dtype=np.uint8)).all(axis=1) & (nibbles >= 0).all(axis=1)
    out[good] = np.bitwise_or.reduce(nibbles[good].astype(np.uint64) << _SHIFTS, axis=1)
    for k in np.flatnonzero(~good).tolist():
        out[k] = fingerprint_key(fingerprints[k])
    return out


def fingerprint_key(fingerprint: str) -> int:
    """64 bits naming a body: the last 16 hex digits of a ``sha256:<hex>``
    fingerprint, else a blake2b hash of it. Two bodies share a key by chance with
    probability about ``n**2 / 2**65`` (3e-8 for a million bodies)."""
    if len(fingerprint) == 71 and fingerprint.startswith("sha256:"):
        with contextlib.suppress(ValueError):
            return int(fingerprint[-16:], 16)
    digest = hashlib.blake2b(fingerprint.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little")
