"""The streamed ``list`` follows a renamed annotated file by its body's fingerprint,
through the index's fingerprint index (16 hex digits, then the whole fingerprint)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from briefing.annotations import AnnotationStore
from briefing.cli import main
from briefing.index import CorpusIndex
from briefing.listing.stream import connect, reconcile_subset

BODY = "The grid operator said power was restored to most homes by the evening, officials said.\n"


def test_list_follows_a_renamed_annotated_file(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "c"
    (root / "2024").mkdir(parents=True)
    (root / "2024" / "old.txt").write_text(f"Grid restored\n\n{BODY}", encoding="utf-8")
    (root / "2024" / "other.txt").write_text("Another story\n\nA different body about wheat prices.\n", encoding="utf-8")
    index = CorpusIndex(root, workers=1)
    index.refresh()
    store = AnnotationStore.open(root)
    store.attach([index.snapshot().get("2024/old.txt")])  # records the fingerprint
    store.add_tags("2024/old.txt", ["energy"])
    (root / "2024" / "old.txt").rename(root / "2024" / "new.txt")
    index.refresh()
    conn = connect(index.path)
    try:
        doc = AnnotationStore.open(root).document
        assert list(doc.articles) == ["2024/old.txt"]  # an orphan now: only its fingerprint can find it
        assert [m.id for m in reconcile_subset(conn, doc)] == ["2024/new.txt"]
    finally:
        conn.close()

    listed = CliRunner().invoke(main, ["list", "--json", "--corpus", str(root)], catch_exceptions=False)
    assert listed.exit_code == 0, listed.output
    by_id = {row["id"]: row for row in json.loads(listed.stdout)}
    assert set(by_id) == {"2024/new.txt", "2024/other.txt"}
    assert by_id["2024/new.txt"]["tags"] == ["energy"] and by_id["2024/other.txt"]["tags"] == []


def test_commands_that_only_read_follow_a_rename_in_memory_and_write_nothing(tmp_path, monkeypatch):
    # A teammate's rename pulled: `list`, `show`, `export`, `stats` show the annotations
    # under the new name, but leave annotations.yaml as git has it (a change there
    # would stop the next `git pull`); the next command that writes records the move.
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "c"
    root.mkdir()
    (root / "old.txt").write_text(f"Grid restored\n\n{BODY}", encoding="utf-8")
    run = CliRunner().invoke
    assert run(main, ["tag", "old.txt", "energy", "--corpus", str(root)]).exit_code == 0
    (root / "old.txt").rename(root / "new.txt")
    path = root / "annotations.yaml"
    before = path.read_bytes()
    for args in (["list", "--json"], ["list"], ["show", "new.txt", "--json"], ["export", "-f", "json"], ["stats"]):
        result = run(main, [*args, "--corpus", str(root)], catch_exceptions=False)
        assert result.exit_code == 0, (args, result.output)
        assert path.read_bytes() == before, args
    assert run(main, ["index", "--corpus", str(root)]).exit_code == 0
    listed = json.loads(run(main, ["list", "--json", "--corpus", str(root)]).stdout)
    assert [(r["id"], r["tags"]) for r in listed] == [("new.txt", ["energy"])] and path.read_bytes() == before
    # `tag` writes its own entry under the new name (it looks up no other article: no
    # pass over the corpus); the next open over every article (the reader) joins the
    # two, made on the same text, and writes that
    assert run(main, ["tag", "new.txt", "grid", "--corpus", str(root)]).exit_code == 0
    shown = json.loads(run(main, ["list", "--json", "--corpus", str(root)]).stdout)
    assert [(r["id"], r["tags"]) for r in shown] == [("new.txt", ["energy", "grid"])]
    from briefing.annotations import open_store

    _store, report = open_store(root, list(CorpusIndex(root, workers=1).snapshot().articles))
    assert report.joined == (("old.txt", "new.txt"),)
    assert list(AnnotationStore.open(root).document.articles) == ["new.txt"]
    assert AnnotationStore.open(root).get("new.txt").tags == ("energy", "grid")
