"""Cold builds: full-text shards written by worker processes, a build that dies half
way, shards that do not belong to the cache, dead full-text entries."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap

import pytest

import briefing.index.refresh as refresh_mod
import briefing.index.store as store_mod
from briefing.corpus import open_corpus
from briefing.index import CorpusIndex, cache_path, open_index
from briefing.index.workers import ShardFailed

from .conftest import age, make_corpus
from .test_search import ref_search

QUERIES = ["power", "grid power", "the", "cafe", "e-mail", "covid-19", "pow", "gri", "energy min", "zzz",
           "police court ruling", "kyiv strike", "2023", "g7"]


@pytest.fixture
def sharded(monkeypatch):
    """Make a small corpus take the parallel path: two workers, each writing a shard."""
    monkeypatch.setattr(refresh_mod, "FIRST_BATCH", 8)
    monkeypatch.setattr(refresh_mod, "BATCH", 12)
    monkeypatch.setattr(refresh_mod, "POOL_THRESHOLD", 1)


def shard_files(root) -> list[str]:
    path = cache_path(root)
    return sorted(p.name[len(path.name):] for p in path.parent.glob(path.name + ".fts*"))


def check_searches(indexed, loaded, queries=QUERIES) -> None:
    for query in queries:
        expected = ref_search(loaded, query)
        assert indexed.match_ids(query) == expected, query
        assert [h.id for h in indexed.search(query, limit=None)] == expected, query
        assert [h.id for h in indexed.search(query, limit=7)] == expected[:7], query
        assert indexed.count(query) == len(expected), query


def test_sharded_build_gives_what_brute_force_gives(tmp_path, sharded):
    root = tmp_path / "c"
    make_corpus(root, 90, seed=3)
    indexed = open_index(root, workers=2)
    assert shard_files(root) == [".fts0", ".fts1"]
    loaded = open_corpus(root)
    assert indexed.articles == loaded.articles
    check_searches(indexed, loaded)
    # The three full-text tables each hold part of the corpus, none all of it.
    conn = sqlite3.connect(cache_path(root))
    try:
        in_main = conn.execute("SELECT count(*) FROM search_docsize").fetchone()[0]
    finally:
        conn.close()
    assert 0 < in_main < 90


def test_changes_after_a_sharded_build(tmp_path, sharded):
    root = tmp_path / "c"
    paths = make_corpus(root, 90, seed=4)
    for path in paths:
        age(path)
    open_index(root, workers=2)
    changed, deleted = paths[30], paths[50]
    changed.write_text("Zebra crossing\n\nA quokka walked over the zebra crossing.\n", encoding="utf-8")
    deleted.unlink()
    (root / "new.txt").write_text("Walrus news\n\nA walrus and a quokka.\n", encoding="utf-8")
    indexed = open_index(root, workers=2)
    assert (indexed.stats.new, indexed.stats.changed, indexed.stats.deleted) == (1, 1, 1)
    loaded = open_corpus(root)
    assert indexed.articles == loaded.articles
    # The old words of the changed and deleted files (dead entries in a shard) no longer match.
    check_searches(indexed, loaded, QUERIES + ["quokka", "zebra", "walrus", "30", "50", "90"])
    assert [h.id for h in indexed.search("quokka")] == ref_search(loaded, "quokka")
    assert len(indexed.search("quokka")) == 2


def test_a_stopped_sharded_build_keeps_what_it_can_and_resumes(tmp_path, sharded):
    root = tmp_path / "c"
    make_corpus(root, 90)
    batches = []
    index = CorpusIndex(root, workers=2)
    stats = index.refresh(on_batch=batches.append, should_stop=lambda: len(batches) >= 3)
    assert stats.stopped
    kept = index.snapshot()
    # What a worker indexed into its (dropped, half-written) shard is not kept.
    assert len(kept.articles) == 8 and shard_files(root) == []
    assert kept.match_ids("the") == [m.id for m in kept.articles if m.id in set(kept.match_ids("the"))]
    resumed = open_index(root, workers=2)
    assert resumed.stats.new == 82
    loaded = open_corpus(root)
    assert resumed.articles == loaded.articles
    check_searches(resumed, loaded, ["power", "the", "gri"])


def test_a_build_killed_half_way_leaves_no_trusted_cache(tmp_path):
    root = tmp_path / "c"
    make_corpus(root, 120)
    script = textwrap.dedent(f"""
        import os
        import briefing.index.refresh as r
        r.FIRST_BATCH, r.BATCH = 10, 20
        real = r.Refresher._apply
        calls = []
        def dying(self, *args, **kwargs):
            calls.append(1)
            if len(calls) == 3:
                os._exit(9)  # no cleanup at all, as with a power cut or kill -9
            return real(self, *args, **kwargs)
        r.Refresher._apply = dying
        from briefing.index import open_index
        open_index({str(root)!r})
    """)
    done = subprocess.run([sys.executable, "-c", script], check=False)
    assert done.returncode == 9
    path = cache_path(root)
    assert not path.exists() and store_mod.build_path(path).exists()
    assert CorpusIndex(root).head(10) == []  # the half build is not read
    indexed = open_index(root)
    assert indexed.articles == open_corpus(root).articles
    assert not store_mod.build_path(path).exists()
    check_searches(indexed, open_corpus(root), ["power", "gri"])


@pytest.mark.parametrize("damage", ["other build", "missing shard", "not finished"])
def test_a_shard_that_does_not_belong_is_not_trusted(tmp_path, sharded, damage):
    root = tmp_path / "c"
    make_corpus(root, 60)
    open_index(root, workers=2)
    shard = store_mod.shard_path(cache_path(root), 1)
    if damage == "missing shard":
        shard.unlink()
    else:
        conn = sqlite3.connect(shard)
        key, value = ("build", "another") if damage == "other build" else ("complete", "0")
        conn.execute("UPDATE meta SET value = ? WHERE key = ?", (value, key))
        conn.commit()
        conn.close()
    assert CorpusIndex(root).head(5) == []
    again = open_index(root, workers=2)
    assert again.stats.rebuilt and again.stats.new == 60
    loaded = open_corpus(root)
    assert again.articles == loaded.articles
    check_searches(again, loaded, ["power", "the"])


def test_too_many_dead_entries_rebuild_the_cache(corpus_dir, monkeypatch):
    monkeypatch.setattr(store_mod, "MAX_DEAD", 3)
    monkeypatch.setattr(store_mod, "DEAD_RATIO", 0.05)
    paths = sorted(corpus_dir.rglob("*.txt"))
    for path in paths:
        age(path)
    open_index(corpus_dir)
    for path in paths[:2]:
        path.write_text("Short\n\nA changed article.\n", encoding="utf-8")
    assert not open_index(corpus_dir).stats.rebuilt  # 2 dead entries: tolerated
    for path in paths[2:6]:
        path.write_text("Short\n\nAnother changed article.\n", encoding="utf-8")
    assert not open_index(corpus_dir).stats.rebuilt  # written now; judged at the next open
    again = open_index(corpus_dir)
    assert again.stats.rebuilt and again.stats.new == 60
    conn = sqlite3.connect(cache_path(corpus_dir))
    try:
        assert conn.execute("SELECT count(*) FROM search_docsize").fetchone()[0] == 60
    finally:
        conn.close()
    check_searches(again, open_corpus(corpus_dir), ["changed", "article", "power"])


def test_a_dying_shard_worker_means_a_build_without_shards(tmp_path, sharded, monkeypatch):
    root = tmp_path / "c"
    make_corpus(root, 60)
    real = refresh_mod.parse_parallel

    def failing(root_, chunks, workers, first=None, shards=None):
        if shards is not None:
            yield from real(root_, chunks[:1], workers, first, shards)
            raise ShardFailed("worker died")
        yield from real(root_, chunks, workers, first, shards)

    monkeypatch.setattr(refresh_mod, "parse_parallel", failing)
    listed = []
    indexed = open_index(root, workers=2, on_batch=listed.extend)
    assert shard_files(root) == []
    assert sorted(m.id for m in listed) == sorted(m.id for m in indexed.articles)  # each once
    loaded = open_corpus(root)
    assert indexed.articles == loaded.articles
    check_searches(indexed, loaded, ["power", "the", "gri"])


def test_rowids_are_never_reused(tmp_path):
    """A dead full-text entry keeps its rowid: a new article of the same date must not
    take it, or the dead entry's words would find the new article."""
    root = tmp_path / "c"
    root.mkdir()
    (root / "a.txt").write_text("Aardvark day\n\ndate 2021-05-05 An aardvark was seen.\n", encoding="utf-8")
    (root / "z.txt").write_text("Other\n\ndate 2020-01-01 Nothing to see.\n", encoding="utf-8")
    assert [h.id for h in open_index(root).search("aardvark")] == ["a.txt"]
    (root / "a.txt").unlink()
    assert open_index(root).search("aardvark") == []
    (root / "b.txt").write_text("Badger day\n\ndate 2021-05-05 A badger was seen.\n", encoding="utf-8")
    indexed = open_index(root)
    assert [m.id for m in indexed.articles] == ["b.txt", "z.txt"]
    assert indexed.search("aardvark") == [] and indexed.count("aardvark") == 0
    assert [h.id for h in indexed.search("badger")] == ["b.txt"]


