"""The streamed listing (briefing.listing.stream, what `briefing list` prints from
the index) equals the full listing (annotated_listing over every article, the way
`list` worked before) on generated corpora and annotations: the same articles in
the same order (date corrections included), with every filter and query."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.annotations import AnnotationStore
from briefing.annotations.filter import Filter, annotated_listing
from briefing.cli import main
from briefing.index import CorpusIndex
from briefing.listing import stream
from briefing.listing.stream import connect, rows

from .conftest import VOCAB, make_corpus

TAGS = ("energy", "Kyiv", "énergie", "zz top")
WORDS = ("grid", "power", "kyiv", "cafe", "naïve", "the", "e-mail", "covid", "g7", "missing")
ATOMS = (
    *WORDS, "gri*", "pow*", '"power grid"', '"the grid"', '"strike missile"', "title:grid", "title:grid*",
    'title:"power grid"', "source:wire", "author:smith", "tag:energy", "tag:ener*", "tag:kyiv", "is:read",
    "is:unread", "is:flagged", "is:dismissed", "is:annotated", "date:2020", "since:2021-03-01",
    "until:2020-06-30", "id:2020/*", "id:2021", "id:*.md",
)


def extra_files(root: Path, rng: random.Random) -> None:
    """Markdown with front-matter tags, sources and authors; undated articles."""
    for n in range(12):
        day = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(0, 900))
        date = f"date: {day.isoformat()}\n" if n % 4 else ""
        tags = ", ".join(rng.sample(TAGS, rng.randint(0, 2)))
        body = " ".join(rng.choice(VOCAB) for _ in range(rng.randint(6, 20)))
        title = " ".join(rng.choice(VOCAB) for _ in range(3)).capitalize()
        (root / "md").mkdir(exist_ok=True)
        (root / "md" / f"{n:02d}.md").write_text(
            f"---\ntitle: {title}\n{date}source: {rng.choice(['Wire', 'Daily Wire', 'Post'])}\n"
            f"author: {rng.choice(['Ann Smith', 'Bo Lee'])}\ntags: [{tags}]\n---\n\n{body}.\n", encoding="utf-8")


@pytest.fixture
def corpus(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    make_corpus(root, 48, seed=7)
    extra_files(root, random.Random(7))
    index = CorpusIndex(root, workers=1)
    index.refresh()
    return root, index


def annotate(root: Path, ids: list[str], data: st.DataObject) -> None:
    (root / "annotations.yaml").unlink(missing_ok=True)
    store = AnnotationStore.open(root)
    chosen = data.draw(st.lists(st.sampled_from(ids), max_size=12, unique=True), label="annotated")
    for aid in chosen:
        what = data.draw(st.sets(st.sampled_from(["tags", "date", "title", "read", "flag", "dismiss"]), min_size=1))
        if "tags" in what:
            store.add_tags(aid, data.draw(st.lists(st.sampled_from(TAGS), min_size=1, max_size=2)))
        if "date" in what:
            store.set_date(aid, dt.date(2019, 6, 1) + dt.timedelta(days=data.draw(st.integers(0, 1400))))
        if "title" in what:
            store.set_title(aid, data.draw(st.sampled_from(["Power grid down", "Quiet day", "Kyiv talks"])))
        if "read" in what:
            store.set_read(aid, True)
        if "flag" in what:
            store.set_flagged(aid, True)
        if "dismiss" in what:
            store.set_dismissed(aid, True)


queries = st.one_of(
    st.none(),
    st.lists(st.tuples(st.sampled_from(ATOMS), st.booleans()), min_size=1, max_size=3).map(
        lambda parts: " ".join(("-" if neg else "") + atom for atom, neg in parts)),
    st.lists(st.sampled_from(ATOMS), min_size=2, max_size=3).map(" OR ".join),
)
filters = st.builds(
    Filter,
    tags=st.lists(st.sampled_from(TAGS), max_size=2).map(tuple),
    statuses=st.lists(st.sampled_from(["unread", "read", "flagged", "dismissed", "annotated"]), max_size=2,
                      unique=True).map(tuple),
    since=st.one_of(st.none(), st.dates(dt.date(2019, 6, 1), dt.date(2023, 1, 1))),
    until=st.one_of(st.none(), st.dates(dt.date(2020, 6, 1), dt.date(2023, 6, 1))),
    search=queries,
)


def test_streamed_listing_equals_the_full_listing(corpus, monkeypatch):
    # The generated corpus holds one French article; the stream is compared here on
    # exact words (a word search in a corpus of stemmed languages takes the full path:
    # test_a_word_search_with_stemmed_languages_takes_the_full_path).
    monkeypatch.setattr(stream, "_needs_languages", lambda conn, root: False)
    root, index = corpus
    snapshot = index.snapshot()
    ids = [m.id for m in snapshot.articles]

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(data=st.data(), flt=filters)
    def check(data, flt):
        annotate(root, ids, data)
        store = AnnotationStore.open(root)
        full, _fields = annotated_listing(snapshot.articles, store, flt, corpus=snapshot)
        conn = connect(index.path)
        try:
            streamed = rows(conn, store, flt)
            assert streamed is not None
            got = [store.effective_meta(m) for m in streamed]
        finally:
            conn.close()
        assert [m.id for m in got] == [m.id for m in full]
        assert got == full

    check()


def test_a_query_sorted_otherwise_is_not_streamed(corpus):
    root, index = corpus
    conn = connect(index.path)
    try:
        assert rows(conn, AnnotationStore.open(root), Filter(search="grid sort:oldest")) is None
        assert rows(conn, AnnotationStore.open(root), Filter(search="grid sort:relevance")) is None
    finally:
        conn.close()


@pytest.fixture
def cli_env(monkeypatch, tmp_path):
    monkeypatch.delenv("BRIEFING_CORPUS", raising=False)
    monkeypatch.setenv("COLUMNS", "160")


@pytest.mark.parametrize("args", [
    [], ["--tag", "energy"], ["--status", "unread"], ["--since", "2021-01-01", "--until", "2021-12-31"],
    ["--query", "grid -kyiv"], ["--query", '"power grid" OR tag:kyiv'], ["--query", "grid sort:oldest"],
])
def test_cli_json_through_the_index_equals_the_files(corpus, cli_env, args, monkeypatch, tmp_path):
    """`list --json` streamed from the index prints the same text as `list --json`
    over the files (a corpus without an index), corrections and annotations included."""
    root, _index = corpus
    store = AnnotationStore.open(root)
    store.set_date("md/00.md", "2018-01-01")
    store.add_tags("md/01.md", ["energy"])
    store.set_title("2020/01/0000.txt", "Power grid retitled")
    runner = CliRunner()
    streamed = runner.invoke(main, ["list", "--corpus", str(root), "--json", *args], catch_exceptions=False)
    assert streamed.exit_code == 0, streamed.output
    if "--query" in args:  # a query builds an index; compare with the full listing of the old path instead
        from briefing.cli import corpus as cli_corpus

        monkeypatch.setattr(cli_corpus, "_list_streamed", lambda *a: False)
        plain = runner.invoke(main, ["list", "--corpus", str(root), "--json", *args], catch_exceptions=False)
    else:
        monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "no-index-here"))
        plain = runner.invoke(main, ["list", "--corpus", str(root), "--json", *args], catch_exceptions=False)
    assert plain.exit_code == 0
    assert json.loads(streamed.stdout) == json.loads(plain.stdout)
    assert streamed.stdout == plain.stdout


def test_every_query_atom_alone_and_negated(corpus, monkeypatch):
    # The generated corpus holds one French article; the stream is compared here on
    # exact words (a word search in a corpus of stemmed languages takes the full path:
    # test_a_word_search_with_stemmed_languages_takes_the_full_path).
    monkeypatch.setattr(stream, "_needs_languages", lambda conn, root: False)
    """Each kind of condition once, plain and negated (the random test may miss one)."""
    root, index = corpus
    snapshot = index.snapshot()
    ids = [m.id for m in snapshot.articles]
    store = AnnotationStore.open(root)
    store.set_read(ids[:5], True)
    store.set_flagged(ids[3:7], True)
    store.set_dismissed(ids[6:8], True)
    store.add_tags(ids[10:13], ["energy"])
    store.set_date(ids[-3:], "2020-02-02")
    store.set_title(ids[20], "Power grid down")
    checked = 0
    for atom in ATOMS:
        for text in (atom, "-" + atom):
            flt = Filter(search=text)
            full, _fields = annotated_listing(snapshot.articles, store, flt, corpus=snapshot)
            conn = connect(index.path)
            try:
                got = [store.effective_meta(m) for m in rows(conn, store, flt)]
            finally:
                conn.close()
            assert [m.id for m in got] == [m.id for m in full], text
            checked += bool(full)
    assert checked > len(ATOMS)  # most of them match something: the comparison is not of empty lists


@pytest.mark.parametrize("args", [[], ["--all", "--since", "2021-01-01"], ["--tag", "energy"], ["--query", "grid"],
                                  ["--status", "flagged"]])
def test_export_through_the_index_equals_the_files(corpus, cli_env, args, monkeypatch, tmp_path):
    """`export` takes its articles from the streamed listing when there is an index:
    the same briefing as from the files."""
    root, _index = corpus
    store = AnnotationStore.open(root)
    store.set_date("md/00.md", "2018-01-01")
    store.add_tags(["md/01.md", "2021/02/0001.txt"], ["energy"])
    store.set_flagged(["2020/01/0000.txt"], True)
    store.add_note("2022/03/0002.txt", "worth a look")
    runner = CliRunner()
    base = ["export", "--corpus", str(root), "--format", "json", "--date", "2024-01-01"]
    streamed = runner.invoke(main, [*base, *args], catch_exceptions=False)
    assert streamed.exit_code == 0, streamed.output
    from briefing.cli import export as cli_export

    monkeypatch.setattr(cli_export, "_streamed_selection", lambda *a: None)
    plain = runner.invoke(main, [*base, *args], catch_exceptions=False)
    assert plain.exit_code == 0
    assert json.loads(streamed.stdout) == json.loads(plain.stdout)
    assert json.loads(streamed.stdout)["item_count"] > 0  # a briefing with articles, not two empty ones


def test_a_word_search_with_stemmed_languages_takes_the_full_path(corpus):
    root, index = corpus
    assert {m.lang for m in index.snapshot().articles} & {"fr"}  # the generated corpus has one
    conn = connect(index.path)
    store = AnnotationStore.open(root)
    assert rows(conn, store, Filter(search="grid")) is None  # words: stems per article, the full path
    assert rows(conn, store, Filter(search="lang:fr")) is None
    assert rows(conn, store, Filter(search='"power grid"')) is not None  # a phrase is exact: streamed
    assert rows(conn, store, Filter(tags=("energy",))) is not None
    conn.close()
