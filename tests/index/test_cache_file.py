"""A cache that cannot be trusted is rebuilt silently; two processes share one safely."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pytest

from briefing.corpus import open_corpus
from briefing.index import cache_path, open_index
from briefing.index.store import SCHEMA_VERSION


def _damage_garbage(path):
    path.write_bytes(b"this is not a database at all " * 500)


def _damage_truncate(path):
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def _damage_version(path):
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()


def _damage_parser(path):
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value = 'another parser' WHERE key = 'parser'")
    conn.commit()
    conn.close()


def _damage_other_root(path):
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value = '/somewhere/else' WHERE key = 'root'")
    conn.commit()
    conn.close()


def _damage_fts(path):
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM search_idx")
    conn.execute("UPDATE search_data SET block = x'00ff00ff' WHERE id > 1")
    conn.commit()
    conn.close()


def _damage_missing_table(path):
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE problems")
    conn.commit()
    conn.close()


DAMAGES = [_damage_garbage, _damage_truncate, _damage_version, _damage_parser, _damage_other_root,
           _damage_fts, _damage_missing_table]


def _settle(path):
    """Fold the WAL into the database file so damage to the file is damage to the data."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()


@pytest.mark.parametrize("damage", DAMAGES, ids=lambda f: f.__name__.removeprefix("_damage_"))
def test_untrustworthy_cache_is_rebuilt(corpus_dir, damage):
    first = open_index(corpus_dir)
    first_articles = list(first.articles)  # read now: a corpus reads its rows from the cache damaged below
    first.close()  # (its connection: a search below opens another)
    path = cache_path(corpus_dir)
    _settle(path)
    damage(path)
    again = open_index(corpus_dir)
    assert again.stats.rebuilt
    assert again.stats.new == 60
    assert again.articles == open_corpus(corpus_dir).articles == first_articles
    assert [h.id for h in again.search("power grid", limit=None)] == [h.id for h in first.search("power grid", limit=None)]


def test_cache_damaged_after_opening_is_rebuilt_on_search(corpus_dir):
    indexed = open_index(corpus_dir)
    expected = [h.id for h in indexed.search("energy", limit=None)]
    assert expected
    indexed.close()
    path = cache_path(corpus_dir)
    _settle(path)
    _damage_garbage(path)
    assert [h.id for h in indexed.search("energy", limit=None)] == expected


def test_each_folder_has_its_own_cache(tmp_path):
    from .conftest import make_corpus

    a, b = tmp_path / "a", tmp_path / "b"
    make_corpus(a, 5, seed=1)
    make_corpus(b, 7, seed=2)
    assert cache_path(a) != cache_path(b)
    assert len(open_index(a).articles) == 5
    assert len(open_index(b).articles) == 7
    assert len(open_index(a).articles) == 5


_OPEN = (
    "import json, sys\n"
    "from briefing.index import open_index\n"
    "c = open_index(sys.argv[1])\n"
    "print(json.dumps([len(c.articles), [h.id for h in c.search('power', limit=None)]]))\n"
)


def test_two_processes_opening_at_once(corpus_dir):
    procs = [
        subprocess.Popen([sys.executable, "-c", _OPEN, str(corpus_dir)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    for proc, (_out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
    results = [json.loads(out) for out, _ in outputs]
    assert results[0] == results[1]
    assert results[0][0] == 60
    indexed = open_index(corpus_dir)
    assert not indexed.stats.rebuilt and indexed.stats.new == 0
    assert indexed.articles == open_corpus(corpus_dir).articles
    conn = sqlite3.connect(cache_path(corpus_dir))
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 60
    assert conn.execute("SELECT count(*) FROM search").fetchone()[0] == 60
