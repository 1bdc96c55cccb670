"""Issue 18: files of many articles (RSS/Atom feeds, JSON lines, mbox): one article
per item, ids ``file#key`` stable when the file is re-exported with items added,
removed or reordered, bad items named by line or item while the others load."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.corpus import ArticleError, find_article, open_corpus, parse_bytes
from briefing.corpus.items import MAX_ITEMS, MAX_LINE, read_feed, read_jsonl
from briefing.ids import item_id, split_item

from .makers import atom, eml, mbox, rss

TEXT = "Officials said the repairs would take two weeks. Residents were told to boil water."


def _rss_item(i: int, **extra: str) -> dict[str, str]:
    item = {"title": f"Story {i}", "link": f"https://wire.example/{i}", "guid": f"urn:wire:{i}",
            "pubDate": f"Mon, {i % 27 + 1:02d} Jan 2024 10:00:00 GMT", "description": f"<p>Story {i}. {TEXT}</p>"}
    item.update(extra)
    return item


def test_rss_items_are_articles_with_guid_ids(tmp_path):
    (tmp_path / "wire.rss").write_bytes(rss([_rss_item(1), _rss_item(2, author="desk@wire.example")], title="Wire"))
    corpus = open_corpus(tmp_path)
    assert sorted(m.id for m in corpus.articles) == ["wire.rss#urn:wire:1", "wire.rss#urn:wire:2"]
    meta = corpus.get("wire.rss#urn:wire:2")
    assert (meta.title, meta.date, meta.source, meta.url) == ("Story 2", dt.date(2024, 1, 3), "Wire", "https://wire.example/2")
    assert meta.path == str(tmp_path / "wire.rss")
    art = corpus.article("wire.rss#urn:wire:1")
    assert art.body.startswith("Story 1. Officials said") and "<p>" not in art.body


def test_atom_entries_with_links_authors_and_ids(tmp_path):
    data = atom([{"title": "Entry A", "id": "tag:blog,2024:a", "link": "https://blog.example/a", "author": "Ann Lee",
                  "published": "2024-02-03T10:00:00Z", "content": TEXT},
                 {"title": "Entry B", "link": "https://blog.example/b", "updated": "2024-02-04T10:00:00Z", "summary": TEXT}])
    (tmp_path / "blog.atom").write_bytes(data)
    corpus = open_corpus(tmp_path)
    a = corpus.get("blog.atom#tag:blog,2024:a")
    assert (a.author, a.date, a.url, a.source) == ("Ann Lee", dt.date(2024, 2, 3), "https://blog.example/a", "Blog")
    b = corpus.get("blog.atom#https://blog.example/b")  # no id: the link is the key
    assert b.date == dt.date(2024, 2, 4)


def test_feed_item_without_guid_or_link_is_keyed_by_a_hash_of_title_and_date():
    out = read_feed(rss([{"title": "No link", "pubDate": "Mon, 01 Jan 2024 10:00:00 GMT", "description": TEXT}]))
    assert out.items[0].key.startswith("sha-")
    again = read_feed(rss([_rss_item(5), {"title": "No link", "pubDate": "Mon, 01 Jan 2024 10:00:00 GMT", "description": TEXT}]))
    assert again.items[1].key == out.items[0].key


def test_a_hash_in_a_guid_round_trips_through_the_id(tmp_path):
    (tmp_path / "f.xml").write_bytes(rss([_rss_item(1, guid="https://x.example/page#frag")]))
    corpus = open_corpus(tmp_path)
    [meta] = corpus.articles
    assert split_item(meta.id) == ("f.xml", "https://x.example/page#frag")
    assert find_article(tmp_path, meta.id).meta.id == meta.id


def test_xml_that_is_not_a_feed_and_entity_bombs_are_refused(tmp_path):
    (tmp_path / "sitemap.xml").write_bytes(b'<?xml version="1.0"?><urlset><url><loc>https://a</loc></url></urlset>')
    laughs = ('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
              '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><rss><channel><item><title>&c;</title>'
              f"<description>{TEXT}</description></item></channel></rss>")
    (tmp_path / "laughs.rss").write_text(laughs)
    external = ('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss><channel><item>'
                f"<title>&x;</title><description>{TEXT}</description></item></channel></rss>")
    (tmp_path / "external.rss").write_text(external)
    (tmp_path / "broken.rss").write_text("<rss><channel><item><title>cut")
    (tmp_path / "ok.txt").write_text("Still here\n\nThe rest of the corpus loads.\n")
    corpus = open_corpus(tmp_path)
    problems = {p.id: p.message for p in corpus.problems}
    assert "not an RSS or Atom feed" in problems["sitemap.xml"]
    assert "entities" in problems["laughs.rss"] and "entities" in problems["external.rss"]
    assert "not well-formed" in problems["broken.rss"]
    assert [m.id for m in corpus.articles] == ["ok.txt"]


def test_feed_with_100000_items_is_cut_at_the_limit_in_bounded_time(tmp_path):
    one = "<item><guid>g{0}</guid><title>T{0}</title><description>Body {0} of the item.</description></item>"
    data = ('<?xml version="1.0"?><rss><channel><title>Big</title>' + "".join(one.format(i) for i in range(100_000))
            + "</channel></rss>").encode()
    (tmp_path / "big.xml").write_bytes(data)
    started = time.perf_counter()
    corpus = open_corpus(tmp_path)
    assert time.perf_counter() - started < 60
    assert len(corpus.articles) == MAX_ITEMS
    [problem] = corpus.problems
    assert problem.id == "big.xml" and f"100000 items; only the first {MAX_ITEMS}" in problem.message


def test_jsonl_fields_and_keys(tmp_path):
    lines = [
        {"id": "a1", "title": "Grid attacked", "date": "2024-03-01", "url": "https://ex.example/a", "text": TEXT,
         "author": "Jo Park", "source": "Ex News"},
        {"title": "No id", "published": "2024-03-02", "url": "https://ex.example/b", "body": TEXT},
        {"title": "No id, no url", "date": "2024-03-03", "content": "<p>" + TEXT + "</p>"},
        {"text": TEXT},
        {"id": 7, "text": TEXT, "url": "javascript:alert(1)"},
    ]
    (tmp_path / "dump.jsonl").write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    corpus = open_corpus(tmp_path)
    ids = {m.id for m in corpus.articles}
    assert "dump.jsonl#a1" in ids and "dump.jsonl#https://ex.example/b" in ids and "dump.jsonl#line 4" in ids
    assert "dump.jsonl#7" in ids
    assert any(i.startswith("dump.jsonl#sha-") for i in ids)
    a1 = corpus.get("dump.jsonl#a1")
    assert (a1.title, a1.date, a1.author, a1.source, a1.url) == ("Grid attacked", dt.date(2024, 3, 1), "Jo Park", "Ex News", "https://ex.example/a")
    assert corpus.get("dump.jsonl#7").url is None
    assert corpus.get("dump.jsonl#https://ex.example/b").source == "ex.example"


def test_invalid_json_on_line_3_of_1000_and_a_10_mb_line(tmp_path):
    lines = [json.dumps({"id": f"n{i}", "title": f"Item {i}", "text": f"Body {i}. {TEXT}"}) for i in range(1000)]
    lines[2] = '{"id": "n2", "title": broken'
    lines[500] = json.dumps({"id": "huge", "text": "x" * (10 * 1024 * 1024)})
    (tmp_path / "dump.jsonl").write_text("\n".join(lines))
    corpus = open_corpus(tmp_path)
    assert len(corpus.articles) == 998
    problems = {p.id: p.message for p in corpus.problems}
    assert problems["dump.jsonl#line 3"].startswith("line 3: not valid JSON")
    assert "line 501 is 10.0 MB" in problems["dump.jsonl#line 501"] and str(MAX_LINE // (1024 * 1024)) in problems["dump.jsonl#line 501"]


def test_jsonl_line_that_is_not_an_object_or_has_no_text():
    out = read_jsonl(b'[1, 2]\n{"title": "x"}\n"text"\n')
    assert [label for label, _m in out.problems] == ["line 1", "line 2", "line 3"]
    assert out.items == []


def test_an_empty_or_all_bad_jsonl_file(tmp_path):
    (tmp_path / "empty.jsonl").write_text("\n\n")
    (tmp_path / "bad.jsonl").write_text("nope\n")
    corpus = open_corpus(tmp_path)
    problems = {p.id: p.message for p in corpus.problems}
    assert "empty" in problems["empty.jsonl"] and "not valid JSON" in problems["bad.jsonl#line 1"]


def test_mbox_each_message_is_an_article(tmp_path):
    messages = [
        eml("First", "A <a@x.example>", "Mon, 04 Mar 2024 10:00:00 +0000", text="From the desk: power is back.\n\nMore later.",
            message_id="m1@x.example"),
        eml("Second", "B <b@y.example>", "Tue, 05 Mar 2024 10:00:00 +0000", text="Water is normal again."),
        b"Subject: broken\n\n",
    ]
    (tmp_path / "box.mbox").write_bytes(mbox(messages))
    corpus = open_corpus(tmp_path)
    ids = sorted(m.id for m in corpus.articles)
    assert ids[0] == "box.mbox#m1@x.example" and ids[1].startswith("box.mbox#sha-")
    first = corpus.article("box.mbox#m1@x.example")
    assert first.body.startswith("From the desk: power is back.")  # ">From " quoting undone
    assert first.meta.author == "A" and first.meta.date == dt.date(2024, 3, 4)
    [problem] = corpus.problems
    assert problem.id == "box.mbox#message 3" and "message 3 (line" in problem.message


def test_a_file_of_many_articles_named_without_an_item_is_not_an_article(tmp_path):
    (tmp_path / "d.jsonl").write_text(json.dumps({"id": "a", "text": TEXT}) + "\n")
    with pytest.raises(ArticleError):
        parse_bytes("d.jsonl", str(tmp_path / "d.jsonl"), (tmp_path / "d.jsonl").read_bytes())
    with pytest.raises(KeyError):
        find_article(tmp_path, "d.jsonl#nope")
    assert find_article(tmp_path, "d.jsonl#a").body == TEXT


# -- ids stay stable when the file is re-exported ---------------------------------------------

_keys = st.lists(st.text(alphabet="abcdefgh#/:. 0123456789", min_size=1, max_size=12).map(lambda k: " ".join(k.split())).filter(bool),
                 min_size=1, max_size=8, unique=True)


def _jsonl(objs: list[dict[str, str]]) -> bytes:
    return "\n".join(json.dumps(o) for o in objs).encode()


def _ids(kind: str, objs: list[dict[str, str]]) -> dict[str, str]:
    """id -> title of every article of a file made from ``objs``."""
    if kind == "jsonl":
        name, data = "d.jsonl", _jsonl(objs)
    else:
        name = "f.xml"
        data = rss([{k: v for k, v in (("guid", o.get("id")), ("link", o.get("url")), ("title", o["title"]),
                                         ("pubDate", o.get("date")), ("description", o["text"])) if v} for o in objs])
    from briefing.corpus.load import parse_items

    results, _problems = parse_items(name, name, data)
    return {meta.id: meta.title for _p, meta, _e in results}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(keys=_keys, kind=st.sampled_from(["jsonl", "feed"]), style=st.sampled_from(["id", "url", "hash"]),
       data=st.data())
def test_ids_survive_reordering_adding_and_removing_items(keys, kind, style, data):
    def obj(k: str) -> dict[str, str]:
        o = {"title": f"Title {k}", "text": f"Text about {k}. {TEXT}"}
        if style == "id":
            o["id"] = k
        elif style == "url":
            o["url"] = f"https://ex.example/{k.replace(' ', '_')}"
        else:
            o["date"] = "2024-03-01"
        return o

    before = _ids(kind, [obj(k) for k in keys])
    assert len(before) == len(keys)
    kept = data.draw(st.lists(st.sampled_from(keys), unique=True), label="kept")
    added = [f"new {i}" for i in range(data.draw(st.integers(0 if kept else 1, 3), label="added"))]
    order = data.draw(st.permutations(kept + added), label="order")
    after = _ids(kind, [obj(k) for k in order])
    by_title_before = {title: id_ for id_, title in before.items()}
    by_title_after = {title: id_ for id_, title in after.items()}
    for k in kept:
        assert by_title_after[f"Title {k}"] == by_title_before[f"Title {k}"]
    assert set(after) >= {by_title_before[f"Title {k}"] for k in kept}
    for id_ in after:
        file_id, key = split_item(id_)
        assert item_id(file_id, key) == id_


def test_reading_a_feeds_items_one_by_one_parses_the_file_once(tmp_path, monkeypatch):
    from briefing.corpus import load as load_mod

    (tmp_path / "wire.rss").write_bytes(rss([_rss_item(i) for i in range(1, 30)]))
    corpus = open_corpus(tmp_path)
    calls = []
    real = load_mod.parse_items
    monkeypatch.setattr(load_mod, "parse_items", lambda *a, **k: calls.append(1) or real(*a, **k))
    bodies = [corpus.article(m.id).body for m in corpus.articles]
    assert len(bodies) == 29 and all(b.startswith("Story ") for b in bodies)
    assert len(calls) == 1
    (tmp_path / "wire.rss").write_bytes(rss([_rss_item(i, description=f"<p>New {i}. {TEXT}</p>") for i in range(1, 3)]))
    assert corpus.article("wire.rss#urn:wire:2").body.startswith("New 2.")  # a changed file is read again
    with pytest.raises(ArticleError, match="no such item"):
        corpus.article("wire.rss#urn:wire:9")
