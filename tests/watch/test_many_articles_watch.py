"""Issue 18: the watcher and a file of many articles (a feed re-exported in place)."""

from __future__ import annotations

import os

from briefing.index import CorpusIndex

from ..index.test_many_articles import write_feed


def replace_feed(root, keys, **kwargs):
    """Write the feed beside (a hidden name the loader ignores) and move it into place:
    the watcher never sees it half written."""
    write_feed(root / ".wire.tmp", keys, **kwargs)
    os.replace(root / ".wire.tmp", root / "wire.xml")


def test_a_feed_written_then_changed_then_removed(watched):
    root, index, _watcher, batches = watched
    replace_feed(root, [1, 2, 3])
    batch = batches.wait(lambda b: b.update is not None and any(m.id.startswith("wire.xml#") for m in b.update.added))
    assert sorted(m.id for m in batch.update.added) == ["wire.xml#1", "wire.xml#2", "wire.xml#3"]
    replace_feed(root, [3, 4], text="A re-export with new text.")
    batch = batches.wait(lambda b: b.update is not None and "wire.xml#4" in {m.id for m in b.update.added})
    assert sorted(batch.update.removed) == ["wire.xml#1", "wire.xml#2"]
    assert [m.id for m in batch.update.changed] == ["wire.xml#3"]
    cached = {m.id for m in CorpusIndex(root, workers=1).snapshot().articles}
    assert {"wire.xml#3", "wire.xml#4"} <= cached and "wire.xml#1" not in cached
    (root / "wire.xml").unlink()
    batch = batches.wait(lambda b: b.update is not None and "wire.xml#3" in b.update.removed)
    assert sorted(batch.update.removed) == ["wire.xml#3", "wire.xml#4"]
    assert not any(m.id.startswith("wire.xml") for m in CorpusIndex(root, workers=1).snapshot().articles)
