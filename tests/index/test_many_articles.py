"""Issue 18: the index holds many articles per file (feeds, JSON lines, mbox): a
full refresh, a cold build with worker processes, the paths update and the cache
all replace a changed file's items and drop removed items and files."""

from __future__ import annotations

import json
import os

import pytest

from briefing.corpus import open_corpus
from briefing.index import CorpusIndex, open_index
from briefing.index import refresh as refresh_mod
from briefing.index.incremental import apply_paths, update_corpus

from .conftest import make_corpus

TEXT = "Officials said repairs to the grid would take two weeks."


def write_feed(path, keys, text=TEXT):
    items = "".join(f"<item><guid>{k}</guid><title>Story {k}</title><link>https://wire.example/{k}</link>"
                    f"<pubDate>Mon, 0{k} Jan 2024 10:00:00 GMT</pubDate><description>{k}: {text}</description></item>"
                    for k in keys)
    path.write_text(f'<?xml version="1.0"?><rss><channel><title>Wire</title>{items}</channel></rss>')


def write_jsonl(path, keys, bad_line=False):
    lines = [json.dumps({"id": f"j{k}", "title": f"Dump {k}", "date": f"2023-05-0{k}", "text": f"{k}: {TEXT}"}) for k in keys]
    if bad_line:
        lines.insert(1, "{not json")
    path.write_text("\n".join(lines) + "\n")


@pytest.fixture(autouse=True)
def no_racy(monkeypatch):
    monkeypatch.setattr(refresh_mod, "RACY_WINDOW_NS", 0)


def ids(corpus):
    return sorted(m.id for m in corpus.articles)


def test_index_holds_every_item_with_its_url_and_matches_the_loader(tmp_path):
    root = tmp_path / "c"
    root.mkdir()
    write_feed(root / "wire.xml", [1, 2, 3])
    write_jsonl(root / "dump.jsonl", [1, 2], bad_line=True)
    (root / "a.txt").write_text("Plain headline\n\nSource: https://plain.example/a\n\nBody of the plain article.\n")
    corpus = open_index(root, workers=1)
    assert ids(corpus) == ["a.txt", "dump.jsonl#j1", "dump.jsonl#j2", "wire.xml#1", "wire.xml#2", "wire.xml#3"]
    assert corpus.articles == open_corpus(root).articles
    assert corpus.get("wire.xml#2").url == "https://wire.example/2"
    assert corpus.get("a.txt").url == "https://plain.example/a"
    assert [(p.id, p.message[:22]) for p in corpus.problems] == [("dump.jsonl#line 2", "line 2: not valid JSON")]
    assert corpus.article("wire.xml#3").body == f"3: {TEXT}"
    assert [h.id for h in corpus.search("grid 2")] != []
    again = open_index(root, workers=1)  # from the cache, unchanged
    assert again.stats.unchanged == 3 and again.articles == corpus.articles
    assert [p.id for p in again.problems] == ["dump.jsonl#line 2"]


def test_a_changed_feed_replaces_its_items_on_the_next_refresh(tmp_path):
    root = tmp_path / "c"
    root.mkdir()
    write_feed(root / "wire.xml", [1, 2, 3])
    write_jsonl(root / "dump.jsonl", [1, 2], bad_line=True)
    open_index(root, workers=1)
    write_feed(root / "wire.xml", [4, 3, 1])  # 2 removed, 4 added, order changed
    write_jsonl(root / "dump.jsonl", [1, 2])  # the bad line is gone
    corpus = open_index(root, workers=1)
    assert ids(corpus) == ["dump.jsonl#j1", "dump.jsonl#j2", "wire.xml#1", "wire.xml#3", "wire.xml#4"]
    assert corpus.problems == []
    assert corpus.articles == open_corpus(root).articles
    assert [h.id for h in corpus.search("2: officials")] == ["dump.jsonl#j2"]  # the dead feed item's words do not match
    (root / "wire.xml").unlink()
    corpus = open_index(root, workers=1)
    assert ids(corpus) == ["dump.jsonl#j1", "dump.jsonl#j2"]


def test_a_feed_that_becomes_unreadable_and_readable_again(tmp_path):
    root = tmp_path / "c"
    root.mkdir()
    write_feed(root / "wire.xml", [1, 2])
    open_index(root, workers=1)
    (root / "wire.xml").write_text("<rss><channel><item>cut")
    corpus = open_index(root, workers=1)
    assert corpus.articles == [] and [p.id for p in corpus.problems] == ["wire.xml"]
    write_feed(root / "wire.xml", [2])
    corpus = open_index(root, workers=1)
    assert ids(corpus) == ["wire.xml#2"] and corpus.problems == []


def test_cold_build_with_worker_processes_and_shards(tmp_path):
    root = tmp_path / "c"
    make_corpus(root, 500, seed=3)  # enough files for the worker pool
    write_feed(root / "2021" / "wire.xml", range(1, 10))
    write_jsonl(root / "zz.jsonl", [1, 2, 3])
    built = open_index(root, workers=2)
    expected = open_corpus(root).articles
    assert len(built.articles) == 500 + 9 + 3
    assert built.articles == expected
    cached = CorpusIndex(root, workers=2).snapshot()
    assert cached.articles == expected
    assert [h.id for h in cached.search("9: officials")] == ["2021/wire.xml#9"]


def test_paths_update_for_a_changed_feed(tmp_path):
    root = tmp_path / "c"
    root.mkdir()
    write_feed(root / "wire.xml", [1, 2, 3])
    (root / "a.txt").write_text("Plain headline\n\nBody of the plain article.\n")
    corpus = open_index(root, workers=1)
    index = CorpusIndex(root, workers=1)
    write_feed(root / "wire.xml", [3, 1, 4], text="Changed text of every story.")
    update = apply_paths(index, [root / "wire.xml"])
    assert [m.id for m in update.added] == ["wire.xml#4"]
    assert sorted(m.id for m in update.changed) == ["wire.xml#1", "wire.xml#3"]
    assert update.removed == ["wire.xml#2"]
    update_corpus(corpus, update)
    assert ids(corpus) == ["a.txt", "wire.xml#1", "wire.xml#3", "wire.xml#4"]
    assert corpus.articles == CorpusIndex(root, workers=1).snapshot().articles == open_corpus(root).articles
    unchanged = apply_paths(index, [root / "wire.xml"])
    assert unchanged.empty and unchanged.unchanged == 1
    os.unlink(root / "wire.xml")
    gone = apply_paths(index, [root / "wire.xml"])
    assert sorted(gone.removed) == ["wire.xml#1", "wire.xml#3", "wire.xml#4"]
    assert ids(CorpusIndex(root, workers=1).snapshot()) == ["a.txt"]


def test_paths_update_for_a_folder_holding_a_feed(tmp_path):
    root = tmp_path / "c"
    (root / "feeds").mkdir(parents=True)
    write_feed(root / "feeds" / "wire.xml", [1, 2])
    (root / "a.txt").write_text("Plain headline\n\nBody of the plain article.\n")
    open_index(root, workers=1)
    index = CorpusIndex(root, workers=1)
    (root / "feeds" / "other.txt").write_text("Other\n\nAnother plain article here.\n")
    update = apply_paths(index, [root / "feeds"])
    assert [m.id for m in update.added] == ["feeds/other.txt"] and update.removed == []
    assert "feeds/wire.xml#1" in {m.id for m in CorpusIndex(root, workers=1).snapshot().articles}
