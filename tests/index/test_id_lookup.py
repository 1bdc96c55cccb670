"""Typed ids resolved from the index (briefing.listing.idlookup): the same decision as
over the ids of a walk, and ``show``/``tag`` with a prefix never walk a fresh index."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.cli import main
from briefing.corpus.discover import discover
from briefing.ids import match_typed
from briefing.index import open_index
from briefing.listing.idlookup import all_ids, typed_id_candidates
from briefing.listing.stream import connect

BODY = "The grid operator said power was restored to most homes by the evening.\n"
NAMES = ["2024/03/001_abc.txt", "2024/03/002_Abd.md", "2024/04/010_abc.txt", "sub/old_piece.md", "month_old.md",
         "Straße_ß.txt", "café_K.txt", "a#b.txt", "50%_off.txt", "under_score.txt", "x/y/Z_last.txt"]


def write(root, names=NAMES):
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"Title of {name}\n\n{BODY}", encoding="utf-8")
    (root / "dump.jsonl").write_text("\n".join(json.dumps({"id": k, "title": k, "text": BODY}) for k in ("k1", "k#2")) + "\n")
    (root / "bad.html").write_bytes(b"")  # not an article: a problem, still a file a user may name


@pytest.fixture(scope="module")
def indexed(tmp_path_factory):
    root = tmp_path_factory.mktemp("ids")
    write(root)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BRIEFING_CACHE_DIR", str(tmp_path_factory.mktemp("idscache")))
        corpus = open_index(root, workers=1)
        yield root, corpus
        corpus.close()


def outcome(match):
    return match.id, set(match.candidates), match.how if (match.id or match.candidates) else None


typed_texts = st.one_of(
    st.sampled_from(NAMES + ["dump.jsonl", "bad.html"]).flatmap(
        lambda n: st.tuples(st.integers(0, len(n)), st.integers(0, len(n)), st.booleans()).map(
            lambda t: (n[min(t[0], t[1]):max(t[0], t[1])]).upper() if t[2] else n[min(t[0], t[1]):max(t[0], t[1])])),
    st.sampled_from(["ss", "STRASSE", "k", "%", "_", "\\", "#", "k#2", "dump.jsonl#k1", "zzz", "é", "ABC"]),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(typed=typed_texts)
def test_the_index_subset_decides_as_every_walked_id(indexed, typed):
    root, corpus = indexed
    walked = [entry[0] for entry in discover(root)]
    conn = connect(corpus._index.path)
    try:
        subset = typed_id_candidates(conn, typed)
        assert sorted(all_ids(conn)) == sorted(walked)
    finally:
        conn.close()
    assert set(subset) <= set(walked)
    full = match_typed(typed, walked)
    if full.id or full.candidates:
        assert outcome(match_typed(typed, subset)) == outcome(full)
    else:
        narrowed = match_typed(typed, subset)
        assert narrowed.id is None and not narrowed.candidates


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_show_and_tag_with_a_prefix_read_the_fresh_index_not_the_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "c"
    root.mkdir()
    write(root)
    assert run("index", "--corpus", root).exit_code == 0
    (root / "2024" / "03" / "003_new.txt").write_text(f"Added later\n\n{BODY}", encoding="utf-8")

    def no_walk(*_args, **_kwargs):
        raise AssertionError("walked the folder")

    monkeypatch.setattr("briefing.corpus.discover.discover", no_walk)
    monkeypatch.setattr("briefing.corpus.load.discover", no_walk)
    shown = run("show", "003_n", "--corpus", root, "--json")
    assert shown.exit_code == 0 and json.loads(shown.stdout)["id"] == "2024/03/003_new.txt"  # added after the index
    assert json.loads(run("show", "old_PIECE", "--corpus", root, "--json").stdout)["id"] == "sub/old_piece.md"
    ambiguous = run("show", "abc", "--corpus", root)
    assert ambiguous.exit_code == 2 and "'abc' matches 2 articles" in ambiguous.stderr
    missing = run("show", "2024/03/001_abd.txt", "--corpus", root)  # a whole name that is not there
    assert missing.exit_code == 2 and "did you mean '2024/03/001_abc.txt'" in missing.stderr
    item = run("show", "dump.jsonl#k1", "--corpus", root, "--json")
    assert item.exit_code == 0 and json.loads(item.stdout)["id"] == "dump.jsonl#k1"  # an item, named whole
    bad = run("show", "bad.htm", "--corpus", root)  # the file the index could not read, by a prefix
    assert bad.exit_code == 1 and "bad.html" in bad.stderr
    tagged = run("tag", "Z_la", "energy", "--corpus", root)
    assert tagged.exit_code == 0 and tagged.stdout == "x/y/Z_last.txt: tags: energy\n"
    (root / "2024" / "03" / "003_new.txt").unlink()
    gone = run("show", "003_n", "--corpus", root)
    assert gone.exit_code == 2 and "no article with id '003_n'" in gone.stderr


def test_a_query_listed_the_old_way_and_keywords_use_the_quick_check_not_a_walk(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "c"
    root.mkdir()
    write(root)
    assert run("index", "--corpus", root).exit_code == 0
    (root / "2024" / "04" / "011_fresh.txt").write_text(f"Fresh grid story\n\n{BODY}", encoding="utf-8")

    def no_walk(*_args, **_kwargs):
        raise AssertionError("walked the folder")

    monkeypatch.setattr("briefing.index.scan.walk_stat", no_walk)
    monkeypatch.setattr("briefing.index.scan.discover", no_walk)
    oldest = run("list", "--json", "--query", "grid sort:oldest", "--corpus", root)  # not streamed: every row loaded
    assert oldest.exit_code == 0 and "2024/04/011_fresh.txt" in {r["id"] for r in json.loads(oldest.stdout)}
    keywords = run("keywords", "011_fresh", "--corpus", root, "--json")
    assert keywords.exit_code == 0, keywords.output
