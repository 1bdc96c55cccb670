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
