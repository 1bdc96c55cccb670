"""The watchlists file: shape, durable writes, hostile files, merge on concurrent change."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from briefing.watchlists import WatchlistError, WatchlistReadOnly, WatchlistStore
from briefing.watchlists.model import Watchlist, dump, parse


@pytest.fixture
def corpus(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "a.txt").write_text("Power grid attack in Kyiv.\n\nThe grid was hit again.\n", encoding="utf-8")
    return root


def test_add_writes_the_file_beside_the_annotations_and_reads_back(corpus):
    store = WatchlistStore(corpus)
    store.add("Grid", "power grid", ["energy", " kyiv "])
    path = corpus / "watchlists.yaml"
    assert store.path == path
    again = WatchlistStore(corpus)
    assert again.watchlists == {"Grid": Watchlist("Grid", "power grid", ("energy", "kyiv"))}
    text = path.read_text(encoding="utf-8")
    assert "version: 1\nwatchlists:\n" in text and '  "Grid":\n    query: "power grid"\n' in text
    assert not again.problems


def test_text_that_looks_like_other_yaml_types_stays_text(corpus):
    store = WatchlistStore(corpus)
    store.add("no", "yes 1e3", ["on", "0123"])
    assert WatchlistStore(corpus).get("no") == Watchlist("no", "yes 1e3", ("0123", "on"))


def test_remove_and_missing_name(corpus):
    store = WatchlistStore(corpus)
    store.add("a", "grid")
    store.add("b", "power")
    store.remove("a")
    assert WatchlistStore(corpus).names() == ["b"]
    with pytest.raises(KeyError):
        store.remove("a")


def test_a_taken_name_is_refused_unless_replacing(corpus):
    store = WatchlistStore(corpus)
    store.add("a", "grid")
    with pytest.raises(WatchlistError, match="exists already"):
        store.add("a", "power")
    store.add("a", "power", replace=True)
    assert WatchlistStore(corpus).get("a").query == "power"


@pytest.mark.parametrize(
    "name, query, tags, problem",
    [
        ("", "grid", [], "name cannot be empty"),
        ("bad\x1b[31m", "grid", [], "control characters"),
        ("x" * 101, "grid", [], "at most 100"),
        ("a", 'power "grid', [], "never closed"),
        ("a", "(power grid", [], "never closed"),
        ("a", "power)", [], "closes nothing"),
        ("a", "tag:", [], "needs a value"),
        ("a", "   ", [], "empty"),
        ("a", "- -- ,", [], "lone '-'"),
        ("a", "x" * 10_000, [], "too long"),
        ("a", "grid\x00", [], "control"),
        ("a", "grid", ["  "], "tag cannot be empty"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(corpus, name, query, tags, problem):
    store = WatchlistStore(corpus)
    with pytest.raises(WatchlistError, match=problem):
        store.add(name, query, tags)
    assert not (corpus / "watchlists.yaml").exists()


HOSTILE = {
    "python tag": (b"version: 1\nwatchlists:\n  a: !!python/object/apply:os.system [echo]\n", 3, "YAML tags are not allowed"),
    "anchor": (b"version: 1\nwatchlists:\n  a: &x {query: grid}\n  b: *x\n", 3, "anchors"),
    "not yaml": (b"version: 1\nwatchlists: [\n", 3, "not valid YAML"),
    "wrong type": (b"version: 1\nwatchlists:\n  - grid\n", 3, "must be a mapping"),
    "newer": (b"version: 2\nwatchlists: {}\n", 1, "newer briefing"),
    "no version": (b"watchlists: {}\n", 1, "missing 'version"),
    "unknown top field": (b"version: 1\nextra: 1\n", 2, "unknown field 'extra'"),
    "empty": (b"", 1, "empty"),
    "not utf-8": (b"version: 1\nwatchlists:\n  \xff: {query: a}\n", 3, "not UTF-8"),
}


@pytest.mark.parametrize("data, line, problem", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_file_is_named_with_its_line_and_never_rewritten(corpus, data, line, problem):
    path = corpus / "watchlists.yaml"
    path.write_bytes(data)
    store = WatchlistStore(corpus)
    assert store.watchlists == {}
    assert store.read_only
    assert len(store.problems) == 1
    assert str(path) in store.problems[0] and f"line {line}:" in store.problems[0] and problem in store.problems[0]
    with pytest.raises(WatchlistReadOnly):
        store.add("new", "grid")
    assert path.read_bytes() == data


def test_one_bad_entry_leaves_the_others_working_and_the_file_untouched(corpus):
    data = (
        b'version: 1\nwatchlists:\n  good:\n    query: "power grid"\n    tags: ["energy"]\n'
        b'  broken:\n    query: "power \\"grid"\n  typed:\n    query: [a, b]\n  extra:\n    query: x\n    colour: red\n'
    )
    path = corpus / "watchlists.yaml"
    path.write_bytes(data)
    store = WatchlistStore(corpus)
    assert store.names() == ["good"]
    lines = sorted(int(p.split("line ")[1].split(":")[0]) for p in store.problems)
    assert lines == [7, 9, 12]
    assert any("'broken'" in p and "does not parse" in p for p in store.problems)
    with pytest.raises(WatchlistReadOnly):
        store.remove("good")
    assert path.read_bytes() == data


def test_a_planted_link_is_never_read_or_written_through(corpus, tmp_path):
    outside = tmp_path / "secret.yaml"
    outside.write_text('version: 1\nwatchlists:\n  s:\n    query: "secret"\n', encoding="utf-8")
    (corpus / "watchlists.yaml").symlink_to(outside)
    store = WatchlistStore(corpus)
    assert store.watchlists == {} and store.read_only and "symbolic link" in store.problems[0]
    with pytest.raises(WatchlistReadOnly):
        store.add("a", "grid")
    assert outside.read_text(encoding="utf-8").endswith('"secret"\n')
    assert (corpus / "watchlists.yaml").is_symlink()


def test_a_change_on_disk_since_reading_is_merged_not_overwritten(corpus):
    ours = WatchlistStore(corpus)
    ours.add("shared", "grid")
    ours.add("theirs to drop", "drop")
    theirs = WatchlistStore(corpus)
    theirs.add("from them", "power", ["p"])
    theirs.remove("theirs to drop")
    ours.add("from us", "kyiv")  # ours read the file before their changes
    final = WatchlistStore(corpus)
    assert final.names() == ["from them", "from us", "shared"]
    assert final.get("from them").tags == ("p",)


def test_a_concurrent_change_that_breaks_the_file_stops_the_save(corpus):
    ours = WatchlistStore(corpus)
    ours.add("a", "grid")
    broken = b"version: 1\nwatchlists:\n  a: !!python/name:os.system x\n"
    (corpus / "watchlists.yaml").write_bytes(broken)
    with pytest.raises(WatchlistReadOnly, match="line 3"):
        ours.add("b", "power")
    assert (corpus / "watchlists.yaml").read_bytes() == broken


def test_the_write_leaves_no_temp_file_and_keeps_the_mode(corpus):
    store = WatchlistStore(corpus)
    store.add("a", "grid")
    os.chmod(corpus / "watchlists.yaml", 0o640)
    store.add("b", "power")
    assert (os.stat(corpus / "watchlists.yaml").st_mode & 0o777) == 0o640
    assert sorted(p.name for p in corpus.iterdir() if p.name.startswith(".watchlists")) == [".watchlists.yaml.lock"]


def test_dump_then_parse_is_the_identity_for_awkward_text():
    lists = {n: Watchlist(n, q, t) for n, q, t in [
        ("é \u2028 x", 'a "b" \\ c', ("#x", "- y")), ("[a]", "tag:x grid", ()), ("~", "null", ("~",))]}
    back = parse(dump(lists))
    assert not back.problems and back.watchlists == lists


def test_the_core_never_imports_textual():
    code = "import sys, briefing.watchlists, briefing.watchlists.run, briefing.cli.watch; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": os.getcwd()})
    assert out.stdout.strip() == "False"