def test_snippets_and_bodies_come_from_the_files(corpus_dir):
    """The index stores no text: a body (and a snippet) is read from the file, and a
    file changed since the index was refreshed shows its new text, not a stale copy."""
    target = corpus_dir / "note.txt"
    target.write_text("Walrus note\n\nThe walrus ate the fish at noon.\n", encoding="utf-8")
    indexed = open_index(corpus_dir)
    (hit,) = indexed.search("walrus fish")
    assert "walrus ate the fish" in hit.snippet
    assert indexed.body("note.txt") == "The walrus ate the fish at noon."
    target.write_text("Walrus note\n\nThe walrus ate the fish at midnight, much later.\n", encoding="utf-8")
    assert indexed.body("note.txt") == "The walrus ate the fish at midnight, much later."
    (hit,) = indexed.search("walrus fish")
    assert "midnight" in hit.snippet
    target.unlink()
    assert indexed.body("note.txt") == ""
    with pytest.raises(KeyError):
        indexed.body("no/such.txt")


def test_an_unchanged_walk_skips_the_comparison_but_never_misses_a_change(corpus_dir, monkeypatch):
    """When the walk equals the one the last complete refresh stored (digest), the
    file-by-file comparison is skipped; any difference takes the exact path."""
    monkeypatch.setattr(refresh_mod, "RACY_WINDOW_NS", 0)  # nothing racy: the digest is stored
    compared = []
    real = refresh_mod.Refresher._stored
    monkeypatch.setattr(refresh_mod.Refresher, "_stored", lambda self: compared.append(1) or real(self))
    open_index(corpus_dir)
    compared.clear()
    again = open_index(corpus_dir)
    assert compared == [] and again.stats.unchanged == 60
    assert again.articles == open_corpus(corpus_dir).articles
    paths = sorted(corpus_dir.rglob("*.txt"))
    paths[0].write_text(paths[0].read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    paths[1].unlink()
    paths[2].rename(corpus_dir / "moved.txt")
    changed = open_index(corpus_dir)
    assert compared == [1]
    assert (changed.stats.changed, changed.stats.deleted, changed.stats.renamed) == (1, 1, 1)
    assert changed.articles == open_corpus(corpus_dir).articles
    assert open_index(corpus_dir).stats.unchanged == 59 and compared == [1]


def test_a_racy_or_stopped_refresh_stores_no_digest(tmp_path, monkeypatch):
    root = tmp_path / "c"
    make_corpus(root, 100)
    monkeypatch.setattr(refresh_mod, "BATCH", 30)
    monkeypatch.setattr(refresh_mod, "FIRST_BATCH", 10)

    def digest():
        conn = sqlite3.connect(cache_path(root))
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'scan'").fetchone()
        finally:
            conn.close()
        return row[0] if row else None

    open_index(root)
    assert digest() is None  # just written files are racy: hashed again next time
    monkeypatch.setattr(refresh_mod, "RACY_WINDOW_NS", 0)
    open_index(root)
    assert digest() is not None
    for path in sorted(root.rglob("*.txt"))[:50]:
        path.write_text("Changed\n\nchanged text.\n", encoding="utf-8")
    batches = []
    CorpusIndex(root).refresh(on_batch=batches.append, should_stop=lambda: len(batches) >= 1)
    assert digest() is None
    resumed = open_index(root)
    assert resumed.articles == open_corpus(root).articles and digest() is not None


def test_the_list_a_cold_build_keeps_is_the_list_the_cache_gives(tmp_path, sharded):
    """A cold build hands its own rows to snapshot() (no read back): same order (many
    articles of one date, undated ones, odd names) as the cache and the loader give."""
    root = tmp_path / "c"
    root.mkdir()
    names = [f"{n:03d}.txt" for n in range(40)] + ["B.txt", "a.txt", "a b.txt", "é.txt", "z/0.txt", "z.txt"]
    for i, name in enumerate(names):
        (root / name).parent.mkdir(exist_ok=True)
        dated = i % 3 != 0
        text = f"Title {i}\n\n" + ("date 2021-01-01 " if dated else "") + f"Body {i} about the grid.\n"
        (root / name).write_text(text, encoding="utf-8")
    indexed = open_index(root, workers=2)
    loaded = open_corpus(root)
    assert indexed.articles == loaded.articles
    assert CorpusIndex(root).snapshot().articles == loaded.articles
    check_searches(indexed, loaded, ["grid", "title", "body 4"])


def test_cache_files_lists_the_main_file_and_its_shards(tmp_path, sharded):
    root = tmp_path / "c"
    make_corpus(root, 60)
    index = CorpusIndex(root, workers=2)
    assert index.cache_files() == []
    index.refresh()
    path = cache_path(root)
    names = [p.name for p in index.cache_files()]
    assert names[0] == path.name and sorted(names[-2:]) == [path.name + ".fts0", path.name + ".fts1"]
    index.clear()
    assert index.cache_files() == []


def test_a_cold_build_stores_the_digest_of_the_walk_the_next_open_sees(tmp_path, sharded, monkeypatch):
    """A cold build takes each file's stat from the read (no stat in its walk): the
    walk digest it stores must still equal the next open's, workers or not."""
    monkeypatch.setattr(refresh_mod, "RACY_WINDOW_NS", 0)
    root = tmp_path / "c"
    make_corpus(root, 90, seed=4)
    (root / "broken.txt").write_bytes(b"")  # a problem row has a stat too
    compared = []
    real = refresh_mod.Refresher._stored
    monkeypatch.setattr(refresh_mod.Refresher, "_stored", lambda self: compared.append(1) or real(self))
    built = open_index(root, workers=2)
    assert shard_files(root) == [".fts0", ".fts1"] and built.stats.files == 91
    again = open_index(root, workers=2)
    assert compared == [] and again.stats.unchanged == 91
    assert again.articles == open_corpus(root).articles
    assert [p.id for p in again.problems] == ["broken.txt"]


def test_a_file_gone_between_the_walk_and_its_read(tmp_path, sharded, monkeypatch):
    """Listed by a cold build's walk, deleted before a worker reads it: a walk
    problem (as a walk that stats reports it), not an article, not a stored problem;
    the next open, which does not list it, trusts the build's digest."""
    monkeypatch.setattr(refresh_mod, "RACY_WINDOW_NS", 0)
    root = tmp_path / "c"
    paths = make_corpus(root, 60, seed=5)
    doomed = paths[17]
    real_scan = refresh_mod.scan

    def scan_then_delete(*args, **kwargs):
        found = real_scan(*args, **kwargs)
        if doomed.exists():
            doomed.unlink()
        return found

    monkeypatch.setattr(refresh_mod, "scan", scan_then_delete)
    reported = []
    index = CorpusIndex(root, workers=2)
    stats = index.refresh(on_problem=reported.append)
    corpus = index.snapshot()
    doomed_id = doomed.relative_to(root).as_posix()
    assert [(p.id, p.message) for p in reported] == [
        (doomed_id, "cannot be examined (no such file or directory); skipped")]
    assert reported == corpus.problems
    assert (stats.files, stats.new) == (59, 59)
    assert corpus.articles == open_corpus(root).articles and len(corpus.articles) == 59
    monkeypatch.setattr(refresh_mod, "scan", real_scan)
    again = open_index(root, workers=2)
    assert again.stats.unchanged == 59 and again.problems == [] and again.articles == corpus.articles
